"""Build the word data braille uses to write words apart (分词连写), from jieba (MIT licence,
(c) Sun Junyi; the jieba 0.42.1 source distribution):

- speak/zh/data/words.tsv.gz: every word of Han characters in `jieba/dict.txt` with its
  frequency (349k words; with them the cut is jieba's own): the total first, then one line
  per first character, ``char<TAB>word count word count …``, so a report loads only the
  lines of the characters it has;
- speak/zh/data/hmm.tsv.gz: jieba's hidden Markov model for words the list lacks
  (`jieba/finalseg/prob_*.p`): start and transition log-probabilities, then per character
  its emission log-probability in each state B M E S;
- speak/zh/data/names.txt.gz: the words `dict.txt` tags as names (nr, nrt, nrfg people; ns
  places; nt organisations; nz other proper names) that pypinyin's phrase dictionary also
  lists, one per line: a name's reading is its own (黄陂, 呵叻), so the readings do not take
  its dictionary reading for a common word's (speak.readings.experts);
- speak/zh/data/usual.tsv: per polyphone, the reading its words carry most often in
  running text (speak.zh.chars.usual_reading), where that is not pypinyin's first reading.

    pip download jieba==0.42.1 --no-deps --no-binary :all: -d /tmp/jieba
    tar xzf /tmp/jieba/jieba-0.42.1.tar.gz -C /tmp/jieba
    python tools/make_words.py /tmp/jieba/jieba-0.42.1/jieba
"""

from __future__ import annotations

import gzip
import pickle
import sys
from pathlib import Path

from pypinyin.constants import PHRASES_DICT

from speak.zh.chars import USUAL_PATH
from speak.zh.han import is_han
from speak.zh.pinyin import dictionary_readings
from speak.zh.words import (
    HMM_PATH,
    MAX_LEN,
    NAMES_PATH,
    STATES,
    WORDS_PATH,
    frequency,
    phrase_readings,
)

SOURCE = "from jieba 0.42.1 (MIT licence, (c) Sun Junyi)"
NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz"})


def _write(path: Path, text: str) -> None:
    path.write_bytes(gzip.compress(text.encode("utf-8"), 9, mtime=0))
    print(f"{path} ({path.stat().st_size / 1e6:.2f} MB)")


def words(dictionary: Path) -> str:
    kept: dict[str, int] = {}
    with open(dictionary, encoding="utf-8") as f:
        for line in f:
            word, freq, *_ = line.split()
            if all(map(is_han, word)):
                kept[word] = kept.get(word, 0) + int(freq)
    longest = max(map(len, kept))
    if longest > MAX_LEN:
        raise SystemExit(f"a word of {longest} characters: raise speak.zh.words.MAX_LEN")
    by_first: dict[str, list[str]] = {}
    for w, n in sorted(kept.items()):
        by_first.setdefault(w[0], []).append(f"{w} {n}")
    lines = [f"{sum(kept.values())}\ttotal frequency; words {SOURCE} dict.txt"]
    lines += [f"{c}\t{' '.join(found)}" for c, found in by_first.items()]
    return "\n".join(lines) + "\n"


def names(dictionary: Path) -> str:
    kept = set()
    with open(dictionary, encoding="utf-8") as f:
        for line in f:
            word, _, tag = line.split()
            if tag in NAME_TAGS and len(word) > 1 and word in PHRASES_DICT:
                kept.add(word)
    return (
        f"# names {SOURCE} dict.txt, as pypinyin's phrases also list them\n"
        + "\n".join(sorted(kept))
        + "\n"
    )


def hmm(folder: Path) -> str:
    def load(name: str) -> dict:
        with open(folder / f"prob_{name}.p", "rb") as f:
            return pickle.load(f)  # jieba's own model files

    start, trans, emit = load("start"), load("trans"), load("emit")
    floor = -3.14e100  # jieba's "impossible"
    lines = [f"# HMM {SOURCE} finalseg; states {' '.join(STATES)}"]
    lines.append("start\t" + "\t".join(f"{start.get(s, floor):.6g}" for s in STATES))
    for s in STATES:
        lines.append(f"trans{s}\t" + "\t".join(f"{trans[s].get(t, floor):.6g}" for t in STATES))
    chars = sorted({c for table in emit.values() for c in table if is_han(c)})
    for c in chars:
        lines.append(c + "\t" + "\t".join(f"{emit[s].get(c, floor):.6g}" for s in STATES))
    return "\n".join(lines) + "\n"


def usual() -> str:
    """Per polyphone: its readings in running text, counted in jieba's corpus (speak's own
    word list, WORDS_PATH): in each of pypinyin's phrases as often as the corpus has the
    word, and alone at pypinyin's first reading as often as it stands alone there (都 alone
    is dōu, 为 alone wèi). The leading reading and its share, where that is not pypinyin's
    first reading of the character."""
    mass: dict[str, dict[str, int]] = {}
    for word in PHRASES_DICT:
        readings = phrase_readings(word)
        count = frequency(word) if readings and all(map(is_han, word)) else None
        if not count:
            continue
        for char, reading in zip(word, readings, strict=True):
            per = mass.setdefault(char, {})
            per[reading] = per.get(reading, 0) + count
    for char, per in mass.items():
        known = dictionary_readings(char)
        alone = frequency(char)
        if known and alone:
            per[known[0]] = per.get(known[0], 0) + alone
    lines = [
        "# char\tits usual reading\tshare\toccurrences counted: in pypinyin's phrases and"
        f" alone, as often as jieba's corpus has them ({SOURCE})"
    ]
    for char, per in sorted(mass.items()):
        known = dictionary_readings(char)
        lead = max(per, key=lambda r: (per[r], r))
        if len(known) > 1 and lead in known and lead != known[0]:
            total = sum(per.values())
            lines.append(f"{char}\t{lead}\t{per[lead] / total:.3f}\t{total}")
    return "\n".join(lines) + "\n"


def main(jieba: str) -> int:
    folder = Path(jieba)
    _write(WORDS_PATH, words(folder / "dict.txt"))
    _write(HMM_PATH, hmm(folder / "finalseg"))
    _write(NAMES_PATH, names(folder / "dict.txt"))
    USUAL_PATH.write_text(usual(), encoding="utf-8")  # from the words just written
    print(USUAL_PATH)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
