"""SMIL 3 media overlays (EPUB Media Overlays 3.3): one ``<par>`` per sentence and clock values.

Pure text in, text out: the EPUB exporter decides file names and writes the files.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from speak.model import Timing

SMIL_NS = "http://www.w3.org/ns/SMIL"
EPUB_NS = "http://www.idpf.org/2007/ops"


def milliseconds(seconds: float) -> int:
    """Seconds rounded to whole milliseconds (every clock value is written at this precision)."""
    return round(seconds * 1000)


def clock(seconds: float) -> str:
    """A SMIL full clock value, ``H:MM:SS.mmm`` (e.g. ``0:01:02.345``)."""
    ms = milliseconds(seconds)
    if ms < 0:
        raise ValueError(f"negative clock value {seconds}s: timings must start at 0 or later")
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours}:{minutes:02d}:{secs:02d}.{millis:03d}"


def clips(timings: Iterable[Timing], duration: float) -> list[tuple[str, int, int]]:
    """``(sentence_id, begin_ms, end_ms)`` per timing, clamped into ``[0, duration]``.

    Clips come out in time order, each at least 1 ms long, none overlapping the next.
    Timings that fall entirely outside the audio are dropped.
    """
    limit = milliseconds(duration)
    out: list[tuple[str, int, int]] = []
    previous_end = 0
    for t in sorted(timings, key=lambda t: (t.start, t.end)):
        begin = max(milliseconds(t.start), previous_end)
        end = min(milliseconds(t.end), limit)
        if end <= begin:
            continue
        out.append((t.sentence_id, begin, end))
        previous_end = end
    return out


def smil_document(
    text_href: str, audio_href: str, timings: Iterable[Timing], duration: float
) -> str:
    """A media overlay syncing each sentence ``<span id>`` in ``text_href`` to its audio clip."""
    pars = "\n".join(
        f'<par id="par-{escape(sid)}"><text src="{escape(text_href)}#{escape(sid)}"/>'
        f'<audio src="{escape(audio_href)}" clipBegin="{clock(b / 1000)}" '
        f'clipEnd="{clock(e / 1000)}"/></par>'
        for sid, b, e in clips(timings, duration)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<smil xmlns="{SMIL_NS}" xmlns:epub="{EPUB_NS}" version="3.0">\n'
        f'<body epub:textref="{escape(text_href)}">\n{pars}\n</body>\n</smil>\n'
    )
