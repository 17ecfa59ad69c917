"""Traditional and Simplified script: conversion (OpenCC, character for character) and
detection. The only module that imports OpenCC."""

from __future__ import annotations

from functools import cache
from itertools import islice

import opencc

from speak.zh.han import is_han
from speak.zh.pinyin import dictionary_readings

SCRIPT_SAMPLE = 20_000  # Han characters enough to tell the script of any report


@cache
def converter(config: str) -> opencc.OpenCC:
    """One shared OpenCC converter per config ("t2s", "s2t"), made on first use."""
    return opencc.OpenCC(config)


@cache
def simplified_char(char: str) -> str:
    """The Simplified form of one character (itself when it has none or maps to several)."""
    converted = converter("t2s").convert(char)
    return converted if len(converted) == 1 else char


def _same_length(text: str, config: str) -> str:
    """OpenCC ``config`` of ``text``, kept to its length (char by char where a phrase rule
    would change it)."""
    converted = converter(config).convert(text)
    if len(converted) != len(text):
        converted = "".join(c if len(d := converter(config).convert(c)) != 1 else d for c in text)
    return converted


def to_traditional(text: str) -> str:
    """OpenCC s2t, the same length as ``text``."""
    return _same_length(text, "s2t")


def _changed(texts: list[str], converted: list[str]) -> int:
    """How many chars the conversion changed (position by position)."""
    return sum(
        sum(a != b for a, b in zip(text, other, strict=False))
        for text, other in zip(texts, converted, strict=True)
        if text != other
    )


def detect_script(text: str) -> str:
    """``"Hant"`` when the text has more Traditional-only than Simplified-only characters,
    judged on its first SCRIPT_SAMPLE Han characters (a long input costs no more)."""
    han = "".join(islice((c for c in text if is_han(c)), SCRIPT_SAMPLE))
    traditional_only = _changed([han], [_same_length(han, "t2s")])
    simplified_only = _changed([han], [_same_length(han, "s2t")])
    return "Hant" if traditional_only > simplified_only else "Hans"


def _looks_simplified(texts: list[str], simplified: list[str]) -> bool:
    """True when the texts hold more Simplified-only chars (s2t changes them) than
    Traditional-only ones (t2s changes them)."""
    joined = converter("s2t").convert("\n".join(texts)).split("\n")
    if len(joined) != len(texts):
        joined = [converter("s2t").convert(t) for t in texts]
    return _changed(texts, joined) > _changed(texts, simplified)


@cache
def _loses_readings(char: str, simple: str) -> bool:
    """True when converting ``char`` to ``simple`` drops one of its readings (藉→借, 閤→合)."""
    return not set(dictionary_readings(char)) <= set(dictionary_readings(simple))


_LEFT_BY_T2S = str.maketrans("著於", "着于")  # see to_simplified_many


def to_simplified_many(texts: list[str], script: str | None = None) -> list[str]:
    """Simplified forms to read the texts by, each the same length, so offsets line up.

    ``script`` is the texts' script ("Hant"/"Hans"; detected from the texts when None).
    Traditional: OpenCC t2s, and 著/於 as modern Simplified writes them (t2s leaves 看著, 隨著,
    著力 alone, though Traditional 著 is Simplified 着 unless it means notable/write — 著名,
    著作, 顯著 are in the project lexicon; t2s also keeps 於 before 單, so 屬於單位 would read
    wu1). Simplified: a variant whose conversion would drop its own readings (藉→借, 閤→合) is
    left as written.
    """
    joined = converter("t2s").convert("\n".join(texts)).split("\n")  # one OpenCC call for all
    if len(joined) == len(texts):  # a text whose length changed is converted on its own
        converted = [
            a if len(a) == len(b) else _same_length(b, "t2s")
            for a, b in zip(joined, texts, strict=True)
        ]
    else:
        converted = [_same_length(t, "t2s") for t in texts]
    if script is None:
        script = "Hans" if _looks_simplified(texts, converted) else "Hant"
    if script == "Hant":
        return [c.translate(_LEFT_BY_T2S) for c in converted]
    return [
        text
        if text == simple
        else "".join(
            a if a != b and _loses_readings(a, b) else b for a, b in zip(text, simple, strict=False)
        )
        for text, simple in zip(texts, converted, strict=True)
    ]


def to_simplified(text: str, script: str | None = None) -> str:
    """``to_simplified_many`` of one text."""
    return to_simplified_many([text], script)[0]


def to_script(text: str, script: str) -> str:
    """``text`` written in ``script`` ("Hant" or "Hans"), the same length."""
    return to_traditional(text) if script == "Hant" else to_simplified(text, "Hant")
