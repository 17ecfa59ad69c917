"""A character's readings: every one it has, and its usual one out of context."""

from __future__ import annotations

from functools import cache

from speak.zh.pinyin import dictionary_readings
from speak.zh.script import simplified_char


@cache
def readings_of(char: str) -> tuple[str, ...]:
    """Every reading of a character (tone-number form, neutral 5, ü as v), most common first.

    A Traditional character also gets the readings of its Simplified form. Even a reading
    that belongs to another Traditional form (fa1 for 髮, which is 發's): reports are often
    machine-converted from Simplified, and the conversion errs (人参加 becomes 人蔘加, to be
    read can1), so the reading of the Simplified form in context must stay possible.
    """
    own = dictionary_readings(char)
    simple = simplified_char(char)
    if simple == char:
        return own
    return tuple(dict.fromkeys(own + dictionary_readings(simple)))


@cache
def default_reading(char: str) -> str | None:
    """The character's reading out of context: pypinyin's first reading of its Simplified form."""
    found = dictionary_readings(simplified_char(char)) or dictionary_readings(char)
    return found[0] if found else None
