"""eSpeak NG (libespeak-ng 1.52, from the espeakng-loader wheel) via ctypes: offline Mandarin.

What is heard is what was checked. Each run of Han characters is cut into the words eSpeak
itself would speak (its dictionary segmentation, read from ``espeak_TextToPhonemes``). A word
whose phonemes already match the checked readings (``Utterance.readings``) stays as written;
any other word is sent as its checked pinyin with tone numbers, joined (``zeng1zhang3``), which
eSpeak speaks with the same word prosody as the characters. Readings arrive with their spoken
tones (speak.zh.tones: 一/不 and third tones inside a word): eSpeak's own guesses for 一 are
wrong in numbers (二〇二一 yi4, 一是 yi2) and it makes no third-tone sandhi, so a word whose
phonemes do not say exactly those tones is sent as pinyin, which eSpeak says as written.
Syllables eSpeak 1.52 reads as English (xiong, qiong, jiong, erhua r, ...) are given as phonemes
(``[[...]]``, with the espeakPHONEMES flag).

The library is process-global and not thread-safe: every call holds ``_LOCK``. Its
wave generator keeps state from one synthesis to the next (the glottal phase among it, which
neither espeak_Terminate nor a new espeak_Initialize resets), so the same text comes out with
other samples after other texts. Every utterance is therefore spoken by a freshly loaded
library (dlclose, then dlopen: its static state starts anew; about 7 ms), with the voice
loaded without pitch ``flutter``: the output is a function of the input alone, whatever the
process spoke before (the cache, byte-identical builds and builds on a cluster rely on it).
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import re
import signal
import tempfile
import threading
from collections.abc import Iterator
from functools import cache
from importlib import metadata
from pathlib import Path

import numpy as np

from speak.errors import EngineError, EngineUnavailable
from speak.model import Clip, Utterance, Voice
from speak.speech.audio import resample, trim_silence
from speak.speech.engines.base import SAMPLE_RATE, register
from speak.zh.han import HAN_CLASS
from speak.zh.pinyin import plain

CODE_VERSION = "4"  # bump when this module could make the same input sound different
NORMAL_RATE = 175  # eSpeak's default speed, words per minute
NORMAL_PITCH = 50  # eSpeak's default pitch on its 0-100 scale

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_POS_CHARACTER = 1
_CHARS_UTF8 = 0x1
_PHONEMES = 0x100
_RATE, _PITCH = 1, 3
_EVENT_LIST_TERMINATED, _EVENT_WORD, _EVENT_PHONEME = 0, 1, 7

TONE_DIGITS = {"1": "55", "2": "35", "3": "214", "4": "51", "5": "11"}  # pinyin → eSpeak tone

# Syllables eSpeak 1.52's cmn dictionary reads as English, spelled in its cmn phonemes
# ({} is the tone). xiong/qiong/jiong follow its own yong (j'ong); wong = weng; r = er.
PHONEME_OVERRIDES = {
    "xiong": "S;j'ong{}",
    "qiong": "tS;hj'ong{}",
    "jiong": "tS;j'ong{}",
    "wong": "w'u@{}N",
    "r": "'@r{}",
    "ê": "'E{}",
    "n": "'N-{}",
    "ng": "'N-{}",
    "hng": "X'N-{}",
    "m": "m'@{}",  # no syllabic m in eSpeak's Mandarin: closest approximation
    "hm": "Xm'@{}",
}

# Readings of the characters normalisation writes (number words), which carry no checked
# reading (None): used only to tell whether a word mixing them with checked characters agrees.
NUMBER_READINGS = dict(
    zip(
        "零〇一二三四五六七八九十百千萬万億亿兩两點点至分之",
        [
            "ling2",
            "ling2",
            "yi1",
            "er4",
            "san1",
            "si4",
            "wu3",
            "liu4",
            "qi1",
            "ba1",
            "jiu3",
            "shi2",
            "bai3",
            "qian1",
            "wan4",
            "wan4",
            "yi4",
            "yi4",
            "liang3",
            "liang3",
            "dian3",
            "dian3",
            "zhi4",
            "fen1",
            "zhi1",
        ],
        strict=True,
    )
)

_HAN = re.compile(f"[\u3007{HAN_CLASS}]")  # 〇 too: eSpeak reads it as a Han digit
_SYLLABLE = re.compile(r"^([a-zê]+)([1-5]?)$")


class _Event(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),  # union: number / name pointer / phoneme mnemonic
    )


_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)
_LOCK = threading.RLock()


class _Library:
    """The initialised libespeak-ng of this process (use only while holding ``_LOCK``)."""

    def __init__(self) -> None:
        self._voices = tempfile.TemporaryDirectory(prefix="speak-espeak-")  # voice files
        self._callback = _CALLBACK(self._collect)  # kept referenced: C holds the pointer
        self._pcm: list[bytes] = []
        self._phonemes: list[str] = []
        self.words: list[tuple[int, int]] = []  # (1-based text position, ms) of the last synth
        self._raised: BaseException | None = None  # what the callback caught, for synth
        self._stop = False  # Ctrl-C came during synthesis
        self._load()

    def restart(self) -> None:
        """Unload the library and load it again: every static of it starts anew."""
        import _ctypes

        self.lib.espeak_Terminate()
        _ctypes.dlclose(self.lib._handle)
        del self.lib
        self._load()

    def _load(self) -> None:
        try:
            import espeakng_loader

            lib = ctypes.CDLL(espeakng_loader.get_library_path())
            self.data_path = Path(espeakng_loader.get_data_path())
        except (ImportError, OSError) as e:
            raise EngineUnavailable(
                f"espeak: cannot load libespeak-ng ({e}); reinstall the espeakng-loader package"
            ) from None
        lib.espeak_Initialize.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int)
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_Info.argtypes = (ctypes.c_void_p,)
        lib.espeak_SetVoiceByFile.argtypes = (ctypes.c_char_p,)
        lib.espeak_SetParameter.argtypes = (ctypes.c_int, ctypes.c_int, ctypes.c_int)
        lib.espeak_Synth.argtypes = (
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        )
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_TextToPhonemes.argtypes = (
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.c_int,
            ctypes.c_int,
        )
        lib.espeak_ng_SetRandSeed.argtypes = (ctypes.c_long,)
        lib.espeak_ng_SetPhonemeEvents.argtypes = (ctypes.c_int, ctypes.c_int)
        self.rate = lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 200, str(self.data_path).encode(), _INITIALIZE_DONT_EXIT
        )
        if self.rate <= 0:
            raise EngineUnavailable(
                f"espeak: libespeak-ng found no voice data in {self.data_path}; "
                "reinstall the espeakng-loader package"
            )
        self.lib = lib
        self.version = lib.espeak_Info(None).decode()
        lib.espeak_SetSynthCallback(self._callback)
        self.voice_name = ""

    def _collect(self, wav, samples: int, events) -> int:
        """eSpeak's callback: keep the audio and phonemes; 1 (abort synthesis) after Ctrl-C.

        An exception cannot cross the C call (ctypes would print and drop it, and the build
        would run on): it is kept and raised by ``synth`` once eSpeak has returned.
        """
        if self._stop:
            return 1
        try:
            if samples > 0:
                self._pcm.append(ctypes.string_at(wav, samples * 2))
            i = 0
            while events[i].type != _EVENT_LIST_TERMINATED:
                if events[i].type == _EVENT_PHONEME:
                    self._phonemes.append(events[i].id.decode("ascii", "replace"))
                elif events[i].type == _EVENT_WORD:
                    self.words.append((events[i].text_position, events[i].audio_position))
                i += 1
        except BaseException as e:  # KeyboardInterrupt above all
            self._raised = e
            return 1
        return 0

    @contextlib.contextmanager
    def _ctrl_c_deferred(self) -> Iterator[None]:
        """While eSpeak runs, Ctrl-C only sets ``_stop`` (the callback then aborts synthesis);
        KeyboardInterrupt is raised once eSpeak has returned. Python would otherwise raise it
        inside the callback, at any line, where ctypes swallows it."""
        self._stop = False
        if (
            threading.current_thread() is not threading.main_thread()  # signals reach only it
            or signal.getsignal(signal.SIGINT) in (signal.SIG_IGN, None)
        ):
            yield
            return

        def stop(signum, frame) -> None:
            self._stop = True

        previous = signal.signal(signal.SIGINT, stop)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
        if self._stop:
            self._stop = False
            self._pcm = []
            if callable(previous):
                previous(signal.SIGINT, None)  # the usual handler raises KeyboardInterrupt
            raise KeyboardInterrupt  # the synthesis was cut short either way

    def set_voice(self, name: str) -> None:
        """Load the Mandarin voice ``name`` (a file under espeak-ng-data/lang) without flutter."""
        name = name.lower()
        if name == self.voice_name:
            return
        matches = sorted(p for p in (self.data_path / "lang").rglob("*") if p.name.lower() == name)
        if not matches or not name:
            raise EngineError(
                f"espeak: no voice {name!r} in libespeak-ng {self.version}; "
                'use voice = "cmn" in the preset'
            )
        path = Path(self._voices.name) / name
        if not path.is_file():
            definition = matches[0].read_text(encoding="latin-1") + "\nflutter 0\n"
            path.write_text(definition, encoding="latin-1")
        if self.lib.espeak_SetVoiceByFile(str(path).encode()) != 0:
            raise EngineError(f"espeak: cannot load voice {name!r}; reinstall espeakng-loader")
        self.voice_name = name

    def set_prosody(self, voice: Voice) -> None:
        rate = round(NORMAL_RATE * (100 + voice.rate) / 100)
        self.lib.espeak_SetParameter(_RATE, max(80, min(450, rate)), 0)
        self.lib.espeak_SetParameter(_PITCH, max(0, min(100, NORMAL_PITCH + voice.pitch)), 0)

    def text_to_phonemes(self, text: str) -> str:
        """eSpeak's phoneme mnemonics for plain text (no SSML, no [[ ]]), clause after clause."""
        data = ctypes.c_char_p(text.encode("utf-8"))
        pointer = ctypes.pointer(data)
        out = []
        while data.value:
            result = self.lib.espeak_TextToPhonemes(pointer, _CHARS_UTF8, 0)
            if result:
                out.append(result.decode("utf-8", "replace"))
        return " ".join(out)

    def synth(self, text: str, *, phoneme_events: bool = False) -> tuple[bytes, list[str]]:
        """Speak ``text`` (UTF-8, [[phonemes]] allowed) once: its 22050 Hz PCM and phonemes."""
        self._pcm, self._phonemes, self.words = [], [], []
        self._raised = None
        self.lib.espeak_ng_SetPhonemeEvents(int(phoneme_events), 0)
        self.lib.espeak_ng_SetRandSeed(1)
        data = text.encode("utf-8") + b"\0"
        with self._ctrl_c_deferred():
            status = self.lib.espeak_Synth(
                data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _PHONEMES, None, None
            )
        if self._raised is not None:  # raised inside the callback: raise it here
            raised, self._raised = self._raised, None
            self._pcm = []
            raise raised
        if status != 0:
            raise EngineError(f"espeak: synthesis failed (status {status:#x}); try again")
        return b"".join(self._pcm), self._phonemes


@cache
def _library() -> _Library:
    return _Library()


# ---- text for the engine: pure functions over eSpeak's phoneme strings ----------------------


def words_of(phonemes: str) -> list[str]:
    """Words of a TextToPhonemes result, pause marks (``_``, ``_:``, ``_|``) removed."""
    words = (re.sub(r"_[:|!]*", "", token) for token in phonemes.split())
    return [w for w in words if w]


def syllable_count(word: str) -> int | None:
    """Syllables in one eSpeak cmn word (one tone number each); None for foreign phonemes."""
    if "(" in word:
        return None
    return len(re.findall(r"\d+", word))


def plain_syllable(reading: str) -> tuple[str, str]:
    """``zhang3`` → (``zhang``, ``3``); ü/u: become v; raises ValueError when not pinyin."""
    m = _SYLLABLE.match(plain(reading))
    if not m:
        raise ValueError(reading)
    return m.group(1), m.group(2)


def joined(reading: str) -> str:
    """A reading as eSpeak takes it inside a word: ``lu:4`` → ``lv4``."""
    base, tone = plain_syllable(reading)
    return base + tone


class _Speller:
    """Builds the text eSpeak is given for an utterance (needs the library's phonemizer)."""

    def __init__(self, library: _Library) -> None:
        self.library = library
        self._cache: dict[str, str] = {}

    def phonemes(self, text: str) -> str:
        if text not in self._cache:
            self._cache[text] = " ".join(words_of(self.library.text_to_phonemes(text)))
        return self._cache[text]

    def override(self, reading: str) -> str | None:
        """``[[phonemes]]`` for a syllable eSpeak would read as English, else None."""
        base, tone = plain_syllable(reading)
        spoken = self.phonemes(base + tone)
        if syllable_count(spoken) and " " not in spoken:
            return None
        template = PHONEME_OVERRIDES.get(base)
        return f"[[{template.format(TONE_DIGITS.get(tone or '5'))}]]" if template else None

    def pinyin_word(self, readings: list[str]) -> list[tuple[str, int]]:
        """One word's pieces: joined pinyin, with [[...]] pieces cut out where needed; each
        with the number of characters it says."""
        pieces: list[tuple[str, int]] = []
        run: list[str] = []
        for reading in readings:
            special = self.override(reading)
            if special is None:
                run.append(joined(reading))
                continue
            if run:
                pieces.append(("".join(run), len(run)))
            pieces.append((special, 1))
            run = []
        if run:
            pieces.append(("".join(run), len(run)))
        return pieces

    def agrees(self, word: str, chars: str, readings: list[str | None]) -> bool:
        """Whether eSpeak's phonemes ``word`` for ``chars`` say the checked readings."""
        if any(r is None for r in readings):
            return False
        known = [r for r in readings if r is not None]
        if any(self.override(r) for r in known):
            return False
        return self.phonemes("".join(joined(r) for r in known)) == word

    def segment(self, chars: str) -> list[tuple[int, int, str]] | None:
        """eSpeak's words over a Han run: (start, end, phonemes); None when they do not align."""
        words = words_of(self.library.text_to_phonemes(chars))
        counts = [syllable_count(w) for w in words]
        if any(not c for c in counts) or sum(counts) != len(chars):  # type: ignore[arg-type]
            return None
        spans, start = [], 0
        for word, count in zip(words, counts, strict=True):
            spans.append((start, start + count, word))  # type: ignore[operator]
            start += count  # type: ignore[operator]
        return spans

    def han_run(self, chars: str, readings: list[str | None]) -> list[tuple[str, bool, int]]:
        """Pieces for one Han run: (text, is_pinyin, characters it says)."""
        readings = [r or NUMBER_READINGS.get(c) for c, r in zip(chars, readings, strict=True)]
        spans = self.segment(chars)
        if spans is None:  # foreign phonemes or odd counts: force every known reading
            spans = [(i, i + 1, "") for i in range(len(chars))]
        pieces: list[tuple[str, bool, int]] = []
        for start, end, word in spans:
            sub, subreadings = chars[start:end], readings[start:end]
            if all(r is None for r in subreadings) or (
                word and self.agrees(word, sub, subreadings)
            ):
                pieces.append((sub, False, len(sub)))
                continue
            for known, group in itertools.groupby(
                zip(sub, subreadings, strict=True), key=lambda cr: cr[1] is not None
            ):
                items = list(group)
                if known:
                    readings_here = [r for _, r in items if r is not None]
                    pieces += [(p, True, n) for p, n in self.pinyin_word(readings_here)]
                else:
                    pieces.append(("".join(c for c, _ in items), False, len(items)))
        return pieces

    def spell(self, utterance: Utterance) -> tuple[str, list[int]]:
        """The text eSpeak speaks for ``utterance`` (characters, pinyin words and [[phonemes]]),
        and per character of it the index in ``utterance.text`` of what it says."""
        text, readings = utterance.text, list(utterance.readings)
        chars: list[tuple[str, int]] = []
        for is_han, group in itertools.groupby(
            range(len(text)), key=lambda i: bool(_HAN.match(text[i]))
        ):
            idx = list(group)
            chunk = "".join(text[i] for i in idx)
            if not is_han:
                chars += [(" " if c in "[]" else c, i) for c, i in zip(chunk, idx, strict=True)]
                continue
            at = 0
            for piece, is_pinyin, count in self.han_run(chunk, [readings[i] for i in idx]):
                here = idx[at]
                chars += [(c, here) for c in (f" {piece} " if is_pinyin else piece)]
                at += count
        kept: list[tuple[str, int]] = []
        for c, i in chars:  # spaces collapsed, ends stripped
            if not (c == " " and kept and kept[-1][0] == " "):
                kept.append((c, i))
        while kept and kept[0][0].isspace():
            kept.pop(0)
        while kept and kept[-1][0].isspace():
            kept.pop()
        return "".join(c for c, _ in kept), [i for _, i in kept]


@register("espeak")
class EspeakEngine:
    """Offline Mandarin with eSpeak NG; forces the checked reading of every character."""

    name = "espeak"
    speaks_readings = True
    jobs: int | None = None  # one at a time: libespeak-ng holds global state in this process

    def __init__(self) -> None:
        with _LOCK:
            self._library = _library()
            self._speller = _Speller(self._library)

    @property
    def version(self) -> str:
        try:
            wheel = metadata.version("espeakng-loader")
        except metadata.PackageNotFoundError:  # pragma: no cover - it was just imported
            wheel = "?"
        return f"speak-espeak {CODE_VERSION}; libespeak-ng {self._library.version}; data {wheel}"

    def spelling(self, utterance: Utterance, voice: Voice) -> str:
        """The exact text (with pinyin and [[phonemes]]) eSpeak is given for ``utterance``."""
        return self._spelled(utterance, voice)[0]

    def _spelled(self, utterance: Utterance, voice: Voice) -> tuple[str, list[int]]:
        with _LOCK:
            self._library.set_voice(voice.voice)
            try:
                return self._speller.spell(utterance)
            except ValueError as e:
                raise EngineError(
                    f"espeak: sentence {utterance.sentence_id}: {e.args[0]!r} is not a pinyin "
                    "syllable with a tone number; fix the reading (e.g. in your lexicon)"
                ) from None

    def phonemes(self, utterance: Utterance, voice: Voice) -> str:
        """The phonemes eSpeak actually spoke for ``utterance`` (its phoneme events)."""
        text = self.spelling(utterance, voice)
        with _LOCK:
            self._library.set_prosody(voice)
            return " ".join(self._library.synth(text, phoneme_events=True)[1])

    def _take(self, utterance: Utterance, voice: Voice) -> Clip:
        text, positions = self._spelled(utterance, voice)
        with _LOCK:
            self._library.restart()  # a fresh library: the take depends on ``text`` alone
            self._library.set_voice(voice.voice)
            self._library.set_prosody(voice)
            pcm, _ = self._library.synth(text)
            words = list(self._library.words)
            rate = self._library.rate
        full = resample(pcm, rate, SAMPLE_RATE)
        clip = trim_silence(full, SAMPLE_RATE)
        lead = _leading_cut(full, SAMPLE_RATE)
        return Clip(
            clip, SAMPLE_RATE, word_marks(words, positions, lead, len(clip) / 2 / SAMPLE_RATE)
        )

    def notices(self, utterances: list[Utterance]) -> list[str]:
        """Nothing to report: it says all of the text it is given."""
        return []

    def synthesize(self, utterances: list[Utterance], voice: Voice) -> list[Clip]:
        """One clip per utterance: mono 16-bit PCM at SAMPLE_RATE, silence trimmed, with the
        start of each word eSpeak spoke (``Clip.marks``)."""
        return [self._take(u, voice) for u in utterances]


def _leading_cut(pcm: bytes, rate: int, margin: float = 0.03, threshold: int = 64) -> float:
    """Seconds ``trim_silence`` (same margin and threshold) cuts from the start of ``pcm``."""
    x = np.frombuffer(pcm, dtype="<i2")
    loud = np.flatnonzero(np.abs(x.astype(np.int32)) > threshold)
    return max(0, int(loud[0]) - round(margin * rate)) / rate if len(loud) else 0.0


def word_marks(
    words: list[tuple[int, int]], positions: list[int], lead: float, duration: float
) -> tuple[tuple[int, float], ...]:
    """eSpeak's word events (1-based position in the spelled text, ms) as Clip marks: the
    index in the utterance's text each word says, and its start in the trimmed clip."""
    marks: list[tuple[int, float]] = []
    for position, ms in words:
        if not 1 <= position <= len(positions):
            continue
        index = positions[position - 1]
        at = round(min(max(0.0, ms / 1000 - lead), duration), 3)
        if not marks or (index > marks[-1][0] and at >= marks[-1][1]):
            marks.append((index, at))
    return tuple(marks)
