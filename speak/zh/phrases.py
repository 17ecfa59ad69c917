"""pypinyin's segmentation and phrase dictionary over a Simplified text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pypinyin.constants import PHRASES_DICT
from pypinyin.seg.simpleseg import seg

from speak.zh.chars import is_han, to_simplified, tone3


@cache
def _phrase(word: str) -> tuple[str, ...] | None:
    found = PHRASES_DICT.get(word)
    if not found or len(found) != len(word):
        return None
    return tuple(tone3(item[0]) for item in found)


def phrase_readings(word: str) -> tuple[str, ...] | None:
    """The phrase dictionary's reading of each character of ``word`` (None: not listed)."""
    return _phrase(word)


@dataclass(frozen=True)
class Segmented:
    """A Simplified text cut into words (pypinyin's cut), and the dictionary's readings."""

    words: tuple[str, ...]
    word_of: tuple[int, ...]  # per char: index into words
    readings: tuple[str | None, ...]  # per char: reading in a dictionary word of 2+ chars

    def word_at(self, i: int) -> str:
        return self.words[self.word_of[i]]

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
    for k, word in enumerate(words):
        n = len(word)
        if n == 1:
            word_of.append(k)
            readings.append(None)
            continue
        word_of.extend([k] * n)
        found = _phrase(word)
        readings.extend(found if found else [None] * n)
    return Segmented(words, tuple(word_of), tuple(readings))


MAX_RUN = 200  # Han characters before ``offset`` looked at to find its word
LONGEST_WORD = 10  # characters after it: pypinyin's longest words have 10


def dictionary_word(text: str, offset: int) -> tuple[int, int] | None:
    """(start, end) in ``text`` of the dictionary word of 2+ characters holding ``offset``.

    pypinyin cuts each run of Han characters on its own, from its start (forward maximum
    matching), so cutting the run from its start finds the same word the reader used."""
    lo = offset
    while lo > max(0, offset - MAX_RUN) and is_han(text[lo - 1]):
        lo -= 1
    hi = offset + 1
    while hi < min(len(text), offset + LONGEST_WORD) and is_han(text[hi]):
        hi += 1
    cut = segment(to_simplified(text[lo:hi]))
    i = offset - lo
    if cut.readings[i] is None:
        return None
    k = cut.word_of[i]
    start = lo + cut.word_of.index(k)
    return start, start + len(cut.words[k])
