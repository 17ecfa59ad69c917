"""A character's readings: every one it has, and its usual one out of context."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from speak.zh.pinyin import dictionary_readings
from speak.zh.script import simplified_char

USUAL_PATH = Path(__file__).with_name("data") / "usual.tsv"
# The share of a character's occurrences a reading must carry to be its usual one: chosen
# on the everyday set's dev half (0.55 and 0.6 read it alike; 2/3 and 0.75 one row fewer).
USUAL_SHARE = 0.6


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


@cache
def _usual() -> dict[str, tuple[str, float]]:
    lines = USUAL_PATH.read_text(encoding="utf-8").splitlines()
    return {
        char: (reading, float(share))
        for char, reading, share, _ in (line.split("\t") for line in lines[1:] if line)
    }


@cache
def usual_reading(char: str) -> str | None:
    """The reading a character has most often in running text, where its occurrences in a
    corpus (in dictionary words and alone, ``tools/make_words.py``) carry it by a clear
    majority; else ``default_reading``, pypinyin's first reading.

    pypinyin's order is a dictionary's, not usage: 似 shì before sì (似乎, 相似, 类似), 曝 pù
    before bào (曝光), 萎 wēi before wěi (枯萎). A character alone counts at pypinyin's first
    reading (the corpus does not say which it was), so function words keep theirs (都 dōu,
    为 wèi, though their words are mostly dū and wéi)."""
    simple = simplified_char(char)
    found = _usual().get(simple)
    if found and found[1] >= USUAL_SHARE and found[0] in readings_of(char):
        return found[0]
    return default_reading(char)
