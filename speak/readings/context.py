"""The context model: per polyphone, a logistic regression over the characters around it.

Trained on the g2pL train set by ``tools/train_polyphone.py`` and shipped in
``speak/readings/data/context_model.npz``. Inputs are Simplified texts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from speak.zh.words import Segmented

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


# How a feature kind's value is keyed: 0 none (the bias), 1-3 that many characters, 4 a word.
_WIDTH = {kind: 1 for kind in ("l1", "l2", "l3", "r1", "r2", "r3", "w", "lw", "rw")}
_WIDTH |= {"b": 0, "lb": 2, "rb": 2, "lr": 2, "lt": 3, "rt": 3, "pw": 4, "nw": 4, "cw": 4, "p": 4}
_PAD = 6  # characters of padding around each text of a Batch ("^" before, "$" after)


@dataclass(frozen=True)
class Batch:
    """Simplified texts with their characters as ids, laid end to end, each padded."""

    texts: list[str]
    segmented: list[Segmented]
    ids: np.ndarray  # per char of the padded texts: its id (unknown chars share one)
    starts: list[int]  # per text: where its first character is in ``ids``


class ContextModel:
    """Weights per character: feature → row of class scores.

    A feature is keyed by one integer (its kind and its value's character or word ids), so
    the features of many contexts are looked up at once, in numpy.
    """

    def __init__(self, path: Path = MODEL_PATH) -> None:
        data = np.load(path, allow_pickle=False)
        chars = data["chars"].tolist()
        classes = data["classes"]
        offsets = data["offsets"]
        self._features = data["features"]
        self._offsets = offsets
        weights = data["weights"].astype(np.float32)
        self.classes: dict[str, tuple[str, ...]] = {}
        self.matrices: dict[str, np.ndarray] = {}  # [features + 1, classes]; last row zero
        for k, char in enumerate(chars):
            labels = tuple(x for x in classes[k].tolist() if x)
            self.classes[char] = labels
            lo, hi = int(offsets[k]), int(offsets[k + 1])
            n = len(labels)
            self.matrices[char] = np.vstack([weights[lo:hi, :n], np.zeros((1, n), np.float32)])
        self._weights: dict[str, dict[str, int]] = {}
        # The names as code points, [features, longest name], zero after each name's end.
        points = self._features.view(np.uint32).reshape(len(self._features), -1)
        # Character ids: every character of a feature name; one more id for any other char.
        known = np.unique(points[points != 0])
        self._lut = np.full(0x110000, len(known), np.int64)
        self._lut[known] = np.arange(len(known))
        self._radix = len(known) + 1
        self._span = max(self._radix**3, 1 << 24)  # keys of one kind: kind id * span + value
        self._kind_id = {kind: n for n, kind in enumerate(_KINDS)}
        self._word_id: dict[str, int] = {}  # from 1: id 0 is any word no feature names
        self._tables = self._key_tables(chars, points)

    @property
    def weights(self) -> dict[str, dict[str, int]]:
        """Per char: feature → row of matrices[char] (built on first use)."""
        if not self._weights:
            names = self._features.tolist()
            bounds = self._offsets.tolist()
            self._weights = {
                char: {name: row for row, name in enumerate(names[lo:hi])}
                for char, lo, hi in zip(self.classes, bounds, bounds[1:], strict=False)
            }
        return self._weights

    def knows(self, char: str) -> bool:
        return char in self.matrices

    def _key_tables(
        self, chars: list[str], points: np.ndarray
    ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Per char: its feature keys, sorted, and their weight rows.

        A name is read both as a two-letter kind + value and as a one-letter kind + value
        (the later name wins a key two names share)."""
        length = (points != 0).sum(axis=1)
        first, second = points[:, 0].astype(np.int64), points[:, 1].astype(np.int64)
        ids = self._lut[points]
        keys, order = [], []
        for kind, kind_id in self._kind_id.items():
            if len(kind) == 2:
                match = (first == ord(kind[0])) & (second == ord(kind[1]))
                starts = [(match, 2)]
            else:  # name[:2] is a one-letter kind only when the name is that one letter
                is_kind = first == ord(kind)
                starts = [(is_kind & (length == 1), 2), (is_kind, 1)]
            width = _WIDTH[kind]
            for match, start in starts:
                if width == 4:
                    rows = np.flatnonzero(match)
                    names = self._features[rows].tolist()
                    word_id = self._word_id
                    code = np.array(
                        [word_id.setdefault(name[start:], len(word_id) + 1) for name in names],
                        np.int64,
                    )
                else:
                    rows = np.flatnonzero(match & (length == start + width))
                    code = np.zeros(len(rows), np.int64)
                    for col in range(start, start + width):
                        code = code * self._radix + ids[rows, col]
                keys.append(kind_id * self._span + code)
                order.append(rows * 2 + (start == 1))  # per name: two-letter reading first
        key, seq = np.concatenate(keys), np.concatenate(order)
        row = seq // 2
        owner = np.searchsorted(self._offsets, row, side="right") - 1  # the char of each row
        sort = np.lexsort((seq, key, owner))
        key, row, owner = key[sort], row[sort], owner[sort]
        last = np.ones(len(key), bool)  # the last of each run of equal (char, key)
        last[:-1] = (key[1:] != key[:-1]) | (owner[1:] != owner[:-1])
        key, row, owner = key[last], row[last] - self._offsets[owner], owner[last]
        bounds = np.searchsorted(owner, np.arange(len(chars) + 1))
        return {
            char: (key[lo:hi], row[lo:hi])
            for char, lo, hi in zip(chars, bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
        }

    def batch(self, texts: list[str], segmented: list[Segmented]) -> Batch:
        """Simplified texts (cut into words) ready for ``log_probs_at``."""
        pad_left, pad_right = "^" * _PAD, "$" * _PAD
        starts, at = [], _PAD
        for text in texts:
            starts.append(at)
            at += len(text) + 2 * _PAD
        joined = "".join(pad_left + text + pad_right for text in texts)
        return Batch(texts, segmented, self._lut[_code_points(joined)], starts)

    def log_probs_at(
        self, char: str, batch: Batch, places: list[tuple[int, int]]
    ) -> list[dict[str, float]]:
        """``log_probs`` of ``char`` at each (text, position) of ``batch``."""
        keys, rows = self._tables[char]
        span, radix = self._span, self._radix
        kind = self._kind_id
        texts, segmented = batch.texts, batch.segmented
        word_id = self._word_id.get
        where, inside, length = [], [], []
        words: list[int] = []
        for k, i in places:
            seg = segmented[k]
            n = seg.word_of[i]
            all_words = seg.words
            word = all_words[n]
            before = all_words[n - 1] if n > 0 else "^"
            after = all_words[n + 1] if n + 1 < len(all_words) else "$"
            ids = (word_id(before, 0), word_id(after, 0), word_id(word, 0))
            words.extend((*ids, ids[2] if len(word) > 1 else -1))
            where.append(batch.starts[k] + i)
            inside.append(i)
            length.append(len(texts[k]))
        at = np.array(where)
        c = batch.ids[at[:, None] + np.arange(-_PAD, _PAD + 1)]  # [queries, 13]; 6: the char
        l3, l2, l1, r1, r2, r3 = c[:, 3], c[:, 4], c[:, 5], c[:, 7], c[:, 8], c[:, 9]
        found = np.empty((len(places), 40), np.int64)
        found[:, 0] = kind["b"] * span
        for n, (name, code) in enumerate(
            (
                ("l1", l1),
                ("l2", l2),
                ("l3", l3),
                ("r1", r1),
                ("r2", r2),
                ("r3", r3),
                ("lb", l2 * radix + l1),
                ("rb", r1 * radix + r2),
                ("lr", l1 * radix + r1),
                ("lt", (l3 * radix + l2) * radix + l1),
                ("rt", (r1 * radix + r2) * radix + r3),
            ),
            start=1,
        ):
            found[:, n] = kind[name] * span + code
        word_codes = np.array(words, np.int64).reshape(-1, 4)
        for n, name in enumerate(("pw", "nw", "cw", "p"), start=12):
            code = word_codes[:, n - 12]
            found[:, n] = np.where(code >= 0, kind[name] * span + code, -1)
        # The characters within six of the target, inside the text, each counted once.
        offset = np.arange(1, _PAD + 1)
        lo = np.where(offset[::-1] <= np.array(inside)[:, None], c[:, :_PAD], -1)
        hi = np.where(offset + np.array(inside)[:, None] < np.array(length)[:, None], c[:, 7:], -1)
        for name, near, col in (("w", np.hstack([lo, hi]), 16), ("lw", lo, 28), ("rw", hi, 34)):
            near = np.sort(near, axis=1)
            near[:, 1:][near[:, 1:] == near[:, :-1]] = -1
            found[:, col : col + near.shape[1]] = np.where(near >= 0, kind[name] * span + near, -1)
        spot = np.searchsorted(keys, found).clip(max=len(keys) - 1)
        matrix = self.matrices[char]
        index = np.where(keys[spot] == found, rows[spot], len(matrix) - 1)
        scores = matrix[index].sum(axis=1)  # [queries, classes]
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


def _code_points(text: str) -> np.ndarray:
    """The code points of ``text`` (lone surrogates too)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)


@cache
def context_model() -> ContextModel:
    """The shipped model, loaded once."""
    return ContextModel()
