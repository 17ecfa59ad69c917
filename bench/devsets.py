"""The dev sets the benches measure on (never trained or tuned on)."""

from __future__ import annotations

import os
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from speak.readings import Reader
from speak.zh.script import to_simplified_many

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


# The systems the accuracy benches compare: each maps rows (sentence, idx, char, gold) to the
# reading it gives at idx.


def speak_predictions(rows) -> list[str]:
    readings = Reader().read_many([r[0] for r in rows])
    out = []
    for (_, idx, _, _), found in zip(rows, readings, strict=True):
        by_offset = {x.offset: x.pinyin for x in found}
        out.append(by_offset.get(idx, ""))
    return out


def pypinyin_predictions(rows, simplify: bool) -> list[str]:
    texts = [r[0] for r in rows]
    if simplify:
        texts = to_simplified_many(texts)
    return [pypinyin_per_char(t)[r[1]] for t, r in zip(texts, rows, strict=True)]


def g2pm_predictions(rows) -> list[str]:
    """The g2pM package as shipped, on the t2s text (it reads Simplified only)."""
    from g2pM import G2pM

    model = G2pM()
    texts = to_simplified_many([r[0] for r in rows])
    return [
        model(t, char_split=True)[r[1]].replace("u:", "v") for t, r in zip(texts, rows, strict=True)
    ]


SYSTEMS = {
    "pypinyin": lambda rows: pypinyin_predictions(rows, simplify=False),
    "pypinyin+t2s": lambda rows: pypinyin_predictions(rows, simplify=True),
    "g2pM (t2s)": g2pm_predictions,
    "speak": speak_predictions,
}
