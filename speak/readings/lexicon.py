"""User lexicons: TOML files that fix the reading of phrases (and what Edge should say)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from speak.errors import LexiconError
from speak.zh.chars import readings_of
from speak.zh.han import is_han
from speak.zh.pinyin import normalize_syllable


@dataclass(frozen=True)
class LexiconEntry:
    pinyin: tuple[str, ...]  # one tone-number syllable per Han char of the phrase
    say: str | None = None  # homophone text for engines that take no phonemes


@dataclass(frozen=True)
class Lexicon:
    """Phrase → entry. A phrase's readings beat every other source (source "lexicon")."""

    entries: dict[str, LexiconEntry] = field(default_factory=dict)
    name: str = ""

    def say_for(self, phrase: str) -> str | None:
        entry = self.entries.get(phrase)
        return entry.say if entry else None

    def merged_over(self, base: Lexicon | None) -> Lexicon:
        """This lexicon with ``base``'s entries underneath (ours win)."""
        if base is None:
            return self
        return Lexicon({**base.entries, **self.entries}, self.name or base.name)

    def _pattern(self) -> re.Pattern[str] | None:
        cached = self.__dict__.get("_compiled", False)
        if cached is False:
            phrases = sorted(self.entries, key=len, reverse=True)  # longest alternative first
            cached = re.compile("|".join(map(re.escape, phrases))) if phrases else None
            object.__setattr__(self, "_compiled", cached)
        return cached

    def matches(self, text: str) -> list[tuple[int, str]]:
        """(start, phrase) of each phrase found in ``text``: left to right, longest first,
        never overlapping."""
        pattern = self._pattern()
        if pattern is None:
            return []
        return [(m.start(), m.group()) for m in pattern.finditer(text)]


def _syllables(phrase: str, written: str, where: str) -> tuple[str, ...]:
    syllables = []
    for word in written.split():
        numbered = normalize_syllable(word)
        if numbered is None or not numbered[-1].isdigit():
            raise LexiconError(
                f"{where}: {word!r} in {phrase!r} is not a pinyin syllable with a tone "
                "(write e.g. zhang3, neutral tone 5)"
            )
        syllables.append(numbered)
    han = sum(1 for c in phrase if is_han(c))
    if han == 0:
        raise LexiconError(f"{where}: {phrase!r} has no Chinese characters")
    if len(syllables) != han:
        raise LexiconError(
            f"{where}: {phrase!r} has {han} Chinese characters but {len(syllables)} syllables"
        )
    for char, syllable in zip((c for c in phrase if is_han(c)), syllables, strict=True):
        known = {r.rstrip("12345") for r in readings_of(char)}
        if known and syllable.rstrip("12345") not in known:
            raise LexiconError(
                f"{where}: {syllable!r} in {phrase!r} is not a reading of {char} "
                f"({', '.join(readings_of(char))}); fix the entry"
            )
    return tuple(syllables)


def parse_lexicon(text: str, where: str = "lexicon") -> Lexicon:
    """A Lexicon from TOML text; LexiconError (one line, naming ``where``) when malformed."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise LexiconError(f"{where}: not valid TOML ({e})") from None
    entries: dict[str, LexiconEntry] = {}
    for phrase, value in data.items():
        if isinstance(value, str):
            entries[phrase] = LexiconEntry(_syllables(phrase, value, where))
        elif isinstance(value, dict):
            extra = set(value) - {"pinyin", "say"}
            if extra or not isinstance(value.get("pinyin"), str):
                raise LexiconError(
                    f'{where}: {phrase!r} must be a string or {{ pinyin = "...", say = "..." }}'
                )
            say = value.get("say")
            if say is not None and (not isinstance(say, str) or not say.strip()):
                raise LexiconError(f"{where}: say for {phrase!r} must be non-empty text")
            entries[phrase] = LexiconEntry(_syllables(phrase, value["pinyin"], where), say)
        else:
            raise LexiconError(
                f'{where}: {phrase!r} must be a string or {{ pinyin = "...", say = "..." }}'
            )
    return Lexicon(entries, where)


def load_lexicon(path: str | Path) -> Lexicon:
    """Read a TOML lexicon file; LexiconError with a one-line message for a bad file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise LexiconError(f"{path}: cannot read ({e.strerror or e})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LexiconError(f"{path}: not UTF-8 text") from None
    return parse_lexicon(text, str(path))
