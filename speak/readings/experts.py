"""Collect every expert's vote for the polyphones of a batch of texts."""

from __future__ import annotations

from functools import cache

from speak.readings.combine import Votes
from speak.readings.context import ContextModel
from speak.readings.g2pm import g2pm
from speak.readings.patterns import pattern_reading
from speak.readings.wordcut import CheckedWords
from speak.zh.chars import readings_of, usual_reading
from speak.zh.script import simplified_char
from speak.zh.words import Segmented


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
    # What depends on the character alone, once per (written, Simplified) pair:
    # (readings g2pM chooses between, character the context model knows, candidates, default).
    facts: dict[tuple[str, str], tuple[tuple[str, ...], str | None, tuple[str, ...], str | None]]
    facts = {}
    g2pm_targets: list[list[int]] = []
    g2pm_wanted: list[list[tuple[str, ...]]] = []
    per_text: list[list[tuple]] = []  # per target: its facts
    asked: dict[str, list[tuple[int, int]]] = {}  # context model: char → (text, position)
    for k, found in enumerate(targets):
        original, simple = originals[k], simplified[k]
        positions, wanted, known_facts = [], [], []
        for i in found:
            pair = (original[i], simple[i])
            fact = facts.get(pair)
            if fact is None:
                known = _context_char(*pair, context) if context is not None else None
                fact = facts[pair] = (
                    _g2pm_allowed(*pair),
                    known,
                    readings_of(pair[0]),
                    usual_reading(pair[0]),
                )
            known_facts.append(fact)
            if fact[0]:
                positions.append(i)
                wanted.append(fact[0])
            known = fact[1]
            if known:
                if known in asked:
                    asked[known].append((k, i))
                else:
                    asked[known] = [(k, i)]
        g2pm_targets.append(positions)
        g2pm_wanted.append(wanted)
        per_text.append(known_facts)
    g2pm_votes = net.log_probs(simplified, g2pm_targets, g2pm_wanted)
    context_votes: list[dict[int, dict[str, float]]] = [{} for _ in targets]
    batch = context.batch(simplified, segmented) if asked else None
    for known, places in asked.items():
        found_votes = context.log_probs_at(known, batch, places)
        for (k, i), vote in zip(places, found_votes, strict=True):
            context_votes[k][i] = vote
    out: list[list[Votes]] = []
    for k, found in enumerate(targets):
        words = CheckedWords(simplified[k], segmented[k])
        simple = simplified[k]
        g2pm_rows = dict(zip(g2pm_targets[k], g2pm_votes[k], strict=True))
        text_votes = context_votes[k]
        votes = []
        for i, (_, known, candidates, default) in zip(found, per_text[k], strict=True):
            context_vote = text_votes.get(i)
            word = words.common_word(i)
            votes.append(
                Votes(
                    candidates,
                    g2pm_rows.get(i),
                    context_vote,
                    word[0] if word else None,
                    default,
                    prior.get(known) if prior and context_vote else None,
                    known if context_vote is not None else None,
                    pattern_reading(simple, i, words.in_word(i)),
                    word[1] if word else None,
                    word[2] if word else False,
                )
            )
        out.append(votes)
    return out
