"""Text to Document: lift embedded pinyin out of the text, then paragraphs and sentences.

An annotation is a parenthesised Mandarin syllable directly after a Han character, in half-
or full-width parentheses, repeated copies merged: ``工(gong)(gong)``. Anything else in
parentheses is text and stays text. Pure functions; no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from speak.han import is_han
from speak.model import Annotation, Document, Notice, Paragraph, Sentence
from speak.pinyin import normalize_syllable, split_syllables, toneless
from speak.readings.chars import readings_of

OPEN = "(（"
CLOSE = ")）"
TERMINATORS = "。！？；…!?;"
CLOSERS = "”’」』）)》〉】\"'"
# An attempted syllable: pinyin's shape even if misspelt (``xaing``); not an acronym or a word.
_PINYIN_SHAPE = re.compile(
    r"^(zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouvü]{1,3}(n|ng|r)?[1-5]?$|^[a-zü:]+[1-5]$"
)
_LATIN_WORD = re.compile(r"^[A-Za-zÀ-ɏ:]+[1-5]?$")
MAX_WORD = 8  # most characters one bracketed word annotation (or row of syllables) covers


@dataclass(frozen=True)
class _Line:
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
    ways = split_syllables(word, min(len(run), MAX_WORD))
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
        toneless(s) in {r.rstrip("12345") for r in readings_of(c)}
        for s, c in zip(syllables, chars, strict=True)
    )


def _one_each(line: str, at: int, run: list[str]) -> list[tuple[int, int, str]]:
    """The bracketed syllables from ``at`` on, when they annotate the characters before them
    one each (``制度(zhi)(du)``), as (open, close, syllable); else [] (copies of one
    annotation, ``工(gong)(gong)``, or anything else).

    One each is chosen only when more syllables are then readings of their characters."""
    groups: list[tuple[int, int, str]] = []
    while at < len(line) and line[at] in OPEN:
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


def _scan_line(line: str, number: int) -> _Line:
    out: list[str] = []
    annotations: list[tuple[int, int, str, list[str], str]] = []
    notices: list[Notice] = []
    opened: list[int] = []  # columns of text brackets still open
    run: list[tuple[int, int]] = []  # (pos in out, input column) of the Han chars just seen
    annotated: dict[int, int] = {}  # pos in out → index in annotations

    def annotate(places: list[tuple[int, int]], syllables, raw: str) -> None:
        for (pos, column), syllable in zip(places, syllables, strict=True):
            k = annotated.get(pos)
            if k is None:
                annotated[pos] = len(annotations)
                annotations.append((pos, column, out[pos], [syllable], raw))
            else:  # a repeat: one more copy
                prev = annotations[k]
                prev[3].append(syllable)
                annotations[k] = (prev[0], prev[1], prev[2], prev[3], prev[4] + raw)

    i = 0
    while i < len(line):
        ch = line[i]
        if ch in OPEN and run:
            chars = [out[pos] for pos, _ in run[-MAX_WORD:]]
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
                            i + 1,
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
                            i + 1,
                            "not-pinyin",
                            f"({word}) after {''.join(chars[-spelled:])} is not "
                            "their reading in pinyin; kept as text",
                        )
                    )
        if ch in OPEN:
            opened.append(i + 1)
        elif ch in CLOSE:
            if opened:
                opened.pop()
            else:
                notices.append(
                    Notice(number, i + 1, "unbalanced", f"'{ch}' closes nothing; kept as text")
                )
        if is_han(ch):
            run.append((len(out), i + 1))
        else:
            run = []
        out.append(ch)
        i += 1
    for column in opened:
        notices.append(
            Notice(number, column, "unbalanced", "'(' is never closed on its line; kept as text")
        )
    return _Line("".join(out), annotations, notices)


def split_sentences(text: str, start: int, first_id: int) -> list[Sentence]:
    """Sentences of one paragraph (``text`` begins at offset ``start`` of the document).

    Numbered from ``first_id``; a sentence's text is ``text[s.start - start : s.end - start]``.
    """
    sentences: list[Sentence] = []
    begin = 0
    i = 0
    n = len(text)
    while i < n:
        if text[i] in TERMINATORS:
            j = i + 1
            while j < n and (text[j] in TERMINATORS or text[j] in CLOSERS):
                j += 1
            sentences.append(_sentence(text, begin, j, start, first_id + len(sentences)))
            begin = i = j
            continue
        i += 1
    if text[begin:].strip():
        sentences.append(_sentence(text, begin, n, start, first_id + len(sentences)))
    return [s for s in sentences if s.end > s.start]


def _sentence(text: str, begin: int, end: int, start: int, number: int) -> Sentence:
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    return Sentence(number, start + begin, start + end)


def _comparable(text: str) -> str:
    """Text with spacing and punctuation dropped, for spotting repeated paragraphs."""
    return "".join(c for c in text if c.isalnum())


MIN_REPEAT = 8  # shorter text (a heading, a date) may recur without being a repeat


def _repeat_of(keys: list[str], seen: dict[str, int]) -> int | None:
    """The earlier paragraph this one only repeats: every sentence of it was said before.

    ``keys`` are the paragraph's sentences with spacing and punctuation dropped; ``seen``
    maps each earlier such sentence to its paragraph, so the test costs one lookup a
    sentence however long the document is.
    """
    if sum(map(len, keys)) < MIN_REPEAT or not all(k in seen for k in keys if k):
        return None
    return seen[next(k for k in keys if k)]


class _Shared(dict):
    """One copy of each equal value: annotations repeat a few characters and syllables, so
    a long document holds each string once rather than once per annotation."""

    def __call__(self, value):
        return self.setdefault(value, value)


def parse_text(text: str, source: str = "-", encoding: str = "utf-8") -> Document:
    """Parse decoded input text (LF newlines) into a Document without sections."""
    clean_lines: list[str] = []
    annotations: list[Annotation] = []
    notices: list[Notice] = []
    paragraphs: list[Paragraph] = []
    line_starts: list[int] = []
    seen: dict[str, int] = {}  # earlier sentences → their paragraph
    shared = _Shared()
    offset = 0
    sentence_count = 1
    for number, line in enumerate(text.split("\n"), start=1):
        scanned = _scan_line(line, number)
        line_starts.append(offset)
        clean_lines.append(scanned.text)
        notices.extend(scanned.notices)
        for pos, column, char, copies, raw in scanned.annotations:
            annotations.append(
                Annotation(
                    offset + pos, number, column, shared(char), shared(tuple(copies)), shared(raw)
                )
            )
        stripped = scanned.text.strip()
        if stripped:
            lead = len(scanned.text) - len(scanned.text.lstrip())
            start = offset + lead
            sentences = split_sentences(stripped, start, sentence_count)
            sentence_count += len(sentences)
            index = len(paragraphs)
            keys = [_comparable(stripped[s.start - start : s.end - start]) for s in sentences]
            repeat = _repeat_of(keys, seen)
            if repeat is not None:
                notices.append(
                    Notice(
                        number,
                        lead + 1,
                        "repeat",
                        f"line {number} only repeats paragraph {repeat + 1}; left out",
                    )
                )
            paragraphs.append(
                Paragraph(index, start, start + len(stripped), number, tuple(sentences), repeat)
            )
            for key in keys:
                seen.setdefault(key, index)
        offset += len(scanned.text) + 1
    clean = "\n".join(clean_lines)
    return Document(
        source=source,
        encoding=encoding,
        text=clean,
        annotations=tuple(annotations),
        paragraphs=tuple(paragraphs),
        notices=tuple(notices),
        script=detect_script(clean),
        line_starts=tuple(line_starts),
    )


SCRIPT_SAMPLE = 20_000  # Han characters enough to tell the script of any report


def detect_script(text: str) -> str:
    """ "Hant" when the text has more Traditional-only than Simplified-only characters.

    Judged on the first SCRIPT_SAMPLE Han characters, so a long input costs no more.
    """
    from itertools import islice

    from speak.script import to_simplified, to_traditional

    han = "".join(islice((c for c in text if is_han(c)), SCRIPT_SAMPLE))
    trad_only = sum(a != b for a, b in zip(han, to_simplified(han), strict=False))
    simp_only = sum(a != b for a, b in zip(han, to_traditional(han), strict=False))
    return "Hant" if trad_only > simp_only else "Hans"
