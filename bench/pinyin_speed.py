"""Speed of speak's readings against plain pypinyin on the same dev sentences, same run.

    PYTHONPATH=. python bench/pinyin_speed.py [--limit N]

pypinyin: ``lazy_pinyin(text, style=TONE3, neutral_tone_with_five=True)`` per sentence.
speak: ``Reader().read_many(sentences)``, first with model loading included, then again.
Prints the times and the ratios speak / pypinyin (below 1: speak is faster).
"""

from __future__ import annotations

import argparse
import sys
import time

from devsets import DEV_FILES, read_dev
from pypinyin import Style, lazy_pinyin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N rows of each file")
    args = parser.parse_args(argv)
    texts = [r[0] for name in DEV_FILES for r in read_dev(name, args.limit)]
    chars = sum(map(len, texts))

    lazy_pinyin("预热", style=Style.TONE3)  # pypinyin's dictionaries load on import
    started = time.perf_counter()
    for text in texts:
        lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)
    base = time.perf_counter() - started

    started = time.perf_counter()
    from speak.readings import Reader

    reader = Reader()
    reader.read_many(texts)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    reader.read_many(texts)
    warm = time.perf_counter() - started

    print(f"{len(texts)} sentences, {chars} characters")
    print(f"pypinyin lazy_pinyin: {base:6.2f} s")
    print(f"speak Reader:         {ours:6.2f} s (model loading included)")
    print(f"speak Reader, again:  {warm:6.2f} s (models loaded)")
    print(f"ratio speak/pypinyin: {ours / base:.2f} (first run), {warm / base:.2f} (again)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
