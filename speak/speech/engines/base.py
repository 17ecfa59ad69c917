"""The one interface every speech engine implements, and the registry of engines."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol

from speak.errors import EngineError
from speak.model import Clip, Utterance, Voice

SAMPLE_RATE = 24_000  # every engine returns mono 16-bit PCM at this rate


class Engine(Protocol):
    """Sentences in, audio out. Engines know nothing of files, EPUB or sections."""

    name: str
    # Utterances it may synthesize at once (requests in flight, worker processes); None: the
    # engine's own default. The builder sets it from --jobs.
    jobs: int | None
    # True when it says Utterance.text with Utterance.readings; False when it takes text only
    # and is sent Utterance.say (lexicon homophones).
    speaks_readings: bool

    @property
    def version(self) -> str:
        """Changes whenever the same input could sound different (part of the cache key)."""
        ...

    def synthesize(self, utterances: list[Utterance], voice: Voice) -> list[Clip]:
        """Speak each utterance; one Clip (PCM at SAMPLE_RATE) per utterance, in order."""
        ...

    def notices(self, utterances: list[Utterance]) -> list[str]:
        """One line per sentence it will not say as written (Latin letters spelled, symbols
        left out), for the build's notes: nothing is dropped silently."""
        ...


_ENGINES: dict[str, Callable[[], Engine]] = {}
# Built-in engines, imported only when asked for (edge pulls in aiohttp; espeak loads a library).
BUILT_IN = {
    "espeak": "speak.speech.engines.espeak",
    "edge": "speak.speech.engines.edge",
    "neural": "speak.speech.engines.neural",
}


def register(name: str) -> Callable[[Callable[[], Engine]], Callable[[], Engine]]:
    """Class decorator: make an engine available under ``name``."""

    def wrap(factory: Callable[[], Engine]) -> Callable[[], Engine]:
        _ENGINES[name] = factory
        return factory

    return wrap


def engine_factory(name: str) -> Callable[[], Engine]:
    """The registered maker (class) of engine ``name``, importing a built-in one on first use."""
    if name not in _ENGINES and name in BUILT_IN:
        importlib.import_module(BUILT_IN[name])
    if name not in _ENGINES:
        raise EngineError(f"unknown engine {name!r}; choose one of: {', '.join(sorted(_ENGINES))}")
    return _ENGINES[name]


def get_engine(name: str) -> Engine:
    """Create the engine called ``name``."""
    return engine_factory(name)()
