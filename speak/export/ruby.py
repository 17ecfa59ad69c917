"""Ruby XHTML: the checked reading over every Han character (or only the polyphones).

``ruby_sentence_html`` is the reusable piece (the EPUB and the read-along page use it too);
``section_html`` and ``xhtml_document`` build whole documents; the ``xhtml`` exporter writes
``OUT/<name>.xhtml`` with the stylesheet inlined so the file stands alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from html import escape
from importlib import resources
from pathlib import Path

from speak.export.base import Bundle, Notation, RubyMode, register
from speak.fsutil import write_parts
from speak.model import Document, Paragraph, Reading, Section, Sentence
from speak.zh.chars import default_reading, readings_of
from speak.zh.han import is_han
from speak.zh.notation import format_reading
from speak.zh.words import word_ids

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


# A number and the unit after it are one unbreakable group (2021年, 1-10月, 30個).
NUMBER = re.compile(r"[0-9０-９]+(?:[.．,，:：\-－–~～][0-9０-９]+)*[%％]?")
# Marks that must not start a line (closing) or end one (opening).
CLOSING = frozenset("、，。．：；！？）〕］｝》〉」』”’…,.:;!?)]}%％")
OPENING = frozenset("（〔［｛《〈「『“‘([{")
UNITS = frozenset(
    "年月日號号時时分秒個个倍元角萬万億亿千百人家項项種种次位名條条件天週周歲岁屆届批輪轮"
)


def _ruby(char: str, reading: Reading, notation: Notation) -> str:
    rt = escape(format_reading(reading.pinyin, notation), quote=False)
    return f"<ruby>{escape(char)}<rp>(</rp><rt>{rt}</rt><rp>)</rp></ruby>"


def ruby_sentence_html(
    text: str,
    start: int,
    readings: dict[int, Reading],
    *,
    mode: RubyMode = "all",
    notation: Notation = "pinyin",
    marks: Mapping[int, tuple[str, str]] | None = None,
    notes: Mapping[int, str] | None = None,
) -> str:
    """Escaped (X)HTML for ``text`` (= ``doc.text[start:end]``), readings as ruby.

    Every character with a reading at its offset (every Han character) gets one
    ``<ruby>字<rp>(</rp><rt>zì</rt><rp>)</rp></ruby>`` when ``mode`` asks for it. The rubies
    of one word (cut as for braille, ``speak.zh.words``) go in one ``<span class="w">``: the
    stylesheet lays a word out as equal cells as wide as its widest reading, so the characters
    of a word are evenly spaced, its readings never touch, and no line breaks inside it. A
    number and its unit (``2021年``, ``1-10月``) are held together in ``<span class="nu">``.
    Everything else is escaped text.

    ``marks`` wraps a character (by offset in the document) in markup, opening and closing;
    ``notes`` puts markup after the word or group that holds a character.
    """
    words = word_ids(text) if mode != "none" else ()
    marks, notes = marks or {}, notes or {}

    def shown(i: int) -> bool:
        return shows_reading(readings.get(start + i), mode)

    def cell(i: int) -> str:
        reading = readings.get(start + i)
        html = _ruby(text[i], reading, notation) if shown(i) else escape(text[i], quote=False)
        opening, closing = marks.get(start + i, ("", ""))
        return f"{opening}{html}{closing}"

    def notes_in(i: int, j: int) -> str:
        return "".join(notes.get(start + k, "") for k in range(i, j))

    units: list[tuple[str, str]] = []  # (html, "open" | "close" | "unit")
    i = 0
    while i < len(text):
        number = NUMBER.match(text, i)
        if number:
            j = number.end()
            digits = escape(number.group(), quote=False)
            if j < len(text) and text[j] in UNITS and shown(j):
                unit = cell(j)
                digits = f'<span class="nu">{digits}<span class="w">{unit}</span></span>'
                j += 1
            units.append((digits + notes_in(i, j), "unit"))
            i = j
        elif shown(i):
            j = i + 1
            while j < len(text) and words[j] == words[i] and shown(j):
                j += 1
            cells = "".join(cell(k) for k in range(i, j))
            units.append((f'<span class="w">{cells}</span>{notes_in(i, j)}', "unit"))
            i = j
        else:
            kind = "open" if text[i] in OPENING else "close" if text[i] in CLOSING else "unit"
            units.append((cell(i) + notes_in(i, i + 1), kind))
            i += 1
    if mode == "none":
        return "".join(html for html, _ in units)
    return "".join(_glued(units))


def _glued(units: list[tuple[str, str]]) -> Iterator[str]:
    """Units with their punctuation held on one line: a closing mark (，。、」) with the word
    before it, an opening mark (「“（) with the word after it, in ``<span class="nb">``.

    Browsers keep such marks off the start or end of a line in plain text, but a word set
    out as its own box (``.w``) is a break opportunity on either side.
    """
    groups: list[list[str]] = []
    opening: list[str] = []
    for html, kind in units:
        if kind == "close" and groups and not opening:
            groups[-1].append(html)
        elif kind == "open":
            opening.append(html)
        else:
            groups.append([*opening, html])
            opening = []
    if opening:
        groups.append(opening)
    for group in groups:
        yield f'<span class="nb">{"".join(group)}</span>' if len(group) > 1 else group[0]


def heading_html(
    title: str,
    doc: Document,
    readings: dict[int, Reading],
    mode: RubyMode,
    notation: Notation,
    near: int = 0,
) -> str:
    """A heading's text with ruby like the body's.

    A title quoted from the text (the report's first sentence, an item's first clause) takes
    the text's own checked readings; a fixed label (導語, 目錄) takes each character's
    default reading.
    """
    at = doc.text.find(title, near) if title else -1
    if at >= 0:
        return ruby_sentence_html(title, at, readings, mode=mode, notation=notation)
    return label_html(title, mode, notation)


def label_html(label: str, mode: RubyMode, notation: Notation) -> str:
    """A fixed label (導語, 目錄) with ruby: each character's default reading."""
    own = {
        i: Reading(i, c, default_reading(c), "default", candidates=readings_of(c))
        for i, c in enumerate(label)
        if is_han(c) and default_reading(c)
    }
    return ruby_sentence_html(label, 0, own, mode=mode, notation=notation)


def section_id(section: Section) -> str:
    return f"sec{section.number:02d}"


def section_title(section: Section, doc: Document) -> str:
    """The heading of a section (the document title for an untitled opening part)."""
    return section.title.strip() or doc.title.strip() or doc.source


PIECE = 10_000  # characters of text marked up at a time (a sentence may be a whole report)
_CLAUSE_MARKS = "，。；：、！？,;:!? "


def pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` as spans of at most PIECE characters, each cut after the last
    clause mark in its second half (words and punctuation groups never cross one, so the
    markup is that of the whole), else at PIECE. Ordinary sentences are one span."""
    lo = start
    while end - lo > PIECE:
        hi = lo + PIECE
        cut = max(text.rfind(c, lo + PIECE // 2, hi) for c in _CLAUSE_MARKS)
        hi = cut + 1 if cut >= 0 else hi
        yield lo, hi
        lo = hi
    if end > lo:
        yield lo, end


def paragraph_parts(
    paragraph: Paragraph,
    text: str,
    render: Callable[[str, int], str],
    open_span: Callable[[Sentence], str],
) -> Iterator[str]:
    """One ``<p>``, a piece at a time: every piece of ``text`` in the paragraph (``pieces``)
    through ``render(piece, offset)``, each sentence inside ``open_span(sentence)`` …
    ``</span>``, the text between sentences kept. Every reading copy (XHTML, EPUB, the
    read-along page) lays out its paragraphs with it."""

    def html(start: int, end: int) -> Iterator[str]:
        for lo, hi in pieces(text, start, end):
            yield render(text[lo:hi], lo)

    yield "<p>"
    pos = paragraph.start
    for sentence in paragraph.sentences:
        if sentence.start > pos:
            yield from html(pos, sentence.start)
        yield open_span(sentence)
        yield from html(sentence.start, sentence.end)
        yield "</span>"
        pos = sentence.end
    if paragraph.end > pos:
        yield from html(pos, paragraph.end)
    yield "</p>"


def ruby_paragraph_parts(paragraph: Paragraph, bundle: Bundle) -> Iterator[str]:
    """A paragraph of the XHTML and EPUB: ruby over the text, each sentence in a span."""
    o = bundle.options

    def render(piece: str, at: int) -> str:
        return ruby_sentence_html(piece, at, bundle.ruby_readings, mode=o.ruby, notation=o.notation)

    def open_span(sentence: Sentence) -> str:
        return f'<span id="{escape(sentence.id)}">'

    return paragraph_parts(paragraph, bundle.doc.text, render, open_span)


def section_parts(
    section: Section, bundle: Bundle, *, epub: bool = False, heading: str = "h2"
) -> Iterator[str]:
    """One ``<section>`` with its heading (``<h2>`` by default) and paragraphs, a paragraph
    at a time (a report with no enumerated items is one section: it may be the whole text).

    With ``epub`` the section is marked as a chapter (``epub:type`` and its ARIA role).
    """
    sid = section_id(section)
    title = section_heading_html(section, bundle)
    kind = ' epub:type="chapter" role="doc-chapter"' if epub else ""
    yield (
        f'<section id="{sid}"{kind} aria-labelledby="{sid}-title">\n'
        f'<{heading} id="{sid}-title">{title}</{heading}>\n'
    )
    for k, p in enumerate(section.paragraphs):
        if k:
            yield "\n"
        yield from ruby_paragraph_parts(p, bundle)
    yield "\n</section>"


def section_heading_html(section: Section, bundle: Bundle) -> str:
    """A section's title with ruby (its text's readings: the title is its first clause)."""
    o = bundle.options
    near = section.paragraphs[0].start if section.paragraphs else 0
    title = section_title(section, bundle.doc)
    return heading_html(title, bundle.doc, bundle.ruby_readings, o.ruby, o.notation, near)


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


def ruby_xhtml_parts(bundle: Bundle) -> Iterator[str]:
    """The whole document as one standalone ruby XHTML page, a section at a time."""
    doc = bundle.doc
    title = doc.title
    o = bundle.options
    heading = heading_html(title, doc, bundle.ruby_readings, o.ruby, o.notation)
    page = xhtml_document(
        title,
        lang_of(doc),
        f"<main>\n<h1>{heading}</h1>\n{_BODY}\n</main>",
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
