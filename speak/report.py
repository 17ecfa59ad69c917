"""The check report: JSON for machines, a table and TSV for people and spreadsheets."""

from __future__ import annotations

import json
from collections import Counter

from speak.model import Finding
from speak.pipeline import Analysis

STATUSES = ("agree", "disagree", "invalid")


def summary(findings: tuple[Finding, ...] | list[Finding]) -> dict[str, int]:
    counts = Counter(f.status for f in findings)
    return {"annotated": len(findings), **{s: counts.get(s, 0) for s in STATUSES}}


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


def to_json(analysis: Analysis) -> str:
    """The whole check as JSON: findings in input order, summary, notices, sections."""
    doc = analysis.doc
    data = {
        "source": doc.source,
        "encoding": doc.encoding,
        "script": doc.script,
        "title": doc.title,
        "summary": summary(analysis.findings),
        "findings": [finding_record(f) for f in analysis.findings],
        "notices": [
            {"line": n.line, "column": n.column, "kind": n.kind, "message": n.message}
            for n in doc.notices
        ],
        "sections": [
            {"number": s.number, "title": s.title, "sentences": len(s.sentences)}
            for s in doc.sections
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_tsv(analysis: Analysis) -> str:
    columns = ["line", "column", "char", "embedded", "reading", "status", "context", "why"]
    rows = ["\t".join(columns)]
    for f in analysis.findings:
        record = finding_record(f)
        record["embedded"] = " ".join(record["embedded"])
        rows.append("\t".join(str(record[c]).replace("\t", " ") for c in columns))
    return "\n".join(rows) + "\n"


def to_table(analysis: Analysis) -> str:
    """Counts, then one row per finding that is not ``agree``, with its context and why."""
    counts = summary(analysis.findings)
    lines = [
        f"{analysis.doc.source}: {counts['annotated']} annotated characters: "
        f"{counts['agree']} agree, {counts['disagree']} disagree, {counts['invalid']} invalid"
    ]
    problems = [f for f in analysis.findings if f.status != "agree"]
    if problems:
        lines.append("")
        lines.append("line:col  char  embedded      reading  status    context / why")
        for f in problems:
            a = f.annotation
            where = f"{a.line}:{a.column}"
            embedded = ",".join(a.syllables)
            lines.append(
                f"{where:<9} {a.char:<4} {embedded:<13} {f.reading.pinyin:<8} {f.status:<9} "
                f"{f.context}"
            )
            lines.append(f"{'':<47}{f.why}")
    for n in analysis.doc.notices:
        lines.append(f"note {n.line}:{n.column} {n.kind}: {n.message}")
    return "\n".join(lines) + "\n"
