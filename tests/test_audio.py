"""MP3 encoding, tags, chapters, durations and resampling, on real files."""

from __future__ import annotations

import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from speak.speech import audio
from speak.speech.audio import Chapter, Tags, decode_mp3, encode_mp3, resample, silence

RATE = 24_000


def tone(seconds: float, freq: float = 440.0, rate: int = RATE) -> bytes:
    t = np.arange(round(seconds * rate)) / rate
    return (8000 * np.sin(2 * np.pi * freq * t)).astype("<i2").tobytes()


def test_silence_has_the_asked_length():
    assert silence(0.35, RATE) == bytes(2 * 8400)
    assert silence(0, RATE) == b""


def test_resample_keeps_a_tone_clean():
    src = tone(1.0, 1000.0, 22_050)
    out = np.frombuffer(resample(src, 22_050, RATE), "<i2").astype(float)
    assert len(out) == RATE
    ref = 8000 * np.sin(2 * np.pi * 1000 * np.arange(len(out)) / RATE)
    inner = slice(500, -500)
    snr = 10 * np.log10(np.mean(ref[inner] ** 2) / np.mean((out[inner] - ref[inner]) ** 2))
    assert snr > 60


def test_trim_silence_leaves_a_small_margin():
    pcm = silence(1.0, RATE) + tone(0.5) + silence(2.0, RATE)
    trimmed = audio.trim_silence(pcm, RATE, margin=0.03)
    assert abs(len(trimmed) / 2 / RATE - 0.56) < 0.005


@pytest.fixture
def tagged_mp3(tmp_path):
    path = tmp_path / "00-full.mp3"
    chunks = [tone(1.0), silence(0.5, RATE), tone(1.5, 660.0)]
    chapters = [Chapter("ch01", "一、開場", 0.0, 1.5), Chapter("ch02", "二、工業", 1.5, 3.0)]
    tags = Tags("全文", "工作會議", "espeak-cmn (espeak)", 1, 7, "2022")
    duration = encode_mp3(iter(chunks), path, tags=tags, chapters=chapters)
    return path, duration, b"".join(chunks)


def test_mp3_decodes_to_the_samples_a_player_counts(tagged_mp3):
    path, duration, pcm = tagged_mp3
    decoded, rate = decode_mp3(path)
    assert rate == RATE
    n_in = len(pcm) // 2
    # The Info frame's delay and padding: a gapless decoder yields exactly the PCM encoded,
    # and the duration players show (mutagen) is that exactly, not an estimate.
    assert len(decoded) // 2 == n_in
    assert duration == n_in / RATE
    assert MP3(path).info.length == duration


def test_mp3_is_mono_cbr_24k(tagged_mp3):
    info = MP3(tagged_mp3[0]).info
    assert (info.channels, info.sample_rate, info.bitrate) == (1, RATE, 64_000)


def test_encoder_delay_is_as_documented(tmp_path):
    click = np.zeros(RATE, "<i2")
    click[2400] = 20000
    path = tmp_path / "click.mp3"
    encode_mp3([click.tobytes()], path, tags=Tags("click"))
    decoded = np.frombuffer(decode_mp3(path)[0], "<i2")
    # LAME delays it by ENCODER_DELAY; the Info frame tells the decoder to drop exactly that.
    assert int(np.argmax(np.abs(decoded))) == 2400


def test_id3v24_tags_and_chapters(tagged_mp3):
    path, duration, _ = tagged_mp3
    id3 = ID3(path)
    assert id3.version[:2] == (2, 4)
    assert str(id3["TIT2"]) == "全文"
    assert str(id3["TALB"]) == "工作會議"
    assert str(id3["TPE1"]) == "espeak-cmn (espeak)"
    assert str(id3["TRCK"]) == "1/7"
    assert str(id3["TLAN"]) == "zho"
    assert str(id3["TDRC"]) == "2022"
    chaps = id3.getall("CHAP")  # as stored
    assert [(c.element_id, c.start_time, c.end_time) for c in chaps] == [
        ("ch01", 0, 1500),
        ("ch02", 1500, 3000),
    ]
    assert all(c.end_time <= duration * 1000 for c in chaps)
    assert str(chaps[1].sub_frames["TIT2"]) == "二、工業"
    (toc,) = id3.getall("CTOC")
    assert toc.child_element_ids == ["ch01", "ch02"]
    assert toc.flags & 0x3 == 0x3  # top-level and ordered


def test_same_input_gives_identical_bytes(tmp_path):
    tags = Tags("t", "a", "v", 2, 3, "2022")
    pcm = tone(2.0)
    a, b = tmp_path / "a.mp3", tmp_path / "b.mp3"
    encode_mp3([pcm], a, tags=tags, chapters=[Chapter("c1", "x", 0, 1)])
    encode_mp3(
        [pcm[: 1001 * 2], pcm[1001 * 2 :]], b, tags=tags, chapters=[Chapter("c1", "x", 0, 1)]
    )
    assert a.read_bytes() == b.read_bytes()


def test_interrupted_encode_leaves_no_file(tmp_path):
    def chunks():
        yield tone(0.5)
        raise KeyboardInterrupt

    path = tmp_path / "01-x.mp3"
    with pytest.raises(KeyboardInterrupt):
        encode_mp3(chunks(), path, tags=Tags("x"))
    assert list(tmp_path.iterdir()) == []


def test_info_frame_counts_the_frames_and_carries_delay_and_padding(tagged_mp3):
    path, _, pcm = tagged_mp3
    start, stream = audio.read_stream(path)
    info = MP3(path).info
    n_in = len(pcm) // 2
    assert stream.frames == audio.frames_for(n_in)
    assert (path.stat().st_size - start) == stream.frames * 192  # 64 kbps at 24 kHz: 192 B
    assert stream.padding == stream.frames * 576 - 576 - n_in
    assert info.encoder_info.startswith("LAME")


def test_joined_file_has_chapters_in_reading_order_and_exact_length(tmp_path):
    parts = []
    for k, seconds in enumerate((1.3, 0.7, 2.1)):
        part = tmp_path / f"{k + 1:02d}.mp3"
        encode_mp3([tone(seconds, 300.0 + 100 * k)], part, tags=Tags(f"part {k}"))
        parts.append((part, f"ch{k + 1:02d}", f"{'一二三'[k]}是"))
    full = tmp_path / "00-full.mp3"
    chapters = audio.join_mp3(parts, full, tags=Tags("全文"))
    stored = ID3(full).getall("CHAP")
    assert [str(c.sub_frames["TIT2"]) for c in stored] == ["一是", "二是", "三是"]
    starts = [c.start_time for c in stored]
    assert starts == sorted(starts) and starts[0] == 0
    assert [c.start_time for c in stored] == [round(c.start * 1000) for c in chapters]
    decoded, rate = decode_mp3(full)
    assert MP3(full).info.length == len(decoded) / 2 / rate
    # Each part is heard where its chapter starts (its tone begins there, after silence).
    x = np.abs(np.frombuffer(decoded, "<i2").astype(float))
    for chapter in chapters[1:]:
        at = round(chapter.start * rate)
        assert x[at - 400 : at - 40].max() < 1000 < 6000 < x[at + 40 : at + 400].max()
