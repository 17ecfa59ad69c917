"""The whole job for one input: check, speak each section, export the reading copies.

``speak.build(path, out, **options)`` is the Python API the CLI uses; ``build_many`` maps it over
several inputs in parallel processes.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from speak.check import report
from speak.check.analysis import Analysis, analyze
from speak.errors import SpeakError
from speak.export.base import Bundle, ExportOptions, SectionAudio, exporters
from speak.fsutil import write_text
from speak.model import Timing, Utterance, Voice
from speak.naming import output_name, section_stem
from speak.progress import progress_bar
from speak.speech.cache import AudioCache, clip_key, digest

SYNTH_BATCH = 8  # utterances per engine call (times --jobs): small enough for smooth progress


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


@dataclass(frozen=True)
class _Plan:
    """The audio work of one section: its stem and its utterances with cache keys."""

    index: int
    stem: str
    title: str
    utterances: tuple[Utterance, ...]
    keys: tuple[str, ...]


def modified_time(path: str) -> str:
    """ISO time for metadata: $SOURCE_DATE_EPOCH, else the input's mtime (stdin: epoch 0)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or None  # set but empty: unset
    if epoch is None:
        epoch = str(int(Path(path).stat().st_mtime)) if path != "-" else "0"
    if not epoch.isdigit():
        raise SpeakError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds; fix or unset it")
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def choose_engine(
    engine: str, voice: str | None = None, *, quiet: bool = True
) -> tuple[str, str | None, list[str]]:
    """The engine (and preset) to speak with, and one-line notices about the choice.

    ``auto`` takes the preset's engine when a preset is named, else ``neural`` when its model is
    present, else ``espeak``. ``neural`` fetches its model when it is missing (a visible line);
    when that fails (no network) the build speaks with eSpeak and says how to fetch.
    """
    from speak.speech.neural import fetch

    if engine == "auto" and voice:
        from speak.speech.voices import resolve_preset

        engine = resolve_preset(voice).engine
    if engine == "auto":
        if fetch.is_present():
            return "neural", voice, []
        return (
            "espeak",
            voice,
            [f"speak: speaking with eSpeak; for the neural voice, {fetch.HOW_TO_FETCH}"],
        )
    if engine != "neural" or fetch.is_present():
        return engine, voice, []
    try:
        fetch.fetch(quiet=quiet)
    except fetch.FetchError as e:
        return (
            "espeak",
            None,
            [f"speak: {e}; speaking with eSpeak instead: {fetch.HOW_TO_FETCH} when online"],
        )
    return "neural", voice, []


def _synthesize_missing(
    engine, voice: Voice, cache: AudioCache, plans: list[_Plan], quiet: bool, label: str
) -> tuple[int, dict[int, str]]:
    """Fill the cache for every sentence not in it; returns (count made, failures by section)."""
    from speak.speech.engines.base import EngineError, EngineUnavailable

    todo = [
        (
            plan,
            [(u, k) for u, k in zip(plan.utterances, plan.keys, strict=True) if not cache.has(k)],
        )
        for plan in plans
    ]
    total = sum(len(items) for _, items in todo)
    failures: dict[int, str] = {}
    made = 0
    size = SYNTH_BATCH * max(1, getattr(engine, "jobs", 1) or 1)  # keep every job busy
    with progress_bar(label, "sentence", total=total, quiet=quiet) as bar:
        for plan, items in todo:
            for i in range(0, len(items), size):
                batch = items[i : i + size]
                try:
                    clips = engine.synthesize([u for u, _ in batch], voice)
                except EngineUnavailable:
                    raise
                except EngineError as e:
                    failures[plan.index] = str(e)
                    bar.update(len(items) - i)
                    break
                for (_, key), clip in zip(batch, clips, strict=True):
                    cache.put(key, clip)
                made += len(batch)
                bar.update(len(batch))
    return made, failures


def _timings(plan: _Plan, cache: AudioCache) -> list[Timing]:
    """Where each sentence is heard in the section's audio (from clip lengths alone)."""
    from speak.speech.audio import silence

    timings, t = [], 0.0
    for u, key in zip(plan.utterances, plan.keys, strict=True):
        length = cache.seconds(key)
        timings.append(Timing(u.sentence_id, round(t, 3), round(t + length, 3), u.text))
        t += length + len(silence(u.pause_after, cache.rate)) / 2 / cache.rate
    return timings


def _section_pcm(plan: _Plan, cache: AudioCache) -> Iterator[bytes]:
    """Stream a section's PCM from the cache: each sentence, then its pause."""
    from speak.speech.audio import silence

    for u, key in zip(plan.utterances, plan.keys, strict=True):
        yield cache.get(key).pcm
        yield silence(u.pause_after, cache.rate)


def _section_mp3(plan: _Plan, cache: AudioCache, path: Path, tags) -> float:
    """Encode a section's MP3, or copy it from the cache when the same one was made before."""
    from speak.speech.audio import MP3_BITRATE, encode_mp3, mp3_duration

    key = digest(
        [plan.keys, [u.pause_after for u in plan.utterances], dataclasses.asdict(tags), MP3_BITRATE]
    )
    if cache.has_encoded(key):
        cache.copy_encoded(key, path)
        return mp3_duration(path)
    duration = encode_mp3(_section_pcm(plan, cache), path, tags=tags)
    cache.keep_encoded(key, path)
    return duration


def _speak(
    analysis: Analysis,
    year: str,
    out: Path,
    engine_name: str,
    voice: Voice,
    cache: AudioCache,
    jobs: int,
    quiet: bool,
    result: BuildResult,
) -> tuple[SectionAudio, ...]:
    """Write OUT/audio/NN-slug.mp3 (+ .vtt/.srt) per section and 00-full.mp3 with chapters."""
    from speak.export.subtitles import write_subtitles
    from speak.speech.audio import Chapter, Tags, join_mp3
    from speak.speech.engines.base import get_engine
    from speak.speech.script import utterances

    doc = analysis.doc
    engine = get_engine(engine_name)
    if hasattr(engine, "jobs"):
        engine.jobs = jobs
    by_section = utterances(doc, analysis.readings, analysis.lexicon)
    plans = []
    for section in doc.sections:
        utts = tuple(by_section.get(section.index, ()))
        keys = tuple(clip_key(engine.name, engine.version, voice, u) for u in utts)
        plans.append(
            _Plan(
                section.index,
                section_stem(doc, section, analysis.readings),
                section.title,
                utts,
                keys,
            )
        )
    made, failures = _synthesize_missing(engine, voice, cache, plans, quiet, doc.source)
    result.synthesized = made
    if hasattr(engine, "notices"):  # what the voice could not say as written
        result.notices += engine.notices([u for p in plans for u in p.utterances])
    audio_dir = out / "audio"
    licence = voice.extra.get("licence", "")
    artist = (
        f"{voice.name} ({engine.name}; {licence})" if licence else f"{voice.name} ({engine.name})"
    )
    written: list[SectionAudio] = []
    good = [p for p in plans if p.index not in failures and p.utterances]
    for plan in good:
        tags = Tags(
            title=plan.title,
            album=doc.title,
            artist=artist,
            track=plan.index + 1,
            tracks=len(plans),
            year=year,
            comment=voice.extra.get("description", "") if licence else "",
        )
        path = audio_dir / f"{plan.stem}.mp3"
        duration = _section_mp3(plan, cache, path, tags)
        timings = _timings(plan, cache)
        written.append(SectionAudio(plan.index, path, duration, tuple(timings)))
        result.outputs += [path, *write_subtitles(timings, path)]
    if written:
        chapters, t = [], 0.0
        for plan, audio in zip(good, written, strict=True):
            chapters.append(Chapter(f"ch{plan.index + 1:02d}", plan.title, t, t + audio.duration))
            t += audio.duration
        comment = voice.extra.get("description", "") if licence else ""
        tags = Tags(title=doc.title, album=doc.title, artist=artist, year=year, comment=comment)
        full = audio_dir / "00-full.mp3"
        join_mp3([a.path for a in written], full, tags=tags, chapters=chapters)
        result.outputs.append(full)
    for index, message in failures.items():
        title = next(p.title for p in plans if p.index == index)
        result.failed_sections.append(f"{index + 1:02d} {title}: {message}")
    result.audio_seconds = sum(a.duration for a in written)
    return tuple(written)


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

    Writes ``report.json`` and ``report.txt``, ``audio/`` (unless ``no_audio``) and every
    registered reading copy (or only ``formats``). A section that fails to synthesize is
    reported in the result (``ok`` False, exit code 1); the other outputs are still written.
    """
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
        from speak.speech.voices import resolve_voice

        engine, voice, notices = choose_engine(engine, voice, quiet=quiet)
        result.notices += notices
        chosen = resolve_voice(voice, engine)
        if rate is not None:
            chosen = dataclasses.replace(chosen, rate=rate)
        licence = chosen.extra.get("licence", "")
        voice_name = f"{chosen.voice} ({licence})" if licence else chosen.voice
        cache = AudioCache(Path(cache_dir) if cache_dir else None, reuse=not no_cache)
        audio = _speak(analysis, modified[:4], out, engine, chosen, cache, jobs, quiet, result)
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
    """Build every input (files, folders), in parallel processes when there are several."""
    paths = expand_inputs(inputs)
    if not paths:
        raise SpeakError(f"no .txt files found in {', '.join(inputs)}; give files or folders")
    dirs = _out_dirs(paths, out)
    options = {**options, "jobs": jobs}
    if not options.get("no_audio") and options.get("engine", "espeak") in ("auto", "neural"):
        # Chosen (and fetched) once here, not in each input's process.
        engine, voice, notices = choose_engine(
            options.get("engine", "espeak"), options.get("voice"), quiet=quiet
        )
        options = {**options, "engine": engine, "voice": voice}
        for line in notices:
            print(line, file=sys.stderr)
    if len(paths) == 1:
        result = build(paths[0], dirs[0], **options, quiet=quiet)  # bad input raises: exit 2
        _print_summary([result], quiet)
        return [result]
    results: list[BuildResult] = []
    bar = progress_bar("inputs", "file", total=len(paths), quiet=quiet)
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths))) as pool:
        futures = {
            pool.submit(_safe_build, p, d, {**options, "quiet": True}): p
            for p, d in zip(paths, dirs, strict=True)
        }
        for future in as_completed(futures):
            results.append(future.result())
            bar.update(1)
    bar.close()
    results.sort(key=lambda r: paths.index(r.source))
    _print_summary(results, quiet)
    return results


def _print_summary(results: list[BuildResult], quiet: bool) -> None:
    """One line per input: sections, sentences, audio, findings, time; failures by name."""
    for r in results:
        for line in r.notices if not quiet else ():
            print(line if line.startswith("speak:") else f"speak: {line}", file=sys.stderr)
        if not r.ok:
            message = r.message if r.message.startswith(r.source) else f"{r.source}: {r.message}"
            print(f"speak: {message}", file=sys.stderr)
    if quiet:
        return
    print(
        f"{'input':<40} {'sections':>8} {'sentences':>9} {'made':>5} {'audio':>8} "
        f"{'findings':>8} {'time':>7}  status"
    )
    for r in results:
        status = "ok" if r.ok else "FAILED"
        print(
            f"{_fit(r.source, 40):<40} {r.sections:>8} {r.sentences:>9} {r.synthesized:>5} "
            f"{r.audio_seconds:>7.1f}s {r.findings:>8} {r.seconds:>6.1f}s  {status}"
        )
    if len(results) == 1 and results[0].ok:
        print(f"outputs in {results[0].out}")


def _fit(text: str, width: int) -> str:
    """``text``, or its end behind an ellipsis when it is wider than ``width``."""
    return text if len(text) <= width else "…" + text[-(width - 1) :]
