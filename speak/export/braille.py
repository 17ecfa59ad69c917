"""Mainland Chinese braille (现行盲文) with tones, from the checked readings.

Each syllable is written initial + final + tone cell (GB/T 15720-2008; the apical ``-i`` of
zhi/chi/shi/ri/zi/ci/si and the neutral tone are not written). The cells come from our own
tables, not from pypinyin's ``Style.BRAILLE_MAINLAND_TONE``: that style misspells several
finals (xiong, yun/jun/qun, yong, ying, dui/gui: ``ui`` → ``uei``) and leaves punctuation
untouched. Punctuation cells, digits (number sign ⠼ + cells a–j) and Latin letters are those
of GB/T 15720-2008 as liblouis' ``zhcn-g1`` table (现行盲文, version 2018-09-10) writes them.
Words are written apart (分词连写): the syllables of one word together, a blank cell between
words (``speak.zh.words``: a word-frequency cut); a neutral-tone syllable standing alone (的,
了, 着, 吗) joins the word before it, as the national braille scheme writes particles.

Spacing around punctuation and numbers (``braille_tokens``), each rule with its source:

- A blank after every pausing or ending mark: ``zhcn-g1`` writes one after ，、；：
  (``5-0``, ``4-0``, ``56-0``, ``36-0``) but none after 。？！; the scheme's writing rules
  (as issue #13 of this project states them; the standard's text was not at hand) put the
  same blank after 。？！, so the next sentence never reads as part of the mark's word.
- Quotation marks: 现行盲文 writes the opening and the closing double quote with the same
  cell ⠘ (``zhcn-g1``: “ ``45``, ” ``45-0``, the closing one followed by a blank). What tells
  them apart is where they stand, so that is kept strict: an opening mark (“ ‘ 「 『 （ 《 〈 【)
  is joined to the word it opens and has a blank before it; a closing mark is joined to the
  word it closes and has a blank after it (or the ending mark that follows it, then the
  blank). A reader meets ⠘ after a blank only when it opens, before a blank only when it
  closes. (The 2018 国家通用盲文方案 gives the quotes distinct cells, ⠰⠄ and ⠠⠆, but in
  现行盲文 those cells are the parentheses, so mixing them in would mislead.)
- Digits: the number sign governs the cells after it up to the next blank, and the syllable
  after a number may begin with a cell that reads as a digit (日 ``ri4`` ⠚⠆ would read
  "0"). One rule therefore: a number (with its % sign) is always followed by a blank before a
  Han syllable, whatever the syllable's first cell (``2021 年``, ``20 日``, ``21.5% 和``).

The exporter writes per section ``OUT/braille/NN-slug.brl.txt`` (Unicode braille, one line per
paragraph, blank line between paragraphs: for braille displays and screen readers) and
``NN-slug.brf`` (North American Braille ASCII, 40 cells × 25 lines a page: for embossers).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from speak.errors import BrailleError
from speak.export.base import Bundle, register
from speak.fsutil import atomic_path
from speak.model import Document, Reading, Section
from speak.naming import section_stem
from speak.zh.han import is_han
from speak.zh.pinyin import plain
from speak.zh.words import word_ids

INITIALS = {
    "b": "⠃", "p": "⠏", "m": "⠍", "f": "⠋", "d": "⠙", "t": "⠞", "n": "⠝", "l": "⠇",
    "g": "⠛", "k": "⠅", "h": "⠓", "j": "⠛", "q": "⠅", "x": "⠓",
    "zh": "⠌", "ch": "⠟", "sh": "⠱", "r": "⠚", "z": "⠵", "c": "⠉", "s": "⠎",
}  # fmt: skip
# Finals in their underlying spelling (iou, uei, uen; ü as v), as braille cells.
FINALS = {
    "": "", "a": "⠔", "o": "⠢", "e": "⠢", "i": "⠊", "u": "⠥", "v": "⠬", "er": "⠗",
    "ai": "⠪", "ei": "⠮", "ao": "⠖", "ou": "⠷", "an": "⠧", "en": "⠴", "ang": "⠦",
    "eng": "⠼", "ong": "⠲", "ia": "⠫", "ie": "⠑", "iao": "⠜", "iou": "⠳", "ian": "⠩",
    "in": "⠣", "iang": "⠭", "ing": "⠡", "iong": "⠹", "ua": "⠿", "uo": "⠕", "uai": "⠽",
    "uei": "⠺", "uan": "⠻", "uen": "⠒", "uang": "⠶", "ueng": "⠲", "ve": "⠾", "van": "⠯",
    "vn": "⠸",
}  # fmt: skip
TONES = {"1": "⠁", "2": "⠂", "3": "⠄", "4": "⠆", "5": ""}
_TONE_CELLS = frozenset(TONES.values()) - {""}
# Syllables without an initial, as pinyin spells them → the underlying final.
ZERO_INITIAL = {
    "yi": "i", "ya": "ia", "ye": "ie", "yao": "iao", "you": "iou", "yan": "ian", "yang": "iang",
    "yin": "in", "ying": "ing", "yong": "iong", "yu": "v", "yue": "ve", "yuan": "van",
    "yun": "vn", "wu": "u", "wa": "ua", "wo": "uo", "wai": "uai", "wei": "uei", "wan": "uan",
    "wen": "uen", "wang": "uang", "weng": "ueng", "wong": "ueng",
    "yo": "iou", "ê": "ei",  # 哟 and 欸 as liblouis writes them
}  # fmt: skip
INTERJECTIONS = {"m": "⠍", "n": "⠝", "ng": "⠝⠛", "hm": "⠓⠍", "hng": "⠓⠝⠛"}
APICAL = ("zh", "ch", "sh", "r", "z", "c", "s")  # + i: the vowel is not written

NUMBER_SIGN = "⠼"
DIGITS = dict(zip("1234567890", "⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚", strict=True))
DIGIT_CELLS = frozenset(DIGITS.values())
DECIMAL_POINT = "⠄"
THOUSANDS = "⠂"
PERCENT = "⠼⠚⠴"
CAPITAL = "⠠"
CAPITALS_WORD = "⠠⠠"
LETTERS = dict(zip("abcdefghijklmnopqrstuvwxyz", "⠁⠃⠉⠙⠑⠋⠛⠓⠊⠚⠅⠇⠍⠝⠕⠏⠟⠗⠎⠞⠥⠧⠺⠭⠽⠵", strict=True))

# Punctuation (zhcn-g1); a trailing space is a blank cell that belongs to the mark.
PUNCTUATION = {
    "，": "⠐ ", ",": "⠐ ", "、": "⠈ ", "。": "⠐⠆ ", "．": "⠐⠆ ", "：": "⠤ ", ":": "⠤ ",
    "；": "⠰ ", ";": "⠰ ", "？": "⠐⠄ ", "?": "⠐⠄ ", "！": "⠰⠂ ", "!": "⠰⠂ ",
    "“": "⠘", "”": "⠘ ", "‘": "⠘⠘", "’": "⠘⠘ ", "「": "⠘⠘", "」": "⠘⠘ ", "『": "⠘", "』": "⠘ ",
    '"': "⠘", "（": "⠰⠄", "(": "⠰⠄", "）": "⠠⠆ ", ")": "⠠⠆ ", "《": "⠐⠤", "》": "⠤⠂ ",
    "〈": "⠐⠄", "〉": "⠠⠂ ", "【": "⠰⠆", "】": "⠰⠆ ", "[": "⠰⠆", "]": "⠰⠆ ",
    "…": "⠐⠐⠐", "—": "⠠⠤", "–": "⠠⠤", "-": "⠤", "－": "⠤", "～": "⠐⠠⠂", "~": "⠐⠠⠂",
    "·": "⠄", "・": "⠄", "/": "⠸⠌", "／": "⠸⠌", "%": PERCENT, "％": PERCENT, "+": "⠐⠖",
    "＋": "⠐⠖", "=": "⠐⠶", "＝": "⠐⠶", "&": "⠤", "*": "⠔⠔", "#": "⠢⠢", ".": "⠐⠆",
}  # fmt: skip

OPENING = frozenset("“‘「『（(《〈【[")  # joined to the word after, a blank before

# North American Braille ASCII: the character for each cell, indexed by its dot bits.
BRF_ASCII = " A1B'K2L@CIF/MSP\"E3H9O6R^DJG>NTQ,*5<-U8V.%[$+X!&;:4\\0Z7(_?W]#Y)="
BRF_WIDTH = 40
BRF_PAGE_LINES = 25

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*[%％]?")
_LATIN = re.compile(r"[A-Za-z]+")


def _split(base: str) -> tuple[str, str]:
    """A toneless syllable (ü as v) → (initial, underlying final)."""
    if base in ZERO_INITIAL:
        return "", ZERO_INITIAL[base]
    initial = next((i for i in ("zh", "ch", "sh") if base.startswith(i)), base[:1])
    if initial not in INITIALS:
        return "", base  # a, o, e, ai, ao, an, ang, en, eng, er, ou, ei
    final = base[len(initial) :]
    if initial in APICAL and final == "i":
        return initial, ""
    if initial in "jqx" and final.startswith("u"):
        final = "v" + final[1:]
    if final == "ue":  # nue/lue written without the diaeresis
        final = "ve"
    final = {"iu": "iou", "ui": "uei", "un": "uen"}.get(final, final)
    return initial, final


@cache
def syllable_braille(pinyin: str) -> str:
    """One tone-number syllable in mainland braille: ``zhang3`` → ``⠌⠦⠄``, ``de5`` → ``⠙⠢``.

    Accepts ü written ``v``, ``u:`` or ``ü``; a syllable without a tone digit gets no tone cell.
    Raises BrailleError for something that is not a Mandarin syllable.
    """
    s = plain(pinyin)
    tone = s[-1] if s[-1:].isdigit() else "5"
    base = s.rstrip("0123456789")
    if tone not in TONES or not base.isalpha():
        raise BrailleError(f"not a tone-number pinyin syllable: {pinyin!r} (expected e.g. zhang3)")
    if base in INTERJECTIONS:
        return INTERJECTIONS[base] + TONES[tone]
    erhua = ""
    if base.endswith("r") and base != "er":
        base, erhua = base[:-1], FINALS["er"]
    initial, final = _split(base)
    if final not in FINALS or (not initial and not final):
        raise BrailleError(f"not a Mandarin syllable: {pinyin!r}")
    return INITIALS.get(initial, "") + FINALS[final] + erhua + TONES[tone]


def number_braille(number: str) -> str:
    """``42.2`` → ``⠼⠙⠃⠄⠃``: number sign, digits as cells a–j, ``.`` ⠄, ``,`` ⠂; a
    percent sign after it as ``zhcn-g1`` writes ％."""
    cells = {".": DECIMAL_POINT, ",": THOUSANDS, "%": PERCENT, "％": PERCENT, **DIGITS}
    return NUMBER_SIGN + "".join(cells[c] for c in number)


def latin_braille(word: str) -> str:
    """Latin letters: capital sign ⠠ per capital, ⠠⠠ before an all-capital word."""
    if len(word) > 1 and word.isupper():
        return CAPITALS_WORD + "".join(LETTERS[c] for c in word.lower())
    return "".join((CAPITAL if c.isupper() else "") + LETTERS[c.lower()] for c in word)


def _fallback_reading(char: str) -> str:
    """The usual reading; only for a Han character the readings missed."""
    from speak.zh.chars import default_reading

    return default_reading(char) or char


def _piece(text: str, i: int, start: int, readings: dict[int, Reading]) -> tuple[str, str, int]:
    """The braille piece at ``text[i]``: (kind, cells, index after it)."""
    char = text[i]
    if is_han(char):
        reading = readings.get(start + i)
        return (
            "syllable",
            syllable_braille(reading.pinyin if reading else _fallback_reading(char)),
            i + 1,
        )
    if number := _NUMBER.match(text, i):
        return "number", number_braille(number.group()), number.end()
    if latin := _LATIN.match(text, i):
        return "latin", latin_braille(latin.group()), latin.end()
    if char.isspace():
        return "blank", " ", i + 1
    return "mark", PUNCTUATION.get(char, ""), i + 1


def _new_word(text: str, i: int, word: tuple[int, ...], cells: str) -> bool:
    """True when the syllable at ``text[i]`` (written ``cells``) starts a word: a word begins
    there, and it is not a neutral-tone syllable alone (a particle: 的, 了, 吗). A syllable
    ends in a tone cell exactly when its tone is 1 to 4 (no final is written as one)."""
    if word[i] == word[i - 1]:
        return False
    alone = i + 1 == len(text) or word[i + 1] != word[i]
    return not (alone and cells[-1] not in _TONE_CELLS)


def _is_mark(char: str) -> bool:
    return char in PUNCTUATION and char not in OPENING and not _NUMBER.match(char)


def braille_tokens(text: str, start: int, readings: dict[int, Reading]) -> Iterator[str]:
    """``text`` (= ``doc.text[start:…]``) as unbreakable braille pieces (syllables, marks,
    numbers, words, blanks), each Han character from its checked reading at its offset.

    A blank cell separates words (``_new_word``), a number from a syllable next to it or a
    following cell that would read as a digit, and a Latin word from a syllable next to it;
    an opening mark has a blank before it, a pausing, ending or closing mark one after it
    (moved after the last of several marks in a row). See the module docstring for the
    sources. Characters with no braille sign are left out.
    """
    text = text.translate(_FULLWIDTH_DIGITS)
    word = word_ids(text)
    i = 0
    previous = "blank"
    while i < len(text):
        at = i
        kind, cells, i = _piece(text, i, start, readings)
        if not cells:
            continue
        opening = kind == "mark" and text[at] in OPENING
        digit_like = cells[0] in DIGIT_CELLS or cells[0] in (DECIMAL_POINT, THOUSANDS)
        if (
            (previous == "number" and (digit_like or kind == "syllable"))
            or {previous, kind} == {"latin", "syllable"}
            or (previous == kind == "syllable" and _new_word(text, at, word, cells))
            or (previous, kind) == ("syllable", "number")
            or (opening and previous not in ("blank", "opening"))
        ):
            yield " "
        if cells.strip():
            yield cells.rstrip()
        if cells.endswith(" ") and not (i < len(text) and _is_mark(text[i])):
            yield " "
        previous = "opening" if opening else "blank" if cells.endswith(" ") else kind


def paragraph_tokens(text: str, start: int, readings: dict[int, Reading]) -> list[str]:
    """The pieces of one paragraph, runs of blanks collapsed, none at either end."""
    tokens: list[str] = []
    for token in braille_tokens(text, start, readings):
        if token == " " and (not tokens or tokens[-1] == " "):
            continue
        tokens.append(token)
    while tokens and tokens[-1] == " ":
        tokens.pop()
    return tokens


def text_braille(text: str, start: int, readings: dict[int, Reading]) -> str:
    """A run of ``doc.text`` as one line of Unicode braille (blank cells as spaces)."""
    return "".join(paragraph_tokens(text, start, readings))


def section_paragraphs(
    section: Section, doc: Document, readings: dict[int, Reading]
) -> list[list[str]]:
    """A section's paragraphs as braille pieces.

    A title that is not where the section's text begins (the opening part's "導語")
    comes first, as a paragraph of its own.
    """
    return list(iter_section_paragraphs(section, doc, readings))


def iter_section_paragraphs(
    section: Section, doc: Document, readings: dict[int, Reading]
) -> Iterator[list[str]]:
    """``section_paragraphs`` one at a time (a section may be the whole of a long report)."""
    first = doc.text[section.paragraphs[0].start :] if section.paragraphs else ""
    if section.title and not first.startswith(section.title):
        yield paragraph_tokens(section.title, -(10**9), {})
    for p in section.paragraphs:
        yield paragraph_tokens(doc.text[p.start : p.end], p.start, readings)


def brl_text(paragraphs: Iterable[list[str]]) -> str:
    """Unicode braille: one line per paragraph, a blank line between paragraphs."""
    return "".join(brl_parts(paragraphs))


def brl_parts(paragraphs: Iterable[list[str]]) -> Iterator[str]:
    """``brl_text`` a paragraph at a time."""
    for k, tokens in enumerate(paragraphs):
        yield ("\n\n" if k else "") + "".join(tokens)
    yield "\n"


def brf_text(
    paragraphs: Iterable[list[str]], width: int = BRF_WIDTH, page_lines: int = BRF_PAGE_LINES
) -> str:
    """BRF for embossers: North American Braille ASCII, lines of at most ``width`` cells
    broken between words (``_wrap``), a blank line between paragraphs, CRLF line ends, a
    form feed after every ``page_lines`` lines."""
    return "".join(brf_parts(paragraphs, width, page_lines))


def brf_parts(
    paragraphs: Iterable[list[str]], width: int = BRF_WIDTH, page_lines: int = BRF_PAGE_LINES
) -> Iterator[str]:
    """``brf_text`` a paragraph at a time."""
    count = 0  # lines so far

    def lines_of(k: int, tokens: list[str]) -> list[str]:
        return ([""] if k else []) + _wrap(tokens, width)

    for k, tokens in enumerate(paragraphs):
        out = []
        for line in lines_of(k, tokens):
            if count:
                out.append("\r\n\f" if count % page_lines == 0 else "\r\n")
            out.append(to_braille_ascii(line))
            count += 1
        yield "".join(out)
    yield "\r\n"


def to_braille_ascii(braille: str) -> str:
    """Unicode braille (6-dot) → North American Braille ASCII; spaces stay spaces."""
    return "".join(" " if c == " " else BRF_ASCII[(ord(c) - 0x2800) & 0x3F] for c in braille)


def _wrap(tokens: list[str], width: int) -> list[str]:
    """Fill lines greedily with whole words (the pieces between blanks, their punctuation
    with them); a word longer than a line is broken between its pieces."""
    words: list[list[str]] = [[]]
    for token in tokens:
        if token != " ":
            words[-1].append(token)
        elif words[-1]:
            words.append([])
    out: list[str] = []
    current = ""
    for pieces in filter(None, words):
        word = "".join(pieces)
        if current and len(current) + 1 + len(word) <= width:
            current += " " + word
            continue
        if current:
            out.append(current)
        current = ""
        for piece in [word] if len(word) <= width else pieces:
            if current and len(current) + len(piece) > width:
                out.append(current)
                current = ""
            current += piece
            while len(current) > width:  # a piece longer than a line (a very long number)
                out.append(current[:width])
                current = current[width:]
    if current:
        out.append(current)
    return out


@register("braille")
def export_braille(bundle: Bundle, out_dir: Path) -> list[Path]:
    """Write ``OUT/braille/NN-slug.brl.txt`` and ``NN-slug.brf`` for every section."""
    folder = Path(out_dir) / "braille"
    written: list[Path] = []
    for section in bundle.doc.sections:
        stem = section_stem(bundle.doc, section, bundle.readings)
        brl, brf = folder / f"{stem}.brl.txt", folder / f"{stem}.brf"
        # both files a paragraph at a time from one pass (a section may be the whole report)
        for_brl, for_brf = itertools.tee(
            iter_section_paragraphs(section, bundle.doc, bundle.readings)
        )
        with (
            atomic_path(brl) as brl_tmp,
            atomic_path(brf) as brf_tmp,
            brl_tmp.open("w", encoding="utf-8", newline="") as brl_out,
            brf_tmp.open("w", encoding="utf-8", newline="") as brf_out,
        ):
            for a, b in itertools.zip_longest(brl_parts(for_brl), brf_parts(for_brf)):
                brl_out.write(a or "")
                brf_out.write(b or "")
        written += [brl, brf]
    return written
