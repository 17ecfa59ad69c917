"""What an installed speak finds: the wheel carries its data (voice presets, models, page
assets), read from site-packages, not from a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_an_installed_wheel_finds_every_voice_preset(tmp_path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("speak-*.whl")
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    names = sorted(p.stem for p in (ROOT / "voices").glob("*.toml"))
    # -S: no site-packages, so no editable install of the checkout can answer instead
    script = (
        f"import sys; sys.path.insert(0, {str(site)!r}); "
        "from speak.speech.voices import presets, voices_dir; "
        "print(voices_dir()); print(' '.join(sorted(presets())))"
    )
    found = subprocess.run(
        [sys.executable, "-S", "-c", script], capture_output=True, text=True, cwd=tmp_path
    )
    assert found.returncode == 0, found.stderr
    folder, listed = found.stdout.splitlines()
    assert Path(folder).is_relative_to(site)
    assert listed.split() == names and "neural-baker" in names and "espeak-cmn" in names
