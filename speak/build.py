"""The whole job: check one input, speak each section, export the reading copies.

``build(path, out, **options)`` does it for one input and returns a ``BuildResult``; it prints
nothing (the CLI does). ``build_many`` maps it over several inputs in parallel processes.
"""

from __future__ import annotations

import dataclasses
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from speak.check import report
from speak.check.analysis import analyze
from speak.errors import InputError, SpeakError
from speak.export.base import Bundle, ExportOptions, exporters
from speak.fsutil import write_text
from speak.model import SectionAudio
from speak.naming import output_name
from speak.progress import progress_bar


@dataclass
class BuildResult:
    """What one input's build made, or why it failed."""

    source: str
    out: Path
    ok: bool = True
    exit_code: int = 0
    message: str = ""
    sections: int = 0
    sentences: int = 0
    synthesized: int = 0  # sentences sent to the engine (the rest came from the cache)
    audio_seconds: float = 0.0
    findings: int = 0  # findings that are not "agree"
    failed_sections: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # one line each: engine choice, unsaid text
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)


def modified_time(path: str) -> str:
    """ISO time for metadata: $SOURCE_DATE_EPOCH, else the input's mtime (stdin: epoch 0)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or None  # set but empty: unset
    if epoch is None:
        epoch = str(int(Path(path).stat().st_mtime)) if path != "-" else "0"
    if not epoch.isdigit():
        raise InputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds; fix or unset it")
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build(
    path: str | Path,
    out: str | Path,
    *,
    engine: str = "espeak",
    voice: str | None = None,
    rate: int | None = None,
    jobs: int = 2,
    lexicon: str | Path | None = None,
    encoding: str | None = None,
    keep_repeats: bool = False,
    no_audio: bool = False,
    no_cache: bool = False,
    cache_dir: str | Path | None = None,
    ruby: str = "all",
    notation: str = "pinyin",
    quiet: bool = True,
    formats: tuple[str, ...] | None = None,
) -> BuildResult:
    """Check, speak and export one input into ``out``; raises SpeakError for bad input.

    Writes ``report.json`` and ``report.txt``, ``audio/`` (unless ``no_audio``: section MP3s
    with their subtitles, ``00-full.mp3``) and every registered reading copy (or only
    ``formats``). ``jobs``: sentences the engine may synthesize at once. A section that fails to
    synthesize is reported in the result (``ok`` False, exit code 1); the other outputs are
    still written.
    """
    import time

    started = time.perf_counter()
    out = Path(out)
    result = BuildResult(str(path), out)
    with progress_bar(f"{path}: reading", "paragraph", quiet=quiet) as bar:
        analysis = analyze(
            path, encoding=encoding, lexicon=lexicon, keep_repeats=keep_repeats, progress=bar
        )
    doc = analysis.doc
    modified = modified_time(str(path))  # dates the tags and the EPUB
    result.sections = len(doc.sections)
    result.sentences = sum(len(s.sentences) for s in doc.sections)
    result.findings = sum(f.status != "agree" for f in analysis.findings)
    out.mkdir(parents=True, exist_ok=True)
    result.outputs += [
        write_text(out / "report.json", report.to_json(analysis)),
        write_text(out / "report.txt", report.to_table(analysis)),
    ]
    audio: tuple[SectionAudio, ...] = ()
    voice_name = ""
    if not no_audio:
        from speak.export.subtitles import write_subtitles
        from speak.speech.cache import AudioCache
        from speak.speech.engines.base import get_engine
        from speak.speech.neural.choice import choose_engine
        from speak.speech.render import render
        from speak.speech.voices import resolve_voice

        engine, voice, notices = choose_engine(engine, voice, quiet=quiet)
        result.notices += notices
        chosen = resolve_voice(voice, engine)
        if rate is not None:
            chosen = dataclasses.replace(chosen, rate=rate)
        licence = chosen.extra.get("licence", "")
        voice_name = f"{chosen.voice} ({licence})" if licence else chosen.voice
        speaker = get_engine(engine)
        speaker.jobs = jobs
        cache = AudioCache(Path(cache_dir) if cache_dir else None, reuse=not no_cache)
        rendered = render(
            doc,
            analysis.readings,
            analysis.lexicon,
            speaker,
            chosen,
            cache,
            out / "audio",
            year=modified[:4],
            quiet=quiet,
        )
        audio = tuple(rendered.sections)
        for section in audio:
            result.outputs += [section.path, *write_subtitles(section.timings, section.path)]
        if rendered.full:
            result.outputs.append(rendered.full)
        result.synthesized = rendered.synthesized
        result.audio_seconds = rendered.seconds
        result.failed_sections = rendered.failed
        result.notices += rendered.notices
    options = ExportOptions(
        name=output_name(doc.source),
        ruby=ruby,
        notation=notation,
        modified=modified,
        voice=voice_name,
    )
    bundle = Bundle(doc, analysis.readings, analysis.findings, options, audio)
    for name, export in sorted(exporters().items()):
        if formats is None or name in formats:
            result.outputs += export(bundle, out)
    if result.failed_sections:
        result.ok, result.exit_code = False, 1
        result.message = "; ".join(result.failed_sections)
    result.seconds = time.perf_counter() - started
    return result


def expand_inputs(inputs: list[str]) -> list[str]:
    """Files as given, directories as every ``**/*.txt`` inside (sorted); ``-`` kept."""
    found: list[str] = []
    for item in inputs:
        p = Path(item)
        if item != "-" and p.is_dir():
            found += [str(f) for f in sorted(p.rglob("*.txt")) if f.is_file()]
        else:
            found.append(item)
    return found


def _safe_build(path: str, out: Path, options: dict) -> BuildResult:
    try:
        return build(path, out, **options)
    except SpeakError as e:
        return BuildResult(path, out, ok=False, exit_code=e.exit_code, message=str(e))


def _out_dirs(paths: list[str], out: Path) -> list[Path]:
    """One folder per input under ``out`` (named by stem; parent folders added on clashes)."""
    if len(paths) == 1:
        return [out]
    names = [output_name(p) for p in paths]
    dirs = []
    for p, name in zip(paths, names, strict=True):
        if names.count(name) > 1:
            name = "-".join(Path(p).with_suffix("").parts[-2:])
        dirs.append(out / name)
    return dirs


def build_many(
    inputs: list[str], out: Path, *, quiet: bool = False, jobs: int = 2, **options
) -> list[BuildResult]:
    """Build every input (files, folders) into its own folder under ``out``.

    ``jobs`` is how much speak does at once, in all: several inputs are built in up to ``jobs``
    processes, and the rest of ``jobs`` goes to each build's engine (sentences at once).
    One input raises SpeakError for bad input; with several, a bad one is a failed result.
    """
    paths = expand_inputs(inputs)
    if not paths:
        raise InputError(f"no .txt files found in {', '.join(inputs)}; give files or folders")
    dirs = _out_dirs(paths, out)
    if len(paths) == 1:
        return [build(paths[0], dirs[0], **options, jobs=jobs, quiet=quiet)]
    workers = min(jobs, len(paths))
    options = {**options, "jobs": max(1, jobs // workers), "quiet": True}
    results: list[BuildResult] = []
    bar = progress_bar("inputs", "file", total=len(paths), quiet=quiet)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(_safe_build, p, d, options) for p, d in zip(paths, dirs, strict=True)
        ]
        for future in as_completed(futures):
            results.append(future.result())
            bar.update(1)
    bar.close()
    order = {p: k for k, p in enumerate(paths)}
    return sorted(results, key=lambda r: order[r.source])
