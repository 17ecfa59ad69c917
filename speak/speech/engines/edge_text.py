"""Text and settings for the Edge TTS service: what to say, in request-sized pieces. Pure."""

from __future__ import annotations

from xml.sax.saxutils import escape

from speak.model import Utterance, Voice
from speak.zh.han import SENTENCE_ENDS

MAX_REQUEST_BYTES = 4096  # edge-tts' limit on the escaped text of one request

_SENTENCE_ENDS = SENTENCE_ENDS + "\n"
_CLAUSE_ENDS = "，、,：:"
_CLOSERS = "」』”’）)]】》〉\"'"  # stay with the punctuation they follow


def spoken_text(utterance: Utterance) -> str:
    """The text the service should speak: the homophone ``say`` text if any, else ``text``."""
    return utterance.say if utterance.say.strip() else utterance.text


def is_speakable(text: str) -> bool:
    """True when the text has something to pronounce (not only punctuation or spaces)."""
    return any(ch.isalnum() for ch in text)


def request_size(text: str) -> int:
    """Bytes the text takes in a request: UTF-8 after XML escaping, as edge-tts measures it."""
    return len(escape(text).encode("utf-8"))


def split_at(text: str, delimiters: str) -> list[str]:
    """Cut after each run of delimiters (and closing quotes after them); nothing is lost."""
    segments: list[str] = []
    start = i = 0
    while i < len(text):
        if text[i] in delimiters:
            while i < len(text) and text[i] in delimiters:
                i += 1
            while i < len(text) and text[i] in _CLOSERS:
                i += 1
            segments.append(text[start:i])
            start = i
        else:
            i += 1
    if start < len(text):
        segments.append(text[start:])
    return segments


def _cut_by_size(text: str, max_bytes: int) -> list[str]:
    """Last resort for a run with no punctuation: cut between characters."""
    pieces: list[str] = []
    current = ""
    for ch in text:
        if current and request_size(current + ch) > max_bytes:
            pieces.append(current)
            current = ""
        current += ch
    if current:
        pieces.append(current)
    return pieces


def _segments_within(text: str, max_bytes: int) -> list[str]:
    """Sentence-sized segments of text, each cut finer only when it alone is too big."""
    segments: list[str] = []
    for sentence in split_at(text, _SENTENCE_ENDS):
        if request_size(sentence) <= max_bytes:
            segments.append(sentence)
            continue
        for clause in split_at(sentence, _CLAUSE_ENDS):
            if request_size(clause) <= max_bytes:
                segments.append(clause)
            else:
                segments.extend(_cut_by_size(clause, max_bytes))
    return segments


def split_for_service(text: str, max_bytes: int = MAX_REQUEST_BYTES) -> list[str]:
    """Split text into as few pieces as fit one request each, cutting at sentence ends first.

    edge-tts only splits at spaces and newlines, so Chinese with neither must be split here.
    Pieces are stripped; empty pieces are dropped.
    """
    if max_bytes < 8:
        raise ValueError("max_bytes must be at least 8")
    text = text.strip()
    if request_size(text) <= max_bytes:
        return [text] if text else []
    pieces: list[str] = []
    current = ""
    for segment in _segments_within(text, max_bytes):
        if current and request_size(current + segment) > max_bytes:
            pieces.append(current)
            current = ""
        current += segment
    pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]


def prosody(voice: Voice) -> tuple[str, str, str]:
    """(rate, pitch, volume) in the service's notation, e.g. ("-10%", "+5Hz", "+0%")."""
    volume = int(voice.extra.get("volume", 0))
    return f"{int(voice.rate):+d}%", f"{int(voice.pitch):+d}Hz", f"{volume:+d}%"
