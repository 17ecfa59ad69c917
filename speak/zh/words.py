"""Cutting Chinese text into words: two cuts for two jobs.

``segment``: the cut the readings use — pypinyin's forward maximum matching over its phrase
dictionary, with the reading the dictionary gives each character of a word of 2+ characters
(the dictionary's readings only make sense over the words it was matched with).

``word_ids``: the cut braille uses to write words apart (分词连写), as jieba cuts (its data,
built by ``tools/make_words.py``): each run of Han characters into the listed words whose
probabilities multiply highest (``speak/zh/data/words.tsv.gz``), then each stretch of single
characters that is not itself a word by jieba's hidden Markov model
(``speak/zh/data/hmm.tsv.gz``), which finds words the list lacks (提振, 低碳). Traditional
text is cut in its Simplified form. Pure functions.
"""

from __future__ import annotations

import gzip
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pypinyin.constants import PHRASES_DICT
from pypinyin.seg.simpleseg import seg

from speak.zh.han import HAN
from speak.zh.pinyin import tone3
from speak.zh.script import to_simplified

WORDS_PATH = Path(__file__).with_name("data") / "words.tsv.gz"
HMM_PATH = Path(__file__).with_name("data") / "hmm.tsv.gz"
NAMES_PATH = Path(__file__).with_name("data") / "names.txt.gz"
MAX_LEN = 16  # longest word in the list
STATES = ("B", "M", "E", "S")  # begins, inside, ends a word; a word alone
_B, _M, _E, _S = range(4)
_BEFORE = ((_E, _S), (_M, _B), (_B, _M), (_S, _E))  # the states that may precede each
_HAN_RUN = re.compile(f"{HAN.pattern}+")


@cache
def _lines() -> tuple[dict[str, str], float]:
    """The word list's line for each first character, and the log of the total frequency."""
    first, *lines = gzip.decompress(WORDS_PATH.read_bytes()).decode("utf-8").split("\n")
    return {line[0]: line for line in lines if line}, math.log(int(first.split("\t")[0]))


@cache
def _starting(char: str) -> dict[str, int]:
    """Every listed word that begins with ``char``, with its frequency."""
    line = _lines()[0].get(char)
    fields = iter(line[2:].split(" ") if line else ())
    return {word: int(count) for word, count in zip(fields, fields, strict=True)}


def frequency(word: str) -> int | None:
    """How often jieba's corpus has ``word`` (Simplified); None for a word not in the list."""
    return _starting(word[0]).get(word)


def is_listed(word: str) -> bool:
    """Whether ``word`` (Simplified) is in the word list."""
    return frequency(word) is not None


@cache
def _names() -> frozenset[str]:
    lines = gzip.decompress(NAMES_PATH.read_bytes()).decode("utf-8").split("\n")
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_name(word: str) -> bool:
    """Whether the word list tags ``word`` (Simplified) as a name of a person, place,
    organisation or other proper name (黄陂, 呵叻); only words pypinyin's phrases also list."""
    return word in _names()


def _log_prob(word: str) -> float | None:
    """log P(word), or None for a word not in the list (jieba counts 0 as 1)."""
    found = frequency(word)
    return None if found is None else math.log(found or 1) - _lines()[1]


@cache
def _hmm() -> tuple[list[float], list[list[float]], dict[str, list[float]], float]:
    """Start, transition and per-character emission log-probabilities (B M E S)."""
    rows = gzip.decompress(HMM_PATH.read_bytes()).decode("utf-8").split("\n")[1:]
    table = {k: list(map(float, v)) for k, *v in (row.split("\t") for row in rows if row)}
    start = table.pop("start")
    trans = [table.pop(f"trans{s}") for s in STATES]
    return start, trans, table, min(start)


def _hmm_cut(run: str) -> list[int]:
    """Lengths of the words the model finds in ``run`` (Viterbi over B M E S)."""
    start, trans, emit, floor = _hmm()
    unseen = [floor] * 4
    score = [p + e for p, e in zip(start, emit.get(run[0], unseen), strict=True)]
    back: list[list[int]] = []
    for char in run[1:]:
        e = emit.get(char, unseen)
        came = [max(_BEFORE[y], key=lambda x, y=y: score[x] + trans[x][y]) for y in range(4)]
        score = [score[came[y]] + trans[came[y]][y] + e[y] for y in range(4)]
        back.append(came)
    state = _E if score[_E] >= score[_S] else _S
    path = [state]
    for came in reversed(back):
        state = came[state]
        path.append(state)
    lengths, n = [], 0
    for state in reversed(path):
        n += 1
        if state in (_E, _S):
            lengths.append(n)
            n = 0
    return lengths + ([n] if n else [])


@lru_cache(maxsize=256)
def _words_at(run: str) -> tuple[tuple[tuple[int, float], ...], ...]:
    """Per start in ``run``: (end, log-probability) of each word the cut may take there, the
    single character first, then the listed words by length."""
    n = len(run)
    found = []
    for start in range(n):
        here = [(start + 1, _char_log_prob(run[start]))]
        for end in range(start + 2, min(n, start + MAX_LEN) + 1):
            p = _log_prob(run[start:end])
            if p is not None:
                here.append((end, p))
        found.append(tuple(here))
    return tuple(found)


@lru_cache(maxsize=256)
def _best_from(run: str) -> tuple[tuple[float, ...], tuple[int, ...]]:
    """Per boundary k of ``run``: the log-probability of the best cut of ``run[k:]`` into
    listed words and single characters, and the length of its first word (the shortest of
    equally good ones)."""
    n = len(run)
    best = [0.0] * (n + 1)
    step = [1] * (n + 1)
    for start in range(n - 1, -1, -1):
        for end, p in _words_at(run)[start]:
            if end == start + 1 or p + best[end] > best[start]:
                best[start], step[start] = p + best[end], end - start
    return tuple(best), tuple(step)


def _cut_run(run: str) -> list[int]:
    """Lengths of the words of a run of Han characters, in order."""
    n = len(run)
    step = _best_from(run)[1]
    lengths: list[int] = []
    i = single = 0  # single: where the current stretch of one-character words began
    while i <= n:
        if i == n or step[i] > 1:  # a stretch of single characters ends here
            stretch = run[single:i]
            if len(stretch) > 1 and not is_listed(stretch):
                lengths.extend(_hmm_cut(stretch))
            else:
                lengths.extend([1] * len(stretch))
            if i == n:
                break
            lengths.append(step[i])
            i += step[i]
            single = i
        else:
            i += 1
    return lengths


def _char_log_prob(char: str) -> float:
    """log P of one character as the cut scores it (one the list lacks still counts)."""
    found = _log_prob(char)
    return -_lines()[1] if found is None else found


def cut_cost(run: str, start: int, end: int) -> float | None:
    """How many nats less probable jieba's best cut of ``run`` (Simplified Han characters)
    is when it keeps ``run[start:end]`` as one word (0: the best cut keeps it); None when
    the list does not have that word."""
    word = _log_prob(run[start:end])
    if word is None:
        return None
    before = [0.0] + [-math.inf] * start  # the best cut of run[:k], for k up to start
    for k, words in enumerate(_words_at(run)[:start]):
        for stop, p in words:
            if stop <= start:
                before[stop] = max(before[stop], before[k] + p)
    after = _best_from(run)[0]
    return after[0] - (before[start] + word + after[end])


def run_lengths(run: str) -> tuple[int, ...]:
    """Lengths of the words of one run of Simplified Han characters, in order."""
    return tuple(_cut_run(run))


def word_ids(text: str) -> tuple[int, ...]:
    """Per character of ``text``, the index of its word (any other character: a word alone)."""
    simple = to_simplified(text)
    lengths: list[int] = []
    at = 0
    for run in _HAN_RUN.finditer(simple):
        lengths += [1] * (run.start() - at)
        lengths += _cut_run(run.group())
        at = run.end()
    lengths += [1] * (len(simple) - at)
    return tuple(k for k, n in enumerate(lengths) for _ in range(n))


@cache
def _phrase(word: str) -> tuple[str, ...] | None:
    found = PHRASES_DICT.get(word)
    if not found or len(found) != len(word):
        return None
    return tuple(tone3(item[0]) for item in found)


def phrase_readings(word: str) -> tuple[str, ...] | None:
    """The phrase dictionary's reading of each character of ``word`` (None: not listed)."""
    return _phrase(word)


@dataclass(frozen=True)
class Segmented:
    """A Simplified text cut into words (pypinyin's cut), and the dictionary's readings."""

    words: tuple[str, ...]
    word_of: tuple[int, ...]  # per char: index into words
    readings: tuple[str | None, ...]  # per char: reading in a dictionary word of 2+ chars
    starts: tuple[int, ...] = ()  # per word: offset of its first char

    def dictionary_span(self, i: int) -> tuple[int, int] | None:
        """(start, end) of the dictionary word of 2+ chars that gave char ``i`` a reading."""
        if self.readings[i] is None:
            return None
        k = self.word_of[i]
        start = self.starts[k]
        return start, start + len(self.words[k])


def segment(simplified: str) -> Segmented:
    """Cut a Simplified text as pypinyin does; note the readings its phrase dictionary gives."""
    words = tuple(seg(simplified))
    word_of: list[int] = []
    readings: list[str | None] = []
    starts: list[int] = []
    for k, word in enumerate(words):
        n = len(word)
        starts.append(len(word_of))
        if n == 1:
            word_of.append(k)
            readings.append(None)
            continue
        word_of.extend([k] * n)
        found = _phrase(word)
        readings.extend(found if found else [None] * n)
    return Segmented(words, tuple(word_of), tuple(readings), tuple(starts))
