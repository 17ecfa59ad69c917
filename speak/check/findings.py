"""Embedded pinyin against the readings in context: one Finding per annotation."""

from __future__ import annotations

from speak.model import Annotation, Document, Finding, Reading, Status
from speak.readings import readings_of
from speak.zh.chars import default_reading
from speak.zh.pinyin import normalize_syllable, toneless

CONTEXT_CHARS = 8
_RANK = {"agree": 0, "disagree": 1, "invalid": 2}
_SOURCE = {
    "lexicon": "lexicon",
    "phrase": "phrase dictionary",
    "model": "polyphone model",
}


def _context(text: str, offset: int) -> str:
    """The clean text around ``offset``, on its own line."""
    lo = max(offset - CONTEXT_CHARS, text.rfind("\n", 0, offset) + 1)
    end = text.find("\n", offset)
    hi = min(offset + CONTEXT_CHARS + 1, len(text) if end < 0 else end)
    return text[lo:hi]


def _judge(copy: str, reading: Reading) -> tuple[Status, str]:
    """Status of one embedded syllable and the part of ``why`` it contributes."""
    written = normalize_syllable(copy)
    if written is None:
        return "invalid", f"embedded {copy} is not a Mandarin syllable"
    base = toneless(written)
    if base == toneless(reading.pinyin):
        if written[-1].isdigit() and written != reading.pinyin:
            return "agree", f"embedded {copy} agrees but for the tone ({reading.pinyin})"
        return "agree", f"embedded {copy} agrees"
    others = [r for r in readings_of(reading.char) if toneless(r) == base]
    if others:
        return "disagree", f"embedded {copy} is its other reading {others[0]}"
    options = ", ".join(readings_of(reading.char)) or "none known"
    return "invalid", f"embedded {copy} is not a reading of {reading.char} (readings: {options})"


def _source(reading: Reading) -> str:
    name = _SOURCE.get(reading.source, reading.source)
    if reading.source == "model":
        name += f", p={reading.confidence:.2f}"
    return name


def _evidence(text: str, reading: Reading) -> str:
    """Why the character reads as it does, from the reading's own evidence: 長 in 增長 reads
    zhang3 (phrase dictionary); the word is the one the reader used, never a guess."""
    if reading.source == "default":  # context played no part
        only = len(reading.candidates) <= 1
        return f"{reading.char} reads {reading.pinyin} (its {'only' if only else 'usual'} reading)"
    if reading.word is None:
        return f"{reading.char} reads {reading.pinyin} here ({_source(reading)})"
    word = text[reading.word[0] : reading.word[1]]
    return f"{reading.char} in {word} reads {reading.pinyin} ({_source(reading)})"


def check_one(doc: Document, annotation: Annotation, reading: Reading) -> Finding:
    """The verdict on one annotation; with several copies the worst status wins."""
    verdicts = [_judge(copy, reading) for copy in annotation.syllables] or [
        ("invalid", "no syllable embedded")
    ]
    status = max((s for s, _ in verdicts), key=_RANK.__getitem__)
    notes = list(dict.fromkeys(note for _, note in verdicts))
    why = f"{_evidence(doc.text, reading)}; " + "; ".join(notes)
    return Finding(annotation, reading, status, _context(doc.text, annotation.offset), why)


def check(doc: Document, readings: dict[int, Reading]) -> list[Finding]:
    """One Finding per Annotation of ``doc``, in input order."""
    findings = []
    for annotation in doc.annotations:
        reading = readings.get(annotation.offset)
        if reading is None:  # not read (should not happen): judge against its usual reading
            char = annotation.char
            reading = Reading(
                annotation.offset,
                char,
                default_reading(char) or "",
                "default",
                1.0,
                readings_of(char),
            )
        findings.append(check_one(doc, annotation, reading))
    return findings
