"""Cues beside each MP3: WebVTT and SRT, two thin writers over one Timing list.

The cues (``SectionAudio.cues``, made by speak.speech.cues) show the sentences as printed, a
long one cut into several cues at clause breaks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from speak.fsutil import write_text
from speak.model import Timing


def clock(seconds: float, separator: str) -> str:
    """``HH:MM:SS.mmm`` (VTT, separator ".") or ``HH:MM:SS,mmm`` (SRT, separator ",")."""
    ms = max(0, round(seconds * 1000))
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


def cues(timings: Sequence[Timing], duration: float | None = None) -> list[Timing]:
    """Timings as cues: empty ones dropped, each inside ``duration``; ValueError if unordered."""
    out: list[Timing] = []
    for t in timings:
        if out and t.start < out[-1].start:
            raise ValueError(f"cue {t.sentence_id} starts before cue {out[-1].sentence_id}")
        end = min(t.end, duration) if duration is not None else t.end
        if end > t.start:
            out.append(Timing(t.sentence_id, t.start, end, t.text))
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split())


def to_vtt(timings: Sequence[Timing], duration: float | None = None) -> str:
    """WebVTT: one cue per sentence, identified by its sentence id."""
    blocks = ["WEBVTT\n"]
    for t in cues(timings, duration):
        text = _one_line(t.text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        blocks.append(f"{t.sentence_id}\n{clock(t.start, '.')} --> {clock(t.end, '.')}\n{text}\n")
    return "\n".join(blocks)


def to_srt(timings: Sequence[Timing], duration: float | None = None) -> str:
    """SubRip: numbered cues from 1."""
    blocks = [
        f"{n}\n{clock(t.start, ',')} --> {clock(t.end, ',')}\n{_one_line(t.text)}\n"
        for n, t in enumerate(cues(timings, duration), start=1)
    ]
    return "\n".join(blocks)


def write_subtitles(timings: Sequence[Timing], mp3_path: str | Path) -> list[Path]:
    """Write ``NN-slug.vtt`` and ``NN-slug.srt`` beside the MP3 (cues kept inside its length)."""
    from speak.speech.audio import mp3_duration

    mp3_path = Path(mp3_path)
    duration = mp3_duration(mp3_path) if mp3_path.is_file() else None
    vtt, srt = mp3_path.with_suffix(".vtt"), mp3_path.with_suffix(".srt")
    return [write_text(vtt, to_vtt(timings, duration)), write_text(srt, to_srt(timings, duration))]
