"""`speak build` end to end with the real engines: files, tags, cues, cache, faults, batches."""

from __future__ import annotations

import functools
import itertools
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import edge_tts
import pytest
from click.testing import CliRunner
from edge_tts.drm import DRM
from mutagen.id3 import ID3

from speak.build import build, build_many
from speak.check.analysis import analyze
from speak.cli import main
from speak.errors import SpeakError
from speak.speech.audio import decode_mp3, mp3_duration, read_stream
from speak.speech.engines import edge_client
from tests.conftest import SAMPLE, SAMPLE_TASKS
from tests.fake_edge import FakeEdge, long_voice_name

TITLES = ["導語", *SAMPLE_TASKS]


@pytest.fixture(scope="module")
def built(tmp_path_factory, sample_path):
    """One offline build of the sample with a fresh cache (shared by the tests below)."""
    root = tmp_path_factory.mktemp("build")
    result = build(sample_path, root / "out", cache_dir=root / "cache")
    return result, root


def section_mp3s(out: Path) -> list[Path]:
    return sorted(p for p in (out / "audio").glob("*.mp3") if not p.name.startswith("00-"))


def vtt_cues(path: Path) -> list[tuple[float, float]]:
    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    found = re.findall(r"([\d:.]+) --> ([\d:.]+)", path.read_text(encoding="utf-8"))
    return [(seconds(a), seconds(b)) for a, b in found]


def test_one_mp3_per_section_in_reading_order(built) -> None:
    result, root = built
    assert result.ok and result.sections == 7 and result.synthesized == result.sentences == 30
    mp3s = section_mp3s(root / "out")
    assert [p.name[:3] for p in mp3s] == [f"{n:02d}-" for n in range(1, 8)]
    assert mp3s[1].name == "02-yi-shi-zhuo-li-ti-zhen-gong-ye-jing-ji.mp3"
    for p in mp3s:
        pcm, rate = decode_mp3(p)
        assert rate == 24_000 and len(pcm) / 2 / rate > 1.0


def test_tags_name_the_section_report_voice_and_track(built) -> None:
    _, root = built
    for n, (p, title) in enumerate(zip(section_mp3s(root / "out"), TITLES, strict=True), 1):
        tags = ID3(p)
        assert tags.version[:2] == (2, 4)
        assert str(tags["TIT2"]) == title
        assert str(tags["TALB"]) == "全國工業和信息化工作會議在北京以視頻形式召開"
        assert str(tags["TRCK"]) == f"{n}/7"
        assert str(tags["TLAN"]) == "zho"
        assert "eSpeak NG" in str(tags["TPE1"])
        assert str(tags["TDRC"]) == "2021-12-20"


def test_full_mp3_has_a_chapter_per_section(built) -> None:
    _, root = built
    full = root / "out" / "audio" / "00-full.mp3"
    tags = ID3(full)
    chapters = tags.getall("CHAP")  # as stored: in reading order
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == TITLES
    assert tags.getall("CTOC")[0].child_element_ids == [c.element_id for c in chapters]
    # Each section is heard from where its chapter starts: after the earlier sections'
    # whole frames (their encoder delay and padding stay inside the joined file).
    starts, t = [], 0.0
    for p in section_mp3s(root / "out"):
        starts.append(round(t * 1000))
        t += read_stream(p)[1].frame_seconds
    assert [c.start_time for c in chapters] == starts
    assert chapters[-1].end_time == round(mp3_duration(full) * 1000)


def test_cues_increase_and_stay_inside_each_mp3(built) -> None:
    result, root = built
    counts = []
    for p in section_mp3s(root / "out"):
        cues = vtt_cues(p.with_suffix(".vtt"))
        counts.append(len(cues))
        assert all(a < b for a, b in cues)
        assert all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(cues))
        assert cues[-1][1] <= mp3_duration(p)
        assert p.with_suffix(".srt").read_text(encoding="utf-8").startswith("1\n")
    assert sum(counts) >= result.sentences


def test_every_cue_is_printed_text_within_40_characters_and_7_seconds(built) -> None:
    _, root = built
    analysis = analyze(SAMPLE)
    printed = {s.id: analysis.doc.text_of(s) for s in analysis.doc.sentences}
    for p in section_mp3s(root / "out"):
        blocks = p.with_suffix(".vtt").read_text(encoding="utf-8").split("\n\n")[1:]
        for block in blocks:
            cue_id, times, text = block.strip().split("\n")
            start, end = (_seconds(t) for t in times.split(" --> "))
            assert end - start <= 7.0 and len(text) <= 40, block
            assert text in printed[cue_id.split("-")[0]], block  # printed, not spoken


def _seconds(stamp: str) -> float:
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def test_report_is_the_check_json(built, sample_path) -> None:
    _, root = built
    check = CliRunner().invoke(main, ["check", "--format", "json", str(sample_path)])
    assert json.loads((root / "out" / "report.json").read_text("utf-8")) == json.loads(check.output)


def test_reading_copies_are_written(built) -> None:
    _, root = built
    out = root / "out"
    for name in ("miit-2022-priorities.epub", "miit-2022-priorities.xhtml", "index.html"):
        assert (out / name).stat().st_size > 1000
    assert len(list((out / "braille").glob("*.brl.txt"))) == 7
    with zipfile.ZipFile(out / "miit-2022-priorities.epub") as z:
        opf = z.read("EPUB/package.opf").decode("utf-8")
    # The narrator is named as a listener knows the voice, not by the engine's id (cmn).
    assert '<meta property="media:narrator">eSpeak NG Mandarin (cmn), synthetic voice</meta>' in opf
    assert not list(out.rglob("*.part")), "no temporary files are left behind"


def test_second_build_synthesizes_nothing_and_gives_the_same_bytes(built, sample_path) -> None:
    _, root = built
    again = build(sample_path, root / "again", cache_dir=root / "cache")
    assert again.synthesized == 0
    for p in (root / "out").rglob("*"):
        if p.is_file():
            assert p.read_bytes() == (root / "again" / p.relative_to(root / "out")).read_bytes()


def test_a_repeated_build_is_restored_without_reading_or_speaking(built, sample_path) -> None:
    """The same input and options again: the outputs come back from the build cache, and
    neither the reading models nor pypinyin are even imported (a fresh process shows it)."""
    _, root = built
    script = (
        "import sys; from speak.build import build; "
        f"r = build({str(sample_path)!r}, {str(root / 'restored')!r}, "
        f"cache_dir={str(root / 'cache')!r}); "
        "print(r.ok, r.synthesized, r.sections, 'speak.readings.reader' in sys.modules, "
        "'pypinyin' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split() == ["True", "0", "7", "False", "False"], done.stderr
    for p in (root / "out").rglob("*"):
        if p.is_file():
            assert p.read_bytes() == (root / "restored" / p.relative_to(root / "out")).read_bytes()


def test_a_damaged_cached_output_is_built_again(built, sample_path, tmp_path) -> None:
    _, root = built
    cache = tmp_path / "cache"
    shutil.copytree(root / "cache", cache)
    for blob in (cache / "blobs").rglob("*"):
        if blob.is_file():
            blob.write_bytes(blob.read_bytes()[:-1] + b"?")  # same size, other content
    again = build(sample_path, tmp_path / "out", cache_dir=cache)
    assert again.ok and again.synthesized == 0  # the sentences' audio is still cached
    for p in (root / "out").rglob("*"):
        if p.is_file():
            assert p.read_bytes() == (tmp_path / "out" / p.relative_to(root / "out")).read_bytes()


def test_other_options_rebuild_from_cached_sentences(built, sample_path, tmp_path) -> None:
    _, root = built
    other = build(sample_path, tmp_path / "out", cache_dir=root / "cache", ruby="polyphones")
    assert other.synthesized == 0  # a new build, the same audio
    name = "miit-2022-priorities.xhtml"
    assert (tmp_path / "out" / name).read_bytes() != (root / "out" / name).read_bytes()


def test_changing_one_sentence_resynthesizes_one(built, sample_path, tmp_path) -> None:
    _, root = built
    edited = tmp_path / "edited.txt"
    text = sample_path.read_text(encoding="utf-8")
    edited.write_text(text.replace("提升計劃。", "提升方案。"), encoding="utf-8")
    result = build(edited, tmp_path / "out", cache_dir=root / "cache")
    assert result.synthesized == 1


def test_interrupted_build_resumes_and_leaves_no_partial_mp3(
    sample_path, tmp_path, monkeypatch
) -> None:
    from speak.speech.engines.espeak import EspeakEngine

    real = EspeakEngine.synthesize
    calls = []

    def interrupted(self, utterances, voice):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(len(utterances))
        return real(self, utterances, voice)

    monkeypatch.setattr(EspeakEngine, "synthesize", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(sample_path, tmp_path / "out", cache_dir=tmp_path / "cache")
    assert not list((tmp_path / "out").rglob("*.mp3")) and not list(tmp_path.rglob("*.part"))
    monkeypatch.setattr(EspeakEngine, "synthesize", real)
    resumed = build(sample_path, tmp_path / "out", cache_dir=tmp_path / "cache")
    assert resumed.synthesized == resumed.sentences - sum(calls)


def test_no_audio_makes_text_outputs_only(sample_path, tmp_path) -> None:
    result = build(sample_path, tmp_path / "out", no_audio=True, cache_dir=tmp_path / "cache")
    assert result.ok and not (tmp_path / "out" / "audio").exists()
    assert not list((tmp_path / "cache").rglob("*.pcm"))  # nothing synthesized
    assert (tmp_path / "out" / "miit-2022-priorities.epub").is_file()


def test_cli_build_prints_a_summary_and_no_progress_bar_when_piped(sample_path, tmp_path):
    result = CliRunner().invoke(
        main, ["build", str(sample_path), "-o", str(tmp_path / "o"), "--no-audio"]
    )
    assert result.exit_code == 0
    assert "sections" in result.output and "it/s" not in result.output


# -- Edge, against the local fake service ---------------------------------------------------
@pytest.fixture
def fake_edge(monkeypatch):
    fake = FakeEdge().start()
    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", fake.wss_url)
    monkeypatch.setattr(DRM, "clock_skew_seconds", 0.0)
    quick = functools.partial(edge_client.RetryPolicy, base_delay=0.001, max_delay=0.01)
    monkeypatch.setattr("speak.speech.engines.edge.RetryPolicy", quick)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield fake
    fake.stop()


def test_edge_build_end_to_end(fake_edge, sample_path, tmp_path) -> None:
    result = build(
        sample_path, tmp_path / "out", engine="edge", jobs=3, cache_dir=tmp_path / "cache"
    )
    assert result.ok and len(section_mp3s(tmp_path / "out")) == 7
    assert fake_edge.max_active <= 3
    assert {s.voice for s in fake_edge.served} == {long_voice_name("zh-TW", "HsiaoChenNeural")}
    tags = ID3(section_mp3s(tmp_path / "out")[0])
    assert str(tags["TPE1"]) == "HsiaoChen, Microsoft neural voice (zh-TW-HsiaoChenNeural)"


def test_edge_failed_section_is_named_and_the_others_are_written(
    fake_edge, sample_path, tmp_path
) -> None:
    fake_edge.push(*["silent"] * 5)  # the first sentence never gets audio: section 01 fails
    result = build(
        sample_path, tmp_path / "out", engine="edge", jobs=1, cache_dir=tmp_path / "cache"
    )
    assert not result.ok and result.exit_code == 1
    assert "01 導語" in result.message
    assert [p.name[:2] for p in section_mp3s(tmp_path / "out")] == [
        "02",
        "03",
        "04",
        "05",
        "06",
        "07",
    ]


def test_edge_offline_is_one_clear_line(sample_path, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(
        edge_tts.communicate,
        "WSS_URL",
        "wss://speech.platform.bing.invalid/consumer/speech/synthesize/"
        "readaloud/edge/v1?TrustedClientToken=x",
    )
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(sample_path),
            "-o",
            str(tmp_path / "o"),
            "--engine",
            "edge",
            "--cache-dir",
            str(tmp_path / "c"),
        ],
    )
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "--engine espeak" in result.output


# -- several inputs ---------------------------------------------------------------------
def test_batch_builds_each_input_and_reports_a_bad_one(sample_path, tmp_path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(sample_path, folder / "a.txt")
    (folder / "sub" / "b.txt").write_text("一是加強領導。\n二是完善制度。\n", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"")
    results = build_many([str(folder)], tmp_path / "out", jobs=2, no_audio=True, quiet=True)
    assert [Path(r.source).name for r in results] == ["a.txt", "bad.txt", "b.txt"]
    assert [r.ok for r in results] == [True, False, True]
    assert "empty" in results[1].message
    assert (tmp_path / "out" / "a" / "a.epub").is_file()
    assert (tmp_path / "out" / "b" / "report.json").is_file()


def test_no_inputs_found_is_bad_input(tmp_path) -> None:
    with pytest.raises(SpeakError, match=r"no \.txt files"):
        build_many([str(tmp_path)], tmp_path / "out")


def test_source_date_epoch_sets_the_dates_and_a_bad_one_is_bad_input(
    sample_path, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1640000000")  # 2021-12-20
    build(sample_path, tmp_path / "out", no_audio=True, formats=("epub",))
    import zipfile

    opf = zipfile.ZipFile(tmp_path / "out" / "miit-2022-priorities.epub").read("EPUB/package.opf")
    assert b"2021-12-20T11:33:20Z" in opf
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(SpeakError, match="SOURCE_DATE_EPOCH"):
        build(sample_path, tmp_path / "out2", no_audio=True)
