"""Traditional <-> Simplified conversion (OpenCC, character for character)."""

from __future__ import annotations

from functools import cache

import opencc


@cache
def converter(config: str) -> opencc.OpenCC:
    """One shared OpenCC converter per config ("t2s", "s2t"), made on first use."""
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """OpenCC t2s; the length is kept (conversion is character for character here)."""
    out = converter("t2s").convert(text)
    return out if len(out) == len(text) else text


def to_traditional(text: str) -> str:
    out = converter("s2t").convert(text)
    return out if len(out) == len(text) else text
