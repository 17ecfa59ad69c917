"""Make large annotated inputs from the dev sentences, for the scale benchmarks.

Each dev sentence gets one toneless annotation after its polyphone: the character's most
common reading, chosen blind to context, as web scrapers do. Sentences are grouped into
paragraphs of ten and into enumerated sections (一是, 二是, ...), so the whole pipeline
(sections, check, speech) sees report-shaped text.

    python bench/make_inputs.py OUT.txt [--sentences N] [--copies K]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
from pathlib import Path

from pypinyin import Style, pinyin

DATA = Path(os.environ.get("SPEAK_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
FILES = [DATA / "cpp" / "dev_trad.tsv", DATA / "g2pl" / "dev_trad.tsv"]
NUMERALS = "一二三四五六七八九十"
PER_PARAGRAPH = 10
PER_SECTION = 20  # paragraphs


def blind_reading(char: str, simplified: str) -> str:
    """The character's first (most common) reading, toneless, ignoring context."""
    return pinyin(simplified or char, style=Style.NORMAL, heteronym=False)[0][0]


def _annotated(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    out = []
    for row in rows:
        s, i = row["sentence"], int(row["idx"])
        syllable = blind_reading(row["char"], row.get("simp_char", ""))
        out.append(f"{s[: i + 1]}({syllable}){s[i + 1 :]}")
    return out


def annotated_sentences(limit: int) -> list[str]:
    """Up to ``limit`` annotated sentences, alternating between the CPP and g2pL dev sets."""
    sources = [_annotated(path) for path in FILES]
    mixed = [s for group in itertools.zip_longest(*sources) for s in group if s]
    return mixed[:limit]


def section_label(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


def report_text(sentences: list[str]) -> str:
    paragraphs = [
        "".join(sentences[i : i + PER_PARAGRAPH]) for i in range(0, len(sentences), PER_PARAGRAPH)
    ]
    lines = ["會議強調，要抓好以下重點任務："]
    for k, p in enumerate(paragraphs):
        if k % PER_SECTION == 0 and k // PER_SECTION < 99:
            p = f"{section_label(k // PER_SECTION + 1)}是{p}"
        lines.append(p)
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--sentences", type=int, default=10_000)
    ap.add_argument("--copies", type=int, default=1, help="repeat the whole text K times")
    args = ap.parse_args()
    text = report_text(annotated_sentences(args.sentences)) * args.copies
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(text):,} characters, {args.sentences * args.copies:,} sentences")


if __name__ == "__main__":
    main()
