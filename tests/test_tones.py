"""Tones of 一 and 不: citation on the page, spoken tones for the voice (speak.zh.tones)."""

from __future__ import annotations

import pytest
from pypinyin import Style, pinyin

from speak.zh.tones import citation, spoken_tones, third_tone_sandhi


def _citation_readings(text: str) -> list[str | None]:
    """pypinyin's readings (whatever tone its phrase list gives 一/不), in citation tone."""
    out: list[str | None] = []
    for char, (syllable,) in zip(
        text, pinyin(text, style=Style.TONE3, neutral_tone_with_five=True), strict=True
    ):
        out.append(citation(char, syllable) if "\u4e00" <= char <= "\u9fff" else None)
    return out


@pytest.mark.parametrize(
    ("char", "given", "cited"),
    [
        ("一", "yi2", "yi1"),
        ("一", "yi4", "yi1"),
        ("一", "yi5", "yi1"),
        ("一", "yi1", "yi1"),
        ("不", "bu2", "bu4"),
        ("不", "bu5", "bu4"),
        ("不", "fou3", "fou3"),  # another reading, not a tone change
        ("衣", "yi4", "yi4"),  # only 一 and 不
    ],
)
def test_citation(char: str, given: str, cited: str) -> None:
    assert citation(char, given) == cited


# (text, the spoken reading of each 一/不 in order)
CONTEXTS = [
    ("一個", "yi2"),
    ("一次", "yi2"),
    ("一樣", "yi2"),
    ("進一步", "yi2"),
    ("一起", "yi4"),
    ("一批", "yi4"),
    ("一年", "yi4"),
    ("一百", "yi4"),
    ("一千", "yi4"),
    ("一萬", "yi2"),
    ("一萬一千", "yi2 yi4"),
    ("萬眾一心", "yi4"),
    ("一點兒", "yi4"),
    ("第一", "yi1"),
    ("第一名", "yi1"),
    ("一是", "yi1"),
    ("一季度", "yi1"),
    ("一流", "yi1"),
    ("一級", "yi1"),
    ("一月", "yi1"),
    ("十二月一日", "yi1"),
    ("十一", "yi1"),
    ("十一個", "yi1"),
    ("二十一", "yi1"),
    ("一百一十", "yi4 yi1"),
    ("二〇二一年", "yi1"),
    ("一點五", "yi1"),
    ("百分之二十一點五", "yi1"),
    ("一至十月", "yi1"),
    ("一比一", "yi1 yi1"),
    ("一兩隻", "yi4"),  # one or two: a counted one
    ("統一", "yi1"),
    ("統一規劃", "yi1"),
    ("唯一", "yi1"),
    ("之一", "yi1"),
    ("看一看", "yi5"),
    ("一個一個", "yi2 yi2"),
    ("不是", "bu2"),
    ("不要", "bu2"),
    ("不會", "bu2"),
    ("不能", "bu4"),
    ("不好", "bu4"),
    ("不同", "bu4"),
    ("好不好", "bu5"),
    ("是不是", "bu5"),
    ("不", "bu4"),
    ("一", "yi1"),
    ("一,", "yi1"),
]


@pytest.mark.parametrize(("text", "expected"), CONTEXTS)
def test_spoken_tones_of_yi_and_bu(text: str, expected: str) -> None:
    said = spoken_tones(text, _citation_readings(text))
    got = [r for c, r in zip(text, said, strict=True) if c in "一不"]
    assert " ".join(got) == expected, text  # type: ignore[arg-type]


def test_only_yi_and_bu_change_without_third() -> None:
    text = "你好進一步不要"
    given = _citation_readings(text)
    said = spoken_tones(text, given)
    assert [
        s for c, s, g in zip(text, said, given, strict=True) if s != g and c not in "一不"
    ] == []


def test_third_tone_sandhi_inside_a_word_only() -> None:
    text = "你好展覽館我也有"
    given = ["ni3", "hao3", "zhan3", "lan3", "guan3", "wo3", "ye3", "you3"]
    assert third_tone_sandhi(text, given) == [
        "ni2", "hao3", "zhan2", "lan2", "guan3", "wo3", "ye3", "you3",
    ]  # fmt: skip
    assert spoken_tones(text, given, third=True)[0] == "ni2"
    assert spoken_tones(text, given)[0] == "ni3"


def test_characters_without_a_reading_are_left_alone() -> None:
    assert spoken_tones("一A", ["yi1", None]) == ["yi1", None]
    assert spoken_tones("A不", [None, "bu4"]) == [None, "bu4"]
