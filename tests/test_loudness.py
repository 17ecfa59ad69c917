"""The loudness meter against pyloudnorm (an independent EBU R128 implementation), the
true-peak limiter, and the CRC of the LAME tag."""

from __future__ import annotations

import numpy as np
import pyloudnorm
from scipy.signal import resample_poly

from speak.speech.loudness import (
    PCM_CEILING_DBTP,
    integrated_loudness,
    limit,
    normalization_gain,
    normalized,
    true_peak_dbtp,
)
from speak.speech.mp3meta import crc16

RATE = 24_000


def speechlike(seconds: float = 12.0, seed: int = 7) -> np.ndarray:
    """Bursts of band-limited noise with pauses, peaks near full scale (like eSpeak's)."""
    rng = np.random.default_rng(seed)
    n = round(seconds * RATE)
    noise = np.convolve(rng.standard_normal(n), np.ones(6) / 6, mode="same")
    envelope = (np.sin(2 * np.pi * 0.7 * np.arange(n) / RATE) > -0.3).astype(float)
    x = noise * envelope * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * np.arange(n) / RATE) ** 2)
    return 0.95 * x / np.abs(x).max()


def pcm(x: np.ndarray) -> bytes:
    return np.clip(np.rint(x * 32768), -32768, 32767).astype("<i2").tobytes()


def test_meter_agrees_with_pyloudnorm_and_with_itself_in_pieces() -> None:
    x = speechlike()
    data = pcm(x)
    reference = pyloudnorm.Meter(RATE).integrated_loudness(np.frombuffer(data, "<i2") / 32768)
    whole = integrated_loudness([data], RATE)
    pieces = integrated_loudness(
        [data[k : k + 7777 * 2] for k in range(0, len(data), 7777 * 2)], RATE
    )
    assert abs(whole - reference) < 0.2  # same standard, filters designed a little differently
    assert abs(whole - pieces) < 1e-9


def test_normalized_pcm_meets_the_target_under_the_ceiling() -> None:
    data = pcm(speechlike())
    chunks = [data[k : k + RATE * 2] for k in range(0, len(data), RATE * 2)]
    gain = normalization_gain(lambda: chunks, RATE, target=-16.0)
    out = b"".join(normalized(chunks, gain, RATE))
    y = np.frombuffer(out, "<i2") / 32768
    assert true_peak_dbtp(y) <= PCM_CEILING_DBTP + 0.01
    # Loud peaks were limited, so the result is a little under the target, not far.
    assert -17.0 < pyloudnorm.Meter(RATE).integrated_loudness(y) <= -15.9


def test_limiter_holds_inter_sample_peaks() -> None:
    # A tone at a quarter of the rate, phased so its peaks fall between samples: the sample
    # peak is 3 dB under the true peak.
    t = np.arange(RATE) / RATE
    x = 0.99 * np.sin(2 * np.pi * RATE / 4 * t + np.pi / 4)
    assert 20 * np.log10(np.abs(x).max()) < -2.9
    y = limit(x, 10 ** (-2.0 / 20), RATE)
    true_peak = 20 * np.log10(np.abs(resample_poly(y, 4, 1)[400:-400]).max())
    assert true_peak <= -1.99


def test_crc16_of_the_lame_tag() -> None:
    assert crc16(b"123456789") == 0xBB3D  # CRC-16/ARC check value
    data = bytes(range(256)) * 40 + b"tail"
    assert crc16(data) == crc16(data[5000:], crc16(data[:5000]))


def test_oversampled_peaks_are_resample_polys() -> None:
    from speak.speech.loudness import oversampled_peaks

    x = speechlike(2.0)
    up = resample_poly(x, 4, 1).reshape(-1, 4)[:, 1:]
    assert np.allclose(oversampled_peaks(x), np.abs(up).max(axis=1), atol=1e-12)


def test_numpy_filters_equal_scipys() -> None:
    from scipy.ndimage import minimum_filter1d, uniform_filter1d
    from scipy.signal import lfilter

    from speak.speech.loudness import k_response, k_weighting, running_mean, running_min

    x = speechlike(1.0)
    for width in (1, 3, 241):
        assert np.array_equal(running_min(x, width), minimum_filter1d(x, width, mode="nearest"))
        assert np.allclose(running_mean(x, width), uniform_filter1d(x, width, mode="nearest"))
    b1, a1, b2, a2 = k_weighting(RATE)
    impulse = np.zeros(4096)
    impulse[0] = 1.0
    assert np.allclose(k_response(RATE), lfilter(b2, a2, lfilter(b1, a1, impulse)), atol=1e-14)
