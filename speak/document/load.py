"""Bytes to text: read a file or standard input and detect its encoding."""

from __future__ import annotations

import codecs
import contextvars
import sys
from functools import cache
from importlib import resources
from pathlib import Path

from speak.errors import InputError
from speak.model import Notice
from speak.zh.han import is_han

ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "big5", "gb18030")
_ALIASES = {"utf8": "utf-8", "gbk": "gb18030", "gb2312": "gb18030", "cp950": "big5"}
_PUNCT = set("，。、：；！？「」『』“”（）《》")


@cache
def _common_chars() -> frozenset[str]:
    text = resources.files("speak.document").joinpath("data/common_chars.txt").read_text("utf-8")
    return frozenset(text.strip())


def _score(text: str) -> float:
    """How much a decoding looks like ordinary Chinese: common characters and punctuation."""
    common = _common_chars()
    good = sum(1 for c in text if c in common or c in _PUNCT)
    return good / max(1, sum(1 for c in text if ord(c) > 0x7F))


ERRORS = ("strict", "replace")  # --errors: stop at a byte that is not text, or replace it
MAX_REPLACED_NOTICES = 1_000  # bytes replaced beyond these are counted in one last notice


def check_encoding(encoding: str) -> str:
    """The codec name for ``--encoding``; InputError when it names no text encoding."""
    enc = _ALIASES.get(encoding.lower(), encoding.lower())
    try:
        info = codecs.lookup(enc)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib...
        raise InputError(
            f"--encoding {encoding}: not a text encoding; use one of {', '.join(ENCODINGS)}"
        )
    return enc


_REPLACED: contextvars.ContextVar[list[tuple[int, int]]] = contextvars.ContextVar("replaced")


def _record(e: UnicodeError) -> tuple[str, int]:
    """Codec error handler "speak-replace": U+FFFD for the bad bytes, their span noted."""
    if not isinstance(e, UnicodeDecodeError):
        raise e
    _REPLACED.get().append((e.start, e.end))
    return "\ufffd", e.end


codecs.register_error("speak-replace", _record)


def _replaced(data: bytes, enc: str, name: str) -> tuple[str, list[Notice]]:
    """``data`` decoded with each undecodable byte run replaced by U+FFFD, and a notice per
    replacement at its line and column."""
    spans: list[tuple[int, int]] = []
    token = _REPLACED.set(spans)
    try:
        text = data.decode(enc, errors="speak-replace")
    finally:
        _REPLACED.reset(token)
    notices = []
    line, pos, column_pos, column = 1, 0, 0, 1  # ``column`` is that of byte ``column_pos``
    for start, end in spans[:MAX_REPLACED_NOTICES]:  # each byte looked at once: linear
        newlines = data.count(b"\n", pos, start)
        if newlines:
            line += newlines
            column_pos, column = data.rfind(b"\n", pos, start) + 1, 1
        column += len(data[column_pos:start].decode(enc, errors="replace"))
        notices.append(
            Notice(
                line,
                column,
                "replaced-bytes",
                f"{end - start} byte(s) not valid {enc} ({data[start:end].hex(' ')}) "
                "replaced by U+FFFD",
            )
        )
        column += 1  # the U+FFFD
        pos = column_pos = end
    if len(spans) > MAX_REPLACED_NOTICES:
        notices.append(
            Notice(
                line,
                column,
                "replaced-bytes",
                f"{len(spans) - MAX_REPLACED_NOTICES} more byte runs not valid {enc} replaced "
                "by U+FFFD; is this the right --encoding?",
            )
        )
    return text, notices


def decode(
    data: bytes, name: str, encoding: str | None = None, errors: str = "strict"
) -> tuple[str, str, list[Notice]]:
    """Decode input bytes; return (text with LF newlines, encoding used, notices).

    ``errors="replace"`` reads text with a few bad bytes: each is replaced by U+FFFD and
    reported as a notice at its line and column."""
    notices: list[Notice] = []
    if encoding:
        enc = check_encoding(encoding)
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            if errors != "replace":
                line = data.count(b"\n", 0, e.start) + 1
                raise InputError(
                    f"{name}: not valid {encoding} (line {line}, byte {e.start}); pass "
                    "--errors replace to replace the bad bytes, or another --encoding"
                ) from None
            text, notices = _replaced(data, enc, name)
    else:
        text, enc, notices = _detect(data, name, errors)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, enc, notices


def _detect(data: bytes, name: str, errors: str = "strict") -> tuple[str, str, list[Notice]]:
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="replace"), "utf-8-sig", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            raise InputError(f"{name}: broken UTF-16 text; re-save it as UTF-8") from None
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not text; give a text file")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as e:
        bad_utf8 = e
    candidates = []
    for enc in ("big5", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_score(text), enc, text))
    if not candidates:
        if errors == "replace":  # mostly UTF-8 with a few bad bytes: the usual case
            text, notices = _replaced(data, "utf-8", name)
            return text, "utf-8", notices
        line = data.count(b"\n", 0, bad_utf8.start) + 1
        raise InputError(
            f"{name}: not UTF-8, UTF-16, Big5 or GB18030 text (first bad byte on line {line}); "
            "pass --encoding NAME, or --errors replace to replace the bad bytes"
        )
    _, enc, text = max(candidates)
    return text, enc, []


def read_input(
    path: str, encoding: str | None = None, errors: str = "strict", data: bytes | None = None
) -> tuple[str, str, list[Notice]]:
    """Read a path (or "-" for standard input, or ``data`` when given); return (text,
    encoding, notices). Raises InputError."""
    if data is not None:
        name = "<stdin>" if path == "-" else path
    elif path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        p = Path(path)
        name = path
        if p.is_dir():
            raise InputError(f"{name}: is a directory; give a text file")
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{name}: no such file; check the path") from None
        except PermissionError:
            raise InputError(f"{name}: permission denied; check the file's permissions") from None
        except OSError as e:
            raise InputError(f"{name}: cannot be read ({e.strerror}); check the path") from None
    if not data.strip():
        raise InputError(f"{name}: the file is empty; give a report with Chinese text")
    text, enc, notices = decode(data, name, encoding, errors)
    if not any(is_han(c) for c in text):
        raise InputError(f"{name}: no Chinese text found; check the file or its --encoding")
    return text, enc, notices
