"""Cost against input size: `speak check` and `speak build` at 1x, 3x and 10x.

    python bench/scale.py [--sentences N] [--audio-sentences M] [--markdown FILE]
    python bench/scale.py --hostile [--markdown FILE]

Inputs come from bench/make_inputs.py (dev sentences, one blind annotation each). The check
runs on N sentences (default 10,000, about 370,000 characters) copied 1, 3 and 10 times with
--keep-repeats; the build with audio on M sentences (default 150) copied likewise, with a fresh
cache each time. Every run is its own process, so wall time and peak memory (max RSS) are that
run's alone. The table gives each run's cost as a ratio to the 1x run of the same kind.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from process import emit, measure

HERE = Path(__file__).resolve().parent
MULTIPLES = (1, 3, 10)


def make_input(folder: Path, sentences: int, copies: int) -> tuple[Path, int]:
    path = folder / f"in-{sentences}-x{copies}.txt"
    subprocess.run(
        [
            sys.executable,
            str(HERE / "make_inputs.py"),
            str(path),
            "--sentences",
            str(sentences),
            "--copies",
            str(copies),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return path, len(path.read_text(encoding="utf-8"))


# The hostile inputs of issue 15, each at 1x, 3x and 10x of a base size chosen so that 10x is
# the size the issue names (for the big file a fifth of it, 11 MB instead of 50 MB, to run in
# minutes here): a character with N copies of one annotation, one line of N Han characters
# without punctuation, and the report-shaped bench input copied (its last section is 10 MB).
HOSTILE_BASE = {"annotations": 2_000, "long-line": 200_000, "big-file": 1}  # big: copies
LONG_LINE = "發展工業經濟長期增長行業銀行重要重複調整運行規劃數據"


def hostile_input(folder: Path, kind: str, k: int) -> tuple[Path, int]:
    n = HOSTILE_BASE[kind] * k
    path = folder / f"{kind}-x{k}.txt"
    if kind == "big-file":  # 10,000 dev sentences (1.1 MB) copied k times
        return make_input(folder, 10_000, k)
    if kind == "annotations":
        path.write_text("工" + "(gong)" * n + "。\n", encoding="utf-8")
    else:
        path.write_text((LONG_LINE * (n // len(LONG_LINE) + 1))[:n] + "。\n", encoding="utf-8")
    return path, len(path.read_text(encoding="utf-8"))


def series(label: str, run_at) -> list[tuple]:
    """Rows of ``label`` measured at each of MULTIPLES, time and memory as ratios to the first:
    ``run_at(k)`` gives the command to run and the input's size in characters."""
    rows = []
    base = None
    for k in MULTIPLES:
        command, chars = run_at(k)
        wall, peak = measure(command, ok_codes=(0, 1))
        base = base or (wall, peak)
        rows.append((label, k, chars, wall, peak, wall / base[0], peak / base[1]))
        print(f"{label} x{k}: {chars:,} chars, {wall:.1f} s, {peak:.0f} MB", flush=True)
    return rows


def hostile(folder: Path) -> list[tuple]:
    """Every hostile input with `check`; the big file with `build --no-audio` too."""
    speak = [sys.executable, "-m", "speak"]

    def run_at(kind: str, run: str):
        def command(k: int):
            path, chars = hostile_input(folder, kind, k)
            if run == "check":
                return [*speak, "check", "--keep-repeats", "--format", "json", str(path)], chars
            out = folder / f"out-{kind}-{k}"
            build = [*speak, "build", "--keep-repeats", "--no-audio", "-q", str(path)]
            return [*build, "-o", str(out)], chars

        return command

    rows = []
    for kind in HOSTILE_BASE:
        for run in ["check", "build --no-audio"] if kind == "big-file" else ["check"]:
            rows += series(f"{run} {kind}", run_at(kind, run))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=10_000)
    ap.add_argument("--audio-sentences", type=int, default=150)
    ap.add_argument("--hostile", action="store_true", help="the hostile inputs of issue 15")
    ap.add_argument("--markdown", type=Path)
    args = ap.parse_args()
    if args.hostile:
        with tempfile.TemporaryDirectory() as tmp:
            emit(table(hostile(Path(tmp))), args.markdown)
        return
    speak = [sys.executable, "-m", "speak"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def check_at(k: int):
            path, chars = make_input(folder, args.sentences, k)
            return [*speak, "check", "--keep-repeats", "--format", "json", str(path)], chars

        def build_at(k: int):
            path, chars = make_input(folder, args.audio_sentences, k)
            command = [*speak, "build", "--keep-repeats", "-q", str(path)]
            command += ["-o", str(folder / f"out{k}"), "--cache-dir", str(folder / f"c{k}")]
            return command, chars

        rows = series("check", check_at) + series("build", build_at)
    emit(table(rows), args.markdown)


def table(rows: list[tuple]) -> list[str]:
    lines = [
        "| run | input | characters | wall s | time ratio | peak MB | memory ratio |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for kind, k, chars, wall, peak, t_ratio, m_ratio in rows:
        lines.append(
            f"| {kind} | x{k} | {chars:,} | {wall:.1f} | {t_ratio:.2f} | {peak:.0f} "
            f"| {m_ratio:.2f} |"
        )
    return lines


if __name__ == "__main__":
    main()
