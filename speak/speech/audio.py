"""PCM helpers and MP3 files: resampling, silence, trimming, streaming MP3 encoding with
ID3v2.4 tags and chapters, and decoding.

PCM everywhere is mono signed 16-bit little-endian.

MP3 timing (measured with lameenc 1.9, ffmpeg, miniaudio and mutagen; see
tests/test_audio.py). LAME delays the signal by 576 samples and pads the end to whole
576-sample frames; decoders add 529 samples of their own delay (``ENCODER_DELAY`` = 1105
in all). lameenc writes no LAME tag, so ``encode_mp3`` writes the Xing/LAME Info frame itself
(``speak.speech.mp3meta``): frame count, byte count, delay and padding. Players and gapless
decoders then yield and show exactly the encoded PCM, so cue and chapter times (PCM time)
are heard when they say.
"""

from __future__ import annotations

import math
import shutil
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from speak.fsutil import atomic_path, scratch_path
from speak.speech.mp3meta import (
    LAME_ENCODER_DELAY,
    crc16,
    frame_format,
    frame_length,
    id3_tag,
    info_frame,
    is_info_frame,
)

MP3_SAMPLE_RATE = 24_000
MP3_BITRATE = 64  # kbps, CBR
LAME_QUALITY = 5  # LAME -q: 5 is its default; 2 is 2.7x slower and inaudibly different for speech
MP3_FORMAT = "info-frame-1"  # changes when the bytes written around the frames change
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
    """What a player shows (mutagen, from the Info frame: the encoded samples), in seconds."""
    from mutagen.mp3 import MP3

    return float(MP3(str(path)).info.length)


def id3_frames(tags: Tags, chapters: Iterable[Chapter], duration: float) -> list:
    """The ID3 frames of one MP3 in the order they are stored: text frames, then one CHAP
    per chapter in reading order, then the CTOC that lists them."""
    from mutagen.id3 import CHAP, COMM, CTOC, TALB, TDRC, TIT2, TLAN, TPE1, TRCK, CTOCFlags

    frames: list = [TIT2(encoding=3, text=[tags.title])]
    if tags.artist:
        frames.append(TPE1(encoding=3, text=[tags.artist]))
    if tags.album:
        frames.append(TALB(encoding=3, text=[tags.album]))
    if tags.track:
        text = f"{tags.track}/{tags.tracks}" if tags.tracks else str(tags.track)
        frames.append(TRCK(encoding=3, text=[text]))
    if tags.year:
        frames.append(TDRC(encoding=3, text=[tags.year]))
    frames.append(TLAN(encoding=3, text=[tags.language]))
    if tags.comment:
        frames.append(COMM(encoding=3, lang="eng", desc="", text=[tags.comment]))
    chapters = list(chapters)
    limit = round(duration * 1000)
    for ch in chapters:
        start = min(round(ch.start * 1000), limit)
        end = min(max(round(ch.end * 1000), start), limit)
        frames.append(
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
        frames.append(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=[ch.id for ch in chapters],
                sub_frames=[TIT2(encoding=3, text=["Contents"])],
            )
        )
    return frames


COPY_CHUNK = 1 << 20  # bytes copied at a time when writing MP3s


@dataclass(frozen=True)
class Stream:
    """Audio frames (no tag, no Info frame) in a file, and what the Info frame says of them."""

    path: Path
    frames: int
    padding: int  # samples added at the end by the encoder
    sample_rate: int
    bitrate: int

    @property
    def seconds(self) -> float:
        """The encoded samples' duration: what a gapless decoder yields."""
        samples = self.frames * SAMPLES_PER_FRAME - LAME_ENCODER_DELAY - self.padding
        return samples / self.sample_rate

    @property
    def frame_seconds(self) -> float:
        """The duration of every frame, delay and padding included."""
        return self.frames * SAMPLES_PER_FRAME / self.sample_rate


def _write_mp3(target: str | Path, stream: Stream, tag: bytes) -> None:
    """Write ``tag``, the Info frame and ``stream``'s frames to ``target`` (atomically)."""
    size = stream.path.stat().st_size
    crc = 0
    with open(stream.path, "rb") as src:
        while block := src.read(COPY_CHUNK):
            crc = crc16(block, crc)
    info = info_frame(
        sample_rate=stream.sample_rate,
        bitrate=stream.bitrate,
        audio_frames=stream.frames,
        audio_bytes=size,
        padding=stream.padding,
        music_crc=crc,
    )
    with atomic_path(target) as tmp, open(tmp, "wb") as out:
        out.write(tag)
        out.write(info)
        with open(stream.path, "rb") as src:  # copied in pieces: it may be hours long
            shutil.copyfileobj(src, out, COPY_CHUNK)


def encode_mp3(
    pcm_chunks: Iterable[bytes],
    path: str | Path,
    *,
    sample_rate: int = MP3_SAMPLE_RATE,
    bitrate: int = MP3_BITRATE,
    tags: Tags,
    chapters: Iterable[Chapter] = (),
) -> float:
    """Stream PCM chunks into a mono CBR MP3 with ID3v2.4 tags and an Info frame; return its
    duration (s): exactly the PCM's, which is what players show and gapless decoders yield.

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
    samples = 0
    with scratch_path(path, ".frames") as body:
        with open(body, "wb") as out:
            for chunk in pcm_chunks:
                if chunk:
                    samples += len(chunk) // 2
                    out.write(encoder.encode(chunk))
            out.write(encoder.flush())
        frames = frames_for(samples)
        padding = frames * SAMPLES_PER_FRAME - LAME_ENCODER_DELAY - samples
        stream = Stream(body, frames, padding, sample_rate, bitrate)
        if body.stat().st_size != frames * frame_length(sample_rate, bitrate):
            raise RuntimeError(f"LAME wrote an unexpected number of frames for {path}")
        _write_mp3(path, stream, id3_tag(id3_frames(tags, chapters, stream.seconds)))
    return stream.seconds


def read_stream(path: str | Path) -> tuple[int, Stream]:
    """Where an MP3 of ours has its audio frames, and its Info frame's counts."""
    with open(path, "rb") as f:
        start = _frames_start(f)
        f.seek(start)
        first = f.read(4 + 9 + 120 + 36)
    if len(first) < 169 or not is_info_frame(first):
        raise ValueError(f"{path} has no Info frame: it was not written by speak")
    rate, bitrate = frame_format(first[:4])
    frames = int.from_bytes(first[21:25], "big")
    delay_padding = int.from_bytes(first[13 + 120 + 21 : 13 + 120 + 24], "big")
    info_length = frame_length(rate, bitrate)
    return start + info_length, Stream(Path(path), frames, delay_padding & 0xFFF, rate, bitrate)


def _frames_start(f: BinaryIO) -> int:
    """Where an open MP3 file's frames begin: after its ID3v2 tag, if any."""
    head = f.read(10)
    if head[:3] != b"ID3":
        return 0
    size = 0
    for byte in head[6:10]:  # syncsafe integer: 7 bits a byte
        size = (size << 7) | (byte & 0x7F)
    return 10 + size


def join_mp3(
    parts: Iterable[tuple[str | Path, str, str]], path: str | Path, *, tags: Tags
) -> list[Chapter]:
    """Join our MP3s ``(path, chapter id, chapter title)`` frame by frame (no re-encoding)
    into one with a chapter per part; return the chapters.

    Each part keeps its encoder delay and padding inside the joined file (about 70 ms of
    silence between parts); the joined file's Info frame removes the first part's delay and
    the last part's padding. A part's audio is heard at the sum of the earlier parts' whole
    frames, which is where its chapter starts.
    """
    parts = list(parts)
    chapters: list[Chapter] = []
    frames, t, last = 0, 0.0, None
    with scratch_path(path, ".frames") as body:
        with open(body, "wb") as out:
            for part, chapter_id, title in parts:
                start, stream = read_stream(part)
                with open(part, "rb") as src:
                    src.seek(start)
                    shutil.copyfileobj(src, out, COPY_CHUNK)
                chapters.append(Chapter(chapter_id, title, t, t + stream.frame_seconds))
                t += stream.frame_seconds
                frames += stream.frames
                last = stream
        if last is None:
            raise ValueError("nothing to join")
        joined = Stream(body, frames, last.padding, last.sample_rate, last.bitrate)
        if chapters:
            end = chapters[-1]
            chapters[-1] = Chapter(end.id, end.title, end.start, joined.seconds)
        _write_mp3(path, joined, id3_tag(id3_frames(tags, chapters, joined.seconds)))
    return chapters


def stream_mp3(path: str | Path, frames: int = 1 << 16) -> Iterator[bytes]:
    """Decode an MP3 in pieces to mono 16-bit PCM at its own sample rate (constant memory)."""
    import miniaudio

    rate = miniaudio.get_file_info(str(path)).sample_rate
    for block in miniaudio.stream_file(
        str(path),
        output_format=miniaudio.SampleFormat.SIGNED16,
        nchannels=1,
        sample_rate=rate,
        frames_to_read=frames,
    ):
        if sys.byteorder == "big":
            block.byteswap()
        yield block.tobytes()


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
