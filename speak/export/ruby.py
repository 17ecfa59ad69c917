"""Ruby XHTML: the checked reading over every Han character (or only the polyphones).

``ruby_sentence_html`` is the reusable piece (the EPUB and the read-along page use it too);
``section_html`` and ``xhtml_document`` build whole documents; the ``xhtml`` exporter writes
``OUT/<name>.xhtml`` with the stylesheet inlined so the file stands alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from importlib import resources
from pathlib import Path

from speak.export.base import Bundle, Notation, RubyMode, register
from speak.fsutil import write_parts
from speak.model import Document, Paragraph, Reading, Section
from speak.zh.notation import format_reading

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"


def lang_of(doc: Document) -> str:
    """BCP 47 language tag of the document's script."""
    return "zh-Hans" if doc.script == "Hans" else "zh-Hant"


def stylesheet() -> str:
    """The ruby stylesheet shipped in ``speak/export/assets/ruby.css``."""
    return resources.files("speak.export").joinpath("assets/ruby.css").read_text("utf-8")


def shows_reading(reading: Reading | None, mode: RubyMode) -> bool:
    """Whether a character gets a ruby annotation in this mode."""
    if reading is None or mode == "none":
        return False
    return mode == "all" or len(set(reading.candidates)) > 1


def ruby_sentence_html(
    text: str,
    start: int,
    readings: dict[int, Reading],
    *,
    mode: RubyMode = "all",
    notation: Notation = "pinyin",
) -> str:
    """Escaped (X)HTML for ``text`` (= ``doc.text[start:end]``), readings as ruby.

    Every character with a reading at its offset (every Han character) gets one
    ``<ruby>字<rp>(</rp><rt>zì</rt><rp>)</rp></ruby>`` when ``mode`` asks for it;
    everything else is escaped text.
    """
    out: list[str] = []
    for i, char in enumerate(text):
        reading = readings.get(start + i)
        if shows_reading(reading, mode):
            rt = escape(format_reading(reading.pinyin, notation), quote=False)
            out.append(f"<ruby>{escape(char)}<rp>(</rp><rt>{rt}</rt><rp>)</rp></ruby>")
        else:
            out.append(escape(char, quote=False))
    return "".join(out)


def section_id(section: Section) -> str:
    return f"sec{section.number:02d}"


def section_title(section: Section, doc: Document) -> str:
    """The heading of a section (the document title for an untitled opening part)."""
    return section.title.strip() or doc.title.strip() or doc.source


PIECE = 10_000  # characters of text marked up at a time (a sentence may be a whole report)


def pieces(start: int, end: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` cut into spans of at most PIECE characters."""
    for lo in range(start, end, PIECE):
        yield lo, min(end, lo + PIECE)


def paragraph_parts(
    paragraph: Paragraph,
    doc: Document,
    readings: dict[int, Reading],
    mode: RubyMode,
    notation: Notation,
) -> Iterator[str]:
    """``paragraph_html`` a piece at a time (the markup is per character, so cutting the text
    changes nothing in it)."""

    def html(start: int, end: int) -> Iterator[str]:
        for lo, hi in pieces(start, end):
            yield ruby_sentence_html(doc.text[lo:hi], lo, readings, mode=mode, notation=notation)

    yield "<p>"
    pos = paragraph.start
    for sentence in paragraph.sentences:
        if sentence.start > pos:
            yield from html(pos, sentence.start)
        yield f'<span id="{escape(sentence.id)}">'
        yield from html(sentence.start, sentence.end)
        yield "</span>"
        pos = sentence.end
    if paragraph.end > pos:
        yield from html(pos, paragraph.end)
    yield "</p>"


def paragraph_html(
    paragraph: Paragraph,
    doc: Document,
    readings: dict[int, Reading],
    mode: RubyMode,
    notation: Notation,
) -> str:
    """One ``<p>``: each sentence in a ``<span id=…>``, text between sentences kept."""
    return "".join(paragraph_parts(paragraph, doc, readings, mode, notation))


def section_parts(
    section: Section, bundle: Bundle, *, epub: bool = False, heading: str = "h2"
) -> Iterator[str]:
    """One ``<section>`` with its heading (``<h2>`` by default) and paragraphs, a paragraph
    at a time (a report with no enumerated items is one section: it may be the whole text).

    With ``epub`` the section is marked as a chapter (``epub:type`` and its ARIA role).
    """
    sid = section_id(section)
    title = escape(section_title(section, bundle.doc), quote=False)
    kind = ' epub:type="chapter" role="doc-chapter"' if epub else ""
    yield (
        f'<section id="{sid}"{kind} aria-labelledby="{sid}-title">\n'
        f'<{heading} id="{sid}-title">{title}</{heading}>\n'
    )
    o = bundle.options
    for k, p in enumerate(section.paragraphs):
        if k:
            yield "\n"
        yield from paragraph_parts(p, bundle.doc, bundle.ruby_readings, o.ruby, o.notation)
    yield "\n</section>"


def section_html(
    section: Section, bundle: Bundle, *, epub: bool = False, heading: str = "h2"
) -> str:
    """One ``<section>`` with its heading (``<h2>`` by default) and paragraphs.

    With ``epub`` the section is marked as a chapter (``epub:type`` and its ARIA role).
    """
    return "".join(section_parts(section, bundle, epub=epub, heading=heading))


def xhtml_document(
    title: str,
    lang: str,
    body: str,
    *,
    css_href: str = "",
    css_inline: str = "",
    body_class: str = "",
) -> str:
    """A complete XHTML5 document (parses as XML), with the epub namespace declared."""
    head_css = (
        f'<link rel="stylesheet" type="text/css" href="{escape(css_href)}"/>' if css_href else ""
    )
    if css_inline:
        head_css = f"<style>\n{css_inline}</style>"
    cls = f' class="{escape(body_class)}"' if body_class else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}" lang="{lang}" xml:lang="{lang}">\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{escape(title, quote=False)}</title>\n'
        f"{head_css}\n</head>\n"
        f"<body{cls}>\n{body}\n</body>\n</html>\n"
    )


def document_title(doc: Document) -> str:
    return doc.title.strip() or Path(doc.source).stem or "speak"


def ruby_xhtml_parts(bundle: Bundle) -> Iterator[str]:
    """The whole document as one standalone ruby XHTML page, a section at a time."""
    doc = bundle.doc
    title = document_title(doc)
    page = xhtml_document(
        title,
        lang_of(doc),
        f"<main>\n<h1>{escape(title, quote=False)}</h1>\n{_BODY}\n</main>",
        css_inline=stylesheet(),
        body_class=f"notation-{bundle.options.notation}",
    )
    head, tail = page.split(_BODY)
    yield head
    for k, section in enumerate(doc.sections):
        if k:
            yield "\n"
        yield from section_parts(section, bundle)
    yield tail


_BODY = "\x00sections\x00"  # where the sections go (no text holds NUL: load removes it)


def ruby_xhtml(bundle: Bundle) -> str:
    """The whole document as one standalone ruby XHTML page."""
    return "".join(ruby_xhtml_parts(bundle))


@register("xhtml")
def export_xhtml(bundle: Bundle, out_dir: Path) -> list[Path]:
    """Write ``OUT/<name>.xhtml``, section by section (a long report is never held whole)."""
    return [write_parts(Path(out_dir) / f"{bundle.options.name}.xhtml", ruby_xhtml_parts(bundle))]
