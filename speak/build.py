"""The whole job: check one input, speak each section, export the reading copies.

``build(path, out, **options)`` does it for one input and returns a ``BuildResult``; it prints
nothing (the CLI does). ``build_many`` maps it over several inputs in parallel processes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from speak.errors import InputError, OptionError, SpeakError
from speak.fsutil import os_error, write_text
from speak.naming import output_name

# Imports of the pipeline itself stay inside the functions that run it: a build restored from
# the build cache (speak.build_cache) needs none of them.


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
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things done or found on the way


@dataclass(frozen=True)
class BuildOptions:
    """What one build is asked for: ``build``'s keyword arguments, passed along as one."""

    engine: str = "espeak"
    voice: str | None = None
    rate: int | None = None
    jobs: int = 2
    lexicon: str | Path | None = None
    encoding: str | None = None
    errors: str = "strict"
    keep_repeats: bool = False
    no_audio: bool = False
    no_cache: bool = False
    cache_dir: str | Path | None = None
    ruby: str = "all"
    notation: str = "pinyin"
    tones: str = "citation"
    quiet: bool = True
    formats: tuple[str, ...] | None = None
    data: bytes | None = None

    def shaping(self) -> dict:
        """The options that shape the outputs (part of the build cache's key); the others
        only say how to work (jobs, quiet, the cache, the input's bytes already read)."""
        working = {"jobs", "no_cache", "cache_dir", "quiet", "data"}
        return {
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in working
        }


MAX_EPOCH = 253_402_300_799  # 9999-12-31T23:59:59Z: the last second an ISO date can name


def modified_time(path: str) -> str:
    """ISO time for metadata: $SOURCE_DATE_EPOCH, else the input's mtime (stdin: epoch 0)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or None  # set but empty: unset
    if epoch is None:
        try:
            epoch = str(max(0, int(Path(path).stat().st_mtime))) if path != "-" else "0"
        except OSError:
            epoch = "0"  # the input's own error is reported when it is read
    if not epoch.isdigit() or int(epoch) > MAX_EPOCH:
        raise OptionError(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds from 0 to {MAX_EPOCH} "
            "(1970 to 9999); fix or unset it"
        )
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


MANIFEST = ".speak-outputs"  # the files the last build wrote into its folder, one a line


def _check_options(options: BuildOptions) -> None:
    """Every option value that needs no input, checked before anything is read or written."""
    from speak.document.load import ERRORS, check_encoding
    from speak.speech.voices import check_rate

    if options.encoding:
        check_encoding(options.encoding)
    if options.errors not in ERRORS:
        raise OptionError(f"--errors {options.errors}: use one of {', '.join(ERRORS)}")
    if options.rate is not None:
        check_rate(options.rate)
    choices = {
        "ruby": ("all", "polyphones", "none"),
        "notation": ("pinyin", "zhuyin", "numbers"),
        "tones": ("citation", "spoken"),
    }
    for name, allowed in choices.items():
        value = getattr(options, name)
        if value not in allowed:
            raise OptionError(f"--{name} {value}: use one of {', '.join(allowed)}")
    if not options.formats:
        return
    from speak.export.base import exporters  # imports every exporter: only when asked

    unknown = sorted(set(options.formats) - set(exporters()))
    if unknown:
        raise OptionError(
            f"unknown output format {', '.join(unknown)}; use {', '.join(exporters())}"
        )


def _own_folder(out: Path, written: list[Path], notes: list[str]) -> None:
    """Make ``out`` hold this build's outputs only: remove what the last build wrote and this
    one did not (a renamed section's MP3, audio after --no-audio), then record this build's.

    Only files a build listed are ever removed: ``-o`` may name a folder with other files."""
    manifest = out / MANIFEST
    try:
        before = manifest.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        before = []
    now = sorted({str(p.relative_to(out)) for p in written if p.is_relative_to(out)})
    for name in sorted(set(before) - set(now)):
        stale = out / name
        if ".." in Path(name).parts or not stale.is_file():
            continue
        with contextlib.suppress(OSError):
            stale.unlink()
            notes.append(f"{stale}: removed (an earlier build's output this one did not make)")
            with contextlib.suppress(OSError):  # its folder too, once empty
                stale.parent.rmdir() if stale.parent != out else None
    write_text(manifest, "".join(f"{name}\n" for name in now))


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
    errors: str = "strict",
    keep_repeats: bool = False,
    no_audio: bool = False,
    no_cache: bool = False,
    cache_dir: str | Path | None = None,
    ruby: str = "all",
    notation: str = "pinyin",
    tones: str = "citation",
    quiet: bool = True,
    formats: tuple[str, ...] | None = None,
    data: bytes | None = None,
) -> BuildResult:
    """Check, speak and export one input into ``out``; raises SpeakError for bad input.

    Writes ``report.json`` and ``report.txt``, ``audio/`` (unless ``no_audio``: section MP3s
    with their subtitles, ``00-full.mp3``) and every registered reading copy (or only
    ``formats``). ``jobs``: sentences the engine may synthesize at once. A section that fails to
    synthesize is reported in the result (``ok`` False, exit code 1); the other outputs are
    still written. Every option is checked, and the input read, before anything is written;
    then the build owns ``out``: what an earlier build wrote there and this one did not is
    removed, and so are the ``.part`` files of killed runs. ``data``: the input's bytes, when
    already read (standard input). A failed write (disk full, read-only) is an OutputError.
    """
    options = BuildOptions(
        engine=engine,
        voice=voice,
        rate=rate,
        jobs=jobs,
        lexicon=lexicon,
        encoding=encoding,
        errors=errors,
        keep_repeats=keep_repeats,
        no_audio=no_audio,
        no_cache=no_cache,
        cache_dir=cache_dir,
        ruby=ruby,
        notation=notation,
        tones=tones,
        quiet=quiet,
        formats=formats,
        data=data,
    )
    try:
        return _build(path, Path(out), options)
    except OSError as e:  # one the writers did not name (fsutil names the ones it writes)
        raise os_error(e, e.filename or out) from None


def _build(path, out: Path, options: BuildOptions) -> BuildResult:
    import time

    started = time.perf_counter()
    result = BuildResult(str(path), out)
    _check_options(options)
    modified = modified_time(str(path))  # dates the tags and the EPUB
    chose: list[str] = []
    if not options.no_audio:  # auto/neural become the engine that will speak (neural: fetched)
        from speak.speech.neural.choice import choose_engine, voice_fingerprint

        engine, voice, chose = choose_engine(options.engine, options.voice, quiet=options.quiet)
        options = dataclasses.replace(options, engine=engine, voice=voice)
        result.notes += chose
    remembered = options.shaping()
    if options.engine == "neural" and not options.no_audio:  # another model sounds different
        remembered["voice_model"] = voice_fingerprint()
    restored, key = _remembered(
        str(path), out, remembered, modified, options.cache_dir, use=not options.no_cache
    )
    if restored is not None:
        restored.notes[:0] = chose
        _own_folder(out, restored.outputs, restored.notes)
        restored.seconds = time.perf_counter() - started
        return restored
    _make(result, path, out, modified, options)
    if key is not None and result.ok:
        from speak.build_cache import BuildCache, cache_root

        BuildCache(cache_root(options.cache_dir)).store(key, result, out)
    result.seconds = time.perf_counter() - started
    return result


def _remembered(
    path: str, out: Path, options: dict, modified: str, cache_dir, *, use: bool
) -> tuple[BuildResult | None, str | None]:
    """(the result of the same build made before, restored into ``out``, or None; the build's
    key, None when it cannot be remembered: standard input, an unreadable file)."""
    if path == "-" or not Path(path).is_file():
        return None, None
    from speak.build_cache import BuildCache, build_key, cache_root, restore_or_none

    key = build_key(path, options, modified)
    if key is None or not use:
        return None, key
    found = restore_or_none(BuildCache(cache_root(cache_dir)), key, out)
    if found is None:
        return None, key
    summary, outputs = found
    known = {f.name for f in dataclasses.fields(BuildResult)}
    values = {k: v for k, v in summary.items() if k in known - {"source", "out", "outputs"}}
    values["synthesized"], values["notes"] = 0, []
    return BuildResult(path, out, **values, outputs=outputs), key


def _make(result: BuildResult, path, out: Path, modified: str, options: BuildOptions) -> None:
    """The build itself: check, speak, export."""
    from speak.check.analysis import iter_findings, load_document, load_lexicon_file
    from speak.check.report import Report
    from speak.document.metadata import report_date
    from speak.export.base import Bundle, ExportOptions, exporters
    from speak.fsutil import atomic_path, remove_stale_parts
    from speak.model import Finding, SectionAudio
    from speak.progress import progress_bar
    from speak.readings.table import ReadingTable

    chosen = speaker = None
    if not options.no_audio:
        from speak.speech.engines.base import get_engine
        from speak.speech.voices import resolve_voice

        chosen = resolve_voice(options.voice, options.engine)
        if options.rate is not None:
            chosen = dataclasses.replace(chosen, rate=options.rate)
        speaker = get_engine(options.engine)
        speaker.jobs = options.jobs
    lex = load_lexicon_file(options.lexicon)
    doc = load_document(
        path,
        encoding=options.encoding,
        keep_repeats=options.keep_repeats,
        errors=options.errors,
        data=options.data,
    )
    with contextlib.ExitStack() as stack:
        reports = [stack.enter_context(Report(doc, fmt)) for fmt in ("json", "table")]
        readings = ReadingTable()  # every reading, compactly: the exports need them
        shown: list[Finding] = []  # findings but "agree", for the exports; the reports hold all
        with progress_bar(f"{path}: reading", "paragraph", quiet=options.quiet) as bar:
            for finding in iter_findings(doc, lex, readings=readings, progress=bar):
                for made in reports:
                    made.add((finding,))
                if finding.status != "agree":
                    shown.append(finding)
        result.sections = len(doc.sections)
        result.sentences = sum(len(s.sentences) for s in doc.sections)
        result.findings = len(shown)
        # Everything is known good: from here on the build writes.
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise os_error(e, out, "cannot make the output folder") from None
        for part in remove_stale_parts(out):
            result.notes.append(f"{part}: removed (left by a build that was stopped)")
        for made, name in zip(reports, ("report.json", "report.txt"), strict=True):
            with atomic_path(out / name) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
                made.write(f.write)  # streamed from the spool: never the whole report at once
            result.outputs.append(out / name)
    audio: tuple[SectionAudio, ...] = ()
    voice_name = ""
    if chosen is not None and speaker is not None:
        from speak.export.subtitles import write_subtitles
        from speak.speech.cache import AudioCache
        from speak.speech.render import render
        from speak.speech.voices import narrator

        licence = chosen.extra.get("licence", "")  # named with the narrator (neural voice)
        voice_name = f"{narrator(chosen)} ({licence})" if licence else narrator(chosen)
        cache = AudioCache(
            Path(options.cache_dir) if options.cache_dir else None, reuse=not options.no_cache
        )
        for part in remove_stale_parts(cache.root):
            result.notes.append(f"{part}: removed (left by a build that was stopped)")
        try:
            rendered = render(
                doc,
                readings,
                lex,
                speaker,
                chosen,
                cache,
                out / "audio",
                year=report_date(doc),
                quiet=options.quiet,
            )
        finally:
            result.notes += cache.damaged
        audio = tuple(rendered.sections)
        for section in audio:
            result.outputs += [section.path, *write_subtitles(section.cues, section.path)]
        if rendered.full:
            result.outputs.append(rendered.full)
        result.synthesized = rendered.synthesized
        result.audio_seconds = rendered.seconds
        result.failed_sections = rendered.failed
        result.notes += rendered.notices
    export_options = ExportOptions(
        name=output_name(doc.source),
        ruby=options.ruby,
        notation=options.notation,
        modified=modified,
        voice=voice_name,
        tones=options.tones,
    )
    bundle = Bundle(doc, readings, tuple(shown), export_options, audio)
    for name, export in sorted(exporters().items()):
        if options.formats is None or name in options.formats:
            result.outputs += export(bundle, out)
    _own_folder(out, result.outputs, result.notes)
    if result.failed_sections:
        result.ok, result.exit_code = False, 1
        result.message = "; ".join(result.failed_sections)


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


def _folder_name(relative: Path) -> str:
    """A folder name for an input path relative to the inputs' common root: its parts
    without the suffix, joined by ``-`` (``d1/sub/r.txt`` → ``d1-sub-r``)."""
    parts = [*relative.parent.parts, relative.stem]
    return output_name("-".join(p for p in parts if p not in ("", ".", "..")) + ".txt")


def _out_dirs(paths: list[str], out: Path) -> tuple[list[Path], list[str]]:
    """One distinct folder per input under ``out``, and a note for each name changed.

    An input's folder is named by its stem when no other input has that stem, else by its
    path from the inputs' common folder (``d1/sub/r.txt`` and ``d2/sub/r.txt`` give
    ``d1-sub-r`` and ``d2-sub-r``). Names still equal, even only in letter case (one folder
    on some file systems), get ``-2``, ``-3``... with a note."""
    if len(paths) == 1:
        return [out], []
    files = [Path(os.path.abspath(p)) for p in paths if p != "-"]
    root = Path(os.path.commonpath([str(f.parent) for f in files])) if files else Path.cwd()
    stems = [output_name(p) for p in paths]
    names = []
    for p, stem in zip(paths, stems, strict=True):
        if p == "-" or stems.count(stem) == 1:
            names.append(stem)
        else:
            names.append(_folder_name(Path(os.path.abspath(p)).relative_to(root)))
    taken: set[str] = set()
    dirs, notes = [], []
    for p, name in zip(paths, names, strict=True):
        unique, n = name, 1
        while unique.casefold() in taken:
            n += 1
            unique = f"{name}-{n}"
        if unique != name:
            notes.append(f"{p}: written to {out / unique} ({out / name} is another input's)")
        taken.add(unique.casefold())
        dirs.append(out / unique)
    return dirs, notes


def build_many(
    inputs: list[str], out: Path, *, quiet: bool = False, jobs: int = 2, **options
) -> list[BuildResult]:
    """Build every input (files, folders) into its own folder under ``out``.

    ``jobs`` is how much speak does at once, in all: several inputs are built in up to ``jobs``
    processes, and the rest of ``jobs`` goes to each build's engine (sentences at once).
    One input raises SpeakError for bad input; with several, a bad one is a failed result.
    Standard input (``-``, at most once) is read here and built in this process.
    """
    paths = expand_inputs(inputs)
    if not paths:
        raise InputError(f"no .txt files found in {', '.join(inputs)}; give files or folders")
    if paths.count("-") > 1:
        raise OptionError("- (standard input) is given more than once; give it once")
    _check_options(BuildOptions(**options))  # build()'s defaults for what is not given
    modified_time(paths[0])  # a bad SOURCE_DATE_EPOCH stops every input, before any writes
    dirs, notes = _out_dirs(paths, out)
    if len(paths) == 1:
        result = build(paths[0], dirs[0], **options, jobs=jobs, quiet=quiet)
        result.notes[:0] = notes
        return [result]
    workers = min(jobs, len(paths))
    options = {**options, "jobs": max(1, jobs // workers), "quiet": True}
    from speak.progress import progress_bar

    results: list[BuildResult] = []
    bar = progress_bar("inputs", "file", total=len(paths), quiet=quiet)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(_safe_build, p, d, options)
            for p, d in zip(paths, dirs, strict=True)
            if p != "-"
        ]
        if "-" in paths:  # the pool's processes cannot read this one's standard input
            stdin = dirs[paths.index("-")]
            results.append(_safe_build("-", stdin, {**options, "data": sys.stdin.buffer.read()}))
            bar.update(1)
        for future in as_completed(futures):
            results.append(future.result())
            bar.update(1)
    bar.close()
    order = {p: k for k, p in enumerate(paths)}
    results.sort(key=lambda r: order[r.source])
    results[0].notes[:0] = notes
    return results
