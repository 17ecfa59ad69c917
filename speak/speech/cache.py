"""Per-sentence audio cache: synthesized PCM stored under a hash of everything that shapes it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from speak.fsutil import atomic_path, write_bytes
from speak.model import Clip, Utterance, Voice


def _copy(source: Path, target: Path) -> None:
    """Copy a file atomically without reading it into memory (it may be hours of audio)."""
    with atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)


def default_cache_dir() -> Path:
    """$SPEAK_CACHE, else $XDG_CACHE_HOME/speak, else ~/.cache/speak."""
    if os.environ.get("SPEAK_CACHE"):
        return Path(os.environ["SPEAK_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "speak"


def digest(material: object) -> str:
    """SHA-256 of a JSON-able value (sorted keys, so equal values give equal keys)."""
    blob = json.dumps(material, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def clip_key(engine: str, engine_version: str, voice: Voice, utterance: Utterance) -> str:
    """Hash of engine, engine version, voice settings, spoken text and forced readings."""
    material = {
        "engine": engine,
        "version": engine_version,
        "voice": [voice.engine, voice.voice, voice.language, voice.rate, voice.pitch],
        "text": utterance.text,
        "say": utterance.say,
        "readings": list(utterance.readings),
    }
    return digest(material)


class AudioCache:
    """A folder of raw PCM clips named by key.

    ``reuse=False`` (``--no-cache``) ignores clips from earlier runs but still stores the new
    ones, so the next run can reuse them.
    """

    def __init__(self, root: Path | None = None, *, reuse: bool = True, rate: int = 24_000):
        self.root = Path(root) if root else default_cache_dir()
        self.reuse = reuse
        self.rate = rate
        self._made: set[str] = set()  # keys synthesized in this run

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pcm"

    def has(self, key: str) -> bool:
        return (self.reuse or key in self._made) and self._path(key).is_file()

    def get(self, key: str) -> Clip:
        """The stored clip; call only after ``has`` or ``put``."""
        return Clip(self._path(key).read_bytes(), self.rate)

    def seconds(self, key: str) -> float:
        """Length of a stored clip, from its file size (no audio is read)."""
        return self._path(key).stat().st_size / 2 / self.rate

    def encoded_path(self, key: str) -> Path:
        """Where an encoded section MP3 with this key is kept."""
        return self.root / "mp3" / f"{key}.mp3"

    def has_encoded(self, key: str) -> bool:
        return self.reuse and self.encoded_path(key).is_file()

    def keep_encoded(self, key: str, mp3: Path) -> None:
        """Store a copy of an encoded section MP3 under ``key`` (copied file to file)."""
        _copy(mp3, self.encoded_path(key))

    def copy_encoded(self, key: str, target: Path) -> None:
        """Write the kept MP3 with this key to ``target``; call only after ``has_encoded``."""
        _copy(self.encoded_path(key), target)

    def put(self, key: str, clip: Clip) -> None:
        if clip.sample_rate != self.rate:
            raise ValueError(f"clip at {clip.sample_rate} Hz, cache holds {self.rate} Hz")
        marks = getattr(clip, "marks", None)  # syllable times (neural): kept beside, first
        if marks:
            rows = [[m.start, m.end, m.begin, m.finish] for m in marks]
            write_bytes(self._marks_path(key), json.dumps(rows).encode("utf-8"))
        write_bytes(self._path(key), clip.pcm)
        self._made.add(key)

    def _marks_path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.marks.json"

    def marks(self, key: str) -> list[tuple[int, int, float, float]]:
        """A stored clip's syllables: (text start, text end, start s, end s); [] if none."""
        path = self._marks_path(key)
        if not path.is_file():
            return []
        return [tuple(row) for row in json.loads(path.read_text(encoding="utf-8"))]
