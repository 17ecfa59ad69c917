"""Speech engines behind one interface (``speak.speech.engines.base``); each registers itself."""
