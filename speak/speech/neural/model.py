"""Run the prepared voice: phones → FastSpeech2 (mel + a duration per phone) → MB-MelGAN → PCM.

Both models run on ``ai-edge-litert`` with one thread per interpreter, each worker thread with
its own interpreters (the runtime releases the GIL while it computes): the output is the same
whatever the number of jobs, and the same from run to run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from speak.errors import EngineUnavailable
from speak.speech.neural.phones import Chunk

SAMPLE_RATE = 24_000
HOP = 300  # samples of audio per mel frame (12.5 ms)
GAIN = 1.5  # the vocoder peaks near 0.45 of full scale: bring speech to a usual level
MARGIN = 720  # samples of the leading/trailing silence kept around a chunk (30 ms)


_STDERR_LOCK = threading.Lock()


@contextlib.contextmanager
def _runtime_quiet() -> Iterator[None]:
    """Silence file descriptor 2 while the runtime starts: it prints an INFO line about its
    CPU delegate there, which users should not see."""
    with _STDERR_LOCK:
        sys.stderr.flush()
        saved = os.dup(2)
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


@dataclass(frozen=True, slots=True)
class Take:
    """The audio of one chunk and where each of its syllables is heard (samples in ``pcm``)."""

    pcm: np.ndarray  # int16
    marks: tuple[tuple[int, int, int], ...]  # (syllable index, start sample, end sample)


class VoiceModel:
    """The two networks of the voice in ``folder`` (made by ``speak.speech.neural.fetch``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        mapper = json.loads((self.folder / "baker_mapper.json").read_text(encoding="utf-8"))
        self.symbols: dict[str, int] = mapper["symbol_to_id"]
        self.pinyin_dict: dict[str, list[str]] = mapper["pinyin_dict"]
        self._local = threading.local()

    @cached_property
    def fingerprint(self) -> str:
        """16 hex digits that change with any file of the voice: a hash of its manifest (which
        holds the SHA-256 of each file as installed), so nothing large is read."""
        manifest = (self.folder / "manifest.json").read_bytes()
        return hashlib.sha256(manifest).hexdigest()[:16]

    def _interpreters(self):
        """This thread's (acoustic, vocoder) interpreters, made on first use."""
        pair = getattr(self._local, "pair", None)
        if pair is None:
            try:
                from ai_edge_litert.interpreter import Interpreter
            except ImportError as e:
                raise EngineUnavailable(
                    f"neural: cannot load the TFLite runtime ({e}); reinstall ai-edge-litert"
                ) from None
            try:
                with _runtime_quiet():
                    pair = (
                        Interpreter(str(self.folder / "fastspeech2.tflite"), num_threads=1),
                        Interpreter(str(self.folder / "mb_melgan.tflite"), num_threads=1),
                    )
                    pair[0].allocate_tensors()  # the delegate is made (and speaks) here
                    mel = pair[1].get_input_details()[0]["index"]
                    pair[1].resize_tensor_input(mel, [1, 16, 80])  # the vocoder needs frames
                    pair[1].allocate_tensors()
            except (RuntimeError, ValueError) as e:
                raise EngineUnavailable(
                    f"neural: the voice in {self.folder} cannot be loaded "
                    f"({str(e).splitlines()[0][:120]}); run `speak voices fetch neural --force`"
                ) from None
            self._local.pair = pair
        return pair

    def ids(self, phones: tuple[str, ...]) -> list[int]:
        """Phone ids as the voice was trained: each phone's id, then end-of-sequence."""
        return [self.symbols[p] for p in phones] + [self.symbols["eos"]]

    def mel(self, phones: tuple[str, ...], speed: float = 1.0, pitch: float = 1.0):
        """(mel spectrogram [1, frames, 80], frames per phone incl. the end token)."""
        acoustic, _ = self._interpreters()
        ids = self.ids(phones)
        inputs = acoustic.get_input_details()
        acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids)])
        acoustic.allocate_tensors()
        acoustic.set_tensor(inputs[0]["index"], np.array([ids], np.int32))
        acoustic.set_tensor(inputs[1]["index"], np.array([0], np.int32))  # the one speaker
        acoustic.set_tensor(inputs[2]["index"], np.array([speed], np.float32))
        acoustic.set_tensor(inputs[3]["index"], np.array([pitch], np.float32))
        acoustic.set_tensor(inputs[4]["index"], np.array([1.0], np.float32))  # energy
        acoustic.invoke()
        outputs = acoustic.get_output_details()
        mel = acoustic.get_tensor(outputs[1]["index"])  # after the post-net
        durations = acoustic.get_tensor(outputs[2]["index"])[0].astype(int)
        return mel, durations

    def vocode(self, mel) -> np.ndarray:
        """Float audio at SAMPLE_RATE from a mel spectrogram."""
        _, vocoder = self._interpreters()
        inputs = vocoder.get_input_details()
        vocoder.resize_tensor_input(inputs[0]["index"], list(mel.shape))
        vocoder.allocate_tensors()
        vocoder.set_tensor(inputs[0]["index"], mel)
        vocoder.invoke()
        return vocoder.get_tensor(vocoder.get_output_details()[0]["index"])[0, :, 0]

    def speak(self, chunk: Chunk, speed: float = 1.0, pitch: float = 1.0) -> Take:
        """One chunk's 16-bit audio, cut to its speech (plus MARGIN), and its syllables' marks."""
        mel, durations = self.mel(chunk.phones, speed, pitch)
        audio = self.vocode(mel)
        ends = np.cumsum(durations) * HOP
        starts = ends - durations * HOP
        first = max(0, int(ends[0]) - MARGIN)  # after the leading sil
        last = min(len(audio), int(starts[len(chunk.phones) - 1]) + MARGIN)  # before the last
        pcm = np.rint(np.clip(audio[first:last] * GAIN, -1.0, 1.0) * 32767).astype("<i2")
        # The voice gives a word-level boundary (#0, #1) the frames of the next initial's onset:
        # they count as the next syllable's start. Phrase breaks (#2, #3) and sil are pauses.
        owners = [
            chunk.owners[k + 1] if phone in ("#0", "#1") else chunk.owners[k]
            for k, phone in enumerate(chunk.phones)
        ]
        marks: dict[int, list[int]] = {}
        for k, owner in enumerate(owners):
            if owner >= 0:
                span = marks.setdefault(owner, [int(starts[k]), int(ends[k])])
                span[1] = int(ends[k])
        return Take(pcm, tuple((o, s - first, e - first) for o, (s, e) in sorted(marks.items())))
