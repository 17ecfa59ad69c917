"""Bytes to text: read a file or standard input and detect its encoding."""

from __future__ import annotations

import codecs
import sys
from functools import cache
from importlib import resources
from pathlib import Path

from speak.errors import InputError
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


def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode input bytes; return (text with LF newlines, encoding used)."""
    if encoding:
        enc = _ALIASES.get(encoding.lower(), encoding.lower())
        try:
            codecs.lookup(enc)
        except LookupError:
            raise InputError(
                f"{name}: unknown encoding {encoding!r}; use one of {', '.join(ENCODINGS)}"
            ) from None
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            raise InputError(
                f"{name}: not valid {encoding} (byte {e.start}); drop --encoding to detect it"
            ) from None
    else:
        text, enc = _detect(data, name)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text, enc


def _detect(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise InputError(f"{name}: broken UTF-16 text; re-save it as UTF-8") from None
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file, not text; give a text file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("big5", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_score(text), enc, text))
    if not candidates:
        raise InputError(f"{name}: not UTF-8, UTF-16, Big5 or GB18030 text; pass --encoding NAME")
    _, enc, text = max(candidates)
    return text, enc


def read_input(path: str, encoding: str | None = None) -> tuple[str, str]:
    """Read a path (or "-" for standard input); return (text, encoding). Raises InputError."""
    if path == "-":
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
    text, enc = decode(data, name, encoding)
    if not any(is_han(c) for c in text):
        raise InputError(f"{name}: no Chinese text found; check the file or its --encoding")
    return text, enc
