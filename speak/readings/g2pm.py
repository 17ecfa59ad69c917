"""g2pM's BiLSTM (trained on CPP, shipped in the g2pM package), run batched in numpy.

Gives, for chosen positions of Simplified sentences, a log-probability for each reading,
restricted to the readings the caller asks about.
"""

from __future__ import annotations

import math
import pickle
from functools import cache
from pathlib import Path

import numpy as np

_BOS, _EOS, _UNK = "시", "끝", "<UNK>"


class G2pM:
    """The weights of g2pM's network and a batched forward pass."""

    def __init__(self) -> None:
        import g2pM

        folder = Path(g2pM.__file__).parent
        with open(folder / "np_ckpt.pkl", "rb") as f:
            w = {k: np.asarray(v, dtype=np.float32) for k, v in pickle.load(f).items()}
        with open(folder / "char2idx.pkl", "rb") as f:
            self.char2idx: dict[str, int] = pickle.load(f)
        with open(folder / "class2idx.pkl", "rb") as f:
            self.class2idx: dict[str, int] = {
                k.replace("u:", "v"): v for k, v in pickle.load(f).items()
            }
        self.emb = w["embedding.weight"]
        # Input projections are precomputed per character: one table lookup per step.
        self.fw = (
            self.emb @ w["lstm.weight_ih_l0"].T + w["lstm.bias_ih_l0"] + w["lstm.bias_hh_l0"],
            w["lstm.weight_hh_l0"].T,
        )
        self.bw = (
            self.emb @ w["lstm.weight_ih_l0_reverse"].T
            + w["lstm.bias_ih_l0_reverse"]
            + w["lstm.bias_hh_l0_reverse"],
            w["lstm.weight_hh_l0_reverse"].T,
        )
        self.fc0 = (w["logit_layer.0.weight"].T, w["logit_layer.0.bias"])
        self.fc1 = (w["logit_layer.2.weight"].T, w["logit_layer.2.bias"])
        self.fc1_rows = np.ascontiguousarray(w["logit_layer.2.weight"])  # [classes, 32]
        with open(folder / "digest_cedict.pkl", "rb") as f:
            self.cedict: dict[str, list[str]] = pickle.load(f)
        self.unk = self.char2idx[_UNK]
        self.bos, self.eos = self.char2idx[_BOS], self.char2idx[_EOS]

    def _ids(self, text: str) -> list[int]:
        get = self.char2idx.get
        return [self.bos, *(get(c, self.unk) for c in text), self.eos]

    @staticmethod
    def _run(ids: np.ndarray, direction) -> np.ndarray:
        """Hidden states [time, batch, 32] of one LSTM direction over right-padded ids."""
        table, w_hh = direction
        x = table[ids.T]  # [T, B, 128]
        steps, batch = x.shape[0], x.shape[1]
        hidden = w_hh.shape[0]
        h = np.zeros((batch, hidden), np.float32)
        c = np.zeros((batch, hidden), np.float32)
        out = np.empty((steps, batch, hidden), np.float32)
        for t in range(steps):
            gates = x[t] + h @ w_hh
            # PyTorch gate order i, f, g, o; the g block gets tanh, the rest a sigmoid.
            sig = 0.5 * np.tanh(0.5 * gates) + 0.5
            g = np.tanh(gates[:, 2 * hidden : 3 * hidden])
            c = sig[:, hidden : 2 * hidden] * c + sig[:, :hidden] * g
            h = sig[:, 3 * hidden :] * np.tanh(c)
            out[t] = h
        return out

    def hidden(self, texts: list[str], targets: list[list[int]]) -> list[np.ndarray]:
        """Per text, the last hidden layer [len(targets[i]), 32] at the target positions."""
        w0, b0 = self.fc0
        result: list[np.ndarray] = [np.zeros((0, w0.shape[1]), np.float32)] * len(texts)
        order = sorted((i for i in range(len(texts)) if targets[i]), key=lambda i: len(texts[i]))
        batch_size = 1024
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            seqs = [self._ids(texts[i]) for i in chunk]
            lengths = np.array([len(s) for s in seqs])
            width = int(lengths.max())
            ids = np.zeros((len(seqs), width), np.int64)
            rev = np.zeros((len(seqs), width), np.int64)
            for row, s in enumerate(seqs):
                ids[row, : len(s)] = s
                rev[row, : len(s)] = s[::-1]
            fw = self._run(ids, self.fw)
            bw = self._run(rev, self.bw)
            rows, cols_fw, cols_bw = [], [], []
            for row, i in enumerate(chunk):
                for p in targets[i]:
                    rows.append(row)
                    cols_fw.append(p + 1)
                    cols_bw.append(lengths[row] - 2 - p)
            states = np.concatenate([fw[cols_fw, rows], bw[cols_bw, rows]], axis=1)
            layer = np.maximum(states @ w0 + b0, 0)
            at = 0
            for i in chunk:
                n = len(targets[i])
                result[i] = layer[at : at + n]
                at += n
        return result

    def log_probs(
        self, texts: list[str], targets: list[list[int]], wanted: list[list[list[str]]]
    ) -> list[list[dict[str, float]]]:
        """Per target, log P(reading) softmaxed over only the ``wanted`` readings."""
        hidden = self.hidden(texts, targets)
        b1 = self.fc1[1]
        owner, label_ids = [], []
        row = 0
        index = self.class2idx
        for found in wanted:
            for labels in found:
                owner.extend([row] * len(labels))
                label_ids.extend(index[label] for label in labels)
                row += 1
        if not owner:
            return [[{} for _ in found] for found in wanted]
        states = np.concatenate([h for h in hidden if len(h)])
        label_arr = np.array(label_ids)
        scores = (states[np.array(owner)] * self.fc1_rows[label_arr]).sum(axis=1) + b1[label_arr]
        values = scores.tolist()
        out: list[list[dict[str, float]]] = []
        at = 0
        for found in wanted:
            per_text = []
            for labels in found:
                chunk = values[at : at + len(labels)]
                at += len(labels)
                top = max(chunk) if chunk else 0.0
                log_z = top + math.log(sum(math.exp(v - top) for v in chunk)) if chunk else 0.0
                per_text.append({n: v - log_z for n, v in zip(labels, chunk, strict=True)})
            out.append(per_text)
        return out


@cache
def g2pm() -> G2pM:
    """The network, loaded once."""
    return G2pM()
