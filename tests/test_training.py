"""tools/train_polyphone.py retrains the shipped polyphone model from g2pL train."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from speak.readings.combine import COMMON_WEIGHT, PATTERN_WEIGHT
from speak.readings.context import ContextModel, features
from speak.zh.words import segment
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
TRAIN = FIXTURES / "g2pl-six" / "train.tsv"  # the six characters' g2pL train rows


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, str]:
    """A model trained on six characters of g2pL train (a quick run)."""
    out = tmp_path_factory.mktemp("model")
    command = [sys.executable, "tools/train_polyphone.py", "--data", str(TRAIN.parent)]
    done = subprocess.run(
        [*command, "--chars", "6", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out, done.stdout


def test_retrained_model_reads_its_characters_in_context(trained):
    out, _ = trained
    model = ContextModel(out / "context_model.npz")
    assert all(model.knows(char) for char in "丧中为乐了传")
    assert not model.knows("长")  # not among the six
    rows = [line.rstrip("\n").split("\t") for line in TRAIN.open(encoding="utf-8")][1:]
    rows = [(text, int(i), gold) for text, i, char, gold, *_ in rows if char == "乐"]
    right = 0
    for text, i, gold in rows:
        votes = model.log_probs("乐", features(text, i, segment(text)))
        right += max(votes, key=votes.get) == gold
    assert right >= 0.9 * len(rows)  # yue4 in 音乐, le4 in 快乐, from context alone


def test_training_reports_held_out_accuracy_and_writes_the_combiner(trained):
    out, log = trained
    found = re.search(r"held-out accuracy, context balanced: ([\d.]+)", log)
    assert found and float(found.group(1)) >= 0.9, log
    combiner = json.loads((out / "combiner.json").read_text(encoding="utf-8"))
    assert set(combiner["prior"]) == set("丧中为乐了传")
    assert combiner["weights"]["context"]["context"] > 0  # the context model is trusted
    # a common word's reading (会计 kuài) and a pattern's are fixed, not fit: the fit keeps them
    for group in ("context", "plain"):
        weights = combiner["weights"][group]
        assert (weights["common"], weights["pattern"]) == (COMMON_WEIGHT, PATTERN_WEIGHT), log
