"""Shared by the benches: time one process, and print or save a Markdown table."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path


def measure(command: list[str], ok_codes: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Run ``command``; return (wall seconds, peak RSS in MB) of that process alone."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in ok_codes:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return wall, usage.ru_maxrss / 1024


def emit(lines: list[str], markdown: Path | None) -> None:
    """Print a table, and write it to ``markdown`` when given."""
    table = "\n".join(lines) + "\n"
    print(table)
    if markdown:
        markdown.write_text(table, encoding="utf-8")
