"""Errors a user can act on. Each message is one line: what is wrong and what to do."""


class SpeakError(Exception):
    """Base for every error speak reports to the user (exit code 2 unless said otherwise)."""

    exit_code = 2


class InputError(SpeakError):
    """The input file cannot be used (missing, empty, binary, not Chinese, bad encoding)."""


class LexiconError(SpeakError):
    """A user lexicon file is unreadable or malformed."""


class BuildError(SpeakError):
    """Some outputs could not be made (e.g. a section failed to synthesize)."""

    exit_code = 1


class OutputError(SpeakError):
    """An output (or cache) file cannot be written: disk full, read-only, no permission."""
