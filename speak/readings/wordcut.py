"""The dictionary word that holds a character, checked against a second word cut.

pypinyin cuts by forward maximum matching, which glues a character to the wrong neighbour
(去过|重庆 is cut 去|过重|庆; 为|人民|服务 is cut 为人|民|服务), and then reads it by that
wrong word (重 zhòng in 过重, 为 wéi in 为人). jieba's cut (the most probable path through its
word list, speak.zh.words) is right in such places: where pypinyin's word breaks one of
jieba's words and the dictionary lists jieba's word, jieba's word gives the reading. On
g2pL train that changes the dictionary's vote in 161 places: 2 right ones become wrong,
159 wrong ones right. A pypinyin word made of whole jieba words breaks none (和泥, where
jieba's list has no word and cuts 和|泥): both cuts agree on it. Where jieba's word is not
listed, pypinyin's word still votes (it is right three times in four there), but it does
not count as a word for the sentence patterns (为|人民 is a pattern, not 为人).

A word both cuts agree on that names nobody and nothing is a *common word*: its reading is
the standard one in every text (会计 kuài, 暖和 huo, 结实 jiē, 和面 huó). The combiner gives
such a word's own reading a fixed weight above the models' (speak.readings.combine), which
learned from encyclopaedia sentences and are sure and wrong on everyday words they rarely
saw there. How often jieba's corpus has the word does not matter: requiring 50 (as speak
did before) left out everyday words the corpus lacks (和面, 落色) and read one everyday dev
row fewer.
"""

from __future__ import annotations

from speak.zh.han import is_han
from speak.zh.words import Segmented, cut_cost, is_name, phrase_readings, run_lengths

# How many nats less probable jieba's best cut may be when it keeps pypinyin's word whole
# for the two cuts still to agree on it (我|校对 against 我校|对: 1.6; 也|似的 against
# 飞也似|的: 1.4; not 开|心地 against 开心|地: 2.3, nor 去|过重|庆: 7.6). Chosen on the
# everyday set's dev half: the smallest of 0, 0.5 … 4 that reads the most of its rows.
CUT_MARGIN = 2.0


class CheckedWords:
    """Per text: the dictionary reading at a position, after the two cuts are compared."""

    def __init__(self, simplified: str, cut: Segmented) -> None:
        self.text = simplified
        self.cut = cut
        self._spans: dict[int, tuple[int, int]] = {}  # position → jieba's word, once cut
        self._words: dict[int, tuple[str, tuple[int, int], bool] | None] = {}  # word(), once

    def jieba_span(self, i: int) -> tuple[int, int]:
        """(start, end) of jieba's word holding position ``i`` (only its Han run is cut)."""
        found = self._spans.get(i)
        if found is not None:
            return found
        text = self.text
        if not is_han(text[i]):
            return i, i + 1
        lo, hi = self._run(i)
        start = lo
        for n in run_lengths(text[lo:hi]):
            for k in range(start, start + n):
                self._spans[k] = (start, start + n)
            start += n
        return self._spans[i]

    def _run(self, i: int) -> tuple[int, int]:
        """(start, end) of the run of Han characters holding position ``i``."""
        text = self.text
        lo, hi = i, i + 1
        while lo > 0 and is_han(text[lo - 1]):
            lo -= 1
        while hi < len(text) and is_han(text[hi]):
            hi += 1
        return lo, hi

    def _agrees(self, i: int) -> bool:
        """Whether pypinyin's dictionary word at ``i`` breaks none of jieba's words: it lies
        inside jieba's word, or is made of whole ones (和泥, where jieba's list has neither
        word and cuts 和|泥; not 和面 in 和|面包), or jieba's list has it too and a cut that
        keeps it whole is within CUT_MARGIN of jieba's best (我|校对 against 我校|对)."""
        start, end = self.jieba_span(i)
        lo, hi = self.cut.dictionary_span(i)  # type: ignore[misc]
        if start <= lo and hi <= end:
            return True
        if self.jieba_span(lo)[0] == lo and self.jieba_span(hi - 1)[1] == hi:
            return True
        run_start, run_end = self._run(lo)
        cost = cut_cost(self.text[run_start:run_end], lo - run_start, hi - run_start)
        return cost is not None and cost <= CUT_MARGIN

    def in_word(self, i: int) -> bool:
        """Whether position ``i`` is inside a dictionary word that both cuts allow (one of
        pypinyin's that breaks none of jieba's words, or jieba's own when the dictionary
        lists it)."""
        found = self.word(i)
        return found is not None and found[2]

    def word(self, i: int) -> tuple[str, tuple[int, int], bool] | None:
        """(reading, (start, end) of the dictionary word that gives it, whether both cuts
        allow that word) for position ``i``; None when no dictionary word holds it."""
        if i not in self._words:
            self._words[i] = self._word(i)
        return self._words[i]

    def _word(self, i: int) -> tuple[str, tuple[int, int], bool] | None:
        mine = self.cut.readings[i]
        if mine is not None and self._agrees(i):
            return mine, self.cut.dictionary_span(i), True  # type: ignore[return-value]
        start, end = self.jieba_span(i)
        if end - start > 1:
            found = phrase_readings(self.text[start:end])
            if found:
                return found[i - start], (start, end), True
        if mine is not None:
            return mine, self.cut.dictionary_span(i), False  # type: ignore[return-value]
        return None

    def common_word(self, i: int) -> tuple[str, tuple[int, int], bool] | None:
        """``word``, with whether it is a common word (see the module's docstring) in place
        of whether both cuts allow it."""
        found = self.word(i)
        if not found:
            return None
        reading, (start, end), agreed = found
        if not agreed:
            return found
        return reading, (start, end), not is_name(self.text[start:end])
