"""File names for sections: ``NN-slug`` with an ASCII slug from the title's checked pinyin."""

from __future__ import annotations

import re

from speak.model import Document, Reading, Section

MAX_SLUG = 40


def _title_syllables(doc: Document, section: Section, readings: dict[int, Reading]) -> list[str]:
    from speak.zh.chars import default_reading  # imported here: output_name needs neither
    from speak.zh.pinyin import toneless

    first = section.paragraphs[0] if section.paragraphs else None
    if first and doc.text.startswith(section.title, first.start):
        syllables = []
        for i, ch in enumerate(section.title):
            r = readings.get(first.start + i)
            syllables.append(toneless(r.pinyin) if r else ch)
        return syllables
    return [toneless(r) if (r := default_reading(ch)) else ch for ch in section.title]


def slugify(words: list[str]) -> str:
    """ASCII words joined by hyphens, cut at a word boundary near MAX_SLUG characters."""
    parts = [p for w in words for p in re.split(r"[^a-z0-9]+", w.lower().replace("ü", "v")) if p]
    slug = ""
    for part in parts:
        candidate = f"{slug}-{part}" if slug else part
        if len(candidate) > MAX_SLUG:
            break
        slug = candidate
    return slug or "section"


def section_stem(doc: Document, section: Section, readings: dict[int, Reading]) -> str:
    """``02-yi-shi-zhuo-li-ti-zhen-gong-ye-jing-ji``: number in reading order, then slug."""
    return f"{section.number:02d}-{slugify(_title_syllables(doc, section, readings))}"


def output_name(source: str) -> str:
    """Base name of a document's outputs: the input file's stem, or ``stdin``."""
    if source in ("-", "<stdin>"):
        return "stdin"
    stem = re.sub(r"[^\w.-]+", "-", source.replace("\\", "/").rsplit("/", 1)[-1])
    return stem.rsplit(".", 1)[0] if "." in stem else stem
