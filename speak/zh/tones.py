"""Tones of 一 and 不: citation tones for the page, spoken tones for the voice.

The page shows every syllable as 《现代汉语词典》 heads it: 一 yī, 不 bù (``citation``); what is
said changes with the next syllable (``spoken_tones``):

- 一 before a fourth tone is yí (一個, 進一步), before the other tones yì (一起, 一批, 一百);
- 一 stays yī where it is a number said for itself: digits and years (二〇二一), ordinals
  (第一, 一季度, 一流, 一級), enumerations (一是), months and days (一月, 十二月一日),
  decimals (一點五), the end of a number (十一, 二十一個) or of a word (統一, 之一), before
  至/比 in ranges and ratios;
- 一 between a repeated verb (看一看) and 不 between a repeated word (好不好) are neutral;
- 不 before a fourth tone is bú (不是, 不要), otherwise bù.

Third-tone sandhi (``third=True``, for the voice only): inside a word (as jieba cuts it) every
third tone before another third tone is said as a second (你好 ní hǎo, 展覽館 zhán lán guǎn).
It is sent explicitly because eSpeak makes none at all (你好 comes out 214 214 from characters
and from pinyin alike) while neural engines, which read characters, make it anyway; across
words it is left alone, since there it depends on phrasing a word cut cannot see. The page
(``--tones spoken``) shows only the 一/不 changes, as textbooks print them. Pure functions.
"""

from __future__ import annotations

from collections.abc import Sequence

from speak.zh.han import is_han
from speak.zh.script import to_simplified
from speak.zh.words import is_listed, word_ids

YI, BU = "一", "不"
CITATION = {YI: "yi1", BU: "bu4"}
DIGIT_WORDS = frozenset("〇零一二三四五六七八九十兩两")
PLACE_UNITS = frozenset("百千萬万億亿")  # 一 before these is a counted "one": yì bǎi, yí wàn
NUMBER_WORDS = DIGIT_WORDS | PLACE_UNITS | frozenset("點点第")
DATE_AFTER = frozenset("月號号")  # 一月, 一號
KEPT_BEFORE = frozenset("至比")  # 一至十, 一比一
RANKS = ("季度", "線", "线", "流", "等", "級", "级", "審", "审", "樓", "楼")  # 一季度: the first


def citation(char: str, pinyin: str) -> str:
    """The reading a dictionary heads: 一 yi2/yi4/yi5 → yi1, 不 bu2/bu5 → bu4; others as given."""
    head = CITATION.get(char)
    if head is None or pinyin[:-1] != head[:-1]:
        return pinyin
    return head


def _tone(reading: str | None) -> str:
    return reading[-1] if reading and reading[-1] in "12345" else ""


def _yi_kept(text: str, i: int) -> bool:
    """Whether 一 at ``i`` (followed by a Han character) is said yī, a number for itself."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1]
    after2 = text[i + 2] if i + 2 < len(text) else ""
    if after in PLACE_UNITS:
        return False
    if before in NUMBER_WORDS or (after in DIGIT_WORDS - {"兩", "两"}) or after in DATE_AFTER:
        return True
    if after in "點点" and after2 in DIGIT_WORDS:  # 一點五
        return True
    if after in KEPT_BEFORE or (before == "月" and after in "日號号"):
        return True
    if text.startswith(RANKS, i + 1):
        return True
    if after == "是" and not ("\u4e00" <= before <= "\u9fff"):  # 一是…, 二是…
        return True
    pair_before = to_simplified(before + YI) if before else ""
    pair_after = to_simplified(YI + after)
    return bool(pair_before) and is_listed(pair_before) and not is_listed(pair_after)


def third_tone_sandhi(text: str, readings: Sequence[str | None]) -> list[str | None]:
    """Inside each word of ``text``, a third tone before a third tone becomes a second."""
    out = list(readings)
    pairs = [i for i in range(len(text) - 1) if _tone(readings[i]) == _tone(readings[i + 1]) == "3"]
    cut: dict[int, tuple[int, ...]] = {}  # start of a Han run → the word ids of the run
    for i in pairs:  # the word cut only of the Han runs where it decides something
        start = i
        while start > 0 and is_han(text[start - 1]):
            start -= 1
        if start not in cut:
            end = i + 1
            while end < len(text) and is_han(text[end]):
                end += 1
            cut[start] = word_ids(text[start:end])
        words = cut[start]
        if i + 1 - start < len(words) and words[i - start] == words[i + 1 - start]:
            out[i] = readings[i][:-1] + "2"  # type: ignore[index]
    return out


def spoken_tones(
    text: str, readings: Sequence[str | None], *, third: bool = False
) -> list[str | None]:
    """``readings`` (citation, tone-number, one per char of ``text``) as they are said.

    一 and 不 change (and, with ``third``, third tones inside a word); a character with no
    reading (None) is never changed and never counts as a following syllable.
    """
    if third:
        readings = third_tone_sandhi(text, readings)
    out = list(readings)
    for i, (char, reading) in enumerate(zip(text, readings, strict=True)):
        if char not in CITATION or reading != CITATION[char]:
            continue
        following = readings[i + 1] if i + 1 < len(text) else None
        if following is None:
            continue
        repeated = i > 0 and text[i - 1] == text[i + 1] and readings[i - 1] is not None
        if repeated and text[i - 2 : i - 1] != YI:  # 看一看, 好不好 (not 一個一個)
            out[i] = reading[:-1] + "5"
            continue
        tone = _tone(following)
        if char == BU:
            out[i] = "bu2" if tone == "4" else reading
        elif not _yi_kept(text, i):
            out[i] = "yi2" if tone in "45" else "yi4"
    return out
