"""g2pM's BiLSTM (trained on CPP, shipped in the g2pM package), run batched in numpy.

Gives, for chosen positions of Simplified sentences, a log-probability for each reading,
restricted to the readings the caller asks about.
"""

from __future__ import annotations

import pickle
import re
from functools import cache
from itertools import repeat
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

_BOS, _EOS, _UNK = "시", "끝", "<UNK>"
WINDOW = 64  # most characters the network reads at once
MARGIN = 16  # least context kept on each side of a target inside a cut sentence
# Where g2pM cuts a long text: its training sentences end at these (not at ；…).
_SENTENCE_END = re.compile(r"(?<=[。！？!?\n])")


def windows(text: str, targets: list[int]) -> list[tuple[int, int, list[int]]]:
    """(start, end, targets inside) of the spans the network reads for ``targets``.

    Each sentence holding targets is one span; a sentence longer than WINDOW is cut into
    WINDOW-char spans, each keeping at least MARGIN chars of context around its targets
    (or the sentence end).
    """
    if not targets:
        return []
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    bounds = [0, *(e for e in ends if 0 < e < len(text)), len(text)]
    out: list[tuple[int, int, list[int]]] = []
    todo = sorted(targets)
    b = at = 0
    while at < len(todo):
        p = todo[at]
        while bounds[b + 1] <= p:
            b += 1
        lo, hi = bounds[b], bounds[b + 1]
        if hi - lo <= WINDOW:
            start, end = lo, hi
        else:
            start = max(lo, p - MARGIN)
            end = min(hi, start + WINDOW)
            start = max(lo, end - WINDOW)
        last = end if end == hi else end - MARGIN  # targets before this keep their margin
        stop = at
        while stop < len(todo) and todo[stop] < last:
            stop += 1
        out.append((start, end, todo[at:stop]))
        at = stop
    return out


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
        return [self.bos, *map(self.char2idx.get, text, repeat(self.unk)), self.eos]

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
        gates = np.empty((batch, 4 * hidden), np.float32)
        g = np.empty((batch, hidden), np.float32)
        cell = np.empty((batch, hidden), np.float32)
        i_gate, f_gate = gates[:, :hidden], gates[:, hidden : 2 * hidden]
        g_gate, o_gate = gates[:, 2 * hidden : 3 * hidden], gates[:, 3 * hidden :]
        for t in range(steps):
            np.matmul(h, w_hh, out=gates)
            gates += x[t]
            # PyTorch gate order i, f, g, o; the g block gets tanh, the rest a sigmoid
            # (0.5 tanh(x/2) + 0.5), all in place: the same float32 arithmetic, no allocations.
            np.tanh(g_gate, out=g)
            gates *= 0.5
            np.tanh(gates, out=gates)
            gates *= 0.5
            gates += 0.5
            np.multiply(f_gate, c, out=c)
            np.multiply(i_gate, g, out=cell)
            c += cell
            h = out[t]
            np.tanh(c, out=h)
            h *= o_gate
        return out

    def _hidden_flat(self, texts: list[str], targets: list[list[int]]) -> np.ndarray:
        """The last hidden layer at every target of every text, in order: [targets, 32].

        The network reads windows, not whole texts: a text is cut at sentence ends and a
        long sentence into WINDOW-char windows around its targets, so a paragraph of
        thousands of characters costs no more per target than a sentence does.
        """
        w0, b0 = self.fc0
        hidden = w0.shape[1]
        spans: list[tuple[int, int, int, list[int]]] = []  # (text, start, end, targets)
        for k, (text, found) in enumerate(zip(texts, targets, strict=True)):
            spans.extend((k, lo, hi, group) for lo, hi, group in windows(text, found))
        spans.sort(key=lambda s: s[2] - s[1])
        rows: list[int] = []  # per target, in span order: row of the output
        states: list[np.ndarray] = []
        batch_size = 512
        for start in range(0, len(spans), batch_size):
            chunk = spans[start : start + batch_size]
            width = max(hi - lo for _, lo, hi, _ in chunk) + 2
            ids = np.full((len(chunk), width), self.eos, np.int64)
            rev = np.full((len(chunk), width), self.eos, np.int64)
            lengths: list[int] = []
            flat: list[int] = []
            flat_rev: list[int] = []
            rows_b, cols_fw, cols_bw = [], [], []
            for row, (k, lo, hi, group) in enumerate(chunk):
                seq = self._ids(texts[k][lo:hi])
                n = len(seq)
                lengths.append(n)
                flat.extend(seq)
                flat_rev.extend(reversed(seq))
                for p in group:
                    rows_b.append(row)
                    cols_fw.append(p - lo + 1)
                    cols_bw.append(n - 2 - (p - lo))
            filled = np.arange(width) < np.array(lengths)[:, None]  # row-major, like flat
            ids[filled] = flat
            rev[filled] = flat_rev
            # The step's matrix product is small: BLAS threads only wait on each other
            # (several times slower, far worse on a busy machine).
            with threadpool_limits(1, user_api="blas"):
                fw = self._run(ids, self.fw)
                bw = self._run(rev, self.bw)
            states.append(np.concatenate([fw[cols_fw, rows_b], bw[cols_bw, rows_b]], axis=1))
            rows.extend(offset for k, _, _, group in chunk for offset in ((k, p) for p in group))
        if not states:
            return np.zeros((0, hidden), np.float32)
        layer = np.maximum(np.concatenate(states) @ w0 + b0, 0)
        where = {key: n for n, key in enumerate(rows)}
        return layer[[where[(k, p)] for k, found in enumerate(targets) for p in found]]

    def log_probs(
        self, texts: list[str], targets: list[list[int]], wanted: list[list[list[str]]]
    ) -> list[list[dict[str, float]]]:
        """Per target, log P(reading) softmaxed over only the ``wanted`` readings."""
        states = self._hidden_flat(texts, targets)
        b1 = self.fc1[1]
        index = self.class2idx
        sizes = [len(labels) for found in wanted for labels in found]
        if not sizes:
            return [[{} for _ in found] for found in wanted]
        label_ids = np.array(
            [index[label] for found in wanted for labels in found for label in labels]
        )
        owner = np.repeat(np.arange(len(sizes)), sizes)
        scores = np.einsum("ij,ij->i", states[owner], self.fc1_rows[label_ids]) + b1[label_ids]
        starts = np.cumsum([0, *sizes])[:-1]
        top = np.maximum.reduceat(scores, starts)
        shifted = scores - top[owner]
        scores = shifted - np.log(np.add.reduceat(np.exp(shifted), starts))[owner]
        values = scores.tolist()
        out: list[list[dict[str, float]]] = []
        at = 0
        for found in wanted:
            per_text = []
            for labels in found:
                end = at + len(labels)
                per_text.append(dict(zip(labels, values[at:end], strict=True)))
                at = end
            out.append(per_text)
        return out


@cache
def g2pm() -> G2pM:
    """The network, loaded once."""
    return G2pM()
