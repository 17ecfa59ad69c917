"""Voice presets: one TOML file per voice in the project's voices/ folder."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

from speak.errors import OptionError, PresetError
from speak.model import Voice

DEFAULT_PRESET = {"espeak": "espeak-cmn", "edge": "edge-zh-tw-hsiaochen", "neural": "neural-baker"}
_KEYS = {"engine", "voice", "language", "rate", "pitch", "description"}


def voices_dir() -> Path:
    """The voice presets: the checkout's voices/ folder, or the copy an install ships as the
    package data ``speak.presets`` (pyproject maps that package to voices/; it has no
    ``__init__``, so its folder comes from its import spec, not ``resources.files``)."""
    checkout = Path(__file__).resolve().parents[2] / "voices"
    if checkout.is_dir():
        return checkout
    spec = importlib.util.find_spec("speak.presets")
    locations = list(spec.submodule_search_locations or ()) if spec else []
    if not locations:
        raise PresetError("the voice presets are missing from this install; reinstall speak")
    return Path(locations[0])


RATE_RANGE = (-50, 100)  # percent: what every engine speaks without clamping it
PITCH_RANGE = (-50, 50)  # Hz (edge) or points of eSpeak's 0-100 scale


def check_rate(rate: int, where: str = "--rate") -> int:
    """``rate`` when every engine can speak at it; OptionError naming ``where`` otherwise."""
    lo, hi = RATE_RANGE
    if isinstance(rate, bool) or not isinstance(rate, int) or not lo <= rate <= hi:
        raise OptionError(
            f"{where} {rate!r}: the rate is a whole percent from {lo} to +{hi} "
            "(0 is normal speed, -10 a little slower)"
        )
    return rate


def _number(data: dict, key: str, bounds: tuple[int, int], path: Path) -> int:
    """An integer setting of a preset, within ``bounds``; PresetError naming the file."""
    value = data.get(key, 0)
    lo, hi = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise PresetError(
            f"voice preset {path}: {key} = {value!r} must be a whole number from {lo} to {hi}"
        )
    return value


def load_voice(path: Path) -> Voice:
    """Read one preset file; raise SpeakError with a one-line message when it is malformed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise PresetError(f"voice preset {path}: cannot be read ({e}); fix the TOML") from None
    missing = {"engine", "voice"} - data.keys()
    if missing:
        raise PresetError(f"voice preset {path}: missing {', '.join(sorted(missing))}")
    for key in ("engine", "voice", "language"):
        if key in data and not isinstance(data[key], str):
            raise PresetError(f"voice preset {path}: {key} = {data[key]!r} must be text")
    return Voice(
        name=path.stem,
        engine=str(data["engine"]),
        voice=str(data["voice"]),
        language=str(data.get("language", "zh")),
        rate=_number(data, "rate", RATE_RANGE, path),
        pitch=_number(data, "pitch", PITCH_RANGE, path),
        extra={k: v for k, v in data.items() if k not in _KEYS - {"description"}},
    )


def presets() -> dict[str, Voice]:
    """Every preset by name, sorted."""
    folder = voices_dir()
    return {p.stem: load_voice(p) for p in sorted(folder.glob("*.toml"))}


def resolve_preset(preset: str) -> Voice:
    """The preset named ``preset`` (a name or a .toml path), whatever its engine."""
    if preset.endswith(".toml"):
        path = Path(preset)
        if not path.is_file():
            raise PresetError(f"voice preset {preset}: no such file; check the path")
        return load_voice(path)
    available = presets()
    if preset not in available:
        raise PresetError(f"unknown voice preset {preset!r}; choose one of: {', '.join(available)}")
    return available[preset]


def resolve_voice(preset: str | None, engine: str) -> Voice:
    """The preset named (a name or a .toml path), or the engine's default preset."""
    if preset and preset.endswith(".toml"):
        voice = resolve_preset(preset)
    else:
        name = preset or DEFAULT_PRESET.get(engine, "")
        available = presets()
        if name not in available:
            choices = ", ".join(n for n, v in available.items() if v.engine == engine)
            raise PresetError(f"unknown voice preset {name!r}; choose one of: {choices}")
        voice = available[name]
    if voice.engine != engine:
        raise PresetError(
            f"voice preset {voice.name!r} is for engine {voice.engine!r}, not {engine!r}; "
            f"pass --engine {voice.engine} or another --voice"
        )
    return voice


def narrator(voice: Voice) -> str:
    """The voice as a narrator is credited (EPUB ``media:narrator``, the MP3s' artist).

    ``eSpeak NG Mandarin (cmn), synthetic voice`` or ``HsiaoChen, Microsoft neural voice
    (zh-TW-HsiaoChenNeural)``: a name a listener recognises, with the engine's voice id.
    """
    if voice.engine == "espeak":
        return f"eSpeak NG Mandarin ({voice.voice}), synthetic voice"
    if voice.engine == "edge":
        parts = voice.voice.split("-")
        name = parts[-1].removesuffix("Neural") if len(parts) >= 3 else voice.voice
        return f"{name}, Microsoft neural voice ({voice.voice})"
    if voice.engine == "neural":
        return f"{voice.voice.capitalize()}, offline neural Mandarin voice"
    return f"{voice.name} ({voice.engine} {voice.voice}), synthetic voice"
