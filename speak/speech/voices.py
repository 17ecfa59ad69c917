"""Voice presets: one TOML file per voice in the project's voices/ folder."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from speak.errors import PresetError
from speak.model import Voice

DEFAULT_PRESET = {"espeak": "espeak-cmn", "edge": "edge-zh-tw-hsiaochen", "neural": "neural-baker"}
_KEYS = {"engine", "voice", "language", "rate", "pitch", "description"}


def voices_dir() -> Path:
    """The voice presets: the checkout's voices/ folder, or the copy an install ships as the
    package data ``speak.presets`` (pyproject maps that package to voices/)."""
    checkout = Path(__file__).resolve().parents[2] / "voices"
    if checkout.is_dir():
        return checkout
    return Path(str(resources.files("speak.presets")))


def load_voice(path: Path) -> Voice:
    """Read one preset file; raise SpeakError with a one-line message when it is malformed."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise PresetError(f"voice preset {path}: cannot be read ({e}); fix the TOML") from None
    missing = {"engine", "voice"} - data.keys()
    if missing:
        raise PresetError(f"voice preset {path}: missing {', '.join(sorted(missing))}")
    return Voice(
        name=path.stem,
        engine=str(data["engine"]),
        voice=str(data["voice"]),
        language=str(data.get("language", "zh")),
        rate=int(data.get("rate", 0)),
        pitch=int(data.get("pitch", 0)),
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
