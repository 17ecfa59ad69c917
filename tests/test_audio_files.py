"""The sample's MP3s as a player and a loudness meter see them: ffprobe (Debian ffmpeg,
installed by tools/install-test-deps.sh; these tests fail, not skip, without it) for chapters
and durations, pyloudnorm (EBU R128 / BS.1770-4) for loudness, 4x oversampling for true peak."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3
from scipy.signal import resample_poly

from speak.build import build
from speak.speech.loudness import CEILING_DBTP, TARGET_LUFS
from tests.conftest import SAMPLE_TASKS

PCM_OUT = ("-f", "s16le", "-ac", "1", "-")


def ffprobe(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("ffprobe")
    assert exe, "install Debian ffmpeg: tools/install-test-deps.sh"
    return subprocess.run([exe, "-v", "warning", *args], capture_output=True, text=True)


def decoded(path: Path) -> tuple[np.ndarray, int]:
    """What ffmpeg's decoder yields (float, full scale 1.0) and the sample rate."""
    rate = int(MP3(path).info.sample_rate)
    raw = subprocess.run(
        [shutil.which("ffmpeg") or "ffmpeg", "-v", "error", "-i", str(path), *PCM_OUT],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, "<i2") / 32768.0, rate


@pytest.fixture(scope="module")
def audio_dir(tmp_path_factory, sample_path) -> Path:
    root = tmp_path_factory.mktemp("audio")
    result = build(sample_path, root / "out", cache_dir=root / "cache", formats=())
    assert result.ok
    return root / "out" / "audio"


def mp3s(audio_dir: Path) -> list[Path]:
    return sorted(audio_dir.glob("*.mp3"))


def test_ffprobe_lists_the_chapters_in_reading_order(audio_dir):
    probe = ffprobe("-show_chapters", "-of", "json", str(audio_dir / "00-full.mp3"))
    chapters = json.loads(probe.stdout)["chapters"]
    assert [c["tags"]["title"] for c in chapters] == ["導語", *SAMPLE_TASKS]
    starts = [float(c["start_time"]) for c in chapters]
    assert starts[0] == 0 and starts == sorted(starts)
    ends = [float(c["end_time"]) for c in chapters]
    assert ends[:-1] == starts[1:]  # no gap, no overlap


def test_every_mp3_is_at_the_loudness_target_under_the_true_peak_ceiling(audio_dir):
    for path in mp3s(audio_dir):
        x, rate = decoded(path)
        loudness = pyloudnorm.Meter(rate).integrated_loudness(x)
        true_peak = 20 * np.log10(np.abs(resample_poly(x, 4, 1)).max())
        assert abs(loudness - TARGET_LUFS) <= 1.0, (path.name, loudness)
        assert true_peak <= CEILING_DBTP, (path.name, true_peak)


def test_durations_are_exact_not_estimated(audio_dir):
    for path in mp3s(audio_dir):
        x, rate = decoded(path)
        # mutagen reads the Info frame: the duration it reports is the decoded samples'.
        assert MP3(path).info.length == len(x) / rate, path.name
        probe = ffprobe(
            "-count_packets",
            "-show_entries",
            "stream=nb_read_packets,duration",
            "-of",
            "json",
            str(path),
        )
        assert "Estimating duration" not in probe.stderr  # ffmpeg found the frame count
        stream = json.loads(probe.stdout)["streams"][0]
        # ffprobe's duration counts the Info frame's frames (it includes the encoder delay
        # and padding that the decoder then drops): it equals the audio frames it reads.
        assert float(stream["duration"]) == int(stream["nb_read_packets"]) * 576 / rate


def test_tags_name_the_report_its_date_and_each_section(audio_dir):
    sections = [p for p in mp3s(audio_dir) if not p.name.startswith("00-")]
    titles = [str(ID3(p)["TIT2"]) for p in sections]
    assert titles == ["導語", *SAMPLE_TASKS]
    for path in mp3s(audio_dir):
        id3 = ID3(path)
        assert str(id3["TALB"]) == "全國工業和信息化工作會議在北京以視頻形式召開"
        assert str(id3["TDRC"]) == "2021-12-20"  # the report's dateline, not the file's date
        assert "eSpeak NG" in str(id3["TPE1"])
