"""The speech script: `speak script` shows what is said, and `speak build` says exactly that."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from speak.build import build
from speak.cli import main
from speak.model import Clip, Utterance, Voice
from speak.speech.engines.base import SAMPLE_RATE, register


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def sample_script(sample_path) -> dict:
    result = run("script", "--format", "json", str(sample_path))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _syllables(sentence: dict) -> str:
    return " ".join(s["reading"] for s in sentence["syllables"])


def _spoken_readings(sentence: dict, said: str) -> str:
    """The readings of the spoken characters ``said`` (first occurrence)."""
    chars = "".join(s["char"] for s in sentence["syllables"])
    at = chars.index(said)
    return " ".join(s["reading"] for s in sentence["syllables"][at : at + len(said)])


def test_json_shape(sample_script, sample_analysis) -> None:
    sentences = sample_script["sentences"]
    doc = sample_analysis.doc
    assert len(sentences) == sum(len(s.sentences) for s in doc.sections)
    first = sentences[0]
    assert set(first) == {"section", "id", "text", "spoken", "syllables"}
    assert first["section"] == 1 and first["id"] == "s001"
    assert first["text"].startswith("12月20日,全國工業")  # as printed
    assert first["spoken"].startswith("十二月二十日，全國工業")  # Traditional, as said
    assert first["syllables"][:3] == [
        {"char": "十", "reading": "shi2"},
        {"char": "二", "reading": "er4"},
        {"char": "月", "reading": "yue4"},
    ]
    assert [s["section"] for s in sentences] == sorted(s["section"] for s in sentences)
    assert {s["section"] for s in sentences} == set(range(1, len(doc.sections) + 1))
    for s in sentences:  # one syllable per spoken Han character
        han = [c for c in s["spoken"] if "\u4e00" <= c <= "\u9fff" or c == "〇"]
        assert [x["char"] for x in s["syllables"]] == han
        assert all(x["reading"][-1] in "12345" for x in s["syllables"])


def test_the_sample_is_said_with_yi1_where_a_listener_expects_it(sample_script) -> None:
    by_text = {s["text"]: s for s in sample_script["sentences"]}
    task = next(s for t, s in by_text.items() if t.startswith("一是著力提振"))
    assert _spoken_readings(task, "一是") == "yi1 shi4"
    year = next(s for t, s in by_text.items() if "2021年" in t)
    assert _spoken_readings(year, "二〇二一年") == "er4 ling2 er4 yi1 nian2"
    profits = next(s for t, s in by_text.items() if t.startswith("1-10月"))
    assert profits["spoken"].startswith("一至十月")
    assert _spoken_readings(profits, "一至十月") == "yi1 zhi4 shi2 yue4"
    assert "百分之二十一點五" in profits["spoken"]
    assert _spoken_readings(profits, "二十一點五") == "er4 shi2 yi1 dian3 wu3"
    jin = next(s for t, s in by_text.items() if "進一步" in t)
    assert _spoken_readings(jin, "進一步") == "jin4 yi2 bu4"  # before a 4th tone: yí


def test_text_format_aligns_each_character_over_its_reading(sample_path) -> None:
    result = run("script", str(sample_path))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("01 s001  printed  12月20日")
    assert lines[1].strip().startswith("spoken   十二月二十日")
    chars, reads = lines[2], lines[3]
    assert chars.split()[:3] == ["十", "二", "月"]
    assert reads.split()[:3] == ["shi2", "er4", "yue4"]
    # each reading starts in the column of its character (Han characters are 2 columns wide)
    assert reads.index("er4") == chars.index("二") + 1  # 十 is 2 columns, the column 5


def test_edge_is_shown_the_lexicon_homophones(tmp_path) -> None:
    source = tmp_path / "r.txt"
    source.write_text("重慶的工業增長。\n", encoding="utf-8")
    lexicon = tmp_path / "lex.toml"
    lexicon.write_text('"重慶" = { pinyin = "chong2 qing4", say = "崇慶" }\n', encoding="utf-8")
    edge = json.loads(
        run("script", "--format", "json", "--engine", "edge", "--lexicon", str(lexicon),
            str(source)).output
    )  # fmt: skip
    espeak = json.loads(
        run("script", "--format", "json", "--lexicon", str(lexicon), str(source)).output
    )
    assert edge["sentences"][0]["spoken"].startswith("崇慶")
    assert espeak["sentences"][0]["spoken"].startswith("重慶")
    assert _syllables(espeak["sentences"][0]).startswith("chong2 qing4")


def test_bad_input_is_one_line(tmp_path) -> None:
    result = run("script", str(tmp_path / "missing.txt"))
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1


RECEIVED: list[Utterance] = []


@register("recording")
class RecordingEngine:
    """Records every utterance it is given; says each as a short real silence."""

    name = "recording"
    version = "recording 1"
    jobs: int | None = None
    speaks_readings = True

    def notices(self, utterances: list[Utterance]) -> list[str]:
        return []

    def synthesize(self, utterances: list[Utterance], voice: Voice) -> list[Clip]:
        RECEIVED.extend(utterances)
        return [Clip(b"\0\0" * (SAMPLE_RATE // 10 * (1 + len(u.text) // 10)), SAMPLE_RATE)
                for u in utterances]  # fmt: skip


def test_build_sends_the_engine_exactly_the_script(sample_path, sample_script, tmp_path) -> None:
    voice = tmp_path / "recording.toml"
    voice.write_text('engine = "recording"\nvoice = "x"\n', encoding="utf-8")
    RECEIVED.clear()
    result = build(sample_path, tmp_path / "out", engine="recording", voice=str(voice),
                   cache_dir=tmp_path / "cache", formats=())  # fmt: skip
    assert result.ok
    sent = [
        {"id": u.sentence_id, "spoken": u.text,
         "syllables": [{"char": c, "reading": r} for c, r in zip(u.text, u.readings, strict=True)
                       if r is not None]}
        for u in RECEIVED
    ]  # fmt: skip
    shown = [{k: s[k] for k in ("id", "spoken", "syllables")} for s in sample_script["sentences"]]
    assert sent == shown


SANDHI = Path(__file__).parent / "data" / "sandhi-contexts.txt"


def _yi_bu(text: str, readings: list[str]) -> list[tuple[str, str]]:
    """(char, reading) for each 一/不 of ``text`` given one reading per Han character."""
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return [(c, r) for c, r in zip(han, readings, strict=True) if c in "一不"]


def test_pinyin_gives_yi_and_bu_their_citation_tones() -> None:
    out = run("pinyin", str(SANDHI)).output.rstrip("\n").splitlines()
    lines = SANDHI.read_text(encoding="utf-8").splitlines()
    pairs = [p for line, said in zip(lines, out, strict=True) for p in _yi_bu(line, said.split())]
    assert len(pairs) == 25
    assert {r for c, r in pairs if c == "一"} == {"yi1"}
    assert {r for c, r in pairs if c == "不"} == {"bu4"}


def _ruby_yi_bu(xhtml: str) -> list[tuple[str, str]]:
    return re.findall(r"<ruby>([一不])<rp>\(</rp><rt>([^<]+)</rt>", xhtml)


def test_ruby_shows_citation_tones_and_spoken_ones_on_request(tmp_path) -> None:
    build(SANDHI, tmp_path / "c", no_audio=True, formats=("xhtml",))
    build(SANDHI, tmp_path / "s", no_audio=True, formats=("xhtml",), tones="spoken")
    cited = _ruby_yi_bu((tmp_path / "c" / "sandhi-contexts.xhtml").read_text(encoding="utf-8"))
    said = _ruby_yi_bu((tmp_path / "s" / "sandhi-contexts.xhtml").read_text(encoding="utf-8"))
    assert {r for _, r in cited} == {"yī", "bù"}
    assert len(said) == len(cited)
    # 進一步 yí, 一批 yì, 第一名 yī, 不要 bú, 好不好 bu, 一起 yì
    assert said[:4] == [("一", "yí"), ("一", "yī"), ("一", "yì"), ("一", "yī")]
    assert ("不", "bú") in said and ("一", "yì") in said and ("不", "bù") in said


def test_ruby_of_the_sample_is_in_citation_tones(sample_path, tmp_path) -> None:
    build(sample_path, tmp_path, no_audio=True, formats=("xhtml",))
    xhtml = (tmp_path / "miit-2022-priorities.xhtml").read_text(encoding="utf-8")
    pairs = _ruby_yi_bu(xhtml)
    assert len(pairs) > 5 and {r for _, r in pairs} <= {"yī", "bù"}


def test_braille_writes_yi_and_bu_in_citation_tones(sample_analysis) -> None:
    from speak.check.analysis import analyze
    from speak.export.braille import syllable_braille, text_braille

    analysis = analyze(SANDHI)
    text = analysis.doc.text
    jin = text.index("進一步")
    cells = text_braille("進一步", jin, analysis.readings)
    assert syllable_braille("yi1") in cells and syllable_braille("yi2") not in cells
    yao = text.index("不要")
    cells = text_braille("不要", yao, analysis.readings)
    assert cells.startswith(syllable_braille("bu4"))


def test_a_reading_given_in_its_spoken_tone_is_shown_in_citation(tmp_path) -> None:
    """Whatever a source gives 一/不 (here a lexicon writes the tone as said), the page and
    the check show the citation tone, and the voice still says the spoken one."""
    source = tmp_path / "r.txt"
    source.write_text("請等一(yi)下，不要走。\n", encoding="utf-8")
    lexicon = tmp_path / "lex.toml"
    lexicon.write_text('"一下" = "yi2 xia4"\n"不要" = "bu2 yao4"\n', encoding="utf-8")
    shown = run("pinyin", "--lexicon", str(lexicon), str(source)).output.split()
    assert shown == ["qing3", "deng3", "yi1", "xia4", "bu4", "yao4", "zou3"]
    check = json.loads(
        run("check", "--format", "json", "--lexicon", str(lexicon), str(source)).output
    )
    (finding,) = check["findings"]
    assert (finding["reading"], finding["status"]) == ("yi1", "agree")
    said = json.loads(
        run("script", "--format", "json", "--lexicon", str(lexicon), str(source)).output
    )
    assert (
        _syllables(said["sentences"][0]) == "qing2 deng3 yi2 xia4 bu2 yao4 zou3"
    )  # 請等: third-tone sandhi
