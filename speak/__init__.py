"""speak: checked readings, spoken MP3s and accessible reading copies of Chinese reports.

``speak.build(path, out, **options)`` runs the whole job for one input (see speak.job).
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["BuildResult", "__version__", "build", "build_many"]


def __getattr__(name: str):
    """Import the pipeline only when it is asked for (keeps ``speak --version`` fast)."""
    if name in ("build", "build_many", "BuildResult"):
        from speak import job

        return getattr(job, name)
    raise AttributeError(f"module 'speak' has no attribute {name!r}")
