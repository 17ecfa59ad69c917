"""Real MP3 files of a known length for exporter tests that must not depend on an engine."""

from __future__ import annotations

import math
from pathlib import Path

import lameenc

RATE = 24_000


def tone_mp3(seconds: float, path: Path, amplitude: int = 8000) -> Path:
    """Write a 440 Hz tone of ``seconds`` as a mono 24 kHz MP3 at ``path``."""
    pcm = b"".join(
        int(amplitude * math.sin(2 * math.pi * 440 * i / RATE)).to_bytes(2, "little", signed=True)
        for i in range(int(seconds * RATE))
    )
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(32)
    encoder.set_in_sample_rate(RATE)
    encoder.set_channels(1)
    encoder.set_quality(7)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(encoder.encode(pcm) + encoder.flush())
    return path
