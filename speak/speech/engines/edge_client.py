"""One request to the Edge TTS service through edge-tts, with bounded retries and clear errors.

edge-tts already answers one 403 by correcting its clock from the server's ``Date`` header
(``DRM.clock_skew_seconds``) and trying once more. We retry around it with a fresh
``Communicate`` each time and never touch the clock ourselves, so the two never correct twice.
The correction is synchronous inside one event loop, so concurrent 403s correct it once.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass
from typing import TypeVar

import aiohttp
import edge_tts
from edge_tts import exceptions as edge_errors

from speak.errors import EngineError, EngineUnavailable

TICKS_PER_SECOND = 10_000_000  # boundary offsets and durations come in 100 ns ticks
RETRY_STATUSES = {403, 429, 500, 502, 503, 504}
STATUS_MEANING = {
    403: "refused (check the system clock, or update edge-tts)",
    429: "too many requests",
    503: "service unavailable",
}

Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")


class ServiceUnreachable(EngineUnavailable):
    """The service's host cannot be resolved or connected to (offline, firewall, DNS)."""


class StreamTruncated(Exception):
    """The connection ended before the service said ``turn.end``: the audio is partial."""


@dataclass(frozen=True)
class Boundary:
    """A sentence or word boundary event, in seconds from the start of the clip."""

    kind: str  # "SentenceBoundary" | "WordBoundary"
    offset: float
    duration: float
    text: str


@dataclass(frozen=True)
class ServiceAudio:
    """What one successful request returned."""

    mp3: bytes
    boundaries: tuple[Boundary, ...]


@dataclass(frozen=True)
class Request:
    """One request: a piece of text no longer than the service's limit, and the voice."""

    text: str
    voice: str  # e.g. "zh-TW-HsiaoChenNeural"
    rate: str = "+0%"
    pitch: str = "+0Hz"
    volume: str = "+0%"
    boundary: str = "SentenceBoundary"
    connect_timeout: int = 10
    receive_timeout: int = 60


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: ``base * 2**(n-1)``, capped, times 0.5-1.0."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    offline_attempts: int = 2  # a host that cannot be reached gets one quick retry

    def delay(self, attempt: int, rng: random.Random, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        wait = ceiling * (0.5 + rng.random() / 2)
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_delay))
        return wait


def one_line(text: object) -> str:
    """Collapse whitespace so a message stays on one line."""
    return " ".join(str(text).split())


def offline_message(reason: str) -> str:
    return (
        f"edge: cannot reach the Edge TTS service ({reason}); check the "
        "network connection, or use --engine espeak, which works offline"
    )


async def fetch_audio(request: Request) -> ServiceAudio:
    """One attempt: stream audio and boundaries; raise if the stream ends early."""
    communicate = edge_tts.Communicate(
        request.text,
        request.voice,
        rate=request.rate,
        pitch=request.pitch,
        volume=request.volume,
        boundary=request.boundary,  # type: ignore[arg-type]
        connect_timeout=request.connect_timeout,
        receive_timeout=request.receive_timeout,
    )
    audio = bytearray()
    boundaries: list[Boundary] = []
    async with aclosing(communicate.stream()) as chunks:
        async for chunk in chunks:
            if chunk["type"] == "audio":
                audio += chunk["data"]
            else:
                boundaries.append(
                    Boundary(
                        kind=chunk["type"],
                        offset=chunk["offset"] / TICKS_PER_SECOND,
                        duration=chunk["duration"] / TICKS_PER_SECOND,
                        text=chunk["text"],
                    )
                )
    # edge-tts moves a request's byte count into cumulative_audio_bytes only on turn.end;
    # a connection closed mid-stream ends its loop quietly and leaves bytes behind.
    state = communicate.state
    if state["chunk_audio_bytes"] or state["cumulative_audio_bytes"] != len(audio):
        raise StreamTruncated(f"connection closed after {len(audio)} bytes of audio")
    return ServiceAudio(bytes(audio), tuple(boundaries))


def classify(error: BaseException) -> tuple[str, str, float | None]:
    """(kind, reason, retry_after) with kind "offline", "retry" or "fatal"."""
    if isinstance(error, aiohttp.ClientConnectorError):
        return "offline", f"{error.host}:{error.port}: {error.strerror or error.os_error}", None
    if isinstance(error, aiohttp.ConnectionTimeoutError):
        return "offline", one_line(error), None
    if isinstance(error, aiohttp.ClientResponseError):
        reason = f"HTTP {error.status} {STATUS_MEANING.get(error.status, '')}".strip()
        if error.status not in RETRY_STATUSES:
            return "fatal", reason + "; edge-tts may need an update", None
        return "retry", reason, _retry_after(error)
    if isinstance(error, edge_errors.SkewAdjustmentError):
        return "retry", f"HTTP 403 and {one_line(error)}", None
    if isinstance(error, edge_errors.NoAudioReceived):
        return "retry", "the service sent no audio", None
    if isinstance(error, StreamTruncated):
        return "retry", f"dropped connection: {error}", None
    if isinstance(error, edge_errors.WebSocketError | aiohttp.ClientError | TimeoutError):
        return "retry", f"dropped connection: {one_line(error) or type(error).__name__}", None
    if isinstance(error, edge_errors.EdgeTTSException):
        return "fatal", f"unexpected reply ({one_line(error)}); edge-tts may need an update", None
    return "fatal", f"{type(error).__name__}: {one_line(error)}", None


def _retry_after(error: aiohttp.ClientResponseError) -> float | None:
    value = (error.headers or {}).get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


async def with_retries(
    call: Callable[[], Awaitable[T]],
    label: str,
    policy: RetryPolicy,
    *,
    rng: random.Random | None = None,
    sleep: Sleep = asyncio.sleep,
) -> T:
    """Await ``call()`` until it succeeds; raise EngineError (one line, naming ``label``)."""
    rng = rng or random.Random()
    offline_failures = 0
    for attempt in range(1, policy.attempts + 1):
        try:
            return await call()
        except Exception as error:  # classified below and re-raised as EngineError
            kind, reason, retry_after = classify(error)
            if kind == "fatal":
                raise EngineError(f"edge: {label}: {reason}") from error
            if kind == "offline":
                offline_failures += 1
                if offline_failures >= policy.offline_attempts:
                    raise ServiceUnreachable(offline_message(reason)) from error
            if attempt == policy.attempts:
                raise EngineError(
                    f"edge: {label} failed after {attempt} attempts ({reason}); try again later "
                    "or use --engine espeak"
                ) from error
            await sleep(policy.delay(attempt, rng, retry_after))
    raise AssertionError("unreachable")  # pragma: no cover
