"""The document model that flows through the pipeline. Pure data: no I/O here.

Offsets are code-point indexes into ``Document.text`` (the clean text: annotations
removed, paragraphs joined by ``\\n``). Lines and columns are 1-based and refer to the
input as written (after newline normalisation), columns counted in characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Status = Literal["agree", "disagree", "invalid"]
Script = Literal["Hant", "Hans"]
# Which evidence decided a reading: a lexicon phrase; pypinyin's phrase dictionary; the
# polyphone models (combined with the dictionary and priors); the character's usual reading.
ReadingSource = Literal["lexicon", "phrase", "model", "default"]


@dataclass(frozen=True, slots=True)
class Annotation:
    """Parenthesised pinyin that stood directly after a Han character in the input."""

    offset: int  # offset of the annotated character in Document.text
    line: int  # 1-based input line of the annotated character
    column: int  # 1-based input column of the annotated character
    char: str
    syllables: tuple[str, ...]  # each copy as written, e.g. ("gong", "gong")
    raw: str  # the parenthesised text exactly as written, e.g. "(gong)(gong)"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something odd in the input that did not stop the run (unbalanced bracket, ...)."""

    line: int
    column: int
    kind: str  # "unbalanced", "unknown-syllable", "not-pinyin", "repeat", ...
    message: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """A span of Document.text; its text is ``doc.text[start:end]`` (not kept: a long
    document's sentences would hold a second copy of it)."""

    number: int  # 1-based position in the document
    start: int  # offsets in Document.text
    end: int

    @property
    def id(self) -> str:
        """Stable id, e.g. "s012"."""
        return f"s{self.number:03d}"


@dataclass(frozen=True, slots=True)
class Paragraph:
    index: int
    start: int
    end: int
    line: int  # 1-based input line where it starts
    sentences: tuple[Sentence, ...]
    repeat_of: int | None = None  # index of the earlier paragraph it only repeats


@dataclass(frozen=True, slots=True)
class Section:
    index: int  # 0 = the opening part, then one per enumerated item
    title: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)

    @property
    def number(self) -> int:
        """1-based position in reading order (file names start at 01)."""
        return self.index + 1


@dataclass(frozen=True, slots=True)
class Document:
    source: str  # file name as given ("-" for standard input)
    encoding: str
    text: str  # clean text
    annotations: tuple[Annotation, ...]
    paragraphs: tuple[Paragraph, ...]
    sections: tuple[Section, ...] = ()
    notices: tuple[Notice, ...] = ()
    script: Script = "Hant"
    title: str = ""
    line_starts: tuple[int, ...] = ()  # offset in text where each input line's clean text starts

    @property
    def spoken_paragraphs(self) -> tuple[Paragraph, ...]:
        """Paragraphs that are read aloud and exported (repeats left out)."""
        return tuple(p for s in self.sections for p in s.paragraphs)

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)

    def text_of(self, sentence: Sentence) -> str:
        """The text of one of the document's sentences."""
        return self.text[sentence.start : sentence.end]


@dataclass(frozen=True, slots=True)
class Reading:
    """The reading of one Han character in context, with the evidence for it."""

    offset: int  # in the text that was read
    char: str
    pinyin: str  # tone-number form: "zhang3", neutral tone 5, ü as v
    source: ReadingSource
    confidence: float = 1.0
    candidates: tuple[str, ...] = ()  # every reading of the character, tone-number form
    # (start, end) offsets of the lexicon phrase or dictionary word of 2+ characters that
    # holds the character and gave its reading (a vote, for "model"); None when none did.
    word: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """One annotated character: what was embedded, what we read, and the verdict."""

    annotation: Annotation
    reading: Reading
    status: Status
    context: str  # the clean text around the character
    why: str  # human-readable evidence

    @property
    def char(self) -> str:
        return self.annotation.char


@dataclass(frozen=True, slots=True)
class Utterance:
    """One sentence as an engine should speak it."""

    sentence_id: str
    text: str  # normalised spoken text in the document's script
    readings: tuple[str | None, ...]  # per char of text: tone-number pinyin to force, or None
    source_offsets: tuple[int, ...]  # per char of text: offset in Document.text
    say: str = ""  # text for engines that take no phonemes (lexicon homophones applied)
    pause_after: float = 0.35  # seconds of silence after this sentence


@dataclass(frozen=True, slots=True)
class SyllableMark:
    """Where one syllable is heard in a clip: the characters of ``Utterance.text`` it says
    (``start``/``end``), its reading, and its time in seconds."""

    start: int
    end: int
    reading: str
    begin: float
    finish: float

    def __iter__(self):
        return iter((self.start, self.end, self.reading, self.begin, self.finish))


@dataclass(frozen=True, slots=True)
class Clip:
    """Synthesised audio of one utterance: mono signed 16-bit little-endian PCM.

    ``marks``: where words start, as (index in ``Utterance.text``, seconds into the clip),
    increasing; empty when the engine gives none. ``syllables``: each syllable's time, from
    engines that know it.
    """

    pcm: bytes
    sample_rate: int
    marks: tuple[tuple[int, float], ...] = ()
    syllables: tuple[SyllableMark, ...] = ()  # engines that time each syllable (neural)

    @property
    def duration(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


@dataclass(frozen=True, slots=True)
class Timing:
    """Where one sentence is heard in one audio file, in seconds."""

    sentence_id: str
    start: float
    end: float
    text: str = ""


@dataclass(frozen=True, slots=True)
class SyllableTiming:
    """Where one spoken syllable is heard in a section's audio (from engines that know it)."""

    text_start: int  # the printed characters it says: Document.text[text_start:text_end]
    text_end: int
    start: float  # seconds
    end: float


@dataclass(frozen=True, slots=True)
class SectionAudio:
    """One section's MP3 and where each of its sentences (and syllables, when the engine
    gives them) is heard in it."""

    section_index: int
    path: Path  # the final MP3 (already written)
    duration: float  # seconds
    timings: tuple[Timing, ...]
    cues: tuple[Timing, ...] = ()  # subtitle cues: printed text, long sentences cut
    syllables: tuple[SyllableTiming, ...] = ()  # from engines that time syllables (neural)


@dataclass(frozen=True, slots=True)
class Voice:
    """A voice preset (one TOML file in voices/)."""

    name: str
    engine: str  # "espeak" | "edge"
    voice: str  # engine voice id, e.g. "cmn" or "zh-TW-HsiaoChenNeural"
    language: str = "zh"
    rate: int = 0  # percent relative to the engine's normal speed, e.g. -10
    pitch: int = 0  # Hz relative (edge) or 0-100 scale offset (espeak)
    extra: dict = field(default_factory=dict, hash=False, compare=False)
