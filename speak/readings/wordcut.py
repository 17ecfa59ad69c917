"""The dictionary word that holds a character, checked against a second word cut.

pypinyin cuts by forward maximum matching, which glues a character to the wrong neighbour
(去过|重庆 is cut 去|过重|庆; 为|人民|服务 is cut 为人|民|服务), and then reads it by that
wrong word (重 zhòng in 过重, 为 wéi in 为人). jieba's cut (the most probable path through its
word list, speak.zh.words) is right in such places: where pypinyin's word crosses one of
jieba's word boundaries and the dictionary lists jieba's word, jieba's word gives the
reading. On g2pL train that changes the dictionary's vote in 291 places: 2 right ones
become wrong, 171 wrong ones right. Where jieba's word is not listed, pypinyin's word
still votes (it is right three times in four there), but it does not count as a word for
the sentence patterns (为|人民 is a pattern, not 为人).
"""

from __future__ import annotations

from speak.zh.words import Segmented, phrase_readings, word_ids


def _span(ids: tuple[int, ...], i: int) -> tuple[int, int]:
    """(start, end) of the word holding position ``i`` given per-character word ids."""
    start = end = i
    while start > 0 and ids[start - 1] == ids[i]:
        start -= 1
    while end + 1 < len(ids) and ids[end + 1] == ids[i]:
        end += 1
    return start, end + 1


class CheckedWords:
    """Per text: the dictionary reading at a position, after the two cuts are compared."""

    def __init__(self, simplified: str, cut: Segmented) -> None:
        self.text = simplified
        self.cut = cut
        self._jieba: tuple[int, ...] | None = None

    def jieba_span(self, i: int) -> tuple[int, int]:
        if self._jieba is None:
            self._jieba = word_ids(self.text)
        return _span(self._jieba, i)

    def _agrees(self, i: int) -> bool:
        """Whether pypinyin's dictionary word at ``i`` lies inside jieba's word."""
        start, end = self.jieba_span(i)
        k = self.cut.word_of[i]
        lo = self.cut.word_of.index(k)
        return start <= lo and lo + len(self.cut.words[k]) <= end

    def in_word(self, i: int) -> bool:
        """Whether position ``i`` is inside a dictionary word that both cuts allow (one of
        pypinyin's inside jieba's word, or jieba's own when the dictionary lists it)."""
        if self.cut.readings[i] is not None and self._agrees(i):
            return True
        start, end = self.jieba_span(i)
        return end - start > 1 and phrase_readings(self.text[start:end]) is not None

    def word(self, i: int) -> tuple[str, tuple[int, int]] | None:
        """(reading, (start, end) of the dictionary word that gives it) for position ``i``;
        None when no dictionary word holds it."""
        mine = self.cut.readings[i]
        if mine is not None and self._agrees(i):
            return mine, self.cut.dictionary_span(i)  # type: ignore[return-value]
        start, end = self.jieba_span(i)
        if end - start > 1:
            found = phrase_readings(self.text[start:end])
            if found:
                return found[i - start], (start, end)
        if mine is not None:
            return mine, self.cut.dictionary_span(i)  # type: ignore[return-value]
        return None

    def reading(self, i: int) -> str | None:
        """The dictionary word's reading of position ``i`` (None: in no dictionary word)."""
        found = self.word(i)
        return found[0] if found else None
