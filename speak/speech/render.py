"""A document's sections as MP3s: plan the utterances, synthesize what the cache lacks,
encode one MP3 per section and the whole report with chapters, and time every sentence."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from speak.errors import EngineError, EngineUnavailable
from speak.model import Document, Reading, SectionAudio, SyllableTiming, Timing, Utterance, Voice
from speak.naming import section_stem
from speak.progress import progress_bar
from speak.speech.audio import (
    MP3_BITRATE,
    MP3_FORMAT,
    Tags,
    encode_mp3,
    join_mp3,
    mp3_duration,
    silence,
    stream_mp3,
)
from speak.speech.cache import AudioCache, clip_key, digest
from speak.speech.cues import sentence_cues
from speak.speech.engines.base import Engine
from speak.speech.loudness import (
    CODING_ALLOWANCE,
    PCM_CEILING_DBTP,
    TARGET_LUFS,
    integrated_loudness,
    normalization_gain,
    normalized,
)
from speak.speech.loudness import METHOD as LOUDNESS_METHOD
from speak.speech.loudness import TOLERANCE as LOUDNESS_TOLERANCE
from speak.speech.script import utterances
from speak.speech.voices import narrator

SYNTH_BATCH = 8  # utterances per engine call (times its jobs): small enough for smooth progress
FULL_NAME = "00-full.mp3"


@dataclass(frozen=True)
class SectionPlan:
    """The audio work of one section: its file stem and its utterances with cache keys."""

    index: int
    stem: str
    title: str
    utterances: tuple[Utterance, ...]
    keys: tuple[str, ...]


@dataclass
class Rendered:
    """What rendering made: each section's MP3 and timings, the whole-report MP3, and the
    sections that failed (by number and title, with the engine's message)."""

    sections: list[SectionAudio] = field(default_factory=list)
    full: Path | None = None
    synthesized: int = 0  # sentences sent to the engine (the rest came from the cache)
    failed: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what the voice did not say as written

    @property
    def seconds(self) -> float:
        return sum(a.duration for a in self.sections)


MAX_UTTERANCE = 500  # characters one engine call speaks at most; a longer sentence is split
CLAUSE_ENDS = "，、；：,;:　 "  # where a long sentence is split, in preference to anywhere
CLAUSE_PAUSE = 0.15  # seconds between the pieces of a split sentence (a comma's pause)


def split_long(utterance: Utterance, limit: int = MAX_UTTERANCE) -> list[Utterance]:
    """An overlong sentence as pieces of at most ``limit`` characters, cut after the last
    clause mark in each piece's second half (else at the limit), so no engine call (and no
    clip in memory) grows with the sentence: one 80 KB sentence was a 52-minute clip and
    3.8 GB. The pieces keep the sentence's id; only the last keeps its pause."""
    text = utterance.text
    if len(text) <= limit:
        return [utterance]
    say = utterance.say if len(utterance.say) == len(text) else ""
    pieces: list[Utterance] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + limit)
        if end < len(text):
            cut = max(text.rfind(c, start + limit // 2, end) for c in CLAUSE_ENDS)
            end = cut + 1 if cut >= 0 else end
        last = end == len(text)
        pieces.append(
            dataclasses.replace(
                utterance,
                text=text[start:end],
                readings=utterance.readings[start:end],
                source_offsets=utterance.source_offsets[start:end],
                say=say[start:end],
                pause_after=utterance.pause_after if last else CLAUSE_PAUSE,
            )
        )
        start = end
    return pieces


def plan_sections(
    doc: Document, readings: dict[int, Reading], lexicon, engine: Engine, voice: Voice
) -> list[SectionPlan]:
    """One plan per section, in reading order."""
    by_section = utterances(doc, readings, lexicon)
    plans = []
    for section in doc.sections:
        utts = tuple(p for u in by_section.get(section.index, ()) for p in split_long(u))
        keys = tuple(clip_key(engine.name, engine.version, voice, u) for u in utts)
        stem = section_stem(doc, section, readings)
        plans.append(SectionPlan(section.index, stem, section.title, utts, keys))
    return plans


def synthesize_missing(
    engine: Engine,
    voice: Voice,
    cache: AudioCache,
    plans: list[SectionPlan],
    *,
    quiet: bool,
    label: str,
) -> tuple[int, dict[int, str]]:
    """Fill the cache for every sentence not in it; returns (count made, failures by section)."""
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
    size = SYNTH_BATCH * max(1, engine.jobs or 1)  # keep every worker busy
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


def section_timings(plan: SectionPlan, cache: AudioCache) -> list[Timing]:
    """Where each sentence is heard in the section's audio (from clip lengths alone)."""
    timings: list[Timing] = []
    t = 0.0
    for u, key in zip(plan.utterances, plan.keys, strict=True):
        length = cache.seconds(key)
        if timings and timings[-1].sentence_id == u.sentence_id:  # a piece of a split sentence
            first = timings.pop()
            timings.append(
                Timing(u.sentence_id, first.start, round(t + length, 3), first.text + u.text)
            )
        else:
            timings.append(Timing(u.sentence_id, round(t, 3), round(t + length, 3), u.text))
        t += length + len(silence(u.pause_after, cache.rate)) / 2 / cache.rate
    return timings


def section_cues(doc: Document, plan: SectionPlan, timings: list[Timing], cache: AudioCache):
    """Subtitle cues of a section: each sentence as printed, long ones cut at clause breaks,
    timed from the word marks stored with each clip (a sentence spoken in pieces, from each
    piece's, its cues numbered in order)."""
    sentences = {s.id: s for s in doc.sections[plan.index].sentences}  # this section's only
    spoken = list(zip(plan.utterances, plan.keys, strict=True))
    cues: list[Timing] = []
    i = 0
    for timing in timings:
        j = i + 1
        while j < len(spoken) and spoken[j][0].sentence_id == timing.sentence_id:
            j += 1
        group, i = spoken[i:j], j
        sentence = sentences[timing.sentence_id]
        if len(group) == 1:
            u, key = group[0]
            cues += sentence_cues(
                timing, doc.text_of(sentence), sentence.start, u, cache.marks(key)
            )
            continue
        found: list[Timing] = []
        lo, t = sentence.start, timing.start
        for n, (u, key) in enumerate(group, start=1):
            hi = sentence.end if n == len(group) else max(lo, max(u.source_offsets) + 1)
            length = cache.seconds(key)
            piece = Timing(timing.sentence_id, round(t, 3), round(t + length, 3))
            found += sentence_cues(piece, doc.text[lo:hi], lo, u, cache.marks(key))
            lo = hi
            t += length + len(silence(u.pause_after, cache.rate)) / 2 / cache.rate
        cues += [
            dataclasses.replace(cue, sentence_id=f"{timing.sentence_id}-{m}")
            for m, cue in enumerate(found, start=1)
        ]
    return tuple(cues)


def section_syllables(plan: SectionPlan, cache: AudioCache) -> tuple[SyllableTiming, ...]:
    """Where each syllable is heard in the section's audio, for clips that carry syllable
    times (the neural engine's); the printed characters each says, by their source offsets."""
    found: list[SyllableTiming] = []
    t = 0.0
    for u, key in zip(plan.utterances, plan.keys, strict=True):
        for first, last, _, begin, end in cache.syllables(key):
            said = u.source_offsets[first:last]  # number words may point back out of order
            found.append(
                SyllableTiming(min(said), max(said) + 1, round(t + begin, 3), round(t + end, 3))
            )
        t += cache.seconds(key) + len(silence(u.pause_after, cache.rate)) / 2 / cache.rate
    return tuple(found)


def _section_pcm(plan: SectionPlan, cache: AudioCache) -> Iterator[bytes]:
    """Stream a section's PCM from the cache: each sentence, then its pause."""
    for u, key in zip(plan.utterances, plan.keys, strict=True):
        yield cache.get(key).pcm
        yield silence(u.pause_after, cache.rate)


def _section_mp3(plan: SectionPlan, cache: AudioCache, path: Path, tags: Tags) -> float:
    """Encode a section's MP3 at ``TARGET_LUFS``, or copy it from the cache when the same one
    was made before.

    The gain comes from the section's PCM; the MP3 is then decoded and measured as a listener
    gets it, and encoded once more with the gain corrected when limiting and coding moved it
    more than ``LOUDNESS_TOLERANCE`` from the target. The first encoding already allows for
    ``CODING_ALLOWANCE`` (what the peak limiter and the encoder's low-pass took off eSpeak's
    speech, measured), so most sections are encoded once. Each section's bytes depend on its
    own audio only (not on which other sections came from the cache), so the same input
    always gives the same file.
    """
    key = digest(
        [
            plan.keys,
            [u.pause_after for u in plan.utterances],
            dataclasses.asdict(tags),
            MP3_BITRATE,
            MP3_FORMAT,
            [TARGET_LUFS, PCM_CEILING_DBTP, LOUDNESS_METHOD, LOUDNESS_TOLERANCE, CODING_ALLOWANCE],
        ]
    )
    if cache.has_encoded(key):
        cache.copy_encoded(key, path)
        return mp3_duration(path)
    gain = normalization_gain(lambda: _section_pcm(plan, cache), cache.rate) + CODING_ALLOWANCE
    duration = encode_mp3(normalized(_section_pcm(plan, cache), gain, cache.rate), path, tags=tags)
    heard = integrated_loudness(stream_mp3(path), cache.rate)
    if abs(heard - TARGET_LUFS) > LOUDNESS_TOLERANCE:
        gain += TARGET_LUFS - heard
        pcm = normalized(_section_pcm(plan, cache), gain, cache.rate)
        duration = encode_mp3(pcm, path, tags=tags)
    cache.keep_encoded(key, path)
    return duration


def render(
    doc: Document,
    readings: dict[int, Reading],
    lexicon,
    engine: Engine,
    voice: Voice,
    cache: AudioCache,
    audio_dir: Path,
    *,
    year: str,
    quiet: bool = True,
) -> Rendered:
    """Write ``audio_dir/NN-slug.mp3`` per section and ``00-full.mp3`` with one chapter each."""
    plans = plan_sections(doc, readings, lexicon, engine, voice)
    made, failures = synthesize_missing(engine, voice, cache, plans, quiet=quiet, label=doc.source)
    rendered = Rendered(synthesized=made)
    rendered.notices += engine.notices([u for p in plans for u in p.utterances])
    licence = voice.extra.get("licence", "")  # e.g. the neural voice's data licence
    artist = f"{narrator(voice)} ({licence})" if licence else narrator(voice)
    comment = voice.extra.get("description", "") if licence else ""
    album = doc.title
    good = [p for p in plans if p.index not in failures and p.utterances]
    for plan in good:
        tags = Tags(
            title=plan.title,
            album=album,
            artist=artist,
            track=plan.index + 1,
            tracks=len(plans),
            year=year,
            comment=comment,
        )
        path = audio_dir / f"{plan.stem}.mp3"
        duration = _section_mp3(plan, cache, path, tags)
        timings = section_timings(plan, cache)
        cues = section_cues(doc, plan, timings, cache)
        syllables = section_syllables(plan, cache)
        rendered.sections.append(
            SectionAudio(plan.index, path, duration, tuple(timings), cues, syllables)
        )
    if rendered.sections:
        parts = [
            (audio.path, f"ch{plan.index + 1:02d}", plan.title)
            for plan, audio in zip(good, rendered.sections, strict=True)
        ]
        tags = Tags(title=album, album=album, artist=artist, year=year, comment=comment)
        rendered.full = audio_dir / FULL_NAME
        join_mp3(parts, rendered.full, tags=tags)
    for index, message in failures.items():
        title = next(p.title for p in plans if p.index == index)
        rendered.failed.append(f"{index + 1:02d} {title}: {message}")
    return rendered
