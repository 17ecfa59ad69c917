"""Sections: the opening part, then one per enumerated item, titled by its first clause."""

from __future__ import annotations

import pytest

from speak.document.parse import parse_text
from speak.document.sections import add_sections, chinese_numeral
from tests.conftest import SAMPLE_TASKS as TASKS


def test_sample_has_an_opening_and_six_tasks(sample_text: str) -> None:
    doc = add_sections(parse_text(sample_text))
    assert [s.title for s in doc.sections] == ["導語", *TASKS]
    assert [s.number for s in doc.sections] == [1, 2, 3, 4, 5, 6, 7]
    opening = doc.sections[0]
    assert [p.line for p in opening.paragraphs] == [1, 3, 4]  # line 2 repeats line 1
    assert doc.title == "全國工業和信息化工作會議在北京以視頻形式召開"  # the dateline left out


def test_keep_repeats_keeps_the_repeated_paragraph(sample_text: str) -> None:
    doc = add_sections(parse_text(sample_text), keep_repeats=True)
    assert [p.line for p in doc.sections[0].paragraphs] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "items",
    [
        ["第一，加強領導。", "第二，完善制度。"],
        ["（一）加強領導。", "（二）完善制度。"],
        ["一、加強領導。", "二、完善制度。"],
        ["一是加強領導。", "二是完善制度。"],
    ],
)
def test_enumeration_styles(items: list[str]) -> None:
    doc = add_sections(parse_text("會議強調兩點。\n" + "\n".join(items)))
    assert [s.title for s in doc.sections][1:] == [_title(i) for i in items]


def _title(item: str) -> str:
    for mark in "，。":
        item = item.split(mark)[0]
    return item


def test_text_without_items_is_one_section() -> None:
    doc = add_sections(parse_text("這是一段話。這是第二句。"))
    assert [s.title for s in doc.sections] == ["這是一段話"]


def test_numbering_must_count_from_one() -> None:
    doc = add_sections(parse_text("三是不算。\n五是也不算。"))
    assert len(doc.sections) == 1


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23)],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_numeral(text) == value
