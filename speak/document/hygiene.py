"""Characters no output may carry: what XML forbids, bidi controls and invisible format marks.

A form feed from ``pdftotext``, an ESC or BEL, U+FFFE, a lone surrogate make XHTML, HTML and
EPUB not well-formed; a right-to-left override (U+202E) turns titles around; an invisible mark
between a character and its ``(pinyin)`` hides the annotation. Each is removed from its line,
and its input column kept, so later columns still point at the text as written.
Pure functions; no I/O.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
# XML 1.0 allows tab, LF, CR and U+0020 up; C1 controls and DEL are allowed by XML but not by
# HTML, and never meant in a report. U+FDD0-FDEF and U+xFFFE/U+xFFFF are noncharacters.
_FORBIDDEN = f"\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_NONCHARACTERS}"
# Unicode's other format characters (category Cf, invisible): ZWSP, joiners, soft hyphen, BOM...
_INVISIBLE = "\u00ad\u180e\u200b-\u200d\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb"
_TAGS = "\U000e0001\U000e0020-\U000e007f"
HIDDEN = re.compile(f"[{_FORBIDDEN}{BIDI}{_INVISIBLE}{_TAGS}]")


@dataclass(frozen=True)
class Removed:
    """One character taken out of an input line."""

    column: int  # 1-based, in the line as written
    char: str
    kind: str  # "control-character", "bidi-control" or "invisible-character"

    @property
    def message(self) -> str:
        name = unicodedata.name(self.char, "") or _ABBREVIATIONS.get(self.char, "")
        label = f"U+{ord(self.char):04X}" + (f" {name}" if name else "")
        why = {
            "control-character": "a character XML and HTML do not allow",
            "bidi-control": "a bidirectional control that would reorder the text around it",
            "invisible-character": "an invisible format character",
        }[self.kind]
        return f"{label} removed: {why}"


_ABBREVIATIONS = {
    "\x07": "BELL",
    "\x08": "BACKSPACE",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
}


def kind_of(char: str) -> str:
    """Which sort of hidden character ``char`` is (call only on a match of HIDDEN)."""
    if char in BIDI:
        return "bidi-control"
    if unicodedata.category(char) == "Cf":
        return "invisible-character"
    return "control-character"


@dataclass(frozen=True)
class Visible:
    """A line without its hidden characters, and where each of its characters was written."""

    text: str
    removed: tuple[Removed, ...]
    _gaps: tuple[int, ...] = ()  # per removed char: the index in text it was removed before

    def column(self, i: int) -> int:
        """Input column (1-based) of ``text[i]``; ``i == len(text)`` is just past the end."""
        return i + 1 + (bisect.bisect_right(self._gaps, i) if self._gaps else 0)


def visible(line: str) -> Visible:
    """``line`` with every HIDDEN character taken out (most lines have none: returned as is)."""
    found = list(HIDDEN.finditer(line))
    if not found:
        return Visible(line, ())
    pieces: list[str] = []
    at = 0
    for m in found:
        pieces.append(line[at : m.start()])
        at = m.end()
    pieces.append(line[at:])
    removed = tuple(Removed(m.start() + 1, m.group(), kind_of(m.group())) for m in found)
    gaps = tuple(m.start() - k for k, m in enumerate(found))
    return Visible("".join(pieces), removed, gaps)
