"""Text to Document: annotations out of each line (``speak.document.annotations``), then paragraphs,
sentences and repeated paragraphs. Pure functions; no I/O.
"""

from __future__ import annotations

from speak.document.annotations import scan_line
from speak.model import Annotation, Document, Notice, Paragraph, Sentence
from speak.zh.han import SENTENCE_ENDS
from speak.zh.script import detect_script

TERMINATORS = SENTENCE_ENDS
CLOSERS = "”’」』）)》〉】\"'"


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
    lines = text.split("\n")
    if len(lines) > 1 and not lines[-1]:  # a final newline ends the last line, adds none
        lines.pop()
    for number, line in enumerate(lines, start=1):
        scanned = scan_line(line, number)
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
