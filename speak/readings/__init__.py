"""Every Han character's reading in context, with its evidence, and the lexicons that fix
readings. How a reading is decided: see speak.readings.reader."""

from speak.readings.lexicon import Lexicon, LexiconEntry, load_lexicon, parse_lexicon
from speak.readings.reader import Reader
from speak.zh.chars import readings_of
from speak.zh.han import is_han

__all__ = [
    "Lexicon",
    "LexiconEntry",
    "Reader",
    "is_han",
    "load_lexicon",
    "parse_lexicon",
    "readings_of",
]
