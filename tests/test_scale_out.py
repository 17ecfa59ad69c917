"""speak.build runs unchanged on Dask and on Ray: the README's examples (docs/examples/),
run here on a folder of inputs with one shared cache, give exactly the outputs of builds one
after another, and concurrent writers leave the cache whole."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path

import pytest

from speak.build import build
from tests.conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples"


def example(name: str):
    """A module of docs/examples, checked to appear verbatim in the README."""
    path = EXAMPLES / f"{name}.py"
    code = path.read_text(encoding="utf-8")
    assert code.strip() in (ROOT / "README.md").read_text(encoding="utf-8"), f"README shows {path}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def folder(tmp_path_factory, sample_text) -> Path:
    """Four reports: two with the same text (the workers write the same cache entries at
    once), two others; each a few paragraphs of the sample."""
    root = tmp_path_factory.mktemp("inputs")
    lines = [line for line in sample_text.splitlines() if line.strip()]
    texts = {
        "a": "\n".join(lines[:2]),
        "a-again": "\n".join(lines[:2]),
        "b": "\n".join(lines[2:4]),
        "c": "\n".join([lines[0], *lines[4:6]]),
    }
    for name, text in texts.items():
        (root / "sub" / f"{name}.txt").parent.mkdir(exist_ok=True)
        (root / "sub" / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def one_by_one(tmp_path_factory, folder) -> Path:
    """The same inputs built one after another with their own cache: the reference."""
    out = tmp_path_factory.mktemp("serial")
    for path in sorted(folder.rglob("*.txt")):
        assert build(path, out / path.stem, cache_dir=out / ".cache").ok
    return out


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".cache" not in p.parts
    }


def assert_cache_whole(cache: Path) -> None:
    """Every clip passes the cache's own length and checksum check, every stored output
    matches its hash, and no temporary file is left."""
    from speak.speech.cache import AudioCache

    audio = AudioCache(cache)
    clips = list(cache.rglob("*.clip"))
    assert clips and all(audio.has(p.stem) for p in clips) and not audio.damaged
    for blob in (cache / "blobs").rglob("*"):
        if blob.is_file():
            assert hashlib.sha256(blob.read_bytes()).hexdigest() == blob.name
    for manifest in (cache / "builds").glob("*.json"):
        json.loads(manifest.read_text(encoding="utf-8"))
    assert not list(cache.rglob("*.part"))


@pytest.mark.parametrize("runner", ["dask", "ray"])
def test_a_cluster_builds_a_folder_as_builds_one_by_one(runner, folder, one_by_one, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    if runner == "dask":
        results = example("dask_build").build_on_dask(str(folder), str(out), str(cache))
    else:
        results = example("ray_build").build_on_ray(str(folder), str(out), str(cache))
    assert [Path(r.source).stem for r in results] == ["a-again", "a", "b", "c"]  # sorted paths
    assert all(r.ok and r.sections >= 1 and r.audio_seconds > 0 for r in results)
    made = files(out)
    assert made.keys() == files(one_by_one).keys()
    assert made == files(one_by_one)  # byte for byte: nothing mixed up or corrupted
    assert_cache_whole(cache)
