"""The check report: JSON for machines, a table and TSV for people and spreadsheets.

A ``Report`` takes the findings as they come and keeps only their rendered text, in a
temporary file, and the counts; ``write`` then streams the whole report out. So a long
document's check holds neither its findings nor its report in memory.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TextIO

from speak.check.analysis import Analysis
from speak.model import Document, Finding

STATUSES = ("agree", "disagree", "invalid")
FORMATS = ("table", "json", "tsv")
TSV_COLUMNS = ("line", "column", "char", "embedded", "reading", "status", "context", "why")
TABLE_HEADER = "line:col  char  embedded      reading  status    context / why"
CHUNK = 1 << 20  # characters of spooled findings written at a time


def finding_record(f: Finding) -> dict:
    a = f.annotation
    return {
        "line": a.line,
        "column": a.column,
        "char": a.char,
        "embedded": list(a.syllables),
        "reading": f.reading.pinyin,
        "status": f.status,
        "context": f.context,
        "why": f.why,
        "source": f.reading.source,
        "confidence": round(f.reading.confidence, 3),
    }


def _json(value: object, level: int) -> str:
    """``value`` as indented JSON whose lines continue at nesting ``level`` (2 spaces each)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)


def _tsv_row(f: Finding) -> str:
    record = finding_record(f)
    record["embedded"] = " ".join(record["embedded"])
    return "\t".join(str(record[c]).replace("\t", " ") for c in TSV_COLUMNS)


def _table_rows(f: Finding) -> str:
    a = f.annotation
    where = f"{a.line}:{a.column}"
    embedded = ",".join(a.syllables)
    return (
        f"{where:<9} {a.char:<4} {embedded:<13} {f.reading.pinyin:<8} {f.status:<9} "
        f"{f.context}\n{'':<47}{f.why}"
    )


def _spool_file() -> TextIO:
    """A temporary file for the rendered findings; memory when no temporary folder is
    writable (the report still comes out, it just is not kept out of memory)."""
    try:
        return tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
    except OSError:
        return io.StringIO(newline="")


class Report:
    """One report in one format (``table``, ``json`` or ``tsv``) of a document's check.

    ``add`` the findings in input order (an iterator is consumed as it goes), then ``write``.
    The rendered findings wait in ``spool`` (a temporary file unless given), since the JSON
    and the table start with the counts.
    """

    def __init__(self, doc: Document, fmt: str, spool: TextIO | None = None):
        if fmt not in FORMATS:
            raise ValueError(f"unknown report format {fmt!r}")
        self.doc = doc
        self.fmt = fmt
        self.counts: Counter[str] = Counter()
        self.spool = spool or _spool_file()
        self._listed = 0  # findings written to the spool

    def __enter__(self) -> Report:
        return self

    def __exit__(self, *exc: object) -> None:
        self.spool.close()

    @property
    def summary(self) -> dict[str, int]:
        return {"annotated": self.counts.total(), **{s: self.counts[s] for s in STATUSES}}

    def add(self, findings: Iterable[Finding]) -> None:
        for f in findings:
            self.counts[f.status] += 1
            if self.fmt == "json":
                item = "    " + _json(finding_record(f), 2)
            elif self.fmt == "tsv":
                item = _tsv_row(f)
            elif f.status != "agree":
                item = _table_rows(f)
            else:
                continue
            self.spool.write(item if self._listed == 0 else self._separator + item)
            self._listed += 1

    @property
    def _separator(self) -> str:
        return ",\n" if self.fmt == "json" else "\n"

    def write(self, out: Callable[[str], object]) -> None:
        """Write the whole report through ``out`` (called with pieces of text)."""
        {"json": self._write_json, "tsv": self._write_tsv, "table": self._write_table}[self.fmt](
            out
        )

    def _body(self, out: Callable[[str], object]) -> None:
        """The spooled findings, in pieces of whole lines."""
        self.spool.flush()
        self.spool.seek(0)
        while lines := self.spool.readlines(CHUNK):
            out("".join(lines))

    def _write_json(self, out: Callable[[str], object]) -> None:
        doc = self.doc
        head = {
            "source": doc.source,
            "encoding": doc.encoding,
            "script": doc.script,
            "title": doc.title,
            "summary": self.summary,
        }
        out("{\n" + "".join(f"  {_json(k, 1)}: {_json(v, 1)},\n" for k, v in head.items()))
        if self._listed:
            out('  "findings": [\n')
            self._body(out)
            out("\n  ],\n")
        else:
            out('  "findings": [],\n')
        notices = [
            {"line": n.line, "column": n.column, "kind": n.kind, "message": n.message}
            for n in doc.notices
        ]
        sections = [
            {"number": s.number, "title": s.title, "sentences": len(s.sentences)}
            for s in doc.sections
        ]
        out(f'  "notices": {_json(notices, 1)},\n  "sections": {_json(sections, 1)}\n}}\n')

    def _write_tsv(self, out: Callable[[str], object]) -> None:
        out("\t".join(TSV_COLUMNS) + "\n")
        if self._listed:
            self._body(out)
            out("\n")

    def _write_table(self, out: Callable[[str], object]) -> None:
        counts = self.summary
        out(
            f"{self.doc.source}: {counts['annotated']} annotated characters: "
            f"{counts['agree']} agree, {counts['disagree']} disagree, {counts['invalid']} invalid\n"
        )
        if self._listed:
            out(f"\n{TABLE_HEADER}\n")
            self._body(out)
            out("\n")
        for n in self.doc.notices:
            out(f"note {n.line}:{n.column} {n.kind}: {n.message}\n")


def render(analysis: Analysis, fmt: str) -> str:
    """The whole report of a finished analysis as one string."""
    text = io.StringIO()
    with Report(analysis.doc, fmt, spool=io.StringIO()) as made:
        made.add(analysis.findings)
        made.write(text.write)
    return text.getvalue()


def to_json(analysis: Analysis) -> str:
    """The whole check as JSON: summary, findings in input order, notices, sections."""
    return render(analysis, "json")


def to_table(analysis: Analysis) -> str:
    """Counts, then one row per finding that is not ``agree``, with its context and why."""
    return render(analysis, "table")
