"""Build everyday.tsv (Simplified) and everyday_trad.tsv from everyday_source.tsv, the
hold-out set everyday_holdout.tsv / everyday_holdout_trad.tsv from everyday_holdout_source.tsv,
and the fresh blind set everyday_fresh.tsv / everyday_fresh_trad.tsv from
everyday_fresh_source.tsv.

    PYTHONPATH=. python tests/data/everyday_build.py

The source marks each heteronym as ``[X]`` or ``[X=T]`` (T: its Traditional form where the
Simplified one maps to several: 干 → 乾/幹, 发 → 發/髮, 系 → 係/繫, 冲 → 沖/衝 …). The
Traditional sentence is OpenCC ``s2tw`` (Taiwan character forms: 著 for every reading of 着)
with each marked character set to its checked form; any place where OpenCC chose otherwise
is printed for a hand check. Rows alternate between the ``dev`` and ``test`` halves within
each (character, reading), so both halves cover every reading; every row of a blind set is in
its own split (``holdout``, ``fresh``).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from speak.zh.chars import readings_of
from speak.zh.script import converter

HERE = Path(__file__).parent
MARK = re.compile(r"\[([^\]=])(?:=([^\]]))?\]")
HEADER = "sentence\tidx\tchar\tgold\tsplit\tnote\n"


def parse(line: str) -> tuple[str, str, list[tuple[int, str, str]], str]:
    """(gold, plain sentence, [(idx, simplified char, traditional char)], note)."""
    gold, marked, note = line.split("\t")
    plain, targets, pos = [], [], 0
    for m in MARK.finditer(marked):
        plain.append(marked[pos : m.start()])
        idx = sum(map(len, plain))
        plain.append(m.group(1))
        targets.append((idx, m.group(1), m.group(2) or ""))
        pos = m.end()
    plain.append(marked[pos:])
    return gold, "".join(plain), targets, note


def build(source: str, simplified: str, traditional: str, blind: str = "") -> int:
    """Write one set in both scripts; the number of problems found. ``blind``: the split
    every row of a blind set is in (else rows alternate between dev and test)."""
    s2tw = converter("s2tw")
    simp_rows, trad_rows = [], []
    seen: Counter[tuple[str, str]] = Counter()
    problems = 0
    for n, line in enumerate((HERE / source).read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        gold, sentence, targets, note = parse(line)
        if not targets:
            print(f"line {n}: no marked character", file=sys.stderr)
            problems += 1
            continue
        trad = list(s2tw.convert(sentence))
        if len(trad) != len(sentence):
            print(f"line {n}: s2tw changed the length", file=sys.stderr)
            problems += 1
            continue
        for idx, simple, wanted in targets:
            if wanted and trad[idx] != wanted:
                print(f"line {n}: s2tw gave {trad[idx]}, set {wanted}: {sentence}", file=sys.stderr)
                trad[idx] = wanted
            elif not wanted and trad[idx] != simple:
                print(f"line {n}: s2tw gave {trad[idx]} for {simple}: {sentence}", file=sys.stderr)
        trad_text = "".join(trad)
        for idx, simple, _ in targets:
            for char in (simple, trad[idx]):
                if gold not in readings_of(char):
                    print(f"line {n}: {gold} is not a reading of {char}", file=sys.stderr)
                    problems += 1
            split = blind or ("dev", "test")[seen[(simple, gold)] % 2]
            seen[(simple, gold)] += 1
            simp_rows.append(f"{sentence}\t{idx}\t{simple}\t{gold}\t{split}\t{note}\n")
            trad_rows.append(f"{trad_text}\t{idx}\t{trad[idx]}\t{gold}\t{split}\t{note}\n")
    thin = [f"{c} {g}" for (c, g), k in seen.items() if k < 2]
    if thin:
        print("fewer than two rows:", ", ".join(thin), file=sys.stderr)
        problems += 1
    (HERE / simplified).write_text(HEADER + "".join(simp_rows), "utf-8")
    (HERE / traditional).write_text(HEADER + "".join(trad_rows), "utf-8")
    chars = len({c for c, _ in seen})
    print(f"{source}: {len(simp_rows)} rows, {len(seen)} readings of {chars} chars")
    return problems


def main() -> int:
    problems = build("everyday_source.tsv", "everyday.tsv", "everyday_trad.tsv")
    for blind in ("holdout", "fresh", "second"):
        problems += build(
            f"everyday_{blind}_source.tsv",
            f"everyday_{blind}.tsv",
            f"everyday_{blind}_trad.tsv",
            blind,
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
