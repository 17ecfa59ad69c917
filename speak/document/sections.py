"""Document to sections: the opening part, then one section per enumerated item."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from speak.document.metadata import report_title
from speak.model import Document, Paragraph, Section

NUMERALS = "一二三四五六七八九十"
# Each style captures the item's Chinese numeral; the first item of a style must be 一.
ITEM_STYLES = (
    re.compile(rf"^([{NUMERALS}]+)是"),  # 一是 …
    re.compile(rf"^第([{NUMERALS}]+)(?=[，,、：:是條条])"),  # 第一， …
    re.compile(rf"^[（(]([{NUMERALS}]+)[）)]"),  # （一） …
    re.compile(rf"^([{NUMERALS}]+)、"),  # 一、 …
)
OPENING_TITLE = {"Hant": "導語", "Hans": "导语"}  # the part before the first item
CLAUSE_END = re.compile(r"[，,。；;：:！!？?]")


def chinese_numeral(text: str) -> int:
    """Value of a small Chinese numeral (一 … 九十九)."""
    digits = {c: i + 1 for i, c in enumerate(NUMERALS[:9])}
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    return digits.get(text, 0)


MAX_TITLE = 100  # characters a title keeps: a line without punctuation is not all title


def first_clause(text: str) -> str:
    """Text up to the first clause punctuation (the title of an item), at most MAX_TITLE
    characters."""
    match = CLAUSE_END.search(text, 0, MAX_TITLE + 1)
    return (text[: match.start()] if match else text[:MAX_TITLE]).strip()


def _items(doc: Document, paragraphs: list[Paragraph]) -> list[int]:
    """Positions (in ``paragraphs``) of enumerated items: the first style that counts 一, 二, …"""
    for style in ITEM_STYLES:
        found: list[int] = []
        for i, p in enumerate(paragraphs):
            match = style.match(doc.text[p.start : p.end])
            if match and chinese_numeral(match.group(1)) == len(found) + 1:
                found.append(i)
        if len(found) >= 2:
            return found
    return []


def document_title(doc: Document) -> str:
    """The report's title, as every output names it (headings, EPUB, tags): its short title
    (``report_title``: the first clause that is not only a date; at most MAX_TITLE
    characters, a line without punctuation is not all title), else the input's name."""
    if title := report_title(doc)[:MAX_TITLE].strip():
        return title
    stem = Path(doc.source).stem if doc.source not in ("-", "<stdin>") else ""
    return stem or "speak"


def add_sections(doc: Document, keep_repeats: bool = False) -> Document:
    """Return the Document with sections (and title); repeats are left out unless kept."""
    spoken = [p for p in doc.paragraphs if keep_repeats or p.repeat_of is None]
    title = document_title(doc)
    items = _items(doc, spoken)
    bounds = [*sorted({0, *items}), len(spoken)]
    sections = []
    for k in range(len(bounds) - 1):
        group = tuple(spoken[bounds[k] : bounds[k + 1]])
        if not group:
            continue
        is_item = bounds[k] in items
        first = group[0]
        if is_item:
            section_title = first_clause(doc.text[first.start : first.end])
        else:
            section_title = OPENING_TITLE[doc.script] if items else title
        sections.append(Section(len(sections), section_title, group))
    return dataclasses.replace(doc, sections=tuple(sections), title=title)
