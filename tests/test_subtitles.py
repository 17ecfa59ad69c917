"""WebVTT and SRT cues from one Timing list."""

from __future__ import annotations

import itertools
import re

import pytest

from speak.export.subtitles import to_srt, to_vtt, write_subtitles
from speak.model import Timing, Utterance
from speak.speech.audio import Tags, encode_mp3, mp3_duration, silence
from speak.speech.cues import MAX_CUE_CHARS, MAX_CUE_SECONDS, sentence_cues, time_at
from speak.speech.normalize import normalize

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


def _utterance(printed: str, spoken: str, offsets: list[int]) -> Utterance:
    return Utterance("s005", spoken, (None,) * len(spoken), tuple(offsets))


def test_a_short_sentence_is_one_cue_of_printed_text() -> None:
    printed = "部署2022年重點任務。"
    spoken = normalize(printed, "Hant")
    u = _utterance(printed, spoken.text, list(spoken.source_offsets))
    (cue,) = sentence_cues(Timing("s002", 1.0, 4.0, spoken.text), printed, 0, u)
    assert cue == Timing("s002", 1.0, 4.0, printed)


LONG = "1-10月規模以上工業企業實現利潤同比增長42.2%,規上中小企業收入、利潤分別增長21.5%和30.4%。"


def test_a_long_sentence_is_cut_at_clause_breaks_timed_by_the_word_marks() -> None:
    spoken = normalize(LONG, "Hant")
    u = _utterance(LONG, spoken.text, [100 + o for o in spoken.source_offsets])
    # a word mark at every spoken character, 0.25 s apart (4 characters a second)
    marks = [(i, i * 0.25) for i in range(len(spoken.text))]
    duration = len(spoken.text) * 0.25
    cues = sentence_cues(Timing("s005", 10.0, 10.0 + duration, ""), LONG, 100, u, marks)
    assert len(cues) > 1
    assert "".join(c.text for c in cues) == LONG  # printed text, nothing lost, no spoken form
    assert [c.sentence_id for c in cues] == [f"s005-{n}" for n in range(1, len(cues) + 1)]
    for a, b in itertools.pairwise(cues):
        assert a.end == b.start
        han = "\u4e00" <= a.text[-1] <= "\u9fff" or "\u4e00" <= b.text[0] <= "\u9fff"
        assert a.text[-1] in "，、；：,;:。" or han  # at a clause break, else between words
    for c in cues:
        assert len(c.text) <= MAX_CUE_CHARS and c.end - c.start <= MAX_CUE_SECONDS + 1e-9
    assert cues[0].start == 10.0 and cues[-1].end == 10.0 + duration
    # the second cue starts where its first character is said, by the marks
    second = LONG.index(cues[1].text)
    j = next(i for i, o in enumerate(u.source_offsets) if o - 100 >= second)
    assert cues[1].start == pytest.approx(10.0 + j * 0.25, abs=0.001)


def test_numbers_and_latin_words_are_never_cut() -> None:
    printed = "規模以上工業企業實現利潤同比增長42.2%規上中小企業收入利潤分別增長IPv6的應用" * 2
    spoken = normalize(printed, "Hant")
    u = _utterance(printed, spoken.text, list(spoken.source_offsets))
    cues = sentence_cues(Timing("s1", 0.0, 30.0, ""), printed, 0, u)
    assert len(cues) > 1
    for a, b in itertools.pairwise(cues):
        assert not (a.text[-1:].isascii() and b.text[:1].isascii()), (a.text, b.text)


def test_without_marks_time_goes_by_spoken_characters() -> None:
    assert time_at(5, (), 10, 4.0) == pytest.approx(2.0)
    assert time_at(5, [(4, 3.0)], 10, 4.0) == pytest.approx(3.0 + (4.0 - 3.0) / 6)
    assert time_at(10, [(4, 3.0)], 10, 4.0) == 4.0


def test_cache_keeps_word_marks_and_reads_old_clips_without_them(tmp_path) -> None:
    from speak.model import Clip
    from speak.speech.cache import AudioCache

    cache = AudioCache(tmp_path)
    cache.put("ab" + "0" * 62, Clip(b"\0\0" * 2400, 24_000, ((0, 0.0), (3, 0.05))))
    assert cache.get("ab" + "0" * 62).marks == ((0, 0.0), (3, 0.05))
    cache.put("cd" + "0" * 62, Clip(b"\0\0" * 2400, 24_000))  # as an older speak stored it
    assert cache.marks("cd" + "0" * 62) == ()
    assert not (tmp_path / "cd" / ("cd" + "0" * 62 + ".marks.json")).exists()
    assert cache.get("cd" + "0" * 62).pcm == b"\0\0" * 2400
