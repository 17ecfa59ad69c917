"""Polyphone accuracy on the dev sets: speak against pypinyin, pypinyin after t2s, and g2pM.

    PYTHONPATH=. python bench/accuracy.py [--markdown FILE] [--limit N]

Exact match of the tone-number reading at the labelled position (gold ``u:`` read as ``v``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from devsets import DEV_FILES, pypinyin_per_char, read_dev
from process import emit

from speak.readings import Reader
from speak.zh.script import to_simplified_many


def speak_predictions(rows) -> list[str]:
    readings = Reader().read_many([r[0] for r in rows])
    out = []
    for (_, idx, _, _), found in zip(rows, readings, strict=True):
        by_offset = {x.offset: x.pinyin for x in found}
        out.append(by_offset.get(idx, ""))
    return out


def pypinyin_predictions(rows, simplify: bool) -> list[str]:
    texts = [r[0] for r in rows]
    if simplify:
        texts = to_simplified_many(texts)
    return [pypinyin_per_char(t)[r[1]] for t, r in zip(texts, rows, strict=True)]


def g2pm_predictions(rows) -> list[str]:
    """The g2pM package as shipped, on the t2s text (it reads Simplified only)."""
    from g2pM import G2pM

    model = G2pM()
    texts = to_simplified_many([r[0] for r in rows])
    return [
        model(t, char_split=True)[r[1]].replace("u:", "v") for t, r in zip(texts, rows, strict=True)
    ]


SYSTEMS = {
    "pypinyin": lambda rows: pypinyin_predictions(rows, simplify=False),
    "pypinyin+t2s": lambda rows: pypinyin_predictions(rows, simplify=True),
    "g2pM (t2s)": g2pm_predictions,
    "speak": speak_predictions,
}


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
