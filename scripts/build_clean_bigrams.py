"""Build ``govreports/lexicons/clean_char_bigrams.csv`` — character-bigram counts of report prose.

The GBK-mojibake repair in :mod:`govreports.clean` must guess the one byte a corrupted run lost
(e.g. whether ``?`` + ``a3`` was ``。`` or ``保``). It chooses the candidate that makes the most
frequent character pairs with its neighbours, so it needs bigram counts of *government-report*
prose. We count them on the sample corpus itself (own data, not a third-party list): every line of
every ``data/raw`` report, converted to simplified characters, with pinyin glosses removed, skipping
lines that hold ``?`` or private-use characters (the corrupted ones). Only pairs seen at least twice
are kept. Re-run after adding reports:

    python scripts/build_clean_bigrams.py
"""
from __future__ import annotations

import collections
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govreports.clean import _PINYIN_GLOSS_RE, _T2S, _score_norm  # noqa: E402
from govreports.read import read_raw  # noqa: E402

OUT = ROOT / "govreports" / "lexicons" / "clean_char_bigrams.csv"


def main() -> None:
    counts: collections.Counter[str] = collections.Counter()
    for path in sorted((ROOT / "data" / "raw").rglob("*.txt")):
        text = read_raw(path).raw
        for line in text.splitlines():
            if "?" in line or re.search("[\ue000-\uf8ff]", line):
                continue
            line = _score_norm(_T2S.convert(_PINYIN_GLOSS_RE.sub(r"\g<1>", line)))
            line = re.sub(r"\s+", "", line)
            counts.update(line[i : i + 2] for i in range(len(line) - 1))
    rows = sorted(((bg, n) for bg, n in counts.items() if n >= 2), key=lambda r: (-r[1], r[0]))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["bigram", "n"])
        w.writerows(rows)
    print(f"{OUT}: {len(rows)} bigrams")


if __name__ == "__main__":
    main()
