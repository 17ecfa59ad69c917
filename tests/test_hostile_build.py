"""Hostile conditions for `speak build`: clashing inputs, leftovers, a damaged cache, bad
options, a full or read-only disk, Ctrl-C. Each test reproduces one defect of issue 15."""

from __future__ import annotations

import errno
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from speak import fsutil
from speak.cli import main
from tests.conftest import ROOT

TWO_SECTIONS = "工業報告\n一是穩定增長。工業經濟穩步增長。\n二是推進創新。行業發展良好。\n"


def run(*args: str, input: bytes | None = None, env: dict | None = None):
    """The CLI; builds speak with eSpeak (``auto`` would first say the neural voice is not
    fetched)."""
    args = (*args, "--engine", "espeak") if args[0] == "build" else args
    return CliRunner().invoke(main, list(args), input=input, env=env)


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != fsutil.Path(".speak-outputs").name
    }


def one_line_error(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1, result.output
    for needle in needles:
        assert needle in result.output, result.output


@pytest.fixture
def report(tmp_path) -> Path:
    path = tmp_path / "r.txt"
    path.write_text(TWO_SECTIONS, encoding="utf-8")
    return path


def test_two_inputs_with_one_name_get_two_folders(tmp_path) -> None:
    for folder, text in (("d1", "工業增長。"), ("d2", "行業發展。")):
        (tmp_path / folder / "sub").mkdir(parents=True)
        (tmp_path / folder / "sub" / "r.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "OUT"
    a, b = tmp_path / "d1" / "sub" / "r.txt", tmp_path / "d2" / "sub" / "r.txt"
    result = run("build", "-q", "--no-audio", str(a), str(b), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["d1-sub-r", "d2-sub-r"]
    for folder, source, text in (("d1-sub-r", a, "工業增長"), ("d2-sub-r", b, "行業發展")):
        assert json.loads((out / folder / "report.json").read_text("utf-8"))["source"] == str(
            source
        )
        assert text in (out / folder / "r.xhtml").read_text(encoding="utf-8")


def test_names_equal_but_for_case_are_told_apart_with_a_note(tmp_path) -> None:
    (tmp_path / "R.txt").write_text("工業增長。", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "r.txt").write_text("行業發展。", encoding="utf-8")
    out = tmp_path / "OUT"
    result = run(
        "build",
        "-q",
        "--no-audio",
        str(tmp_path / "R.txt"),
        str(tmp_path / "sub" / "r.txt"),
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["R", "r-2"]
    assert "note:" in result.output and "r-2" in result.output


def test_a_build_removes_what_an_earlier_build_made_and_this_one_did_not(report, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert run("build", "-q", str(report), "-o", str(out), "--cache-dir", str(cache)).exit_code == 0
    mine = tmp_path / "out" / "notes.md"  # the user's own file in the folder: never touched
    mine.write_text("mine", encoding="utf-8")
    first = files(out)
    assert any(name.startswith("audio/02-yi-shi") for name in first)
    report.write_text(TWO_SECTIONS.replace("一是穩定增長", "一是加快發展"), encoding="utf-8")
    result = run("build", "-q", str(report), "-o", str(out), "--cache-dir", str(cache))
    assert result.exit_code == 0, result.output
    second = files(out)
    assert not any(name.startswith("audio/02-yi-shi-wen") for name in second)  # renamed section
    assert any(name.startswith("audio/02-yi-shi-jia") for name in second)
    assert "removed" in result.output
    result = run("build", "-q", "--no-audio", str(report), "-o", str(out))
    assert result.exit_code == 0
    third = files(out)
    assert not any(name.startswith("audio/") for name in third) and not (out / "audio").exists()
    assert "notes.md" in third and mine.read_text(encoding="utf-8") == "mine"


def test_part_files_of_killed_runs_are_removed_and_a_running_ones_kept(report, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = out / f".r.epub.{dead.pid}.k2x9a1b3.part"
    running = out / f".r.epub.{os.getppid()}.q7w8e9r0.part"
    for p in (stale, running):
        p.write_bytes(b"x" * 1000)
    result = run("build", "-q", "--no-audio", str(report), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert not stale.exists() and running.exists()
    assert str(stale) in result.output


@pytest.mark.parametrize(
    ("args", "env", "needle"),
    [
        (["--voice", "nosuchvoice"], {}, "unknown voice preset 'nosuchvoice'"),
        (["--rate", "-1000"], {}, "--rate -1000"),
        (["--encoding", "rot13"], {}, "--encoding rot13"),
        (["--encoding", "base64"], {}, "--encoding base64"),
        ([], {"SOURCE_DATE_EPOCH": "99999999999999"}, "SOURCE_DATE_EPOCH='99999999999999'"),
        ([], {"SOURCE_DATE_EPOCH": "-5"}, "SOURCE_DATE_EPOCH='-5'"),
    ],
)
def test_a_bad_option_is_one_line_and_nothing_is_written(report, tmp_path, args, env, needle):
    out = tmp_path / "out"
    one_line_error(run("build", str(report), "-o", str(out), *args, env=env), needle)
    assert not out.exists()


def test_a_preset_with_a_rate_that_is_not_a_number(report, tmp_path) -> None:
    preset = tmp_path / "fast.toml"
    preset.write_text('engine = "espeak"\nvoice = "cmn"\nrate = "fast"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", str(report), "-o", str(out), "--voice", str(preset))
    one_line_error(result, f"voice preset {preset}: rate = 'fast'")
    assert not out.exists()


def _fail_writes_under(monkeypatch, root: Path, code: int) -> None:
    """Make every atomic write under ``root`` fail as the OS would with ``code``."""
    real = os.open

    def open_(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and Path(path).resolve().is_relative_to(root.resolve()):
            raise OSError(code, os.strerror(code), str(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(fsutil.os, "open", open_)


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_a_read_only_output_or_cache_folder_is_one_line(report, tmp_path, monkeypatch, code):
    for failing in ("out", "cache"):
        (tmp_path / failing).mkdir(exist_ok=True)
        with monkeypatch.context() as m:
            _fail_writes_under(m, tmp_path / failing, code)
            result = run(
                "build",
                "-q",
                str(report),
                "-o",
                str(tmp_path / "out"),
                "--cache-dir",
                str(tmp_path / "cache"),
            )
        one_line_error(result, str(tmp_path / failing), os.strerror(code))


def test_a_full_disk_is_one_line_naming_the_file(report, tmp_path, monkeypatch) -> None:
    real = os.replace

    def replace(src, dst):
        if str(dst).endswith(".mp3"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(src, dst)

    monkeypatch.setattr(fsutil.os, "replace", replace)
    out = tmp_path / "out"
    result = run("build", "-q", str(report), "-o", str(out), "--cache-dir", str(tmp_path / "c"))
    one_line_error(result, "No space left on device", ".mp3: cannot write", "free some space")
    leftovers = [p for p in tmp_path.rglob("*.part")]
    assert leftovers == []


def test_the_full_disk_in_the_middle_of_a_write(report, tmp_path, monkeypatch) -> None:
    """A write failing half way (ENOSPC from os.write): one line naming the file, no .part."""
    from speak.check.report import Report

    def write(self, out) -> None:
        out("{\n")  # some of it is written, then the disk is full
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Report, "write", write)
    out = tmp_path / "out"
    result = run("build", "-q", "--no-audio", str(report), "-o", str(out))
    one_line_error(result, f"{out / 'report.json'}: cannot write (No space left on device)")
    assert not list(out.rglob("*.part")) and not (out / "report.json").exists()


def _clips(cache: Path) -> list[Path]:
    return sorted(cache.glob("??/*.clip"), key=lambda p: p.stat().st_size)


def test_a_damaged_cache_entry_is_discarded_and_made_again(report, tmp_path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = ["build", "-q", str(report), "-o", str(out), "--cache-dir", str(cache)]
    assert run(*args, env={"SOURCE_DATE_EPOCH": "1700000000"}).exit_code == 0
    first = files(out)
    longest = _clips(cache)[-1]
    longest.write_bytes(longest.read_bytes()[: longest.stat().st_size // 10])  # cut short
    mp3 = sorted((cache / "mp3").glob("*.mp3"))[0]
    mp3.write_bytes(mp3.read_bytes()[:1000])  # a cached section MP3 cut short
    shutil.rmtree(cache / "builds")  # the whole build is not restored: it is made again
    result = run(*args, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.exit_code == 0, result.output
    assert result.output.count("is damaged") == 2
    assert files(out) == first  # the same MP3s, cues, EPUB as before the damage


def _as_from_a_terminal() -> None:
    """Run in the child before exec: Ctrl-C as a terminal delivers it. A test suite started
    in the background (``cmd &``, nohup) ignores SIGINT, every child inherits that, and the
    child's Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_stops_a_build_at_once_with_exit_130_and_nothing_half_written(tmp_path) -> None:
    text = "".join(
        f"{n}是工業經濟穩步增長，行業發展良好，任務按時完成。" * 12 + "\n" for n in "一二三四五六"
    )
    source = tmp_path / "long.txt"
    source.write_text(text, encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "speak",
            "build",
            "--engine",
            "espeak",
            "-q",
            str(source),
            "-o",
            str(out),
            "--cache-dir",
            str(cache),
        ],
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=_as_from_a_terminal,
    )
    while not list(cache.glob("??/*.clip")):  # synthesis has begun
        assert process.poll() is None, process.stderr.read()
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err.decode()
    assert "Traceback" not in err.decode() and "interrupted" in err.decode()
    assert not list(tmp_path.rglob("*.part"))
    for clip in cache.glob("??/*.clip"):  # every clip kept is whole
        from speak.speech.cache import _opened

        _opened(clip.read_bytes())


ESPEAK_INTERRUPT = """
import os, signal, sys, threading, time
from speak.speech.engines.espeak import _library
lib = _library()
lib.set_voice("cmn")
text = "工業經濟穩步增長，行業發展良好。" * 20
threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
started = time.monotonic()
try:
    for _ in range(40):
        lib.synth(text)
except KeyboardInterrupt:
    print("interrupted", round(time.monotonic() - started, 1))
    sys.exit(0)
print("ran on")
"""


def test_ctrl_c_inside_the_espeak_callback_is_not_swallowed() -> None:
    """It was caught inside the ctypes callback, printed as ignored, and the build ran on."""
    for _ in range(3):  # the signal lands inside the callback nearly always: try a few times
        done = subprocess.run(
            [sys.executable, "-c", ESPEAK_INTERRUPT],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=120,
            preexec_fn=_as_from_a_terminal,
        )
        assert done.stdout.startswith("interrupted"), done.stdout + done.stderr
        assert "Exception ignored" not in done.stderr


def test_an_overlong_sentence_is_synthesized_in_pieces_and_heard_as_one(tmp_path) -> None:
    """One 80 KB sentence was one 52-minute clip (3.8 GB): now pieces of MAX_UTTERANCE."""
    from speak.model import Utterance
    from speak.speech.render import MAX_UTTERANCE, split_long

    clause = "工業經濟穩步增長，"
    text = clause * 130 + "行業發展良好。"  # 1,177 characters, one sentence
    u = Utterance("s001", text, (None,) * len(text), tuple(range(len(text))), say=text)
    pieces = split_long(u)
    assert "".join(p.text for p in pieces) == text and len(pieces) == 3
    assert all(len(p.text) <= MAX_UTTERANCE and p.text.endswith(("，", "。")) for p in pieces)
    assert [p.pause_after for p in pieces][-1] == u.pause_after
    source = tmp_path / "long.txt"
    source.write_text(text + "\n", encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    result = run("build", "-q", str(source), "-o", str(out), "--cache-dir", str(cache))
    assert result.exit_code == 0, result.output
    distinct = len({p.text for p in pieces})  # equal pieces share one clip
    assert len(list(cache.glob("??/*.clip"))) == distinct >= 2
    [vtt] = (out / "audio").glob("01-*.vtt")
    body = vtt.read_text(encoding="utf-8")
    cues = re.findall(r"([\d:.]+) --> ([\d:.]+)\n(.+)", body)

    def seconds(stamp: str) -> float:
        h, m, sec = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(sec)

    times = [(seconds(a), seconds(b)) for a, b, _ in cues]
    assert all(a < b <= c for (a, b), (c, _) in itertools.pairwise(times))  # in order, apart
    assert "".join(t for _, _, t in cues) == text  # the whole sentence, once, in order
    from speak.speech.audio import mp3_duration

    [mp3] = (out / "audio").glob("01-*.mp3")
    assert abs(times[-1][1] - mp3_duration(mp3)) < 1.0
    epub = next(out.glob("*.epub"))
    with zipfile.ZipFile(epub) as z:  # one sentence: one clip in the media overlay
        [smil] = [z.read(n).decode() for n in z.namelist() if n.endswith(".smil")]
    assert smil.count("<par ") == 1
