"""Client overhead of the edge engine, as ratios against raw edge-tts in the same run.

A real-time factor against the service would measure Microsoft's servers, and one against the
local fake (tests/fake_edge.py) would measure the fake. What we own is the client: splitting,
retries, concurrency, collection and MP3 decoding. So both clients speak to the same fake
server, one sentence per request, and we report per-sentence wall time of
  raw      edge_tts.Communicate(...).stream(), audio bytes collected (no decoding)
  ours     EdgeEngine(jobs=1).synthesize(...), PCM out (includes decoding)
  decode   decode_mp3 alone on the same audio
and ratios ours/raw, plus jobs=4 vs jobs=1 wall time against a server that holds each
request 200 ms (what bounded concurrency buys when the network is the bottleneck).

Run: cd /work/main && PYTHONPATH=. /work/venv/bin/python bench/edge_rtf.py [--sentences N]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import time
from pathlib import Path

import edge_tts
import edge_tts.communicate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from speak.model import Utterance, Voice  # noqa: E402
from speak.speech.audio import decode_mp3  # noqa: E402
from speak.speech.engines.edge import EdgeEngine  # noqa: E402
from tests.fake_edge import FakeEdge  # noqa: E402

VOICE = Voice("edge-zh-tw-hsiaochen", "edge", "zh-TW-HsiaoChenNeural", "zh-TW")
SPEECH_SECONDS_PER_CHAR = 0.22  # about 4.5 characters a second, like the neural voices


def sample_sentences(count: int) -> list[str]:
    """Sentences of the sample report with the scraped pinyin taken out."""
    text = (ROOT / "samples" / "miit-2022-priorities.txt").read_text(encoding="utf-8")
    text = re.sub(r"\([a-zA-Zü:ü]+\d?\)", "", text)
    sentences = [s.strip() for s in re.findall(r"[^。！？\n]+[。！？]", text) if s.strip()]
    return (sentences * (count // max(1, len(sentences)) + 1))[:count]


async def raw_edge_tts(sentences: list[str]) -> list[bytes]:
    out = []
    for sentence in sentences:
        audio = bytearray()
        async for chunk in edge_tts.Communicate(sentence, VOICE.voice).stream():
            if chunk["type"] == "audio":
                audio += chunk["data"]
        out.append(bytes(audio))
    return out


def timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    sentences = sample_sentences(args.sentences)
    utterances = [
        Utterance(f"s{i:03d}", s, (None,) * len(s), tuple(range(len(s))))
        for i, s in enumerate(sentences)
    ]
    server = FakeEdge(seconds_per_char=SPEECH_SECONDS_PER_CHAR).start()
    edge_tts.communicate.WSS_URL = server.wss_url
    try:
        mp3s = asyncio.run(raw_edge_tts(sentences))  # warm up (and fill the server's cache)
        engine = EdgeEngine(jobs=1)
        raw, ours, decode = [], [], []
        for _ in range(args.rounds):
            raw.append(timed(lambda: asyncio.run(raw_edge_tts(sentences))))
            ours.append(timed(lambda: engine.synthesize(utterances, VOICE)))
            decode.append(timed(lambda: [decode_mp3(m, 24_000) for m in mp3s]))
        raw_s, ours_s, decode_s = (statistics.median(x) for x in (raw, ours, decode))

        server.hold = 0.2
        few = utterances[:12]
        serial = timed(lambda: EdgeEngine(jobs=1).synthesize(few, VOICE))
        parallel = timed(lambda: EdgeEngine(jobs=4).synthesize(few, VOICE))
    finally:
        server.stop()

    audio_seconds = sum(len(decode_mp3(m, 24_000)[0]) / 2 / 24_000 for m in mp3s)
    n = len(sentences)
    print(f"sentences: {n}, audio: {audio_seconds:.1f} s, rounds: {args.rounds} (medians)")
    print(f"raw edge-tts      {1000 * raw_s / n:7.2f} ms/sentence")
    print(f"speak edge engine {1000 * ours_s / n:7.2f} ms/sentence")
    print(f"decode alone      {1000 * decode_s / n:7.2f} ms/sentence")
    print(f"overhead ratio ours/raw: {ours_s / raw_s:.2f}")
    print(f"overhead ratio ours without decoding/raw: {(ours_s - decode_s) / raw_s:.2f}")
    print(f"12 sentences, server holding 200 ms each: jobs=4 takes {parallel / serial:.2f}x jobs=1")


if __name__ == "__main__":
    main()
