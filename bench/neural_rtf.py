"""The neural voice: real-time factor on one core and on all, and the sample's build times.

    PYTHONPATH=. python bench/neural_rtf.py [FILE] [--rounds N] [--markdown FILE]

Needs the neural voice (fetched first when missing: `speak voices fetch neural`).

1. RTF = wall seconds per second of audio (lower is faster) of ``NeuralEngine.synthesize`` on
   the sample's utterances exactly as a build makes them, with 1 job and with one job per core;
   CPU seconds too (on a shared machine wall time includes other people's load).
2. `speak build` of the sample in its own process, cold (empty cache) and cached, with
   ``--engine neural`` and ``--engine espeak`` in the same run: each as a ratio to the
   duration of the audio it made, and neural's as a ratio to eSpeak's (wall and CPU time).
   Target: the neural cold build within 10% of its audio's duration, the cached build under 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from process import emit

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "miit-2022-priorities.txt"
sys.path.insert(0, str(ROOT))


def measure(command: list[str]) -> tuple[float, float]:
    """Run ``command``; (wall seconds, CPU seconds user+system) of that process alone.

    CPU time is reported too because this machine is shared: wall time grows with other
    people's load, CPU time much less."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def sample_utterances(path: Path):
    from speak.check.analysis import analyze
    from speak.speech.script import utterances

    analysis = analyze(path)
    by_section = utterances(analysis.doc, analysis.readings, analysis.lexicon)
    return [u for section in sorted(by_section) for u in by_section[section]]


def engine_rtf(path: Path, rounds: int) -> list[str]:
    from speak.speech.engines.neural import NeuralEngine
    from speak.speech.voices import resolve_voice

    utts = sample_utterances(path)
    voice = resolve_voice(None, "neural")
    engine = NeuralEngine()
    cores = os.cpu_count() or 1
    engine.jobs = cores
    engine.synthesize(utts[:cores], voice)  # load the networks in every worker thread
    lines = [
        f"Neural engine on {path.name} ({len(utts)} sentences), median of {rounds} rounds",
        "",
        "| jobs | wall s | CPU s | audio s | RTF (wall / audio) | CPU s / audio s |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for jobs in sorted({1, cores}):
        engine.jobs = jobs
        walls, cpus = [], []
        for _ in range(rounds):
            started, cpu = time.perf_counter(), time.process_time()
            clips = engine.synthesize(utts, voice)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
        wall, audio = statistics.median(walls), sum(c.duration for c in clips)
        cpu = statistics.median(cpus)
        lines.append(
            f"| {jobs} | {wall:.2f} | {cpu:.2f} | {audio:.1f} | {wall / audio:.3f} | "
            f"{cpu / audio:.3f} |"
        )
    return lines


def audio_seconds(out: Path) -> float:
    from speak.speech.audio import mp3_duration

    return sum(
        mp3_duration(p) for p in (out / "audio").glob("[0-9][0-9]-*.mp3") if p.name[:2] != "00"
    )


def build_times(path: Path, rounds: int) -> list[str]:
    cores = os.cpu_count() or 1
    speak = [sys.executable, "-m", "speak", "build", "-q", str(path), "--jobs", str(cores)]
    rows: dict[tuple[str, str], list[tuple[float, float]]] = {}
    audio: dict[str, float] = {}
    for _ in range(rounds):
        for engine in ("espeak", "neural"):
            with tempfile.TemporaryDirectory() as tmp:
                out, cache = Path(tmp) / "out", Path(tmp) / "cache"
                build = [*speak, "--engine", engine, "-o", str(out), "--cache-dir", str(cache)]
                rows.setdefault((engine, "cold"), []).append(measure(build))
                rows.setdefault((engine, "cached"), []).append(measure(build))
                audio[engine] = audio_seconds(out)
    wall = {key: statistics.median(w for w, _ in values) for key, values in rows.items()}
    cpu = {key: statistics.median(c for _, c in values) for key, values in rows.items()}
    lines = [
        f"`speak build {path.name} --jobs {cores}`, median of {rounds} rounds, "
        "each build its own process",
        "",
        "| engine | run | wall s | CPU s | audio s | wall / audio | wall / eSpeak's | "
        "CPU / eSpeak's |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for (engine, run), seconds in wall.items():
        lines.append(
            f"| {engine} | {run} | {seconds:.2f} | {cpu[(engine, run)]:.2f} | "
            f"{audio[engine]:.1f} | {seconds / audio[engine]:.3f} | "
            f"{seconds / wall[('espeak', run)]:.2f} | "
            f"{cpu[(engine, run)] / cpu[('espeak', run)]:.2f} |"
        )
    cold = wall[("neural", "cold")]
    lines += [
        "",
        f"Target: neural cold build within 10% of its audio ({0.1 * audio['neural']:.1f} s): "
        f"{'met' if cold <= 0.1 * audio['neural'] else 'not met'} ({cold:.1f} s); "
        f"cached under 1 s: {'met' if wall[('neural', 'cached')] < 1 else 'not met'} "
        f"({wall[('neural', 'cached')]:.2f} s).",
    ]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path, default=SAMPLE)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--markdown", type=Path)
    args = ap.parse_args()
    from speak.speech.neural import fetch

    if not fetch.is_present():
        fetch.fetch()
    before = os.getloadavg()[0]
    lines = [*engine_rtf(args.file, args.rounds), "", *build_times(args.file, args.rounds)]
    lines += ["", f"Load average (1 min) before: {before:.1f}, after: {os.getloadavg()[0]:.1f}."]
    emit(lines, args.markdown)


if __name__ == "__main__":
    main()
