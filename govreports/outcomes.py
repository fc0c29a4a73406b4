"""Tables stage — targets versus outcomes: year Y's target against the outcome year Y+1's report states.

A region's report of year Y announces targets for Y (``kind == 'target'``); the report of the next
year reviews Y (its ``review_year == Y``) and states what was achieved (``kind == 'actual'``). This
module pairs the two for each region, indicator and year.

Rules
-----
* Only each indicator's *primary measure* is compared (``primary_measure`` in
  ``lexicons/indicators.csv``: the growth rate for GDP, revenue, investment…, the rate for
  unemployment), so a growth target is never compared with a level.
* When a report states several targets for one indicator (全社会 and 城镇固定资产投资, or
  "9%以上，力争10%"), the first one in the text is the headline target and is used; likewise the
  first outcome stated in the review.
* ``gap_pp = outcome − target``, with the midpoint of a range target (8-8.5% → 8.25).
* ``is_met`` by constraint: floor → outcome ≥ value; ceiling → outcome ≤ value; range → value ≤
  outcome ≤ value_high; approx → |gap| ≤ :data:`APPROX_BAND_PP` (0.5 percentage points: "左右" is
  read as within half a point, the band most studies of Chinese growth targets use); exact (a bare
  number) → reached in the indicator's good direction (≥ for growth, ≤ for unemployment and
  prices), since reports count a bare plan figure as 完成 when it is reached or beaten; relative and
  qualitative → <NA> (the reference is not in the report). No outcome → <NA>.
"""
from __future__ import annotations

import pandas as pd

from govreports.indicators import indicator_lexicon

APPROX_BAND_PP = 0.5

_INDICATOR_COLUMNS_READ = [
    "report_id", "indicator_code", "kind", "year", "measure", "value", "value_high", "qualifier",
    "constraint", "char_start",
]

COLUMNS = [
    "region_name", "year", "indicator_code", "target_value", "target_value_high", "qualifier",
    "constraint", "outcome_value", "gap_pp", "is_met", "target_report_id", "outcome_report_id",
]


def _is_met(constraint, value, high, outcome, direction):
    if outcome is None or pd.isna(outcome) or value is None or pd.isna(value):
        return pd.NA
    if constraint == "floor":
        return bool(outcome >= value)
    if constraint == "ceiling":
        return bool(outcome <= value)
    if constraint == "range":
        return bool(value <= outcome <= high) if high is not None and not pd.isna(high) else pd.NA
    if constraint == "approx":
        return bool(abs(outcome - value) <= APPROX_BAND_PP + 1e-9)
    if constraint == "exact":
        return bool(outcome >= value) if direction == "up" else bool(outcome <= value)
    return pd.NA


def targets_vs_outcomes(reports: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Pair each region's year-Y targets with the outcomes stated in its year-Y+1 report.

    Parameters
    ----------
    reports : DataFrame
        ``report_id, region_name, report_year, review_year`` (one row per report).
    indicators : DataFrame
        The corpus indicators table: ``report_id`` plus the columns of
        :func:`govreports.indicators.extract_indicators`.

    Returns
    -------
    DataFrame
        One row per region × year × indicator with a target, columns ``region_name`` (str),
        ``year`` (Int64, the target year), ``indicator_code`` (str), ``target_value``,
        ``target_value_high`` (Float64), ``qualifier``, ``constraint`` (str, as in the indicators
        table), ``outcome_value`` (Float64: the value the next report states for that year, <NA> when
        it states none), ``gap_pp`` (Float64: outcome − target, range midpoint), ``is_met``
        (boolean, rules in the module docstring), ``target_report_id``, ``outcome_report_id`` (str;
        <NA> when no report reviews that year).
    """
    lexicon = indicator_lexicon()
    primary = {code: ind.primary_measure for code, ind in lexicon.items()}
    direction = {code: ind.direction for code, ind in lexicon.items()}
    if indicators is None or len(indicators) == 0 or reports is None or len(reports) == 0:
        return _typed(pd.DataFrame({c: [] for c in COLUMNS}))

    reps = reports[["report_id", "region_name", "report_year", "review_year"]].copy()
    # Only the columns read here: the others (the sentence text above all) would be copied by every
    # merge and filter below, which on a large corpus costs more than the pairing itself.
    ind = indicators[_INDICATOR_COLUMNS_READ].merge(reps, on="report_id", how="inner",
                                                  validate="many_to_one")
    ind = ind[ind["measure"] == ind["indicator_code"].map(primary)]

    targets = (
        ind[(ind["kind"] == "target") & ind["report_year"].notna()]
        .sort_values("char_start", kind="stable")
        .drop_duplicates(["report_id", "indicator_code"], keep="first")
        .assign(year=lambda d: d["report_year"].astype("Int64"))
    )
    actuals = ind[(ind["kind"] == "actual") & ind["value"].notna() & ind["year"].notna()]
    # The outcome of year Y is what a report reviewing Y says about Y.
    actuals = (
        actuals[actuals["year"].astype("Int64").eq(actuals["review_year"].astype("Int64"))
                .fillna(False).astype(bool)]
        .sort_values("char_start", kind="stable")
        .drop_duplicates(["report_id", "indicator_code"], keep="first")
    )
    # A report whose region is unknown is never paired: two unknown places are not one place.
    outcome_reports = (
        reps.dropna(subset=["review_year", "region_name"])
        .assign(year=lambda d: d["review_year"].astype("Int64"))
        .sort_values("report_id")
        .drop_duplicates(["region_name", "year"], keep="first")
        [["region_name", "year", "report_id"]]
        .rename(columns={"report_id": "outcome_report_id"})
    )
    merged = targets.merge(outcome_reports, on=["region_name", "year"], how="left",
                           validate="many_to_one")
    outcome_values = actuals[["report_id", "indicator_code", "value"]].rename(
        columns={"report_id": "outcome_report_id", "value": "outcome_value"})
    merged = merged.merge(outcome_values, on=["outcome_report_id", "indicator_code"], how="left",
                          validate="many_to_one")

    rows = []
    # Only the columns used, read column by column: the per-cell boxing of to_dict("records")
    # over every merged column cost most of this function on a large corpus.
    used = ["region_name", "year", "indicator_code", "value", "value_high", "qualifier",
            "constraint", "outcome_value", "report_id", "outcome_report_id"]
    for values in zip(*(merged[column].tolist() for column in used)):
        rec = dict(zip(used, values))
        value, high, outcome = rec["value"], rec["value_high"], rec["outcome_value"]
        constraint = rec["constraint"]
        numeric_target = constraint not in ("relative", "qualitative") and not pd.isna(value)
        midpoint = None
        if numeric_target:
            midpoint = (value + high) / 2 if not pd.isna(high) else value
        gap = (outcome - midpoint) if (numeric_target and not pd.isna(outcome)) else None
        rows.append({
            "region_name": rec["region_name"],
            "year": rec["year"],
            "indicator_code": rec["indicator_code"],
            "target_value": value,
            "target_value_high": high,
            "qualifier": rec["qualifier"],
            "constraint": constraint,
            "outcome_value": outcome,
            "gap_pp": round(gap, 6) if gap is not None else None,
            "is_met": _is_met(constraint, value, high, outcome,
                              direction.get(rec["indicator_code"], "up")),
            "target_report_id": rec["report_id"],
            "outcome_report_id": rec["outcome_report_id"],
        })
    frame = pd.DataFrame.from_records(rows, columns=COLUMNS)
    return _typed(frame.sort_values(["region_name", "year", "indicator_code"])
                  .reset_index(drop=True))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({
        "region_name": "string", "year": "Int64", "indicator_code": "string",
        "target_value": "Float64", "target_value_high": "Float64", "qualifier": "string",
        "constraint": "string", "outcome_value": "Float64", "gap_pp": "Float64",
        "is_met": "boolean", "target_report_id": "string", "outcome_report_id": "string",
    })
