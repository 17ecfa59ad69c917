"""PCM helpers and MP3 files: resampling, silence, trimming, streaming MP3 encoding with
ID3v2.4 tags and chapters, and decoding.

PCM everywhere is mono signed 16-bit little-endian.

MP3 timing (measured with lameenc 1.9 + miniaudio + mutagen, see tests/test_audio.py). LAME
delays the signal by ``ENCODER_DELAY`` = 1105 samples (576 encoder + 529 decoder; 46 ms at
24 kHz) and pads the end to whole 576-sample frames; lameenc writes no LAME/Xing header, so no
player removes either. A decoder therefore yields exactly ``frames_for(n) * 576`` samples for
``n`` input samples, which is also what mutagen reports as the length: the duration a player
shows. ``encode_mp3`` returns that duration. Timings (cues, chapters) stay in PCM time: each
sentence is heard 46 ms after its cue starts, a constant far below what a listener notices,
and since the PCM is shorter than the MP3 every cue and chapter lies inside the file.
"""

from __future__ import annotations

import math
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from speak.fsutil import atomic_path

MP3_SAMPLE_RATE = 24_000
MP3_BITRATE = 64  # kbps, CBR
LAME_QUALITY = 5  # LAME -q: 5 is its default; 2 is 2.7x slower and inaudibly different for speech
SAMPLES_PER_FRAME = 576  # MPEG-2 layer III (sample rates below 32 kHz)
ENCODER_DELAY = 576 + 529  # samples LAME's output lags its input, as decoders play it


def silence(seconds: float, rate: int) -> bytes:
    """``seconds`` of digital silence at ``rate`` (rounded to whole samples)."""
    return bytes(2 * max(0, round(seconds * rate)))


def resample(pcm: bytes, src_rate: int, dst_rate: int) -> bytes:
    """Band-limited resampling of 16-bit PCM by FFT (exact, for clips that start and end quiet).

    The spectrum is cut or zero-padded to the new length, which is an ideal low-pass at the
    lower Nyquist frequency; the FFT treats the clip as periodic, so a clip should begin and
    end in (near) silence, as synthesised sentences do.
    """
    if src_rate == dst_rate or not pcm:
        return pcm
    g = math.gcd(src_rate, dst_rate)
    up, down = dst_rate // g, src_rate // g
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    n_out = round(len(x) * up / down)
    blocks = _smooth(-(-len(x) // down))  # pad with silence to a fast FFT length
    n, n_pad_out = blocks * down, blocks * up
    spectrum = np.fft.rfft(x, n)
    bins = min(len(spectrum), n_pad_out // 2 + 1)
    out_spectrum = np.zeros(n_pad_out // 2 + 1, dtype=complex)
    out_spectrum[:bins] = spectrum[:bins]
    if n_pad_out < n and n_pad_out % 2 == 0:
        out_spectrum[-1] = out_spectrum[-1].real  # the new Nyquist bin must be real
    if n_pad_out > n and n % 2 == 0:
        out_spectrum[n // 2] /= 2  # split the old Nyquist bin between its two mirrors
    y = np.fft.irfft(out_spectrum, n_pad_out)[:n_out] * (n_pad_out / n)
    return np.clip(np.rint(y), -32768, 32767).astype("<i2").tobytes()


def _smooth(n: int) -> int:
    """The least number >= n with no prime factor above 5 (fast FFT sizes)."""
    while True:
        m = n
        for p in (2, 3, 5):
            while m % p == 0:
                m //= p
        if m == 1:
            return n
        n += 1


def trim_silence(pcm: bytes, rate: int, *, margin: float = 0.03, threshold: int = 64) -> bytes:
    """Cut leading and trailing near-silence (|x| <= threshold) down to ``margin`` seconds."""
    x = np.frombuffer(pcm, dtype="<i2")
    loud = np.flatnonzero(np.abs(x.astype(np.int32)) > threshold)
    if len(loud) == 0:
        return b""
    keep = round(margin * rate)
    first, last = max(0, loud[0] - keep), min(len(x), loud[-1] + 1 + keep)
    return x[first:last].tobytes()


def rms(pcm: bytes) -> float:
    """Root mean square level of 16-bit PCM (0 for empty input)."""
    x = np.frombuffer(pcm, dtype="<i2").astype(np.float64)
    return float(np.sqrt(np.mean(x * x))) if len(x) else 0.0


@dataclass(frozen=True)
class Tags:
    """ID3 text tags of one MP3. ``track``/``tracks`` 0 leaves the track number out."""

    title: str
    album: str = ""
    artist: str = ""
    track: int = 0
    tracks: int = 0
    year: str = ""
    language: str = "zho"  # ISO 639-2
    comment: str = ""  # ID3 COMM (e.g. the voice's licence)


@dataclass(frozen=True)
class Chapter:
    """One chapter (ID3 CHAP frame), times in seconds of PCM."""

    id: str
    title: str
    start: float
    end: float


def frames_for(samples: int) -> int:
    """MPEG frames LAME writes for ``samples`` input samples (delay and flush included)."""
    return math.ceil((samples + ENCODER_DELAY - 529) / SAMPLES_PER_FRAME) + 1


def mp3_duration(path: str | Path) -> float:
    """What a player shows: whole MPEG frames (mutagen), in seconds."""
    from mutagen.mp3 import MP3

    return float(MP3(str(path)).info.length)


def _id3(tags: Tags, chapters: Iterable[Chapter], duration: float):
    from mutagen.id3 import CHAP, CTOC, ID3, TALB, TDRC, TIT2, TLAN, TPE1, TRCK, CTOCFlags

    id3 = ID3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    if tags.album:
        id3.add(TALB(encoding=3, text=[tags.album]))
    if tags.artist:
        id3.add(TPE1(encoding=3, text=[tags.artist]))
    if tags.track:
        text = f"{tags.track}/{tags.tracks}" if tags.tracks else str(tags.track)
        id3.add(TRCK(encoding=3, text=[text]))
    id3.add(TLAN(encoding=3, text=[tags.language]))
    if tags.year:
        id3.add(TDRC(encoding=3, text=[tags.year]))
    if tags.comment:
        from mutagen.id3 import COMM

        id3.add(COMM(encoding=3, lang="eng", desc="", text=[tags.comment]))
    chapters = list(chapters)
    limit = round(duration * 1000)
    for ch in chapters:
        start = min(round(ch.start * 1000), limit)
        end = min(max(round(ch.end * 1000), start), limit)
        id3.add(
            CHAP(
                element_id=ch.id,
                start_time=start,
                end_time=end,
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=3, text=[ch.title])],
            )
        )
    if chapters:
        id3.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=[ch.id for ch in chapters],
                sub_frames=[TIT2(encoding=3, text=["Contents"])],
            )
        )
    return id3


def encode_mp3(
    pcm_chunks: Iterable[bytes],
    path: str | Path,
    *,
    sample_rate: int = MP3_SAMPLE_RATE,
    bitrate: int = MP3_BITRATE,
    tags: Tags,
    chapters: Iterable[Chapter] = (),
) -> float:
    """Stream PCM chunks into a mono CBR MP3 with ID3v2.4 tags; return its duration (s).

    Written to a temporary name and renamed, so an interrupted encode leaves nothing under
    ``path``. The same input gives the same bytes.
    """
    import lameenc

    encoder = lameenc.Encoder()
    encoder.set_bit_rate(bitrate)
    encoder.set_in_sample_rate(sample_rate)
    encoder.set_out_sample_rate(sample_rate)
    encoder.set_channels(1)
    encoder.set_quality(LAME_QUALITY)
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as out:
            for chunk in pcm_chunks:
                if chunk:
                    out.write(encoder.encode(chunk))
            out.write(encoder.flush())
        duration = mp3_duration(tmp)
        id3 = _id3(tags, chapters, duration)
        id3.save(str(tmp), v2_version=4, padding=lambda info: 0)
    return duration


COPY_CHUNK = 1 << 20  # bytes copied at a time when joining MP3s


def _frames_start(f: BinaryIO) -> int:
    """Where an open MP3 file's audio frames begin: after its ID3v2 tag, if any."""
    head = f.read(10)
    if head[:3] != b"ID3":
        return 0
    size = 0
    for byte in head[6:10]:  # syncsafe integer: 7 bits a byte
        size = (size << 7) | (byte & 0x7F)
    return 10 + size


def join_mp3(
    parts: Iterable[str | Path], path: str | Path, *, tags: Tags, chapters: Iterable[Chapter] = ()
) -> float:
    """Join MP3 files of the same format frame by frame (no re-encoding); return the duration.

    Each part keeps its own encoder delay, so a part starting at ``t`` in the joined file is
    heard at ``t`` plus ``ENCODER_DELAY``, exactly as in the part alone: chapter times are the
    sums of the parts' durations.
    """
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:  # copied in pieces: a part may be hours long
                    src.seek(_frames_start(src))
                    shutil.copyfileobj(src, out, COPY_CHUNK)
        duration = mp3_duration(tmp)
        _id3(tags, chapters, duration).save(str(tmp), v2_version=4, padding=lambda info: 0)
    return duration


def decode_mp3(source: bytes | str | Path, rate: int | None = None) -> tuple[bytes, int]:
    """Decode MP3 bytes or an MP3 file to mono 16-bit little-endian PCM: (pcm, rate), at
    ``rate`` when given (resampled by miniaudio), else at the file's own rate."""
    import miniaudio

    pcm16 = miniaudio.SampleFormat.SIGNED16
    if isinstance(source, bytes):
        rate = rate or miniaudio.get_info(source).sample_rate
        decoded = miniaudio.decode(source, output_format=pcm16, nchannels=1, sample_rate=rate)
    else:
        rate = rate or miniaudio.get_file_info(str(source)).sample_rate
        decoded = miniaudio.decode_file(
            str(source), output_format=pcm16, nchannels=1, sample_rate=rate
        )
    samples = decoded.samples
    if sys.byteorder == "big":
        samples.byteswap()
    return samples.tobytes(), decoded.sample_rate
