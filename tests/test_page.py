"""The read-along page in a real browser: Selenium with Debian chromium and chromium-driver
(installed by tools/install-test-deps.sh; without them these tests skip, which fails on CI), and
axe-core (from the axe-core-python test extra) for WCAG 2.1 AA."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest
from pypinyin import Style, lazy_pinyin
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from speak.document.parse import parse_text
from speak.document.sections import add_sections
from speak.export.base import Bundle, ExportOptions, SectionAudio, exporters
from speak.export.page import export_page  # noqa: F401  (registers "page")
from speak.model import Finding, Reading, Timing
from speak.zh.han import is_han
from tests.tones import tone_mp3

SOURCE = (
    "會議強調,增(zeng)長(chang)很快。工業發展良好。\n"
    "一是著力提振工業經濟。落實實施方案。\n"
    "二是加快推進創新突破。實施基礎再造工程。\n"
)
SENTENCE_SECONDS = 1.0
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
    "--mute-audio",
    "--window-size=1000,1400",
)


def make_bundle(out: Path, *, audio: bool = True) -> Bundle:
    doc = add_sections(parse_text(SOURCE, "t.txt"))
    syllables = lazy_pinyin(doc.text, style=Style.TONE3, neutral_tone_with_five=True)
    pinyin = iter(syllables)
    readings: dict[int, Reading] = {}
    # lazy_pinyin yields one item per Han character and one per run of other characters.
    for i, char in enumerate(doc.text):
        if is_han(char):
            readings[i] = Reading(i, char, next(pinyin), "test")
        elif i == 0 or is_han(doc.text[i - 1]):
            next(pinyin)
    findings = []
    for a in doc.annotations:
        if a.char == "長":
            readings[a.offset] = Reading(a.offset, "長", "zhang3", "test")
            findings.append(Finding(a, readings[a.offset], "disagree", "增長", "phrase 增長"))
        else:
            findings.append(Finding(a, readings[a.offset], "agree", "增長", "phrase 增長"))
    sections_audio = []
    if audio:
        for section in doc.sections:
            timings = tuple(
                Timing(s.id, k * SENTENCE_SECONDS, (k + 1) * SENTENCE_SECONDS - 0.2, doc.text_of(s))
                for k, s in enumerate(section.sentences)
            )
            path = out / "audio" / f"{section.number:02d}-s.mp3"
            seconds = len(timings) * SENTENCE_SECONDS
            tone_mp3(seconds, path)
            sections_audio.append(SectionAudio(section.index, path, seconds, timings))
    return Bundle(doc, readings, tuple(findings), ExportOptions(name="t"), tuple(sections_audio))


@pytest.fixture(scope="module")
def browser():
    binary = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    if not (binary and driver_path):
        pytest.skip("needs chromium and chromium-driver: sudo bash tools/install-test-deps.sh")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[Path, Bundle]:
    out = tmp_path_factory.mktemp("out")
    bundle = make_bundle(out)
    written = exporters()["page"](bundle, out)
    assert out / "index.html" in written
    return out, bundle


def open_page(browser, out: Path) -> None:
    browser.get((out / "index.html").as_uri())
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def active_id(browser) -> str | None:
    return browser.execute_script(
        "var a = document.querySelector('.sentence.active'); return a ? a.id : null;"
    )


def current_time(browser, section: str) -> float:
    return browser.execute_script(
        f"return document.querySelector('audio[data-section=\"{section}\"]').currentTime;"
    )


def test_loads_without_console_errors(browser, page) -> None:
    out, bundle = page
    open_page(browser, out)
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script(
            "return [...document.querySelectorAll('audio')].every(a => a.readyState >= 1);"
        )
    )
    problems = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert problems == []
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-Hant"
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "main section > h2")]
    assert len(headings) == len(bundle.doc.sections) == 3
    assert len(browser.find_elements(By.CSS_SELECTOR, "audio[controls]")) == 3
    # The MP3s play from disk: their durations are known to the browser.
    durations = browser.execute_script(
        "return [...document.querySelectorAll('audio')].map(a => a.duration);"
    )
    assert [round(d) for d in durations] == [2, 2, 2]


def test_click_plays_from_the_sentence_and_highlight_follows(browser, page) -> None:
    out, bundle = page
    open_page(browser, out)
    second = bundle.doc.sections[0].sentences[1]
    browser.find_element(By.ID, second.id).click()
    WebDriverWait(browser, 5).until(lambda d: current_time(d, "sec01") >= SENTENCE_SECONDS)
    assert active_id(browser) == second.id
    assert browser.execute_script(
        "return !document.querySelector('audio[data-section=\"sec01\"]').paused;"
    )
    # Seek back: the highlight moves to the first sentence.
    browser.execute_script(
        "var a = document.querySelector('audio[data-section=\"sec01\"]');"
        "a.pause(); a.currentTime = 0.1;"
    )
    first = bundle.doc.sections[0].sentences[0]
    WebDriverWait(browser, 5).until(lambda d: active_id(d) == first.id)
    assert len(browser.find_elements(By.CSS_SELECTOR, ".sentence.active")) == 1


def test_playing_moves_the_highlight_to_the_next_sentence(browser, page) -> None:
    out, bundle = page
    open_page(browser, out)
    sentences = bundle.doc.sections[1].sentences
    browser.execute_script(
        "var a = document.querySelector('audio[data-section=\"sec02\"]');"
        "a.currentTime = 0.6; a.play();"
    )
    WebDriverWait(browser, 5).until(lambda d: active_id(d) == sentences[0].id)
    WebDriverWait(browser, 5).until(lambda d: active_id(d) == sentences[1].id)


def test_keyboard_moves_and_enter_plays(browser, page) -> None:
    out, bundle = page
    open_page(browser, out)
    sentences = [s.id for s in bundle.doc.sections[2].sentences]
    previous = bundle.doc.sections[1].sentences[-1].id
    browser.execute_script(f"document.getElementById('{previous}').focus();")
    browser.switch_to.active_element.send_keys("j")
    assert browser.switch_to.active_element.get_attribute("id") == sentences[0]
    browser.switch_to.active_element.send_keys(Keys.ARROW_DOWN)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("id") == sentences[1]
    assert focused.get_attribute("tabindex") == "0"  # roving tabindex: Tab comes back here
    focused.send_keys(Keys.ENTER)
    WebDriverWait(browser, 5).until(lambda d: current_time(d, "sec03") >= SENTENCE_SECONDS)
    assert active_id(browser) == sentences[1]
    # Focus is visible.
    outline = browser.execute_script(
        "return getComputedStyle(document.activeElement).outlineStyle;"
    )
    assert outline != "none"


def test_review_mode_marks_findings(browser, page) -> None:
    out, _ = page
    open_page(browser, out)
    marks = browser.find_elements(By.CSS_SELECTOR, ".finding")
    assert len(marks) == 1  # the agreeing 增 is not marked
    note = browser.find_element(By.CSS_SELECTOR, ".finding-note")
    assert not note.is_displayed()
    toggle = browser.find_element(By.ID, "review-toggle")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    assert note.is_displayed()
    assert "embedded chang" in note.text and "checked zhǎng" in note.text
    assert marks[0].get_attribute("aria-describedby") == note.get_attribute("id")
    assert "長" in marks[0].text and "zhǎng" in marks[0].text
    summary = browser.find_element(By.CSS_SELECTOR, ".findings-summary")
    assert summary.is_displayed() and "1 finding" in summary.text
    toggle.click()
    assert not note.is_displayed()
    assert marks[0].get_attribute("aria-describedby") is None


def test_without_audio_the_text_and_review_remain(browser, tmp_path) -> None:
    bundle = make_bundle(tmp_path, audio=False)
    exporters()["page"](bundle, tmp_path)
    open_page(browser, tmp_path)
    assert browser.find_elements(By.TAG_NAME, "audio") == []
    assert len(browser.find_elements(By.CSS_SELECTOR, "main section > h2")) == 3
    browser.find_element(By.ID, "review-toggle").click()
    assert browser.find_element(By.CSS_SELECTOR, ".finding-note").is_displayed()
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_real_build_of_the_sample_plays_from_a_clicked_sentence(browser, tmp_path) -> None:
    """The page `speak build` writes, with eSpeak audio: no console errors, click to seek."""
    from speak.build import build
    from tests.conftest import SAMPLE

    out = tmp_path / "out"
    result = build(SAMPLE, out, cache_dir=tmp_path / "cache", formats=("page",))
    assert result.ok
    open_page(browser, out)
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script(
            "return [...document.querySelectorAll('audio')].every(a => a.readyState >= 1);"
        )
    )
    assert [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")] == []
    assert len(browser.find_elements(By.CSS_SELECTOR, "audio[controls]")) == 7
    third = browser.find_elements(By.CSS_SELECTOR, "#sec02 .sentence")[2]
    start = float(third.get_attribute("data-start"))
    assert start > 0
    # A sentence spans lines: click its first character, as a reader does, once scrolled to
    # it (instantly: the page scrolls smoothly, and WebDriver clicks where it was).
    first_char = third.find_element(By.CSS_SELECTOR, "ruby")
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", first_char
    )
    first_char.click()
    WebDriverWait(browser, 5).until(lambda d: current_time(d, "sec02") >= start)
    assert active_id(browser) == third.get_attribute("id")


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(browser) -> list[list]:
    """axe-core's WCAG 2.1 A/AA and best-practice violations on the open page."""
    axe = resources.files("axe_core_python").joinpath("axe.min.js").read_text(encoding="utf-8")
    browser.execute_script(axe)
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: arguments[0]}).then(r => done(r.violations.map("
        "v => [v.id, v.help, v.nodes.map(n => n.html.slice(0, 120))])));",
        WCAG_TAGS,
    )


def test_page_of_the_sample_passes_axe_in_both_modes(browser, tmp_path) -> None:
    """axe-core finds no WCAG 2.1 A/AA or best-practice violation on the page `speak build`
    writes for the sample, as it opens and with Review mode on."""
    from speak.build import build
    from tests.conftest import SAMPLE

    out = tmp_path / "out"
    assert build(SAMPLE, out, cache_dir=tmp_path / "cache", formats=("page",)).ok
    open_page(browser, out)
    assert axe_violations(browser) == []
    browser.find_element(By.ID, "review-toggle").click()
    assert browser.find_element(By.CSS_SELECTOR, ".finding-note").is_displayed()
    assert axe_violations(browser) == []
