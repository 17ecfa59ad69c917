"""Lift embedded pinyin out of one input line: the annotations, the clean text, notices.

An annotation is a bracketed Mandarin syllable directly after a Han character, in half- or
full-width brackets, repeated copies merged (``工(gong)(gong)``); a word's pinyin after the
word gives each of its characters one syllable (``發展(fa zhan)``), as does a row of
different syllables that reads so (``制度(zhi)(du)``). Anything else in brackets is text.
Pure functions; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from speak.document.hygiene import visible
from speak.model import Notice
from speak.zh.chars import readings_of
from speak.zh.han import is_han
from speak.zh.pinyin import normalize_syllable, split_syllables, toneless

OPEN = "(（"
CLOSE = ")）"
# An attempted syllable: pinyin's shape even if misspelt (``xaing``); not an acronym or a word.
_PINYIN_SHAPE = re.compile(
    r"^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouvü]{1,3}(n|ng|r)?[1-5]?$|^[a-zü:]+[1-5]$"
)
_LATIN_WORD = re.compile(r"^[A-Za-zÀ-ɏ:]+[1-5]?$")
MAX_WORD = 8  # most characters one bracketed word annotation (or row of syllables) covers


@dataclass(frozen=True)
class Line:
    text: str  # the line with annotations removed
    annotations: list[tuple[int, int, str, list[str], str]]  # (pos, column, char, copies, raw)
    notices: list[Notice]


def _attempted_syllable(word: str) -> bool:
    """A word that is written as a syllable would be, even when it is not a real one."""
    return bool(_LATIN_WORD.match(word)) and bool(_PINYIN_SHAPE.match(word.lower()))


def _close_of(line: str, start: int) -> int:
    """Index of the bracket closing the one at ``start`` on the same line, or -1."""
    for i in range(start + 1, len(line)):
        if line[i] in OPEN:
            return -1
        if line[i] in CLOSE:
            return i
    return -1


def _word_syllables(word: str, run: list[str]) -> tuple[tuple[str, ...] | None, int]:
    """The syllables of a word annotation (``發展(fa zhan)``: one per character before it),
    or None; and how many characters ``word`` would spell as pinyin (0: it is not pinyin).

    The cut kept is the one whose syllables are most often readings of their characters;
    at least half must be, or it is not pinyin for them (``中國(China)``: chi na).
    """
    ways = split_syllables(word, len(run))
    best: tuple[str, ...] | None = None
    best_agree = 0
    for way in ways:
        agree = _agreeing(list(way), run[-len(way) :])
        if 2 * agree >= len(way) and agree > best_agree:
            best, best_agree = way, agree
    return best, min(map(len, ways), default=0)


def _agreeing(syllables: list[str], chars: list[str]) -> int:
    """How many of the syllables are a reading (tone aside) of the character paired with it."""
    return sum(
        toneless(s) in {toneless(r) for r in readings_of(c)}
        for s, c in zip(syllables, chars, strict=True)
    )


def _one_each(line: str, at: int, run: list[str]) -> list[tuple[int, int, str]]:
    """The bracketed syllables from ``at`` on, when they annotate the characters before them
    one each (``制度(zhi)(du)``), as (open, close, syllable); else [] (copies of one
    annotation, ``工(gong)(gong)``, or anything else).

    One each is chosen only when more syllables are then readings of their characters."""
    groups: list[tuple[int, int, str]] = []
    # More groups than characters are copies, not one each: stop there, so a long row of
    # copies (``工`` and 20,000 ``(gong)``) costs linear time, not quadratic.
    while at < len(line) and line[at] in OPEN and len(groups) <= len(run):
        end = _close_of(line, at)
        word = line[at + 1 : end].strip() if end > 0 else ""
        if not normalize_syllable(word):
            break
        groups.append((at, end, word))
        at = end + 1
    syllables = [word for _, _, word in groups]
    if not 2 <= len(groups) <= len(run) or len({toneless(w) for w in syllables}) < 2:
        return []
    spread = _agreeing(syllables, run[-len(groups) :])
    stacked = _agreeing(syllables, run[-1:] * len(groups))
    return groups if spread > stacked else []


def scan_line(line: str, number: int) -> Line:
    """One input line (number ``number``) without its annotations or hidden characters."""
    shown = visible(line)
    line = shown.text
    column = shown.column
    out: list[str] = []
    annotations: list[tuple[int, int, str, list[str], str]] = []
    notices: list[Notice] = [Notice(number, r.column, r.kind, r.message) for r in shown.removed]
    raws: dict[int, list[str]] = {}  # index in annotations → its raw pieces (joined at the end)
    opened: list[int] = []  # columns of text brackets still open
    # (pos in out, input column) of the last MAX_WORD Han chars just seen: all an annotation
    # after them can cover
    run: list[tuple[int, int]] = []
    annotated: dict[int, int] = {}  # pos in out → index in annotations

    def annotate(places: list[tuple[int, int]], syllables, raw: str) -> None:
        for (pos, column), syllable in zip(places, syllables, strict=True):
            k = annotated.get(pos)
            if k is None:
                annotated[pos] = len(annotations)
                annotations.append((pos, column, out[pos], [syllable], raw))
            else:  # a repeat: one more copy (raw text joined once, at the end)
                annotations[k][3].append(syllable)
                raws.setdefault(k, [annotations[k][4]]).append(raw)

    i = 0
    while i < len(line):
        ch = line[i]
        if ch in OPEN and run:
            chars = [out[pos] for pos, _ in run]
            spread = _one_each(line, i, chars)
            if spread:
                for k, (start, stop, syllable) in enumerate(spread):
                    annotate([run[k - len(spread)]], [syllable], line[start : stop + 1])
                i = spread[-1][1] + 1
                continue
            end = _close_of(line, i)
            word = line[i + 1 : end].strip() if end > 0 else ""
            raw = line[i : end + 1]
            if end > 0 and normalize_syllable(word):
                annotate(run[-1:], [word], raw)
                i = end + 1
                continue
            if end > 0:
                syllables, spelled = _word_syllables(word, chars)
                if syllables:
                    annotate(run[-len(syllables) :], syllables, raw)
                    i = end + 1
                    continue
                if _attempted_syllable(word):
                    annotate(run[-1:], [word], raw)
                    notices.append(
                        Notice(
                            number,
                            column(i),
                            "unknown-syllable",
                            f"({word}) after {out[run[-1][0]]} is not a Mandarin syllable",
                        )
                    )
                    i = end + 1
                    continue
                if spelled:
                    notices.append(
                        Notice(
                            number,
                            column(i),
                            "not-pinyin",
                            f"({word}) after {''.join(chars[-spelled:])} is not "
                            "their reading in pinyin; kept as text",
                        )
                    )
        if ch in OPEN:
            opened.append(column(i))
        elif ch in CLOSE:
            if opened:
                opened.pop()
            else:
                notices.append(
                    Notice(number, column(i), "unbalanced", f"'{ch}' closes nothing; kept as text")
                )
        if is_han(ch):
            run.append((len(out), column(i)))
            if len(run) > MAX_WORD:
                del run[0]
        else:
            run = []
        out.append(ch)
        i += 1
    for column in opened:
        notices.append(
            Notice(number, column, "unbalanced", "'(' is never closed on its line; kept as text")
        )
    for k, pieces in raws.items():
        pos, col, char, copies, _ = annotations[k]
        annotations[k] = (pos, col, char, copies, "".join(pieces))
    return Line("".join(out), annotations, notices)
