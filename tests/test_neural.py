"""The neural engine: the fetched model, real synthesis, determinism, builds and the fallback."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from speak.cli import main
from speak.errors import EngineError, EngineUnavailable
from speak.model import Utterance, Voice
from speak.speech.audio import rms
from speak.speech.engines.base import SAMPLE_RATE

BAKER = Voice("neural-baker", "neural", "baker", "zh")
SMALL = (
    "今年工業企業實現利潤同比增(zeng)長(chang)42.2%,規上中小企業收入增長21.5%。\n"
    "一是著力提振工業經濟,為穩定經濟大盤提供有力支撐。加快5G網絡建設。\n"
    "二是加快推進基礎和關鍵領域創新突破。\n"
)


def utt(text: str, readings: list[str | None] | None = None, sid: str = "s001") -> Utterance:
    readings = readings if readings is not None else [None] * len(text)
    return Utterance(sid, text, tuple(readings), tuple(range(len(text))))


@pytest.fixture
def voice_home(neural_voice, monkeypatch):
    monkeypatch.setenv("SPEAK_DATA_DIR", str(neural_voice))
    return neural_voice


@pytest.fixture
def engine(voice_home):
    from speak.speech.engines.neural import NeuralEngine

    return NeuralEngine()


def test_version_names_the_model_and_runtime(engine) -> None:
    assert engine.version.startswith("speak-neural ")
    assert "model " in engine.version and "litert " in engine.version


def test_speaks_a_sentence_at_a_natural_rate_and_level(engine) -> None:
    text = "工信部表示圓滿完成全年主要目標任務實現十四五良好開局"  # 26 syllables
    (clip,) = engine.synthesize([utt(text)], BAKER)
    assert clip.sample_rate == SAMPLE_RATE
    assert 26 / 8 < clip.duration < 26 / 3  # natural Mandarin: 3-8 syllables a second
    x = np.frombuffer(clip.pcm, "<i2").astype(float)
    assert 1500 < rms(clip.pcm) < 8000  # a usual speech level, not clipped to full scale
    assert np.mean(np.abs(x) >= 32767) < 0.001
    windows = np.abs(x[: len(x) // 1200 * 1200]).reshape(-1, 1200).max(axis=1)  # 50 ms each
    assert np.mean(windows > 1000) > 0.8  # speech throughout, not silence or a click
    starts = [m.begin for m in clip.syllables]
    assert len(clip.syllables) == 26 and starts == sorted(starts)
    # syllable after syllable inside a word, without gaps
    assert all(
        a.finish == b.begin for a, b in zip(clip.syllables[:4], clip.syllables[1:5], strict=True)
    )
    assert all(0 <= m.begin < m.finish <= clip.duration for m in clip.syllables)


def test_the_checked_reading_is_what_is_said(engine) -> None:
    zhang, chang = engine.synthesize(
        [utt("增長", ["zeng1", "zhang3"]), utt("增長", ["zeng1", "chang2"])], BAKER
    )
    assert zhang.pcm != chang.pcm
    assert [m.reading for m in zhang.syllables] == ["zeng1", "zhang3"]


def test_output_depends_on_the_input_alone(engine) -> None:
    sentences = [utt("全國工業和信息化工作會議在北京召開", sid=f"s{i}") for i in range(3)]
    sentences[1] = utt("部署二〇二二年重點任務", sid="s1")
    engine.jobs = 1
    one = [c.pcm for c in engine.synthesize(sentences, BAKER)]
    engine.jobs = 2
    two = [c.pcm for c in engine.synthesize(sentences, BAKER)]
    assert one == two and one[0] == one[2]


def test_rate_changes_duration(engine) -> None:
    text = utt("推動工業高質量發展")
    (normal,) = engine.synthesize([text], BAKER)
    (slow,) = engine.synthesize([text], Voice("slow", "neural", "baker", rate=-30))
    assert slow.duration > normal.duration * 1.2


def test_a_bad_reading_is_a_one_line_error(engine) -> None:
    with pytest.raises(EngineError, match=r"s001.*'zhang9' is not a pinyin syllable"):
        engine.synthesize([utt("長", ["zhang9"])], BAKER)


def test_without_the_model_the_engine_says_how_to_fetch(tmp_path, monkeypatch) -> None:
    from speak.speech.engines.neural import NeuralEngine

    monkeypatch.setenv("SPEAK_DATA_DIR", str(tmp_path))
    with pytest.raises(EngineUnavailable, match="speak voices fetch neural"):
        NeuralEngine()


def _md5s(folder) -> dict[str, str]:
    return {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.mp3"))}


def test_build_speaks_in_the_neural_voice_byte_identical_without_cache(
    voice_home, tmp_path
) -> None:
    source = tmp_path / "report.txt"
    source.write_text(SMALL, encoding="utf-8")
    runner = CliRunner()
    args = ["build", str(source), "--engine", "neural", "--cache-dir", str(tmp_path / "c"), "-q"]
    first = runner.invoke(main, [*args, "-o", str(tmp_path / "a")])
    assert first.exit_code == 0, first.output
    second = runner.invoke(main, [*args, "-o", str(tmp_path / "b"), "--no-cache"])
    assert second.exit_code == 0, second.output
    made = _md5s(tmp_path / "a" / "audio")
    assert len(made) == 4  # three sections and the whole report
    assert made == _md5s(tmp_path / "b" / "audio")
    tags = ID3(tmp_path / "a" / "audio" / "00-full.mp3")
    assert "Baker, offline neural Mandarin voice" in str(tags["TPE1"])
    assert "non-commercial" in str(tags["TPE1"])
    assert "Databaker" in str(tags.getall("COMM")[0])


def test_auto_picks_neural_when_fetched(voice_home) -> None:
    from speak.speech.neural.choice import choose_engine

    assert choose_engine("auto") == ("neural", None, [])
    assert choose_engine("auto", "espeak-cmn") == ("espeak", "espeak-cmn", [])


def test_the_model_receives_zeng1_zhang3_for_the_samples_zeng_chang(
    engine, sample_analysis, monkeypatch
) -> None:
    """增(zeng)長(chang) in the sample: the phones that reach the acoustic model say zhǎng."""
    from speak.speech.script import utterances

    spoken = [
        u for us in utterances(sample_analysis.doc, sample_analysis.readings).values() for u in us
    ]
    (first, *_) = [u for u in spoken if "增長" in u.text]
    received: list[str] = []
    speak = engine.model.speak

    def recording(chunk, *args):
        received.append(" ".join(chunk.phones))
        return speak(chunk, *args)

    monkeypatch.setattr(engine.model, "speak", recording)
    engine.synthesize([first], BAKER)
    said = " | ".join(received)
    assert "z eng1 #0 zh ang3" in said and "ch ang2" not in said
