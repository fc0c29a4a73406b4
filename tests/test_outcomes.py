"""Tests of targets versus outcomes: crafted tables for each rule, and the 驻马店 2002–2026 series.

The 驻马店 expectations pair a GDP target read by hand in year Y's report with the GDP growth read by
hand in year Y+1's review.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

from govreports.indicators import COLUMNS as INDICATOR_COLUMNS
from govreports.outcomes import APPROX_BAND_PP, COLUMNS, targets_vs_outcomes

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def indicator(report_id, code, kind, value, constraint="exact", value_high=None, measure="growth",
              year=None, char_start=0, qualifier=None):
    row = {c: None for c in INDICATOR_COLUMNS}
    row.update(report_id=report_id, indicator_code=code, kind=kind, value=value,
               value_high=value_high, constraint=constraint, measure=measure, year=year,
               char_start=char_start, qualifier=qualifier)
    return row


REPORTS = pd.DataFrame({
    "report_id": ["x-2020", "x-2021", "y-2021"],
    "region_name": ["甲市", "甲市", "乙县"],
    "report_year": [2020, 2021, 2021],
    "review_year": [2019, 2020, 2020],
})


def pair(target_rows, outcome_rows):
    rows = [indicator("x-2020", *r[:3], **r[3]) if len(r) > 3 else indicator("x-2020", *r)
            for r in target_rows]
    rows += [indicator("x-2021", code, "actual", value, year=2020, measure=measure)
             for code, value, measure in outcome_rows]
    return targets_vs_outcomes(REPORTS, pd.DataFrame(rows))


@pytest.mark.parametrize("constraint, value, high, outcome, gap, met", [
    ("floor", 7.0, None, 7.0, 0.0, True),
    ("floor", 7.0, None, 6.9, -0.1, False),
    ("ceiling", 3.0, None, 2.5, -0.5, True),
    ("range", 8.0, 8.5, 8.2, -0.05, True),
    ("range", 8.0, 8.5, 7.9, -0.35, False),
    ("approx", 8.0, None, 7.5, -0.5, True),      # the ±0.5 pp band is inclusive
    ("approx", 8.0, None, 8.6, 0.6, False),
    ("exact", 8.0, None, 8.3, 0.3, True),        # a bare growth target is met when reached
    ("exact", 8.0, None, 7.8, -0.2, False),
])
def test_gap_and_is_met_per_constraint(constraint, value, high, outcome, gap, met):
    out = pair([("gdp", "target", value, {"constraint": constraint, "value_high": high})],
               [("gdp", outcome, "growth")])
    row = out.iloc[0]
    assert row["gap_pp"] == pytest.approx(gap)
    assert bool(row["is_met"]) is met
    assert (row["target_report_id"], row["outcome_report_id"], row["year"]) == ("x-2020", "x-2021", 2020)


def test_a_bare_ceiling_like_target_is_met_when_not_exceeded():
    out = pair([("cpi", "target", 3.0)], [("cpi", 3.4, "growth")])
    assert not bool(out.iloc[0]["is_met"])
    out = pair([("unemployment_registered", "target", 4.5, {"measure": "rate"})],
               [("unemployment_registered", 4.0, "rate")])
    assert bool(out.iloc[0]["is_met"])


def test_relative_and_qualitative_targets_have_no_gap_and_no_verdict():
    out = pair([("gdp", "target", 1.0, {"constraint": "relative"}),
                ("resident_income", "target", None, {"constraint": "qualitative"})],
               [("gdp", 3.6, "growth"), ("resident_income", 5.0, "growth")])
    assert out["outcome_value"].tolist() == [3.6, 5.0]
    assert out["gap_pp"].isna().all() and out["is_met"].isna().all()


def test_a_level_outcome_is_never_compared_with_a_growth_target():
    out = pair([("gdp", "target", 7.0)], [("gdp", 3000.0, "level")])
    assert out["outcome_value"].isna().all() and out["is_met"].isna().all()


def test_the_first_target_in_the_text_is_the_headline_one():
    out = pair([("gdp", "target", 9.0, {"constraint": "floor", "char_start": 10}),
                ("gdp", "target", 10.0, {"constraint": "floor", "char_start": 30})],
               [("gdp", 9.5, "growth")])
    assert out["target_value"].tolist() == [9.0] and out["is_met"].tolist() == [True]


def test_no_next_report_means_no_outcome():
    rows = [indicator("y-2021", "gdp", "target", 6.0)]
    out = targets_vs_outcomes(REPORTS, pd.DataFrame(rows))
    assert out.iloc[0]["region_name"] == "乙县"
    assert pd.isna(out.iloc[0]["outcome_report_id"]) and pd.isna(out.iloc[0]["is_met"])


def test_reports_of_unknown_regions_are_never_paired():
    reports = pd.DataFrame({"report_id": ["a", "b"], "region_name": [None, None],
                            "report_year": [2020, 2021], "review_year": [2019, 2020]})
    rows = [indicator("a", "gdp", "target", 6.0),
            indicator("b", "gdp", "actual", 6.5, year=2020)]
    out = targets_vs_outcomes(reports, pd.DataFrame(rows))
    assert len(out) == 1 and pd.isna(out.iloc[0]["outcome_report_id"])


def test_a_report_without_years_is_kept_without_pairing():
    reports = pd.DataFrame({"report_id": ["a", "b"], "region_name": ["甲市", "甲市"],
                            "report_year": [2020, None], "review_year": [2019, None]})
    rows = [indicator("a", "gdp", "target", 6.0), indicator("b", "gdp", "actual", 6.5, year=2020)]
    out = targets_vs_outcomes(reports, pd.DataFrame(rows))
    assert out["target_report_id"].tolist() == ["a"] and out["outcome_value"].isna().all()


def test_empty_input_keeps_the_columns():
    out = targets_vs_outcomes(REPORTS, pd.DataFrame(columns=["report_id"] + INDICATOR_COLUMNS))
    assert list(out.columns) == COLUMNS and len(out) == 0
    assert APPROX_BAND_PP == 0.5


# ---------------------------------------------------------------------------------------------
# 驻马店 2002–2026 with the real stages
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def zhumadian() -> pd.DataFrame:
    from govreports.clean import clean_text
    from govreports.indicators import extract_indicators
    from govreports.metadata import extract_metadata
    from govreports.read import read_raw
    from govreports.structure import parse_sections, split_sentences

    reports, frames = [], []
    for path in sorted((RAW / "zhumadian").glob("*.txt")):
        text = clean_text(read_raw(path).raw).text
        sections = parse_sections(text)
        meta = extract_metadata(text, sections)
        report_id = f"zhumadian-{meta['report_year']}"
        reports.append(dict(report_id=report_id, region_name=meta["region_name"],
                            report_year=meta["report_year"], review_year=meta["review_year"]))
        frames.append(extract_indicators(text, sections, split_sentences(text, sections), meta)
                      .assign(report_id=report_id))
    return targets_vs_outcomes(pd.DataFrame(reports), pd.concat(frames, ignore_index=True))


# (year, target, constraint, outcome or None, is_met or None), all read by hand.
GDP_SERIES = [
    (2002, 9.0, "floor", 10.2, True),
    (2003, 10.0, "exact", 1.8, False),
    (2006, 12.0, "exact", None, None),   # the 2007 report gives only a six-year average
    (2010, 12.0, "exact", 11.6, False),
    (2013, 10.0, "approx", 9.5, True),
    (2014, 9.5, "approx", 8.4, False),
    (2019, 8.0, "floor", 7.4, False),
    (2020, 1.0, "relative", 3.6, None),  # 高于全省1个百分点左右
    (2022, 8.0, "approx", None, None),   # the 2023 report gives only a five-year average
    (2023, 7.0, "approx", 4.5, False),
    (2025, 6.5, "approx", 6.0, True),
]


@pytest.mark.parametrize("year, target, constraint, outcome, met", GDP_SERIES)
def test_zhumadian_gdp_targets_against_next_years_outcome(year, target, constraint, outcome, met):
    out = zhumadian()
    row = out[(out.indicator_code == "gdp") & (out.year == year)]
    assert len(row) == 1
    row = row.iloc[0]
    assert (row["region_name"], row["target_value"], row["constraint"]) == ("驻马店市", target, constraint)
    assert (pd.isna(row["outcome_value"]) if outcome is None else row["outcome_value"] == outcome)
    assert (pd.isna(row["is_met"]) if met is None else bool(row["is_met"]) is met)


def test_zhumadian_has_one_gdp_target_per_year_and_the_last_has_no_outcome_report():
    gdp = zhumadian().query("indicator_code == 'gdp'")
    assert gdp["year"].tolist() == list(range(2002, 2027))
    assert pd.isna(gdp.iloc[-1]["outcome_report_id"])
