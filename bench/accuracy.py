"""Polyphone accuracy on the dev sets: speak against pypinyin, pypinyin after t2s, and g2pM.

    PYTHONPATH=. python bench/accuracy.py [--markdown FILE] [--limit N]

Exact match of the tone-number reading at the labelled position (gold ``u:`` read as ``v``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from devsets import DEV_FILES, SYSTEMS, read_dev
from process import emit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", help="also write the table as Markdown to this file")
    parser.add_argument("--limit", type=int, help="only the first N rows of each file")
    args = parser.parse_args(argv)
    table: dict[str, dict[str, float]] = {}
    for name in DEV_FILES:
        rows = read_dev(name, args.limit)
        table[name] = {}
        for system, predict in SYSTEMS.items():
            started = time.perf_counter()
            predicted = predict(rows)
            hits = sum(p == r[3] for p, r in zip(predicted, rows, strict=True))
            table[name][system] = hits / len(rows)
            print(
                f"{name:18} {system:14} {hits / len(rows):7.2%}  ({len(rows)} rows, "
                f"{time.perf_counter() - started:.1f} s)",
                file=sys.stderr,
            )
    header = "| dev file | " + " | ".join(SYSTEMS) + " |"
    lines = [header, "|" + "---|" * (len(SYSTEMS) + 1)]
    for name, scores in table.items():
        lines.append(f"| {name} | " + " | ".join(f"{scores[s]:.2%}" for s in SYSTEMS) + " |")
    emit(lines, Path(args.markdown) if args.markdown else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
