#!/usr/bin/env python
"""Benchmark the measure stage on the sample reports: jieba against rjieba, and the time per report
of segmentation, ``measure_attention``, ``extract_slogans`` and ``term_counts``.

Usage::

    python scripts/bench_measure.py             # data/raw of the checkout
    python scripts/bench_measure.py --raw DIR   # any folder of reports

Every timing is the CPU time of this process (``time.process_time``: other processes on the machine
do not count), the fastest of ``--repeat`` runs per report, averaged over reports. The token comparison cuts every paragraph with jieba and
rjieba (both with their default dictionary) and lists the spans where they differ.
"""
from __future__ import annotations

import argparse
import difflib
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govreports import attention, segment, slogans, structure  # noqa: E402
from govreports.clean import clean_text  # noqa: E402
from govreports.read import read_raw  # noqa: E402


def fastest(function, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    paths = sorted(p for p in args.raw.rglob("*.txt"))
    texts = [clean_text(read_raw(p).raw).text for p in paths]
    print(f"{len(texts)} reports, {sum(map(len, texts)) / len(texts):,.0f} characters on average\n")

    import jieba
    import rjieba

    jieba.setLogLevel(60)
    jieba.initialize()
    plain = rjieba.Jieba()
    n = len(texts)
    t_jieba = sum(fastest(lambda t=t: jieba.lcut(t), 1) for t in texts) / n
    t_rjieba = sum(fastest(lambda t=t: plain.cut(t), args.repeat) for t in texts) / n
    print("| segmenter | ms / report | reports / s |\n|---|---:|---:|")
    print(f"| jieba {jieba.__version__} | {t_jieba * 1000:.2f} | {1 / t_jieba:.0f} |")
    print(f"| rjieba | {t_rjieba * 1000:.2f} | {1 / t_rjieba:.0f} |\n")

    n_tokens, n_docs_differing, spans = 0, 0, []
    han = re.compile(r"[\u4e00-\u9fff]")
    for text in texts:
        a, b = jieba.lcut(text), plain.cut(text)
        n_tokens += len(a)
        if a != b:
            n_docs_differing += 1
            matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
            spans += [(a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]
    with_han = [s for s in spans if any(han.search(t) for t in s[0] + s[1])]
    print(f"jieba tokens: {n_tokens:,}; reports with any difference: {n_docs_differing}; differing spans: "
          f"{len(spans)}, of which containing Han characters: {len(with_han)}")
    for jieba_tokens, rjieba_tokens in spans[:8]:
        print(f"  jieba {'/'.join(jieba_tokens)}  rjieba {'/'.join(rjieba_tokens)}")

    docs = []
    for text in texts:
        sections = structure.parse_sections(text)
        docs.append((text, sections, structure.split_sentences(text, sections)))
    segment.segmenter()
    attention.default_matcher()
    slogans.national_formulas()

    def per_report(function, cold: bool) -> float:
        total = 0.0
        for doc in docs:
            def run(doc=doc):
                if cold:  # both cached cuts: the tokens, and the offsets the measures read
                    segment.cut_text.cache_clear()
                    segment._cut_analysis.cache_clear()
                function(*doc)
            total += fastest(run, args.repeat)
        return total / len(docs)

    rows = [
        ("segmentation floor (rjieba cut, user dictionary)", lambda t, s, se: segment.segmenter().cut(segment.sentences_text(se)), True),
        ("term_counts", lambda t, s, se: segment.term_counts(se), True),
        ("measure_attention", lambda t, s, se: attention.measure_attention(t, s, se), True),
        ("extract_slogans", lambda t, s, se: slogans.extract_slogans(t, se, None), True),
        ("all three (one shared segmentation)", lambda t, s, se: (
            attention.measure_attention(t, s, se), slogans.extract_slogans(t, se, None), segment.term_counts(se)), True),
    ]
    print("\n| measure | ms / report | reports / s |\n|---|---:|---:|")
    for name, function, cold in rows:
        seconds = per_report(function, cold)
        print(f"| {name} | {seconds * 1000:.2f} | {1 / seconds:.0f} |")


if __name__ == "__main__":
    main()
