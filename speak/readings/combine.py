"""Combine the experts' votes for one polyphone into one score per reading.

Experts: g2pM's BiLSTM (natural frequencies, CPP), the context model (g2pL: 300 sentences a
character, rare readings far more often than in natural text), pypinyin's phrase dictionary,
the character's default reading, and a natural-frequency prior for the characters the
context model knows.
The score of a reading is a weighted sum of the evidence, with one weight vector for
characters the context model knows (corrected per character: how far to trust g2pM, the
context model and the dictionary for that character) and one for the rest;
``tools/train_polyphone.py`` fits them on out-of-fold votes over the train sentences, partly
as labelled ("balanced") and partly reweighted to natural frequencies.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

WEIGHTS_PATH = Path(__file__).with_name("data") / "combiner.json"
FLOOR = -12.0  # log-probability for a reading an expert does not know
FEATURES = (
    "g2pm",
    "context",
    "phrase",
    "default",
    "prior",
    "g2pm_sure",
    "marked",  # the dictionary word's reading is not the character's usual one (会计 kuài)
    "long",  # the dictionary word has 3+ characters (有的放矢, 曲高和寡, 数见不鲜)
    "pattern",
    "common",  # marked, in a common word (speak.readings.wordcut): 会计, 暖和, 结实
)
PER_CHAR = FEATURES[:3]  # weights corrected per character the context model knows
SURE_MARGIN = 6.0  # nats between g2pM's first and second choice that make it "sure"
# g2pM's log-probabilities are counted down to a floor only (shipped as "g2pm_floor"): on
# short everyday sentences it is sure and wrong by 20-60 nats (会计 hui4, 附和 he2), which no
# dictionary word could outweigh. tools/train_polyphone.py chooses the floor among these on
# the held-out fold of g2pL train.
G2PM_FLOORS = (-60.0, -8.0, -6.0, -4.0)
# A sentence pattern (speak.readings.patterns) is a rule written from the dictionaries and
# fires too rarely in g2pL train for its weight to be fit: it is fixed, above any sum of the
# other evidence short of a lexicon entry.
PATTERN_WEIGHT = 30.0
# A common word's own reading (speak.readings.wordcut) is the dictionary standard, and where
# the benchmarks' labels or the models differ from it, the standard wins: fixed, above any
# sum of the models' evidence, below a pattern (会计 kuài, 传记 zhuàn, 有的放矢 dì). From 8
# up every evaluation set reads the same; g2pL dev loses 0.23 points against the weight fit
# on the everyday set before (1.25), CPP dev 0.02, and the fresh blind set gains 4 rows.
COMMON_WEIGHT = 15.0
FIXED = {"pattern": PATTERN_WEIGHT, "common": COMMON_WEIGHT}  # weights that are not fit


class Votes(NamedTuple):
    """What each expert says about one polyphone (None: that expert has nothing to say).

    A named tuple: built once per polyphone, so it must be cheap to make."""

    candidates: tuple[str, ...]
    g2pm: dict[str, float] | None  # log-probabilities
    context: dict[str, float] | None  # log-probabilities
    phrase: str | None  # reading in a dictionary word
    default: str | None  # usual reading (speak.zh.chars.usual_reading)
    prior: dict[str, float] | None = None  # log natural frequency of each reading
    char: str | None = None  # the character the context model read it as
    pattern: str | None = None  # reading a sentence pattern gives
    word: tuple[int, int] | None = None  # (start, end) of the dictionary word behind phrase
    common: bool = False  # that word is a common word (speak.readings.wordcut)


def _sure(votes: Votes) -> str | None:
    """g2pM's choice when it leads its runner-up by SURE_MARGIN nats or more."""
    g2pm = votes.g2pm
    if not g2pm or len(g2pm) < 2:
        return None
    first = second = -math.inf
    best = None
    for reading, value in g2pm.items():
        if value > first:
            first, second, best = value, first, reading
        elif value > second:
            second = value
    return best if first - second >= SURE_MARGIN else None


def context_scores(votes: Votes) -> dict[str, float] | None:
    """The context model's log-probabilities, with the dictionary word's reading it has no
    class for scored as its best one: it cannot speak against a reading it never learned
    (数见不鲜 shuò, where g2pL only labelled shù and shǔ)."""
    context = votes.context
    phrase = votes.phrase
    if not context or phrase is None or phrase in context:
        return context
    return {**context, phrase: max(context.values())}


def _word_flags(votes: Votes) -> tuple[str | None, str | None, str | None]:
    """The readings the dictionary word's own flags favour: (marked, long, common), each
    None when the flag is off."""
    phrase, word = votes.phrase, votes.word
    marked = phrase if phrase != votes.default else None
    long = phrase if word and word[1] - word[0] >= 3 else None
    return marked, long, marked if votes.common else None


def feature_rows(votes: Votes, g2pm_floor: float | None = None) -> list[tuple[float, ...]]:
    """Per candidate reading, the evidence in FEATURES order (g2pM's log-probability no
    lower than ``g2pm_floor``, by default the shipped floor). ``decide`` scores the same
    evidence in a loop of its own (it runs once per polyphone: twice as fast as this)."""
    floor = g2pm_floor if g2pm_floor is not None else g2pm_floor_shipped()
    sure = _sure(votes)
    marked, long, common = _word_flags(votes)
    context = context_scores(votes)
    return [
        (
            max(votes.g2pm.get(c, FLOOR), floor) if votes.g2pm else 0.0,
            context.get(c, FLOOR) if context else 0.0,
            1.0 if votes.phrase == c else 0.0,
            1.0 if votes.default == c else 0.0,
            votes.prior.get(c, FLOOR) if votes.prior else 0.0,
            1.0 if sure == c else 0.0,
            1.0 if marked == c else 0.0,
            1.0 if long == c else 0.0,
            1.0 if votes.pattern == c else 0.0,
            1.0 if common == c else 0.0,
        )
        for c in votes.candidates
    ]


def feature_matrix(votes: Votes, g2pm_floor: float | None = None) -> np.ndarray:
    """[candidates, FEATURES] evidence for each candidate reading."""
    return np.array(feature_rows(votes, g2pm_floor), np.float32)


@cache
def _shipped() -> dict:
    return json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))


@cache
def g2pm_floor_shipped() -> float:
    """The floor under g2pM's log-probabilities the shipped weights were fit with."""
    return float(_shipped().get("g2pm_floor", G2PM_FLOORS[0]))


@cache
def _weights(group: str) -> tuple[float, ...]:
    table = _shipped()["weights"][group]
    # plain floats: fast arithmetic; the pattern's and the common word's weights are fixed
    return tuple(FIXED.get(name, float(table.get(name, 0.0))) for name in FEATURES)


@cache
def _char_weights(char: str | None) -> tuple[float, ...]:
    """The context group's weights with ``char``'s own corrections added."""
    shared = _weights("context")
    found = _shipped().get("per_char", {}).get(char)
    if not found:
        return shared
    return tuple(w + float(found.get(name, 0.0)) for w, name in zip(shared, FEATURES, strict=True))


@cache
def priors() -> dict[str, dict[str, float]]:
    """Log natural frequency of each reading of the characters the context model knows."""
    return {
        char: {reading: math.log(p) for reading, p in table.items()}
        for char, table in _shipped()["prior"].items()
    }


def decide(votes: Votes, w=None) -> tuple[str, float]:
    """The best reading and its probability under the combined score."""
    if w is None:
        w = _char_weights(votes.char) if votes.context is not None else _weights("plain")
    (
        w_g2pm,
        w_context,
        w_phrase,
        w_default,
        w_prior,
        w_sure,
        w_marked,
        w_long,
        w_pattern,
        w_common,
    ) = w
    g2pm, context, prior = votes.g2pm, context_scores(votes), votes.prior
    sure = _sure(votes) if w_sure else None
    phrase, default, pattern = votes.phrase, votes.default, votes.pattern
    marked, long, common = _word_flags(votes)
    floor = g2pm_floor_shipped()
    scores = []
    for c in votes.candidates:
        score = 0.0
        if g2pm:
            score += w_g2pm * max(g2pm.get(c, FLOOR), floor)
        if context:
            score += w_context * context.get(c, FLOOR)
        if prior:
            score += w_prior * prior.get(c, FLOOR)
        if phrase == c:
            score += w_phrase
        if default == c:
            score += w_default
        if sure == c:
            score += w_sure
        if marked == c:
            score += w_marked
        if long == c:
            score += w_long
        if pattern == c:
            score += w_pattern
        if common == c:
            score += w_common
        scores.append(score)
    top = max(scores)
    best = scores.index(top)
    return votes.candidates[best], 1.0 / sum(math.exp(s - top) for s in scores)
