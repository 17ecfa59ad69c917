"""The text half of the pipeline: file → Document → readings → findings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from speak.load import read_input
from speak.model import Document, Finding, Reading
from speak.parse import parse_text
from speak.sections import add_sections


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


def read_document(doc: Document, lexicon: object | None = None) -> dict[int, Reading]:
    """The reading in context of every Han character of the document, by offset."""
    from speak.readings import Reader

    reader = Reader(lexicon)
    texts = [doc.text[p.start : p.end] for p in doc.paragraphs]
    readings: dict[int, Reading] = {}
    for paragraph, found in zip(doc.paragraphs, reader.read_many(texts), strict=True):
        for r in found:
            offset = paragraph.start + r.offset
            readings[offset] = replace(r, offset=offset)
    return readings


def load_lexicon_file(path: str | Path | None):
    """The user lexicon at ``path`` (None when not given); LexiconError when malformed."""
    if path is None:
        return None
    from speak.errors import LexiconError
    from speak.readings import load_lexicon

    try:
        return load_lexicon(path)
    except (OSError, ValueError) as e:
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
        if str(path) not in message:
            message = f"lexicon {path}: {message}"
        raise LexiconError(message) from None


def analyze(
    path: str | Path,
    *,
    encoding: str | None = None,
    lexicon: str | Path | object | None = None,
    keep_repeats: bool = False,
) -> Analysis:
    """Load, parse, section, read and check one file."""
    from speak.check import check

    lex = load_lexicon_file(lexicon) if isinstance(lexicon, (str, Path)) else lexicon
    doc = load_document(path, encoding=encoding, keep_repeats=keep_repeats)
    readings = read_document(doc, lex)
    return Analysis(doc, readings, tuple(check(doc, readings)), lex)
