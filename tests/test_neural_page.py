"""The read-along page highlights the syllable being heard when the neural voice spoke it."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from speak.build import build
from tests.test_page import browser, open_page  # noqa: F401  (browser is a fixture)

SOURCE = "會議強調,工業增(zeng)長(chang)很快。\n一是著力提振工業經濟。\n"


@pytest.fixture(scope="module")
def neural_page(neural_voice, tmp_path_factory):
    root = tmp_path_factory.mktemp("neural-page")
    source = root / "t.txt"
    source.write_text(SOURCE, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SPEAK_DATA_DIR", str(neural_voice))
        result = build(
            source, root / "out", engine="neural", cache_dir=root / "c", formats=("page",)
        )
    assert result.ok
    return root / "out"


def syllables(browser, sentence_id: str) -> list[tuple[int, int, float, float]]:  # noqa: F811
    cells = browser.execute_script(
        f"return document.getElementById('{sentence_id}').dataset.syllables;"
    ).split()
    out = []
    for cell in cells:
        span, start, end = cell.split(":")
        first, last = span.split("-")
        out.append((int(first), int(last), float(start), float(end)))
    return out


def highlighted(browser) -> str | None:  # noqa: F811
    return browser.execute_script(
        "var h = CSS.highlights.get('speak-syllable');"
        "return h ? [...h].map(r => r.toString()).join('') : null;"
    )


def test_every_spoken_character_has_a_time_in_order(browser, neural_page) -> None:  # noqa: F811
    open_page(browser, neural_page)
    cells = syllables(browser, "s001")  # 會議強調,工業增長很快。
    assert [c[0] for c in cells] == [0, 1, 2, 3, 5, 6, 7, 8, 9, 10]
    starts = [c[2] for c in cells]
    assert starts == sorted(starts) and all(c[2] < c[3] for c in cells)


def test_the_syllable_being_heard_is_highlighted(browser, neural_page) -> None:  # noqa: F811
    open_page(browser, neural_page)
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script("return document.querySelector('audio').readyState >= 1;")
    )
    for first, _, start, end in syllables(browser, "s001")[5:8]:  # 業 增 長
        browser.execute_script(
            "var a = document.querySelector('audio[data-section=\"sec01\"]');"
            f"a.pause(); a.currentTime = {(start + end) / 2};"
        )
        expected = "會議強調,工業增長很快。"[first]
        WebDriverWait(browser, 5).until(lambda d, e=expected: highlighted(d) == e)
    # between sentences (in the pause after the last one) nothing is highlighted
    browser.execute_script(
        "var a = document.querySelector('audio[data-section=\"sec01\"]');"
        "a.currentTime = a.duration - 0.05;"
    )
    WebDriverWait(browser, 5).until(lambda d: highlighted(d) is None)
