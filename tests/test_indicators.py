"""Tests of the indicator stage: crafted sentences for every rule, and hand-read values of the samples.

Expected values for the sample reports were read off the texts by hand (the target paragraph of
every report and the GDP outcome of every report), not copied from the extractor's output.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govreports.indicators import COLUMNS, extract_indicators
from govreports.numbers import VALUE_RE, parse_number, parse_value_match

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
META = {"report_year": 2022, "review_year": 2021, "region_level": "prefecture"}


# ---------------------------------------------------------------------------------------------
# A small fixture: sections and sentences built by hand for crafted texts
# ---------------------------------------------------------------------------------------------
def frames(parts: list[tuple[str, str]]) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """Text made of ``(section_type, body)`` parts; one section per part, sentences split on 。！？
    and lines (enough for the indicator stage, which only needs types, paragraphs and offsets)."""
    text, sections, sentences = "", [], []
    for section_id, (section_type, body) in enumerate(parts):
        start = len(text)
        text += body + "\n"
        sections.append(dict(section_id=section_id, parent_section_id=pd.NA, level=1, number="",
                             title="", section_type=section_type, char_start=start,
                             char_end=len(text), n_chars=len(text) - start))
        offset = start
        for paragraph_idx, line in enumerate(body.split("\n")):
            for m in re.finditer(r"[^。！？]+[。！？]?", line):
                sentences.append(dict(sentence_id=len(sentences), section_id=section_id,
                                      paragraph_idx=paragraph_idx, char_start=offset + m.start(),
                                      char_end=offset + m.end(), text=m.group(0)))
            offset += len(line) + 1
    return text, pd.DataFrame(sections), pd.DataFrame(sentences)


def run(review: str = "", plan: str = "", meta: dict | None = None,
        review_type: str = "review") -> pd.DataFrame:
    parts = [("preamble", "测试市政府工作报告")]
    if review:
        parts.append((review_type, review))
    if plan:
        parts.append(("plan", plan))
    text, sections, sentences = frames(parts)
    out = extract_indicators(text, sections, sentences, META if meta is None else meta)
    # Every row's span and sentence must point into the text.
    for row in out.itertuples():
        assert text[row.char_start:row.char_end].startswith(row.mention)
        assert row.sentence in text
    return out


def values(df: pd.DataFrame, kind: str | None = None) -> set:
    if kind is not None:
        df = df[df["kind"] == kind]
    return {(r.indicator_code, r.measure, None if pd.isna(r.value) else r.value, r.constraint)
            for r in df.itertuples()}


# ---------------------------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("span, expected", [
    ("8-8.5%", (8.0, 8.5, "%")),
    ("6%－6.5%", (6.0, 6.5, "%")),
    ("4.5%—5%", (4.5, 5.0, "%")),
    ("百分之八", (8.0, None, "%")),
    ("一千一百亿元", (1100.0, None, "亿元")),
    ("7.0‰", (7.0, None, "‰")),
    ("3.5％", (3.5, None, "%")),
    ("1O％", (10.0, None, "%")),
    ("2个百分点", (2.0, None, "个百分点")),
])
def test_number_spans_are_converted_with_their_unit(span, expected):
    match = VALUE_RE.match(span)
    assert match is not None
    assert parse_value_match(match) == expected


def test_a_slogan_numeral_is_not_a_number():
    assert VALUE_RE.search("确定“三个千亿”目标") is None
    assert parse_number("千亿") is None


# ---------------------------------------------------------------------------------------------
# Crafted sentences: targets
# ---------------------------------------------------------------------------------------------
def test_target_paragraph_values_qualifiers_and_constraints():
    out = run(plan="今年经济社会发展的主要预期目标是：地区生产总值增长7%以上，一般公共预算收入增长5%，"
                   "居民消费价格涨幅控制在3%左右，城镇登记失业率控制在4.5%以内，城镇新增就业5万人。")
    assert values(out, "target") == {
        ("gdp", "growth", 7.0, "floor"), ("budget_revenue", "growth", 5.0, "exact"),
        ("cpi", "growth", 3.0, "approx"), ("unemployment_registered", "rate", 4.5, "ceiling"),
        ("new_urban_jobs", "level", 5.0, "exact")}
    gdp = out[out.indicator_code == "gdp"].iloc[0]
    assert (gdp["qualifier"], gdp["year"], gdp["unit"]) == ("以上", 2022, "%")
    assert out[out.indicator_code == "cpi"].iloc[0]["qualifier"] == "控制在…左右"


def test_ranges_fill_value_and_value_high():
    out = run(plan="主要预期目标是：地区生产总值增长8-8.5%，固定资产投资增长6%－6.5%，"
                   "社会消费品零售总额增长4.5%—5%。")
    got = {(r.indicator_code, r.value, r.value_high, r.constraint) for r in out.itertuples()}
    assert got == {("gdp", 8.0, 8.5, "range"), ("fixed_asset_investment", 6.0, 6.5, "range"),
                   ("retail_sales", 4.5, 5.0, "range")}


def test_chinese_numerals_in_a_target():
    out = run(plan="主要预期目标是：生产总值增长百分之八左右，一般公共预算收入达到一千一百亿元。")
    assert values(out) == {("gdp", "growth", 8.0, "approx"),
                           ("budget_revenue", "level", 1100.0, "exact")}


def test_a_decline_is_negative_and_its_floor_becomes_a_ceiling():
    out = run(plan="主要预期目标是：单位生产总值能耗下降3%以上，居民消费价格上涨2%。")
    assert values(out) == {("energy_intensity", "growth", -3.0, "ceiling"),
                           ("cpi", "growth", 2.0, "exact")}


def test_enumerations_pair_names_with_values():
    out = run(plan="主要预期目标是：城乡居民人均可支配收入分别增长8%、8.8%，"
                   "城镇调查失业率和城镇登记失业率分别控制在5.5%和4.5%以内，"
                   "进出口总额、实际利用外资分别增长20%。")
    assert values(out) == {
        ("urban_income", "growth", 8.0, "exact"), ("rural_income", "growth", 8.8, "exact"),
        ("unemployment_surveyed", "rate", 5.5, "ceiling"),
        ("unemployment_registered", "rate", 4.5, "ceiling"),
        ("trade", "growth", 20.0, "exact"), ("fdi", "growth", 20.0, "exact")}


def test_a_joint_income_mention_with_one_value_is_not_split_by_guess():
    out = run(plan="主要预期目标是：城乡居民收入增长9%以上。")
    assert values(out) == {("urban_rural_income", "growth", 9.0, "floor")}


def test_relative_targets_set_relative_to_and_keep_the_margin():
    out = run(plan="主要预期目标：生产总值增速高于全省1个百分点左右；规模以上工业增加值、"
                   "固定资产投资增速高于全省平均水平。")
    gdp = out[out.indicator_code == "gdp"].iloc[0]
    assert (gdp["constraint"], gdp["relative_to"], gdp["value"], gdp["unit"]) == (
        "relative", "全省", 1.0, "个百分点")
    assert gdp["qualifier"] == "高于…左右"
    others = out[out.indicator_code != "gdp"]
    assert set(others.indicator_code) == {"industrial_va", "fixed_asset_investment"}
    assert others["value"].isna().all() and (others["relative_to"] == "全省").all()


def test_qualitative_targets_have_no_value():
    out = run(plan="主要预期目标是：居民收入增长与经济增长基本同步，出口总额与2019年持平。")
    got = {(r.indicator_code, r.qualifier, r.relative_to, r.constraint) for r in out.itertuples()}
    assert got == {("resident_income", "基本同步", "经济增长", "qualitative"),
                   ("exports", "持平", "2019年", "qualitative")}
    assert out["value"].isna().all()


def test_a_five_year_average_next_to_the_annual_target_is_never_the_annual_target():
    out = run(plan="主要预期目标是：生产总值增长8%，年均增长7%左右。")
    assert set(zip(out["kind"], out["value"])) == {("target", 8.0), ("period_target", 7.0)}
    out = run(plan="主要预期目标是：生产总值增长8%，“十四五”时期年均增长7%左右。")
    assert set(zip(out["kind"], out["value"])) == {("target", 8.0)}


def test_a_five_year_plan_paragraph_gives_period_targets_with_its_years():
    out = run(plan="“十四五”时期经济社会发展的主要目标是：地区生产总值年均增长7%左右，"
                   "到2025年达到5000亿元，常住人口城镇化率达到60%。")
    assert set(out["kind"]) == {"period_target"}
    assert set(zip(out["measure"], out["value"], out["year"], out["period_start"])) == {
        ("growth", 7.0, 2025, 2021), ("level", 5000.0, 2025, 2021), ("rate", 60.0, 2025, 2021)}


def test_last_years_outcome_quoted_in_the_plan_is_not_a_target():
    out = run(review="去年全市生产总值增长6%。",
              plan="去年生产总值增长6%，全省财政收入预期增长7%。主要预期目标是：生产总值增长7%左右。")
    assert values(out, "target") == {("gdp", "growth", 7.0, "approx")}
    assert values(out, "actual") == {("gdp", "growth", 6.0, "exact")}


def test_last_years_targets_recalled_in_the_review_are_not_this_years():
    out = run(review="年初确定的主要预期目标是：生产总值增长8%，实际增长8.5%。",
              plan="去年确定的主要目标是：生产总值增长8%。今年主要预期目标是：生产总值增长7%左右。")
    assert values(out, "target") == {("gdp", "growth", 7.0, "approx")}
    assert values(out, "actual") == set()


def test_the_explanation_after_a_target_list_is_not_read_again():
    out = run(plan="主要预期目标是：生产总值增长8.5%左右。生产总值预期增长8.5%左右，充分考虑了"
                   "各方面因素。今年，全省财政收入预期增长7%，低于经济增长1个百分点。")
    assert len(out) == 1


def test_shares_contributions_and_sub_aggregates_are_not_the_indicator():
    out = run(plan="主要预期目标是：研发投入占地区生产总值比重达到2.5%，科技进步对经济增长贡献率"
                   "达到60%，生产总值增长9%以上，其中第一产业增长4.5%，第二产业增长11.5%。")
    assert values(out) == {("gdp", "growth", 9.0, "floor")}


def test_quoted_slogans_and_formulas_are_not_numbers():
    out = run(review="全年生产总值增长6%，确定“三个千亿”目标，实施“3+5+X”工程，"
                     "全力打造“1000亿元生产总值”城市。")
    assert values(out) == {("gdp", "growth", 6.0, "exact")}


def test_a_footnote_marker_glued_after_a_name_is_stepped_over():
    out = run(review="全年地区生产总值3增长8.1%，规上工业增加值16增长9%。")
    assert values(out) == {("gdp", "growth", 8.1, "exact"), ("industrial_va", "growth", 9.0, "exact")}


def test_a_footnote_marker_glued_after_a_number_is_not_part_of_it():
    out = run(review="全区实现地区生产总值366.51亿元1，增长6.5%2；财政总收入增长6.6%12，"
                     "规上工业增加值增长7.5%16任务。")
    assert values(out) == {("gdp", "level", 366.51, "exact"), ("gdp", "growth", 6.5, "exact"),
                           ("fiscal_revenue", "growth", 6.6, "exact"),
                           ("industrial_va", "growth", 7.5, "exact")}


# ---------------------------------------------------------------------------------------------
# Crafted sentences: outcomes
# ---------------------------------------------------------------------------------------------
def test_review_values_chain_level_and_growth_and_negative_growth():
    out = run(review="全市生产总值完成2742.06亿元，增长7.4%；社会消费品零售总额增长-2.6%，"
                     "固定资产投资下降3%。")
    assert values(out, "actual") == {
        ("gdp", "level", 2742.06, "exact"), ("gdp", "growth", 7.4, "exact"),
        ("retail_sales", "growth", -2.6, "exact"), ("fixed_asset_investment", "growth", -3.0, "exact")}
    assert set(out["year"]) == {2021}


def test_two_levels_then_shared_growth_rates_with_fenbie():
    out = run(review="城镇居民人均可支配收入达13702元，农民人均纯收入4861元，分别增长11.3%、15.3%。")
    assert values(out) == {
        ("urban_income", "level", 13702.0, "exact"), ("rural_income", "level", 4861.0, "exact"),
        ("urban_income", "growth", 11.3, "exact"), ("rural_income", "growth", 15.3, "exact")}


def test_average_growth_is_a_period_actual_never_the_years_growth():
    out = run(review="全市生产总值达到1794.5亿元，同比增长8.5%，增幅居全省第5位，年均增长9.2%。"
                     "固定资产投资、社会消费品零售总额年均增长9.4%、6.5%。")
    assert values(out, "actual") == {("gdp", "level", 1794.5, "exact"),
                                     ("gdp", "growth", 8.5, "exact")}
    assert values(out, "period_actual") == {
        ("gdp", "growth", 9.2, "exact"), ("fixed_asset_investment", "growth", 9.4, "exact"),
        ("retail_sales", "growth", 6.5, "exact")}


def test_five_year_review_growth_is_period_unless_the_text_turns_to_last_year():
    out = run(review="五年来，生产总值年均增长7%，单位生产总值能耗下降18%。\n"
                     "过去的一年，生产总值增长6.1%。", review_type="term_review")
    assert set(zip(out["kind"], out["indicator_code"], out["value"])) == {
        ("period_actual", "gdp", 7.0), ("period_actual", "energy_intensity", -18.0),
        ("actual", "gdp", 6.1)}
    assert out[out.kind == "period_actual"]["period_start"].tolist() == [2017, 2017]


def test_a_year_named_before_a_level_dates_it_and_since_year_starts_a_period():
    out = run(review="2020年生产总值达2859亿元，比2015年增加800亿元，年均增长7.3%。",
              review_type="term_review")
    assert set(zip(out["kind"], out["value"], out["year"], out["period_start"])) == {
        ("actual", 2859.0, 2020, pd.NA), ("period_actual", 7.3, 2021, 2016)} or set(
        (r.kind, r.value, r.year) for r in out.itertuples()) == {
        ("actual", 2859.0, 2020), ("period_actual", 7.3, 2021)}
    assert out[out.kind == "period_actual"]["period_start"].tolist() == [2016]


def test_county_and_province_figures_in_a_review_are_skipped():
    out = run(review="县域生产总值达到411亿元，增长11.5%。全省生产总值增长7%。全市生产总值增长8%。")
    assert values(out) == {("gdp", "growth", 8.0, "exact")}


def test_quantities_of_parts_of_the_region_are_skipped():
    out = run(review="高新区规上工业实现税收收入32.8亿元，增长11.6%。5个县一般公共预算收入超10亿元。"
                     "西平、遂平城镇化率均达到40%以上。产业集聚区固定资产投资增长15.1%。"
                     "全市税收收入增长9%。")
    assert values(out) == {("tax_revenue", "growth", 9.0, "exact")}


def test_a_bullet_list_of_plan_goals_is_read_to_the_end_of_its_paragraph():
    out = run(plan="今后五年的主要奋斗目标是：——经济发展再上新台阶。综合实力明显增强，产业结构更加合理。"
                   "——人民生活明显改善。城镇化率达到50%左右，居民收入增长和经济增长同步。")
    assert set(zip(out["indicator_code"], out["kind"], out["constraint"], out["year"])) == {
        ("urbanization_rate", "period_target", "approx", 2026),
        ("resident_income", "period_target", "qualitative", 2026)}


def test_ascii_punctuation_and_full_width_percent_and_digits():
    out = run(plan="主要预期目标是:地区生产总值增长７.５％左右,城镇调查失业率控制在5.5%以内;"
                   "居民消费价格涨幅3%。")
    assert values(out) == {("gdp", "growth", 7.5, "approx"),
                           ("unemployment_surveyed", "rate", 5.5, "ceiling"),
                           ("cpi", "growth", 3.0, "exact")}


def test_the_national_report_reads_national_figures():
    meta = dict(META, region_level="national")
    out = run(plan="今年发展主要预期目标是：全国国内生产总值增长5%左右；城镇新增就业1200万人以上，"
                   "城镇调查失业率5.5%左右；居民消费价格涨幅3%左右；居民收入增长和经济增长同步；"
                   "单位国内生产总值能耗降低2%左右；粮食产量1.3万亿斤以上。", meta=meta)
    assert values(out) == {
        ("gdp", "growth", 5.0, "approx"), ("new_urban_jobs", "level", 1200.0, "floor"),
        ("unemployment_surveyed", "rate", 5.5, "approx"), ("cpi", "growth", 3.0, "approx"),
        ("resident_income", "growth", None, "qualitative"),
        ("energy_intensity", "growth", -2.0, "approx"), ("grain_output", "level", 1.3, "floor")}


def test_a_province_report_reads_its_own_province_figures():
    meta = dict(META, region_level="province")
    out = run(review="全省生产总值增长7%。", meta=meta)
    assert values(out) == {("gdp", "growth", 7.0, "exact")}


def test_without_review_sections_outcomes_come_from_before_the_targets():
    text = "一年来，生产总值增长6%。\n主要预期目标是：生产总值增长7%。\n要确保生产总值增长5%以上。"
    _, sections, sentences = frames([("other", text)])
    out = extract_indicators(text + "\n", sections, sentences, META)
    assert set(zip(out["kind"], out["value"])) == {("actual", 6.0), ("target", 7.0)}


REPORT_ALPHABET = ("生产总值增长下降达到以上左右以内控制在%％‰亿元万人个百分点年均同比，。；、“”（）"
                   "0123456789.-—～主要预期目标是：城乡居民人均可支配收入分别和与全省高于同步持平"
                   "GDP经济增长十四五时期今年去年过去的一年五年来累计其中占比重★\n")


@settings(max_examples=150, deadline=None)
@given(body=st.text(alphabet=REPORT_ALPHABET, max_size=160),
       section_type=st.sampled_from(["review", "term_review", "plan", "other"]))
def test_any_text_gives_rows_whose_spans_start_with_the_mention(body, section_type):
    text, sections, sentences = frames([("preamble", "测试"), (section_type, body)])
    out = extract_indicators(text, sections, sentences, META)
    assert list(out.columns) == COLUMNS
    for row in out.itertuples():
        assert text[row.char_start:row.char_end].startswith(row.mention)
        assert row.kind in {"actual", "target", "period_actual", "period_target"}
        assert row.constraint in {"floor", "approx", "ceiling", "range", "exact", "relative",
                                  "qualitative"}
        if row.constraint == "qualitative":
            assert pd.isna(row.value)  # never a guessed number
        if row.constraint == "range":
            assert row.value_high > row.value or row.value_high == row.value


def test_empty_inputs_give_an_empty_frame_with_the_columns():
    out = extract_indicators("", pd.DataFrame(), pd.DataFrame(), {})
    assert list(out.columns) == COLUMNS and len(out) == 0


# ---------------------------------------------------------------------------------------------
# The sample reports (real stages)
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def sample(name: str) -> pd.DataFrame:
    from govreports.clean import clean_text
    from govreports.metadata import extract_metadata
    from govreports.read import read_raw
    from govreports.structure import parse_sections, split_sentences

    path = next(RAW.glob(f"*/{name}*.txt"))
    text = clean_text(read_raw(path).raw).text
    sections = parse_sections(text)
    sentences = split_sentences(text, sections)
    return extract_indicators(text, sections, sentences, extract_metadata(text, sections))


F, A, C, E, R, Q = "floor", "approx", "ceiling", "exact", "relative", "qualitative"
G, RT, L, CH = "growth", "rate", "level", "change"

# Every report's target paragraph, read by hand: (code, measure, value, constraint).
TARGETS = {
    "000_": [("gdp", G, 7, F), ("budget_revenue", G, 5, E), ("industrial_va", G, 8, F),
             ("fixed_asset_investment", G, 8.5, F), ("retail_sales", G, 10, F), ("fdi", G, 6, F),
             ("urban_income", G, 7.5, A), ("rural_income", G, 8, A), ("cpi", G, 3, C),
             ("unemployment_registered", RT, 4.5, C)],
    "001_": [("gdp", G, 9.5, F), ("industrial_va", G, 13, F), ("fixed_asset_investment", G, 10, F),
             ("budget_revenue", G, 8, F), ("retail_sales", G, 12, F), ("trade", G, 20, F),
             ("cpi", G, 3.5, C), ("unemployment_surveyed", RT, None, R),
             ("resident_income", G, None, Q), ("grain_output", L, 50, F)],
    "002_": [("gdp", G, 8, "range"), ("fiscal_revenue", G, 3, E), ("budget_revenue", G, 3.5, E),
             ("fixed_asset_investment", G, 9.5, E), ("industrial_va", G, 6, E),
             ("retail_sales", G, 10, E), ("fdi", G, 17, E), ("domestic_capital", G, 15.8, E),
             ("exports", G, None, Q)],
    "003_": [("gdp", G, 5.5, F), ("budget_revenue", G, 4.5, E), ("fixed_asset_investment", G, 7, E),
             ("industrial_va", G, 7, E), ("retail_sales", G, 6, E), ("fdi", G, 18, E),
             ("new_urban_jobs", L, 5, E), ("unemployment_registered", RT, 4, C),
             ("resident_income", G, None, Q), ("cpi", G, 3, A)],
    "004_": [("gdp", G, 5.3, A), ("industrial_va", G, 8, A), ("budget_revenue", G, 3, A),
             ("fixed_asset_investment", G, 8, F), ("retail_sales", G, 6.8, A),
             ("urban_income", G, 3.9, A)],
    "2002_": [("gdp", G, 9, F), ("gdp", G, 10, F), ("fixed_asset_investment", G, 14, E),
              ("retail_sales", G, 10, E), ("budget_revenue", G, 8, E), ("urban_income", G, 8, E),
              ("rural_income", G, 5, E), ("exports", G, 10, E), ("population_growth", RT, 7, C),
              ("unemployment_registered", RT, 3.5, C)],
    "2003_": [("gdp", G, 10, E), ("fixed_asset_investment", G, 11, E), ("retail_sales", G, 10.5, E),
              ("fiscal_revenue", G, None, Q), ("exports", G, 12, E), ("urban_income", G, 8, E),
              ("rural_income", G, 5, E), ("population_growth", RT, 7, C),
              ("unemployment_registered", RT, 4.5, C)],
    "2004_": [("gdp", G, 11.5, E), ("fixed_asset_investment", G, 19.4, E), ("retail_sales", G, 9, E),
              ("exports", G, 12, E), ("fiscal_revenue", G, None, Q), ("urban_income", G, 8, E),
              ("rural_income", G, 9, E), ("unemployment_registered", RT, 4, C),
              ("population_growth", RT, 5.6, C)],
    "2005_": [("gdp", G, 10, E), ("fixed_asset_investment", G, 18, E), ("retail_sales", G, 9, E),
              ("budget_revenue", G, 10, E), ("exports", G, 16, E), ("fdi", G, 25, E),
              ("urban_income", G, 7, E), ("rural_income", G, 5, E), ("new_urban_jobs", L, 3.5, E),
              ("unemployment_registered", RT, 4.5, C), ("population_growth", RT, 6, C)],
    "2006_": [("gdp", G, 12, E), ("industrial_va", G, 25, E), ("fixed_asset_investment", G, 30, E),
              ("budget_revenue", G, 12, E), ("retail_sales", G, 13, E), ("urban_income", G, 8, E),
              ("rural_income", G, 6, E), ("new_urban_jobs", L, 4.2, E),
              ("unemployment_registered", RT, 4.5, C), ("population_growth", RT, 6, C)],
    "2007_": [("gdp", G, 11, F), ("industrial_va", G, 20, F), ("fixed_asset_investment", G, 30, E),
              ("retail_sales", G, 14, F), ("budget_revenue", G, 13, F), ("urban_income", G, 8, E),
              ("rural_income", G, 5, E), ("unemployment_registered", RT, 4, C),
              ("energy_intensity", G, -4, A), ("population_growth", RT, 6, C)],
    "2008_": [("gdp", G, 13, E), ("industrial_va", G, 20, F), ("fixed_asset_investment", G, 35, E),
              ("retail_sales", G, 14, F), ("budget_revenue", G, 14, E), ("urban_income", G, 10, E),
              ("rural_income", G, 6, E), ("population_growth", RT, 6, C),
              ("unemployment_registered", RT, 4.5, C), ("energy_intensity", G, -5, E)],
    "2009_": [("gdp", G, 11, E), ("industrial_va", G, 15, F), ("fixed_asset_investment", G, 30, E),
              ("retail_sales", G, 14, F), ("budget_revenue", G, 10, E), ("urban_income", G, 8, E),
              ("rural_income", G, 6, E), ("population_growth", RT, 6, C),
              ("unemployment_registered", RT, 4.4, C)],
    "2010_": [("gdp", G, 12, E), ("industrial_va", G, 15, F), ("fixed_asset_investment", G, 30, E),
              ("retail_sales", G, 16, E), ("fiscal_revenue", G, 8, E), ("budget_revenue", G, 12, E),
              ("unemployment_registered", RT, 4.4, C), ("urban_income", G, 8, E),
              ("rural_income", G, 6, E), ("population_growth", RT, 6, C)],
    "2014_二O一一": [("gdp", G, 11, F), ("industrial_va", G, 18, E),
                   ("fixed_asset_investment", G, 18, E), ("fixed_asset_investment", G, 20, E),
                   ("retail_sales", G, 17, E), ("budget_revenue", G, 13, E),
                   ("population_growth", RT, 6.5, C), ("cpi", G, 4, A)],
    "2014_二O一二": [("gdp", G, 10, F), ("industrial_va", G, 18, F), ("budget_revenue", G, 13, F),
                   ("fixed_asset_investment", G, 21, F), ("retail_sales", G, 17, E),
                   ("cpi", G, 4, A), ("population_growth", RT, 6.5, C), ("new_urban_jobs", L, 5, E)],
    "2014_二O一三": [("gdp", G, 10, A), ("industrial_va", G, 17, A),
                   ("fixed_asset_investment", G, 21, E), ("budget_revenue", G, 13, E),
                   ("retail_sales", G, 15, E), ("urban_rural_income", G, 9, F),
                   ("new_urban_jobs", L, 6, F), ("population_growth", RT, 6.5, C), ("cpi", G, 3.5, C),
                   ("urbanization_rate", CH, 1.5, F)],
    "2014_二O一四": [("gdp", G, 9.5, A), ("budget_revenue", G, 13, E), ("industrial_va", G, 15, E),
                   ("fixed_asset_investment", G, 21, E), ("retail_sales", G, 14, E),
                   ("urban_rural_income", G, 9, E), ("urbanization_rate", CH, 2, A),
                   ("new_urban_jobs", L, 6, E), ("population_growth", RT, 6.5, C), ("cpi", G, 3.5, A)],
    "2015_": [("gdp", G, 8, F), ("industrial_va", G, 11, E), ("fixed_asset_investment", G, 17, E),
              ("budget_revenue", G, 11, E), ("retail_sales", G, 12, E),
              ("urban_rural_income", G, 9, F), ("new_urban_jobs", L, 4.8, E), ("cpi", G, 3, C),
              ("urbanization_rate", CH, 1.5, F)],
    "2016_": [("gdp", G, 8.5, A), ("budget_revenue", G, 8.5, E), ("fixed_asset_investment", G, 16, E),
              ("retail_sales", G, 12, E), ("trade", G, 8, E), ("new_urban_jobs", L, 5, F),
              ("urbanization_rate", CH, 1.5, E), ("urban_income", G, 8, E), ("rural_income", G, 9, E),
              ("cpi", G, 2, A)],
    "2017_": [("gdp", G, 8, F), ("industrial_va", G, 8.5, E), ("budget_revenue", G, 9, E),
              ("fixed_asset_investment", G, 14, E), ("retail_sales", G, 12, E),
              ("new_urban_jobs", L, 5, F), ("urban_rural_income", G, None, Q),
              ("urbanization_rate", CH, 1.5, E), ("cpi", G, 3, C)],
    "2018_": [("gdp", G, 8.5, A), ("industrial_va", G, 9, A), ("fixed_asset_investment", G, 12, E),
              ("retail_sales", G, 11.5, E), ("budget_revenue", G, 10, E), ("new_urban_jobs", L, 5, F),
              ("urbanization_rate", CH, 1.5, F), ("cpi", G, 3, C), ("urban_rural_income", G, None, Q)],
    "2019_": [("gdp", G, 8, F), ("industrial_va", G, 8, F), ("fixed_asset_investment", G, 10, F),
              ("retail_sales", G, 10, F), ("budget_revenue", G, 10, A), ("cpi", G, 3, C),
              ("urbanization_rate", CH, 1.5, F), ("energy_intensity", G, -1, C),
              ("resident_income", G, 9, F), ("unemployment_surveyed", RT, 5.5, C),
              ("unemployment_registered", RT, 4.5, C)],
    # 2020: no numeric growth target at all, only "higher than the province" and "in step with GDP".
    "2020_": [("gdp", G, 1, R), ("industrial_va", G, None, R), ("fixed_asset_investment", G, None, R),
              ("retail_sales", G, None, R), ("budget_revenue", G, None, R),
              ("resident_income", G, None, Q)],
    "2021_": [("gdp", G, 8, A), ("industrial_va", G, 8, A), ("fixed_asset_investment", G, 7, F),
              ("retail_sales", G, 10, E), ("budget_revenue", G, 7.5, E),
              ("urbanization_rate", CH, 1.5, A), ("cpi", G, 3, A), ("new_urban_jobs", L, 5.5, E),
              ("unemployment_surveyed", RT, 5, C), ("grain_output", L, 160, F)],
    "2022_": [("gdp", G, 8, A), ("industrial_va", G, 8, A), ("fixed_asset_investment", G, 10, F),
              ("retail_sales", G, 9, A), ("budget_revenue", G, 5.5, E),
              ("urban_rural_income", G, None, Q), ("unemployment_surveyed", RT, 5.5, C),
              ("cpi", G, 3, C), ("urbanization_rate", CH, 2, A)],
    "2023_": [("gdp", G, 7, A), ("urbanization_rate", CH, 1.5, A), ("industrial_va", G, 7.5, A),
              ("fixed_asset_investment", G, 10, E), ("retail_sales", G, 7, A),
              ("budget_revenue", G, 5.5, E), ("unemployment_surveyed", RT, 5.5, C),
              ("resident_income", G, None, Q), ("cpi", G, 3, A)],
    "2024_": [("gdp", G, 6.5, A), ("industrial_va", G, 6.5, E), ("fixed_asset_investment", G, 8, E),
              ("retail_sales", G, 8, E), ("budget_revenue", G, 5.5, E), ("trade", G, 3, F),
              ("unemployment_surveyed", RT, 5.5, A), ("cpi", G, 3, C), ("resident_income", G, None, Q)],
    "2025_": [("gdp", G, 6.5, A), ("industrial_va", G, 8, E), ("fixed_asset_investment", G, 8, E),
              ("retail_sales", G, 7, E), ("budget_revenue", G, 4.5, A),
              ("unemployment_surveyed", RT, 5.5, A), ("cpi", G, 2, A), ("resident_income", G, None, Q),
              ("grain_output", L, 160, F)],
    "2026_": [("gdp", G, 5.5, A), ("industrial_va", G, 7.5, A), ("fixed_asset_investment", G, 5, A),
              ("retail_sales", G, 6, A), ("budget_revenue", G, 4, A),
              ("unemployment_surveyed", RT, 5.5, A), ("new_urban_jobs", L, 6, A), ("cpi", G, 2, A),
              ("resident_income", G, None, Q), ("grain_output", L, 160, F)],
}

# GDP outcomes as stated in each report's review: (kind, measure, value).
GDP_OUTCOMES = {
    "000_": [("actual", G, 8.7), ("actual", L, 1102.3)],
    "001_": [("actual", L, 890), ("actual", G, 5.5)],
    "002_": [("actual", L, 366.51), ("actual", G, 6.5)],
    "003_": [("actual", L, 4763), ("period_actual", G, 5.8), ("actual", G, 9.4)],
    "004_": [("actual", L, 447.1), ("actual", G, 4.2)],
    "2002_": [("actual", L, 306.2), ("actual", G, 8.1)],
    "2003_": [("actual", L, 332), ("actual", G, 10.2)],
    "2004_": [("actual", L, 345.7), ("actual", G, 1.8)],
    "2005_": [("actual", L, 444.7), ("actual", G, 14.6)],
    "2006_": [("actual", L, 496.25), ("actual", G, 12.1)],
    "2007_": [("actual", L, 570.8), ("period_actual", G, 10)],
    "2008_": [("actual", L, 686.4), ("actual", G, 13.4)],
    "2009_": [("actual", L, 813), ("actual", G, 11.8)],
    "2010_": [("actual", L, 903), ("actual", G, 11.5)],
    "2014_二O一一": [("actual", L, 1055.45), ("actual", G, 11.6), ("actual", L, 1000),
                   ("period_actual", G, 12.4)],
    "2014_二O一二": [("actual", L, 1259.9), ("period_actual", G, 12)],
    "2014_二O一三": [("actual", L, 1387), ("actual", G, 10.4)],
    "2014_二O一四": [("actual", L, 1542), ("actual", G, 9.5)],
    "2015_": [("actual", L, 1691.3), ("actual", G, 8.4)],
    "2016_": [("actual", L, 1807.1), ("period_actual", G, 9.7), ("actual", G, 8.9)],
    "2017_": [("actual", L, 1794.5), ("actual", G, 8.5), ("period_actual", G, 9.2)],
    "2018_": [("actual", L, 2000), ("actual", G, 8.3)],
    "2019_": [("actual", L, 2370.3), ("actual", G, 8.5)],
    "2020_": [("actual", L, 2742.06), ("actual", G, 7.4)],
    "2021_": [("actual", G, 3.6), ("actual", L, 2859), ("period_actual", G, 7.3)],
    "2022_": [("actual", L, 3082.8), ("actual", G, 7.2)],
    "2023_": [("actual", L, 3257.4), ("period_actual", G, 6.3)],
    "2024_": [("actual", G, 4.5)],
    "2025_": [("actual", L, 3342.7), ("actual", G, 6.1)],
    "2026_": [("actual", L, 3500), ("period_actual", G, 5.8), ("actual", G, 6)],
}


def _norm(rows):
    return sorted((c, m, None if v is None else float(v), k) for c, m, v, k in rows)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_every_target_paragraph_of_the_samples(name):
    out = sample(name)
    got = [(r.indicator_code, r.measure, None if pd.isna(r.value) else float(r.value), r.constraint)
           for r in out[out["kind"] == "target"].itertuples()]
    assert sorted(got, key=str) == sorted(_norm(TARGETS[name]), key=str)


@pytest.mark.parametrize("name", sorted(GDP_OUTCOMES))
def test_gdp_outcomes_of_every_sample(name):
    out = sample(name)
    gdp = out[(out["indicator_code"] == "gdp") & out["kind"].isin(["actual", "period_actual"])]
    got = sorted((r.kind, r.measure, float(r.value)) for r in gdp.itertuples())
    assert got == sorted((k, m, float(v)) for k, m, v in GDP_OUTCOMES[name])


def test_sample_gdp_outcomes_are_dated_to_the_review_year():
    out = sample("2022_")
    growth = out[(out.indicator_code == "gdp") & (out.kind == "actual") & (out.measure == G)]
    assert growth["year"].tolist() == [2021]


def test_sample_five_year_plan_targets():
    out = sample("2014_二O一一")  # the 2011 report with the 十二五 plan
    plan = out[(out.kind == "period_target") & (out.indicator_code == "gdp")]
    assert set(zip(plan.measure, plan.value, plan.year, plan.period_start)) == {
        (G, 11.0, 2015, 2011), (L, 1770.0, 2015, 2011)}
    out = sample("2007_")  # 今后五年: 2007-2011
    plan = out[(out.kind == "period_target") & (out.indicator_code == "gdp")]
    assert set(zip(plan.measure, plan.value, plan.constraint, plan.year)) == {
        (G, 11.0, F, 2011), (L, 1000.0, A, 2011)}


def test_sample_plan_goals_of_the_15th_five_year_plan_are_relative_and_qualitative():
    out = sample("2026_")
    plan = out[out.kind == "period_target"]
    assert set(zip(plan.indicator_code, plan.constraint, plan.relative_to, plan.year)) == {
        ("industrial_va", R, "全省", 2030), ("resident_income", Q, "经济增长", 2030)}


def test_columns_and_dtypes():
    out = sample("2024_")
    assert list(out.columns) == COLUMNS
    assert str(out["value"].dtype) == "Float64" and str(out["year"].dtype) == "Int64"


# The context cues of every review name are read from one scan of the text (_TextMatches.last);
# it must find exactly what a search of the name's own window finds, wherever the window starts
# and ends (inside a cue word, right before 以来 …).
CUE_PIECES = ["五年来", "过去五年", "五年", "年来", "十三五", "十三五期间", "十三五”时期", "“十四五”时期",
              "过去的一年", "过去一年", "一年来", "去年", "全年", "2021年", "2021年以来", "2021", "年以",
              "以来", "，", "增长", "生产总值", "\n"]


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(CUE_PIECES), max_size=60),
       windows=st.lists(st.tuples(st.integers(0, 200), st.integers(0, 200)), min_size=1, max_size=8),
       review_year=st.sampled_from([2021, None]))
def test_context_cues_from_one_scan_equal_a_search_of_each_window(pieces, windows, review_year):
    from govreports.indicators import _TextMatches, _annual_context_re, _grammar

    text = "".join(pieces)
    g = _grammar()
    for pattern in (g.period_context_re, _annual_context_re(review_year)):
        scan, unordered_scan = _TextMatches(pattern, text), _TextMatches(pattern, text)
        for lo, hi in sorted((min(a, b), max(a, b)) for a, b in windows):
            hi = min(hi, len(text))
            expected = None
            for expected in pattern.finditer(text, lo, hi):
                pass
            got = scan.last(lo, hi, g.cue_reach)
            assert (got and got.span()) == (expected and expected.span())
        # questions in any order: the scan only goes on as far as the furthest one so far
        for lo, hi in ((min(a, b), min(max(a, b), len(text))) for a, b in windows):
            expected = None
            for expected in pattern.finditer(text, lo, hi):
                pass
            got = unordered_scan.last(lo, hi, g.cue_reach)
            assert (got and got.span()) == (expected and expected.span())
            # a small reach, so that the shared part of the scan is exercised on short texts too
            got = _TextMatches(pattern, text).last(lo, hi, 8)
            assert (got and got.span()) == (expected and expected.span())


def test_a_cue_just_past_an_earlier_question_is_found_by_a_later_one():
    from govreports.indicators import _TextMatches, _grammar

    g = _grammar()
    text = "甲" * 20 + "五年来" + "甲" * 60
    scan = _TextMatches(g.period_context_re, text)
    assert scan.last(0, 25, g.cue_reach) is not None   # the scan stops before the cue …
    assert scan.last(0, 40, g.cue_reach).span() == (20, 23)  # … and a later question reads it
    assert scan.last(0, 18, g.cue_reach) is None


@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(st.sampled_from(["“", "”", "《", "》", "「", "」", '"', "甲", "\n", "乙丙丁",
                                        "“" + "长" * 39, "《" + "长" * 79, "《" + "长" * 80]),
                       max_size=80),
       positions=st.lists(st.integers(0, 120), max_size=10))
def test_quote_lookup_equals_the_quotes_of_the_whole_text(pieces, positions):
    from govreports.indicators import _QUOTE_RE, _LineQuotes

    text = "".join(pieces)
    spans = [m.span() for m in _QUOTE_RE.finditer(text)]
    scan = _LineQuotes(text)
    for pos in positions:
        assert scan.covers(pos) == any(start <= pos < end for start, end in spans)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(["主要预期目标是", "主要目标：", "目标任务包括", "主要", "预期", "目标",
                                        "指标", "标", "是", "：", "任务包括", "奋斗", "主要预期指标是", "，",
                                        "为", ":", "任", "标为", "目标的"]),
                       max_size=40))
def test_target_cues_found_around_the_anchor_equal_a_scan_of_the_text(pieces):
    from govreports.indicators import _grammar, _target_cues

    text = "".join(pieces)
    expected = [m.span() for m in _grammar().target_cue_re.finditer(text)]
    assert [m.span() for m in _target_cues(text)] == expected


@given(pieces=st.lists(st.sampled_from(["累计", "累", "计", "今", "未", "后", "来", "五", "年", "五年", "未来五年",
                                        "五年来", "甲", "，"]), max_size=30),
       window=st.tuples(st.integers(0, 60), st.integers(0, 60)))
def test_total_context_with_the_look_behind_after_five_equals_the_plain_pattern(pieces, window):
    from govreports.indicators import _TOTAL_CONTEXT_RE

    plain = re.compile(r"累计|(?<![今未后来])五年(?!来)")
    text = "".join(pieces)
    assert [m.span() for m in _TOTAL_CONTEXT_RE.finditer(text)] == [m.span() for m in plain.finditer(text)]
    lo, hi = sorted(window)
    fast, slow = _TOTAL_CONTEXT_RE.search(text, lo, hi), plain.search(text, lo, hi)
    assert (fast and fast.span()) == (slow and slow.span())


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(["生产总值", "生产", "总值", "人均生产总值", "财政收入", "增长8%", "。", "，",
                                        "\n", "甲乙", "城乡居民人均可支配收入", "居民"]), max_size=40),
       picked=st.lists(st.booleans(), max_size=40),
       limit_cut=st.integers(0, 3))
def test_review_names_equal_a_search_from_each_sentence(pieces, picked, limit_cut):
    from govreports.indicators import _context, _grammar, _review_names

    text, sections, sentences = frames([("review", "".join(pieces))])
    if len(sentences) == 0:
        return
    ctx = _context(text, sections, sentences, META)
    spans = [(i, i % 2 == 0) for i, keep in zip(range(len(ctx.sent_starts)), picked) if keep]
    spans = spans[:max(0, len(spans) - limit_cut)]
    search = _grammar().mention_re.search
    limit = ctx.sent_ends[spans[-1][0]] if spans else 0
    expected = []
    for idx, term_review in spans:
        start, end = ctx.sent_starts[idx], ctx.sent_ends[idx]
        ahead = search(text, start, limit)
        if ahead and ahead.start() < end:
            first = ahead if ahead.end() <= end else search(text, start, end)
            if first:
                expected.append((idx, term_review, first.span()))
    got = [(idx, term_review, first.span()) for idx, term_review, first in _review_names(ctx, spans)]
    assert got == expected


@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(st.sampled_from(["主要预期目标是", "主要目标：", "目标", "标", "预期", "是", "，", "甲"]),
                       max_size=30),
       window=st.tuples(st.integers(0, 80), st.integers(0, 80)))
def test_target_cue_check_with_the_anchor_equals_a_search(pieces, window):
    from govreports.indicators import _grammar, _has_target_cue

    text = "".join(pieces)
    lo, hi = sorted(window)
    assert _has_target_cue(text, lo, hi) == bool(_grammar().target_cue_re.search(text, lo, hi))


@given(text=st.text(alphabet="（(）)，,、；。甲8%\n", max_size=30))
def test_a_chain_note_or_clause_starts_with_one_of_the_chain_openers(text):
    from govreports.indicators import _ASIDE_RE, _CHAIN_CLAUSE_RE, _CHAIN_OPENERS

    # _follow_chain stops without matching them where the next character is none of these
    for pos in range(len(text) + 1):
        if text[pos:pos + 1] not in _CHAIN_OPENERS:
            assert _ASIDE_RE.match(text, pos) is None and _CHAIN_CLAUSE_RE.match(text, pos) is None
