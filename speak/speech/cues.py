"""Subtitle cues: each sentence as printed, a long one cut where a listener pauses.

A cue shows the sentence as printed (annotations removed), never the spoken form. A sentence
longer than MAX_CUE_CHARS characters or MAX_CUE_SECONDS is cut into several cues at clause
breaks (，、；： …), or between words when a clause alone is too long (never inside a number
or a Latin word), each timed from the engine's word marks (``Clip.marks``; by the share of
spoken characters when it gave none). Pure functions.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

from speak.model import Timing, Utterance
from speak.zh.han import is_han
from speak.zh.words import word_ids

MAX_CUE_CHARS = 40
MAX_CUE_SECONDS = 7.0
CLAUSE_BREAKS = frozenset("，、；：,;:。！？!?…—")
CLOSING = frozenset("”’」』）)》〉】]")


def time_at(index: int, marks: Sequence[tuple[int, float]], length: int, duration: float) -> float:
    """Seconds into a clip of ``duration`` where spoken character ``index`` (of ``length``)
    starts: between the word marks around it, else by its share of the characters."""
    points = [(0, 0.0), *(m for m in marks if 0 < m[0] < length), (length, duration)]
    if index >= length:
        return duration
    k = bisect.bisect_right([i for i, _ in points], index) - 1
    (i0, t0), (i1, t1) = points[k], points[k + 1]
    return t0 + (t1 - t0) * (index - i0) / (i1 - i0)


def _breaks(printed: str) -> tuple[list[int], list[int]]:
    """Positions a cue may end at: after a clause break, and between two words (next to a
    Han character: never inside a number or a Latin word, never before punctuation)."""
    clauses = [i + 1 for i, c in enumerate(printed[:-1]) if c in CLAUSE_BREAKS]
    words = word_ids(printed)
    between = [
        i
        for i in range(1, len(printed))
        if words[i] != words[i - 1]
        and (is_han(printed[i - 1]) or is_han(printed[i]))
        and printed[i] not in CLAUSE_BREAKS
        and printed[i] not in CLOSING
    ]
    return clauses, between


def sentence_cues(
    timing: Timing,
    printed: str,
    start: int,
    utterance: Utterance,
    marks: Sequence[tuple[int, float]] = (),
) -> list[Timing]:
    """One sentence's cues: ``printed`` (at ``start`` in Document.text) heard in ``timing``,
    cut where needed so that no cue is longer than MAX_CUE_CHARS or MAX_CUE_SECONDS."""
    duration = timing.end - timing.start
    offsets = [o - start for o in utterance.source_offsets]
    length = len(utterance.text)

    def at(k: int) -> float:  # seconds into the sentence where printed position k is said
        j = bisect.bisect_left(offsets, k)
        return time_at(j, marks, length, duration)

    def fits(a: int, b: int) -> bool:
        return len(printed[a:b].strip()) <= MAX_CUE_CHARS and at(b) - at(a) <= MAX_CUE_SECONDS

    n = len(printed)
    clauses, words = _breaks(printed)
    cuts, a = [0], 0
    while not fits(a, n):
        later = [k for k in clauses if k > a and fits(a, k)]
        later = later or [k for k in words if k > a and fits(a, k)]
        following = [k for k in (*clauses, *words) if k > a]
        b = max(later) if later else min(following, default=n)
        if b >= n:
            break
        cuts.append(b)
        a = b
    cuts.append(n)
    if len(cuts) == 2:
        return [Timing(timing.sentence_id, timing.start, timing.end, printed.strip())]
    cues = []
    for number, (a, b) in enumerate(itertools.pairwise(cuts), start=1):
        begin = timing.start + at(a)
        end = timing.end if b == n else timing.start + at(b)
        cues.append(Timing(f"{timing.sentence_id}-{number}", round(begin, 3), round(end, 3),
                           printed[a:b].strip()))  # fmt: skip
    return cues
