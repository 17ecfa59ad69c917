"""Mainland Chinese braille from the checked readings."""

from __future__ import annotations

import re

import pytest

from speak.export.base import Bundle, ExportOptions, exporters
from speak.export.braille import (
    BrailleError,
    brf_text,
    paragraph_tokens,
    syllable_braille,
    text_braille,
)
from speak.model import Document, Paragraph, Reading, Section, Sentence
from speak.zh.han import is_han
from speak.zh.pinyin import inventory

# Cells as GB/T 15720 (and liblouis' zhcn-g1 table) write them.
KNOWN = {
    "zhang3": "⠌⠦⠄",
    "zhong4": "⠌⠲⠆",
    "lv4": "⠇⠬⠆",
    "lu:4": "⠇⠬⠆",
    "er2": "⠗⠂",
    "shi4": "⠱⠆",  # apical -i is not written
    "zi5": "⠵",  # neutral tone: no tone cell
    "de5": "⠙⠢",
    "xiong2": "⠓⠹⠂",  # pypinyin's BRAILLE_MAINLAND_TONE gives ⠓⠬⠼⠂
    "yun4": "⠸⠆",  # pypinyin: ⠬⠴⠆
    "jun1": "⠛⠸⠁",
    "yong3": "⠹⠄",
    "ying1": "⠡⠁",
    "dui4": "⠙⠺⠆",  # ui = uei
    "liu2": "⠇⠳⠂",  # iu = iou
    "lun2": "⠇⠒⠂",  # un = uen
    "xue2": "⠓⠾⠂",
    "yuan2": "⠯⠂",
    "wo3": "⠕⠄",
    "guang1": "⠛⠶⠁",
}


@pytest.mark.parametrize(("pinyin", "cells"), KNOWN.items())
def test_known_syllables(pinyin: str, cells: str) -> None:
    assert syllable_braille(pinyin) == cells


def test_every_syllable_and_tone_reads_back() -> None:
    """Cells → syllable is unambiguous, except where braille merges spellings on purpose:
    e/o (both ⠢), wong/weng, and the interjections 哟 yo (as you) and 欸 ê (as ei)."""
    merged = {"lo": "le", "mo": "me", "o": "e", "yo": "you", "ê": "ei", "wong": "weng"}
    back: dict[str, set[str]] = {}
    for base in inventory():
        for tone in "12345":
            back.setdefault(syllable_braille(base + tone), set()).add(merged.get(base, base) + tone)
    clashes = {cells: s for cells, s in back.items() if len(s) > 1}
    assert not clashes
    assert len(back) > 1500


def test_not_a_syllable_is_an_error() -> None:
    with pytest.raises(BrailleError, match="not a"):
        syllable_braille("qqq3")


def make_bundle(paragraph_texts: list[str], readings: dict[int, str], title: str = "") -> Bundle:
    """A one-section document; ``readings`` gives the pinyin of chosen offsets, the rest of
    the Han characters read ``a1`` so a test can see which reading was used."""
    text = "\n".join(paragraph_texts)
    paragraphs = []
    start = 0
    for index, body in enumerate(paragraph_texts):
        sentence = Sentence(index, start, start + len(body))
        paragraphs.append(Paragraph(index, start, start + len(body), index + 1, (sentence,)))
        start += len(body) + 1
    section = Section(0, title or paragraph_texts[0][:4], tuple(paragraphs))
    doc = Document("t.txt", "utf-8", text, (), tuple(paragraphs), sections=(section,), title="t")
    by_offset = {
        i: Reading(i, c, readings.get(i, "a1"), "test") for i, c in enumerate(text) if is_han(c)
    }
    return Bundle(doc, by_offset, (), ExportOptions(name="t"))


def test_uses_the_checked_reading_not_a_fresh_guess() -> None:
    bundle = make_bundle(["增長"], {0: "zeng1", 1: "zhang3"})
    assert text_braille("增長", 0, bundle.readings) == "⠵⠼⠁⠌⠦⠄"


def test_numbers_punctuation_and_latin() -> None:
    readings = {0: Reading(0, "日", "ri4", "t"), 5: Reading(5, "年", "nian2", "t")}
    # 20 then 日 (⠚ = digit 0): a blank cell keeps the number from swallowing the syllable;
    # a number is a word of its own after a syllable.
    assert text_braille("日20日", -1, {0: readings[0], -1: readings[0]}) == "⠚⠆ ⠼⠃⠚ ⠚⠆"
    assert text_braille("42.2%", 0, {}) == "⠼⠙⠃⠄⠃⠼⠚⠴"
    assert text_braille("“十”。", 0, {1: Reading(1, "十", "shi2", "t")}) == "⠘⠱⠂⠘⠐⠆"
    assert text_braille("IPv6", 0, {}) == "⠠⠊⠠⠏⠧⠼⠋"
    assert text_braille("，、：；？！", 0, {}) == "⠐⠈⠤⠰⠐⠄⠰⠂"  # one blank, after the last


def test_export_writes_paragraphs_and_brf(tmp_path) -> None:
    paragraphs = ["工業增長42.2%,前三季度。", "二是加大IPv6應用。" + "實現" * 30]
    bundle = make_bundle(paragraphs, {2: "zeng1", 3: "zhang3"}, title="工業增長")
    written = exporters()["braille"](bundle, tmp_path)
    names = sorted(p.name for p in written)
    assert names == ["01-a-a-zeng-zhang.brf", "01-a-a-zeng-zhang.brl.txt"]

    brl = (tmp_path / "braille" / "01-a-a-zeng-zhang.brl.txt").read_text("utf-8")
    blocks = brl.rstrip("\n").split("\n\n")
    assert len(blocks) == 2  # paragraphs kept, blank line between
    assert blocks[0].startswith("⠔⠁⠔⠁ ⠵⠼⠁⠌⠦⠄ ⠼⠙⠃⠄⠃⠼⠚⠴⠐ ")  # 工業 增長 42.2%，
    assert re.fullmatch(r"[\u2800-\u283f \n]+", brl), "only 6-dot braille cells and blanks"

    brf = (tmp_path / "braille" / "01-a-a-zeng-zhang.brf").read_bytes().decode("ascii")
    lines = brf.split("\r\n")
    assert max(len(line.lstrip("\f")) for line in lines) <= 40
    assert len(lines) > 4  # the long paragraph wrapped
    # Lines break between words (實現 is one): each line of the long paragraph holds whole
    # words of two syllables, each closed by its tone cell.
    for line in lines[3:-2]:
        assert line and all(len(word) == 4 and word[-1] in "A1'2" for word in line.split(" "))


def test_brf_breaks_pages_every_25_lines() -> None:
    tokens = [["⠁"] for _ in range(30)]
    pages = brf_text(tokens).split("\f")
    assert len(pages) == 3  # 30 paragraphs + 29 blank lines = 59 lines
    assert pages[0].count("\r\n") == 25


def test_paragraph_tokens_never_split_a_syllable() -> None:
    tokens = paragraph_tokens("中國", 0, {0: Reading(0, "中", "zhong1", "t")})
    assert tokens[0] == "⠌⠲⠁"


def test_words_are_written_apart_and_particles_join_the_word_before() -> None:
    text = "全國工業和信息化工作會議召開了"
    pinyin = "quan2 guo2 gong1 ye4 he2 xin4 xi1 hua4 gong1 zuo4 hui4 yi4 zhao4 kai1 le5"
    pairs = zip(text, pinyin.split(" "), strict=True)
    readings = {i: Reading(i, c, p, "t") for i, (c, p) in enumerate(pairs)}
    words = text_braille(text, 0, readings).split(" ")
    # 全國 工業 和 信息化 工作 會議 召開了: 了 (le5, no tone cell) joins 召開
    assert words[1] == "⠛⠲⠁⠑⠆" and words[2] == "⠓⠢⠂"
    assert len(words) == 7 and words[-1] == "⠌⠖⠆⠅⠪⠁⠇⠢"


def test_brf_never_breaks_inside_a_word() -> None:
    word = ["⠁⠁", "⠃⠃", "⠉⠉"]  # one word of three syllables
    paragraph = [piece for _ in range(10) for piece in [*word, " "]]
    for line in brf_text([paragraph], width=20).split("\r\n"):
        assert all(len(w) == 6 for w in line.split(" ") if line)


def _read(text: str, pinyin: str) -> dict[int, Reading]:
    """Readings for the Han characters of ``text``, in order, from space-separated pinyin."""
    syllables = iter(pinyin.split())
    return {i: Reading(i, c, next(syllables), "t") for i, c in enumerate(text) if is_han(c)}


def test_a_blank_follows_a_full_stop_as_it_follows_a_comma() -> None:
    text = "召開。會上，工信部"
    readings = _read(text, "zhao4 kai1 hui4 shang4 gong1 xin4 bu4")
    out = text_braille(text, 0, readings)
    assert "⠐⠆ ⠓⠺⠆" in out  # 。 then a blank, then 會
    assert "⠐ ⠛⠲⠁" in out  # ， then a blank, then 工
    assert text_braille("好！是？對", 0, _read("好！是？對", "hao3 shi4 dui4")).count(" ") == 2


def test_opening_and_closing_quotes_stand_apart_by_their_blanks() -> None:
    text = "抓好“十四五”規劃"
    out = text_braille(text, 0, _read(text, "zhua1 hao3 shi2 si4 wu3 gui1 hua4"))
    opening, closing = out.index("⠘"), out.rindex("⠘")
    assert out[opening - 1] == " " and out[opening + 1] != " "  # opens: blank, mark, word
    assert out[closing - 1] != " " and out[closing + 1] == " "  # closes: word, mark, blank
    assert out == "⠌⠿⠁⠓⠖⠄ ⠘⠱⠂⠎⠆⠥⠄⠘ ⠛⠺⠁⠓⠿⠆"


def test_one_rule_for_a_number_before_han() -> None:
    # Whatever the syllable's first cell (和 ⠓ reads as the digit 8, 日 ⠚ as 0, 年 ⠝ as no
    # digit), a blank ends the number before it.
    for text, pinyin in (("21.5%和", "he2"), ("20日", "ri4"), ("2021年", "nian2")):
        out = text_braille(text, 0, _read(text, pinyin))
        number, syllable = out.split(" ")
        assert number.startswith("⠼") and syllable == syllable_braille(pinyin)
