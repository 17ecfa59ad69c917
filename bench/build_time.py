"""Wall time and peak memory of `speak build` on the sample: cold (empty cache) and cached.

    python bench/build_time.py [FILE] [--rounds N] [--markdown FILE]

Each build is its own process. The baseline, measured in the same run, is a process that
starts Python and imports pypinyin (the least any Chinese text tool pays), so the ratios say
how the build compares with that on whatever machine runs this.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from process import emit, measure

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "miit-2022-priorities.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path, default=SAMPLE)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--markdown", type=Path)
    args = ap.parse_args()
    speak = [sys.executable, "-m", "speak", "build", "-q", str(args.file)]
    runs: dict[str, list[tuple[float, float]]] = {"baseline": [], "cold": [], "cached": []}
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            out, cache = Path(tmp) / "out", Path(tmp) / "cache"
            runs["baseline"].append(measure([sys.executable, "-c", "import pypinyin"]))
            build = [*speak, "-o", str(out), "--cache-dir", str(cache)]
            runs["cold"].append(measure(build))
            runs["cached"].append(measure(build))
    base = statistics.median(w for w, _ in runs["baseline"])
    lines = [
        f"`speak build` on {args.file.name}, median of {args.rounds} rounds",
        "",
        "| run | wall s | ratio to baseline | peak MB |",
        "|---|---:|---:|---:|",
    ]
    for name, values in runs.items():
        wall = statistics.median(w for w, _ in values)
        peak = max(m for _, m in values)
        lines.append(f"| {name} | {wall:.2f} | {wall / base:.1f} | {peak:.0f} |")
    emit(lines, args.markdown)


if __name__ == "__main__":
    main()
