"""Text for speech: every rule, both scripts, and the map back to source offsets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from speak.speech.normalize import Spoken, cardinal, digit_by_digit, normalize

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "miit-2022-priorities.txt"

# (rule, written, spoken in Traditional, spoken in Simplified)
CASES = [
    # integers
    ("integer", "1990", "一千九百九十", "一千九百九十"),
    ("integer", "10000", "一萬", "一万"),
    ("integer", "10005", "一萬零五", "一万零五"),
    ("integer", "110家", "一百一十家", "一百一十家"),
    ("integer", "15", "十五", "十五"),
    ("integer", "1010", "一千零一十", "一千零一十"),
    ("integer", "2000", "兩千", "两千"),
    ("integer", "12000", "一萬二千", "一万二千"),
    ("integer", "200", "兩百", "两百"),
    ("integer", "100010000", "一億零一萬", "一亿零一万"),
    ("integer", "0", "零", "零"),
    # 兩 before a measure word, 二 otherwise
    ("two", "2個", "兩個", "两個"),
    ("two", "2个", "兩个", "两个"),
    ("two", "第2個", "第二個", "第二個"),
    ("two", "2月2日", "二月二日", "二月二日"),
    ("two", "2年級", "二年級", "二年級"),
    ("two", "2億", "兩億", "两億"),
    # decimals and thousands separators
    ("decimal", "42.2", "四十二點二", "四十二点二"),
    ("decimal", "0.25", "零點二五", "零点二五"),
    ("decimal", "3.05", "三點零五", "三点零五"),
    ("thousands", "1,234", "一千二百三十四", "一千二百三十四"),
    (
        "thousands",
        "1,234,567.5",
        "一百二十三萬四千五百六十七點五",
        "一百二十三万四千五百六十七点五",
    ),
    # percentages
    ("percent", "42.2%", "百分之四十二點二", "百分之四十二点二"),
    ("percent", "42.2％", "百分之四十二點二", "百分之四十二点二"),
    ("percent", "27.4%", "百分之二十七點四", "百分之二十七点四"),
    (
        "percent",
        "21.5%和30.4%",
        "百分之二十一點五和百分之三十點四",
        "百分之二十一点五和百分之三十点四",
    ),
    ("percent", "5‰", "千分之五", "千分之五"),
    # years
    ("year", "2022年", "二〇二二年", "二〇二二年"),
    ("year", "2021年", "二〇二一年", "二〇二一年"),
    ("year", "2000年", "二〇〇〇年", "二〇〇〇年"),
    ("year", "到2022年底", "到二〇二二年底", "到二〇二二年底"),
    ("year", "08年", "〇八年", "〇八年"),
    ("year", "3年", "三年", "三年"),
    # dates and times
    ("date", "12月20日", "十二月二十日", "十二月二十日"),
    ("date", "2022-12-20", "二〇二二年十二月二十日", "二〇二二年十二月二十日"),
    ("date", "2022/1/5", "二〇二二年一月五日", "二〇二二年一月五日"),
    ("date", "2021-12", "二〇二一年十二月", "二〇二一年十二月"),
    ("time", "10:30", "十點三十分", "十点三十分"),
    ("time", "9:05", "九點零五分", "九点零五分"),
    ("time", "2:00", "兩點", "两点"),
    # ranges
    ("range", "1-10月", "一至十月", "一至十月"),
    ("range", "1～10", "一至十", "一至十"),
    ("range", "1~10", "一至十", "一至十"),
    ("range", "1—10", "一至十", "一至十"),
    ("range", "3-5年", "三至五年", "三至五年"),
    ("range", "2021-2025年", "二〇二一至二〇二五年", "二〇二一至二〇二五年"),
    ("range", "10%-20%", "百分之十至百分之二十", "百分之十至百分之二十"),
    ("range", "10-20%", "百分之十至百分之二十", "百分之十至百分之二十"),
    ("range", "1.5-2.5", "一點五至二點五", "一点五至二点五"),
    # measure words: a plain number
    ("count", "4億戶", "四億戶", "四億戶"),
    ("count", "4亿户", "四亿户", "四亿户"),
    ("count", "六個方面", "六個方面", "六個方面"),
    # negative numbers, fractions
    ("negative", "-5度", "負五度", "负五度"),
    ("negative", "下降-3.5%", "下降負百分之三點五", "下降负百分之三点五"),
    ("negative", "溫度−2", "溫度負二", "溫度负二"),
    ("fraction", "1/3", "三分之一", "三分之一"),
    # digit strings
    ("digits", "13812345678", "一三八一二三四五六七八", "一三八一二三四五六七八"),
    ("digits", "010-12345678", "零一零 一二三四五六七八", "零一零 一二三四五六七八"),
    ("digits", "編號007", "編號零零七", "編號零零七"),
    # Latin acronyms and alphanumerics
    ("latin", "5G", "五G", "五G"),
    ("latin", "IPv6", "I P v六", "I P v六"),
    ("latin", "APP", "A P P", "A P P"),
    ("latin", "WTO", "W T O", "W T O"),
    ("latin", "G20", "G二十", "G二十"),
    ("latin", "A380", "A三八零", "A三八零"),
    ("latin", "COVID-19", "C O V I D十九", "C O V I D十九"),
    ("latin", "Python", "Python", "Python"),
    ("latin", "ＡＰＰ", "A P P", "A P P"),
    ("latin", "加快5G在垂直行業", "加快五G在垂直行業", "加快五G在垂直行業"),
    # quotes, brackets, ASCII punctuation
    ("quotes", "“十四五”", "十四五", "十四五"),
    ("quotes", "「十四五」規劃", "十四五規劃", "十四五規劃"),
    ("quotes", "《通知》", "通知", "通知"),
    (
        "brackets",
        "工信部（工業和信息化部）表示",
        "工信部，工業和信息化部，表示",
        "工信部，工業和信息化部，表示",
    ),
    ("brackets", "（一）加快", "一，加快", "一，加快"),
    ("brackets", "完成(見下)。", "完成，見下。", "完成，見下。"),
    ("punctuation", "會上,工信部表示:好", "會上，工信部表示：好", "會上，工信部表示：好"),
    ("punctuation", "是嗎?是!", "是嗎？是！", "是嗎？是！"),
    ("punctuation", "增長5.2.", "增長五點二。", "增長五点二。"),
    ("punctuation", "等等...", "等等...", "等等..."),
    # everything else unchanged
    ("passthrough", "增長率提高到", "增長率提高到", "增長率提高到"),
    ("passthrough", "", "", ""),
]


def _check_map(written: str, spoken: Spoken) -> None:
    offsets = spoken.source_offsets
    assert len(offsets) == len(spoken.text)
    assert list(offsets) == sorted(offsets), "offsets must not go backwards"
    assert all(0 <= o < len(written) for o in offsets)


@pytest.mark.parametrize(("rule", "written", "hant", "hans"), CASES)
def test_rule_in_both_scripts(rule: str, written: str, hant: str, hans: str) -> None:
    for script, expected in (("Hant", hant), ("Hans", hans)):
        spoken = normalize(written, script)
        assert spoken.text == expected, f"{rule} ({script}): {written!r}"
        _check_map(written, spoken)


def test_unknown_script_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="Hant"):
        normalize("1", "Latn")  # type: ignore[arg-type]


def test_unchanged_characters_map_to_themselves() -> None:
    written = "規上中小企業收入增長21.5%。"
    spoken = normalize(written, "Hant")
    for char, offset in zip(spoken.text, spoken.source_offsets, strict=True):
        if "\u4e00" <= char <= "\u9fff" and char in written[:8] + "。":
            assert written[offset] == char
    assert spoken.text.endswith("。")
    assert spoken.source_offsets[-1] == len(written) - 1


def test_percentage_points_into_its_own_span() -> None:
    written = "利潤同比增長42.2%,規上"
    spoken = normalize(written, "Hant")
    start = written.index("42.2%")
    span = range(start, start + len("42.2%"))
    said = "百分之四十二點二"
    at = spoken.text.index(said)
    offsets = spoken.source_offsets[at : at + len(said)]
    assert all(o in span for o in offsets)
    assert offsets[0] == start  # the start of the number is where the saying starts
    assert spoken.source_offsets[at + said.index("點")] == written.index(".")
    assert spoken.source_offsets[at + len(said) - 1] == written.index(".") + 1
    comma = spoken.text.index("，")
    assert spoken.source_offsets[comma] == written.index(",")


def test_year_digits_map_one_to_one() -> None:
    written = "部署2022年重點任務"
    spoken = normalize(written, "Hant")
    at = spoken.text.index("二〇二二年")
    assert spoken.source_offsets[at : at + 5] == tuple(range(2, 7))


def test_range_maps_each_side_and_the_separator() -> None:
    written = "1-10月"
    spoken = normalize(written, "Hant")
    assert dict(zip(spoken.text, spoken.source_offsets, strict=True)) == {
        "一": 0,
        "至": 1,
        "十": 2,
        "月": 4,
    }


def test_removed_quotes_leave_no_spoken_char_but_keep_the_rest_mapped() -> None:
    written = "實現“十四五”良好開局"
    spoken = normalize(written, "Hant")
    assert spoken.text == "實現十四五良好開局"
    assert spoken.source_offsets == (0, 1, 3, 4, 5, 7, 8, 9, 10)


@pytest.mark.parametrize(
    ("n", "hant", "hans"),
    [
        (1, "一", "一"),
        (10, "十", "十"),
        (20, "二十", "二十"),
        (101, "一百零一", "一百零一"),
        (1001, "一千零一", "一千零一"),
        (20000, "兩萬", "两万"),
        (100000, "十萬", "十万"),
        (123456789, "一億兩千三百四十五萬六千七百八十九", "一亿两千三百四十五万六千七百八十九"),
        (110000000, "一億一千萬", "一亿一千万"),
        (10**12, "一萬億", "一万亿"),
        (-42, "負四十二", "负四十二"),
    ],
)
def test_cardinal(n: int, hant: str, hans: str) -> None:
    assert cardinal(n, "Hant") == hant
    assert cardinal(n, "Hans") == hans


def test_digit_by_digit_zero_forms() -> None:
    assert digit_by_digit("2022", zero="〇") == "二〇二二"
    assert digit_by_digit("010") == "零一零"


def _clean_sample() -> str:
    """The sample without its scraped pinyin (enough for this test; parse.py does it fully)."""
    return re.sub(r"\((?:[a-z]+)\)", "", SAMPLE.read_text(encoding="utf-8"))


def test_sample_has_no_symbols_left_to_speak() -> None:
    written = _clean_sample()
    spoken = normalize(written, "Hant")
    _check_map(written, spoken)
    leftover = {c for c in spoken.text if c.isdigit() and c.isascii()}
    assert not leftover, f"digits left unspoken: {leftover}"
    for symbol in "%％,:“”「」()（）":
        assert symbol not in spoken.text
    for said in [
        "一至十月",
        "百分之四十二點二",
        "二〇二二年",
        "二〇二一年",
        "十二月二十日",
        "百分之二十七點四",
        "百分之二十一點五和百分之三十點四",
        "實現十四五良好開局",
        "開展五G和",
        "加大I P v六應用",
        "推進A P P專項",
        "四億戶",
    ]:
        assert said in spoken.text, said
    # Traditional stays Traditional: nothing the rules add is in Simplified form.
    for simplified in "点万亿两负":
        assert simplified not in spoken.text


def test_sample_in_simplified_uses_simplified_number_words() -> None:
    import opencc

    written = opencc.OpenCC("t2s").convert(_clean_sample())
    spoken = normalize(written, "Hans")
    assert "百分之四十二点二" in spoken.text
    assert "四亿户" in spoken.text
    assert "點" not in spoken.text
