"""Style, CJK font, captions, ids and byte-identical saving (govreports.figures)."""
from __future__ import annotations

import warnings

import matplotlib
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from govreports import figures

REPORTS = pd.DataFrame(
    {
        "report_id": ["zhumadian-2002", "zhumadian-2026", "zhumadian-2014-2", "jingdezhen-2022", "liling-2023", "xunyang-2024", "unknown-abc"],
        "region_name": ["驻马店市", "驻马店市", "驻马店市", "景德镇市", "醴陵市", "浔阳区", pd.NA],
        "report_year": pd.array([2002, 2026, 2014, 2022, 2023, 2024, pd.NA], dtype="Int64"),
    }
)


def glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if "Glyph" in str(w.message) and "missing" in str(w.message)]


def chinese_figure() -> Figure:
    figures.use_style()
    fig = Figure(figsize=(6, 3.5), layout="constrained")
    ax = fig.add_subplot()
    ax.plot([2019, 2020, 2021], [7.2, -1.5, 6.3], marker="o")
    ax.set_title("驻马店市：地区生产总值增长（%）")
    ax.set_xlabel("报告年份")
    figures.add_caption(fig, figures.source_line(REPORTS.iloc[:2]), note="空缺表示报告未给出")
    return fig


# --------------------------------------------------------------------------------------------
# fonts and style
# --------------------------------------------------------------------------------------------
def test_a_cjk_font_is_found_and_used_first():
    family = figures.use_style()
    assert family in figures.CJK_FONT_FAMILIES
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    resolved = font_manager.findfont(font_manager.FontProperties(family=matplotlib.rcParams["font.family"]), fallback_to_default=False)
    assert resolved == str(figures.find_cjk_font()) or family in font_manager.FontProperties(fname=resolved).get_name()


def test_chinese_title_renders_without_missing_glyph_warnings():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = chinese_figure()
        figures.figure_bytes(fig, "png")
        figures.figure_bytes(fig, "svg")
    assert glyph_warnings(caught) == []


def test_the_glyph_check_would_catch_a_font_without_chinese():
    # the same title with matplotlib's default Latin font must warn: proves the test above can fail
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"], "font.sans-serif": ["DejaVu Sans"]}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig = Figure()
            fig.add_subplot().set_title("驻马店市")
            figures.figure_bytes(fig, "png")
    assert glyph_warnings(caught), "expected a missing-glyph warning with a Latin-only font"


def test_missing_font_raises_an_error_that_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.delenv("GOVREPORTS_CJK_FONT", raising=False)
    with pytest.raises(figures.MissingCJKFontError) as err:
        figures.find_cjk_font(font_files=[str(tmp_path / "nothing.ttc")], use_fontconfig=False, use_matplotlib_cache=False)
    message = str(err.value)
    assert "fonts-wqy-microhei" in message and "scripts/ensure_cjk_font.sh" in message
    monkeypatch.setenv("GOVREPORTS_CJK_FONT", str(tmp_path / "missing.ttf"))
    with pytest.raises(figures.MissingCJKFontError, match="GOVREPORTS_CJK_FONT"):
        figures.find_cjk_font()


def test_style_sheet_is_package_data_and_applied():
    assert figures.style_path().is_file()
    figures.use_style()
    assert matplotlib.rcParams["svg.hashsalt"] == figures.SVG_HASHSALT
    assert matplotlib.rcParams["axes.spines.top"] is False


# --------------------------------------------------------------------------------------------
# ids and captions
# --------------------------------------------------------------------------------------------
def test_region_ids_come_from_report_ids():
    assert figures.region_id("zhumadian-2021") == "zhumadian"
    assert figures.region_id("zhumadian-2014-2") == "zhumadian"
    assert figures.region_id("unknown-abc") == "unknown-abc"
    table = figures.region_table(REPORTS).set_index("region_id")
    assert table.loc["zhumadian", "region_name"] == "驻马店市"
    assert table.loc["zhumadian", "n_reports"] == 3
    assert (table.loc["zhumadian", "first_year"], table.loc["zhumadian", "last_year"]) == (2002, 2026)
    assert pd.isna(table.loc["unknown-abc", "region_name"])


def test_resolve_region_accepts_id_name_and_short_name():
    assert figures.resolve_region(REPORTS, "zhumadian") == ("zhumadian", "驻马店市")
    assert figures.resolve_region(REPORTS, "驻马店市") == ("zhumadian", "驻马店市")
    assert figures.resolve_region(REPORTS, "驻马店") == ("zhumadian", "驻马店市")
    with pytest.raises(KeyError, match="jingdezhen"):
        figures.resolve_region(REPORTS, "上海市")
    assert figures.region_reports(REPORTS, "驻马店")["report_id"].tolist() == ["zhumadian-2002", "zhumadian-2014-2", "zhumadian-2026"]


def test_select_reports():
    assert len(figures.select_reports(REPORTS, [])) == len(REPORTS)
    assert figures.select_reports(REPORTS, ["liling-2023"])["report_id"].tolist() == ["liling-2023"]
    with pytest.raises(KeyError, match="nowhere"):
        figures.select_reports(REPORTS, ["nowhere-2020"])


def test_source_line_is_built_from_the_data():
    zhumadian = REPORTS[REPORTS["region_name"] == "驻马店市"]
    assert figures.source_line(zhumadian) == "来源：驻马店市政府工作报告 2002–2026"
    assert figures.source_line(REPORTS, ["jingdezhen-2022"]) == "来源：景德镇市政府工作报告 2022"
    assert figures.source_line(REPORTS, ["jingdezhen-2022", "liling-2023"]) == "来源：景德镇市、醴陵市政府工作报告 2022–2023"
    many = figures.source_line(REPORTS)
    assert many.startswith("来源：驻马店市、景德镇市等5地政府工作报告")  # 4 places + one unknown
    assert many.endswith("2002–2026")


def test_report_labels():
    labels = figures.report_label(REPORTS)
    assert labels["jingdezhen-2022"] == "景德镇市 2022"
    assert labels["unknown-abc"] == "unknown-abc ?"


# --------------------------------------------------------------------------------------------
# saving
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_saving_the_same_figure_twice_gives_identical_bytes(fmt):
    fig = chinese_figure()
    first = figures.figure_bytes(fig, fmt)
    second = figures.figure_bytes(fig, fmt)
    assert first == second
    rebuilt = figures.figure_bytes(chinese_figure(), fmt)  # a fresh figure, as on a rerun
    assert rebuilt == first
    assert len(first) > 2_000


def test_files_carry_no_timestamp_or_version():
    fig = chinese_figure()
    svg = figures.figure_bytes(fig, "svg").decode("utf-8")
    assert "<dc:date>" not in svg
    png = figures.figure_bytes(fig, "png")
    assert b"Software" not in png[:2000]
    pdf = figures.figure_bytes(fig, "pdf")
    assert b"/CreationDate" not in pdf


def test_save_figure_writes_ascii_paths_and_keeps_unchanged_files(tmp_path):
    fig = chinese_figure()
    paths = figures.save_figure(fig, "zhumadian", "gdp-growth", formats=("png", "svg"), figures_dir=tmp_path)
    assert paths == [tmp_path / "zhumadian" / "gdp-growth.png", tmp_path / "zhumadian" / "gdp-growth.svg"]
    assert all(p.stat().st_size > 2_000 for p in paths)
    before = [p.stat().st_mtime_ns for p in paths]
    data = [p.read_bytes() for p in paths]
    again = figures.save_figure(chinese_figure(), "zhumadian", "gdp-growth", formats=("png", "svg"), figures_dir=tmp_path)
    assert [p.read_bytes() for p in again] == data
    assert [p.stat().st_mtime_ns for p in again] == before  # identical bytes: not rewritten


@pytest.mark.parametrize("owner, name", [("驻马店", "gdp"), ("zhumadian", "增长"), ("zhumadian", "a/b"), ("", "gdp")])
def test_save_figure_rejects_non_ascii_names(tmp_path, owner, name):
    with pytest.raises(ValueError, match="ASCII"):
        figures.save_figure(chinese_figure(), owner, name, figures_dir=tmp_path)


def test_save_figure_rejects_unknown_format(tmp_path):
    with pytest.raises(ValueError, match="format"):
        figures.save_figure(chinese_figure(), "corpus", "x", formats=("jpg",), figures_dir=tmp_path)


def test_report_title():
    assert figures.report_title(REPORTS, "jingdezhen-2022") == "景德镇市2022年政府工作报告"
    assert figures.report_title(REPORTS, "unknown-abc") == "unknown-abc 政府工作报告"
