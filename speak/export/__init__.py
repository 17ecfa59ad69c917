"""Output formats; importing this package registers the built-in exporters."""

from speak.export import braille, epub, page, ruby  # noqa: F401
