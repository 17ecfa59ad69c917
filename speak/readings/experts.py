"""Collect every expert's vote for the polyphones of a batch of texts."""

from __future__ import annotations

from functools import cache

from speak.readings.chars import default_reading, readings_of, simplified_char
from speak.readings.combine import Votes
from speak.readings.context import ContextModel, features
from speak.readings.g2pm import g2pm
from speak.readings.phrases import Segmented


@cache
def _g2pm_readings(char: str) -> tuple[str, ...]:
    """The readings g2pM was trained to choose between for a Simplified char (() if none)."""
    net = g2pm()
    found = net.cedict.get(char, ())
    return tuple(p.replace("u:", "v") for p in found) if len(found) > 1 else ()


def collect_votes(
    originals: list[str],
    simplified: list[str],
    segmented: list[Segmented],
    targets: list[list[int]],
    context: ContextModel | None,
    prior: dict[str, dict[str, float]] | None = None,
) -> list[list[Votes]]:
    """Votes per target position of each text (texts given as original and Simplified)."""
    net = g2pm()
    g2pm_targets: list[list[int]] = []
    g2pm_wanted: list[list[list[str]]] = []
    for original, simple, found in zip(originals, simplified, targets, strict=True):
        positions, wanted = [], []
        for i in found:
            known = _g2pm_readings(simple[i])
            allowed = [c for c in readings_of(original[i]) if c in known and c in net.class2idx]
            if allowed:
                positions.append(i)
                wanted.append(allowed)
        g2pm_targets.append(positions)
        g2pm_wanted.append(wanted)
    g2pm_votes = net.log_probs(simplified, g2pm_targets, g2pm_wanted)
    # The context model, batched per character.
    asked: dict[str, list[tuple[int, int]]] = {}
    queries: dict[str, list[list[str]]] = {}
    if context is not None:
        for k, found in enumerate(targets):
            for i in found:
                char = originals[k][i]
                known = next(
                    (c for c in (simplified[k][i], simplified_char(char)) if context.knows(c)),
                    None,
                )
                if known:
                    asked.setdefault(known, []).append((k, i))
                    queries.setdefault(known, []).append(features(simplified[k], i, segmented[k]))
    context_votes: dict[tuple[int, int], tuple[str, dict[str, float]]] = {}
    for known, places in asked.items():
        for place, vote in zip(places, context.log_probs_many(known, queries[known]), strict=True):
            context_votes[place] = (known, vote)
    out: list[list[Votes]] = []
    for k, found in enumerate(targets):
        simple = simplified[k]
        rows = dict(zip(g2pm_targets[k], g2pm_votes[k], strict=True))
        votes = []
        for i in found:
            char = originals[k][i]
            candidates = readings_of(char)
            g2pm_vote = rows.get(i)
            known, context_vote = context_votes.get((k, i), (None, None))
            votes.append(
                Votes(
                    candidates=candidates,
                    g2pm=g2pm_vote,
                    context=context_vote,
                    phrase=segmented[k].readings[i],
                    default=default_reading(char),
                    prior=prior.get(known) if prior and context_vote else None,
                )
            )
        out.append(votes)
    return out
