"""Which engine speaks a build: the neural voice when it is there, else eSpeak, never silently."""

from __future__ import annotations

from speak.speech.neural import fetch


def choose_engine(
    engine: str, voice: str | None = None, *, quiet: bool = True
) -> tuple[str, str | None, list[str]]:
    """The engine and preset to speak with, and one-line notes about the choice (for the user,
    without the ``speak:`` prefix).

    ``auto`` takes the preset's engine when a preset is named, else ``neural`` when its model is
    present, else ``espeak`` (with a notice saying how to fetch the neural voice). ``neural``
    fetches its model when it is missing (with a visible line unless ``quiet``); when that fails
    (no network) the build speaks with eSpeak and the notice says how to fetch it later.
    """
    if engine == "auto" and voice:
        from speak.speech.voices import resolve_preset

        engine = resolve_preset(voice).engine
    if engine == "auto":
        if fetch.is_present():
            return "neural", voice, []
        notice = f"speaking with eSpeak; for the neural voice, {fetch.HOW_TO_FETCH}"
        return "espeak", voice, [notice]
    if engine != "neural" or fetch.is_present():
        return engine, voice, []
    try:
        fetch.fetch(quiet=quiet)
    except fetch.FetchError as e:
        notice = f"{e}; speaking with eSpeak instead: {fetch.HOW_TO_FETCH} when online"
        return "espeak", None, [notice]
    return "neural", voice, []


def voice_fingerprint() -> str:
    """What identifies the installed neural voice (a hash of its manifest), for build keys."""
    import hashlib

    manifest = fetch.model_dir() / fetch.MANIFEST
    return hashlib.sha256(manifest.read_bytes()).hexdigest()[:16] if manifest.is_file() else ""
