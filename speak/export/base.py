"""What every exporter reads, and the registry of output formats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from speak.model import Document, Finding, Reading, SectionAudio

RubyMode = Literal["all", "polyphones", "none"]
Notation = Literal["pinyin", "zhuyin", "numbers"]


@dataclass(frozen=True)
class ExportOptions:
    name: str  # base name of outputs, e.g. "miit-2022-priorities"
    ruby: RubyMode = "all"
    notation: Notation = "pinyin"
    modified: str = "2000-01-01T00:00:00Z"  # from SOURCE_DATE_EPOCH or the input's mtime
    voice: str = ""  # voice description, for metadata


@dataclass(frozen=True)
class Bundle:
    """Everything an exporter needs: the document, its checked readings, findings, audio."""

    doc: Document
    readings: dict[int, Reading]  # by offset in doc.text, one per Han character
    findings: tuple[Finding, ...]
    options: ExportOptions
    audio: tuple[SectionAudio, ...] = field(default=())  # empty with --no-audio

    def audio_for(self, section_index: int) -> SectionAudio | None:
        return next((a for a in self.audio if a.section_index == section_index), None)


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
