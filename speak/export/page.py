"""The read-along page: ``OUT/index.html`` with ``OUT/page/`` beside it.

Ruby text by section, an audio player per section, the sentence being heard highlighted (and
the syllable being heard, when the engine gives syllable times: the neural voice), click or
Enter on a sentence to play from it, keyboard navigation, and a review mode that marks every
check finding that does not agree. Opened from disk (file://) with no network: timings are
data attributes on the sentences (no fetch), scripts are classic scripts.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterator
from html import escape
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from speak.export.base import Bundle, SectionAudio, register
from speak.export.ruby import (
    heading_html,
    lang_of,
    paragraph_parts,
    ruby_sentence_html,
    section_heading_html,
    section_id,
    section_title,
    stylesheet,
)
from speak.fsutil import write_parts, write_text
from speak.model import Finding, Paragraph, Section, Sentence, SyllableTiming, Timing
from speak.zh.notation import format_reading

ASSETS = ("read-along.js", "read-along.css")
ASSET_DIR = "page"
STATUS_TEXT = {"disagree": "differs", "invalid": "not a syllable"}


def asset_text(name: str) -> str:
    """A file shipped in ``speak/export/page_assets/``."""
    return resources.files("speak.export").joinpath(f"page_assets/{name}").read_text("utf-8")


def shown_findings(bundle: Bundle) -> dict[int, Finding]:
    """Findings to mark (every status but agree) in exported text, by character offset."""
    spoken = bundle.doc.spoken_paragraphs  # in text order
    starts = [p.start for p in spoken]

    def is_spoken(offset: int) -> bool:  # one binary search, not a pass over every paragraph
        k = bisect.bisect_right(starts, offset) - 1
        return k >= 0 and offset < spoken[k].end

    shown = _Shown(
        (f.annotation.offset, f)
        for f in bundle.findings
        if f.status != "agree" and is_spoken(f.annotation.offset)
    )
    shown.offsets = sorted(shown)
    return shown


def finding_ids(offset: int) -> tuple[str, str]:
    """Ids of a finding's mark and of its note."""
    return f"finding-{offset}", f"finding-{offset}-note"


def embedded_text(finding: Finding) -> str:
    """What the input embedded, each distinct copy once: ``chang`` or ``gong/kong``."""
    return "/".join(dict.fromkeys(finding.annotation.syllables)) or finding.annotation.raw


def note_text(finding: Finding) -> str:
    checked = format_reading(finding.reading.pinyin, "pinyin")
    return f"embedded {embedded_text(finding)}, checked {checked}"


class _Shown(dict):
    """Findings by offset that also keep their offsets sorted, for ``marked_html``."""

    offsets: list[int]


def _sorted_offsets(findings: dict[int, Finding]) -> list[int]:
    offsets = getattr(findings, "offsets", None)
    return offsets if offsets is not None else sorted(findings)


def marked_html(text: str, start: int, bundle: Bundle, findings: dict[int, Finding]) -> str:
    """Ruby HTML of ``text`` with each finding's character wrapped in a review mark, and its
    note after the word (so the word stays whole)."""
    marks: dict[int, tuple[str, str]] = {}
    notes: dict[int, str] = {}
    offsets = _sorted_offsets(findings)
    lo = bisect.bisect_left(offsets, start)  # a binary search, not a pass over every finding
    hi = bisect.bisect_left(offsets, start + len(text), lo)
    for offset in offsets[lo:hi]:
        finding = findings[offset]
        mark_id, note_id = finding_ids(offset)
        note = escape(note_text(finding))
        marks[offset] = (
            f'<span class="finding" id="{mark_id}" data-status="{finding.status}"'
            f' data-note="{note_id}" title="{note}">',
            "</span>",
        )
        notes[offset] = (
            f'<span class="finding-note" id="{note_id}" lang="en">{note}'
            f" ({STATUS_TEXT.get(finding.status, finding.status)})</span>"
        )
    o = bundle.options
    return ruby_sentence_html(
        text,
        start,
        bundle.ruby_readings,
        mode=o.ruby,
        notation=o.notation,
        marks=marks,
        notes=notes,
    )


def _text_start(syllable: SyllableTiming) -> int:
    return syllable.text_start


def syllables_attribute(sentence: Sentence, syllables: tuple[SyllableTiming, ...]) -> str:
    """``data-syllables`` for a sentence: ``first-last:start:end`` per syllable heard in it
    (character offsets from the sentence's start, seconds in the section audio); "" if none.
    ``syllables`` are sorted by text_start: the sentence's are found by binary search."""
    lo = bisect.bisect_left(syllables, sentence.start, key=_text_start)
    hi = bisect.bisect_left(syllables, sentence.end, lo, key=_text_start)
    inside = syllables[lo:hi]
    if not inside:
        return ""
    cells = " ".join(
        f"{s.text_start - sentence.start}-{min(s.text_end, sentence.end) - sentence.start}"
        f":{s.start:.3f}:{s.end:.3f}"
        for s in inside
    )
    return f' data-syllables="{cells}"'


def page_paragraph_parts(
    paragraph: Paragraph,
    bundle: Bundle,
    timings: dict[str, Timing],
    findings: dict[int, Finding],
    syllables: tuple[SyllableTiming, ...] = (),
) -> Iterator[str]:
    """A ``<p>`` of sentence spans, a piece at a time; a timed sentence carries its start and
    end in seconds, and its syllables' times when the engine gave them (the page then
    highlights the syllable)."""

    def render(piece: str, at: int) -> str:
        return marked_html(piece, at, bundle, findings)

    def open_span(sentence: Sentence) -> str:
        timing = timings.get(sentence.id)
        times = f' data-start="{timing.start:.3f}" data-end="{timing.end:.3f}"' if timing else ""
        times += syllables_attribute(sentence, syllables) if timing else ""
        return f'<span class="sentence" id="{escape(sentence.id)}" tabindex="-1"{times}>'

    return paragraph_parts(paragraph, bundle.doc.text, render, open_span)


def audio_src(audio: SectionAudio, out_dir: Path) -> str:
    """The MP3's URL relative to ``index.html``."""
    relative = Path(os.path.relpath(Path(audio.path).resolve(), Path(out_dir).resolve()))
    return quote(relative.as_posix())


def section_html(
    section: Section, bundle: Bundle, out_dir: Path, findings: dict[int, Finding]
) -> str:
    return "".join(section_parts(section, bundle, out_dir, findings))


def section_parts(
    section: Section, bundle: Bundle, out_dir: Path, findings: dict[int, Finding]
) -> Iterator[str]:
    """One section of the page, a paragraph at a time."""
    sid = section_id(section)
    title = section_heading_html(section, bundle)
    audio = bundle.audio_for(section.index)
    timings = {t.sentence_id: t for t in audio.timings} if audio else {}
    player = (
        f'<audio controls preload="metadata" data-section="{sid}" src="{audio_src(audio, out_dir)}"'
        f' aria-label="{escape(section_title(section, bundle.doc))}"></audio>\n'
        if audio
        else ""
    )
    syllables = tuple(sorted(audio.syllables, key=_text_start)) if audio else ()
    yield (
        f'<section id="{sid}" aria-labelledby="{sid}-title">\n'
        f'<h2 id="{sid}-title">{title}</h2>\n{player}'
    )
    for k, p in enumerate(section.paragraphs):
        if k:
            yield "\n"
        yield from page_paragraph_parts(p, bundle, timings, findings, syllables)
    yield "\n</section>"


def summary_html(findings: dict[int, Finding], lang: str) -> str:
    """The list of findings shown in review mode, each linking to its mark."""
    items = []
    for offset, f in sorted(findings.items()):
        mark_id, _ = finding_ids(offset)
        where = f"line {f.annotation.line}, column {f.annotation.column}"
        items.append(
            f'<li><a href="#{mark_id}"><span lang="{lang}">{escape(f.char)}</span>'
            f" ({where}): {escape(note_text(f))}</a></li>"
        )
    count = len(findings)
    heading = f"Review: {count} finding{'s' if count != 1 else ''} that do not agree"
    body = f"<ol>\n{''.join(items)}\n</ol>" if items else "<p>Every embedded reading agrees.</p>"
    return (
        f'<aside class="findings-summary" lang="en" aria-labelledby="review-title">\n'
        f'<h2 id="review-title">{heading}</h2>\n{body}\n</aside>'
    )


def page_html(bundle: Bundle, out_dir: Path) -> str:
    """The whole read-along page."""
    return "".join(page_parts(bundle, out_dir))


_SECTIONS = "\x00sections\x00"  # where the sections go (no text holds NUL: load removes it)


def page_parts(bundle: Bundle, out_dir: Path) -> Iterator[str]:
    """The whole read-along page, a section at a time."""
    doc = bundle.doc
    title = escape(doc.title, quote=False)
    o = bundle.options
    heading = heading_html(doc.title, doc, bundle.ruby_readings, o.ruby, o.notation)
    findings = shown_findings(bundle)
    sections = _SECTIONS
    has_audio = bool(bundle.audio)
    help_text = (
        "Click a sentence, or press <kbd>Enter</kbd> on it, to hear it. "
        if has_audio
        else "No audio was made for this copy. "
    ) + "<kbd>j</kbd>/<kbd>k</kbd> or the arrow keys move between sentences."
    lang = lang_of(doc)
    summary = summary_html(findings, lang)
    page = f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{ASSET_DIR}/ruby.css">
<link rel="stylesheet" href="{ASSET_DIR}/read-along.css">
<script src="{ASSET_DIR}/read-along.js" defer></script>
</head>
<body class="notation-{bundle.options.notation}">
<a class="skip-link" href="#main" lang="en">Skip to the text</a>
<header>
<h1>{heading}</h1>
<div class="toolbar" lang="en">
<button type="button" id="review-toggle" aria-pressed="false" hidden
 data-on="Review mode on: {len(findings)} findings marked" data-off="Review mode off"
>Review mode</button>
<p class="help">{help_text}</p>
</div>
</header>
<main id="main" tabindex="-1">
{summary}
{sections}
</main>
<div id="status" class="visually-hidden" role="status" aria-live="polite" lang="en"></div>
</body>
</html>
"""
    head, tail = page.split(_SECTIONS)
    yield head
    for k, section in enumerate(doc.sections):
        if k:
            yield "\n"
        yield from section_parts(section, bundle, out_dir, findings)
    yield tail


@register("page")
def export_page(bundle: Bundle, out_dir: Path) -> list[Path]:
    """Write ``OUT/index.html`` and its stylesheets and script in ``OUT/page/``."""
    out_dir = Path(out_dir)
    written = [write_text(out_dir / ASSET_DIR / "ruby.css", stylesheet())]
    written += [write_text(out_dir / ASSET_DIR / name, asset_text(name)) for name in ASSETS]
    written.append(write_parts(out_dir / "index.html", page_parts(bundle, out_dir)))
    return written
