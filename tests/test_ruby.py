"""Ruby XHTML: every Han character with exactly one reading, the checked one, in each notation."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from speak.export.base import Bundle, ExportOptions
from speak.export.ruby import export_xhtml, ruby_sentence_html
from speak.model import Reading
from speak.zh.han import is_han
from speak.zh.notation import format_reading

NS = {"h": "http://www.w3.org/1999/xhtml"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.mark.parametrize(
    ("pinyin", "notation", "shown"),
    [
        ("zhang3", "pinyin", "zhǎng"),
        ("zhang3", "zhuyin", "ㄓㄤˇ"),
        ("zhang3", "numbers", "zhang3"),
        ("lv4", "pinyin", "lǜ"),
        ("lu:4", "zhuyin", "ㄌㄩˋ"),
        ("lv4", "numbers", "lü4"),
        ("de5", "pinyin", "de"),
        ("de5", "zhuyin", "˙ㄉㄜ"),
        ("zhi1", "zhuyin", "ㄓ"),
        ("jing1", "zhuyin", "ㄐㄧㄥ"),
    ],
)
def test_format_reading(pinyin, notation, shown):
    assert format_reading(pinyin, notation) == shown


def test_format_reading_rejects_garbage():
    with pytest.raises(ValueError, match="tone-number"):
        format_reading("長", "pinyin")


def _readings(text: str, pinyins: dict[int, tuple[str, ...]]) -> dict[int, Reading]:
    """Readings for offsets: the first pinyin is the reading, all are the candidates."""
    return {i: Reading(i, text[i], alts[0], "phrase", 1.0, alts) for i, alts in pinyins.items()}


def test_sentence_html_escapes_and_annotates_only_han():
    text = "增長<5%&>"
    readings = _readings(text, {0: ("zeng1",), 1: ("zhang3", "chang2")})
    html = ruby_sentence_html(text, 0, readings)
    assert html == (  # one word (增長): one cell group
        '<span class="w"><ruby>增<rp>(</rp><rt>zēng</rt><rp>)</rp></ruby>'
        "<ruby>長<rp>(</rp><rt>zhǎng</rt><rp>)</rp></ruby></span>&lt;5%&amp;&gt;"
    )


def test_sentence_html_uses_offsets_into_the_document():
    doc_text = "前文。增長"
    readings = _readings(doc_text, {3: ("zeng1",), 4: ("zhang3", "chang2")})
    html = ruby_sentence_html(doc_text[3:], 3, readings, notation="zhuyin")
    assert "<rt>ㄗㄥ</rt>" in html and "<rt>ㄓㄤˇ</rt>" in html


def test_sentence_html_modes():
    text = "增長"
    readings = _readings(text, {0: ("zeng1",), 1: ("zhang3", "chang2")})
    assert ruby_sentence_html(text, 0, readings, mode="none") == "增長"
    assert ruby_sentence_html(text, 0, readings, mode="polyphones", notation="numbers") == (
        '增<span class="w"><ruby>長<rp>(</rp><rt>zhang3</rt><rp>)</rp></ruby></span>'
    )


def test_a_number_and_its_unit_stay_together():
    text = "2021年和1-10月的42.2%"
    readings = _readings(text, {4: ("nian2",), 5: ("he2",), 10: ("yue4",), 11: ("de5",)})
    html = ruby_sentence_html(text, 0, readings)
    assert '<span class="nu">2021<span class="w"><ruby>年' in html
    assert '<span class="nu">1-10<span class="w"><ruby>月' in html
    assert html.endswith("42.2%")  # no unit after it: plain text


def test_punctuation_stays_with_its_word():
    text = "抓好“十四五”，實施。"
    pinyin = ("zhua1", "hao3", "", "shi2", "si4", "wu3", "", "", "shi2", "shi1")
    readings = _readings(text, {i: (p,) for i, p in enumerate(pinyin) if p})
    html = ruby_sentence_html(text, 0, readings)
    # “ opens the word after it; ” and ， close the word before; 。 closes 實施.
    assert html.count('<span class="nb">') == 2
    first, second = html.split('<span class="nb">')[1:]
    assert first.startswith("“") and "”，</span>" in first
    assert second.endswith("。</span>")


def test_words_are_grouped_as_cut():
    text = "重點工作"
    readings = _readings(text, {0: ("zhong4",), 1: ("dian3",), 2: ("gong1",), 3: ("zuo4",)})
    html = ruby_sentence_html(text, 0, readings)
    assert html.count('<span class="w">') == 2
    assert html.index("點") < html.index("</span>") < html.index("工")


def _export(analysis, tmp_path, **options) -> ET.Element:
    bundle = Bundle(
        analysis.doc,
        analysis.readings,
        analysis.findings,
        ExportOptions(name="sample", **options),
    )
    [path] = export_xhtml(bundle, tmp_path)
    assert path == tmp_path / "sample.xhtml"
    return ET.parse(path).getroot()  # well-formed XML or this raises


def _ruby_pairs(element: ET.Element) -> list[tuple[str, str]]:
    """(base character, rt text) for every ruby element under ``element``."""
    pairs = []
    for ruby in element.iter(f"{{{NS['h']}}}ruby"):
        rts = ruby.findall("h:rt", NS)
        assert len(rts) == 1, "each ruby must carry exactly one reading"
        pairs.append((ruby.text, rts[0].text))
    return pairs


def base_text(element: ET.Element) -> str:
    """The text of ``element`` as read without ruby: rt and rp left out."""
    out = [element.text or ""]
    for child in element:
        if child.tag not in (f"{{{NS['h']}}}rt", f"{{{NS['h']}}}rp"):
            out.append(base_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _body_pairs(root: ET.Element) -> list[tuple[str, str]]:
    """Ruby pairs of the paragraphs only (headings left out)."""
    return [pair for p in root.iter(f"{{{NS['h']}}}p") for pair in _ruby_pairs(p)]


def _exported_sentences(doc):
    return [s for section in doc.sections for s in section.sentences]


def test_xhtml_structure(sample_analysis, tmp_path):
    doc = sample_analysis.doc
    root = _export(sample_analysis, tmp_path)
    assert root.get("lang") == root.get(XML_LANG) == "zh-Hant"
    sections = root.findall(".//h:section", NS)
    assert len(sections) == len(doc.sections)
    for element, section in zip(sections, doc.sections, strict=True):
        heading = element.find("h:h2", NS)
        assert base_text(heading) == section.title
        assert heading.find(".//h:ruby", NS) is not None  # headings carry readings too
    span_ids = [e.get("id") for e in root.iter(f"{{{NS['h']}}}span") if e.get("id")]
    assert span_ids == [s.id for s in _exported_sentences(doc)]


def test_every_han_char_has_its_checked_reading(sample_analysis, tmp_path):
    doc, readings = sample_analysis.doc, sample_analysis.readings
    root = _export(sample_analysis, tmp_path)
    spans = {e.get("id"): e for e in root.iter(f"{{{NS['h']}}}span") if e.get("id")}
    total = 0
    for sentence in _exported_sentences(doc):
        expected = [
            (doc.text[i], format_reading(readings[i].pinyin, "pinyin"))
            for i in range(sentence.start, sentence.end)
            if i in readings
        ]
        assert _ruby_pairs(spans[sentence.id]) == expected, sentence.id
        total += len(expected)
    han_in_sections = sum(
        1 for p in doc.spoken_paragraphs for i in range(p.start, p.end) if i in readings
    )
    assert total == han_in_sections > 500
    assert len(_body_pairs(root)) == han_in_sections
    # Headings too: every Han character of the page has a reading (fullRubyAnnotations).
    texts = "".join(base_text(e) for e in root.iter() if e.tag.split("}")[1] in ("h1", "h2"))
    assert len(root.findall(".//h:rt", NS)) == han_in_sections + sum(map(is_han, texts))


def _readings_after(root: ET.Element, word: str) -> list[list[str]]:
    """The rt texts of every occurrence of ``word`` (a run of annotated characters)."""
    pairs = _ruby_pairs(root)
    chars = "".join(c for c, _ in pairs)
    found, start = [], chars.find(word)
    while start >= 0:
        found.append([rt for _, rt in pairs[start : start + len(word)]])
        start = chars.find(word, start + 1)
    return found


@pytest.mark.parametrize(
    ("notation", "zhang"), [("pinyin", "zhǎng"), ("zhuyin", "ㄓㄤˇ"), ("numbers", "zhang3")]
)
def test_zengzhang_reads_zhang_in_every_notation(sample_analysis, tmp_path, notation, zhang):
    root = _export(sample_analysis, tmp_path, notation=notation)
    found = _readings_after(root, "增長")
    doc = sample_analysis.doc
    assert len(found) == sum(doc.text.count("增長", p.start, p.end) for p in doc.spoken_paragraphs)
    assert len(found) >= 2
    assert all(rts[1] == zhang for rts in found)


def test_polyphones_mode_annotates_only_polyphones(sample_analysis, tmp_path):
    doc, readings = sample_analysis.doc, sample_analysis.readings
    root = _export(sample_analysis, tmp_path, ruby="polyphones")
    polyphones = [
        (doc.text[i], format_reading(readings[i].pinyin, "pinyin"))
        for p in doc.spoken_paragraphs
        for i in range(p.start, p.end)
        if i in readings and len(set(readings[i].candidates)) > 1
    ]
    assert 0 < len(_body_pairs(root)) == len(polyphones)
    assert _body_pairs(root) == polyphones


def test_none_mode_has_no_ruby(sample_analysis, tmp_path):
    root = _export(sample_analysis, tmp_path, ruby="none")
    assert root.find(".//h:ruby", NS) is None
    assert len(root.findall(".//h:span", NS)) == len(_exported_sentences(sample_analysis.doc))
    assert root.find(".//h:span[@class='w']", NS) is None


def test_stylesheet_puts_ruby_over_the_line(sample_analysis, tmp_path):
    root = _export(sample_analysis, tmp_path)
    css = root.find(".//h:style", NS).text
    assert "ruby-position: over" in css
