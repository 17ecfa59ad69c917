"""speak: checked readings, spoken MP3s and accessible reading copies of Chinese reports."""

__version__ = "0.1.0"
