"""The command line as a user meets it: outputs, exit codes, one-line errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from speak import __version__
from speak.cli import main
from tests.conftest import SAMPLE


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_version_and_help() -> None:
    assert __version__ in run("--version").output
    for command in ("check", "pinyin", "script", "build", "voices"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.output


def test_check_table_shows_the_two_zhang_findings(sample_path) -> None:
    result = run("check", str(sample_path))
    assert result.exit_code == 0
    rows = [line for line in result.output.splitlines() if " disagree " in line]
    assert len(rows) == 2 and all("長" in r and "zhang3" in r for r in rows)
    assert "2 disagree" in result.output


def test_check_strict_exits_1_on_findings(sample_path) -> None:
    assert run("check", "--strict", str(sample_path)).exit_code == 1


def test_check_json_fields(sample_path) -> None:
    data = json.loads(run("check", "--format", "json", str(sample_path)).output)
    first = data["findings"][0]
    assert {"line", "column", "char", "embedded", "reading", "status", "context"} <= first.keys()
    assert (first["line"], first["column"], first["char"], first["embedded"]) == (
        1,
        10,
        "工",
        ["gong", "gong"],
    )
    assert data["summary"]["disagree"] == 2
    disagree = [f for f in data["findings"] if f["status"] == "disagree"]
    assert [(f["char"], f["reading"], f["line"]) for f in disagree] == [
        ("長", "zhang3", 3),
        ("長", "zhang3", 3),
    ]
    # the column counts characters of the input line as written
    line3 = sample_path.read_text(encoding="utf-8").split("\n")[2]
    assert all(line3[f["column"] - 1] == "長" for f in disagree)


@pytest.mark.parametrize("text", [None, "沒有註音的一句話。\n（未閉合\n"])
def test_check_json_streams_standard_json(tmp_path, sample_path, text) -> None:
    """The report, written piece by piece, is exactly json.dumps(indent=2) of its content,
    with and without findings, and its counts agree with the findings listed."""
    path = sample_path
    if text is not None:
        path = tmp_path / "plain.txt"
        path.write_text(text, encoding="utf-8")
    output = run("check", "--format", "json", str(path)).output
    data = json.loads(output)
    assert output == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    statuses = [f["status"] for f in data["findings"]]
    assert data["summary"] == {
        "annotated": len(statuses),
        **{s: statuses.count(s) for s in ("agree", "disagree", "invalid")},
    }
    assert bool(statuses) == (text is None) and data["notices"]


def test_check_without_annotations_in_tsv_and_table(tmp_path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("沒有註音的一句話。\n", encoding="utf-8")
    assert run("check", "--format", "tsv", str(path)).output.count("\n") == 1
    table = run("check", str(path)).output
    assert table == f"{path}: 0 annotated characters: 0 agree, 0 disagree, 0 invalid\n"


def test_check_tsv(sample_path) -> None:
    lines = run("check", "--format", "tsv", str(sample_path)).output.splitlines()
    assert lines[0].split("\t")[:6] == ["line", "column", "char", "embedded", "reading", "status"]
    assert sum("\tdisagree\t" in line for line in lines) == 2


def test_check_reads_standard_input(sample_path) -> None:
    result = run("check", "-", input=sample_path.read_bytes())
    assert result.exit_code == 0 and "2 disagree" in result.output


def test_lexicon_overrides_a_reading(tmp_path, sample_path) -> None:
    lexicon = tmp_path / "lex.toml"
    lexicon.write_text('"增長" = "zeng1 chang2"\n', encoding="utf-8")
    data = json.loads(
        run("check", "--format", "json", "--lexicon", str(lexicon), str(sample_path)).output
    )
    assert data["summary"]["disagree"] == 0
    zhang = [f for f in data["findings"] if f["char"] == "長"]
    assert all(f["reading"] == "chang2" and f["source"] == "lexicon" for f in zhang)


def test_pinyin_one_line_per_input_line(tmp_path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("增長(chang)42.2%\n\nABC\n重點工作", encoding="utf-8")
    assert run("pinyin", str(f)).output.split("\n") == [
        "zeng1 zhang3",
        "",
        "",
        "zhong4 dian3 gong1 zuo4",
        "",
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("final_newline", [True, False])
def test_pinyin_gives_exactly_one_line_per_input_line(tmp_path, newline, final_newline) -> None:
    f = tmp_path / "a.txt"
    text = newline.join(["中國", "行長", "", "好"]) + (newline if final_newline else "")
    f.write_bytes(text.encode())
    assert run("pinyin", str(f)).output.splitlines() == ["zhong1 guo2", "hang2 zhang3", "", "hao3"]


def test_every_error_speak_raises_for_a_user_is_a_speak_error() -> None:
    """The CLI turns SpeakError into one line and an exit code: an error class outside that
    hierarchy would reach the user as a traceback. (Internal signals that never leave their
    module, such as the Edge client's StreamTruncated, are not named ...Error.)"""
    import importlib
    import inspect
    import pkgutil

    import speak
    from speak.errors import SpeakError

    found = []
    for info in pkgutil.walk_packages(speak.__path__, "speak."):
        if info.name == "speak.__main__":
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, Exception)
                and value.__module__.startswith("speak.")
                and value.__name__.endswith("Error")
            ):
                found.append(value)
                assert issubclass(value, SpeakError), f"{value.__module__}.{value.__name__}"
    assert {e.__name__ for e in found} >= {"EpubError", "BrailleError", "EngineError"}


def test_pinyin_han_ranges(tmp_path) -> None:
    f = tmp_path / "a.txt"
    # Ext A 㐀, Ext B 𠀀, compatibility ideograph 豈 (U+F900)
    f.write_text("㐀𠀀豈", encoding="utf-8")
    assert len(run("pinyin", str(f)).output.split()) == 3


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_bytes(b"\x00\x01\x02binary"), "binary"),
        (lambda p: p.write_text("no chinese at all", encoding="utf-8"), "no Chinese"),
        (lambda p: p.mkdir(), "directory"),
        (lambda p: None, "no such file"),
    ],
)
@pytest.mark.parametrize("command", ["check", "pinyin", "build"])
def test_bad_input_exits_2_with_one_line(tmp_path, setup, message, command) -> None:
    target = tmp_path / "input.txt"
    setup(target)
    args = [command, str(target)] + (
        ["-o", str(tmp_path / "out"), "--no-audio"] if command == "build" else []
    )
    if command == "build" and message == "directory":
        message = "no .txt files"  # build takes folders: an empty one has nothing to build
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and message in result.output
    assert str(target) in result.output and "Traceback" not in result.output


def test_bad_lexicon_exits_2(tmp_path, sample_path) -> None:
    lexicon = tmp_path / "lex.toml"
    lexicon.write_text('"增長" = "zeng1"\n', encoding="utf-8")
    result = run("check", "--lexicon", str(lexicon), str(sample_path))
    assert result.exit_code == 2 and str(lexicon) in result.output
    assert result.output.count("\n") == 1


def test_voices_lists_presets() -> None:
    out = run("voices").output
    assert "espeak-cmn" in out and "zh-TW-HsiaoChenNeural" in out and "zh-CN-YunxiNeural" in out


def test_check_without_a_writable_temp_folder_still_reports(monkeypatch):
    """The check spools findings to a temporary file; with none to be had it keeps them in
    memory instead of failing."""
    import tempfile

    def no_temp(*args, **kwargs):
        raise PermissionError("no writable temporary folder")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_temp)
    result = CliRunner().invoke(main, ["check", "--format", "json", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["summary"]["disagree"] == 2
