"""Checked readings → the phones the Baker voice was trained on. Pure functions.

The voice (FastSpeech2 trained on the Databaker corpus, as TensorFlowTTS prepared it) reads a
sequence like ``sil z eng1 #0 zh ang3 #1 ^ i2 #0 g e4 sil``: per syllable an initial (``^`` when
there is none) and a final carrying the tone (1-5, 5 neutral), with the apical vowels written
``ii`` (zi ci si) and ``iii`` (zhi chi shi ri), ü as ``v``, and the spelled-short finals in full
(iou, uei, uen). Between syllables a prosodic boundary: ``#0`` inside a word, ``#1`` between
words, ``#2`` and ``#3`` at phrase and clause breaks; ``sil`` at both ends. Erhua is the
syllable followed by ``er5`` with no boundary between.

A long sentence is cut into chunks of at most MAX_SYLLABLES at its strongest breaks (the voice
was trained on short sentences); the engine synthesizes each and joins them with a pause.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache

from speak.zh.chars import default_reading
from speak.zh.han import is_han
from speak.zh.words import word_ids

INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h")
INITIALS += ("j", "q", "x", "r", "z", "c", "s")
# Syllables written with y/w (or none at all) → their final; their initial is "^".
ZERO_INITIAL = {
    "yi": "i",
    "ya": "ia",
    "yo": "iou",
    "ye": "ie",
    "yao": "iao",
    "you": "iou",
    "yan": "ian",
    "yin": "in",
    "yang": "iang",
    "ying": "ing",
    "yong": "iong",
    "yu": "v",
    "yue": "ve",
    "yuan": "van",
    "yun": "vn",
    "wu": "u",
    "wa": "ua",
    "wo": "uo",
    "wai": "uai",
    "wei": "uei",
    "wan": "uan",
    "wen": "uen",
    "wang": "uang",
    "weng": "ueng",
    "wong": "ueng",
    "n": "en",  # 嗯 n/ng: the corpus says it as en
    "ng": "en",
}
_FINALS = "a ai an ang ao e ei en eng er i ia ian iang iao ie ii iii in ing iong iou o ong ou u ua"
FINALS = frozenset((_FINALS + " uai uan uang uei uen ueng uo v van ve vn").split(" "))
# Syllables with no phones of their own in the voice: the nearest it can say.
APPROXIMATIONS = {
    "m": ("m", "u"),  # 呣: a hummed m
    "hm": ("h", "en"),  # 噷
    "hng": ("h", "eng"),  # 哼's interjection: heng
    "ê": ("^", "ei"),  # 欸: its other reading ei
}
BOUNDARIES = ("#0", "#1", "#2", "#3")
MAX_SYLLABLES = 40  # longest chunk sent to the acoustic model at once

# Punctuation → the prosodic break it makes (anything else that is not said is reported).
BREAKS = {c: "#3" for c in "，,；;：:。.！!？?…—～~"} | {c: "#2" for c in "、"}
QUIET = set(" \t\n\u3000“”‘’\"'「」『』《》〈〉()（）[]【】〔〕{}·・-–/")
# Latin letters as a Mandarin listener says their names (spelled one by one).
LETTER_NAMES = {
    "a": "ei1",
    "b": "bi4",
    "c": "xi1",
    "d": "di4",
    "e": "yi4",
    "f": "ai2 fu1",
    "g": "ji4",
    "h": "ai1 qi1",
    "i": "ai4",
    "j": "zhei4",
    "k": "kai4",
    "l": "ai2 le5",
    "m": "ai2 mu5",
    "n": "en1",
    "o": "ou1",
    "p": "pi4",
    "q": "kiu1",
    "r": "a4",
    "s": "ai2 si1",
    "t": "ti4",
    "u": "you1",
    "v": "wei1",
    "w": "da2 bu5 liu5",
    "x": "ai2 ke4 si1",
    "y": "wai4",
    "z": "zei4",
}
_DIGITS = "ling2 yi1 er4 san1 si4 wu3 liu4 qi1 ba1 jiu3"
DIGIT_NAMES = dict(zip("0123456789", _DIGITS.split(" "), strict=True))
_READING = re.compile(r"^([a-zê]+)([1-5]?)$")


class NotPinyin(ValueError):
    """A reading that is not a Mandarin syllable with an optional tone number."""


@cache
def split_syllable(base: str) -> tuple[str, str]:
    """A toneless syllable (ü as v) → (initial, final) in the voice's phone set.

    ``zhang`` → (zh, ang), ``wen`` → (^, uen), ``ju`` → (j, v), ``shi`` → (sh, iii),
    ``hm`` → (h, en) (approximated). Raises NotPinyin for anything else.
    """
    if base in APPROXIMATIONS:
        return APPROXIMATIONS[base]
    if base in ZERO_INITIAL:
        return "^", ZERO_INITIAL[base]
    initial = next((i for i in INITIALS if base.startswith(i) and len(base) > len(i)), "^")
    rest = base[len(initial) :] if initial != "^" else base
    if initial in ("j", "q", "x") and rest.startswith("u"):
        rest = "v" + rest[1:]  # ju, que, xuan, jun: the u is ü
    elif initial in ("n", "l") and rest == "ue":
        rest = "ve"
    if initial in ("z", "c", "s") and rest == "i":
        rest = "ii"
    elif initial in ("zh", "ch", "sh", "r") and rest == "i":
        rest = "iii"
    rest = {"iu": "iou", "ui": "uei", "un": "uen"}.get(rest, rest)
    if initial in ("j", "q", "x") and rest == "uen":
        rest = "vn"
    if rest not in FINALS or (initial == "^" and rest[0] in "iuv"):
        raise NotPinyin(base)
    return initial, rest


def is_approximated(base: str) -> bool:
    """Whether a syllable is said with another syllable's phones (the voice has none for it)."""
    return base in APPROXIMATIONS


def parse_reading(reading: str) -> tuple[str, str, bool]:
    """``zhang3`` → (zhang, 3, False); ``huar1`` → (hua, 1, True) (erhua); tone 5 when none."""
    s = reading.strip().lower().replace("u:", "v").replace("ü", "v")
    m = _READING.match(s)
    if not m:
        raise NotPinyin(reading)
    base, tone = m.group(1), m.group(2) or "5"
    if base.endswith("r") and base not in ("er", "r"):
        try:
            split_syllable(base)
        except NotPinyin:
            return base[:-1], tone, True
    return base, tone, False


def syllable_phones(reading: str) -> tuple[str, ...]:
    """The phones of one reading: ``zhang3`` → (zh, ang3); ``huar1`` → (h, ua1, er5);
    ``r5`` (a 兒 said as erhua) → (er5,)."""
    base, tone, erhua = parse_reading(reading)
    if base == "r":
        return ("er5",)
    initial, final = split_syllable(base)
    return (initial, final + tone) + (("er5",) if erhua else ())


@dataclass(frozen=True, slots=True)
class Syllable:
    """One spoken syllable: the character(s) of the utterance that make it, and its reading."""

    start: int  # index in Utterance.text
    end: int
    reading: str  # tone-number form, as spoken
    phones: tuple[str, ...]
    joined: bool = False  # said with the syllable before, no boundary (erhua 兒)


@dataclass(frozen=True, slots=True)
class Chunk:
    """What the acoustic model is given at once: phones, and per phone its syllable (or -1)."""

    phones: tuple[str, ...]
    owners: tuple[int, ...]  # index into Script.syllables; -1 for sil and boundaries
    pause_after: float  # seconds of silence after it inside the sentence


@dataclass(frozen=True, slots=True)
class Script:
    """One utterance as the voice says it."""

    syllables: tuple[Syllable, ...]
    chunks: tuple[Chunk, ...]
    notes: tuple[str, ...]  # what was not said as written (letters spelled, symbols left out)


CHUNK_PAUSE = {"#3": 0.22, "#2": 0.12, "#1": 0.06, "#0": 0.04}  # seconds between chunks


def _fallback_reading(char: str) -> str | None:
    """A reading for a character the Utterance carries none for (number words made by
    normalisation): its default reading."""
    return default_reading(char)


def _stronger(a: str, b: str) -> str:
    return a if BOUNDARIES.index(a) >= BOUNDARIES.index(b) else b


def syllabify(
    text: str, readings: tuple[str | None, ...], words: tuple[int, ...] | None = None
) -> Script:
    """The syllables and breaks of an utterance, cut into chunks for the acoustic model.

    ``words``: per character, the index of its word (default: the word cut of speak.zh.words).
    """
    words = word_ids(text) if words is None else words
    syllables: list[Syllable] = []
    breaks: list[str] = []  # breaks[k]: the boundary after syllables[k]
    notes: list[str] = []
    word_of: list[object] = []  # per syllable: its word
    pending = "#0"  # strongest break seen since the last syllable
    last_word = None

    def add(start: int, end: int, reading: str, word: object, joined: bool = False) -> None:
        nonlocal pending, last_word
        phones = syllable_phones(reading)
        if syllables:
            # a neutral-tone word (的, 了, 嗎) leans on the word before: no prosodic-word break
            leans = _tone(reading) == "5" and pending == "#0"
            boundary = pending if word == last_word or leans else _stronger(pending, "#1")
            breaks[-1] = "#0" if joined else boundary
        syllables.append(Syllable(start, end, reading, phones, joined))
        breaks.append("#0")
        word_of.append(word)
        pending, last_word = "#0", word

    i = 0
    while i < len(text):
        char = text[i]
        lower = char.lower()
        if is_han(char) or char == "〇":
            reading = readings[i] if i < len(readings) else None
            reading = reading or _fallback_reading(char)
            if reading is None:
                notes.append(f"{char!r} has no known reading: left out")
                pending = _stronger(pending, "#1")
            else:
                base = parse_reading(reading)[0]
                joined = base == "r" and bool(syllables)
                if is_approximated(base):
                    notes.append(f"{char} {reading}: the voice has no such syllable; approximated")
                add(i, i + 1, reading, ("w", words[i]), joined)
        elif lower in LETTER_NAMES and lower.isascii():
            end = i
            while end < len(text) and text[end].isascii() and text[end].isalpha():
                end += 1
            notes.append(f"{text[i:end]!r} spelled as letter names")
            for k in range(i, end):
                for reading in LETTER_NAMES[text[k].lower()].split():
                    add(k, k + 1, reading, ("letter", k))
            i = end
            continue
        elif char in DIGIT_NAMES:
            notes.append(f"{char!r} read as a digit name")
            add(i, i + 1, DIGIT_NAMES[char], ("digit", i))
        elif char in BREAKS:
            pending = _stronger(pending, BREAKS[char])
        elif char in QUIET:
            pending = _stronger(pending, "#1") if char.strip() else pending
            last_word = None if char.strip() else last_word
        else:
            notes.append(f"{char!r} cannot be said by the voice: left out")
            pending = _stronger(pending, "#1")
        i += 1
    spoken = third_tone_sandhi([s.reading for s in syllables], breaks, word_of)
    syllables = [
        s
        if said == s.reading
        else dataclasses.replace(s, reading=said, phones=syllable_phones(said))
        for s, said in zip(syllables, spoken, strict=True)
    ]
    return Script(tuple(syllables), _chunks(syllables, breaks), _merged(notes))


def _tone(reading: str) -> str:
    return reading[-1] if reading[-1:].isdigit() else "5"


def third_tone_sandhi(readings: list[str], breaks: list[str], words: list[object]) -> list[str]:
    """Readings as said: a third tone before a third tone becomes a second tone.

    The voice was trained on the tones as spoken (the corpus labels 卡尔普 ka2 er2 pu3), so the
    change is made here: inside a word every third tone before another (展览馆 zhan2 lan2
    guan3); across a word break inside a phrase when either word is one syllable (很好 hen2
    hao3); never across a phrase or clause break (#2, #3).
    """
    said = list(readings)
    sizes: dict[object, int] = {}
    for word in words:
        sizes[word] = sizes.get(word, 0) + 1
    for k in range(len(said) - 1):
        if _tone(said[k]) != "3" or _tone(said[k + 1]) != "3" or breaks[k] in ("#2", "#3"):
            continue
        same_word = words[k] == words[k + 1]
        if same_word or sizes[words[k]] == 1 or sizes[words[k + 1]] == 1:
            said[k] = said[k][:-1] + "2"
    return said


def _merged(notes: list[str]) -> tuple[str, ...]:
    """Notes in order, the letters spelled gathered into one note, repeats dropped."""
    letters = [n.split("'")[1] for n in notes if n.endswith("spelled as letter names")]
    others = [n for n in notes if not n.endswith("spelled as letter names")]
    spelled = [f"Latin letters spelled by name: {' '.join(letters)}"] if letters else []
    return tuple(dict.fromkeys(spelled + others))


def _cut_points(breaks: list[str]) -> list[int]:
    """Indexes k after which a chunk ends (the last syllable is always one)."""
    cuts: list[int] = []
    start = 0
    n = len(breaks)
    while n - start > MAX_SYLLABLES:
        window = range(start, start + MAX_SYLLABLES - 1)
        best = max(window, key=lambda k: (BOUNDARIES.index(breaks[k]), k))
        cuts.append(best)
        start = best + 1
    return [*cuts, n - 1] if n else []


def _chunks(syllables: list[Syllable], breaks: list[str]) -> tuple[Chunk, ...]:
    chunks: list[Chunk] = []
    start = 0
    for end in _cut_points(breaks):
        phones, owners = ["sil"], [-1]
        for k in range(start, end + 1):
            phones += syllables[k].phones
            owners += [k] * len(syllables[k].phones)
            if k < end and not syllables[k + 1].joined:
                phones.append(breaks[k])
                owners.append(-1)
        phones.append("sil")
        owners.append(-1)
        pause = CHUNK_PAUSE[breaks[end]] if end < len(syllables) - 1 else 0.0
        chunks.append(Chunk(tuple(phones), tuple(owners), pause))
        start = end + 1
    return tuple(chunks)


def phone_string(script: Script) -> str:
    """The phones of every chunk, chunks separated by `` | `` (for people and tests)."""
    return " | ".join(" ".join(c.phones) for c in script.chunks)
