"""Train the shipped polyphone model from the g2pL train set.

    python tools/train_polyphone.py [--data ../shared/data/g2pl] [--out DIR] [--chars N]

1. Per polyphone of g2pL, a softmax regression over context features (speak.readings.context),
   fit 7 times, each on 6/7 of train, for out-of-fold context votes on every train sentence;
2. a natural-frequency prior per polyphone: g2pL has 300 sentences a character with rare
   readings far more often than natural text has them (地 de5 60, di4 240), so its labels do
   not say how often a reading occurs ("balanced" below). The train sentences also hold
   the same characters incidentally (not as the labelled target), at natural frequencies: the
   mean g2pM posterior over those occurrences estimates the prior. Examples weighted by
   prior / frequency in train stand in for natural text when fitting the combiner;
3. the combiner: shared weights plus per-character corrections (g2pM, context, dictionary),
   fit on the out-of-fold votes of folds 2-7; fold 1 (every 7th example of each character)
   chooses the balanced share and reports held-out accuracy. g2pM's log-probabilities count
   down to a floor (--g2pm-floor; --choose-floor picks it on fold 1); a sentence pattern
   (speak.readings.patterns) has a fixed weight, not fit; a common word
   (speak.readings.wordcut) is left out of the fit and takes its fixed weight after it;
4. the regression again on all of train: shipped as speak/readings/data/context_model.npz,
   with the combiner weights and priors in speak/readings/data/combiner.json.
Regularisation (L2, PER_CHAR_L2) was chosen on fold 1 only. Takes about 5 minutes.
Of the labelled data only the train file is read; the dev files are for measuring
(bench/accuracy.py); the everyday sets (tests/data/everyday*.tsv) are not read at all.
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
from speak.readings.combine import (
    COMMON_WEIGHT,
    FEATURES,
    FIXED,
    G2PM_FLOORS,
    PATTERN_WEIGHT,
    PER_CHAR,
    feature_matrix,
)
from speak.readings.context import MODEL_PATH, features
from speak.readings.experts import collect_votes
from speak.zh.chars import readings_of
from speak.zh.script import to_simplified
from speak.zh.words import segment

HOLD_OUT_EVERY = 7
L2 = 0.0001  # chosen on the held-out train part (0.003 … 0.00003)
STEPS = 300
COMBINER_STEPS = 1000
PER_CHAR_L2 = 0.01  # chosen on the held-out fold (0.01, 0.001)
BALANCED_SHARES = (0.5, 0.4, 0.3, 0.2, 0.1, 0.0)
FIXED_COLUMNS = tuple(FEATURES.index(name) for name in FIXED)  # weights that are not fit
# The common word's weight is 0 during the fit and COMMON_WEIGHT after it. It is decisive,
# and g2pL's labels differ from the dictionary in some common words: fit around it, the
# other weights bend to undo it (the dictionary's vote turned negative; CPP dev read 97.29%,
# under the floor of issue 14, against 97.59% this way).
# The floor under g2pM's log-probabilities that ships. Held out on g2pL train (the first
# fold, mean of balanced/natural with the context model and natural without) the floors
# score -60: 97.35%, -8: 97.31%, -6: 97.38%, -4: 97.28%; -6 reads 96.5% of the everyday set's
# dev half against 93.2% for -8, but outvotes g2pM with pypinyin's word in 43 CPP dev rows
# (黄陂, 挣脱, 圣何塞, 呵叻, 肚子 …; in about half of them the dictionary is right), 0.45
# points, over the 0.3 the benchmarks may lose. -8 keeps CPP within 0.1.
SHIPPED_G2PM_FLOOR = -8.0


def start_weights(*ones: str) -> list[float]:
    """A weight vector over FEATURES: 1 for the named features, the pattern's fixed weight,
    0 for the common word's."""
    return [PATTERN_WEIGHT if name == "pattern" else float(name in ones) for name in FEATURES]


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


def _padded(mats) -> tuple[np.ndarray, np.ndarray]:
    """[examples, most candidates, features] evidence, and a mask (-inf past the last one)."""
    width = max(len(m) for m in mats)
    x = np.zeros((len(mats), width, mats[0].shape[1]), np.float32)
    mask = np.full((len(mats), width), -1e9, np.float32)
    for k, m in enumerate(mats):
        x[k, : len(m)] = m
        mask[k, : len(m)] = 0.0
    return x, mask


def fit_weights(mats, golds, sample_weights, start, frozen=()) -> np.ndarray:
    """Weights maximising the weighted conditional log-likelihood (gradient descent);
    the features at indexes ``frozen`` keep their start value."""
    x, mask = _padded(mats)
    gold = np.array(golds)
    sw = np.array(sample_weights, np.float32)
    picked = x[np.arange(len(gold)), gold]
    w = np.array(start, np.float32)
    for _ in range(COMBINER_STEPS):
        s = x @ w + mask
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        grad = (((p[:, :, None] * x).sum(axis=1) - picked) * sw[:, None]).sum(axis=0)
        grad[list(frozen)] = 0.0
        w -= 0.5 * grad / sw.sum()
    return w


def fit_softmax(feats: list[list[str]], labels: list[str]):
    """Softmax regression with L2 by full-batch Adam; returns (classes, names, weights).

    The design matrix is binary and sparse: products with it are gathers and bincounts.
    """
    classes = sorted(set(labels))
    names = sorted({f for fs in feats for f in fs})
    index = {f: j for j, f in enumerate(names)}
    cols = np.array([index[f] for fs in feats for f in fs], np.int64)
    sizes = [len(fs) for fs in feats]
    owner = np.repeat(np.arange(len(feats)), sizes)
    starts = np.cumsum([0, *sizes])[:-1]
    y = np.array([classes.index(label) for label in labels])
    target = np.eye(len(classes), dtype=np.float32)[y]
    w = np.zeros((len(names), len(classes)), np.float32)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, STEPS + 1):
        scores = np.add.reduceat(w[cols], starts, axis=0)
        scores -= scores.max(axis=1, keepdims=True)
        p = np.exp(scores)
        p /= p.sum(axis=1, keepdims=True)
        delta = (p - target)[owner]
        grad = (
            np.stack(
                [np.bincount(cols, delta[:, k], len(names)) for k in range(len(classes))], axis=1
            ).astype(np.float32)
            / len(feats)
            + L2 * w
        )
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


def out_of_fold(rows, feats, folds: list[int]) -> list[dict[str, float]]:
    """Per row, the context model's log-probabilities from a model fit on the other folds."""
    out: list[dict[str, float]] = [{} for _ in rows]
    for fold in range(HOLD_OUT_EVERY):
        fit_part: dict[str, list[int]] = defaultdict(list)
        held: dict[str, list[int]] = defaultdict(list)
        for k, row in enumerate(rows):
            (held if folds[k] == fold else fit_part)[row[2]].append(k)
        for char, ks in fit_part.items():
            classes, names, w = fit_softmax([feats[k] for k in ks], [rows[k][3] for k in ks])
            index = {n: j for j, n in enumerate(names)}
            for k in held[char]:
                score = w[[index[f] for f in feats[k] if f in index]].sum(axis=0)
                score -= score.max()
                score -= math.log(np.exp(score).sum())
                out[k] = dict(zip(classes, score.tolist(), strict=True))
    return out


def fit_char_weights(x, mask, chars, golds, sample_weights, n_chars: int):
    """Shared weights plus, per character, an L2-shrunk correction of the first
    len(PER_CHAR) weights (how far to trust g2pM, the context model and the dictionary)."""
    n = len(PER_CHAR)
    sw = np.asarray(sample_weights, np.float32)
    rows = np.arange(len(golds))
    w = np.array(start_weights("g2pm", "context"), np.float32)
    per_char = np.zeros((n_chars, n), np.float32)
    for _ in range(COMBINER_STEPS):
        s = x @ w + (x[:, :, :n] * per_char[chars][:, None, :]).sum(axis=2) + mask
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        error = ((p[:, :, None] * x).sum(axis=1) - x[rows, golds]) * sw[:, None]
        error[:, FIXED_COLUMNS] = 0.0
        grad_char = np.zeros_like(per_char)
        np.add.at(grad_char, chars, error[:, :n])
        w -= 0.5 * error.sum(axis=0) / sw.sum()
        per_char -= 0.5 * (grad_char / sw.sum() + PER_CHAR_L2 * per_char)
    return w, per_char


def fit_combiner(rows, oof, priors, folds, chosen_floor=None) -> tuple[dict, dict, dict]:
    """Weights for both groups and the per-character corrections, fit on the out-of-fold
    votes of every fold but the first; the first fold chooses the balanced share and
    reports the accuracies."""
    originals = [r[0] for r in rows]
    simplified = [to_simplified(s) for s in originals]
    segs = [segment(s) for s in simplified]
    log_priors = {c: {r: math.log(p) for r, p in t.items()} for c, t in priors.items()}
    votes = collect_votes(originals, simplified, segs, [[r[1]] for r in rows], None)
    balance: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _, _, char, gold in rows:
        balance[char][gold] += 1
    chars = sorted(priors)
    char_index = {c: i for i, c in enumerate(chars)}
    mats, golds, natural, owner, test = [], [], [], [], []
    for k, ((_, _, char, gold), (vote,)) in enumerate(zip(rows, votes, strict=True)):
        if gold not in vote.candidates or len(vote.candidates) < 2 or char not in char_index:
            continue
        vote = vote._replace(context=oof[k], prior=log_priors[char], char=char)
        mats.append(feature_matrix(vote, g2pm_floor=-math.inf))
        golds.append(vote.candidates.index(gold))
        owner.append(char_index[char])
        test.append(folds[k] == 0)
        # natural weight: the gold reading's prior over its share of the balanced set
        share = balance[char][gold] / sum(balance[char].values())
        natural.append(priors[char].get(gold, share) / share)
    raw, mask = _padded(mats)
    x = raw
    gold_arr, owner_arr, test_arr = np.array(golds), np.array(owner), np.array(test)
    nat = np.array(natural, np.float32)
    nat *= len(nat) / nat.sum()
    fit = ~test_arr

    def accuracy(w, per_char, sample_weights, columns=slice(None)):
        xs = x[test_arr] * np.asarray(columns_mask(columns), np.float32)
        s = xs @ w + mask[test_arr]
        if per_char is not None:
            n = per_char.shape[1]
            s = s + (xs[:, :, :n] * per_char[owner_arr[test_arr]][:, None, :]).sum(axis=2)
        hits = s.argmax(axis=1) == gold_arr[test_arr]
        weights = sample_weights[test_arr]
        return float((hits * weights).sum() / weights.sum())

    ones = np.ones(len(golds), np.float32)
    plain_columns = tuple(int(name not in ("context", "prior")) for name in FEATURES)
    # Without a context model, the dictionary's own-reading and long-word features stay off:
    # fit, they win 6 everyday rows and lose 7 CPP dev rows (g2pM, trained on CPP, knows the
    # rarer characters' readings in names better than pypinyin's words: 圣何塞, 埃塞俄比亚).
    plain_frozen = tuple(
        FEATURES.index(n)
        for n in ("g2pm", "context", "prior", "g2pm_sure", "marked", "long", "pattern", "common")
    )

    def fit_plain():
        """Characters without a context model: g2pM's scale fixed, the dictionary's fit."""
        keep = np.array(plain_columns, np.float32)
        return fit_weights(
            [x[k, : len(mats[k])] * keep for k in np.flatnonzero(fit)],
            gold_arr[fit].tolist(),
            nat[fit].tolist(),
            start_weights("g2pm"),
            frozen=plain_frozen,
        )

    # The floor under g2pM's log-probabilities: the one with the best mean held-out accuracy
    # (balanced and natural text with the context model, natural text without), at share 0.3.
    floors = []
    for floor in G2PM_FLOORS if chosen_floor is None else ():
        x = raw.copy()
        x[:, :, 0] = np.maximum(raw[:, :, 0], floor)
        sw = 0.3 + 0.7 * nat
        w, per_char = fit_char_weights(
            x[fit], mask[fit], owner_arr[fit], gold_arr[fit], sw[fit], len(chars)
        )
        scores = (
            accuracy(w, per_char, ones),
            accuracy(w, per_char, nat),
            accuracy(fit_plain(), None, nat, plain_columns),
        )
        floors.append((sum(scores) / 3, floor))
        print(f"g2pM floor {floor}: held-out " + ", ".join(f"{s:.4f}" for s in scores))
    g2pm_floor = max(floors)[1] if chosen_floor is None else chosen_floor
    x = raw.copy()
    x[:, :, 0] = np.maximum(raw[:, :, 0], g2pm_floor)
    # The balanced share of the objective: the best mean held-out accuracy on balanced and on
    # natural text (the floor's criterion). The earlier rule, the best natural accuracy within
    # half a point of the best balanced one, flipped between 0.4 and 0.2 on differences of
    # 0.0004 when a feature was added, and 0.2 costs g2pL dev 0.2 points.
    fits = []
    for share in BALANCED_SHARES:
        sw = share + (1 - share) * nat
        w, per_char = fit_char_weights(
            x[fit], mask[fit], owner_arr[fit], gold_arr[fit], sw[fit], len(chars)
        )
        fits.append((share, w, per_char, accuracy(w, per_char, ones), accuracy(w, per_char, nat)))
        print(
            f"balanced share {share:.1f}: held-out balanced {fits[-1][3]:.4f}, "
            f"natural {fits[-1][4]:.4f}"
        )
    share, w_context, per_char, _, _ = max(fits, key=lambda f: (f[3] + f[4], f[0]))
    w_plain = fit_plain()
    g2pm_only = np.array([float(name == "g2pm") for name in FEATURES], np.float32)
    report = {
        "g2pM floor": g2pm_floor,
        "balanced share": share,
        "context balanced": accuracy(w_context, per_char, ones),
        "context natural": accuracy(w_context, per_char, nat),
        "plain natural": accuracy(w_plain, None, nat, plain_columns),
        "g2pM natural": accuracy(g2pm_only, None, nat),
        "g2pM balanced": accuracy(g2pm_only, None, ones),
    }
    corrections = {
        char: {name: round(float(v), 4) for name, v in zip(PER_CHAR, row, strict=True)}
        for char, row in zip(chars, per_char, strict=True)
    }
    return {"context": w_context, "plain": w_plain}, corrections, report


def columns_mask(columns) -> np.ndarray:
    """A 0/1 vector over FEATURES: all ones, or the given tuple."""
    if isinstance(columns, slice):
        return np.ones(len(FEATURES), np.float32)
    return np.array(columns, np.float32)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/g2pl"))
    parser.add_argument(
        "--out", type=Path, default=MODEL_PATH.parent, help="folder to write the model to"
    )
    parser.add_argument("--chars", type=int, help="only the first N characters (a quick run)")
    parser.add_argument(
        "--g2pm-floor",
        type=float,
        default=SHIPPED_G2PM_FLOOR,
        help=f"floor under g2pM's log-probabilities (default {SHIPPED_G2PM_FLOOR}, as shipped)",
    )
    parser.add_argument(
        "--choose-floor",
        action="store_true",
        help="choose the floor among G2PM_FLOORS by held-out accuracy on the first fold",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = read_rows(args.data / "train.tsv")
    if args.chars:
        kept = sorted({r[2] for r in rows})[: args.chars]
        rows = [r for r in rows if r[2] in kept]
    model_path = args.out / MODEL_PATH.name
    feats = example_features(rows)
    counts: dict[str, int] = defaultdict(int)
    folds = []
    for row in rows:
        counts[row[2]] += 1
        folds.append(counts[row[2]] % HOLD_OUT_EVERY)
    oof = out_of_fold(rows, feats, folds)
    priors = natural_priors(rows, {to_simplified(r[2]) for r in rows})
    floor = None if args.choose_floor else args.g2pm_floor
    w, corrections, report = fit_combiner(rows, oof, priors, folds, floor)
    for name, value in report.items():
        print(f"held-out accuracy, {name}: {value:.4f}")
    for vector in w.values():
        vector[FEATURES.index("common")] = COMMON_WEIGHT
    for group, vector in w.items():
        print(f"weights {group}: {dict(zip(FEATURES, vector.round(3).tolist(), strict=False))}")
    train_context(rows, feats, model_path)
    combiner = {
        "weights": {
            group: {n: round(float(x), 4) for n, x in zip(FEATURES, vector, strict=False)}
            for group, vector in w.items()
        },
        "g2pm_floor": report["g2pM floor"],
        "prior": priors,
        "per_char": corrections,
    }
    write_text(
        model_path.with_name("combiner.json"),
        json.dumps(combiner, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
    )
    size = model_path.stat().st_size / 1e6
    print(f"wrote {model_path} ({size:.1f} MB) in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
