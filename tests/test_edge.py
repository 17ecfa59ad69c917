"""The edge engine against a local fake of the Edge TTS websocket service (tests/fake_edge.py)."""

from __future__ import annotations

import socket
from array import array
from pathlib import Path

import edge_tts
import edge_tts.communicate
import edge_tts.voices
import pytest
from edge_tts.drm import DRM

from speak.errors import EngineError
from speak.model import Utterance, Voice
from speak.speech.engines.base import SAMPLE_RATE, get_engine
from speak.speech.engines.edge import EdgeEngine, list_voices
from speak.speech.engines.edge_client import RetryPolicy, ServiceUnreachable
from speak.speech.engines.edge_text import request_size, split_for_service
from speak.speech.voices import load_voice
from tests.fake_edge import FRAME_SAMPLES, LEAD_SILENCE, TICKS, FakeEdge, long_voice_name

VOICES_DIR = Path(__file__).resolve().parent.parent / "voices"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "ws_proxy", "wss_proxy")
HSIAOCHEN = Voice("edge-zh-tw-hsiaochen", "edge", "zh-TW-HsiaoChenNeural", "zh-TW", -10, 5)


def utterance(sentence_id: str, text: str, say: str = "") -> Utterance:
    return Utterance(sentence_id, text, (None,) * len(text), tuple(range(len(text))), say)


@pytest.fixture
def server(monkeypatch):
    fake = FakeEdge().start()
    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", fake.wss_url)
    monkeypatch.setattr(edge_tts.voices, "VOICE_LIST", fake.voices_url)
    monkeypatch.setattr(DRM, "clock_skew_seconds", 0.0)
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    yield fake
    fake.stop()


class Sleeps(list):
    """Records the backoff delays instead of waiting them out."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def engine() -> EdgeEngine:
    made = EdgeEngine(jobs=2, retry=RetryPolicy(attempts=5, base_delay=0.001, max_delay=0.01))
    made.sleep = Sleeps()
    return made


def samples(pcm: bytes) -> array:
    return array("h", pcm)


# -- normal synthesis ---------------------------------------------------------------------
def test_each_utterance_becomes_decoded_pcm_of_what_the_server_sent(server, engine):
    first = utterance("s001", "工業經濟平穩增長。")
    second = utterance("s002", "重點行業穩中有進！", say="重點行業穩中有近！")
    clips = engine.synthesize([first, second], HSIAOCHEN)

    by_text = {s.text: s for s in server.served}
    assert set(by_text) == {first.text, second.say}  # `say` is spoken instead of `text`
    for clip, text in zip(clips, [first.text, second.say], strict=True):
        served = by_text[text]
        assert served.voice == long_voice_name("zh-TW", "HsiaoChenNeural")
        assert (served.rate, served.pitch, served.volume) == ("-10%", "+5Hz", "+0%")
        assert clip.sample_rate == SAMPLE_RATE
        assert len(clip.pcm) // 2 == served.frames * FRAME_SAMPLES
        assert max(abs(s) for s in samples(clip.pcm)) > 3000  # the tone, not silence
        sent = served.events[0]["Data"]
        assert clip.boundaries[0].kind == "SentenceBoundary"
        assert clip.boundaries[0].offset == pytest.approx(sent["Offset"] / TICKS)
        assert clip.boundaries[0].offset == pytest.approx(LEAD_SILENCE)
        assert clip.boundaries[0].duration == pytest.approx(sent["Duration"] / TICKS)
        assert clip.boundaries[0].text == text


def test_sentence_boundaries_follow_the_sentences_inside_one_clip(server, engine):
    text = "一、穩定工業增長。二、提升產業鏈供應鏈韌性！"
    (clip,) = engine.synthesize([utterance("s001", text)], HSIAOCHEN)
    assert [b.text for b in clip.boundaries] == ["一、穩定工業增長。", "二、提升產業鏈供應鏈韌性！"]
    first, second = clip.boundaries
    assert second.offset == pytest.approx(first.offset + first.duration, abs=1e-6)
    assert second.offset + second.duration <= clip.duration


def test_word_boundaries_when_asked(server, engine):
    engine.boundary = "WordBoundary"
    (clip,) = engine.synthesize([utterance("s001", "增長五成。")], HSIAOCHEN)
    assert [b.text for b in clip.boundaries] == ["增", "長", "五", "成"]
    assert {b.kind for b in clip.boundaries} == {"WordBoundary"}
    assert server.served[0].boundary == "WordBoundary"


def test_punctuation_only_utterance_needs_no_request(server, engine):
    (clip,) = engine.synthesize([utterance("s001", "……「」")], HSIAOCHEN)
    assert clip.pcm == b"" and server.handshakes == []


def test_each_finished_clip_is_reported_as_it_completes(server, engine):
    seen = {}
    engine.on_clip = lambda index, clip: seen.setdefault(index, clip.duration)
    clips = engine.synthesize([utterance(f"s{i}", f"第{i}句話。") for i in range(5)], HSIAOCHEN)
    assert seen == {i: clip.duration for i, clip in enumerate(clips)}


def test_engine_is_registered_and_versioned():
    made = get_engine("edge")
    assert made.name == "edge"
    assert edge_tts.__version__ in made.version and "speak-edge" in made.version


# -- faults -------------------------------------------------------------------------------
def test_clock_skew_403_is_corrected_from_the_date_header(server, engine):
    server.clock_skew = 3600.0  # the server's clock is an hour ahead of ours
    (clip,) = engine.synthesize([utterance("s001", "時鐘不準。")], HSIAOCHEN)
    assert server.handshakes == [403, 101]
    assert DRM.clock_skew_seconds == pytest.approx(3600.0, abs=5)
    assert len(clip.pcm) // 2 == server.served[-1].frames * FRAME_SAMPLES


def test_concurrent_403s_correct_the_clock_once(server, engine):
    server.clock_skew = -1800.0
    engine.jobs = 4
    clips = engine.synthesize([utterance(f"s{i}", f"第{i}句。") for i in range(8)], HSIAOCHEN)
    assert all(c.pcm for c in clips)
    assert DRM.clock_skew_seconds == pytest.approx(-1800.0, abs=5)
    assert server.handshakes.count(101) == 8


def test_a_403_that_persists_ends_in_a_clear_error(server, engine):
    server.push(*["403"] * 20)
    with pytest.raises(EngineError) as caught:
        engine.synthesize([utterance("s042", "一直被拒。")], HSIAOCHEN)
    message = str(caught.value)
    assert "s042" in message and "403" in message and "\n" not in message
    # edge-tts retries once inside each of our 5 attempts
    assert server.handshakes == [403] * 10
    assert len(engine.sleep) == 4


@pytest.mark.parametrize("status", ["429", "503"])
def test_throttling_is_retried_with_growing_delays(server, engine, status):
    server.push(status, status)
    (clip,) = engine.synthesize([utterance("s001", "稍後再試。")], HSIAOCHEN)
    assert server.handshakes == [int(status), int(status), 101]
    assert len(engine.sleep) == 2
    assert 0.0005 <= engine.sleep[0] <= 0.001 < engine.sleep[1] * 2 <= 0.004
    assert len(clip.pcm) // 2 == server.served[-1].frames * FRAME_SAMPLES


def test_retry_after_header_is_honoured(server, engine):
    engine.retry = RetryPolicy(attempts=3, base_delay=0.001, max_delay=1.0)
    server.retry_after = "0.5"
    server.push("429")
    engine.synthesize([utterance("s001", "請等一下。")], HSIAOCHEN)
    assert engine.sleep == [0.5]


@pytest.mark.parametrize("how", ["drop", "reset"])
def test_dropped_connection_is_retried_without_keeping_partial_audio(server, engine, how):
    server.push(how)
    text = "連線中斷以後重新合成整句話。" * 3
    (clip,) = engine.synthesize([utterance("s001", text)], HSIAOCHEN)
    partial, complete = server.served
    assert partial.behaviour == how and 0 < partial.frames < complete.frames
    assert len(clip.pcm) // 2 == complete.frames * FRAME_SAMPLES
    assert len(clip.boundaries) == len(complete.events)


def test_no_audio_at_all_ends_in_a_clear_error(server, engine):
    server.push(*["silent"] * 5)
    with pytest.raises(EngineError) as caught:
        engine.synthesize([utterance("s007", "沒有聲音。")], HSIAOCHEN)
    message = str(caught.value)
    assert "s007" in message and "no audio" in message and "5 attempts" in message
    assert "\n" not in message
    assert server.handshakes == [101] * 5


def test_a_voice_id_the_service_cannot_take_fails_before_any_request(server, engine):
    voice = Voice("mine", "edge", "cmn")
    with pytest.raises(EngineError, match=r"voice preset 'mine'.*speak voices"):
        engine.synthesize([utterance("s001", "你好。")], voice)
    assert server.handshakes == []


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "url",
    [
        "ws://127.0.0.1:{port}/consumer/speech/synthesize/readaloud/edge/v1?TrustedClientToken=x",
        "wss://speak-offline.invalid/consumer/speech/synthesize/readaloud/edge/v1?TrustedClientToken=x",
    ],
)
def test_offline_fails_fast_with_one_line_pointing_to_espeak(monkeypatch, engine, url):
    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", url.format(port=_closed_port()))
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    engine.jobs = 3
    with pytest.raises(ServiceUnreachable) as caught:
        engine.synthesize([utterance(f"s{i}", f"第{i}句。") for i in range(6)], HSIAOCHEN)
    message = str(caught.value)
    assert "cannot reach" in message and "--engine espeak" in message and "\n" not in message
    assert len(engine.sleep) <= 3  # one quick retry per request in flight, then give up


# -- splitting ----------------------------------------------------------------------------
def test_long_text_without_spaces_splits_at_sentence_ends_under_the_limit():
    sentence = "推動製造業高端化智能化綠色化發展，" * 3 + "加快建設製造強國。"
    text = sentence * 60  # about 10 kB, no spaces or newlines
    pieces = split_for_service(text)
    assert len(pieces) >= 3
    assert all(request_size(p) <= 4096 for p in pieces)
    assert "".join(pieces) == text
    assert all(p.endswith("。") for p in pieces[:-1])


def test_text_without_any_punctuation_is_cut_between_characters():
    text = "產業" * 3000 + "&<>" * 200  # escaping makes & < > longer in the request
    pieces = split_for_service(text, max_bytes=1000)
    assert all(request_size(p) <= 1000 for p in pieces)
    assert "".join(pieces) == text


def test_short_text_is_one_piece_and_blank_text_none():
    assert split_for_service("  你好。 ") == ["你好。"]
    assert split_for_service("   ") == []


def test_a_long_utterance_becomes_several_requests_and_one_clip(server, engine):
    text = "各地區各部門認真貫徹落實黨中央國務院決策部署。" * 120  # ~8.3 kB
    engine.jobs = 3
    server.seconds_per_char = 0.002
    (clip,) = engine.synthesize([utterance("s001", text)], HSIAOCHEN)
    assert len(server.served) >= 3
    assert all(s.text_bytes <= 4096 for s in server.served)
    assert sorted(s.text for s in server.served) == sorted(split_for_service(text))
    assert len(clip.pcm) // 2 == sum(s.frames for s in server.served) * FRAME_SAMPLES
    offsets = [b.offset for b in clip.boundaries]
    assert len(offsets) == 120 and offsets == sorted(offsets)
    assert offsets[-1] < clip.duration


# -- concurrency --------------------------------------------------------------------------
@pytest.mark.parametrize("jobs", [1, 3])
def test_jobs_bounds_requests_in_flight(server, engine, jobs):
    server.hold = 0.05
    engine.jobs = jobs
    engine.synthesize([utterance(f"s{i}", f"第{i}句話。") for i in range(9)], HSIAOCHEN)
    assert len(server.served) == 9
    assert server.max_active == jobs


def test_preset_jobs_apply_when_the_builder_sets_none(server, engine):
    server.hold = 0.05
    engine.jobs = None
    voice = Voice("v", "edge", "zh-CN-XiaoxiaoNeural", "zh-CN", extra={"jobs": 2})
    engine.synthesize([utterance(f"s{i}", f"第{i}句话。") for i in range(6)], voice)
    assert server.max_active == 2


# -- voices -------------------------------------------------------------------------------
def test_list_voices_gives_the_chinese_voices(server):
    voices = list_voices()
    names = [v["ShortName"] for v in voices]
    assert "zh-TW-HsiaoChenNeural" in names and "zh-CN-YunjianNeural" in names
    assert all(v["Locale"].startswith("zh-") for v in voices)
    assert names == sorted(names, key=lambda n: (n[:5], n))


def test_list_voices_offline_says_so(monkeypatch):
    url = f"http://127.0.0.1:{_closed_port()}/voices/list?trustedclienttoken=x"
    monkeypatch.setattr(edge_tts.voices, "VOICE_LIST", url)
    with pytest.raises(ServiceUnreachable, match=r"cannot reach.*--engine espeak"):
        list_voices(retry=RetryPolicy(attempts=2, base_delay=0.001))


def test_presets_name_voices_the_service_offers(server):
    offered = {v["ShortName"] for v in list_voices()}
    presets = {p.stem: load_voice(p) for p in VOICES_DIR.glob("edge-*.toml")}
    assert {
        "edge-zh-tw-hsiaochen",
        "edge-zh-tw-yunjhe",
        "edge-zh-tw-hsiaoyu",
        "edge-zh-cn-xiaoxiao",
        "edge-zh-cn-yunxi",
        "edge-zh-cn-yunjian",
    } <= set(presets)
    for voice in presets.values():
        assert voice.engine == "edge" and voice.voice in offered
        assert voice.language == voice.voice[:5]
        EdgeEngine().check_voice(voice)


def test_backoff_grows_exponentially_is_capped_and_jittered():
    import random

    policy = RetryPolicy(attempts=6, base_delay=0.5, max_delay=4.0)
    rng = random.Random(7)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 4.0)]:
        delays = {policy.delay(attempt, rng) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays) and len(delays) > 1
    assert policy.delay(1, rng, retry_after=3.0) == 3.0
    assert policy.delay(1, rng, retry_after=60.0) == 4.0
