"""Draw the spectrograms of one sentence from eSpeak and from the neural voice (docs/ picture).

    PYTHONPATH=. python bench/spectrogram.py [--out docs/spectrogram-espeak-neural.png]

Needs matplotlib (the ``docs`` extra: ``pip install -e '.[docs]'``) and the neural voice. The
sentence is from the sample, with its checked readings, as a build sends it to both engines;
the neural panel is labelled with the syllable times the voice's durations give.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "samples" / "miit-2022-priorities.txt"
WORD = "增長"  # the sentence shown is the first with this word (said zeng1 zhang3)
SECONDS = 7.0  # the length shown: the sentence's first clauses


def spectrogram(pcm: bytes, rate: int, window: int = 1024, hop: int = 120) -> np.ndarray:
    """Log power (dB) spectrogram, frequency × time, of 16-bit PCM (Hann window)."""
    x = np.frombuffer(pcm, "<i2").astype(np.float64) / 32768
    frames = np.lib.stride_tricks.sliding_window_view(x, window)[::hop] * np.hanning(window)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    return 10 * np.log10(power.T + 1e-10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "spectrogram-espeak-neural.png")
    args = ap.parse_args()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from speak.check.analysis import analyze
    from speak.speech.engines.base import get_engine
    from speak.speech.script import utterances
    from speak.speech.voices import resolve_voice

    analysis = analyze(SAMPLE)
    spoken = [u for us in utterances(analysis.doc, analysis.readings).values() for u in us]
    utterance = next(u for u in spoken if WORD in u.text)
    plt.rcParams["font.family"] = ["WenQuanYi Zen Hei", "Noto Sans CJK SC", "sans-serif"]
    fig, axes = plt.subplots(2, 1, figsize=(12, 6.4), sharex=True, constrained_layout=True)
    for ax, name in zip(axes, ("espeak", "neural"), strict=True):
        (clip,) = get_engine(name).synthesize([utterance], resolve_voice(None, name))
        pcm = clip.pcm[: int(SECONDS * clip.sample_rate) * 2]
        db = spectrogram(pcm, clip.sample_rate)
        top = 8000  # Hz shown
        bins = int(top / (clip.sample_rate / 2) * (db.shape[0] - 1))
        seconds = len(pcm) / 2 / clip.sample_rate
        ax.imshow(
            db[:bins],
            origin="lower",
            aspect="auto",
            extent=(0, seconds, 0, top / 1000),
            vmin=db.max() - 80,
            vmax=db.max(),
            cmap="magma",
        )
        ax.set_ylabel("kHz")
        label = "eSpeak NG 1.52 (espeak-cmn)" if name == "espeak" else "neural (neural-baker)"
        ax.set_title(label, loc="left", fontsize=11)
        for k, mark in enumerate(getattr(clip, "marks", ())):
            if mark.begin < SECONDS:
                ax.axvline(mark.begin, color="white", alpha=0.35, linewidth=0.6)
                height = 7.4 if k % 2 == 0 else 6.9  # alternate, so neighbours do not overlap
                ax.text(mark.begin + 0.01, height, mark.reading, color="white", fontsize=7)
    axes[-1].set_xlabel("seconds")
    text = utterance.text[: utterance.text.index(WORD) + 12]
    fig.suptitle(f"{text} … — the same checked readings, two engines", fontsize=12)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.canvas.draw()
    from PIL import Image  # matplotlib's own dependency

    picture = Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba())
    small = picture.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(args.out, optimize=True)  # 64 colours: a fraction of the full-colour size
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
