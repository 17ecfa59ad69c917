"""speak: checked readings, spoken MP3s and accessible reading copies of Chinese reports.

The job for one input is ``speak.build.build(path, out, **options)``; several inputs:
``speak.build.build_many``. Layers, lowest first: ``speak.zh`` (the Chinese-language basics),
``speak.document``, ``speak.readings``, ``speak.check``, ``speak.speech``, ``speak.export``,
then ``speak.build`` and ``speak.cli``.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
