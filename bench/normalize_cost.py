"""Cost of text for speech (wetext normalisation, the speech script) against `speak check`.

    PYTHONPATH=. python bench/normalize_cost.py [--copies N] [--limit N] [--markdown FILE]

Inputs: the sample report (many numbers) repeated ``--copies`` times, and, when
../shared/data is present, the first ``--limit`` sentences of g2pL dev (Traditional) as one
paragraph each. For each input, in one process and warm (models and FSTs loaded once first):

- check: what `speak check` does: load, parse, read every character, judge the annotations;
- normalize: ``normalize`` over every spoken sentence, wetext's chunk cache emptied first;
- script: ``utterances``: normalisation, the readings chain over the characters it writes,
  spoken tones (what `speak script` and `speak build` add before synthesis).

Prints milliseconds per sentence and each as a ratio to the check of the same input.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from devsets import DATA, read_dev

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "miit-2022-priorities.txt"


def _check(path: Path):
    from speak.check.analysis import iter_findings, load_document

    doc = load_document(path, keep_repeats=True)
    readings: dict = {}
    findings = list(iter_findings(doc, readings=readings))
    return doc, readings, findings


def measure(path: Path) -> dict[str, float]:
    """Seconds for check, normalize and script over the document at ``path`` (warm)."""
    from speak.speech import normalize as norm
    from speak.speech.script import utterances

    _check(path)  # warm: models loaded
    started = time.perf_counter()
    doc, readings, _ = _check(path)
    check = time.perf_counter() - started
    sentences = [doc.text_of(s) for sec in doc.sections for s in sec.sentences]
    norm.normalize("增長42.2%", doc.script)  # wetext loaded
    norm.wetext_says.cache_clear()
    started = time.perf_counter()
    for text in sentences:
        norm.normalize(text, doc.script)
    normalize = time.perf_counter() - started
    norm.wetext_says.cache_clear()
    started = time.perf_counter()
    utterances(doc, readings)
    script = time.perf_counter() - started
    return {"sentences": len(sentences), "check": check, "normalize": normalize, "script": script}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20, help="copies of the sample")
    parser.add_argument("--limit", type=int, default=3000, help="g2pL dev sentences")
    parser.add_argument("--markdown", type=Path, help="also write a Markdown table here")
    args = parser.parse_args(argv)
    sample = SAMPLE.read_text(encoding="utf-8") + "\n"
    inputs = [("sample", sample), (f"sample x{args.copies}", sample * args.copies)]
    if (DATA / "g2pl" / "dev_trad.tsv").is_file():
        rows = read_dev("g2pl/dev_trad.tsv", args.limit)
        inputs.append((f"g2pL dev (Traditional), {len(rows)}", "\n".join(r[0] for r in rows)))
    lines = [
        "| input | sentences | check ms/sentence | normalize ms/sentence | ratio | "
        "script ms/sentence | ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for name, text in inputs:
            path = Path(folder) / "input.txt"
            path.write_text(text, encoding="utf-8")
            m = measure(path)
            n = m["sentences"]
            lines.append(
                f"| {name} | {n} | {m['check'] / n * 1000:.2f} | {m['normalize'] / n * 1000:.2f} "
                f"| {m['normalize'] / m['check']:.2f} | {m['script'] / n * 1000:.2f} "
                f"| {m['script'] / m['check']:.2f} |"
            )
    table = "\n".join(lines) + "\n"
    print(table, end="")
    if args.markdown:
        args.markdown.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
