"""Words of a Chinese text, so braille can write them apart (分词连写).

A maximum-probability cut over a word list with frequencies (``speak/data/words.tsv.gz``,
from jieba's dictionary; ``tools/make_words.py`` builds it), as jieba cuts without its
HMM: each run of Han characters is cut into the dictionary words whose probabilities
multiply highest. Traditional text is cut in its Simplified form. Pure functions.
"""

from __future__ import annotations

import gzip
import math
from functools import cache
from pathlib import Path

from speak.han import is_han
from speak.readings.chars import to_simplified

WORDS_PATH = Path(__file__).with_name("data") / "words.tsv.gz"
MAX_LEN = 8  # longest word in the list


@cache
def _log_probs() -> tuple[dict[str, float], float]:
    """log P(word) for every listed word, and for an unlisted character."""
    text = gzip.decompress(WORDS_PATH.read_bytes()).decode("utf-8")
    fields = text.split("\n", 1)[1].split()  # after the header: word, count, word, count …
    counts = list(map(int, fields[1::2]))
    log_total = math.log(sum(counts))
    return dict(
        zip(fields[0::2], [math.log(n) - log_total for n in counts], strict=True)
    ), -log_total


def _cut_run(run: str) -> list[int]:
    """Lengths of the words of a run of Han characters, in order."""
    table, unknown = _log_probs()
    n = len(run)
    best = [0.0] * (n + 1)
    step = [1] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i] = table.get(run[i], unknown) + best[i + 1]
        for j in range(i + 2, min(n, i + MAX_LEN) + 1):
            p = table.get(run[i:j])
            if p is not None and p + best[j] > best[i]:
                best[i], step[i] = p + best[j], j - i
    lengths = []
    i = 0
    while i < n:
        lengths.append(step[i])
        i += step[i]
    return lengths


def word_ids(text: str) -> tuple[int, ...]:
    """Per character of ``text``, the index of its word (any other character: a word alone)."""
    simple = to_simplified(text)
    ids: list[int] = []
    i = 0
    while i < len(simple):
        if not is_han(simple[i]):
            ids.append(ids[-1] + 1 if ids else 0)
            i += 1
            continue
        j = i
        while j < len(simple) and is_han(simple[j]):
            j += 1
        for length in _cut_run(simple[i:j]):
            ids.extend([(ids[-1] + 1) if ids else 0] * length)
        i = j
    return tuple(ids)
