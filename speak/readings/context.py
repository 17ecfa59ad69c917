"""The context model: per polyphone, a logistic regression over the characters around it.

Trained on the g2pL train set by ``tools/train_polyphone.py`` and shipped in
``speak/readings/data/context_model.npz``. Inputs are Simplified texts.
"""

from __future__ import annotations

import math
from functools import cache
from itertools import repeat
from pathlib import Path

import numpy as np

from speak.readings.phrases import Segmented

MODEL_PATH = Path(__file__).with_name("data") / "context_model.npz"


def neighbourhood(text: str, i: int, words: Segmented) -> tuple[str, str, str, str, str]:
    """Three characters left and right of ``i`` (padded), its word, the words around it."""
    if i >= 3 and i + 4 <= len(text):  # the common case: no padding needed
        left, right = text[i - 3 : i], text[i + 1 : i + 4]
    else:
        padded = "^^^" + text + "$$$"
        left, right = padded[i : i + 3], padded[i + 4 : i + 7]
    k = words.word_of[i]
    all_words = words.words
    before = all_words[k - 1] if k > 0 else "^"
    after = all_words[k + 1] if k + 1 < len(all_words) else "$"
    return left, right, all_words[k], before, after


def features(text: str, i: int, words: Segmented) -> list[str]:
    """The context features of position ``i`` of a Simplified text cut into ``words``."""
    left, right, word, before, after = neighbourhood(text, i, words)
    l1, r1 = left[2], right[0]
    found = [
        "b",  # bias
        "l1" + l1,
        "l2" + left[1],
        "l3" + left[0],
        "r1" + r1,
        "r2" + right[1],
        "r3" + right[2],
        "lb" + left[1:],
        "rb" + right[:2],
        "lr" + l1 + r1,
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


# The feature kinds ``features`` builds, by name prefix.
_KINDS = ("b", "l1", "l2", "l3", "r1", "r2", "r3", "lb", "rb", "lr", "lt", "rt", "pw", "nw", "cw")
_KINDS += ("w", "lw", "rw", "p")


class ContextModel:
    """Weights per character: feature → row of class scores."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        data = np.load(path, allow_pickle=False)
        chars = data["chars"]
        classes = data["classes"]
        offsets = data["offsets"]
        names = data["features"].tolist()
        weights = data["weights"].astype(np.float32)
        self.classes: dict[str, tuple[str, ...]] = {}
        self.matrices: dict[str, np.ndarray] = {}  # [features + 1, classes]; last row zero
        # Per char, per feature kind (the name's one- or two-letter prefix): the rest of the
        # name → row, so contexts are looked up without building the feature strings.
        self._kinds: dict[str, dict[str, dict[str, int]]] = {}
        self._names: dict[str, list[str]] = {}
        for k, char in enumerate(chars.tolist()):
            labels = tuple(x for x in classes[k].tolist() if x)
            self.classes[char] = labels
            lo, hi = int(offsets[k]), int(offsets[k + 1])
            n = len(labels)
            self._names[char] = names[lo:hi]
            kinds: dict[str, dict[str, int]] = {kind: {} for kind in _KINDS}
            for row, name in enumerate(names[lo:hi]):
                two = kinds.get(name[:2])
                if two is not None:
                    two[name[2:]] = row
                one = kinds.get(name[:1])
                if one is not None:
                    one[name[1:]] = row
            self._kinds[char] = kinds
            self.matrices[char] = np.vstack([weights[lo:hi, :n], np.zeros((1, n), np.float32)])
        self._weights: dict[str, dict[str, int]] = {}

    @property
    def weights(self) -> dict[str, dict[str, int]]:
        """Per char: feature → row of matrices[char] (built on first use)."""
        if len(self._weights) != len(self._names):
            self._weights = {
                char: {name: row for row, name in enumerate(names)}
                for char, names in self._names.items()
            }
        return self._weights

    def knows(self, char: str) -> bool:
        return char in self.matrices

    def rows_at(self, char: str, text: str, i: int, words: Segmented) -> list[int]:
        """``rows(char, features(text, i, words))``, without building the feature strings."""
        left, right, word, before, after = neighbourhood(text, i, words)
        kinds = self._kinds[char]
        blank = len(self.matrices[char]) - 1
        l1, r1 = left[2], right[0]
        found = [
            kinds["b"].get("", blank),
            kinds["l1"].get(l1, blank),
            kinds["l2"].get(left[1], blank),
            kinds["l3"].get(left[0], blank),
            kinds["r1"].get(r1, blank),
            kinds["r2"].get(right[1], blank),
            kinds["r3"].get(right[2], blank),
            kinds["lb"].get(left[1:], blank),
            kinds["rb"].get(right[:2], blank),
            kinds["lr"].get(l1 + r1, blank),
            kinds["lt"].get(left, blank),
            kinds["rt"].get(right, blank),
            kinds["pw"].get(before, blank),
            kinds["nw"].get(after, blank),
            kinds["cw"].get(word, blank),
        ]
        lo, hi = text[max(0, i - 6) : i], text[i + 1 : i + 7]
        near = set(lo + hi)
        found.extend(map(kinds["w"].get, near, repeat(blank, len(near))))
        near = set(lo)
        found.extend(map(kinds["lw"].get, near, repeat(blank, len(near))))
        near = set(hi)
        found.extend(map(kinds["rw"].get, near, repeat(blank, len(near))))
        if len(word) > 1:
            found.append(kinds["p"].get(word, blank))
        return found

    def rows(self, char: str, feats: list[str]) -> list[int]:
        """The weight rows of ``char``'s features (a row of zeros for an unknown one)."""
        blank = len(self.matrices[char]) - 1
        return list(map(self.weights[char].get, feats, repeat(blank, len(feats))))

    def log_probs_many(self, char: str, queries: list[list[str]]) -> list[dict[str, float]]:
        """``log_probs`` for many contexts of one character at once."""
        index = [row for feats in queries for row in self.rows(char, feats)]
        return self.log_probs_rows(char, index, list(map(len, queries)))

    def log_probs_rows(self, char: str, index, sizes: list[int]) -> list[dict[str, float]]:
        """``log_probs_many`` given the queries' weight rows (``rows``) laid end to end."""
        matrix = self.matrices[char]
        starts = np.cumsum([0, *sizes])[:-1]
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
