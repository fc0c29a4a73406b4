"""Plot functions tested as functions, on small synthetic tables with the documented columns."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from govreports import figures, plots


# --------------------------------------------------------------------------------------------
# synthetic tables (documented columns, a few rows each)
# --------------------------------------------------------------------------------------------
def make_reports() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "report_id": ["zhumadian-2020", "zhumadian-2021", "zhumadian-2023", "jingdezhen-2022"],
            "region_name": ["驻马店市", "驻马店市", "驻马店市", "景德镇市"],
            "report_year": pd.array([2020, 2021, 2023, 2022], dtype="Int64"),
            "unresolved_chars": [0, 3, 0, 12],
            "speaker_name": ["甲", pd.NA, "丙", "胡雪梅"],
            "delivered_date": ["2020-01-10", "2021-01-12", pd.NA, "2022-01-23"],
        }
    )


def make_sections() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "section_id": [0, 1, 2, 3, 4],
            "parent_section_id": pd.array([pd.NA, pd.NA, 1, pd.NA, pd.NA], dtype="Int64"),
            "level": [0, 1, 2, 1, 1],
            "number": ["", "一", "（一）", "二", "三"],
            "title": ["", "2021年工作回顾", "经济运行", "2022年主要目标任务", "加强政府自身建设"],
            "section_type": ["preamble", "review", "review", "plan", "government"],
            "char_start": [0, 100, 150, 600, 900],
            "char_end": [100, 600, 400, 900, 1000],
            "n_chars": [100, 50, 250, 300, 100],
        }
    )


def make_indicators() -> pd.DataFrame:
    rows = [
        # report_id, code, name, kind, year, measure, value, high, qualifier, constraint
        ("zhumadian-2020", "gdp", "地区生产总值", "target", 2020, "growth", 7.0, np.nan, "左右", "approx"),
        ("zhumadian-2020", "budget_revenue", "一般公共预算收入", "target", 2020, "growth", 6.0, np.nan, "以上", "floor"),
        ("zhumadian-2021", "gdp", "地区生产总值", "actual", 2020, "growth", 3.9, np.nan, pd.NA, "exact"),
        ("zhumadian-2021", "gdp", "地区生产总值", "target", 2021, "growth", 7.0, 8.0, pd.NA, "range"),
        ("zhumadian-2021", "budget_revenue", "一般公共预算收入", "target", 2021, "growth", 6.0, np.nan, "力争", "floor"),
        ("zhumadian-2021", "cpi", "居民消费价格", "target", 2021, "growth", 3.0, np.nan, "控制在", "ceiling"),
        ("zhumadian-2023", "gdp", "地区生产总值", "target", 2023, "growth", 6.5, np.nan, "确保", "floor"),
        ("zhumadian-2023", "gdp", "地区生产总值", "target", 2023, "growth", np.nan, np.nan, "同步", "qualitative"),
        ("jingdezhen-2022", "gdp", "地区生产总值", "target", 2022, "growth", 8.5, np.nan, pd.NA, "exact"),
    ]
    frame = pd.DataFrame(
        rows, columns=["report_id", "indicator_code", "indicator_name", "kind", "year", "measure", "value", "value_high", "qualifier", "constraint"]
    )
    return frame.assign(
        mention=frame["indicator_name"],
        unit="%",
        char_start=range(len(frame)),
        sentence="全市生产总值增长7%左右。",
        year=frame["year"].astype("Int64"),
    )


def make_targets_vs_outcomes() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region_name": ["驻马店市"] * 6,
            "year": pd.array([2020, 2021, 2022, 2020, 2021, 2021], dtype="Int64"),
            "indicator_code": ["gdp", "gdp", "gdp", "budget_revenue", "budget_revenue", "cpi"],
            "target_value": [7.0, 7.0, 6.5, 6.0, 6.0, 3.0],
            "target_value_high": [np.nan, 8.0, np.nan, np.nan, np.nan, np.nan],
            "qualifier": ["左右", pd.NA, "以上", "以上", "力争", "控制在"],
            "constraint": ["approx", "range", "floor", "floor", "floor", "ceiling"],
            "outcome_value": [3.9, 7.5, np.nan, 6.4, 2.0, 1.1],
            "gap_pp": [-3.1, 0.0, np.nan, 0.4, -4.0, -1.9],
            "is_met": pd.array([False, True, pd.NA, True, False, True], dtype="boolean"),
        }
    )


def make_attention() -> pd.DataFrame:
    rows = []
    for rid, base in [("zhumadian-2020", 3.0), ("zhumadian-2021", 4.0), ("zhumadian-2023", 5.5), ("jingdezhen-2022", 2.0)]:
        for code, name, factor in [("digital_economy", "数字技术与数字经济", 1.0), ("environment", "生态环境保护", 2.0), ("livelihood", "民生保障", 1.5)]:
            if rid == "jingdezhen-2022" and code == "livelihood":
                continue  # a missing row: must be drawn as missing, not as zero
            for scope in ("all", "review"):
                rows.append((rid, code, name, scope, int(base * factor * 10), 10000, 5000, base * factor, 0.01, 0.05))
    return pd.DataFrame(
        rows,
        columns=["report_id", "theme_code", "theme_name", "scope", "n_hits", "n_chars", "n_tokens", "hits_per_10k_chars", "token_share", "sentence_share"],
    )


def make_attention_terms() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "report_id": ["zhumadian-2020", "zhumadian-2020", "zhumadian-2021", "jingdezhen-2022"],
            "theme_code": ["digital_economy"] * 4,
            "term": ["大数据", "数字经济", "数字经济", "云计算"],
            "n_hits": [3, 5, 7, 2],
        }
    )


def make_repairs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "report_id": ["zhumadian-2020", "zhumadian-2021", "jingdezhen-2022", "jingdezhen-2022"],
            "kind": ["traditional_to_simplified", "mojibake", "web_chrome", "traditional_to_simplified"],
            "count": [120, 4, 2, 30],
            "chars": [120, 8, 40, 30],
            "example_raw": ["經濟", "ç»", "首页", "發展"],
            "example_clean": ["经济", "经", "", "发展"],
        }
    )


REPORTS = make_reports()
SOURCE = figures.source_line(REPORTS)


def assert_figure(fig, title_part: str) -> None:
    """A real figure: a Figure with axes, the title set and the source line under it."""
    assert isinstance(fig, Figure)
    assert fig.axes, "no axes drawn"
    assert title_part in fig.get_suptitle()
    assert "来源：" in fig._supxlabel.get_text()
    png = figures.figure_bytes(fig, "png")
    assert len(png) > 5_000


# --------------------------------------------------------------------------------------------
# data preparation
# --------------------------------------------------------------------------------------------
def test_section_shares_measures_level_one_sections_with_their_subsections():
    shares = plots.section_shares(make_sections())
    assert shares["section_id"].tolist() == [0, 1, 3, 4]
    # section 1 spans 100..600 of a 1000-char text, subsection included
    assert shares.loc[shares["section_id"] == 1, "share"].item() == pytest.approx(0.5)
    assert shares["share"].sum() == pytest.approx(1.0)
    assert shares["label"].iloc[1] == "一、2021年工作回顾"
    assert shares["label"].iloc[0].startswith("开头")


def test_wording_strength_soft_word_wins_and_qualitative_stays_missing():
    strength = plots.wording_strength(make_indicators())
    by_row = dict(zip(zip(make_indicators()["report_id"], make_indicators()["qualifier"].fillna("")), strength))
    assert by_row[("zhumadian-2020", "左右")] == "soft"
    assert by_row[("zhumadian-2020", "以上")] == "hard"
    assert by_row[("zhumadian-2021", "力争")] == "soft"  # 力争 … floor: aspirational
    assert by_row[("zhumadian-2021", "控制在")] == "hard"
    assert by_row[("zhumadian-2023", "确保")] == "hard"
    assert pd.isna(by_row[("zhumadian-2023", "同步")])
    assert by_row[("jingdezhen-2022", "")] == "hard"  # a bare number
    range_row = make_indicators()["constraint"].eq("range").to_numpy()
    assert strength[range_row].tolist() == ["soft"]


def test_wording_shares_counts_targets_only():
    shares = plots.wording_shares(make_indicators())
    assert shares.loc["zhumadian-2021", ["hard", "soft", "unclassified", "n"]].tolist() == [1, 2, 0, 3]
    assert shares.loc["zhumadian-2023", "unclassified"] == 1
    assert shares.loc["zhumadian-2023", "hard_share"] == pytest.approx(1.0)


def test_fill_rates_keeps_reports_without_rows_missing_not_zero():
    rates = plots.fill_rates(make_indicators(), ["value", "qualifier"], all_ids=REPORTS["report_id"].tolist() + ["nowhere-2020"])
    assert rates.loc["zhumadian-2020", "qualifier"] == pytest.approx(1.0)
    assert rates.loc["zhumadian-2021", "qualifier"] == pytest.approx(2 / 4)
    assert pd.isna(rates.loc["nowhere-2020", "value"])


def test_attention_vs_corpus_marks_missing_theme_as_missing():
    table = plots.attention_vs_corpus(make_attention(), "jingdezhen-2022")
    row = table.set_index("theme_code").loc["livelihood"]
    assert pd.isna(row["report"])
    assert row["corpus_mean"] == pytest.approx((3.0 + 4.0 + 5.5) * 1.5 / 3)
    assert table["theme_code"].iloc[-1] == "livelihood"  # missing sorts last


def test_indicator_names_maps_codes():
    assert plots.indicator_names(make_indicators())["cpi"] == "居民消费价格"


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------
def test_plot_section_shares():
    fig = plots.plot_section_shares(make_sections(), title="景德镇市2022年报告：各部分篇幅", source=SOURCE)
    assert_figure(fig, "各部分篇幅")
    ax = fig.axes[0]
    assert len(ax.patches) == 4
    assert [t.get_text() for t in ax.get_yticklabels()][1] == "一、2021年工作回顾"


def test_plot_attention_vs_corpus_draws_no_bar_for_missing():
    fig = plots.plot_attention_vs_corpus(make_attention(), "jingdezhen-2022", title="政策注意力", source=SOURCE)
    assert_figure(fig, "政策注意力")
    ax = fig.axes[0]
    heights = [p.get_width() for p in ax.containers[0]]
    assert sum(np.isnan(h) for h in heights) == 1  # the missing theme is NaN, never 0
    assert any(t.get_text() == figures.MISSING_MARK for t in ax.texts)


def test_plot_targets_vs_outcomes_draws_ranges_floors_and_missing_outcomes():
    fig = plots.plot_targets_vs_outcomes(make_targets_vs_outcomes(), title="驻马店市：目标与实际", source=SOURCE, names={"gdp": "地区生产总值"})
    assert_figure(fig, "目标与实际")
    gdp_ax = next(ax for ax in fig.axes if ax.get_title(loc="left") == "地区生产总值")
    # the 2021 range target is a bar from 7 to 8
    bars = [p for p in gdp_ax.patches]
    assert any(p.get_y() == pytest.approx(7.0) and p.get_height() == pytest.approx(1.0) for p in bars)
    legend_texts = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    assert "目标区间" in legend_texts and "目标下限（以上、确保）" in legend_texts
    assert "有目标、无实际值" in legend_texts  # 2022 has a target but no outcome


def test_plot_growth_targets_marks_reports_without_target_and_targets_without_number():
    qualitative = make_indicators().iloc[[0]].assign(
        report_id="jingdezhen-2022", indicator_code="cpi", value=np.nan, qualifier="同步", constraint="qualitative"
    )
    indicators = pd.concat([make_indicators(), qualitative], ignore_index=True)
    fig = plots.plot_growth_targets(indicators, REPORTS, title="增长目标", source=SOURCE, indicator_codes=["gdp", "cpi"])
    assert_figure(fig, "增长目标")
    cpi_ax = fig.axes[1]  # panels first, then the legend row
    assert sum(t.get_text() == figures.MISSING_MARK for t in cpi_ax.texts) == 2  # two reports state no CPI target
    assert "（同步）" in [t.get_text() for t in cpi_ax.texts]  # stated without a number: not drawn, named
    gdp_ax = fig.axes[0]
    assert "左右" in [t.get_text() for t in gdp_ax.texts]


def test_relative_targets_are_not_drawn_as_values():
    tvo = make_targets_vs_outcomes()
    relative = tvo.iloc[[0]].assign(year=pd.array([2019], dtype="Int64"), target_value=1.0, qualifier="高于", constraint="relative", outcome_value=np.nan, gap_pp=np.nan, is_met=pd.NA)
    fig = plots.plot_targets_vs_outcomes(pd.concat([tvo, relative], ignore_index=True), title="目标", source=SOURCE, names={"gdp": "地区生产总值"})
    gdp_ax = next(ax for ax in fig.axes if ax.get_title(loc="left") == "地区生产总值")
    drawn = [y for line in gdp_ax.lines for y in np.asarray(line.get_ydata(), dtype=float)]
    assert 1.0 not in drawn  # "高于全省1个百分点" is not a 1 % target
    assert "1个相对或定性目标" in fig._supxlabel.get_text()


def test_plot_gap_distribution_counts_uncomparable_targets():
    fig = plots.plot_gap_distribution(make_targets_vs_outcomes(), title="实际与目标之差", source=SOURCE)
    assert_figure(fig, "之差")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "n=2，无法对照1" in texts  # gdp: two gaps, 2022 without outcome


def test_plot_wording_over_time_and_shares():
    fig = plots.plot_wording_over_time(make_indicators(), REPORTS, title="措辞", source=SOURCE)
    assert_figure(fig, "措辞")
    assert len(fig.axes[0].patches) == 3 * 4  # 3 strengths × 4 report years
    fig = plots.plot_wording_shares(make_indicators(), REPORTS, title="措辞构成", source=SOURCE)
    assert_figure(fig, "措辞构成")


def test_plot_attention_heatmap_hatches_missing_cells():
    fig = plots.plot_attention_heatmap(make_attention(), REPORTS, title="主题热力图", source=SOURCE)
    assert_figure(fig, "主题热力图")
    ax = fig.axes[0]
    image = ax.images[0]
    data = image.get_array()
    assert data.mask.sum() == 1  # livelihood × jingdezhen is masked, not 0
    assert sum(t.get_text() == figures.MISSING_MARK for t in ax.texts) == 1


def test_plot_theme_terms_and_trends():
    fig = plots.plot_theme_terms(make_attention_terms(), REPORTS, "digital_economy", title="数字经济用词", source=SOURCE)
    assert_figure(fig, "数字经济用词")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["数字经济", "大数据", "云计算"]
    reports = REPORTS[REPORTS["region_name"] == "驻马店市"]
    fig = plots.plot_attention_trends(make_attention(), reports, title="注意力趋势", source=SOURCE)
    assert_figure(fig, "注意力趋势")
    line = fig.axes[0].lines[0]
    assert np.isnan(np.asarray(line.get_ydata(), dtype=float)).sum() == 1  # 2022 has no report: a gap
    assert "2022" in fig._supxlabel.get_text()


def test_plot_repairs_and_fill_rates():
    fig = plots.plot_repairs(make_repairs(), REPORTS, title="清洗修复", source=SOURCE)
    assert_figure(fig, "清洗修复")
    rates = plots.fill_rates(make_indicators(), ["value", "qualifier", "value_high"], all_ids=REPORTS["report_id"])
    fig = plots.plot_fill_rates(rates, REPORTS, title="抽取覆盖率", source=SOURCE)
    assert_figure(fig, "抽取覆盖率")


def test_ranked_bars_and_series():
    frame = pd.DataFrame({"term": ["数字经济", "乡村振兴", "高质量发展"], "score": [5.0, np.nan, 3.0], "flag": [True, False, pd.NA]})
    fig = plots.plot_ranked_bars(frame, "term", "score", title="特色词", source=SOURCE, xlabel="得分", highlight_column="flag", highlight_labels=("本地", "全国"))
    assert_figure(fig, "特色词")
    assert len(fig.axes[0].patches) == 2  # the missing score is left out, not drawn as 0
    series = pd.DataFrame({"year": [2020, 2021, 2022], "reuse": [0.2, np.nan, 0.4]})
    fig = plots.plot_series(series, "year", "reuse", title="文本重复", source=SOURCE, xlabel="年份", ylabel="比例", percent=True)
    assert_figure(fig, "文本重复")


def test_empty_inputs_give_a_message_not_an_error():
    empty = make_targets_vs_outcomes().iloc[0:0]
    fig = plots.plot_targets_vs_outcomes(empty, title="无数据", source=SOURCE)
    assert "没有" in fig.axes[0].texts[0].get_text()


def test_every_plot_renders_chinese_without_missing_glyphs():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plots.plot_attention_heatmap(make_attention(), REPORTS, title="主题热力图：驻马店与景德镇", source=SOURCE)
        figures.figure_bytes(fig, "png")
        figures.figure_bytes(fig, "svg")
        fig = plots.plot_targets_vs_outcomes(make_targets_vs_outcomes(), title="目标与实际：−3.1百分点", source=SOURCE)
        figures.figure_bytes(fig, "png")
    glyph_warnings = [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from" in str(w.message)]
    assert glyph_warnings == []
