"""Atomic writes: nothing under the final name until complete, the usual file mode."""

from __future__ import annotations

import os

import pytest

from speak.fsutil import atomic_path, write_text


def test_interrupted_write_leaves_nothing(tmp_path) -> None:
    target = tmp_path / "a.mp3"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []


def test_written_file_is_readable_by_others(tmp_path) -> None:
    old = os.umask(0o022)
    try:
        path = write_text(tmp_path / "sub" / "a.txt", "好")
    finally:
        os.umask(old)
    assert path.read_text(encoding="utf-8") == "好"
    assert path.stat().st_mode & 0o777 == 0o644


def test_ctrl_c_just_after_the_temporary_file_appears_leaves_nothing(tmp_path, monkeypatch):
    """The signal can land between the file's creation and the code that would remove it."""
    real = os.open

    def open_then_interrupted(path, flags, *args, **kwargs):
        os.close(real(path, flags, *args, **kwargs))
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "open", open_then_interrupted)
    with pytest.raises(KeyboardInterrupt), atomic_path(tmp_path / "a.marks.json"):
        pass
    assert list(tmp_path.iterdir()) == []
