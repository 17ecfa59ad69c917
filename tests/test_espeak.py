"""eSpeak NG engine: real libespeak-ng, real audio, forced readings, phoneme overrides."""

from __future__ import annotations

import numpy as np
import pytest

from speak.errors import EngineError
from speak.model import Utterance, Voice
from speak.speech.audio import rms
from speak.speech.engines.base import SAMPLE_RATE, get_engine

CMN = Voice("espeak-cmn", "espeak", "cmn", "zh")


def utt(text: str, readings: list[str | None], sid: str = "s001") -> Utterance:
    return Utterance(sid, text, tuple(readings), tuple(range(len(text))))


@pytest.fixture(scope="module")
def engine():
    return get_engine("espeak")


def test_version_names_library_and_code(engine):
    assert "libespeak-ng 1.52" in engine.version
    assert "speak-espeak" in engine.version


def test_speaks_a_sentence(engine):
    sentence = utt("工信部表示全年目標任務圓滿完成", [None] * 15)
    (clip,) = engine.synthesize([sentence], CMN)
    assert clip.sample_rate == SAMPLE_RATE
    assert clip.duration > 0.5
    assert rms(clip.pcm) > 500
    head = np.frombuffer(clip.pcm[: int(0.2 * SAMPLE_RATE) * 2], "<i2")
    assert np.count_nonzero(np.abs(head.astype(int)) > 64) > 0  # leading silence trimmed


def test_forced_reading_changes_the_audio_and_is_deterministic(engine):
    zhang = utt("增長", ["zeng1", "zhang3"])
    chang = utt("增長", ["zeng1", "chang2"])
    a, b, c = engine.synthesize([zhang, chang, zhang], CMN)
    assert a.pcm != b.pcm
    assert a.pcm == c.pcm
    (d,) = engine.synthesize([zhang], CMN)  # another call, after other text
    assert d.pcm == a.pcm


def test_forced_reading_reaches_the_phonemes(engine):
    assert "ts.h" in engine.phonemes(utt("增長", ["zeng1", "chang2"]), CMN).split()
    assert "ts.h" not in engine.phonemes(utt("增長", ["zeng1", "zhang3"]), CMN).split()
    # eSpeak's own dictionary says zhang3 in 長大: the checked chang2 must win
    assert engine.spelling(utt("長大", ["chang2", "da4"]), CMN) == "chang2da4"
    assert engine.spelling(utt("長大", ["zhang3", "da4"]), CMN) == "長大"


def test_agreeing_text_is_left_as_written(engine):
    text = "全國工業和信息化工作會議在北京以視頻形式召開"
    readings = (
        "quan2 guo2 gong1 ye4 he2 xin4 xi1 hua4 gong1 zuo4 hui4 "
        "yi4 zai4 bei3 jing1 yi3 shi4 pin2 xing2 shi4 zhao4 kai1"
    )
    assert engine.spelling(utt(text, readings.split()), CMN) == text


def test_word_marks_point_into_the_utterance_inside_the_clip(engine):
    text = "工業增長百分之四十二，規上A P P專項。"
    readings = [None] * len(text)
    readings[3] = "zhang3"  # 增長 is sent as pinyin: its mark still points at 增
    (clip,) = engine.synthesize([utt(text, readings)], CMN)
    indexes = [i for i, _ in clip.marks]
    times = [t for _, t in clip.marks]
    assert indexes == sorted(set(indexes)) and times == sorted(times)
    assert 0 <= times[0] < 0.2 and times[-1] < clip.duration
    assert {text[i] for i in indexes} >= {"工", "增", "百", "規", "A", "專"}
    assert text.index("規") in indexes
    at = dict(clip.marks)
    assert at[text.index("規")] > at[text.index("增")] + 0.5


def test_spoken_tones_of_yi_and_bu_are_said_as_sent(engine):
    # eSpeak's own 一樣不要 is yi2 yang4 bu2 yao4: sent that way, the characters stay
    assert engine.spelling(utt("一樣不要", ["yi2", "yang4", "bu2", "yao4"]), CMN) == "一樣不要"
    # its own 二〇二一 says yi4 and 一是 yi2: the yi1 sent must be heard
    year = engine.spelling(utt("二〇二一年", ["er4", "ling2", "er4", "yi1", "nian2"]), CMN)
    assert "yi1" in year
    assert "yi1" in engine.spelling(utt("一是", ["yi1", "shi4"]), CMN)


def test_third_tone_sandhi_sent_inside_a_word_is_said(engine):
    # eSpeak makes no third-tone sandhi itself (你好 is 214 214): ni2 hao3 must be sent
    assert engine.spelling(utt("你好", ["ni2", "hao3"]), CMN) == "ni2hao3"


@pytest.mark.parametrize(
    ("char", "reading"),
    [("熊", "xiong2"), ("窮", "qiong2"), ("炯", "jiong3"), ("兒", "er2"), ("兒", "r5")],
)
def test_english_syllables_are_spoken_as_mandarin(engine, char, reading):
    unforced = engine.phonemes(utt(char, [None]), CMN)
    assert "(en)" in unforced  # eSpeak 1.52 reads these as English on its own
    spoken = engine.phonemes(utt(char, [reading]), CMN)
    assert "(en)" not in spoken
    vowel = {"xiong2": "ong", "qiong2": "ong", "jiong3": "ong", "er2": "@r", "r5": "@r"}[reading]
    assert vowel in {p.lstrip("',") for p in spoken.split()}  # stress marks aside


def test_override_inside_a_word(engine):
    spoken = engine.phonemes(utt("熊貓", ["xiong2", "mao1"]), CMN).split()
    assert "(en)" not in spoken
    assert spoken[:3] == ["S;", "j", "'ong"]


def test_rate_changes_duration(engine):
    sentence = utt("規模以上工業企業實現利潤同比增長", [None] * 16)
    (normal,) = engine.synthesize([sentence], CMN)
    (slow,) = engine.synthesize([sentence], Voice("slow", "espeak", "cmn", rate=-30))
    assert slow.duration > normal.duration * 1.25


def test_unknown_voice_and_bad_reading_are_one_line_errors(engine):
    with pytest.raises(EngineError, match="no voice 'klingon'") as e:
        engine.synthesize([utt("好", ["hao3"])], Voice("x", "espeak", "klingon"))
    assert "\n" not in str(e.value)
    with pytest.raises(EngineError, match=r"s009.*'h@o3'"):
        engine.synthesize([utt("好", ["h@o3"], "s009")], CMN)


def test_a_take_does_not_depend_on_what_was_spoken_before(engine) -> None:
    """eSpeak keeps state between syntheses (a switch to its English voice for 熊 among it);
    the engine must not let it through: the same sentence gives the same samples after any
    other sentences."""
    sentence = utt("增長百分之四十二點二，規上工業。", [None] * 15)
    first = engine.synthesize([sentence], CMN)[0].pcm
    engine.phonemes(utt("熊", [None]), CMN)  # eSpeak reads it as English on its own
    engine.synthesize([utt("你好，熊貓。", [None] * 6)], CMN)
    assert engine.synthesize([sentence], CMN)[0].pcm == first
