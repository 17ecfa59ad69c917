"""Speech engines; importing this package registers the built-in ones."""

from speak.engines import edge, espeak  # noqa: F401
