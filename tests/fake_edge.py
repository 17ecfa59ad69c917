"""A local stand-in for the Edge TTS service that speaks its websocket protocol.

It checks what edge-tts sends (URL parameters, the Sec-MS-GEC token against its own clock,
``speech.config`` then ``ssml`` text frames) and answers like the service: ``turn.start``,
``response``, ``audio.metadata`` frames with boundary offsets in 100 ns ticks, binary audio
frames (2-byte big-endian header length, CRLF-separated headers with ``Path:audio`` last, then
real 48 kbps mono MP3 at 24 kHz made with lameenc), an empty closing audio frame, ``turn.end``.

Per connection it can instead follow a script: "403", "429", "503" (refuse the handshake),
"drop" (close the socket after half the audio), "reset" (abort TCP after half the audio),
"silent" (turn.start then turn.end, no audio). ``clock_skew`` sets the server clock off the
real one, so tokens made from the client's clock are refused with 403 and a ``Date`` header.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections import deque
from dataclasses import dataclass, field
from email.utils import formatdate
from xml.sax.saxutils import escape

import lameenc
import numpy as np
from aiohttp import WSMsgType, web
from edge_tts.constants import TRUSTED_CLIENT_TOKEN
from edge_tts.drm import generate_sec_ms_gec_v2

SAMPLE_RATE = 24_000
FRAME_SAMPLES = 576  # one MPEG-2 layer III frame
FRAME_BYTES = 144  # at 48 kbps and 24 kHz, no padding
TICKS = 10_000_000
LEAD_SILENCE = 0.1  # seconds before the first sentence, like the service
WSS_PATH = "/consumer/speech/synthesize/readaloud/edge/v1"
VOICES_PATH = "/consumer/speech/synthesize/readaloud/voices/list"
SSML_NS = "{http://www.w3.org/2001/10/synthesis}"
MAX_TEXT_BYTES = 4096
VOICES = [
    ("zh-TW", "HsiaoChenNeural", "Female"),
    ("zh-TW", "YunJheNeural", "Male"),
    ("zh-TW", "HsiaoYuNeural", "Female"),
    ("zh-CN", "XiaoxiaoNeural", "Female"),
    ("zh-CN", "YunxiNeural", "Male"),
    ("zh-CN", "YunjianNeural", "Male"),
    ("en-US", "EmmaMultilingualNeural", "Female"),
]
_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]*")


def long_voice_name(locale: str, name: str) -> str:
    return f"Microsoft Server Speech Text to Speech Voice ({locale}, {name})"


@dataclass
class Served:
    """What the server saw and sent on one synthesis connection."""

    text: str  # the text, unescaped
    text_bytes: int  # bytes of the escaped text in the SSML
    voice: str
    rate: str
    pitch: str
    volume: str
    boundary: str  # "SentenceBoundary" | "WordBoundary"
    behaviour: str
    frames: int = 0  # MP3 frames sent (partial when the connection was dropped)
    events: list[dict] = field(default_factory=list)  # boundary events sent


class FakeEdge:
    """Run with ``start()`` / ``stop()``; point edge-tts at ``wss_url`` and ``voices_url``."""

    def __init__(self, *, seconds_per_char: float = 0.04, hold: float = 0.0) -> None:
        self.seconds_per_char = seconds_per_char
        self.hold = hold  # seconds to wait before answering (makes requests overlap)
        self.clock_skew = 0.0  # server clock minus real clock, in seconds
        self.retry_after: str | None = None  # Retry-After header on 429/503
        self.script: deque[str] = deque()
        self.served: list[Served] = []
        self.handshakes: list[int] = []  # HTTP status of every websocket handshake
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self._rendered: dict[tuple[str, float], tuple[bytes, list]] = {}

    # -- lifecycle ------------------------------------------------------------------------
    @property
    def wss_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{WSS_PATH}?TrustedClientToken={TRUSTED_CLIENT_TOKEN}"

    @property
    def voices_url(self) -> str:
        return (
            f"http://127.0.0.1:{self.port}{VOICES_PATH}?trustedclienttoken={TRUSTED_CLIENT_TOKEN}"
        )

    def start(self) -> FakeEdge:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake Edge server did not start")
        return self

    def stop(self) -> None:
        if self._loop and self._runner:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(10)

    def _serve(self, ready: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_get(WSS_PATH, self._synthesis)
        app.router.add_get(VOICES_PATH, self._voices)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = self._runner.addresses[0][1]
        ready.set()
        self._loop.run_forever()
        self._loop.close()

    def push(self, *behaviours: str) -> None:
        """Script the next connections, in order; after them every connection succeeds."""
        self.script.extend(behaviours)

    # -- request checks -------------------------------------------------------------------
    def now(self) -> float:
        return time.time() + self.clock_skew

    def token_ok(self, token: str) -> bool:
        """The Sec-MS-GEC token must match this server's clock (this or the last 5 minutes)."""
        now = self.now()
        return token in {generate_sec_ms_gec_v2(now), generate_sec_ms_gec_v2(now - 300)}

    def _refusal(self, request: web.Request) -> web.Response | None:
        query = request.query
        if query.get("TrustedClientToken", query.get("trustedclienttoken")) != TRUSTED_CLIENT_TOKEN:
            return web.Response(status=401, text="bad TrustedClientToken")
        if not re.fullmatch(r"\d+-[\d.]+", query.get("Sec-MS-GEC-Version", "")):
            return web.Response(status=400, text="missing Sec-MS-GEC-Version")
        if not re.fullmatch(r"[0-9a-f]{32}", query.get("ConnectionId", "0" * 32)):
            return web.Response(status=400, text="bad ConnectionId")
        if not self.token_ok(query.get("Sec-MS-GEC", "")):
            return web.Response(status=403, headers={"Date": formatdate(self.now(), usegmt=True)})
        return None

    # -- voices list ----------------------------------------------------------------------
    async def _voices(self, request: web.Request) -> web.Response:
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        voices = [
            {
                "Name": long_voice_name(locale, name),
                "ShortName": f"{locale}-{name}",
                "Gender": gender,
                "Locale": locale,
                "SuggestedCodec": "audio-24khz-48kbitrate-mono-mp3",
                "FriendlyName": f"Microsoft {name} Online (Natural) - {locale}",
                "Status": "GA",
                "VoiceTag": {"ContentCategories": ["General"], "VoicePersonalities": []},
            }
            for locale, name, gender in VOICES
        ]
        return web.json_response(voices)

    # -- synthesis ------------------------------------------------------------------------
    async def _synthesis(self, request: web.Request) -> web.StreamResponse:
        refusal = self._refusal(request)
        if refusal is None:
            with self._lock:
                behaviour = self.script.popleft() if self.script else "ok"
            if behaviour in ("403", "429", "503"):
                headers = {"Date": formatdate(self.now(), usegmt=True)}
                if behaviour != "403" and self.retry_after is not None:
                    headers["Retry-After"] = self.retry_after
                refusal = web.Response(status=int(behaviour), headers=headers)
        if refusal is not None:
            self.handshakes.append(refusal.status)
            return refusal
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.handshakes.append(101)
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        left = False

        def leave() -> None:
            nonlocal left
            if not left:
                left = True
                with self._lock:
                    self.active -= 1

        try:
            await self._converse(ws, request, behaviour, leave)
        finally:
            leave()
        return ws

    async def _converse(self, ws, request, behaviour, leave) -> None:
        config = await _text_frame(ws)
        if config is None or config[0].get("Path") != "speech.config":
            await ws.close(code=1002, message=b"expected speech.config")
            return
        options = json.loads(config[1])["context"]["synthesis"]["audio"]["metadataoptions"]
        word = options.get("wordBoundaryEnabled") == "true"
        ssml = await _text_frame(ws)
        if ssml is None or ssml[0].get("Path") != "ssml":
            await ws.close(code=1002, message=b"expected ssml")
            return
        served = _parse_ssml(ssml[1], behaviour, word)
        self.served.append(served)
        rid = ssml[0].get("X-RequestId", uuid.uuid4().hex)
        await ws.send_str(_text("turn.start", rid, '{"context":{"serviceTag":"fake"}}'))
        if self.hold:
            await asyncio.sleep(self.hold)
        known = {long_voice_name(loc, name) for loc, name, _ in VOICES}
        if behaviour == "silent" or served.voice not in known or served.text_bytes > 4096:
            leave()
            await ws.send_str(_text("turn.end", rid, "{}"))
            await _drain(ws)
            return
        await ws.send_str(_text("response", rid, '{"context":{"serviceTag":"fake"}}'))
        mp3, spans = self.render(served.text)
        events = _boundary_events(spans, word)
        total_frames = len(mp3) // FRAME_BYTES
        stop_at = total_frames // 2 if behaviour in ("drop", "reset") else total_frames
        sent = 0
        for event in events:
            if sent >= stop_at:
                break
            await ws.send_str(_text("audio.metadata", rid, json.dumps({"Metadata": [event]})))
            served.events.append(event)
            end_tick = event["Data"]["Offset"] + event["Data"]["Duration"]
            upto = min(stop_at, math.ceil(end_tick / TICKS * SAMPLE_RATE / FRAME_SAMPLES))
            for first in range(sent, upto, 7):  # a few frames per message, like the service
                last = min(first + 7, upto)
                await ws.send_bytes(_audio(rid, mp3[first * FRAME_BYTES : last * FRAME_BYTES]))
            served.frames = max(served.frames, upto)
            sent = max(sent, upto)
        for first in range(sent, stop_at, 7):
            last = min(first + 7, stop_at)
            await ws.send_bytes(_audio(rid, mp3[first * FRAME_BYTES : last * FRAME_BYTES]))
        served.frames = stop_at
        leave()
        if behaviour == "drop":
            await ws.close()
            return
        if behaviour == "reset":
            request.transport.abort()
            return
        await ws.send_bytes(_audio(rid, b""))  # the service's empty closing audio frame
        await ws.send_str(_text("turn.end", rid, "{}"))
        await _drain(ws)

    def render(self, text: str) -> tuple[bytes, list[tuple[str, float, float]]]:
        """MP3 of a tone per sentence (length from its characters) after a lead silence."""
        key = (text, self.seconds_per_char)
        if key not in self._rendered:
            self._rendered[key] = self._render(text)
        return self._rendered[key]

    def _render(self, text: str) -> tuple[bytes, list[tuple[str, float, float]]]:
        pcm = bytearray(_silence(LEAD_SILENCE))
        spans: list[tuple[str, float, float]] = []
        for i, sentence in enumerate(_SENTENCE.findall(text) or [text]):
            seconds = max(1, len(sentence)) * self.seconds_per_char
            start = len(pcm) / 2 / SAMPLE_RATE
            pcm += _tone(seconds, 220.0 + 40.0 * (i % 5))
            spans.append((sentence, start, seconds))
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(48)
        encoder.set_in_sample_rate(SAMPLE_RATE)
        encoder.set_channels(1)
        encoder.set_quality(7)
        mp3 = bytes(encoder.encode(bytes(pcm)) + encoder.flush())
        return mp3, spans


# -- frames -------------------------------------------------------------------------------
def _text(path: str, request_id: str, body: str) -> str:
    return (
        f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
        f"Path:{path}\r\n\r\n{body}"
    )


def _audio(request_id: str, mp3: bytes) -> bytes:
    """A binary audio message; the closing one (no data) carries no Content-Type.

    Layout: header length (2 bytes, big-endian), headers each ending in CRLF, MP3 bytes.
    ``Path`` comes last because edge-tts reads the length bytes as part of the first header.
    """
    headers = [f"X-RequestId:{request_id}", f"X-StreamId:{request_id[:8]}"]
    if mp3:
        headers.append("Content-Type:audio/mpeg")
    headers.append("Path:audio")
    head = "".join(h + "\r\n" for h in headers).encode("ascii")  # the length counts the CRLFs
    return len(head).to_bytes(2, "big") + head + mp3


async def _text_frame(ws: web.WebSocketResponse) -> tuple[dict[str, str], str] | None:
    message = await ws.receive()
    if message.type != WSMsgType.TEXT:
        return None
    head, _, body = message.data.partition("\r\n\r\n")
    headers = dict(line.split(":", 1) for line in head.split("\r\n"))
    return headers, body


async def _drain(ws: web.WebSocketResponse) -> None:
    """Wait for the client to close (edge-tts closes after turn.end)."""
    async for _ in ws:
        pass


def _parse_ssml(ssml: str, behaviour: str, word: bool) -> Served:
    root = ET.fromstring(ssml)
    voice = root.find(f"{SSML_NS}voice")
    prosody = voice.find(f"{SSML_NS}prosody") if voice is not None else None
    if voice is None or prosody is None:
        raise ValueError("SSML without voice/prosody")
    raw = re.search(r"<prosody[^>]*>(.*)</prosody>", ssml, re.S)
    return Served(
        text="".join(prosody.itertext()),
        text_bytes=len(raw.group(1).encode("utf-8")) if raw else 0,
        voice=voice.get("name", ""),
        rate=prosody.get("rate", ""),
        pitch=prosody.get("pitch", ""),
        volume=prosody.get("volume", ""),
        boundary="WordBoundary" if word else "SentenceBoundary",
        behaviour=behaviour,
    )


def _boundary_events(spans, word: bool) -> list[dict]:
    """SentenceBoundary per sentence, or WordBoundary per character, in 100 ns ticks."""
    events = []
    for sentence, start, seconds in spans:
        units = [(sentence, start, seconds)]
        if word:
            chars = [c for c in sentence if c.isalnum()] or [sentence]
            step = seconds / len(chars)
            units = [(c, start + k * step, step) for k, c in enumerate(chars)]
        kind = "WordBoundary" if word else "SentenceBoundary"
        for unit, begin, length in units:
            data = {
                "Offset": round(begin * TICKS),
                "Duration": round(length * TICKS),
                "text": {"Text": escape(unit), "Length": len(unit), "BoundaryType": kind},
            }
            events.append({"Type": kind, "Data": data})
    return events


def _silence(seconds: float) -> bytes:
    return bytes(2 * round(seconds * SAMPLE_RATE))


def _tone(seconds: float, hz: float) -> bytes:
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (6000 * np.sin(2 * np.pi * hz * t)).astype("<i2").tobytes()
