"""Errors a user can act on: one hierarchy, each message one line saying what is wrong and
what to do. The CLI prints ``speak: <message>`` and exits with the error's ``exit_code``."""


class SpeakError(Exception):
    """Base for every error speak reports to the user (exit code 2 unless said otherwise)."""

    exit_code = 2


class InputError(SpeakError):
    """The input file cannot be used (missing, empty, binary, not Chinese, bad encoding)."""


class OptionError(SpeakError):
    """An option (or SOURCE_DATE_EPOCH) has a value speak cannot use."""


class LexiconError(SpeakError):
    """A user lexicon file is unreadable or malformed."""


class PresetError(SpeakError):
    """A voice preset is unknown, unreadable or malformed."""


class ExportError(SpeakError):
    """A reading copy cannot be made from what the build has."""


class EpubError(ExportError):
    """The EPUB cannot be made (no sections, unreadable section audio)."""


class BrailleError(ExportError):
    """A reading cannot be written in braille (not a Mandarin syllable)."""


class EngineError(SpeakError):
    """A synthesis failure: the section is reported failed, the build goes on (exit code 1)."""

    exit_code = 1


class EngineUnavailable(EngineError):
    """The engine cannot work at all (offline, missing library): stop the whole build."""


class OutputError(SpeakError):
    """An output (or cache) file cannot be written: disk full, read-only, no permission."""


class FetchError(SpeakError):
    """A voice model cannot be fetched, or did not verify: nothing was installed."""

    exit_code = 1
