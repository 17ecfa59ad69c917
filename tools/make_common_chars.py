"""Build speak/document/data/common_chars.txt: the most frequent characters of the g2pL TRAIN files.

Used only to score candidate decodings (Big5 vs GB18030) when reading input bytes.
Run: python tools/make_common_chars.py ../shared/data/g2pl
"""

import collections
import csv
import sys
from pathlib import Path

TOP = 3500


def main(folder: str) -> None:
    chosen: set[str] = set()
    for name in ("train.tsv", "train_trad.tsv"):
        counts: collections.Counter[str] = collections.Counter()
        with open(Path(folder) / name, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                counts.update(ch for ch in row["sentence"] if "\u4e00" <= ch <= "\u9fff")
        chosen.update(ch for ch, _ in counts.most_common(TOP))
    out = (
        Path(__file__).resolve().parent.parent / "speak" / "document" / "data" / "common_chars.txt"
    )
    out.write_text("".join(sorted(chosen)) + "\n", encoding="utf-8")
    print(f"{len(chosen)} characters -> {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/g2pl")
