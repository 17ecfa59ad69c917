"""How a reading is shown to a reader: pinyin with tone marks, Zhuyin, or tone numbers.

Readings travel through the pipeline in tone-number form (``zhang3``, neutral tone 5,
ü as ``v``); these pure functions turn one into what a reader sees above a character.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from pypinyin import Style
from pypinyin.contrib.tone_convert import to_tone
from pypinyin.style import convert

from speak.zh.pinyin import plain

Notation = Literal["pinyin", "zhuyin", "numbers"]
NOTATIONS: tuple[str, ...] = ("pinyin", "zhuyin", "numbers")

_NEUTRAL_DOT = "˙"
_SYLLABLE = re.compile(r"^[a-zê]+[1-5]?$")


def _numbered(pinyin: str) -> str:
    """Lower-case tone-number form with ü written ``v`` (accepts ``u:`` and ``ü`` too)."""
    s = plain(pinyin)
    if not _SYLLABLE.match(s):
        raise ValueError(f"not a tone-number pinyin syllable: {pinyin!r} (expected e.g. 'zhang3')")
    return s


@cache
def format_reading(pinyin: str, notation: Notation = "pinyin") -> str:
    """Show a tone-number syllable in a notation.

    ``zhang3`` → ``zhǎng`` (pinyin), ``ㄓㄤˇ`` (zhuyin), ``zhang3`` (numbers). In Zhuyin the
    neutral-tone dot goes first (``˙ㄉㄜ``), as it is written in Taiwan; in the numbers
    notation ü is shown as ``ü`` (``lü4``).
    """
    s = _numbered(pinyin)
    if notation == "numbers":
        return s.replace("v", "ü")
    marked = to_tone(s)
    if notation == "pinyin":
        return marked
    if notation == "zhuyin":
        zhuyin = convert(marked, Style.BOPOMOFO, strict=True)
        if zhuyin.endswith(_NEUTRAL_DOT):
            zhuyin = _NEUTRAL_DOT + zhuyin[:-1]
        return zhuyin
    raise ValueError(f"unknown notation {notation!r}: use one of {', '.join(NOTATIONS)}")
