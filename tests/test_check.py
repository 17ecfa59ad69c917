"""The check: embedded pinyin against the readings in context."""

from __future__ import annotations

import pytest

from speak.check.analysis import read_document
from speak.check.findings import check
from speak.document.parse import parse_text


def findings_of(text: str):
    doc = parse_text(text, "test.txt", "utf-8")
    return check(doc, read_document(doc))


def one(text: str):
    (finding,) = findings_of(text)
    return finding


@pytest.mark.parametrize(
    "annotated",
    [
        "利潤增長(zhang)。",
        "利潤增長(zhǎng)。",
        "利潤增長(zhang3)。",
        "利潤增長(ZHANG)。",
        "利潤增長（zhang3）。",
    ],
)
def test_agree_in_every_written_form(annotated):
    finding = one(annotated)
    assert finding.status == "agree"
    assert finding.reading.pinyin == "zhang3"
    assert finding.char == "長"


def test_a_tone_that_differs_still_agrees_and_says_so():
    finding = one("利潤增長(zhang4)。")
    assert finding.status == "agree"
    assert "tone" in finding.why and "zhang3" in finding.why


@pytest.mark.parametrize(
    "annotated", ["利潤增長(chang)。", "利潤增長(cháng)。", "利潤增長(chang2)。"]
)
def test_disagree_when_the_embedded_syllable_is_the_other_reading(annotated):
    finding = one(annotated)
    assert finding.status == "disagree"
    assert finding.why.startswith("長 in 增長 reads zhang3 (phrase dictionary)")
    assert "other reading chang2" in finding.why
    assert "增長" in finding.context


@pytest.mark.parametrize("syllable", ["lü", "lv", "lu:", "lǜ", "lv4", "LÜ"])
def test_u_umlaut_forms_agree(syllable):
    finding = one(f"綠({syllable})色發展。")
    assert finding.status == "agree", finding.why
    assert finding.reading.pinyin == "lv4"


def test_lu_without_umlaut_is_the_other_reading_of_綠():
    finding = one("綠(lu)色發展。")
    assert finding.status == "disagree"  # 綠 also reads lu4 (綠林)


def test_invalid_when_not_a_reading_of_the_character():
    finding = one("利潤增長(ma)。")
    assert finding.status == "invalid"
    assert "not a reading of 長" in finding.why


def test_invalid_when_not_a_mandarin_syllable():
    finding = one("利潤增長(zhaang)。")
    assert finding.status == "invalid"
    assert "not a Mandarin syllable" in finding.why


def test_repeated_copies_each_judged_worst_wins():
    assert one("工(gong)(gong)業").status == "agree"
    assert one("增長(zhang)(chang)了").status == "disagree"
    assert one("增長(chang)(ma)了").status == "invalid"


def test_findings_in_input_order_with_positions():
    found = findings_of("重(zhong)點工(gong)作\n增長(chang)")
    assert [f.char for f in found] == ["重", "工", "長"]
    assert [f.status for f in found] == ["agree", "agree", "disagree"]
    assert (found[2].annotation.line, found[2].annotation.column) == (2, 2)


def test_sample_exactly_the_two_增長_disagree(sample_analysis):
    not_agree = [f for f in sample_analysis.findings if f.status != "agree"]
    assert [(f.char, f.status, f.reading.pinyin) for f in not_agree] == [
        ("長", "disagree", "zhang3"),
        ("長", "disagree", "zhang3"),
    ]
    assert all("增長" in f.context for f in not_agree)
    assert len(sample_analysis.findings) > 150


def test_a_word_annotation_is_checked_character_by_character():
    found = findings_of("利潤增長(zeng chang)了。")
    assert [(f.char, f.status) for f in found] == [("增", "agree"), ("長", "disagree")]


def test_context_stays_on_the_annotated_line():
    (finding,) = findings_of("第一段。\n完善制度(zhi)。\n第三段")
    assert finding.context == "完善制度。"


@pytest.mark.parametrize(
    ("annotated", "evidence"),
    [
        ("促进经济发(fa)展。", "发 in 发展 reads fa1 (phrase dictionary)"),  # the word, not 济发展
        ("利潤增長(chang)了。", "長 in 增長 reads zhang3 (phrase dictionary)"),
        ("全國工(gong)業。", "工 reads gong1 (its only reading)"),
    ],
)
def test_why_names_the_dictionary_word_or_says_context_played_no_part(annotated, evidence):
    assert one(annotated).why.startswith(evidence + ";")


def test_why_names_only_words_the_reader_used(sample_analysis):
    """No guessed windows (作 in 工作會): a word named in ``why`` is the reading's own span."""
    doc = sample_analysis.doc
    for f in sample_analysis.findings:
        word = f.reading.word
        if word is None:
            assert " in " not in f.why.split(";")[0]
        else:
            assert f.why.startswith(f"{f.char} in {doc.text[word[0] : word[1]]} reads ")
            assert word[0] <= f.annotation.offset < word[1]
