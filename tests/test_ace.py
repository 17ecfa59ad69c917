"""Ace by DAISY on the sample's EPUB (with read-aloud audio): no accessibility violation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from speak.build import build

ROOT = Path(__file__).resolve().parent.parent
ACE_PREFIX = Path(os.environ.get("ACE_PREFIX") or Path.home() / ".cache" / "speak-ace")

pytestmark = [pytest.mark.browser, pytest.mark.external]


def test_ace_finds_no_violations(sample_path, tmp_path) -> None:
    if not any((ACE_PREFIX / "bin" / name).exists() for name in ("ace", "ace-cli")):
        pytest.skip(f"Ace by DAISY not in {ACE_PREFIX}: run sudo bash tools/install-test-deps.sh")
    result = build(sample_path, tmp_path / "out", cache_dir=tmp_path / "cache", formats=("epub",))
    epub = tmp_path / "out" / "miit-2022-priorities.epub"
    assert result.ok and epub.is_file()
    env = {**os.environ, "PYTHON": sys.executable, "ACE_REPORT": str(tmp_path / "ace")}
    run = subprocess.run(
        ["bash", str(ROOT / "bench" / "ace.sh"), str(epub)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Ace outcome: pass; violations: 0" in run.stdout
