"""Annotations in every written form, paragraphs, sentences and repeated leads."""

from __future__ import annotations

import pytest

from speak.document.parse import parse_text
from speak.zh.pinyin import toneless


def only(text: str):
    doc = parse_text(text)
    return doc, doc.annotations


@pytest.mark.parametrize(
    "written",
    ["(gong)", "（gong）", "(gōng)", "(gong1)", "(GONG)", "(Gōng)", "（gong1)", "(gong)（gong）"],
)
def test_annotation_forms_are_lifted_out(written: str) -> None:
    doc, anns = only(f"工{written}業")
    assert doc.text == "工業"
    assert len(anns) == 1
    assert anns[0].char == "工" and anns[0].offset == 0 and anns[0].raw == written


@pytest.mark.parametrize("written", ["(lü)", "(lv)", "(lu:)", "(lǜ)", "(lv4)", "(LÜ)"])
def test_u_umlaut_spellings(written: str) -> None:
    doc, anns = only(f"綠{written}色")
    assert doc.text == "綠色" and anns[0].syllables == (written[1:-1],)


def test_repeats_merge_into_one_annotation_with_copies() -> None:
    doc, anns = only("工(gong)(gong)業(ye)")
    assert doc.text == "工業"
    assert [(a.char, a.syllables) for a in anns] == [("工", ("gong", "gong")), ("業", ("ye",))]


def test_line_and_column_are_where_the_character_stood() -> None:
    doc, anns = only("第一行\n12月,全國工(gong)(gong)業和(he)信息")
    assert [(a.char, a.line, a.column) for a in anns] == [("工", 2, 7), ("和", 2, 21)]
    assert doc.text[anns[1].offset] == "和"


@pytest.mark.parametrize("kept", ["(WTO)", "(試行)", "(2021年)", "（IPv6）", "(APP)", "(center)"])
def test_other_parentheses_stay_text(kept: str) -> None:
    doc, anns = only(f"加入組織{kept}之後")
    assert doc.text == f"加入組織{kept}之後" and anns == ()


def test_annotations_inside_text_parentheses() -> None:
    doc, anns = only("辦法(試(shi)行)")
    assert doc.text == "辦法(試行)" and anns[0].char == "試"


def test_syllable_after_non_han_is_text() -> None:
    doc, anns = only("2022(nian)年")
    assert doc.text == "2022(nian)年" and anns == ()


def test_unknown_syllable_is_an_annotation_with_a_notice() -> None:
    doc, anns = only("向(xaing)前")
    assert doc.text == "向前" and anns[0].syllables == ("xaing",)
    assert [n.kind for n in doc.notices] == ["unknown-syllable"]


@pytest.mark.parametrize(
    "written", ["(fa zhan)", "(fazhan)", "(fāzhǎn)", "(fa1zhan3)", "(Fa-zhan)", "（fa zhan）"]
)
def test_word_annotation_gives_each_character_its_syllable(written: str) -> None:
    doc, anns = only(f"促進經濟發展{written}。")
    assert doc.text == "促進經濟發展。" and doc.notices == ()
    assert [(a.char, a.column, a.raw) for a in anns] == [("發", 5, written), ("展", 6, written)]
    assert [toneless(a.syllables[0]) for a in anns] == ["fa", "zhan"]


def test_word_annotation_cut_by_the_characters_readings() -> None:
    _, anns = only("方案(fangan)和西安(xi'an)")
    assert [(a.char, a.syllables) for a in anns] == [
        ("方", ("fang",)),
        ("案", ("an",)),
        ("西", ("xi",)),
        ("安", ("an",)),
    ]


def test_repeated_word_annotations_merge() -> None:
    _, anns = only("發展(fa zhan)(fa zhang)經濟")
    assert [(a.char, a.syllables) for a in anns] == [
        ("發", ("fa", "fa")),
        ("展", ("zhan", "zhang")),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("完善制度(zhi)(du)。", [("制", 3, ("zhi",)), ("度", 4, ("du",))]),  # one each
        ("增長(zeng)(chang)了", [("增", 1, ("zeng",)), ("長", 2, ("chang",))]),
        ("增長(chang)(zhang)了", [("長", 2, ("chang", "zhang"))]),  # two copies for 長
        ("行(hang)(xing)業", [("行", 1, ("hang", "xing"))]),
    ],
)
def test_syllables_after_a_word_go_one_each_when_they_read_so(text: str, expected) -> None:
    _, anns = only(text)
    assert [(a.char, a.column, a.syllables) for a in anns] == expected


def test_english_that_spells_pinyin_stays_text_with_a_notice() -> None:
    doc, anns = only("中國(China)加入")
    assert doc.text == "中國(China)加入" and anns == ()
    assert [(n.kind, n.column) for n in doc.notices] == [("not-pinyin", 3)]


@pytest.mark.parametrize(("text", "column"), [("開會(議", 3), ("開會)議", 3), ("（一開會", 1)])
def test_unbalanced_parentheses_are_reported_and_kept(text: str, column: int) -> None:
    doc, _ = only(text)
    assert doc.text == text
    assert [(n.kind, n.line, n.column) for n in doc.notices] == [("unbalanced", 1, column)]


def test_sentences_split_at_ends_but_never_inside_numbers() -> None:
    doc = parse_text("利潤增長42.2%,收入增長21.5%。他說：「好！」然後呢？是的;完……再見!")
    assert [doc.text_of(s) for s in doc.sentences] == [
        "利潤增長42.2%,收入增長21.5%。",
        "他說：「好！」",
        "然後呢？",
        "是的;",
        "完……",
        "再見!",
    ]
    assert [s.id for s in doc.sentences] == ["s001", "s002", "s003", "s004", "s005", "s006"]


def test_paragraphs_are_lines_and_blank_lines_are_skipped() -> None:
    doc = parse_text("第一段。\n\n  第二段。第二句。\n")
    assert [(p.line, len(p.sentences)) for p in doc.paragraphs] == [(1, 1), (3, 2)]
    assert doc.text[doc.paragraphs[1].start : doc.paragraphs[1].end] == "第二段。第二句。"


def test_sample_structure(sample_text: str) -> None:
    doc = parse_text(sample_text)
    assert doc.script == "Hant"
    assert len(doc.paragraphs) == 10
    assert "(" not in doc.text.replace("(試行)", "")
    assert doc.text.count("增長") == 2
    first = doc.annotations[0]
    assert (first.char, first.syllables, first.line, first.column) == (
        "工",
        ("gong", "gong"),
        1,
        10,
    )
    # the second line only repeats the first sentence: reported, marked
    assert doc.paragraphs[1].repeat_of == 0
    assert [n.kind for n in doc.notices] == ["repeat"]
    assert all(p.repeat_of is None for p in doc.paragraphs if p.index != 1)


def test_script_detection() -> None:
    assert parse_text("工業和信息化部").script == "Hant"
    assert parse_text("工业和信息化部").script == "Hans"


def test_only_a_full_repeat_is_left_out() -> None:
    doc = parse_text(
        "會議在北京召開，部署重點任務。會上總結了工作。\n會議在北京召開,部署重點任務。\n"
        "會上總結了工作。另有新的內容在這裡。"
    )
    assert [p.repeat_of for p in doc.paragraphs] == [None, 0, None]
