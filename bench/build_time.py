"""Wall time and peak memory of `speak build` on the sample: cold (empty cache), cached (the
same build again: restored from the build cache) and re-exported (other export options: the
text is read again, the sentences' audio comes from the cache).

    python bench/build_time.py [FILE] [--rounds N] [--markdown FILE]

Each build is its own process. Baselines measured in the same run: `python -c pass` (what any
Python command pays) and a process that imports pypinyin (the least any Chinese text tool
pays), so the ratios say how the build compares on whatever machine runs this.
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
    names = ("python -c pass", "import pypinyin", "cold", "cached", "re-exported")
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            out, cache = Path(tmp) / "out", Path(tmp) / "cache"
            runs["python -c pass"].append(measure([sys.executable, "-c", "pass"]))
            runs["import pypinyin"].append(measure([sys.executable, "-c", "import pypinyin"]))
            build = [*speak, "-o", str(out), "--cache-dir", str(cache)]
            runs["cold"].append(measure(build))
            runs["cached"].append(measure(build))
            runs["re-exported"].append(measure([*build, "--ruby", "polyphones"]))
    median = {name: statistics.median(w for w, _ in values) for name, values in runs.items()}
    lines = [
        f"`speak build` on {args.file.name}, median of {args.rounds} rounds",
        "",
        "| run | wall s | ratio to `python -c pass` | ratio to `import pypinyin` "
        "| ratio to cold | peak MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, values in runs.items():
        wall = median[name]
        peak = max(m for _, m in values)
        lines.append(
            f"| {name} | {wall:.2f} | {wall / median['python -c pass']:.1f} "
            f"| {wall / median['import pypinyin']:.1f} | {wall / median['cold']:.2f} "
            f"| {peak:.0f} |"
        )
    emit(lines, args.markdown)


if __name__ == "__main__":
    main()
