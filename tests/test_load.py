"""Reading input bytes: encodings, newlines and every bad-input error."""

from __future__ import annotations

import codecs

import pytest

from speak.document.load import decode, read_input
from speak.errors import InputError

TEXT = "工業和信息化部表示：「增長」穩定。\n第二行，重點任務。\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),  # BOM included
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("big5"), "big5"),
        (TEXT.encode("gb18030"), "gb18030"),
    ],
)
def test_detects_common_encodings(data: bytes, expected: str) -> None:
    text, used, notices = decode(data, "x.txt")
    assert notices == []
    assert used == expected
    assert text == TEXT


def test_simplified_gb_text_is_not_mistaken_for_big5() -> None:
    simplified = "工业和信息化部表示，重点任务是稳定增长。"
    assert decode(simplified.encode("gb18030"), "x")[0] == simplified


def test_sample_as_big5_and_gb18030(sample_text: str) -> None:
    for enc in ("big5", "gb18030"):
        assert decode(sample_text.encode(enc), "x")[0] == sample_text


def test_crlf_and_cr_become_lf() -> None:
    assert decode("一\r\n二\r三\n".encode(), "x")[0] == "一\n二\n三\n"


def test_forced_encoding_is_used_and_checked(tmp_path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(TEXT.encode("big5"))
    assert read_input(str(f), "big5") == (TEXT, "big5", [])
    with pytest.raises(InputError, match="not valid utf-8"):
        read_input(str(f), "utf-8")
    with pytest.raises(InputError, match="--encoding klingon: not a text encoding"):
        read_input(str(f), "klingon")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"Only English here.\n", "no Chinese"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(tmp_path, content: bytes, message: str) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_input(str(f))
    assert str(f) in str(e.value) and message in str(e.value)
    assert "\n" not in str(e.value)


def test_missing_file_and_directory(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_input(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="is a directory"):
        read_input(str(tmp_path))
