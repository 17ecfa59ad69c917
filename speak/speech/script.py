"""Document + checked readings → Utterances: what each sentence's audio must say.

One Utterance per sentence of the spoken paragraphs (``section.paragraphs``), grouped by
``Section.index``. The text is normalised for speech (speak.speech.normalize) in the document's
script; ``readings`` carries the checked reading of every Han character that is spoken as
written (None for characters made by normalisation, e.g. number words from digits);
``source_offsets`` point into ``Document.text``; ``say`` is the text with the user lexicon's
homophones substituted, for engines that take no phonemes.

Pauses: SENTENCE_PAUSE after a sentence, PARAGRAPH_PAUSE after the last sentence of a
paragraph (also the last of a section).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

from speak.model import Document, Reading, Script, Sentence, Utterance
from speak.speech.normalize import normalize
from speak.zh.script import to_script

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


def utterance(
    doc: Document,
    sentence: Sentence,
    readings: Mapping[int, Reading],
    say_table: Mapping[str, str],
    pause_after: float,
) -> Utterance:
    """One sentence as an engine should speak it."""
    spoken = normalize(doc.text[sentence.start : sentence.end], doc.script)
    offsets = tuple(sentence.start + o for o in spoken.source_offsets)
    forced: list[str | None] = []
    for char, offset in zip(spoken.text, offsets, strict=True):
        reading = readings.get(offset)
        verbatim = char == doc.text[offset]
        forced.append(reading.pinyin if reading is not None and verbatim else None)
    return Utterance(
        sentence_id=sentence.id,
        text=spoken.text,
        readings=tuple(forced),
        source_offsets=offsets,
        say=apply_homophones(spoken.text, say_table),
        pause_after=pause_after,
    )


def utterances(
    doc: Document,
    readings: Mapping[int, Reading],
    lexicon: LexiconLike | None = None,
) -> dict[int, list[Utterance]]:
    """Utterances of the spoken paragraphs, keyed by Section.index (every section listed).

    ``readings`` maps offsets in ``doc.text`` to the checked Reading of the character there.
    """
    say_table = homophones(lexicon, doc.script)
    result: dict[int, list[Utterance]] = {}
    for section in doc.sections:
        spoken: list[Utterance] = []
        for paragraph in section.paragraphs:
            last = len(paragraph.sentences) - 1
            for i, sentence in enumerate(paragraph.sentences):
                pause = PARAGRAPH_PAUSE if i == last else SENTENCE_PAUSE
                spoken.append(utterance(doc, sentence, readings, say_table, pause))
        result[section.index] = spoken
    return result
