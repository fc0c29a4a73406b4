"""Corpus and Report: finding reports, their tables, and the notebook conveniences."""
from __future__ import annotations

import pandas as pd
import pytest

from govreports.corpus import Corpus, Report, region_matches

import synthetic_corpus


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return synthetic_corpus.build()


def test_every_table_is_a_dataframe_attribute(corpus):
    assert isinstance(corpus.indicators, pd.DataFrame)
    assert corpus.reports["report_id"].tolist() == ["ceshi-2021", "ceshi-2022", "yangli-2023"]
    with pytest.raises(AttributeError):
        corpus.no_such_table
    with pytest.raises(KeyError, match="no table"):
        corpus.table("no_such_table")


def test_report_by_id_or_by_region_and_year(corpus):
    assert corpus.report("ceshi-2022").report_id == "ceshi-2022"
    assert corpus.report("测试", 2021).report_id == "ceshi-2021"
    assert corpus.report("测试市", 2022).report_id == "ceshi-2022"
    assert corpus.report("样例", 2023).report_id == "yangli-2023"
    with pytest.raises(KeyError, match="2 reports match"):
        corpus.report("测试市")
    with pytest.raises(KeyError, match="no report"):
        corpus.report("测试市", 2030)


def test_region_matches_with_and_without_suffix():
    names = pd.Series(["驻马店市", "青云谱区", "醴陵市", None])
    assert region_matches(names, "驻马店").tolist() == [True, False, False, False]
    assert region_matches(names, "青云谱区").tolist() == [False, True, False, False]


def test_report_holds_its_own_rows(corpus):
    report = corpus.report("ceshi-2021")
    assert isinstance(report, Report)
    assert "report_id" not in report.sentences.columns
    assert len(report.sentences) == (corpus.sentences["report_id"] == "ceshi-2021").sum()
    assert report.targets["indicator_code"].tolist() == ["gdp", "fixed_asset_investment", "cpi"]
    assert report.section_text(3).startswith("二、2021年工作安排")
    for row in report.sentences.itertuples():
        assert report.text[row.char_start : row.char_end] == row.text


def test_find_filters_reports(corpus):
    assert corpus.find(region="测试").shape[0] == 2
    assert corpus.find(level="county")["report_id"].tolist() == ["yangli-2023"]
    assert corpus.find(year=2022)["report_id"].tolist() == ["ceshi-2022"]
    # an ASCII region id (notebook parameters are ASCII): the place part of the report ids
    assert corpus.find(region="ceshi")["report_id"].tolist() == ["ceshi-2021", "ceshi-2022"]
    assert corpus.find(region="ces").empty


def test_notebook_conveniences_delegate_to_explore(corpus):
    assert "<mark" in corpus.kwic("数字经济")._repr_html_()
    assert corpus.targets_table(["ceshi-2021"]).shape == (3, 1)
    assert corpus.indicator_series("测试", "fixed_asset_investment")["value"].tolist() == [6.5, 7.0, 7.2]
    assert corpus.cite("ceshi-2021").startswith("测试市人民政府：《2021年测试市政府工作报告》")
    row = corpus.indicators.iloc[0]
    assert "生产总值增长【3.6%】" in repr(corpus.show_source(row))


# --------------------------------------------------------------------------------------------
# the real sample corpus
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample():
    import govreports
    from govreports import config

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(config, "PROCESSED_DIR", synthetic_corpus.sample_tables_dir())
        yield govreports.load()


def test_sample_report_by_place_and_year(sample):
    # dateline of the 2021 file: ——2021年2月27日在驻马店市第四届人民代表大会第七次会议上驻马店市人民政府市长朱是西
    report = sample.report("驻马店", 2021)
    assert report.report_id == "zhumadian-2021" == sample.report("驻马店市", 2021).report_id
    assert (report.metadata["speaker_name"], report.metadata["speaker_title"]) == ("朱是西", "市长")
    assert sample.report("醴陵", 2023).metadata["region_name"] == "醴陵市"
    with pytest.raises(KeyError, match="25 reports match"):
        sample.report("驻马店")
    assert sorted(sample.find(region="zhumadian")["report_year"]) == list(range(2002, 2027))
    # the 2010 file has a '?' standing for a lost character after 奋斗目标 (二、2010年…奋斗目标?今年是…)
    assert any("could not be recovered" in note for note in sample.report("驻马店", 2010).notes)


def test_sample_tables_point_into_the_clean_text(sample):
    report = sample.report("jingdezhen-2022")
    assert report.text == sample.text("jingdezhen-2022")
    assert report.text.startswith("景德镇市政府工作报告")
    for row in report.indicators.itertuples():
        assert row.sentence == report.text[
            int(report.sentences.set_index("sentence_id").loc[row.sentence_id, "char_start"]) : int(
                report.sentences.set_index("sentence_id").loc[row.sentence_id, "char_end"]
            )
        ]
        assert row.char_start >= 0 and row.char_end <= len(report.text)


def test_report_notes_come_from_the_failures_table(corpus):
    assert corpus.report("ceshi-2021").notes == ["2 character(s) could not be <recovered>"]
    assert corpus.report("ceshi-2022").notes == []


def test_a_single_file_read_with_read_report_displays_as_a_card():
    import govreports
    from govreports import config

    path = config.RAW_DIR / "seeds" / "000_b814d5e228ecd0c6.txt"
    report = govreports.read_report(path)
    card = report._repr_html_()
    # header of the file: 景德镇市政府工作报告(2022年1月23日 胡雪梅) … 市长 胡雪梅
    assert "市长 胡雪梅" in card and "2022年1月23日" in card
    assert report.cite() == "景德镇市人民政府：《2022年景德镇市政府工作报告》，2022年1月23日。"
    assert report.kwic("数字经济")["right"].str.startswith("，促进数字产业化").tolist() == [True]


def test_docstring_examples_run_on_the_sample_corpus(sample):
    import doctest

    import govreports.corpus

    result = doctest.testmod(govreports.corpus)
    assert result.attempted >= 6 and result.failed == 0
