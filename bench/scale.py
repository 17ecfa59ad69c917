"""Cost against input size: `speak check` and `speak build` at 1x, 3x and 10x.

    python bench/scale.py [--sentences N] [--audio-sentences M] [--markdown FILE]

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=10_000)
    ap.add_argument("--audio-sentences", type=int, default=150)
    ap.add_argument("--markdown", type=Path)
    args = ap.parse_args()
    speak = [sys.executable, "-m", "speak"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind, sentences in (("check", args.sentences), ("build", args.audio_sentences)):
            base = None
            for k in MULTIPLES:
                path, chars = make_input(folder, sentences, k)
                if kind == "check":
                    command = [*speak, "check", "--keep-repeats", "--format", "json", str(path)]
                else:
                    command = [
                        *speak,
                        "build",
                        "--keep-repeats",
                        "-q",
                        str(path),
                        "-o",
                        str(folder / f"out{k}"),
                        "--cache-dir",
                        str(folder / f"c{k}"),
                    ]
                wall, peak = measure(command, ok_codes=(0, 1))
                base = base or (wall, peak)
                rows.append((kind, k, chars, wall, peak, wall / base[0], peak / base[1]))
                print(f"{kind} x{k}: {chars:,} chars, {wall:.1f} s, {peak:.0f} MB", flush=True)
    lines = [
        "| run | input | characters | wall s | time ratio | peak MB | memory ratio |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for kind, k, chars, wall, peak, t_ratio, m_ratio in rows:
        lines.append(
            f"| {kind} | x{k} | {chars:,} | {wall:.1f} | {t_ratio:.2f} | {peak:.0f} "
            f"| {m_ratio:.2f} |"
        )
    emit(lines, args.markdown)


if __name__ == "__main__":
    main()
