"""Microsoft Edge's online neural voices through edge-tts: one request per sentence-sized piece.

Concurrency: at most ``jobs`` requests are in flight. ``engine.jobs`` (the builder sets it from
``--jobs``) wins; else the preset's ``jobs`` key; else ``DEFAULT_JOBS``.
Clips are the service's MP3 decoded to mono 16-bit PCM at SAMPLE_RATE with miniaudio.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import random
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import edge_tts
import miniaudio
from edge_tts.data_classes import TTSConfig

from speak.errors import EngineError
from speak.model import Clip, Utterance, Voice
from speak.speech.audio import decode_mp3
from speak.speech.engines.base import SAMPLE_RATE, register
from speak.speech.engines.edge_client import (
    Boundary,
    Request,
    RetryPolicy,
    Sleep,
    fetch_audio,
    one_line,
    with_retries,
)
from speak.speech.engines.edge_text import (
    MAX_REQUEST_BYTES,
    is_speakable,
    prosody,
    split_for_service,
    spoken_text,
)

CODE_VERSION = "1"  # bump when the same input could sound different
DEFAULT_JOBS = 4  # a few requests at once; many more invite 429 throttling

T = TypeVar("T")


@dataclass(frozen=True)
class EdgeClip(Clip):
    """A Clip plus the service's boundary events, in seconds from the start of the clip."""

    boundaries: tuple[Boundary, ...] = ()


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from synchronous code, even inside a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def gather_or_cancel(awaitables: Iterable[Awaitable[T]]) -> list[T]:
    """Like asyncio.gather, but the first failure cancels the rest before it propagates."""
    tasks = [asyncio.ensure_future(a) for a in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def sentence_label(utterance: Utterance) -> str:
    """How errors name a sentence: its id and the start of its text."""
    text = one_line(utterance.text)
    excerpt = text if len(text) <= 16 else text[:16] + "…"
    return f"sentence {utterance.sentence_id} “{excerpt}”"


def join_pieces(pieces: list[tuple[bytes, tuple[Boundary, ...]]]) -> EdgeClip:
    """One clip from consecutive pieces; boundary offsets shifted to the clip's timeline."""
    pcm = bytearray()
    boundaries: list[Boundary] = []
    for audio, events in pieces:
        shift = len(pcm) / 2 / SAMPLE_RATE
        boundaries.extend(Boundary(b.kind, b.offset + shift, b.duration, b.text) for b in events)
        pcm += audio
    return EdgeClip(bytes(pcm), SAMPLE_RATE, boundaries=tuple(boundaries))


@register("edge")
class EdgeEngine:
    """The `edge` engine: online, neural, no phonemes (speaks ``Utterance.say`` when given)."""

    name = "edge"
    speaks_readings = False  # the service takes text only: it is sent Utterance.say

    def __init__(
        self,
        jobs: int | None = None,
        retry: RetryPolicy | None = None,
        *,
        max_bytes: int = MAX_REQUEST_BYTES,
        boundary: str = "SentenceBoundary",
        connect_timeout: int = 10,
        receive_timeout: int = 60,
    ) -> None:
        self.jobs = jobs
        self.retry = retry or RetryPolicy()
        self.max_bytes = max_bytes
        self.boundary = boundary
        self.connect_timeout = connect_timeout
        self.receive_timeout = receive_timeout
        self.on_clip: Callable[[int, Clip], None] | None = None  # called as each clip is done
        self.rng = random.Random()
        self.sleep: Sleep = asyncio.sleep

    @property
    def version(self) -> str:
        return f"edge-tts {edge_tts.__version__}; speak-edge {CODE_VERSION}"

    def concurrency(self, voice: Voice) -> int:
        """Requests allowed in flight: engine.jobs, else the preset's `jobs`, else default."""
        jobs = self.jobs if self.jobs is not None else voice.extra.get("jobs", DEFAULT_JOBS)
        if not isinstance(jobs, int) or jobs < 1:
            raise EngineError(f"edge: jobs must be a whole number of at least 1, not {jobs!r}")
        return jobs

    def notices(self, utterances: list[Utterance]) -> list[str]:
        """Nothing to report: it says all of the text it is given."""
        return []

    def synthesize(self, utterances: list[Utterance], voice: Voice) -> list[Clip]:
        """One clip per utterance, in order; raise EngineError on the first that fails."""
        return list(run_sync(self._synthesize(list(utterances), voice)))

    def requests_for(self, utterance: Utterance, voice: Voice) -> list[Request]:
        """The requests that speak one utterance (none when there is nothing to say)."""
        text = spoken_text(utterance)
        if not is_speakable(text):
            return []
        rate, pitch, volume = prosody(voice)
        return [
            Request(
                piece,
                voice.voice,
                rate=rate,
                pitch=pitch,
                volume=volume,
                boundary=self.boundary,
                connect_timeout=self.connect_timeout,
                receive_timeout=self.receive_timeout,
            )
            for piece in split_for_service(text, self.max_bytes)
        ]

    def check_voice(self, voice: Voice) -> None:
        """Fail before any request when the preset's settings cannot be sent."""
        rate, pitch, volume = prosody(voice)
        try:
            TTSConfig(voice.voice, rate, volume, pitch, self.boundary)  # type: ignore[arg-type]
        except (TypeError, ValueError) as error:
            problem = one_line(error).rstrip(".")
            raise EngineError(
                f"edge: voice preset {voice.name!r}: {problem}; use an Edge voice id such as "
                "zh-TW-HsiaoChenNeural (see `speak voices`)"
            ) from None

    async def _synthesize(self, utterances: list[Utterance], voice: Voice) -> list[EdgeClip]:
        self.check_voice(voice)
        in_flight = asyncio.Semaphore(self.concurrency(voice))

        async def piece(request: Request, label: str) -> tuple[bytes, tuple[Boundary, ...]]:
            async with in_flight:
                audio = await with_retries(
                    lambda: fetch_audio(request), label, self.retry, rng=self.rng, sleep=self.sleep
                )
            try:
                pcm, _ = await asyncio.to_thread(decode_mp3, audio.mp3, SAMPLE_RATE)
                return pcm, audio.boundaries
            except miniaudio.DecodeError:
                raise EngineError(
                    f"edge: {label}: the service sent audio that cannot be decoded; try again"
                ) from None

        async def clip(index: int, utterance: Utterance) -> EdgeClip:
            label = sentence_label(utterance)
            requests = self.requests_for(utterance, voice)
            result = join_pieces(await gather_or_cancel(piece(r, label) for r in requests))
            if self.on_clip is not None:
                self.on_clip(index, result)
            return result

        return await gather_or_cancel(clip(i, u) for i, u in enumerate(utterances))


def list_voices(locale_prefix: str = "zh-", retry: RetryPolicy | None = None) -> list[dict]:
    """The service's voices (edge-tts' dicts: ShortName, Locale, Gender, FriendlyName, ...)
    whose Locale starts with ``locale_prefix``, sorted by Locale then ShortName."""
    policy = retry or RetryPolicy(attempts=2, base_delay=0.3)
    voices = run_sync(with_retries(edge_tts.list_voices, "listing voices", policy))
    found = [dict(v) for v in voices if str(v.get("Locale", "")).startswith(locale_prefix)]
    return sorted(found, key=lambda v: (v["Locale"], v["ShortName"]))
