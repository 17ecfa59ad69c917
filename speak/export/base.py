"""What every exporter reads, and the registry of output formats."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Literal

from speak.model import Document, Finding, Reading, SectionAudio

RubyMode = Literal["all", "polyphones", "none"]
Notation = Literal["pinyin", "zhuyin", "numbers"]
Tones = Literal["citation", "spoken"]


@dataclass(frozen=True)
class ExportOptions:
    name: str  # base name of outputs, e.g. "miit-2022-priorities"
    ruby: RubyMode = "all"
    notation: Notation = "pinyin"
    modified: str = "2000-01-01T00:00:00Z"  # from SOURCE_DATE_EPOCH or the input's mtime
    voice: str = ""  # voice description, for metadata
    tones: Tones = "citation"  # ruby: 一 yī, 不 bù as dictionaries head them, or as said


@dataclass(frozen=True)
class Bundle:
    """Everything an exporter needs: the document, its checked readings, findings, audio."""

    doc: Document
    readings: dict[int, Reading]  # by offset in doc.text, one per Han character
    findings: tuple[Finding, ...]
    options: ExportOptions
    audio: tuple[SectionAudio, ...] = field(default=())  # empty with --no-audio

    @cached_property
    def ruby_readings(self) -> Mapping[int, Reading]:
        """The readings ruby shows: citation tones, or with ``tones="spoken"`` the 一/不 tone
        changes as they are said (進一步 yí, 不要 bú), as textbooks print them."""
        if self.options.tones != "spoken":
            return self.readings
        return spoken_readings(self.doc, self.readings)

    def audio_for(self, section_index: int) -> SectionAudio | None:
        return next((a for a in self.audio if a.section_index == section_index), None)


def spoken_readings(doc: Document, readings: Mapping[int, Reading]) -> Mapping[int, Reading]:
    """``readings`` with 一 and 不 in their spoken tones (only the changed ones are copied)."""
    from speak.zh.tones import spoken_tones

    changed: dict[int, Reading] = {}
    for p in doc.paragraphs:
        text = doc.text[p.start : p.end]
        given = [readings.get(p.start + i) for i in range(len(text))]
        said = spoken_tones(text, [r.pinyin if r else None for r in given])
        for i, (reading, tone) in enumerate(zip(given, said, strict=True)):
            if reading is not None and tone != reading.pinyin:
                changed[p.start + i] = replace(reading, pinyin=tone)
    return ChainMap(changed, readings) if changed else readings  # type: ignore[arg-type]


Exporter = Callable[[Bundle, Path], list[Path]]
_EXPORTERS: dict[str, Exporter] = {}


def register(name: str) -> Callable[[Exporter], Exporter]:
    """Decorator: ``@register("epub") def export(bundle, out_dir) -> [written paths]``."""

    def wrap(fn: Exporter) -> Exporter:
        _EXPORTERS[name] = fn
        return fn

    return wrap


def exporters() -> dict[str, Exporter]:
    """All registered exporters by name (imports the built-in ones)."""
    from speak import export  # noqa: F401

    return dict(_EXPORTERS)
