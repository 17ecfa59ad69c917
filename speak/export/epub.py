"""EPUB 3 with ruby, a nav document, media overlays (read-aloud sync) and a11y metadata.

One XHTML content document per section; with audio, one MP3 and one SMIL overlay per
section. The archive is deterministic: ``mimetype`` first and stored, then every entry in
sorted order with a fixed timestamp, so the same input and options give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path

from speak.errors import EpubError
from speak.export.base import Bundle, SectionAudio, register
from speak.export.ruby import (
    label_html,
    lang_of,
    section_heading_html,
    section_id,
    section_parts,
    section_title,
    stylesheet,
    xhtml_document,
)
from speak.export.smil import clips, clock, milliseconds, smil_document
from speak.fsutil import atomic_path
from speak.model import Section

ACTIVE_CLASS = "-epub-media-overlay-active"
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
CERTIFIER = "speak (automated checks: EPUBCheck and Ace by DAISY; not an independent audit)"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ROOT = "EPUB"
CSS_HREF = "ruby.css"

_LABELS = {
    "zh-Hant": {"toc": "目錄", "landmarks": "導覽", "bodymatter": "正文"},
    "zh-Hans": {"toc": "目录", "landmarks": "导览", "bodymatter": "正文"},
}


@dataclass(frozen=True)
class Chapter:
    """One section as it is packaged: its files and, with audio, its overlay."""

    section: Section
    audio: SectionAudio | None

    @property
    def key(self) -> str:
        return section_id(self.section)

    @property
    def href(self) -> str:
        return f"{self.key}.xhtml"

    @property
    def smil_href(self) -> str:
        return f"{self.key}.smil"

    @property
    def audio_href(self) -> str:
        return f"audio/{self.key}.mp3"

    @property
    def duration_ms(self) -> int:
        return milliseconds(self.audio.duration) if self.audio else 0


def chapters(bundle: Bundle) -> list[Chapter]:
    """Sections in reading order, each with its audio when it has timed sentences."""
    out = []
    for section in bundle.doc.sections:
        audio = bundle.audio_for(section.index)
        if audio is not None and not clips(audio.timings, audio.duration):
            audio = None
        out.append(Chapter(section, audio))
    return out


def identifier(bundle: Bundle) -> str:
    """A ``urn:uuid`` derived from the text and the options that change the content."""
    o = bundle.options
    audio = bool(bundle.audio)
    key = f"{bundle.doc.text}\x00{o.ruby}\x00{o.notation}\x00{audio}".encode()
    digest = hashlib.sha256(key).hexdigest()
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'speak:' + digest)}"


def fully_voiced(bundle: Bundle, chs: list[Chapter]) -> bool:
    """True when every exported sentence is heard in some overlay."""
    timed = {
        sid for ch in chs if ch.audio for sid, _, _ in clips(ch.audio.timings, ch.audio.duration)
    }
    return all(s.id in timed for sec in bundle.doc.sections for s in sec.sentences)


def accessibility_meta(bundle: Bundle, chs: list[Chapter]) -> list[str]:
    """EPUB Accessibility 1.1 metadata (schema.org properties, conformance, certifier)."""
    has_audio = any(ch.audio for ch in chs)
    modes = ["textual"] + (["auditory"] if has_audio else [])
    sufficient = ["textual"] + (["auditory"] if has_audio and fully_voiced(bundle, chs) else [])
    features = [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ]
    ruby = bundle.options.ruby
    if ruby == "all":
        features.append("fullRubyAnnotations")
    elif ruby == "polyphones":
        features.append("rubyAnnotations")
    if has_audio:
        features.append("synchronizedAudioText")
    features.append("horizontalWriting")
    notation = {"pinyin": "Hanyu Pinyin with tone marks", "zhuyin": "Zhuyin (Bopomofo)"}.get(
        bundle.options.notation, "pinyin with tone numbers"
    )
    ruby_text = {
        "all": f"Every Chinese character carries its reading in {notation} as ruby.",
        "polyphones": f"Characters with more than one reading carry the one that applies "
        f"in context, in {notation}, as ruby.",
        "none": "The text has no ruby readings.",
    }[ruby]
    audio_text = (
        " Each section has synthetic speech synchronized sentence by sentence with the text "
        "(media overlays); the sentence being read is highlighted."
        if has_audio
        else ""
    )
    summary = (
        "Text with headings for each section, a table of contents and a logical reading order; "
        f"no images, no tables. {ruby_text}{audio_text} Conformance was checked automatically "
        "(EPUBCheck, Ace by DAISY)."
    )
    lines = [f'<meta property="schema:accessMode">{m}</meta>' for m in modes]
    lines += [f'<meta property="schema:accessModeSufficient">{m}</meta>' for m in sufficient]
    lines += [f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in features]
    lines += [
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary">{escape(summary, quote=False)}</meta>',
        f'<meta property="dcterms:conformsTo" id="conformance">{CONFORMANCE}</meta>',
        f'<meta property="a11y:certifiedBy" refines="#conformance">{escape(CERTIFIER)}</meta>',
    ]
    return lines


def package_document(bundle: Bundle, chs: list[Chapter]) -> str:
    """The OPF: metadata, manifest (with ``media-overlay`` links), spine."""
    doc, o = bundle.doc, bundle.options
    lang = lang_of(doc)
    meta = [
        f'<dc:identifier id="pub-id">{identifier(bundle)}</dc:identifier>',
        f"<dc:title>{escape(doc.title, quote=False)}</dc:title>",
        f"<dc:language>{lang}</dc:language>",
        f'<meta property="dcterms:modified">{escape(o.modified)}</meta>',
        *accessibility_meta(bundle, chs),
    ]
    voiced = [ch for ch in chs if ch.audio]
    if voiced:
        total = sum(ch.duration_ms for ch in voiced)
        meta += [
            f'<meta property="media:duration" refines="#mo-{ch.key}">'
            f"{clock(ch.duration_ms / 1000)}</meta>"
            for ch in voiced
        ]
        meta.append(f'<meta property="media:duration">{clock(total / 1000)}</meta>')
        meta.append(f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>')
        if o.voice:
            meta.append(f'<meta property="media:narrator">{escape(o.voice, quote=False)}</meta>')
    items = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        f'<item id="css" href="{CSS_HREF}" media-type="text/css"/>',
    ]
    for ch in chs:
        overlay = f' media-overlay="mo-{ch.key}"' if ch.audio else ""
        items.append(
            f'<item id="{ch.key}" href="{ch.href}" media-type="application/xhtml+xml"{overlay}/>'
        )
        if ch.audio:
            items.append(
                f'<item id="mo-{ch.key}" href="{ch.smil_href}" media-type="application/smil+xml"/>'
            )
            items.append(
                f'<item id="audio-{ch.key}" href="{ch.audio_href}" media-type="audio/mpeg"/>'
            )
    spine = ['<itemref idref="nav"/>'] + [f'<itemref idref="{ch.key}"/>' for ch in chs]
    nl = "\n    "
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        f'unique-identifier="pub-id" xml:lang="{lang}">\n'
        '  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f"    {nl.join(meta)}\n  </metadata>\n"
        f"  <manifest>\n    {nl.join(items)}\n  </manifest>\n"
        f"  <spine>\n    {nl.join(spine)}\n  </spine>\n</package>\n"
    )


def nav_document(bundle: Bundle, chs: list[Chapter]) -> str:
    """Table of contents by section, and landmarks."""
    lang = lang_of(bundle.doc)
    label = _LABELS[lang]
    toc = "\n".join(
        f'<li><a href="{ch.href}">{section_heading_html(ch.section, bundle)}</a></li>' for ch in chs
    )
    o = bundle.options
    ruby = {key: label_html(text, o.ruby, o.notation) for key, text in label.items()}

    first = chs[0].href
    body = (
        f'<nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-title">\n'
        f'<h1 id="toc-title">{ruby["toc"]}</h1>\n<ol>\n{toc}\n</ol>\n</nav>\n'
        '<nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-title" '
        'hidden="hidden">\n'
        f'<h2 id="landmarks-title">{ruby["landmarks"]}</h2>\n<ol>\n'
        f'<li><a epub:type="toc" href="nav.xhtml#toc">{ruby["toc"]}</a></li>\n'
        f'<li><a epub:type="bodymatter" href="{first}">{ruby["bodymatter"]}</a></li>\n'
        "</ol>\n</nav>"
    )
    return xhtml_document(
        bundle.doc.title,
        lang,
        body,
        css_href=CSS_HREF,
        body_class=f"notation-{o.notation}",
    )


def chapter_document(bundle: Bundle, ch: Chapter) -> str:
    """One section's content document."""
    return "".join(chapter_parts(bundle, ch))


_BODY = "\x00section\x00"  # where the section goes (no text holds NUL: load removes it)


def chapter_parts(bundle: Bundle, ch: Chapter) -> Iterator[str]:
    """One section's content document, a paragraph at a time."""
    head, tail = xhtml_document(
        section_title(ch.section, bundle.doc),
        lang_of(bundle.doc),
        _BODY,
        css_href=CSS_HREF,
        body_class=f"notation-{bundle.options.notation}",
    ).split(_BODY)
    yield head
    yield from section_parts(ch.section, bundle, epub=True, heading="h1")
    yield tail


CONTAINER = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    "  <rootfiles>\n"
    f'    <rootfile full-path="{ROOT}/package.opf" media-type="application/oebps-package+xml"/>\n'
    "  </rootfiles>\n</container>\n"
)


def epub_entries(bundle: Bundle) -> dict[str, bytes | Path | Callable[[], Iterator[str]]]:
    """Every file of the EPUB except ``mimetype``, by path in the archive.

    Section audio is given as the MP3's path, copied into the archive in pieces when written,
    and each chapter as the function that makes it, so a long report's audio and text are
    never held in memory whole.
    """
    if not bundle.doc.sections:
        raise EpubError("the document has no sections to export: check the input text")
    chs = chapters(bundle)
    files: dict[str, str | bytes | Path | Callable[[], Iterator[str]]] = {
        "META-INF/container.xml": CONTAINER,
        f"{ROOT}/package.opf": package_document(bundle, chs),
        f"{ROOT}/nav.xhtml": nav_document(bundle, chs),
        f"{ROOT}/{CSS_HREF}": stylesheet(),
    }
    for ch in chs:  # made when written, one at a time: a long report is never held whole
        files[f"{ROOT}/{ch.href}"] = functools.partial(chapter_parts, bundle, ch)
        if ch.audio:
            mp3 = Path(ch.audio.path)
            if not os.access(mp3, os.R_OK):
                raise EpubError(f"cannot read section audio {mp3}; build the audio again")
            files[f"{ROOT}/{ch.audio_href}"] = mp3
            files[f"{ROOT}/{ch.smil_href}"] = smil_document(
                ch.href, ch.audio_href, ch.audio.timings, ch.audio.duration
            )
    return {k: v.encode("utf-8") if isinstance(v, str) else v for k, v in files.items()}


def _entry(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = compress
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def write_epub(bundle: Bundle, target: Path) -> Path:
    """Write the EPUB archive atomically; byte-identical for the same bundle."""
    entries = epub_entries(bundle)
    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w") as z:
        z.writestr(_entry("mimetype", zipfile.ZIP_STORED), b"application/epub+zip")
        for name, data in sorted(entries.items()):
            if callable(data):  # a chapter: compressed as it is made, a paragraph at a time
                info = _entry(name, zipfile.ZIP_DEFLATED)
                info._compresslevel = 9  # what writestr(compresslevel=9) sets
                with z.open(info, "w") as dst:
                    for part in data():
                        dst.write(part.encode("utf-8"))
            elif isinstance(data, Path):  # audio: stored as is, copied in pieces
                info = _entry(name, zipfile.ZIP_STORED)
                info.file_size = data.stat().st_size
                with open(data, "rb") as src, z.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
            else:
                z.writestr(_entry(name, zipfile.ZIP_DEFLATED), data, compresslevel=9)
    return target


@register("epub")
def export_epub(bundle: Bundle, out_dir: Path) -> list[Path]:
    """Write ``OUT/<name>.epub``."""
    return [write_epub(bundle, Path(out_dir) / f"{bundle.options.name}.epub")]
