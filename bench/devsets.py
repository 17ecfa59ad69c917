"""The dev sets the benches measure on (never trained or tuned on)."""

from __future__ import annotations

import os
from pathlib import Path

from pypinyin import Style, lazy_pinyin

DATA = Path(os.environ.get("SPEAK_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
DEV_FILES = ("cpp/dev.tsv", "cpp/dev_trad.tsv", "g2pl/dev.tsv", "g2pl/dev_trad.tsv")


def read_dev(
    name: str, limit: int | None = None, root: Path = DATA
) -> list[tuple[str, int, str, str]]:
    """(sentence, idx, char, gold) rows; gold in tone-number form with ü as v.

    The files are plain tab-separated text: quotes are text, not CSV quoting."""
    with open(root / name, encoding="utf-8") as f:
        lines = f.read().splitlines()[1:]
    rows = []
    for line in lines[:limit]:
        cols = line.split("\t")
        rows.append((cols[0], int(cols[1]), cols[2], cols[3].replace("u:", "v")))
    return rows


def pypinyin_per_char(text: str) -> list[str]:
    """Plain pypinyin (TONE3, neutral 5), one item per character of ``text``."""
    out = lazy_pinyin(
        text, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda chunk: list(chunk)
    )
    return [p.replace("ü", "v") for p in out]
