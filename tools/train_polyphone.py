"""Train the shipped polyphone model from the g2pL train set.

    PYTHONPATH=. python tools/train_polyphone.py [--data ../shared/data/g2pl]

1. Per polyphone of g2pL, a softmax regression over context features (speak.readings.context),
   first on 6/7 of train, to fit the combiner weights on the held-out 1/7;
2. a natural-frequency prior per polyphone: g2pL is balanced (every reading equally often),
   so its labels say nothing about how often a reading occurs. The train sentences also hold
   the same characters incidentally (not as the labelled target), at natural frequencies: the
   mean g2pM posterior over those occurrences estimates the prior. Held-out examples weighted
   by prior / balanced frequency stand in for natural text when fitting the combiner;
3. the regression again on all of train: shipped as speak/readings/data/context_model.npz,
   with the combiner weights and priors in speak/readings/data/combiner.json.
Only the train file is read; the dev files are for measuring (bench/accuracy.py).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from speak.fsutil import atomic_path, write_text
from speak.readings.chars import readings_of, to_simplified
from speak.readings.combine import FEATURES, feature_matrix
from speak.readings.context import MODEL_PATH, ContextModel, features
from speak.readings.experts import collect_votes
from speak.readings.phrases import segment

HOLD_OUT_EVERY = 7
L2 = 0.001
STEPS = 300
BALANCED_SHARES = (0.5, 0.4, 0.3, 0.2, 0.1, 0.0)


def read_rows(path: Path) -> list[tuple[str, int, str, str]]:
    """(sentence, idx, char, gold) rows, gold with ü as v."""
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]  # no quoting: quotes are text
    return [(r[0], int(r[1]), r[2], r[3].replace("u:", "v")) for r in rows if len(r) >= 4]


def example_features(rows) -> list[list[str]]:
    out = []
    for sentence, idx, _, _ in rows:
        simple = to_simplified(sentence)
        out.append(features(simple, idx, segment(simple)))
    return out


def natural_priors(rows, chars: set[str], per_char: int = 400) -> dict[str, dict[str, float]]:
    """P(reading) per character from g2pM's mean posterior over incidental occurrences."""
    texts, targets, owners = [], [], []
    seen: dict[str, int] = defaultdict(int)
    for sentence, idx, _, _ in rows:
        simple = to_simplified(sentence)
        found = [i for i, c in enumerate(simple) if c in chars and i != idx and seen[c] < per_char]
        for i in found:
            seen[simple[i]] += 1
        if found:
            texts.append(simple)
            targets.append(found)
            owners.append(sentence)
    segs = [segment(t) for t in texts]
    votes = collect_votes(owners, texts, segs, targets, None)
    mass: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for text, found, vs in zip(texts, targets, votes, strict=True):
        for i, vote in zip(found, vs, strict=True):
            for reading, lp in (vote.g2pm or {}).items():
                mass[text[i]][reading] += math.exp(lp)
    priors = {}
    for char in sorted(chars):
        readings = readings_of(char)
        total = sum(mass[char].values()) + len(readings)
        priors[char] = {r: round((mass[char].get(r, 0.0) + 1.0) / total, 5) for r in readings}
    return priors


def fit_weights(mats, golds, sample_weights, start, frozen=()) -> np.ndarray:
    """Weights maximising the weighted conditional log-likelihood (gradient descent);
    the features at indexes ``frozen`` keep their start value."""
    w = np.array(start, np.float32)
    total = float(sum(sample_weights))
    for _ in range(400):
        grad = np.zeros_like(w)
        for mat, gold, weight in zip(mats, golds, sample_weights, strict=False):
            s = mat @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            grad += weight * (mat.T @ p - mat[gold])
        grad[list(frozen)] = 0.0
        w -= 0.5 * grad / total
    return w


def fit_softmax(feats: list[list[str]], labels: list[str]):
    """Softmax regression with L2 by full-batch Adam; returns (classes, names, weights)."""
    classes = sorted(set(labels))
    names = sorted({f for fs in feats for f in fs})
    index = {f: j for j, f in enumerate(names)}
    x = np.zeros((len(feats), len(names)), np.float32)
    for row, fs in enumerate(feats):
        x[row, [index[f] for f in fs]] = 1.0
    y = np.array([classes.index(label) for label in labels])
    target = np.eye(len(classes), dtype=np.float32)[y]
    w = np.zeros((len(names), len(classes)), np.float32)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, STEPS + 1):
        scores = x @ w
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        p /= p.sum(axis=1, keepdims=True)
        grad = x.T @ (p - target) / len(feats) + L2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= 0.1 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return classes, names, w


def train_context(rows, feats, path: Path) -> None:
    """Fit one regression per character and write the npz the package loads."""
    by_char: dict[str, list[int]] = defaultdict(list)
    for k, row in enumerate(rows):
        by_char[row[2]].append(k)
    chars, class_rows, offsets, all_names, all_weights = [], [], [0], [], []
    width = 0
    fitted = []
    for char in sorted(by_char):
        ks = by_char[char]
        classes, names, w = fit_softmax([feats[k] for k in ks], [rows[k][3] for k in ks])
        keep = np.abs(w).max(axis=1) >= 0.01
        kept = [n for n, k in zip(names, keep, strict=True) if k]
        fitted.append((char, classes, kept, w[keep]))
        width = max(width, len(classes))
    for char, classes, names, w in fitted:
        chars.append(char)
        class_rows.append([*classes, *[""] * (width - len(classes))])
        all_names.extend(names)
        padded = np.zeros((len(names), width), np.float32)
        padded[:, : w.shape[1]] = w
        all_weights.append(padded)
        offsets.append(offsets[-1] + len(names))
    with atomic_path(path) as tmp, open(tmp, "wb") as f:
        np.savez_compressed(
            f,
            chars=np.array(chars),
            classes=np.array(class_rows),
            offsets=np.array(offsets, np.int64),
            features=np.array(all_names),
            weights=np.concatenate(all_weights).astype(np.float16),
        )


def fit_combiner(rows, model: ContextModel, priors) -> tuple[dict, dict]:
    """Weights for both groups, fit on held-out rows; and their held-out accuracies."""
    originals = [r[0] for r in rows]
    simplified = [to_simplified(s) for s in originals]
    segs = [segment(s) for s in simplified]
    log_priors = {c: {r: math.log(p) for r, p in t.items()} for c, t in priors.items()}
    votes = collect_votes(originals, simplified, segs, [[r[1]] for r in rows], model, log_priors)
    balance: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _, _, char, gold in rows:
        balance[char][gold] += 1
    mats, plain, golds, natural = [], [], [], []
    for (_, idx, char, gold), (vote,), simple in zip(rows, votes, simplified, strict=True):
        if gold not in vote.candidates or len(vote.candidates) < 2:
            continue
        mat = feature_matrix(vote)
        mats.append(mat)
        plain.append(mat * np.array([1, 0, 1, 1, 0, 1], np.float32))
        golds.append(vote.candidates.index(gold))
        # natural weight: the gold reading's prior over its share of the balanced set
        share = balance[char][gold] / sum(balance[char].values())
        natural.append(priors.get(simple[idx], {}).get(gold, share) / share)
    scale = len(natural) / sum(natural)
    natural = [x * scale for x in natural]

    def accuracy(ms, w, sample_weights):
        hits = [float(int(np.argmax(m @ w)) == g) for m, g in zip(ms, golds, strict=False)]
        return sum(h * s for h, s in zip(hits, sample_weights, strict=False)) / sum(sample_weights)

    ones = [1.0] * len(golds)
    # The balanced share of the objective: the least balanced fit that keeps held-out accuracy
    # on balanced text within half a point of the best, for the best on natural text.
    fits = []
    for share in BALANCED_SHARES:
        w = fit_weights(mats, golds, [share + (1 - share) * x for x in natural], [1, 1, 0, 0, 0, 0])
        fits.append((share, w, accuracy(mats, w, ones), accuracy(mats, w, natural)))
        print(
            f"balanced share {share:.1f}: held-out balanced {fits[-1][2]:.4f}, "
            f"natural {fits[-1][3]:.4f}"
        )
    best_balanced = max(f[2] for f in fits)
    share, w_context, _, _ = max(
        (f for f in fits if f[2] >= best_balanced - 0.005), key=lambda f: (f[3], f[0])
    )
    # Characters without a context model: g2pM's scale fixed, the dictionary's weights fit.
    w_plain = fit_weights(plain, golds, natural, [1, 0, 0, 0, 0, 0], frozen=(0, 1, 4, 5))
    report = {
        "balanced share": share,
        "context balanced": accuracy(mats, w_context, ones),
        "context natural": accuracy(mats, w_context, natural),
        "plain natural": accuracy(plain, w_plain, natural),
        "g2pM natural": accuracy(mats, np.array([1, 0, 0, 0, 0, 0], np.float32), natural),
        "g2pM balanced": accuracy(mats, np.array([1, 0, 0, 0, 0, 0], np.float32), ones),
    }
    return {"context": w_context, "plain": w_plain}, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/g2pl"))
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = read_rows(args.data / "train.tsv")
    feats = example_features(rows)
    counts: dict[str, int] = defaultdict(int)
    fit_part, held_out = [], []
    for k, row in enumerate(rows):
        counts[row[2]] += 1
        (held_out if counts[row[2]] % HOLD_OUT_EVERY == 0 else fit_part).append(k)
    partial = MODEL_PATH.with_suffix(".partial.npz")
    train_context([rows[k] for k in fit_part], [feats[k] for k in fit_part], partial)
    priors = natural_priors(rows, {to_simplified(r[2]) for r in rows})
    w, report = fit_combiner([rows[k] for k in held_out], ContextModel(partial), priors)
    partial.unlink()
    for name, value in report.items():
        print(f"held-out accuracy, {name}: {value:.4f}")
    for group, vector in w.items():
        print(f"weights {group}: {dict(zip(FEATURES, vector.round(3).tolist(), strict=False))}")
    train_context(rows, feats, MODEL_PATH)
    combiner = {
        "weights": {
            group: {n: round(float(x), 4) for n, x in zip(FEATURES, vector, strict=False)}
            for group, vector in w.items()
        },
        "prior": priors,
    }
    write_text(
        MODEL_PATH.with_name("combiner.json"),
        json.dumps(combiner, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
    )
    size = MODEL_PATH.stat().st_size / 1e6
    print(f"wrote {MODEL_PATH} ({size:.1f} MB) in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
