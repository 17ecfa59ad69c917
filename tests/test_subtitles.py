"""WebVTT and SRT cues from one Timing list."""

from __future__ import annotations

import re

import pytest

from speak.export.subtitles import to_srt, to_vtt, write_subtitles
from speak.model import Timing
from speak.speech.audio import Tags, encode_mp3, mp3_duration, silence

TIMINGS = [
    Timing("s001", 0.0, 2.5, "12月20日,全國工業和信息化工作會議在北京召開。"),
    Timing("s002", 2.85, 3661.2345, "A <b> & C"),
]


def test_vtt_format():
    vtt = to_vtt(TIMINGS)
    assert vtt.startswith("WEBVTT\n\n")
    assert "s001\n00:00:00.000 --> 00:00:02.500\n12月20日," in vtt
    assert "00:00:02.850 --> 01:01:01.234\nA &lt;b&gt; &amp; C\n" in vtt


def test_srt_format():
    srt = to_srt(TIMINGS)
    assert srt.startswith("1\n00:00:00,000 --> 00:00:02,500\n12月20日")
    assert "\n\n2\n00:00:02,850 --> 01:01:01,234\nA <b> & C\n" in srt


def test_cues_are_clipped_to_the_duration():
    vtt = to_vtt([*TIMINGS, Timing("s003", 5000.0, 5001.0, "late")], duration=4000.0)
    assert "late" not in vtt
    assert "01:01:01.234" in vtt


def test_unordered_timings_are_refused():
    with pytest.raises(ValueError, match="s001"):
        to_vtt([Timing("s002", 3.0, 4.0), Timing("s001", 1.0, 2.0)])


def test_written_beside_the_mp3_increasing_and_inside(tmp_path):
    mp3 = tmp_path / "02-gong-ye.mp3"
    encode_mp3([silence(3.0, 24_000)], mp3, tags=Tags("x"))
    timings = [
        Timing("s1", 0.0, 1.2, "一"),
        Timing("s2", 1.5, 2.9, "二"),
        Timing("s3", 3.0, 9.0, "三"),
    ]
    vtt, srt = write_subtitles(timings, mp3)
    assert (vtt.name, srt.name) == ("02-gong-ye.vtt", "02-gong-ye.srt")
    stamps = re.findall(r"(\d\d):(\d\d):(\d\d)[.,](\d{3})", vtt.read_text() + srt.read_text())
    seconds = [int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000 for h, m, s, ms in stamps]
    half = len(seconds) // 2
    for times in (seconds[:half], seconds[half:]):
        assert times == sorted(times)
        assert max(times) <= mp3_duration(mp3)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "02-gong-ye.mp3",
        "02-gong-ye.srt",
        "02-gong-ye.vtt",
    ]
