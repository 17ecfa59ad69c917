"""Per-sentence audio cache: synthesized PCM stored under a hash of everything that shapes it."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import struct
from pathlib import Path

from speak.fsutil import atomic_path, write_bytes
from speak.model import Clip, SyllableMark, Utterance, Voice


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


CLIP_MAGIC = b"SPC1"  # a clip file: magic, PCM length (8 bytes LE), SHA-256 of the PCM, PCM
_HEADER = struct.Struct("<4sQ32s")


class CacheDamaged(Exception):
    """A cache entry whose length or checksum does not match what was stored."""


def _sealed(pcm: bytes) -> bytes:
    """PCM with the header that lets a read prove it whole."""
    return _HEADER.pack(CLIP_MAGIC, len(pcm), hashlib.sha256(pcm).digest()) + pcm


def _opened(blob: bytes) -> bytes:
    """The PCM of a clip file; CacheDamaged when it is cut short, grown or altered."""
    if len(blob) < _HEADER.size:
        raise CacheDamaged(f"{len(blob)} bytes, shorter than its header")
    magic, length, checksum = _HEADER.unpack_from(blob)
    pcm = blob[_HEADER.size :]
    if magic != CLIP_MAGIC:
        raise CacheDamaged("not a speak clip")
    if len(pcm) != length:
        raise CacheDamaged(f"{len(pcm)} bytes of audio where {length} were stored")
    if hashlib.sha256(pcm).digest() != checksum:
        raise CacheDamaged("its checksum does not match")
    return pcm


def _file_sha256(path: Path) -> tuple[int, str]:
    """(size, SHA-256 hex) of a file, read in pieces."""
    h, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
            size += len(block)
    return size, h.hexdigest()


class AudioCache:
    """A folder of PCM clips and encoded section MP3s, each named by the key of what made it.

    Every entry carries its length and SHA-256 (a clip in its header, an MP3 in a ``.sum``
    file beside it), checked when it is read: an entry cut short by a full disk or a killed
    run, or altered, is discarded (and listed in ``damaged``), so it is made again instead
    of being reused. ``reuse=False`` (``--no-cache``) ignores entries from earlier runs but
    still stores the new ones, so the next run can reuse them. A clip's word marks are kept
    beside it (``KEY.marks.json``, when the engine gave any; a clip stored without them has
    none, which only costs subtitle cues their word timing).
    """

    def __init__(self, root: Path | None = None, *, reuse: bool = True, rate: int = 24_000):
        self.root = Path(root) if root else default_cache_dir()
        self.reuse = reuse
        self.rate = rate
        self._made: set[str] = set()  # keys synthesized in this run
        self._sound: dict[str, int] = {}  # keys checked whole in this run → PCM bytes
        self.damaged: list[str] = []  # one line per entry found damaged and discarded

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.clip"

    def _discard(self, path: Path, why: str) -> None:
        self.damaged.append(f"cache entry {path} is damaged ({why}); discarded, made again")
        with contextlib.suppress(FileNotFoundError):
            path.unlink()

    def has(self, key: str) -> bool:
        """Whether a whole clip is stored under ``key`` (a damaged one is discarded)."""
        if key in self._sound:
            return True
        if not (self.reuse or key in self._made):
            return False
        path = self._path(key)
        try:
            self._sound[key] = len(_opened(path.read_bytes()))
        except FileNotFoundError:
            return False
        except CacheDamaged as e:
            self._discard(path, str(e))
            return False
        return True

    def _marks_path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.marks.json"

    def get(self, key: str) -> Clip:
        """The stored clip; call only after ``has`` or ``put``. CacheDamaged when it changed
        since (the build then fails rather than speak a broken clip)."""
        path = self._path(key)
        try:
            sidecar = self._sidecar(key)  # read once for both kinds of marks
            pcm = _opened(path.read_bytes())
            return Clip(pcm, self.rate, _words(sidecar), _syllables(sidecar))
        except CacheDamaged as e:
            self._discard(path, str(e))
            raise CacheDamaged(f"{path}: damaged while in use ({e}); run again") from None

    def _sidecar(self, key: str) -> dict:
        """The marks stored beside a clip ({} for a clip cached without them, or unreadable
        ones: they only cost finer subtitle timing and the syllable highlight)."""
        path = self._marks_path(key)
        if not path.is_file():
            return {}
        try:
            found = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}

    def marks(self, key: str) -> tuple[tuple[int, float], ...]:
        """The stored clip's word marks: (index in the utterance's text, seconds)."""
        return _words(self._sidecar(key))

    def syllables(self, key: str) -> tuple[SyllableMark, ...]:
        """The stored clip's syllable times (engines that give them: neural)."""
        return _syllables(self._sidecar(key))

    def seconds(self, key: str) -> float:
        """Length of a stored clip (checked by ``has`` or written by ``put``; no audio read)."""
        size = self._sound.get(key)
        if size is None:
            size = self._path(key).stat().st_size - _HEADER.size
        return size / 2 / self.rate

    def encoded_path(self, key: str) -> Path:
        """Where an encoded section MP3 with this key is kept."""
        return self.root / "mp3" / f"{key}.mp3"

    def _sum_path(self, key: str) -> Path:
        return self.root / "mp3" / f"{key}.sum"

    def has_encoded(self, key: str) -> bool:
        """Whether a whole encoded MP3 is kept under ``key`` (a damaged one is discarded)."""
        if not self.reuse:
            return False
        path, sums = self.encoded_path(key), self._sum_path(key)
        try:
            size, checksum = sums.read_text("ascii").split()
        except FileNotFoundError:
            return False  # not kept (or kept by a version that wrote no sums): made again
        except (OSError, ValueError, UnicodeDecodeError):
            self._discard(sums, "its length and checksum are unreadable")
            return False
        try:
            found = _file_sha256(path)
        except FileNotFoundError:
            return False
        if found != (int(size), checksum):
            why = (
                f"{found[0]} bytes where {size} were stored"
                if found[0] != int(size)
                else "its checksum does not match"
            )
            self._discard(path, why)
            return False
        return True

    def keep_encoded(self, key: str, mp3: Path) -> None:
        """Store a copy of an encoded section MP3 under ``key`` (copied file to file), its
        length and checksum first: a reader never finds the MP3 without them (builds running
        at once may keep the same key; they keep the same bytes)."""
        size, checksum = _file_sha256(mp3)
        write_bytes(self._sum_path(key), f"{size} {checksum}\n".encode("ascii"))
        _copy(mp3, self.encoded_path(key))

    def copy_encoded(self, key: str, target: Path) -> None:
        """Write the kept MP3 with this key to ``target``; call only after ``has_encoded``."""
        _copy(self.encoded_path(key), target)

    def put(self, key: str, clip: Clip) -> None:
        if clip.sample_rate != self.rate:
            raise ValueError(f"clip at {clip.sample_rate} Hz, cache holds {self.rate} Hz")
        if clip.marks or clip.syllables:  # before the clip: a stored clip has its marks
            sidecar = {"words": clip.marks, "syllables": [list(m) for m in clip.syllables]}
            write_bytes(self._marks_path(key), json.dumps(sidecar, ensure_ascii=False).encode())
        write_bytes(self._path(key), _sealed(clip.pcm))
        self._made.add(key)
        self._sound[key] = len(clip.pcm)


def _words(sidecar: dict) -> tuple[tuple[int, float], ...]:
    """Word marks from a clip's sidecar (none when absent or unreadable)."""
    try:
        return tuple((int(i), float(s)) for i, s in sidecar.get("words", ()))
    except (ValueError, TypeError):
        return ()


def _syllables(sidecar: dict) -> tuple[SyllableMark, ...]:
    """Syllable marks from a clip's sidecar (none when absent or unreadable)."""
    try:
        return tuple(
            SyllableMark(int(a), int(b), str(r), float(c), float(d))
            for a, b, r, c, d in sidecar.get("syllables", ())
        )
    except (ValueError, TypeError):
        return ()
