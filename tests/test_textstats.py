"""Keyness, similarity and text reuse on hand-computed examples."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from govreports import textstats


def _counts(rows):
    return pd.DataFrame(rows, columns=["report_id", "term", "n"])


def test_keyness_log_likelihood_by_hand():
    counts = _counts([("t", "甲", 10), ("r1", "甲", 10), ("r1", "乙", 15), ("r2", "乙", 5)])
    table = textstats.keyness(counts, "t", min_count=1).set_index("term")
    assert list(table.reset_index().columns) == textstats.KEYNESS_COLUMNS
    # 甲: a=10 of c=10, b=10 of d=30. E1=10*20/40=5, E2=15; G2 = 2(10 ln 2 + 10 ln(2/3))
    assert table.loc["甲", "log_likelihood"] == pytest.approx(2 * (10 * math.log(2) + 10 * math.log(10 / 15)))
    assert table.loc["甲", "log_ratio"] == pytest.approx(math.log2(3))
    assert table.loc["甲", "freq_target_per_10k"] == pytest.approx(10_000)
    # 乙: a=0, b=20. G2 = 2 * 20 ln(20/15), negative (under-used); zero count taken as 0.5
    assert table.loc["乙", "log_likelihood"] == pytest.approx(-2 * 20 * math.log(20 / 15))
    assert table.loc["乙", "log_ratio"] == pytest.approx(math.log2((0.5 / 10) / (20 / 30)))
    assert table.loc["乙", "n_target"] == 0 and table.loc["乙", "n_reference"] == 20
    assert table.index[0] == "甲"  # most over-represented first


def test_keyness_min_count_and_unknown_report():
    counts = _counts([("t", "甲", 1), ("r", "乙", 5)])
    assert list(textstats.keyness(counts, "t", min_count=2)["term"]) == ["乙"]
    with pytest.raises(KeyError):
        textstats.keyness(counts, "nope")


def test_similarity_identical_disjoint_and_partial():
    counts = _counts(
        [("a", "甲", 2), ("a", "乙", 1), ("b", "甲", 2), ("b", "乙", 1), ("c", "丙", 3), ("d", "甲", 1), ("d", "丙", 1)]
    )
    sim = textstats.similarity(counts)
    assert list(sim.columns) == textstats.SIMILARITY_COLUMNS
    lookup = {(a, b): v for a, b, v in sim.itertuples(index=False)}
    assert len(lookup) == 6
    assert lookup[("a", "b")] == pytest.approx(1.0)
    assert lookup[("a", "c")] == pytest.approx(0.0)
    assert 0 < lookup[("a", "d")] < 1


def test_text_reuse_share_of_ngrams():
    previous = "甲乙丙丁戊己庚辛壬癸"
    text = previous + "，子丑寅卯辰巳午未申酉。"
    # 20 Han characters → 17 four-grams; the 7 inside the first ten characters occur last year
    assert textstats.text_reuse(previous, text, ngram=4) == pytest.approx(7 / 17)
    assert textstats.text_reuse(previous, previous, ngram=4) == 1.0
    assert textstats.text_reuse(previous, "子丑寅卯辰巳", ngram=4) == 0.0
    assert textstats.text_reuse(previous, "甲乙", ngram=4) is None


def test_text_reuse_by_region_uses_the_latest_earlier_report():
    reports = pd.DataFrame(
        {
            "report_id": ["x-2020", "x-2021", "x-2023", "y-2021"],
            "region_name": ["甲市", "甲市", "甲市", "乙市"],
            "report_year": pd.array([2020, 2021, 2023, 2021], dtype="Int64"),
        }
    )
    texts = pd.DataFrame(
        {
            "report_id": ["x-2020", "x-2021", "x-2023", "y-2021"],
            "text": ["甲乙丙丁戊己庚辛", "甲乙丙丁戊己庚辛", "子丑寅卯辰巳午未", "甲乙丙丁戊己庚辛"],
        }
    )
    table = textstats.text_reuse_by_region(reports, texts, "甲市", ngram=4)
    assert list(table.columns) == textstats.REUSE_COLUMNS
    assert list(table["report_id"]) == ["x-2020", "x-2021", "x-2023"]
    assert pd.isna(table["previous_report_id"].iloc[0]) and pd.isna(table["reuse_share"].iloc[0])
    assert table["previous_report_id"].iloc[2] == "x-2021"
    assert table["reuse_share"].iloc[1] == pytest.approx(1.0)
    assert table["reuse_share"].iloc[2] == pytest.approx(0.0)
    assert set(textstats.text_reuse_by_region(reports, texts)["region_name"]) == {"甲市", "乙市"}
