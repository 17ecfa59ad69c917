"""Heteronym accuracy on the everyday set (tests/data/everyday*.tsv), Simplified and
Traditional side by side: speak against pypinyin, pypinyin after t2s, and g2pM.

    PYTHONPATH=. python bench/everyday.py [--markdown FILE] [--split dev|test] [--errors]
        [--holdout | --fresh]

``--holdout``: the hold-out set (tests/data/everyday_holdout*.tsv) instead, written blind
after speak's rules for the everyday set were: no rule or weight was chosen looking at it
(though its errors were seen, and once it decided against a change).
``--fresh``: the fresh blind set (tests/data/everyday_fresh*.tsv), written after the model
it was first measured on was fixed; nobody looked at its errors before that measure.

A row is right when the reading at its index is the gold reading in tone-number form. For 一
and 不 the gold is the citation tone (yi1, bu4) and a tone-sandhi-only difference is not an
error (the spoken tone change is speech's business, not the reading's).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from devsets import SYSTEMS
from process import emit

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
FILES = {"Simplified": "everyday.tsv", "Traditional": "everyday_trad.tsv"}
HOLDOUT = {"Simplified": "everyday_holdout.tsv", "Traditional": "everyday_holdout_trad.tsv"}
FRESH = {"Simplified": "everyday_fresh.tsv", "Traditional": "everyday_fresh_trad.tsv"}
SANDHI_ONLY = frozenset("一不")


def read_rows(name: str, split: str | None = None) -> list[tuple[str, int, str, str]]:
    """(sentence, idx, char, gold) rows of one everyday file, optionally one half."""
    rows = []
    for line in (DATA / name).read_text("utf-8").splitlines()[1:]:
        sentence, idx, char, gold, half, _note = line.split("\t")
        if split is None or half == split:
            rows.append((sentence, int(idx), char, gold))
    return rows


def right(char: str, predicted: str, gold: str) -> bool:
    """Exact match; for 一/不 the syllable without its tone."""
    if char in SANDHI_ONLY:
        return predicted.rstrip("12345") == gold.rstrip("12345")
    return predicted == gold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", help="also write the table as Markdown to this file")
    parser.add_argument("--split", choices=("dev", "test"), help="only one half of the set")
    parser.add_argument("--errors", action="store_true", help="list speak's wrong rows")
    parser.add_argument("--systems", help="comma-separated subset of: " + ", ".join(SYSTEMS))
    blind = parser.add_mutually_exclusive_group()
    blind.add_argument("--holdout", action="store_true", help="the blind hold-out set")
    blind.add_argument("--fresh", action="store_true", help="the fresh blind set")
    args = parser.parse_args(argv)
    systems = args.systems.split(",") if args.systems else list(SYSTEMS)
    table: dict[str, dict[str, tuple[int, int]]] = {}
    files = HOLDOUT if args.holdout else FRESH if args.fresh else FILES
    for script, name in files.items():
        rows = read_rows(name, args.split)
        for system in systems:
            predicted = SYSTEMS[system](rows)
            hits = [right(r[2], p, r[3]) for p, r in zip(predicted, rows, strict=True)]
            table.setdefault(system, {})[script] = (sum(hits), len(rows))
            if args.errors and system == "speak":
                for ok, p, r in zip(hits, predicted, rows, strict=True):
                    if not ok:
                        print(f"{script[:4]}\t{r[0]}\t{r[2]}\t{r[3]}\t→ {p}", file=sys.stderr)
    half = f" ({args.split} half)" if args.split else ""
    half = " (hold-out set)" if args.holdout else " (fresh blind set)" if args.fresh else half
    lines = [
        f"| system{half} | " + " | ".join(FILES) + " |",
        "|---|" + "---|" * len(FILES),
    ]
    for system, scores in table.items():
        cells = [f"{h / n:.2%} ({h}/{n})" for h, n in scores.values()]
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    emit(lines, Path(args.markdown) if args.markdown else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
