"""A folder of reports built one after another, and on a Dask cluster of two worker
processes (docs/examples/dask_build.py), each with an empty cache: wall time as a ratio.

    python bench/scale_out.py [--inputs N] [--markdown FILE]

The inputs are the sample's paragraphs, one report of two paragraphs each, all different.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from process import emit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs" / "examples"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=6)
    ap.add_argument("--markdown", type=Path)
    args = ap.parse_args()
    from dask_build import build_on_dask

    from speak.build import build

    lines = [
        line
        for line in (ROOT / "samples" / "miit-2022-priorities.txt").read_text("utf-8").splitlines()
        if line.strip()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "inputs"
        folder.mkdir()
        for k in range(args.inputs):
            pair = [lines[k % len(lines)], lines[(k + 1) % len(lines)]]
            (folder / f"r{k:02d}.txt").write_text("\n".join(pair) + f"\n第{k + 1}份。\n", "utf-8")
        started = time.perf_counter()
        for path in sorted(folder.glob("*.txt")):
            assert build(path, Path(tmp) / "serial" / path.stem, cache_dir=Path(tmp) / "c1").ok
        serial = time.perf_counter() - started
        started = time.perf_counter()
        results = build_on_dask(str(folder), str(Path(tmp) / "dask"), str(Path(tmp) / "c2"))
        dask = time.perf_counter() - started
        assert all(r.ok for r in results)
    emit(
        [
            f"{args.inputs} reports, empty caches, 2 cores",
            "",
            "| run | wall s | ratio to one after another |",
            "|---|---:|---:|",
            f"| one after another, one process | {serial:.1f} | 1.00 |",
            f"| Dask LocalCluster, 2 worker processes | {dask:.1f} | {dask / serial:.2f} |",
        ],
        args.markdown,
    )


if __name__ == "__main__":
    main()
