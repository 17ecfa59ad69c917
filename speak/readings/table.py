"""Every reading of a long document, kept in little memory.

A build needs each Han character's reading until its exports are written: as a dict of
``Reading`` objects that is about 200 bytes a character (1 GB for a 12 MB report). Most
readings differ only in their offset and confidence, so ``ReadingTable`` keeps per character
an offset, a confidence and the index of its distinct rest (16 bytes), and makes the
``Reading`` again when it is asked for. Same readings out as in.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping

from speak.model import Reading

_Rest = tuple  # (char, pinyin, source, candidates, word relative to the offset or None)


class ReadingTable(Mapping[int, Reading]):
    """Readings by offset in the document's text, added in increasing offset order."""

    def __init__(self) -> None:
        self._offsets = array("q")
        self._confidences = array("d")
        self._kinds = array("l")  # per character: index into _rests
        self._rests: list[_Rest] = []
        self._index: dict[_Rest, int] = {}
        self._last = -1  # index of the offset last looked up

    def add(self, reading: Reading) -> None:
        """Keep ``reading``; its offset must be past every offset kept so far."""
        offset = reading.offset
        if self._offsets and offset <= self._offsets[-1]:
            raise ValueError(f"reading at {offset} added after one at {self._offsets[-1]}")
        word = reading.word
        rest = (
            reading.char,
            reading.pinyin,
            reading.source,
            reading.candidates,
            (word[0] - offset, word[1] - offset) if word else None,
        )
        kind = self._index.get(rest)
        if kind is None:
            kind = self._index[rest] = len(self._rests)
            self._rests.append(rest)
        self._offsets.append(offset)
        self._confidences.append(reading.confidence)
        self._kinds.append(kind)

    def update(self, readings: Mapping[int, Reading]) -> None:
        """Keep a batch of readings (by offset), all past those kept so far."""
        for offset in sorted(readings):
            self.add(readings[offset])

    def _at(self, offset: int) -> int:
        """Index of ``offset`` (or -1); the next one is tried first, as text is read in order."""
        offsets = self._offsets
        i = self._last + 1
        if not (i < len(offsets) and offsets[i] == offset):
            i = bisect_left(offsets, offset)
            if i >= len(offsets) or offsets[i] != offset:
                return -1
        self._last = i
        return i

    def get(self, offset: int, default: Reading | None = None) -> Reading | None:  # type: ignore[override]
        i = self._at(offset)
        return default if i < 0 else self._reading(i, offset)

    def __getitem__(self, offset: int) -> Reading:
        i = self._at(offset)
        if i < 0:
            raise KeyError(offset)
        return self._reading(i, offset)

    def _reading(self, i: int, offset: int) -> Reading:
        char, pinyin, source, candidates, word = self._rests[self._kinds[i]]
        return Reading(
            offset,
            char,
            pinyin,
            source,
            self._confidences[i],
            candidates,
            (word[0] + offset, word[1] + offset) if word else None,
        )

    def __contains__(self, offset: object) -> bool:
        return isinstance(offset, int) and self._at(offset) >= 0

    def __iter__(self) -> Iterator[int]:
        return iter(self._offsets)

    def __len__(self) -> int:
        return len(self._offsets)
