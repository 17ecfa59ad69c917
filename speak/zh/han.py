"""Which characters are Han ideographs, and the punctuation that ends a Chinese sentence."""

from __future__ import annotations

import re

# CJK Unified Ideographs with Extension A, B and onward, and the Compatibility Ideographs.
HAN_RANGES = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # URO
    (0xF900, 0xFAFF),  # Compatibility Ideographs
    (0x20000, 0x2A6DF),  # Extension B
    (0x2A700, 0x2EE5F),  # Extensions C-F, I
    (0x2F800, 0x2FA1F),  # Compatibility Ideographs Supplement
    (0x30000, 0x323AF),  # Extensions G-H
)
HAN_CLASS = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in HAN_RANGES)  # inside [...] of a regex
HAN = re.compile(f"[{HAN_CLASS}]")

# Punctuation that ends a sentence, full-width and the ASCII forms scraped text uses.
SENTENCE_ENDS = "。！？；…!?;"


def is_han(char: str) -> bool:
    """True for one Han ideograph (any CJK Unified or Compatibility Ideograph block)."""
    o = ord(char)
    if 0x4E00 <= o <= 0x9FFF:  # the common case first
        return True
    return o >= 0x3400 and any(lo <= o <= hi for lo, hi in HAN_RANGES)
