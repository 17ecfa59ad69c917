"""Document + checked readings → Utterances: what each sentence's audio must say.

One Utterance per sentence of the spoken paragraphs (``section.paragraphs``), grouped by
``Section.index``. The text is normalised for speech (speak.speech.normalize) in the document's
script; ``readings`` carries a reading for every spoken Han character, as it is said:

- a character spoken as written keeps its checked reading (from the document's readings);
- a character normalisation wrote (number words, units: 二〇二一, 百分之, 攝氏度) is read by
  the same readings chain, over the whole spoken sentence for context;
- then 一 and 不 take their spoken tones (speak.zh.tones: 一個 yi2, 一起 yi4, 不是 bu2; 二〇二一,
  第一, 一是, 一點五 keep yi1), and third tones inside a word before a third tone are said
  as second tones (你好 ni2 hao3), so no engine guesses a tone it was not told.

``source_offsets`` point into ``Document.text``; ``say`` is the text with the user lexicon's
homophones substituted, for engines that take no phonemes.

``speech_script`` is that same script as data for proofreading (``speak script``): per sentence
its section, id, printed text, spoken text and one syllable per spoken Han character.

Pauses: SENTENCE_PAUSE after a sentence, PARAGRAPH_PAUSE after the last sentence of a
paragraph (also the last of a section).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Protocol

from speak.model import Document, Reading, Script, Sentence, Utterance
from speak.speech.normalize import Spoken, normalize
from speak.zh.han import is_han
from speak.zh.script import to_script
from speak.zh.tones import citation, spoken_tones

# Spoken characters outside the Han blocks that the readings chain does not read: 〇 (U+3007,
# the zero of years as printed, 二〇二一) has one reading.
SIGN_READINGS = {"〇": "ling2"}

SENTENCE_PAUSE = 0.35  # seconds of silence after a sentence inside a paragraph
PARAGRAPH_PAUSE = 0.8  # seconds of silence after the last sentence of a paragraph


class LexiconEntryLike(Protocol):
    """What speech needs of ``speak.readings.LexiconEntry``."""

    @property
    def pinyin(self) -> tuple[str, ...]: ...

    @property
    def say(self) -> str | None: ...


class LexiconLike(Protocol):
    """What speech needs of ``speak.readings.Lexicon``: phrase → entry."""

    @property
    def entries(self) -> Mapping[str, LexiconEntryLike]: ...


def homophones(lexicon: LexiconLike | None, script: Script) -> dict[str, str]:
    """Phrase → text to say instead, for every lexicon entry with a ``say``.

    Each phrase is also matched as converted to ``script`` (OpenCC) and as normalised for
    speech (so an entry for ``5G`` matches the spoken 五G).
    """
    table: dict[str, str] = {}
    if lexicon is None:
        return table
    for phrase, entry in lexicon.entries.items():
        if not entry.say or not phrase:
            continue
        for form in (
            phrase,
            to_script(phrase, script),
            normalize(phrase, script).text,
        ):
            if form:
                table.setdefault(form, entry.say)
    return table


def apply_homophones(text: str, table: Mapping[str, str]) -> str:
    """Replace each phrase of ``table`` in ``text`` (leftmost, longest first, no overlaps)."""
    if not table:
        return text
    pattern = re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True))))
    return pattern.sub(lambda m: table[m.group()], text)


def _spoken_readings(
    doc: Document,
    spoken: Spoken,
    offsets: tuple[int, ...],
    readings: Mapping[int, Reading],
    written_readings: list[str] | None,
) -> tuple[str | None, ...]:
    """Per spoken char: the checked reading (as written) or the chain's (as normalised), spoken."""
    said: list[str | None] = []
    for i, (char, offset) in enumerate(zip(spoken.text, offsets, strict=True)):
        reading = readings.get(offset)
        if reading is not None and char == doc.text[offset]:
            said.append(reading.pinyin)
        elif written_readings is not None and is_han(char):
            said.append(written_readings[i] or None)
        else:
            said.append(SIGN_READINGS.get(char))
    return tuple(spoken_tones(spoken.text, said, third=True))


def _needs_reading(doc: Document, spoken: Spoken, start: int) -> bool:
    return any(
        is_han(c) and c != doc.text[start + o]
        for c, o in zip(spoken.text, spoken.source_offsets, strict=True)
    )


def utterance(
    doc: Document,
    sentence: Sentence,
    spoken: Spoken,
    readings: Mapping[int, Reading],
    say_table: Mapping[str, str],
    pause_after: float,
    written_readings: list[str] | None,
) -> Utterance:
    """One sentence as an engine should speak it (``written_readings``: the chain's readings
    of ``spoken.text``, for the characters normalisation wrote)."""
    offsets = tuple(sentence.start + o for o in spoken.source_offsets)
    return Utterance(
        sentence_id=sentence.id,
        text=spoken.text,
        readings=_spoken_readings(doc, spoken, offsets, readings, written_readings),
        source_offsets=offsets,
        say=apply_homophones(spoken.text, say_table),
        pause_after=pause_after,
    )


class ReaderLike(Protocol):
    """What speech needs of ``speak.readings.Reader``."""

    def read_many(self, texts: list[str]) -> list[list[Reading]]: ...


def _chain_readings(reader: ReaderLike, texts: list[str]) -> list[list[str]]:
    """Per text, per char: the readings chain's reading in citation tone ("" for none)."""
    out = []
    for text, found in zip(texts, reader.read_many(texts), strict=True):
        per_char = [""] * len(text)
        for r in found:
            per_char[r.offset] = citation(r.char, r.pinyin)
        out.append(per_char)
    return out


def utterances(
    doc: Document,
    readings: Mapping[int, Reading],
    lexicon: LexiconLike | None = None,
    reader: ReaderLike | None = None,
) -> dict[int, list[Utterance]]:
    """Utterances of the spoken paragraphs, keyed by Section.index (every section listed).

    ``readings`` maps offsets in ``doc.text`` to the checked Reading of the character there;
    ``reader`` (default: ``speak.readings.Reader(lexicon)``) reads the characters that
    normalisation wrote, all sentences at once.
    """
    say_table = homophones(lexicon, doc.script)
    planned: list[tuple[int, Sentence, Spoken, float]] = []
    for section in doc.sections:
        for paragraph in section.paragraphs:
            last = len(paragraph.sentences) - 1
            for i, sentence in enumerate(paragraph.sentences):
                pause = PARAGRAPH_PAUSE if i == last else SENTENCE_PAUSE
                spoken = normalize(doc.text_of(sentence), doc.script)
                planned.append((section.index, sentence, spoken, pause))
    to_read = [k for k, (_, s, sp, _) in enumerate(planned) if _needs_reading(doc, sp, s.start)]
    read: dict[int, list[str]] = {}
    if to_read:
        if reader is None:
            from speak.readings import Reader

            reader = Reader(lexicon)  # type: ignore[arg-type]
        texts = [planned[k][2].text for k in to_read]
        read = dict(zip(to_read, _chain_readings(reader, texts), strict=True))
    result: dict[int, list[Utterance]] = {section.index: [] for section in doc.sections}
    for k, (index, sentence, spoken, pause) in enumerate(planned):
        result[index].append(
            utterance(doc, sentence, spoken, readings, say_table, pause, read.get(k))
        )
    return result


def spoken_for(utterance: Utterance, speaks_readings: bool = True) -> str:
    """What the engine is asked to say: the text (with readings), or ``say`` for an engine
    that takes no readings (lexicon homophones substituted)."""
    return utterance.text if speaks_readings else utterance.say


def speech_script(
    doc: Document, by_section: Mapping[int, list[Utterance]], speaks_readings: bool = True
) -> dict:
    """The speech script as data: ``{"sentences": [...]}``, one entry per spoken sentence.

    Each: ``section`` (1-based), ``id`` (as in the XHTML and VTT), ``text`` (as printed,
    annotations removed), ``spoken`` (what the engine is asked to say, in the input's script)
    and ``syllables`` (``{"char", "reading"}`` per spoken Han character, in order, tone-number
    form, the tone as spoken).
    """
    sentences = {s.id: s for s in doc.sentences}
    out = []
    for section in doc.sections:
        for u in by_section.get(section.index, ()):
            out.append(
                {
                    "section": section.number,
                    "id": u.sentence_id,
                    "text": doc.text_of(sentences[u.sentence_id]),
                    "spoken": spoken_for(u, speaks_readings),
                    "syllables": [
                        {"char": c, "reading": r}
                        for c, r in zip(u.text, u.readings, strict=True)
                        if (is_han(c) or c in SIGN_READINGS) and r is not None
                    ],
                }
            )
    return {"sentences": out}


def _width(text: str) -> int:
    """Columns on a terminal: Han and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def script_text(script: Mapping, width: int = 78) -> str:
    """The speech script for proofreading: per sentence the printed line, the spoken line,
    then each spoken character over its reading in aligned columns."""
    blocks = []
    for s in script["sentences"]:
        lines = [f"{s['section']:02d} {s['id']}  printed  {s['text']}"]
        lines.append(f"{' ' * (len(s['id']) + 5)}spoken   {s['spoken']}")
        chars, reads = "", ""
        for syllable in s["syllables"]:
            column = max(_width(syllable["char"]), len(syllable["reading"])) + 1
            if _width(reads) + column > width and reads:
                lines += [f"    {chars.rstrip()}", f"    {reads.rstrip()}"]
                chars, reads = "", ""
            chars += _pad(syllable["char"], column)
            reads += _pad(syllable["reading"], column)
        if reads:
            lines += [f"    {chars.rstrip()}", f"    {reads.rstrip()}"]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""
