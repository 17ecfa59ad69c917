"""Loudness normalization of speech: an EBU R128 / ITU-R BS.1770-4 meter that streams, and a
true-peak limiter.

Every MP3 is brought to ``TARGET_LUFS`` (−19 LUFS integrated, the usual target for spoken-word
podcasts, e.g. Apple's and AES TD1004's −16 to −20 range for speech) with its true peak (the
peak between samples, found by 4x oversampling as BS.1770-4 Annex 2 describes) held under
``CEILING_DBTP``. The PCM is limited a little under the ceiling (``PCM_CEILING_DBTP``) because
MP3 coding adds overshoot: the files are measured after decoding (tests/test_audio.py).

PCM here is mono signed 16-bit little-endian, as everywhere in ``speak.speech``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from functools import cache

import numpy as np

TARGET_LUFS = -19.0
METHOD = (
    "bs1770-4, gain checked on the decoded MP3, polyphase true peak"  # in the encoded-MP3 cache key
)
CODING_ALLOWANCE = 0.5  # LU the limiter and 64 kbps MP3 coding take off speech (eSpeak, measured)
TOLERANCE = 0.2  # LU: an encoded file further than this from the target is encoded again
CEILING_DBTP = -1.0
PCM_CEILING_DBTP = -2.0  # room for the MP3 coder's overshoot (measured: at most about 0.6 dB)
OVERSAMPLE = 4  # BS.1770-4 Annex 2: 4x oversampling for true peak at 48 kHz and below
HOT_MARGIN_DB = 4.0  # a chunk this far under the ceiling is not oversampled
LIMITER_WINDOW = 0.005  # s: the limiter's gain reaches its floor this long before a peak
FULL_SCALE = 32768.0


def k_weighting(rate: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """BS.1770's K-weighting (a high shelf, then a high pass) for any sample rate.

    The two biquads' analogue prototypes (centre frequency, gain, Q) are the ones that give
    BS.1770's published 48 kHz coefficients exactly; the bilinear transform carries them to
    ``rate``. Returns ``(b1, a1, b2, a2)``.
    """
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    b1 = np.array([vh + vb * k / q + k * k, 2 * (k * k - vh), vh - vb * k / q + k * k]) / a0
    a1 = np.array([a0, 2 * (k * k - 1), 1 - k / q + k * k]) / a0
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    b2 = np.array([1.0, -2.0, 1.0])
    a2 = np.array([a0, 2 * (k * k - 1), 1 - k / q + k * k]) / a0
    return b1, a1, b2, a2


K_RESPONSE = 4096  # samples of K-weighting's impulse response kept (the rest is < 1e-18)


@cache
def k_response(rate: int, length: int = K_RESPONSE) -> np.ndarray:
    """The impulse response of K-weighting at ``rate``: both biquads run on a unit impulse.

    At 24 kHz the energy after 4096 samples is under 1e-35 of the whole (the tail is checked
    for any rate), so convolving with it is the recursive filter to double precision.
    """
    b1, a1, b2, a2 = k_weighting(rate)
    h = np.zeros(length)
    h[0] = 1.0
    for b, a in ((b1, a1), (b2, a2)):
        out = np.zeros(length)
        x1 = x2 = y1 = y2 = 0.0
        for n, x0 in enumerate(h.tolist()):
            y0 = b[0] * x0 + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2
            out[n] = y0
            x2, x1, y2, y1 = x1, x0, y1, y0
        h = out
    tail = float(np.abs(h[-64:]).max())
    if tail > 1e-12:
        raise ValueError(f"K-weighting at {rate} Hz needs more than {length} samples")
    return h


def _fft_size(n: int) -> int:
    return 1 << (n - 1).bit_length()


class LoudnessMeter:
    """Integrated loudness (LUFS) of PCM fed in pieces, in constant memory per second.

    BS.1770-4: K-weighted mean square over 400 ms blocks overlapping by 75 %, an absolute
    gate at −70 LUFS and a relative gate 10 LU under the loudness of the blocks that pass it.
    K-weighting is a convolution with its impulse response (``k_response``), done by FFT and
    carried from piece to piece (overlap-add), so feeding a signal in any pieces gives the
    same result as feeding it whole; numpy alone, no signal-processing library.
    """

    def __init__(self, rate: int):
        self.rate = rate
        self._h = k_response(rate)
        self._carry = np.zeros(len(self._h) - 1)  # the filter's output still to come
        self._step = round(rate * 0.1)  # 100 ms: a quarter block
        self._pending = np.zeros(0)
        self._quarters: list[float] = []  # sum of squares of each whole 100 ms

    def add(self, pcm: bytes) -> None:
        """Feed 16-bit PCM."""
        x = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / FULL_SCALE
        if not len(x):
            return
        full = len(x) + len(self._h) - 1
        size = _fft_size(full)
        y = np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(self._h, size), size)[:full]
        y[: len(self._carry)] += self._carry
        done, self._carry = y[: len(x)], y[len(x) :]
        if len(self._carry) < len(self._h) - 1:  # a piece shorter than the response
            self._carry = np.pad(self._carry, (0, len(self._h) - 1 - len(self._carry)))
        y = np.concatenate([self._pending, done])
        whole = len(y) // self._step * self._step
        squares = (y[:whole] ** 2).reshape(-1, self._step).sum(axis=1)
        self._quarters.extend(squares.tolist())
        self._pending = y[whole:]

    def integrated(self) -> float:
        """Integrated loudness in LUFS (−inf for silence or under 400 ms of signal)."""
        q = np.asarray(self._quarters)
        if len(q) < 4:
            return -math.inf
        blocks = (q[:-3] + q[1:-2] + q[2:-1] + q[3:]) / (4 * self._step)
        with np.errstate(divide="ignore"):
            loudness = -0.691 + 10 * np.log10(blocks)
        blocks = blocks[loudness > -70.0]
        if not len(blocks):
            return -math.inf
        relative = -0.691 + 10 * math.log10(blocks.mean()) - 10.0
        with np.errstate(divide="ignore"):
            kept = blocks[-0.691 + 10 * np.log10(blocks) > relative]
        return -0.691 + 10 * math.log10(kept.mean())


def integrated_loudness(chunks: Iterable[bytes], rate: int) -> float:
    """Integrated loudness (LUFS) of 16-bit PCM given in pieces."""
    meter = LoudnessMeter(rate)
    for chunk in chunks:
        meter.add(chunk)
    return meter.integrated()


@cache
def _phases() -> tuple[tuple[int, np.ndarray], ...]:
    """The 4x oversampling low-pass (the design scipy's ``resample_poly`` uses: a windowed
    sinc of 81 taps cut at a quarter band, Kaiser window beta 5, unit gain at DC, times 4),
    split into its polyphase parts: per phase, (first tap's lag, taps)."""
    half = 10 * OVERSAMPLE
    lags = np.arange(2 * half + 1) - half
    h = np.sinc(lags / OVERSAMPLE) / OVERSAMPLE * np.kaiser(2 * half + 1, 5.0)
    h = h / h.sum() * OVERSAMPLE
    phases = []
    for phase in range(1, OVERSAMPLE):  # phase 0: the samples themselves
        lags = [k for k in range(-half, half + 1) if 0 <= OVERSAMPLE * k + phase + half <= 2 * half]
        taps = np.array([h[OVERSAMPLE * k + phase + half] for k in lags])
        phases.append((lags[0], taps))
    return tuple(phases)


def oversampled_peaks(x: np.ndarray) -> np.ndarray:
    """Per sample, the largest magnitude at the 3 points 4x oversampling puts between it and
    the next sample (what ``scipy.signal.resample_poly(x, 4, 1)`` gives there)."""
    peaks = np.zeros(len(x))
    for first, taps in _phases():
        between = np.convolve(x, taps)[-first : -first + len(x)]
        np.maximum(peaks, np.abs(between), out=peaks)
    return peaks


def true_peak_envelope(x: np.ndarray, floor: float = 0.0) -> np.ndarray:
    """Per sample, the largest magnitude of the signal at it and up to the next sample, from
    4x oversampling (a polyphase low-pass).

    A signal that stays ``HOT_MARGIN_DB`` under ``floor`` is not oversampled: its sample
    magnitudes stand in, since speech overshoots its samples by well under that between them.
    ``floor`` 0 always oversamples.
    """
    envelope = np.abs(x)
    if not len(x) or envelope.max() <= floor * 10 ** (-HOT_MARGIN_DB / 20):
        return envelope
    return np.maximum(envelope, oversampled_peaks(x))


def true_peak_dbtp(x: np.ndarray) -> float:
    """True peak of float samples (full scale 1.0) in dBTP."""
    peak = float(true_peak_envelope(x).max()) if len(x) else 0.0
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def _edge_padded(x: np.ndarray, width: int) -> np.ndarray:
    """``x`` with its first and last values repeated ``width // 2`` times outside it."""
    r = width // 2
    return np.concatenate([np.full(r, x[0]), x, np.full(r, x[-1])])


def running_min(x: np.ndarray, width: int) -> np.ndarray:
    """The minimum over a centred window of odd ``width`` at each sample, edges repeated
    (van Herk / Gil–Werman: minima from each block's start and end, two per sample)."""
    if not len(x):
        return x
    padded = _edge_padded(x, width)
    blocks = -(-len(padded) // width)
    tiled = np.full(blocks * width, np.inf)
    tiled[: len(padded)] = padded
    tiled = tiled.reshape(blocks, width)
    from_start = np.minimum.accumulate(tiled, axis=1).ravel()
    to_end = np.minimum.accumulate(tiled[:, ::-1], axis=1)[:, ::-1].ravel()
    n = len(x)
    return np.minimum(to_end[:n], from_start[width - 1 : width - 1 + n])


def running_mean(x: np.ndarray, width: int) -> np.ndarray:
    """The mean over a centred window of odd ``width`` at each sample, edges repeated."""
    if not len(x):
        return x
    sums = np.concatenate([[0.0], np.cumsum(_edge_padded(x, width))])
    return (sums[width:] - sums[:-width]) / width


def limit(x: np.ndarray, ceiling: float, rate: int) -> np.ndarray:
    """Gain each sample so the true peak stays under ``ceiling`` (linear), smoothly.

    The gain a sample needs is the ceiling over its true-peak envelope (at most 1). The gain
    curve is the minimum of that over ±``LIMITER_WINDOW``, then averaged over the same span:
    every averaged value is at most what the sample needs, so no peak passes, and the gain
    moves over 10 ms instead of jumping (no clicks). One more pass catches the overshoot of
    the reconstruction filter at the new gain.
    """
    width = 2 * round(LIMITER_WINDOW * rate) + 1
    for _ in range(2):
        envelope = true_peak_envelope(x, ceiling)
        if not len(x) or envelope.max() <= ceiling:
            return x
        need = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-12))
        gain = running_mean(running_min(need, width), width)
        x = x * np.minimum(gain, need)
    return x


def normalized(chunks: Iterable[bytes], gain_db: float, rate: int) -> Iterator[bytes]:
    """Each 16-bit PCM chunk times ``gain_db``, true peaks limited under ``PCM_CEILING_DBTP``.

    Chunks are limited one at a time (a sentence, or a pause): a sentence starts and ends in
    near silence, so no peak straddles two chunks.
    """
    factor = 10 ** (gain_db / 20)
    ceiling = 10 ** (PCM_CEILING_DBTP / 20)
    for chunk in chunks:
        if not chunk.strip(b"\x00"):
            yield chunk
            continue
        x = np.frombuffer(chunk, dtype="<i2").astype(np.float64) * (factor / FULL_SCALE)
        y = limit(x, ceiling, rate) * FULL_SCALE
        yield np.clip(np.rint(y), -32768, 32767).astype("<i2").tobytes()


def normalization_gain(
    source: Callable[[], Iterable[bytes]], rate: int, target: float = TARGET_LUFS
) -> float:
    """dB to add to the PCM ``source()`` streams to bring it to ``target`` (0 for silence).

    Limiting and MP3 coding then take a little off (about half an LU on eSpeak's speech):
    ``speak.speech.render`` measures the encoded file and corrects for that.
    """
    loudness = integrated_loudness(source(), rate)
    return 0.0 if math.isinf(loudness) else target - loudness
