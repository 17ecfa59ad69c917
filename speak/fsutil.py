"""Atomic file writes: a temporary name beside the target, then one rename.

The temporary name carries the writing process's id (``.NAME.PID.XXXX.part``), so a later run
can tell the leftovers of a killed run (its process is gone) from a running one's and remove
them (``remove_stale_parts``). A failed write (disk full, read-only folder, no permission)
raises ``OutputError``: one line naming the file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from speak.errors import OutputError

_PART = re.compile(r"^\..+\.(?P<pid>\d+)\.[^.]+\.part$")
_LEGACY_PART = re.compile(r"^\..+\.[^.]+\.part$")  # before the process id was in the name
LEGACY_PART_AGE = 3600  # seconds after which a .part file without a process id is stale

_ADVICE = {
    errno.ENOSPC: "free some space or write elsewhere",
    errno.EDQUOT: "free some space or write elsewhere",
    errno.EROFS: "the file system is read-only; write elsewhere",
    errno.EACCES: "check the folder's permissions or write elsewhere",
    errno.EPERM: "check the folder's permissions or write elsewhere",
}


def os_error(e: OSError, path: str | os.PathLike, doing: str = "cannot write") -> OutputError:
    """A one-line OutputError for an OS error while writing ``path``."""
    where = e.filename if e.filename and not str(e.filename).endswith(".part") else path
    reason = e.strerror or type(e).__name__
    advice = _ADVICE.get(e.errno or 0, "check the path")
    return OutputError(f"{where}: {doing} ({reason}); {advice}")


@contextlib.contextmanager
def scratch_path(beside: str | os.PathLike, suffix: str = ".part") -> Iterator[Path]:
    """Yield a new empty file beside ``beside``; it is removed on leaving, however that happens.

    The file is named before it is made, so an interrupt at any moment (Ctrl-C just after the
    file appeared, too) removes it: nothing half-written is left behind."""
    beside = Path(beside)
    path = beside.parent / f".{beside.name}.{os.getpid()}.{secrets.token_hex(4)}{suffix}"
    try:
        beside.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        yield path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success."""
    target = Path(target)
    try:
        with scratch_path(target) as tmp:
            yield tmp
            os.chmod(tmp, 0o666 & ~_umask())  # made 0600; outputs get the usual mode
            os.replace(tmp, target)
    except OSError as e:
        raise os_error(e, target) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_stale_parts(folder: str | os.PathLike, *, recursive: bool = True) -> list[Path]:
    """Remove the ``.part`` files killed runs left in ``folder``; returns what was removed.

    A part whose process still runs (a concurrent build) is left alone."""
    removed: list[Path] = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    paths = folder.rglob(".*.part") if recursive else folder.glob(".*.part")
    now = time.time()
    for path in paths:
        m = _PART.match(path.name)
        if m:
            stale = not _running(int(m["pid"]))
        else:
            try:
                stale = bool(_LEGACY_PART.match(path.name)) and (
                    now - path.stat().st_mtime > LEGACY_PART_AGE
                )
            except OSError:
                continue
        if stale:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def write_bytes(target: str | os.PathLike, data: bytes) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text(target: str | os.PathLike, text: str) -> Path:
    return write_bytes(target, text.encode("utf-8"))


def write_parts(target: str | os.PathLike, parts: Iterable[str]) -> Path:
    """Write text given in pieces (UTF-8) as it comes: the whole is never held in memory."""
    with atomic_path(target) as tmp, tmp.open("w", encoding="utf-8", newline="") as f:
        for part in parts:
            f.write(part)
    return Path(target)
