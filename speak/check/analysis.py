"""The text half of the pipeline: file → Document → readings → findings."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from tqdm import tqdm

from speak.document.load import read_input
from speak.document.parse import parse_text
from speak.document.sections import add_sections
from speak.model import Annotation, Document, Finding, Paragraph, Reading


@dataclass(frozen=True)
class Analysis:
    """A document with its checked readings (by offset in doc.text) and findings."""

    doc: Document
    readings: dict[int, Reading]
    findings: tuple[Finding, ...]
    lexicon: object | None = None  # speak.readings.Lexicon


def load_document(
    path: str | Path, *, encoding: str | None = None, keep_repeats: bool = False
) -> Document:
    """Read and parse a file (or "-" for standard input) into a Document with sections."""
    text, used = read_input(str(path), encoding)
    return add_sections(parse_text(text, str(path), used), keep_repeats=keep_repeats)


BATCH_CHARS = 30_000  # read about this many characters at a time: memory stays flat


def _batches(paragraphs: tuple[Paragraph, ...]) -> Iterator[tuple[Paragraph, ...]]:
    """Consecutive paragraphs grouped to about BATCH_CHARS characters (at least one each)."""
    start, size = 0, 0
    for i, p in enumerate(paragraphs):
        size += p.end - p.start
        if size >= BATCH_CHARS:
            yield paragraphs[start : i + 1]
            start, size = i + 1, 0
    if start < len(paragraphs):
        yield paragraphs[start:]


def iter_readings(
    doc: Document, lexicon: object | None = None
) -> Iterator[tuple[int, dict[int, Reading]]]:
    """Readings of the document's Han characters, by offset, a batch of paragraphs at a time.

    Yields (paragraphs in the batch, readings by offset).
    """
    from speak.readings import Reader

    reader = Reader(lexicon)
    for batch in _batches(doc.paragraphs):
        found = reader.read_many([doc.text[p.start : p.end] for p in batch], doc.script)
        yield (
            len(batch),
            {
                p.start + r.offset: _shifted(r, p.start)
                for p, readings in zip(batch, found, strict=True)
                for r in readings
            },
        )


def _shifted(reading: Reading, by: int) -> Reading:
    """``reading`` with its offsets moved from its paragraph into the document's text."""
    word = reading.word
    return replace(
        reading,
        offset=reading.offset + by,
        word=(word[0] + by, word[1] + by) if word else None,
    )


def read_document(doc: Document, lexicon: object | None = None) -> dict[int, Reading]:
    """The reading in context of every Han character of the document, by offset."""
    readings: dict[int, Reading] = {}
    for _, batch in iter_readings(doc, lexicon):
        readings.update(batch)
    return readings


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
) -> Analysis:
    """Load, parse, section, read and check one file, keeping every reading and finding.

    (``speak check`` streams ``iter_findings`` instead.) ``progress`` (a tqdm bar) advances
    by paragraphs read.
    """
    lex = load_lexicon_file(lexicon) if isinstance(lexicon, (str, Path)) else lexicon
    doc = load_document(path, encoding=encoding, keep_repeats=keep_repeats)
    readings: dict[int, Reading] = {}
    findings = tuple(iter_findings(doc, lex, readings=readings, progress=progress))
    return Analysis(doc, readings, findings, lex)
