"""The text half of the pipeline: file → Document → readings → findings."""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from tqdm import tqdm

from speak.document.load import read_input
from speak.document.parse import parse_text
from speak.document.sections import add_sections
from speak.model import Annotation, Document, Finding, Reading
from speak.zh.tones import citation


@dataclass(frozen=True)
class Analysis:
    """A document with its checked readings (by offset in doc.text) and findings."""

    doc: Document
    readings: dict[int, Reading]
    findings: tuple[Finding, ...]
    lexicon: object | None = None  # speak.readings.Lexicon


def load_document(
    path: str | Path,
    *,
    encoding: str | None = None,
    keep_repeats: bool = False,
    errors: str = "strict",
    data: bytes | None = None,
) -> Document:
    """Read and parse a file (or "-" for standard input, or ``data`` read from it) into a
    Document with sections; bytes replaced by ``errors="replace"`` are among its notices."""
    text, used, replaced = read_input(str(path), encoding, errors, data)
    doc = parse_text(text, str(path), used)
    if replaced:
        notices = tuple(heapq.merge(replaced, doc.notices, key=lambda n: n.line))
        doc = replace(doc, notices=notices)
    return add_sections(doc, keep_repeats=keep_repeats)


BATCH_CHARS = 30_000  # read about this many characters at a time: memory stays flat


def _batches(doc: Document) -> Iterator[tuple[int, list[tuple[int, int]]]]:
    """Spans of ``doc.text`` to read together, about BATCH_CHARS characters a batch.

    Yields (paragraphs finished with this batch, spans). A paragraph is one span, or its
    ``windows`` when longer than a window, so one huge paragraph (a two-million-character
    line) is read a window at a time too.
    """
    from speak.readings.reader import WINDOW_CHARS, windows

    spans: list[tuple[int, int]] = []
    size = finished = 0
    for p in doc.paragraphs:
        if p.end - p.start <= WINDOW_CHARS:
            pieces = [(p.start, p.end)]
        else:
            pieces = [(p.start + lo, p.start + hi) for lo, hi in windows(doc.text[p.start : p.end])]
        for k, piece in enumerate(pieces, start=1):
            spans.append(piece)
            size += piece[1] - piece[0]
            finished += k == len(pieces)
            if size >= BATCH_CHARS:
                yield finished, spans
                spans, size, finished = [], 0, 0
    if spans:
        yield finished, spans


def iter_readings(
    doc: Document, lexicon: object | None = None
) -> Iterator[tuple[int, dict[int, Reading]]]:
    """Readings of the document's Han characters, by offset, a batch of spans at a time.

    Every reading leaves here in its citation tone (一 yi1, 不 bu4: speak.zh.tones), so the
    check, ``speak pinyin``, ruby and braille show one convention; speech says the spoken tones.

    Yields (paragraphs finished in the batch, readings by offset).
    """
    from speak.readings import Reader
    from speak.readings.reader import shifted

    reader = Reader(lexicon)
    for finished, spans in _batches(doc):
        found = reader.read_many([doc.text[lo:hi] for lo, hi in spans], doc.script)
        yield (
            finished,
            {
                lo + r.offset: cited(shifted(r, lo))
                for (lo, _), readings in zip(spans, found, strict=True)
                for r in readings
            },
        )


def read_document(doc: Document, lexicon: object | None = None) -> dict[int, Reading]:
    """The reading in context of every Han character of the document, by offset."""
    readings: dict[int, Reading] = {}
    for _, batch in iter_readings(doc, lexicon):
        readings.update(batch)
    return readings


def cited(reading: Reading) -> Reading:
    """``reading`` in its citation tone (speak.zh.tones.citation: 一 yi1, 不 bu4)."""
    pinyin = citation(reading.char, reading.pinyin)
    return reading if pinyin == reading.pinyin else replace(reading, pinyin=pinyin)


def load_lexicon_file(path: str | Path | None):
    """The user lexicon at ``path`` (None when not given); LexiconError when malformed."""
    if path is None:
        return None
    from speak.errors import LexiconError
    from speak.readings import load_lexicon

    try:
        return load_lexicon(path)
    except LexiconError as e:
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
        if str(path) not in message:
            message = f"lexicon {path}: {message}"
        raise LexiconError(message) from None


def iter_findings(
    doc: Document,
    lexicon: object | None = None,
    *,
    readings: dict[int, Reading] | None = None,
    progress: tqdm | None = None,
) -> Iterator[Finding]:
    """One Finding per annotation of ``doc``, in input order, a batch of paragraphs at a time.

    Readings are dropped batch by batch once their annotations are judged (or added to
    ``readings`` when given), so a caller that consumes the findings as they come holds only
    one batch. ``progress`` (a tqdm bar) advances by paragraphs read.
    """
    from speak.check.findings import check

    annotations = doc.annotations
    done = 0
    if progress is not None:
        progress.reset(total=len(doc.paragraphs))
    for count, batch in iter_readings(doc, lexicon):
        if progress is not None:
            progress.update(count)
        last = max(batch, default=-1)
        # annotations are in input order, so sorted by offset
        end = bisect.bisect_right(annotations, last, lo=done, key=_offset)
        yield from check(replace(doc, annotations=annotations[done:end]), batch)
        done = end
        if readings is not None:
            readings.update(batch)
    if done < len(annotations):  # annotations on characters no batch read
        yield from check(replace(doc, annotations=annotations[done:]), {})


def _offset(annotation: Annotation) -> int:
    return annotation.offset


def analyze(
    path: str | Path,
    *,
    encoding: str | None = None,
    lexicon: str | Path | object | None = None,
    keep_repeats: bool = False,
    progress: tqdm | None = None,
    errors: str = "strict",
    data: bytes | None = None,
) -> Analysis:
    """Load, parse, section, read and check one file, keeping every reading and finding.

    (``speak check`` streams ``iter_findings`` instead.) ``progress`` (a tqdm bar) advances
    by paragraphs read.
    """
    lex = load_lexicon_file(lexicon) if isinstance(lexicon, (str, Path)) else lexicon
    doc = load_document(
        path, encoding=encoding, keep_repeats=keep_repeats, errors=errors, data=data
    )
    readings: dict[int, Reading] = {}
    findings = tuple(iter_findings(doc, lex, readings=readings, progress=progress))
    return Analysis(doc, readings, findings, lex)
