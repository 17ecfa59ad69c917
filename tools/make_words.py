"""Build speak/data/words.tsv.gz, the word list braille uses to write words apart (分词连写).

From jieba's dictionary (MIT licence; `dict.txt` in the jieba source distribution): every
word of Han characters with its frequency, keeping single characters and words of 2 to
MAX_LEN characters seen at least MIN_FREQ times.

    pip download jieba==0.42.1 --no-deps --no-binary :all: -d /tmp/jieba
    tar xzf /tmp/jieba/jieba-0.42.1.tar.gz -C /tmp/jieba
    python tools/make_words.py /tmp/jieba/jieba-0.42.1/jieba/dict.txt
"""

from __future__ import annotations

import gzip
import sys

from speak.han import is_han
from speak.words import MAX_LEN
from speak.words import WORDS_PATH as OUT

MIN_FREQ = 5


def main(dictionary: str) -> int:
    kept: dict[str, int] = {}
    with open(dictionary, encoding="utf-8") as f:
        for line in f:
            word, freq, *_ = line.split()
            n = int(freq)
            if all(map(is_han, word)) and (
                len(word) == 1 or (len(word) <= MAX_LEN and n >= MIN_FREQ)
            ):
                kept[word] = kept.get(word, 0) + n
    body = "".join(f"{w}\t{n}\n" for w, n in sorted(kept.items()))
    header = "# words\tfrequency, from jieba 0.42.1 dict.txt (MIT licence, (c) Sun Junyi)\n"
    OUT.write_bytes(gzip.compress((header + body).encode("utf-8"), 9, mtime=0))
    print(f"{len(kept)} words -> {OUT} ({OUT.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
