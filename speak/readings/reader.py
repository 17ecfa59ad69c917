"""Every Han character's reading in context, with the evidence that decided it.

- A lexicon phrase (the user's over the project's) fixes its characters' readings.
- A character with one reading takes it (source "default"), or its reading in a dictionary
  word when pypinyin's phrase dictionary differs (a neutral tone, say: source "phrase").
- A polyphone is decided by the combiner (speak.readings.combine), which weighs g2pM, the
  context model, the dictionary word's reading (the word where pypinyin's and jieba's cuts
  agree, speak.readings.wordcut), whether that reading is the word's own (not the usual one),
  the usual reading, a prior, and a sentence pattern (speak.readings.patterns: 数一数, 你得去,
  睡不着, 为你, 有多长): the dictionary is one vote, not a first match (source "model", or
  "phrase" when the winner is the dictionary's reading). A polyphone no model knows and no
  pattern decides takes its dictionary word's reading, else its usual one.
"""

from __future__ import annotations

import gc
import re
from dataclasses import replace
from functools import cache
from pathlib import Path

from speak.model import Reading
from speak.readings.combine import Votes, decide, priors
from speak.readings.context import context_model
from speak.readings.experts import collect_votes
from speak.readings.lexicon import Lexicon, load_lexicon
from speak.zh.chars import default_reading, readings_of
from speak.zh.han import HAN, is_han
from speak.zh.script import to_simplified_many
from speak.zh.words import segment

PROJECT_LEXICON = Path(__file__).with_name("data") / "project_lexicon.toml"
# ASCII punctuation as the models saw it in training (full width), one char for one char;
# "." only after a Han character (elsewhere it is a decimal point or an abbreviation).
FULL_WIDTH = str.maketrans(",;:!?()", "，；：！？（）")
HAN_FULL_STOP = re.compile(f"(?<={HAN.pattern})\\.")


WINDOW_CHARS = 10_000  # longest text read at once; longer ones are read window by window
_SENTENCE_END = re.compile(r"[。！？；!?;…]+[”’」』）)》〉】\"']*")


def windows(text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """(start, end) spans that cover ``text`` in order, none longer than ``limit``.

    A text within the limit is one span, so ordinary paragraphs read exactly as before. A
    longer one is cut after the last sentence end in each window's second half, else after
    its last character that is not Han (pypinyin cuts words only inside Han runs, so its
    words stay whole), else at the limit: an unbroken run of two million Han characters
    then costs linear time and a window's memory instead of a whole-run segmentation.
    """
    limit = limit or WINDOW_CHARS
    spans: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > limit:
        hi = start + limit
        half = start + limit // 2
        cut = 0
        for m in _SENTENCE_END.finditer(text, half, hi):
            cut = m.end()
        if not cut:
            cut = next((i + 1 for i in range(hi - 1, half - 1, -1) if not is_han(text[i])), hi)
        spans.append((start, cut))
        start = cut
    spans.append((start, n))
    return spans


def shifted(reading: Reading, by: int) -> Reading:
    """``reading`` with its offsets (its own and its word's) moved on by ``by``."""
    word = reading.word
    return replace(
        reading,
        offset=reading.offset + by,
        word=(word[0] + by, word[1] + by) if word else None,
    )


def full_width(text: str) -> str:
    """``text`` with ASCII sentence punctuation in its full-width form (same length)."""
    return HAN_FULL_STOP.sub("。", text.translate(FULL_WIDTH))


@cache
def _char_info(char: str) -> tuple[tuple[str, ...], str] | None:
    """(every reading, default reading) of a Han char; None for any other char."""
    if not is_han(char):
        return None
    return readings_of(char), default_reading(char) or ""


@cache
def project_lexicon() -> Lexicon:
    """The lexicon shipped with speak for the model's known gaps."""
    return load_lexicon(PROJECT_LEXICON)


def _lexicon_readings(
    text: str, simplified: str, lexicon: Lexicon
) -> dict[int, tuple[str, tuple[int, int]]]:
    """Position → (reading, phrase span) for every char inside a lexicon phrase (written or
    Simplified)."""
    fixed: dict[int, tuple[str, tuple[int, int]]] = {}
    for form in (simplified, text):  # the written form wins where both match
        for start, phrase in lexicon.matches(form):
            syllables = iter(lexicon.entries[phrase].pinyin)
            span = (start, start + len(phrase))
            for k, c in enumerate(phrase):
                if is_han(c):
                    fixed[start + k] = (next(syllables), span)
    return fixed


def _out_of_context(char: str, simple: str, vote: Votes) -> str:
    """The reading of a polyphone no model or phrase decides: the character's default, unless
    its Simplified form in context is another character with one reading of its own, which
    says which sense it is (憑藉 becomes 凭借: 藉 read as 借 jie4, not its default ji2)."""
    if simple != char:
        info = _char_info(simple)
        if info and len(info[0]) == 1 and info[0][0] in vote.candidates:
            return info[0][0]
    return vote.default or vote.candidates[0]


class Reader:
    """Reads Han characters in context. Models load once, lazily, and are shared."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon.merged_over(project_lexicon()) if lexicon else project_lexicon()
        self._simplified_lexicon = Lexicon(
            {
                simple: entry
                for phrase, entry in self.lexicon.entries.items()
                for simple in to_simplified_many([phrase])
            }
        )

    def read(self, text: str, script: str | None = None) -> list[Reading]:
        """One Reading per Han char of ``text``, in order (offset = index in text).

        ``script``: "Hant" or "Hans" as the document says; detected from the text when None.
        """
        return self.read_many([text], script)[0]

    def read_many(self, texts: list[str], script: str | None = None) -> list[list[Reading]]:
        """``read`` for many texts at once: the model runs once over the whole batch."""
        # Reading allocates millions of small acyclic objects: the cycle collector would
        # rescan them all again and again (a third of the time) and never free any.
        enabled = gc.isenabled()
        gc.disable()
        try:
            if all(len(t) <= WINDOW_CHARS for t in texts):
                return self._read_many(texts, script)
            return self._read_windows(texts, script)
        finally:
            if enabled:
                gc.enable()

    def _read_windows(self, texts: list[str], script: str | None) -> list[list[Reading]]:
        """``_read_many`` of texts cut into ``windows``, about WINDOW_CHARS at a time."""
        pieces = [(k, lo, hi) for k, text in enumerate(texts) for lo, hi in windows(text)]
        out: list[list[Reading]] = [[] for _ in texts]
        batch: list[tuple[int, int, int]] = []
        size = 0
        for n, piece in enumerate(pieces, start=1):
            batch.append(piece)
            size += piece[2] - piece[1]
            if size >= WINDOW_CHARS or n == len(pieces):
                found = self._read_many([texts[k][lo:hi] for k, lo, hi in batch], script)
                for (k, lo, _), readings in zip(batch, found, strict=True):
                    out[k] += [shifted(r, lo) if lo else r for r in readings]
                batch, size = [], 0
        return out

    def _read_many(self, texts: list[str], script: str | None) -> list[list[Reading]]:
        # Scraped text often has ASCII commas after numbers ("增長42.2%,規上"); read as
        # the models were trained, with full-width punctuation.
        simplified = [full_width(s) for s in to_simplified_many(texts, script)]
        segs = [segment(s) for s in simplified]
        chosen: list[dict[int, Reading | None]] = []
        char_info = _char_info
        ambiguous: list[list[int]] = []
        for text, simple, seg in zip(texts, simplified, segs, strict=True):
            fixed = _lexicon_readings(text, simple, self.lexicon)
            also = _lexicon_readings(simple, simple, self._simplified_lexicon)
            if also:
                fixed.update((k, v) for k, v in also.items() if k not in fixed)
            found: dict[int, Reading | None] = {}  # in text order: a polyphone holds its place
            todo: list[int] = []
            phrase = seg.readings
            for i, char in enumerate(text):
                info = char_info(char)
                if info is None:
                    continue
                options, default = info
                if fixed and i in fixed:
                    pinyin, span = fixed[i]
                    found[i] = Reading(i, char, pinyin, "lexicon", 1.0, options, span)
                elif len(options) > 1:
                    todo.append(i)
                    found[i] = None
                elif phrase[i]:
                    found[i] = Reading(
                        i, char, phrase[i], "phrase", 1.0, options, seg.dictionary_span(i)
                    )
                else:
                    found[i] = Reading(i, char, default, "default", 1.0, options)
            chosen.append(found)
            ambiguous.append(todo)
        votes = collect_votes(texts, simplified, segs, ambiguous, context_model(), priors())
        for text, simple, found, todo, vs in zip(
            texts, simplified, chosen, ambiguous, votes, strict=True
        ):
            for i, vote in zip(todo, vs, strict=True):
                span = vote.word
                if vote.g2pm is None and vote.context is None and vote.pattern is None:
                    # no model knows this char and no sentence pattern decides it
                    if vote.phrase:
                        found[i] = Reading(
                            i, text[i], vote.phrase, "phrase", 1.0, vote.candidates, span
                        )
                    else:
                        pinyin = _out_of_context(text[i], simple[i], vote)
                        found[i] = Reading(i, text[i], pinyin, "default", 1.0, vote.candidates)
                    continue
                pinyin, confidence = decide(vote)
                source = "phrase" if vote.phrase == pinyin else "model"
                found[i] = Reading(i, text[i], pinyin, source, confidence, vote.candidates, span)
        return [list(found.values()) for found in chosen]  # type: ignore[misc]
