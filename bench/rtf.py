"""Real-time factor of the eSpeak engine on the sample, and MP3 encoding speed.

    PYTHONPATH=. python bench/rtf.py [FILE]

RTF here = seconds of audio made per second of wall time (higher is faster). Sentences are
the sample's, with the scraped pinyin stripped; readings come from pypinyin (so forcing runs
as in a build). Also prints how much of the text had to be forced.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from speak.model import Utterance, Voice
from speak.speech.audio import Tags, encode_mp3, resample
from speak.speech.engines.base import SAMPLE_RATE, get_engine

ANNOTATION = re.compile(r"[（(][A-Za-züÜ:1-5āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+[)）]")
SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "miit-2022-priorities.txt"


def sentences(path: Path) -> list[str]:
    text = ANNOTATION.sub("", path.read_text(encoding="utf-8"))
    parts = re.split(r"(?<=[。！？；!?;])|\n", text)
    return [p.strip() for p in parts if p.strip()]


def utterance(i: int, text: str) -> Utterance:
    readings = [
        lazy_pinyin(c, style=Style.TONE3, neutral_tone_with_five=True)[0]
        if "\u4e00" <= c <= "\u9fff"
        else None
        for c in text
    ]
    return Utterance(f"s{i:03d}", text, tuple(readings), tuple(range(len(text))))


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else SAMPLE
    utts = [utterance(i, s) for i, s in enumerate(sentences(path))]
    voice = Voice("espeak-cmn", "espeak", "cmn")
    engine = get_engine("espeak")
    engine.synthesize(utts[:1], voice)  # load library and voice

    started = time.perf_counter()
    spelled = [engine.spelling(u, voice) for u in utts]
    spell_s = time.perf_counter() - started
    forced = sum(s != u.text for s, u in zip(spelled, utts, strict=True))

    started = time.perf_counter()
    clips = engine.synthesize(utts, voice)
    synth_s = time.perf_counter() - started
    audio_s = sum(c.duration for c in clips)
    pcm = b"".join(c.pcm for c in clips)

    started = time.perf_counter()
    resample(pcm, SAMPLE_RATE, 22_050)
    resample_s = time.perf_counter() - started

    out = Path("/tmp/speak-bench-rtf.mp3")
    started = time.perf_counter()
    encode_mp3((c.pcm for c in clips), out, tags=Tags("bench"))
    encode_s = time.perf_counter() - started
    out.unlink()

    print(f"input: {path.name}: {len(utts)} sentences, {sum(len(u.text) for u in utts)} chars")
    print(f"sentences with a forced reading: {forced}/{len(utts)}; spelling took {spell_s:.3f} s")
    print(f"audio: {audio_s:.1f} s")
    print(f"espeak synthesize (fresh library per take, resample, trim): {synth_s:.2f} s")
    print(f"  RTF (audio s per wall s): {audio_s / synth_s:.0f}x")
    print(f"resample 24k->22.05k of all audio: {resample_s:.3f} s ({audio_s / resample_s:.0f}x)")
    print(f"MP3 encode (64 kbps, 24 kHz mono): {encode_s:.2f} s ({audio_s / encode_s:.0f}x)")


if __name__ == "__main__":
    main()
