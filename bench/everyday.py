"""Heteronym accuracy on the everyday set (tests/data/everyday*.tsv), Simplified and
Traditional side by side: speak against pypinyin, pypinyin after t2s, and g2pM.

    PYTHONPATH=. python bench/everyday.py [--markdown FILE] [--split dev|test] [--errors]
        [--set everyday|holdout|fresh|second]

``--set``: which set (tests/data/everyday*.tsv; default the everyday set, whose dev half
chose a few of speak's constants). The other three were written blind, each after the model
it was first measured on was fixed: ``holdout`` (its errors have since been seen, and once it
decided against a change), ``fresh`` (measured once, then its errors were seen) and
``second`` (written after the common-word weight, the cut margin and the 落 pattern were
set; measured once).

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
SETS = {
    name: {"Simplified": f"{stem}.tsv", "Traditional": f"{stem}_trad.tsv"}
    for name, stem in (
        ("everyday", "everyday"),
        ("holdout", "everyday_holdout"),
        ("fresh", "everyday_fresh"),
        ("second", "everyday_second"),
    )
}
TITLES = {"holdout": "hold-out set", "fresh": "fresh blind set", "second": "second blind set"}
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
    parser.add_argument("--set", choices=SETS, default="everyday", help="which set to read")
    args = parser.parse_args(argv)
    systems = args.systems.split(",") if args.systems else list(SYSTEMS)
    table: dict[str, dict[str, tuple[int, int]]] = {}
    files = SETS[args.set]
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
    if args.set in TITLES:
        half = f" ({TITLES[args.set]})"
    lines = [
        f"| system{half} | " + " | ".join(files) + " |",
        "|---|" + "---|" * len(files),
    ]
    for system, scores in table.items():
        cells = [f"{h / n:.2%} ({h}/{n})" for h, n in scores.values()]
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    emit(lines, Path(args.markdown) if args.markdown else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
