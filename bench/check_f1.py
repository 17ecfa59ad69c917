"""The check as a detector of scrapers' mistakes, on the dev sets.

    PYTHONPATH=. python bench/check_f1.py [--markdown FILE] [--limit N]

Each dev sentence gets one toneless annotation after its polyphone: the character's usual
reading chosen blind to context (pypinyin's single-character reading of its t2s form, as
scrapers do). A finding that is not ``agree`` is a flag; a flag is right when the gold reading
(toneless) differs from the annotation.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from devsets import DEV_FILES, read_dev
from process import emit
from pypinyin import Style, lazy_pinyin

from speak.check.findings import check
from speak.model import Annotation, Document
from speak.readings import Reader
from speak.zh.script import simplified_char


def blind_annotation(char: str) -> str:
    return lazy_pinyin(simplified_char(char), style=Style.NORMAL)[0].replace("ü", "v")


def measure(rows) -> dict[str, float]:
    readings = Reader().read_many([r[0] for r in rows])
    tp = fp = fn = 0
    for (sentence, idx, char, gold), found in zip(rows, readings, strict=True):
        embedded = blind_annotation(char)
        note = Annotation(idx, 1, idx + 1, char, (embedded,), f"({embedded})")
        doc = Document(
            source="dev", encoding="utf-8", text=sentence, annotations=(note,), paragraphs=()
        )
        (finding,) = check(doc, {r.offset: r for r in found})
        flagged = finding.status != "agree"
        wrong = gold.rstrip("12345") != embedded
        tp += flagged and wrong
        fp += flagged and not wrong
        fn += wrong and not flagged
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"wrong": tp + fn, "flags": tp + fp, "precision": precision, "recall": recall, "f1": f1}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", help="also write the table as Markdown to this file")
    parser.add_argument("--limit", type=int, help="only the first N rows of each file")
    args = parser.parse_args(argv)
    lines = [
        "| dev file | wrong annotations | flags | precision | recall | F1 |",
        "|---|---|---|---|---|---|",
    ]
    for name in DEV_FILES:
        m = measure(read_dev(name, args.limit))
        lines.append(
            f"| {name} | {m['wrong']} | {m['flags']} | {m['precision']:.2%} | "
            f"{m['recall']:.2%} | {m['f1']:.2%} |"
        )
    emit(lines, Path(args.markdown) if args.markdown else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
