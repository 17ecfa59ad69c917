"""The context model: per polyphone, a logistic regression over the characters around it.

Trained on the g2pL train set by ``tools/train_polyphone.py`` and shipped in
``speak/readings/data/context_model.npz``. Inputs are Simplified texts.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np

from speak.readings.phrases import Segmented

MODEL_PATH = Path(__file__).with_name("data") / "context_model.npz"


def features(text: str, i: int, words: Segmented) -> list[str]:
    """The context features of position ``i`` of a Simplified text cut into ``words``."""
    padded = "^^^" + text + "$$$"
    j = i + 3
    left, right = padded[j - 3 : j], padded[j + 1 : j + 4]
    before, after = words.neighbours(i)
    word = words.word_at(i)
    found = [
        "b",  # bias
        "l1" + left[2],
        "l2" + left[1],
        "l3" + left[0],
        "r1" + right[0],
        "r2" + right[1],
        "r3" + right[2],
        "lb" + left[1:],
        "rb" + right[:2],
        "lr" + left[2] + right[0],
        "lt" + left,
        "rt" + right,
        "pw" + before,
        "nw" + after,
        "cw" + word,
    ]
    lo, hi = text[max(0, i - 6) : i], text[i + 1 : i + 7]
    found.extend(["w" + c for c in set(lo + hi)])
    found.extend(["lw" + c for c in set(lo)])
    found.extend(["rw" + c for c in set(hi)])
    if len(word) > 1:
        found.append("p" + word)
    return found


class ContextModel:
    """Weights per character: feature → row of class scores."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        data = np.load(path, allow_pickle=False)
        chars = data["chars"]
        classes = data["classes"]
        offsets = data["offsets"]
        names = data["features"]
        weights = data["weights"].astype(np.float32)
        self.classes: dict[str, tuple[str, ...]] = {}
        self.weights: dict[str, dict[str, int]] = {}  # feature → row of matrices[char]
        self.matrices: dict[str, np.ndarray] = {}  # [features + 1, classes]; last row zero
        for k, char in enumerate(chars.tolist()):
            labels = tuple(x for x in classes[k].tolist() if x)
            self.classes[char] = labels
            lo, hi = int(offsets[k]), int(offsets[k + 1])
            n = len(labels)
            self.weights[char] = {name: row for row, name in enumerate(names[lo:hi].tolist())}
            self.matrices[char] = np.vstack([weights[lo:hi, :n], np.zeros((1, n), np.float32)])

    def knows(self, char: str) -> bool:
        return char in self.weights

    def log_probs_many(self, char: str, queries: list[list[str]]) -> list[dict[str, float]]:
        """``log_probs`` for many contexts of one character at once."""
        get = self.weights[char].get
        matrix = self.matrices[char]
        blank = len(matrix) - 1
        index = [get(f, blank) for feats in queries for f in feats]
        starts = np.cumsum([0, *map(len, queries)])[:-1]
        scores = np.add.reduceat(matrix[index], starts, axis=0)  # [queries, classes]
        scores -= scores.max(axis=1, keepdims=True)
        scores -= np.log(np.exp(scores).sum(axis=1, keepdims=True))
        labels = self.classes[char]
        return [dict(zip(labels, row, strict=True)) for row in scores.tolist()]

    def log_probs(self, char: str, feats: list[str]) -> dict[str, float]:
        """log P(reading | context) for each reading the model learnt for ``char``."""
        table = self.weights[char]
        matrix = self.matrices[char]
        blank = len(matrix) - 1
        score = matrix[[table.get(f, blank) for f in feats]].sum(axis=0).tolist()
        top = max(score)
        log_z = top + math.log(sum(math.exp(s - top) for s in score))
        return {label: s - log_z for label, s in zip(self.classes[char], score, strict=False)}


@cache
def context_model() -> ContextModel:
    """The shipped model, loaded once."""
    return ContextModel()
