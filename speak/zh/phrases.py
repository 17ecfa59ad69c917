"""pypinyin's segmentation and phrase dictionary over a Simplified text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pypinyin.constants import PHRASES_DICT
from pypinyin.seg.simpleseg import seg

from speak.zh.chars import tone3


@cache
def _phrase(word: str) -> tuple[str, ...] | None:
    found = PHRASES_DICT.get(word)
    if not found or len(found) != len(word):
        return None
    return tuple(tone3(item[0]) for item in found)


@dataclass(frozen=True)
class Segmented:
    """A Simplified text cut into words (pypinyin's cut), and the dictionary's readings."""

    words: tuple[str, ...]
    word_of: tuple[int, ...]  # per char: index into words
    readings: tuple[str | None, ...]  # per char: reading in a dictionary word of 2+ chars
    starts: tuple[int, ...] = ()  # per word: offset of its first char

    def word_at(self, i: int) -> str:
        return self.words[self.word_of[i]]

    def dictionary_span(self, i: int) -> tuple[int, int] | None:
        """(start, end) of the dictionary word of 2+ chars that gave char ``i`` a reading."""
        if self.readings[i] is None:
            return None
        k = self.word_of[i]
        start = self.starts[k]
        return start, start + len(self.words[k])

    def neighbours(self, i: int) -> tuple[str, str]:
        """The words before and after the word at ``i`` (``^``/``$`` at the ends)."""
        k = self.word_of[i]
        before = self.words[k - 1] if k > 0 else "^"
        after = self.words[k + 1] if k + 1 < len(self.words) else "$"
        return before, after


def segment(simplified: str) -> Segmented:
    """Cut a Simplified text as pypinyin does; note the readings its phrase dictionary gives."""
    words = tuple(seg(simplified))
    word_of: list[int] = []
    readings: list[str | None] = []
    starts: list[int] = []
    for k, word in enumerate(words):
        n = len(word)
        starts.append(len(word_of))
        if n == 1:
            word_of.append(k)
            readings.append(None)
            continue
        word_of.extend([k] * n)
        found = _phrase(word)
        readings.extend(found if found else [None] * n)
    return Segmented(words, tuple(word_of), tuple(readings), tuple(starts))
