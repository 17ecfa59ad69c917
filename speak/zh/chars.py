"""Per-character facts: Han ranges, every reading of a character, Simplified forms."""

from __future__ import annotations

import re
from functools import cache

from pypinyin.contrib.tone_convert import to_tone3
from pypinyin.pinyin_dict import pinyin_dict

from speak.zh.han import HAN_RANGES, is_han
from speak.zh.script import converter

HAN = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in HAN_RANGES) + "]")

__all__ = [
    "default_reading",
    "is_han",
    "readings_of",
    "simplified_char",
    "to_simplified",
    "to_simplified_many",
]


@cache
def tone3(marked: str) -> str:
    """``zhǎng`` → ``zhang3``; neutral tone as 5, ü as v."""
    return to_tone3(marked, v_to_u=False, neutral_tone_with_five=True)


@cache
def _own_readings(char: str) -> tuple[str, ...]:
    value = pinyin_dict.get(ord(char))
    if not value:
        return ()
    return tuple(dict.fromkeys(tone3(p) for p in value.split(",")))


@cache
def simplified_char(char: str) -> str:
    """The Simplified form of one character (itself when it has none or maps to several)."""
    converted = converter("t2s").convert(char)
    return converted if len(converted) == 1 else char


@cache
def readings_of(char: str) -> tuple[str, ...]:
    """Every reading of a character (tone-number form, neutral 5, ü as v), most common first.

    A Traditional character also gets the readings of its Simplified form. Even a reading
    that belongs to another Traditional form (fa1 for 髮, which is 發's): reports are often
    machine-converted from Simplified, and the conversion errs (人参加 becomes 人蔘加, to be
    read can1), so the reading of the Simplified form in context must stay possible.
    """
    own = _own_readings(char)
    simple = simplified_char(char)
    if simple == char:
        return own
    return tuple(dict.fromkeys(own + _own_readings(simple)))


@cache
def default_reading(char: str) -> str | None:
    """The character's reading out of context: pypinyin's first reading of its Simplified form."""
    found = _own_readings(simplified_char(char)) or _own_readings(char)
    return found[0] if found else None


@cache
def _loses_readings(char: str, simple: str) -> bool:
    """True when converting ``char`` to ``simple`` drops one of its readings (藉→借, 閤→合)."""
    return not set(_own_readings(char)) <= set(_own_readings(simple))


def _t2s_same_length(text: str) -> str:
    converted = converter("t2s").convert(text)
    if len(converted) != len(text):
        converted = "".join(simplified_char(c) for c in text)
    return converted


def _changed(texts: list[str], converted: list[str]) -> int:
    """How many chars the conversion changed (position by position)."""
    total = 0
    for text, other in zip(texts, converted, strict=True):
        if text != other:
            total += sum(a != b for a, b in zip(text, other, strict=False))
    return total


def looks_simplified(texts: list[str], simplified: list[str]) -> bool:
    """True when the texts hold more Simplified-only chars (s2t changes them) than
    Traditional-only ones (t2s changes them)."""
    joined = converter("s2t").convert("\n".join(texts)).split("\n")
    if len(joined) != len(texts):
        joined = [converter("s2t").convert(t) for t in texts]
    return _changed(texts, joined) > _changed(texts, simplified)


_LEFT_BY_T2S = str.maketrans("著於", "着于")  # see to_simplified_many


def to_simplified_many(texts: list[str]) -> list[str]:
    """OpenCC t2s of each text, kept to the same length so offsets still line up.

    When the texts are Simplified already, a variant whose conversion would drop its own
    readings (藉→借, 閤→合) is left as written.
    """
    joined = converter("t2s").convert("\n".join(texts)).split("\n")  # one OpenCC call for the batch
    if len(joined) == len(texts):  # a text whose length changed is converted on its own
        converted = [
            a if len(a) == len(b) else _t2s_same_length(b)
            for a, b in zip(joined, texts, strict=True)
        ]
    else:
        converted = [_t2s_same_length(t) for t in texts]
    if not looks_simplified(texts, converted):
        # Traditional 著 is Simplified 着 unless it means "notable/write" (著名, 著作, 顯著:
        # zhu4, in the project lexicon): t2s leaves 看著, 隨著, 著力 alone. t2s also keeps 於
        # before 單 (for the name 於單), so 屬於單位 would be read wu1: modern 於 is 于.
        return [c.translate(_LEFT_BY_T2S) for c in converted]
    return [
        text
        if text == simple
        else "".join(
            a if a != b and _loses_readings(a, b) else b for a, b in zip(text, simple, strict=False)
        )
        for text, simple in zip(texts, converted, strict=True)
    ]


def to_simplified(text: str) -> str:
    """``to_simplified_many`` of one text."""
    return to_simplified_many([text])[0]
