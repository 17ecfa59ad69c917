"""Progress bars on a terminal only: none with --quiet or when stderr is piped."""

from __future__ import annotations

import sys

from tqdm import tqdm


def progress_bar(label: str, unit: str, *, total: int | None = None, quiet: bool = False) -> tqdm:
    """A tqdm bar on stderr, disabled unless stderr is a terminal and not ``quiet``."""
    disable = quiet or not sys.stderr.isatty()
    return tqdm(total=total, desc=label, unit=unit, disable=disable, leave=False)
