"""How the ruby reads in a real browser, measured from the DOM (Selenium, headless Chromium,
the browser fixture of test_page.py) at a phone's width (390 px) and a desktop's (1280 px), on
the sample's read-along page, its ruby XHTML and every content document of its EPUB:

- no two neighbouring readings on a line overlap or touch (at least ``MIN_RT_GAP`` px apart);
- every reading is at least 11 CSS px;
- the characters of a word are evenly spaced (the gaps between them differ by less than
  ``MAX_GAP_RATIO``);
- a number and its unit (2021年, 1-10月) are on one line, and so is punctuation with the word
  it closes or opens (no line starts with 、 or ends with “); nothing is wider than the
  window (review notes wrap).

Screenshots go to the test's temporary folder; with ``SPEAK_SCREENSHOTS=DIR`` they are also
written to ``DIR`` (``docs/`` holds the ones in the README).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from speak.build import build
from tests.conftest import SAMPLE
from tests.test_page import browser  # noqa: F401  (the shared headless Chromium fixture)

WIDTHS = (390, 1280)
MIN_RT_GAP = 1.0  # px between neighbouring readings: more than touching
MIN_RT_PX = 11.0
MAX_GAP_RATIO = 1.1  # largest over smallest gap between the characters of a word

MEASURE = """
const visible = (el) => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
};
const rts = [...document.querySelectorAll('rt')].filter(visible);
let pairs = 0, minGap = Infinity, minFont = Infinity, worstPair = '';
for (let i = 0; i < rts.length; i++) {
  minFont = Math.min(minFont, parseFloat(getComputedStyle(rts[i]).fontSize));
  if (i + 1 === rts.length) break;
  const a = rts[i].getBoundingClientRect(), b = rts[i + 1].getBoundingClientRect();
  if (Math.abs(a.top - b.top) > 2 || b.left < a.left) continue;  // not neighbours on a line
  pairs++;
  if (b.left - a.right < minGap) {
    minGap = b.left - a.right;
    worstPair = rts[i].textContent + ' ' + rts[i + 1].textContent;
  }
}
// A Han glyph is 1em wide and centred in its base box (which Chromium widens to the reading).
const box = (el) => {
  const r = document.createRange();
  r.selectNodeContents(el.firstChild);
  return r.getBoundingClientRect();
};
let words = 0, worstRatio = 1, worstWord = '';
for (const w of [...document.querySelectorAll('.w')].filter(visible)) {
  const bases = [...w.querySelectorAll(':scope > ruby')];
  if (bases.length < 3) continue;
  words++;
  const em = parseFloat(getComputedStyle(bases[0]).fontSize);
  const mids = bases.map(box).map((r) => r.left + r.width / 2);
  const gaps = mids.slice(1).map((m, i) => m - mids[i] - em);
  const ratio = Math.max(...gaps) / Math.max(0.5, Math.min(...gaps));
  if (ratio > worstRatio) { worstRatio = ratio; worstWord = w.textContent; }
}
const split = [...document.querySelectorAll('.nu, .nb')].filter(visible)
  .filter((el) => new Set([...el.getClientRects()].map((r) => Math.round(r.top))).size > 1)
  .map((el) => el.textContent);
return {rts: rts.length, pairs, minGap, worstPair, minFont, words, worstRatio, worstWord,
        numberUnits: document.querySelectorAll('.nu').length, split,
        glued: document.querySelectorAll('.nb').length,
        overflow: document.documentElement.scrollWidth - window.innerWidth};
"""


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    """The sample's page, XHTML and EPUB content documents (built without audio)."""
    root = tmp_path_factory.mktemp("layout")
    out = root / "out"
    result = build(SAMPLE, out, no_audio=True, formats=("page", "xhtml", "epub"))
    assert result.ok
    with zipfile.ZipFile(out / "miit-2022-priorities.epub") as z:
        z.extractall(root / "epub")
    docs = {"page": out / "index.html", "xhtml": out / "miit-2022-priorities.xhtml"}
    for path in sorted((root / "epub" / "EPUB").glob("*.xhtml")):
        docs[f"epub-{path.stem}"] = path
    return docs


def measure(browser, path: Path, width: int) -> dict:  # noqa: F811
    browser.set_window_size(width, 1000)
    browser.get(path.as_uri())
    inner = browser.execute_script("return window.innerWidth;")
    if inner != width:  # the window has borders in some builds: make the viewport exact
        browser.set_window_size(width + (width - inner), 1000)
        browser.get(path.as_uri())
    return browser.execute_script(MEASURE)


def screenshot(browser, path: Path, name: str, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / name
    browser.save_screenshot(str(target))
    assert target.stat().st_size > 10_000  # something was drawn
    keep = os.environ.get("SPEAK_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(keep) / name))


@pytest.mark.parametrize("width", WIDTHS)
def test_readings_are_apart_legible_and_words_evenly_spaced(
    browser,  # noqa: F811
    documents,
    width,
    tmp_path,
) -> None:
    seen = {}
    for name, path in documents.items():
        m = measure(browser, path, width)
        seen[name] = m
        assert m["rts"] > 0, name
        assert m["minGap"] >= MIN_RT_GAP, (name, width, m["minGap"], m["worstPair"])
        assert m["minFont"] >= MIN_RT_PX, (name, width, m["minFont"])
        assert m["worstRatio"] < MAX_GAP_RATIO, (name, width, m["worstRatio"], m["worstWord"])
        assert m["split"] == [], (name, width, m["split"])
        assert m["overflow"] <= 0, (name, width, m["overflow"])
        if name in ("page", "xhtml"):
            screenshot(browser, path, f"ruby-{name}-{width}.png", tmp_path)
    # The whole text was measured: many readings side by side, long words, number groups.
    assert seen["page"]["pairs"] > 500 and seen["page"]["words"] > 20
    assert seen["xhtml"]["numberUnits"] >= 8  # 12月, 20日, 2021年, 1-10月 …
    assert seen["xhtml"]["glued"] > 50  # words with their commas, stops, quotes


def test_review_notes_wrap_at_phone_width(browser, documents, tmp_path) -> None:  # noqa: F811
    measure(browser, documents["page"], 390)
    browser.execute_script("document.getElementById('review-toggle').click();")
    notes = browser.execute_script(
        "return [...document.querySelectorAll('.finding-note')]"
        ".map(n => [getComputedStyle(n).whiteSpace, getComputedStyle(n).display]);"
    )
    assert notes and all(ws != "nowrap" and d != "none" for ws, d in notes)
    assert (
        browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth;")
        <= 0
    )
    browser.execute_script(
        "document.querySelector('.finding').scrollIntoView({block: 'center', behavior: 'instant'});"
    )
    screenshot(browser, documents["page"], "ruby-page-review-390.png", tmp_path)
