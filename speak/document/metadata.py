"""What a report says about itself: a short title and its date, for tags and metadata.

Pure functions over the parsed document; nothing is guessed from the file (its mtime is when
it was copied, not when the report was written).
"""

from __future__ import annotations

import re

from speak.model import Document

CLAUSE_END = re.compile(r"[，,。；;：:！!？?]")
_DIGITS = "0-9０-９"
FULL_DATE = re.compile(
    rf"([{_DIGITS}]{{4}})\s*年\s*([{_DIGITS}]{{1,2}})\s*月\s*([{_DIGITS}]{{1,2}})\s*[日號号]"
)
DATELINE = re.compile(rf"^\s*([{_DIGITS}]{{1,2}})\s*月\s*([{_DIGITS}]{{1,2}})\s*[日號号]")
YEAR = re.compile(rf"(?<![{_DIGITS}])([{_DIGITS}]{{4}})\s*年")
REVIEWS = re.compile(r"總結|总结|回顧|回顾")  # "summed up (year Y's work)"
PLANS = re.compile(r"部署|謀劃|谋划|安排")  # "laid out (year Y+1's tasks)"
DATE_ONLY = re.compile(rf"^[\s{_DIGITS}年月日號号]*$")


def _int(text: str) -> int:
    return int(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))


def _first_paragraph(doc: Document) -> str:
    for p in doc.paragraphs:
        if p.sentences:
            return doc.text[p.start : p.end]
    return ""


def report_title(doc: Document) -> str:
    """A short title: the first clause of the first sentence that is not only a date.

    ``12月20日,全國工業和信息化工作會議在北京以視頻形式召開。`` gives
    ``全國工業和信息化工作會議在北京以視頻形式召開``; a heading line (no clause punctuation)
    is its own title. Empty when the document has no text.
    """
    text = _first_paragraph(doc)
    first = re.split(r"[。！？；!?;]", text, maxsplit=1)[0]
    clauses = [c.strip() for c in CLAUSE_END.split(first)]
    for clause in clauses:
        if clause and not DATE_ONLY.match(clause):
            return clause
    return first.strip()


def report_date(doc: Document) -> str:
    """The report's date as ISO 8601 (``2021-12-20``) when its opening paragraph states it.

    - A full date in the first sentence (``2021年12月20日``) is the date.
    - A dateline without a year (``12月20日,…``) takes its year from the text only when the
      paragraph reviews one year and lays out the next (``總結了2021年…工作，部署2022年…任務``,
      the year-end work conference of Chinese government reports): such a meeting is held at
      the end of the reviewed year (dateline in July to December) or at the start of the
      next (January to June).
    - Otherwise no date (the empty string): a year is never guessed from the file.
    """
    text = _first_paragraph(doc)
    first = re.split(r"[。！？!?]", text, maxsplit=1)[0]
    full = FULL_DATE.search(first)
    if full:
        return _iso(_int(full.group(1)), _int(full.group(2)), _int(full.group(3)))
    dateline = DATELINE.match(text)
    if not dateline:
        return ""
    month, day = _int(dateline.group(1)), _int(dateline.group(2))
    review, plan = REVIEWS.search(text), PLANS.search(text)
    if not (review and plan and review.start() < plan.start()):
        return ""
    reviewed = YEAR.search(text, review.end(), plan.start())
    planned = YEAR.search(text, plan.end())
    if not (reviewed and planned):
        return ""
    year = _int(reviewed.group(1))
    if _int(planned.group(1)) != year + 1:
        return ""
    return _iso(year if month >= 7 else year + 1, month, day)


def _iso(year: int, month: int, day: int) -> str:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"
