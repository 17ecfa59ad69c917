"""Whole builds remembered by content: the same input bytes, options, lexicon, voice preset
and code give the outputs of the earlier build again, copied back from the cache without
reading, synthesizing or exporting anything (``speak build`` run twice).

A build's key hashes all of that; the code is fingerprinted by the size and mtime of every
file of the installed package and voice presets, and the versions of the libraries that
shape outputs, so any change to them is a miss. Outputs are stored once by their SHA-256
(``blobs/``) with a manifest per key (``builds/``); a manifest whose blobs are missing or
damaged is a miss. Imports here are the standard library only: a hit must be cheap.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from functools import cache
from importlib import metadata
from pathlib import Path

from speak.fsutil import atomic_path, write_bytes

SHAPING_PACKAGES = (
    "pypinyin",
    "opencc",
    "g2pM",
    "numpy",
    "espeakng-loader",
    "wetext",
    "lameenc",
    "mutagen",
    "miniaudio",
    "edge-tts",
)
CHUNK = 1 << 20


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return h.hexdigest()


@cache
def code_fingerprint() -> str:
    """Changes whenever speak's code, data, presets or the libraries that shape outputs do."""
    package = Path(__file__).resolve().parent
    from speak.speech.voices import voices_dir

    files = []
    for root in (package, voices_dir()):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                st = path.stat()
                files.append([str(path.relative_to(root)), st.st_size, st.st_mtime_ns])
    versions = []
    for name in SHAPING_PACKAGES:
        try:
            versions.append([name, metadata.version(name)])
        except metadata.PackageNotFoundError:
            versions.append([name, None])
    blob = json.dumps([files, versions]).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


def build_key(path: str, options: dict, modified: str) -> str | None:
    """The key of a build of ``path`` with ``options``; None when it cannot be cached
    (standard input, an unreadable file)."""
    if path == "-":
        return None
    material: dict = {
        "source": path,  # as given: it names the outputs and stands in the report
        "options": options,
        "modified": modified,
        "code": code_fingerprint(),
    }
    try:
        material["input"] = _sha256_file(Path(path))
        for name in ("lexicon", "voice"):
            given = options.get(name)
            if given and Path(given).is_file():
                material[name + "_file"] = _sha256_file(Path(given))
    except OSError:
        return None
    blob = json.dumps(material, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()


class BuildCache:
    """Manifests of finished builds and the files they wrote, under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _manifest(self, key: str) -> Path:
        return self.root / "builds" / f"{key}.json"

    def _blob(self, sha: str) -> Path:
        return self.root / "blobs" / sha[:2] / sha

    def restore(self, key: str, out: Path) -> tuple[dict, list[Path]] | None:
        """Write the outputs of the build with ``key`` into ``out``: (its result's summary,
        the paths written), or None when there is none (or a stored file is missing or
        damaged: the build runs again)."""
        try:
            manifest = json.loads(self._manifest(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        entries = manifest["outputs"]
        for entry in entries:
            blob = self._blob(entry["sha256"])
            if not blob.is_file() or blob.stat().st_size != entry["size"]:
                return None
        restored = []
        for entry in entries:
            target = out / entry["path"]
            with atomic_path(target) as tmp:
                data = self._blob(entry["sha256"]).read_bytes()
                if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                    raise _Damaged(entry["path"])
                tmp.write_bytes(data)
            restored.append(target)
        return manifest["result"], restored

    def store(self, key: str, result, out: Path) -> None:
        """Remember a finished build's outputs (files under ``out``) under ``key``."""
        entries = []
        for path in result.outputs:
            path = Path(path)
            sha = _sha256_file(path)
            blob = self._blob(sha)
            if not blob.is_file():
                with atomic_path(blob) as tmp, open(path, "rb") as src, open(tmp, "wb") as dst:
                    while block := src.read(CHUNK):
                        dst.write(block)
            rel = path.resolve().relative_to(out.resolve()).as_posix()
            entries.append({"path": rel, "sha256": sha, "size": path.stat().st_size})
        summary = {k: v for k, v in asdict(result).items() if k not in ("out", "outputs", "source")}
        manifest = {"outputs": entries, "result": summary}
        write_bytes(self._manifest(key), json.dumps(manifest, ensure_ascii=False).encode())


class _Damaged(Exception):
    """A cached output whose content no longer matches its hash (internal: a miss)."""


def restore_or_none(cache: BuildCache, key: str, out: Path) -> tuple[dict, list[Path]] | None:
    """``cache.restore``, with a damaged stored file treated as a miss."""
    try:
        return cache.restore(key, out)
    except _Damaged:
        return None


def cache_root(cache_dir: str | os.PathLike | None) -> Path:
    """The build cache lives beside the audio cache."""
    from speak.speech.cache import default_cache_dir

    return Path(cache_dir) if cache_dir else default_cache_dir()
