"""Speech engines behind one interface (``speak.engines.base``); each registers itself."""
