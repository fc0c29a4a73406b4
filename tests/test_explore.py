"""Exploring helpers: keyword in context, report cards, citations, comparison tables.

The first half runs on a small hand-made corpus (``synthetic_corpus.py``) whose every offset is known;
the second half on the real sample corpus, with values checked by reading the reports.
"""
from __future__ import annotations

import doctest
import re

import pandas as pd
import pytest

from govreports import explore
from govreports.explore import (
    KwicFrame,
    cite,
    corpus_html,
    format_indicator,
    indicator_series,
    kwic,
    kwic_html,
    report_card_html,
    source_html,
    targets_table,
)

import synthetic_corpus


@pytest.fixture(scope="module")
def corpus():
    return synthetic_corpus.build()


# --------------------------------------------------------------------------------------------
# kwic on the synthetic corpus
# --------------------------------------------------------------------------------------------
def test_kwic_context_is_the_clean_text_around_each_hit(corpus):
    hits = kwic(corpus, "数字经济", window=6)
    assert list(hits.columns) == explore.KWIC_COLUMNS
    assert len(hits) == 4  # three in 测试市 2021, one in 2022 (counted by hand in the texts)
    for row in hits.itertuples():
        text = corpus.text(row.report_id)
        assert text[row.char_start : row.char_end] == "数字经济" == row.keyword
        assert row.left + row.keyword + row.right == text[max(0, row.char_start - 6) : row.char_end + 6]


def test_kwic_sentence_and_section_come_from_the_offsets(corpus):
    hits = kwic(corpus, "数字经济", report_ids="ceshi-2021")
    assert hits["section_type"].tolist() == ["review", "other", "plan"]
    sentences = corpus.sentences.query("report_id == 'ceshi-2021'").set_index("sentence_id")
    for row in hits.itertuples():
        sentence = sentences.loc[row.sentence_id]
        assert sentence["char_start"] <= row.char_start < sentence["char_end"]
        assert "数字经济" in sentence["text"]


def test_kwic_list_of_terms_matches_the_longest_without_overlap(corpus):
    hits = kwic(corpus, ["数字", "数字经济"], report_ids=["ceshi-2021"])
    # 数字经济 ×3, 数字化 ×1 and 数字乡村 ×1 → 数字 twice; never 数字 inside 数字经济
    assert sorted(hits["keyword"]) == ["数字", "数字", "数字经济", "数字经济", "数字经济"]
    assert hits["char_start"].is_monotonic_increasing


def test_kwic_regex(corpus):
    hits = kwic(corpus, r"增长\d+(?:\.\d+)?%", regex=True, report_ids="ceshi-2022")
    assert hits["keyword"].tolist() == ["增长7.9%", "增长7.2%", "增长7%"]


def test_kwic_restricted_to_section_types(corpus):
    review = kwic(corpus, "数字经济", section_types="review")
    # the hit in subsection （一） (typed "other") counts for the review part that contains it
    assert review["report_id"].tolist() == ["ceshi-2021", "ceshi-2021"]
    plan = kwic(corpus, "数字经济", section_types=["plan"])
    assert plan["report_id"].tolist() == ["ceshi-2021", "ceshi-2022"]
    assert set(plan["section_type"]) == {"plan"}
    with pytest.raises(ValueError, match="unknown section type"):
        kwic(corpus, "数字经济", section_types="plans")


def test_kwic_unknown_report_and_empty_terms_fail_clearly(corpus):
    with pytest.raises(KeyError, match="nowhere-2020"):
        kwic(corpus, "数字经济", report_ids="nowhere-2020")
    with pytest.raises(ValueError):
        kwic(corpus, [])


def test_kwic_without_hits_keeps_its_columns_and_dtypes(corpus):
    hits = kwic(corpus, "碳达峰")
    assert len(hits) == 0
    assert list(hits.columns) == explore.KWIC_COLUMNS
    assert str(hits["sentence_id"].dtype) == "Int64"
    assert "0 hits" in hits._repr_html_()


def test_kwic_window_zero_and_text_edges(corpus):
    hits = kwic(corpus, "测试市政府", window=0)
    assert (hits["left"] == "").all() and (hits["right"] == "").all()
    first = kwic(corpus, "测试市政府", window=30).iloc[0]
    assert first["char_start"] == 0 and first["left"] == ""  # no context before the text starts


def test_kwic_on_a_report(corpus):
    report = corpus.report("ceshi-2022")
    hits = report.kwic("生产总值")
    assert hits["report_id"].tolist() == ["ceshi-2022", "ceshi-2022"]


def test_kwic_html_highlights_and_escapes(corpus):
    hits = corpus.kwic("数字经济", window=12)
    markup = hits._repr_html_()
    assert markup.count("<mark") == 4
    assert re.search(r"<mark[^>]*>数字经济</mark>", markup)
    assert "A&lt;B&gt;&amp;C" in markup and "A<B>" not in markup
    assert "↵" in markup  # line breaks in the context are shown, not swallowed
    # filtering keeps the highlighted display; losing the context columns falls back to a table
    assert isinstance(hits[hits["section_type"] == "plan"], KwicFrame)
    assert "<mark" in hits[hits["section_type"] == "plan"]._repr_html_()
    assert "<mark" not in hits[["report_id", "char_start"]]._repr_html_()
    assert "1 more rows not shown" in kwic_html(hits, max_rows=3)


# --------------------------------------------------------------------------------------------
# formatting, cards, citations
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "row, shown",
    [
        ({"value": 3.0, "unit": "%", "qualifier": "控制在…左右", "constraint": "approx"}, "3% 左右"),
        ({"value": 6.5, "unit": "%", "qualifier": "约", "constraint": "approx"}, "约 6.5%"),
        ({"value": 2.0, "unit": "万元", "qualifier": "突破", "constraint": "floor", "measure": "level"}, "≥ 2万元"),
        ({"value": 8.0, "unit": "%", "qualifier": "确保", "constraint": "floor"}, "确保 ≥ 8%"),
        ({"value": 8.0, "unit": "%", "qualifier": "以上", "constraint": "floor"}, "≥ 8%"),
        ({"value": 6.5, "unit": "%", "qualifier": "左右", "constraint": "approx"}, "6.5% 左右"),
        ({"value": 7.0, "value_high": 7.5, "unit": "%", "constraint": "range"}, "7–7.5%"),
        ({"value": 3.0, "unit": "%", "qualifier": "控制在以内", "constraint": "ceiling"}, "≤ 3%"),
        ({"value": 7.0, "unit": "%", "qualifier": "力争以上", "constraint": "floor"}, "力争 ≥ 7%"),
        ({"value": 5.5, "unit": "万人", "constraint": "exact", "measure": "level"}, "5.5万人"),
        ({"value": -2.6, "measure": "growth", "constraint": "exact"}, "-2.6%"),
        ({"value": 160.0, "unit": "亿斤", "qualifier": "以上", "constraint": "floor", "measure": "level"}, "≥ 160亿斤"),
        ({"value": None, "mention": "居民收入", "qualifier": "基本同步", "constraint": "qualitative", "relative_to": "经济增长"}, "与经济增长基本同步"),
        ({"value": 1.0, "unit": "个百分点", "qualifier": "高于…左右", "constraint": "relative", "relative_to": "全省"}, "高于全省 1个百分点左右"),
        ({"value": None, "qualifier": "高于", "constraint": "relative", "relative_to": "全省"}, "高于全省"),
        ({"value": None, "mention": "出口总额", "constraint": "relative"}, "出口总额"),
        ({"value": None, "constraint": None}, None),
    ],
)
def test_format_indicator(row, shown):
    assert format_indicator(row) == shown


def test_report_card_shows_facts_sections_targets_and_quality(corpus):
    card = report_card_html(corpus.report("测试", 2021))
    for fact in ("测试市（某省）", "prefecture", "市长 张三", "2021年2月27日", "第四届人民代表大会第七次会议"):
        assert fact in card
    # sections with their share of the text: 一 runs from its heading to 二 (incl. its subsection)
    text = corpus.text("ceshi-2021")
    share = (text.index("二、2021年工作安排") - text.index("一、2020年工作回顾")) / len(text)
    assert f"{share:.0%}" in card
    assert "8% 左右" in card and "力争 ≥ 7%" in card and "≤ 3%" in card
    assert "repairs: 5 (page_chrome 3, pinyin_gloss 2)" in card
    assert "unresolved characters: 2" in card
    assert "<li>2 character(s) could not be &lt;recovered&gt;</li>" in card  # the pipeline's notes, escaped


def test_report_card_escapes_values_and_marks_missing_ones(corpus):
    card = corpus.report("ceshi-2022")._repr_html_()
    assert "<script>" not in card and "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert re.search(r">delivered</th><td>—</td>", card)  # not stated: shown as missing
    assert re.search(r">session</th><td>—</td>", card)
    assert "repairs: none" in card
    assert "7–7.5%" in card and "5万人" in card
    # a target's tooltip is its source sentence, escaped for an attribute
    assert '<span title="主要预期目标是：生产总值增长7%-7.5%，城镇新增就业5万人。">7–7.5%</span>' in card


def test_plain_repr_stays_short(corpus):
    assert repr(corpus) == "<Corpus: 3 reports, 2 places, 2021–2023>"
    assert repr(corpus.report("ceshi-2021")).startswith("<Report ceshi-2021: 测试市 2021,")
    assert "\n" not in repr(corpus.report("ceshi-2021"))


def test_corpus_html_lists_reports_with_counts(corpus):
    markup = corpus._repr_html_()
    assert markup == corpus_html(corpus)
    assert "3 reports, 2 places, 2021–2023" in markup
    summary = explore.corpus_summary(corpus)
    assert summary.set_index("report_id").loc["ceshi-2021", ["n_targets", "n_actuals", "n_sections"]].tolist() == [3, 2, 4]
    assert summary.set_index("report_id").loc["yangli-2023", "n_targets"] == 0
    assert "&lt;script&gt;" in markup and "<script>" not in markup
    assert "rows not shown" in corpus_html(corpus, max_rows=2)


def test_cite_report_and_sections(corpus):
    assert cite(corpus, "ceshi-2021") == "测试市人民政府：《2021年测试市政府工作报告》，2021年2月27日。"
    assert (
        cite(corpus, "ceshi-2021", section_id=3)
        == "测试市人民政府：《2021年测试市政府工作报告》，2021年2月27日，第二部分“2021年工作安排”。"
    )
    assert (
        corpus.report("ceshi-2021").cite(2)
        == "测试市人民政府：《2021年测试市政府工作报告》，2021年2月27日，第一部分“2020年工作回顾”（一）“数字化转型”。"
    )
    # no date stated: left out rather than invented
    assert corpus.cite("ceshi-2022", 2) == "测试市人民政府：《2022年测试市政府工作报告》，第二部分“2022年工作安排”。"
    with pytest.raises(KeyError):
        cite(corpus, "ceshi-2021", section_id=99)


def test_cite_national_report():
    meta = {"region_name": "中华人民共和国", "region_level": "national", "report_year": 2024, "delivered_date": "2024-03-05"}
    assert explore.citation(meta) == "国务院：《2024年政府工作报告》，2024年3月5日。"


def test_source_html_highlights_the_number_in_its_sentence(corpus):
    row = corpus.indicators.query("report_id == 'ceshi-2021' and indicator_code == 'cpi'").iloc[0]
    markup = source_html(corpus, row)
    # the indicator's span is underlined, its number marked
    assert re.search(r"<span[^>]*>居民消费价格涨幅控制在<mark[^>]*>3%</mark>以内</span>", markup)
    assert markup.count("<mark") == 1
    assert "主要预期目标是：生产总值增长8%左右，固定资产投资力争增长7%以上，" in markup
    assert "第二部分“2021年工作安排”" in markup
    shown = corpus.report("ceshi-2021").show_source(int(row.name - corpus.indicators.index[0]))
    assert "居民消费价格涨幅控制在【3%】以内" in repr(shown)
    assert shown._repr_html_() == markup


@pytest.mark.parametrize(
    "span, marked",
    [
        ("生产总值增长8%左右", "生产总值增长【8%】左右"),
        ("生产总值增长7%-7.5%", "生产总值增长【7%-7.5%】"),
        ("社会消费品零售总额增长-2.6%", "社会消费品零售总额增长【-2.6%】"),
        ("生产总值比2010年增长1.5倍", "生产总值比2010年增长【1.5】倍"),
        ("百分之八", "【百分之八】"),
    ],
)
def test_numbers_in_an_indicator_span_are_marked_but_not_years(span, marked):
    assert explore._mark_numbers(span)[1] == marked


def test_source_view_needs_a_report_id_from_a_corpus(corpus):
    row = corpus.report("ceshi-2021").indicators.iloc[0]  # per-report rows have no report_id
    with pytest.raises(ValueError, match="report_id"):
        source_html(corpus, row)
    other = corpus.indicators.query("report_id == 'ceshi-2022'").iloc[0]
    with pytest.raises(ValueError, match="from ceshi-2022"):
        corpus.report("ceshi-2021").show_source(other)


# --------------------------------------------------------------------------------------------
# comparison helpers
# --------------------------------------------------------------------------------------------
def test_targets_table_side_by_side_with_missing_as_missing(corpus):
    table = targets_table(corpus, ["ceshi-2021", "ceshi-2022", "yangli-2023"])
    assert list(table.columns) == ["ceshi-2021", "ceshi-2022", "yangli-2023"]
    assert table.loc[("gdp", "地区生产总值", "growth")].tolist()[:2] == ["8% 左右", "7–7.5%"]
    assert table.loc[("fixed_asset_investment", "固定资产投资", "growth"), "ceshi-2021"] == "力争 ≥ 7%"
    assert table.loc[("new_urban_jobs", "城镇新增就业", "level"), "ceshi-2022"] == "5万人"
    assert pd.isna(table.loc[("cpi", "居民消费价格", "growth"), "ceshi-2022"])
    assert table["yangli-2023"].isna().all()  # a report without targets: a column of <NA>, not ""
    assert table.index[0][0] == "gdp"  # the most widely targeted indicator first
    only = corpus.targets_table(indicators=["cpi", "gdp"])
    assert [k[0] for k in only.index] == ["cpi", "gdp"]
    # asked for, but targeted by none of these reports: a row of <NA>, not a missing row
    none = corpus.targets_table(["ceshi-2022"], ["cpi", "gdp"])
    assert none.index[0][:2] == ("cpi", "居民消费价格") and none.iloc[0].isna().all()
    assert none.loc[("gdp", "地区生产总值", "growth"), "ceshi-2022"] == "7–7.5%"
    with pytest.raises(KeyError, match="no indicator"):
        corpus.targets_table(indicators=["gpd"])  # a typo is an error, not an empty table


def test_indicator_series_one_region_over_time(corpus):
    series = indicator_series(corpus, "测试", "gdp")
    assert list(series.columns) == explore.SERIES_COLUMNS
    assert series[["year", "kind", "value", "report_id"]].values.tolist() == [
        [2020, "actual", 3.6, "ceshi-2021"],
        [2021, "target", 8.0, "ceshi-2021"],
        [2021, "actual", 7.9, "ceshi-2022"],
        [2022, "target", 7.0, "ceshi-2022"],
    ]
    assert series.loc[3, "value_high"] == 7.5 and pd.isna(series.loc[0, "value_high"])
    assert corpus.indicator_series("测试市", "gdp", kinds="target")["year"].tolist() == [2021, 2022]
    assert corpus.indicator_series("ceshi", "gdp", kinds="target")["year"].tolist() == [2021, 2022]  # ASCII id
    with pytest.raises(KeyError):
        indicator_series(corpus, "不存在市", "gdp")
    with pytest.raises(KeyError, match="no indicator"):
        indicator_series(corpus, "测试", "gpd")


# --------------------------------------------------------------------------------------------
# the real sample corpus (expected values read in the reports themselves)
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_tables_dir():
    return synthetic_corpus.sample_tables_dir()


@pytest.fixture(scope="module")
def sample(sample_tables_dir):
    import govreports
    from govreports import config

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(config, "PROCESSED_DIR", sample_tables_dir)
        yield govreports.load()  # the docstring examples call load() again: same folder, cached


# 数字经济 in the raw files, read by hand (traditional 數(shù)字經(jīng)濟(jì) with pinyin glosses in
# 镇江 and 浔阳): 景德镇 1 (tasks), 镇江 3 (two in 一、本届政府工作回顾, one in 三、2022年目标任务),
# 浔阳 2 (one in 一、2023年工作情况), 驻马店 2023 1, 2024 2, 2025 1.
DIGITAL_ECONOMY_HITS = {
    "jingdezhen-2022": 1,
    "xunyang-2024": 2,
    "zhenjiang-2022": 3,
    "zhumadian-2023": 1,
    "zhumadian-2024": 2,
    "zhumadian-2025": 1,
}


def test_sample_kwic_finds_every_mention_with_its_context(sample):
    hits = sample.kwic("数字经济", window=20)
    assert hits.groupby("report_id").size().to_dict() == DIGITAL_ECONOMY_HITS
    for row in hits.itertuples():
        text = sample.text(row.report_id)
        assert text[row.char_start : row.char_end] == "数字经济"
        assert row.left + row.keyword + row.right == text[max(0, row.char_start - 20) : row.char_end + 20]
        sentence = sample.sentences.query("report_id == @row.report_id and sentence_id == @row.sentence_id").iloc[0]
        assert "数字经济" in sentence["text"]
    first = hits[hits["report_id"] == "jingdezhen-2022"].iloc[0]
    assert first["left"].endswith("大力发展") and first["right"].startswith("，促进数字产业化")


def test_sample_kwic_in_review_sections(sample):
    hits = sample.kwic("数字经济", section_types=["review", "term_review"])
    assert hits["report_id"].tolist() == ["zhenjiang-2022", "zhenjiang-2022", "xunyang-2024"]
    assert hits["right"].str.startswith("核心产业").tolist() == [True, False, True]


def test_sample_zhumadian_investment_targets_over_the_years(sample):
    # 主要预期目标 paragraphs, read by hand: 2019 全社会固定资产投资增长10%以上; 2020 增速高于全省平均水平
    # (no number); 2021 增长7%以上; 2022 增长10%以上; 2023 增长10%; 2024 增长8%; 2025 增长8%; 2026 增长5%左右.
    series = sample.indicator_series("驻马店", "fixed_asset_investment", kinds="target").set_index("year")
    expected = {2019: (10.0, "floor"), 2021: (7.0, "floor"), 2022: (10.0, "floor"), 2023: (10.0, "exact"),
                2024: (8.0, "exact"), 2025: (8.0, "exact"), 2026: (5.0, "approx")}
    for year, (value, constraint) in expected.items():
        assert (series.loc[year, "value"], series.loc[year, "constraint"]) == (value, constraint), year
    assert series.loc[2021, "report_id"] == "zhumadian-2021"
    assert "固定资产投资增长7%以上" in series.loc[2021, "sentence"]
    assert 2020 not in series.index or pd.isna(series.loc[2020, "value"])  # relative: no number stated
    same = sample.indicator_series("zhumadian", "fixed_asset_investment", kinds="target")
    assert same["value"].equals(series.reset_index()["value"])


def test_sample_targets_table_side_by_side(sample):
    table = sample.targets_table(["zhumadian-2021", "zhumadian-2022"], ["gdp", "fixed_asset_investment"])
    assert table.loc[("gdp", "地区生产总值", "growth")].tolist() == ["8% 左右", "8% 左右"]
    assert table.loc[("fixed_asset_investment", "固定资产投资", "growth")].tolist() == ["≥ 7%", "≥ 10%"]
    wide = sample.targets_table(["zhumadian-2021", "zhumadian-2002"])
    # 2021: 城镇调查失业率控制在5%以内
    assert wide.loc[("unemployment_surveyed", "城镇调查失业率", "rate"), "zhumadian-2021"] == "≤ 5%"
    # the 2002 report states no surveyed unemployment rate (the indicator did not exist): missing, not ""
    assert pd.isna(wide.loc[("unemployment_surveyed", "城镇调查失业率", "rate"), "zhumadian-2002"])


def test_sample_cite_and_source(sample):
    # dateline: ——2021年2月27日在驻马店市第四届人民代表大会第七次会议上; part 三、2021年重点工作
    assert sample.cite("zhumadian-2021") == "驻马店市人民政府：《2021年驻马店市政府工作报告》，2021年2月27日。"
    report = sample.report("驻马店", 2021)
    tasks = report.sections.query("level == 1 and title == '2021年重点工作'")["section_id"].iloc[0]
    assert report.cite(int(tasks)).endswith("，第三部分“2021年重点工作”。")
    row = sample.indicators.query(
        "report_id == 'zhumadian-2021' and kind == 'target' and indicator_code == 'fixed_asset_investment'"
    ).iloc[0]
    markup = source_html(sample, row)
    assert re.search(r"固定资产投资增长<mark[^>]*>7%</mark>以上", markup)
    assert "主要预期目标是" in markup and "第三部分“2021年重点工作”" in markup
    position = int(report.indicators.index[
        (report.indicators["kind"] == "target") & (report.indicators["indicator_code"] == "fixed_asset_investment")
    ][0])
    assert "固定资产投资增长【7%】以上" in repr(report.show_source(position))


class _TagBalance(__import__("html.parser").parser.HTMLParser):
    VOID = {"br", "hr", "img", "meta", "link", "input", "col"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def _well_formed(markup: str) -> bool:
    parser = _TagBalance()
    parser.feed(markup)
    parser.close()
    return not parser.errors and not parser.stack


def test_sample_html_reprs_render_for_every_report(sample):
    assert _well_formed(sample._repr_html_())
    for report in sample:
        card = report._repr_html_()
        assert _well_formed(card), report.report_id
        assert "<script" not in card
    card = sample.report("zhumadian-2021")._repr_html_()
    for fact in ("驻马店市", "市长 朱是西", "2021年2月27日", "第四届人民代表大会第七次会议", "≥ 7%", "8% 左右", "data quality"):
        assert fact in card
    assert "代市长 王玲" in sample.report("驻马店", 2026)._repr_html_()
    card = sample.report("jingdezhen-2022")._repr_html_()
    assert "市长 胡雪梅" in card and "2022年1月23日" in card
    hits = sample.kwic("数字经济")
    assert _well_formed(hits._repr_html_()) and hits._repr_html_().count("<mark") == 10
    assert repr(sample).startswith("<Corpus: 30 reports, 6 places, 2002–2026")


def test_docstring_examples_run_on_the_sample_corpus(sample):
    result = doctest.testmod(explore, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 20
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# the exploring notebook
# --------------------------------------------------------------------------------------------
NOTEBOOK = __import__("pathlib").Path(__file__).resolve().parents[1] / "notebooks" / "00-exploring.ipynb"


def test_exploring_notebook_is_clean_and_parameterized():
    import ast

    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for node in ast.parse(code[0].source).body:  # literal, annotated ASCII defaults only
        assert isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Constant)
        assert str(node.value.value).isascii()
    assert "import govreports" in code[1].source
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert not any(isinstance(n, (ast.FunctionDef, ast.Lambda, ast.ClassDef)) for n in ast.walk(ast.parse(cell.source)))


def test_exploring_notebook_is_saved_stripped():
    import subprocess
    import sys

    extra = "metadata.papermill cell.metadata.papermill cell.metadata.execution metadata.language_info"
    result = subprocess.run(
        [sys.executable, "-m", "nbstripout", "--verify", "--extra-keys", extra, str(NOTEBOOK)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_exploring_notebook_runs_on_the_sample_corpus(tmp_path, sample, sample_tables_dir, monkeypatch):
    import papermill

    monkeypatch.setenv("GOVREPORTS_PROCESSED", str(sample_tables_dir))  # the kernel reuses the built tables

    out = tmp_path / "00-exploring.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), kernel_name="python3", language="python", cwd=str(NOTEBOOK.parents[1]), progress_bar=False
    )
    import nbformat

    nb = nbformat.read(out, as_version=4)
    html_outputs = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code" for o in c.outputs if "text/html" in o.get("data", {})]
    assert any("govreports card report" in h for h in html_outputs)  # the report card
    assert any("<mark" in h and "数字经济" in h for h in html_outputs)  # the keyword in context
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "驻马店市人民政府：《2021年驻马店市政府工作报告》，2021年2月27日。" in printed
