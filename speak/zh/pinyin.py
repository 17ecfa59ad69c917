"""Mandarin syllables as people write them: tone marks, tone numbers, toneless, ü/v/u:.

Readings travel through speak in tone-number form (``zhang3``, neutral tone 5, ü as ``v``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from pypinyin.contrib.tone_convert import to_tone3

_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
SYLLABLE_SHAPE = re.compile(rf"^[a-zA-ZüÜ{_TONE_MARKS}{_TONE_MARKS.upper()}:]+[1-5]?$")


@cache
def tone3(marked: str) -> str:
    """``zhǎng`` → ``zhang3``; neutral tone as 5, ü as v."""
    return to_tone3(marked, v_to_u=False, neutral_tone_with_five=True)


@cache
def dictionary_readings(char: str) -> tuple[str, ...]:
    """pypinyin's readings of one character as written (tone-number form), most common first."""
    from pypinyin.pinyin_dict import pinyin_dict

    value = pinyin_dict.get(ord(char))
    if not value:
        return ()
    return tuple(dict.fromkeys(tone3(p) for p in value.split(",")))


def plain(written: str) -> str:
    """A written syllable lower-cased, with ü (or ``u:``) written ``v``: ``Lü4`` → ``lv4``."""
    s = unicodedata.normalize("NFC", written.strip()).lower()
    return s.replace("u:", "v").replace("ü", "v")


def split_tone(numbered: str) -> tuple[str, str]:
    """``zhang3`` → (``zhang``, ``3``); a syllable without a tone digit → (it, ``""``)."""
    base = numbered.rstrip("12345")
    return base, numbered[len(base) :]


@cache
def inventory() -> frozenset[str]:
    """Every toneless Mandarin syllable (ü as v) that pypinyin knows a character for."""
    from pypinyin.pinyin_dict import pinyin_dict

    marked = {p for value in pinyin_dict.values() for p in value.split(",")}
    return frozenset(_strip_marks(p) for p in marked)


def _strip_marks(marked: str) -> str:
    """``lǜ`` → ``lv``: tone marks dropped (ê keeps its circumflex), ü written v."""
    decomposed = unicodedata.normalize("NFD", marked).replace("u\u0308", "v")
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) or c == "\u0302")
    return unicodedata.normalize("NFC", kept)


@cache
def normalize_syllable(written: str) -> str | None:
    """Tone-number form of a written syllable (``gōng`` → ``gong1``, ``gong`` → ``gong``).

    Toneless input stays toneless. Returns None when it is not a Mandarin syllable.
    """
    s = plain(written)
    if not s or not SYLLABLE_SHAPE.match(s):
        return None
    try:
        numbered = tone3(s)
    except Exception:  # pypinyin raises on odd shapes
        return None
    base = split_tone(numbered)[0]
    if base not in inventory():
        return None
    written_tone = s[-1].isdigit() or any(c in _TONE_MARKS for c in s)
    return numbered if written_tone else base


def toneless(syllable: str) -> str:
    """``zhang3`` → ``zhang``; works on any form normalize_syllable accepts."""
    return split_tone(normalize_syllable(syllable) or plain(syllable))[0]


_SEPARATORS = re.compile(r"[\s'’\-·]+")
_LONGEST = 7  # letters in the longest written syllable with its tone number (zhuang1)
_SPELLED = re.compile(rf"^[a-zA-ZüÜ{_TONE_MARKS}{_TONE_MARKS.upper()}:1-5]+$")
_VOWEL = re.compile(rf"[aeiouvüAEIOUVÜ{_TONE_MARKS}{_TONE_MARKS.upper()}]")


def split_syllables(written: str, most: int) -> list[tuple[str, ...]]:
    """Every way to read ``written`` as 2 to ``most`` Mandarin syllables, each as written
    (syllables with a vowel: the interjections n, ng, hm never stand inside a word).

    Spaces, apostrophes and hyphens are boundaries (``fa zhan``, ``xi'an``); elsewhere any cut
    that leaves a syllable on each side is tried (``fāzhǎn``, ``fa1zhan3``, ``fazhan``).
    """
    parts = [p for p in _SEPARATORS.split(written.strip()) if p]
    if not parts or most < 2 or any(not _SPELLED.match(p) for p in parts):
        return []
    ways: list[tuple[str, ...]] = [()]
    for part in parts:
        ways = [w + cut for w in ways for cut in _cuts(part, most - len(w))]
    return [w for w in ways if len(w) >= 2]


@cache
def _cuts(text: str, most: int) -> tuple[tuple[str, ...], ...]:
    """Every way to cut ``text`` (no separators) into at most ``most`` syllables."""
    if not text:
        return ((),)
    if most <= 0:
        return ()
    found = []
    for end in range(1, min(len(text), _LONGEST) + 1):
        head = text[:end]
        if (
            (end < len(text) and text[end].isdigit())
            or not _VOWEL.search(head)  # n, ng, hm: interjections, never inside a word
            or normalize_syllable(head) is None
        ):
            continue
        found.extend((head, *rest) for rest in _cuts(text[end:], most - 1))
    return tuple(found)
