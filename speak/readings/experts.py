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


@cache
def _g2pm_allowed(original: str, simple: str) -> tuple[str, ...]:
    """The readings of ``original`` g2pM can choose between (reading its Simplified form)."""
    known = _g2pm_readings(simple)
    labels = g2pm().class2idx
    return tuple(c for c in readings_of(original) if c in known and c in labels)


@cache
def _context_char(original: str, simple: str, context: ContextModel) -> str | None:
    """The character the context model knows for ``original`` written as ``simple``."""
    return next((c for c in (simple, simplified_char(original)) if context.knows(c)), None)


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
    g2pm_wanted: list[list[tuple[str, ...]]] = []
    for original, simple, found in zip(originals, simplified, targets, strict=True):
        positions, wanted = [], []
        for i in found:
            allowed = _g2pm_allowed(original[i], simple[i])
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
            original, simple, seg = originals[k], simplified[k], segmented[k]
            for i in found:
                known = _context_char(original[i], simple[i], context)
                if known:
                    asked.setdefault(known, []).append((k, i))
                    queries.setdefault(known, []).append(features(simple, i, seg))
    context_votes: dict[tuple[int, int], tuple[str, dict[str, float]]] = {}
    for known, places in asked.items():
        for place, vote in zip(places, context.log_probs_many(known, queries[known]), strict=True):
            context_votes[place] = (known, vote)
    out: list[list[Votes]] = []
    for k, found in enumerate(targets):
        original, readings = originals[k], segmented[k].readings
        rows = dict(zip(g2pm_targets[k], g2pm_votes[k], strict=True))
        votes = []
        for i in found:
            char = original[i]
            known, context_vote = context_votes.get((k, i), (None, None))
            votes.append(
                Votes(
                    readings_of(char),
                    rows.get(i),
                    context_vote,
                    readings[i],
                    default_reading(char),
                    prior.get(known) if prior and context_vote else None,
                    known,
                )
            )
        out.append(votes)
    return out
