"""Plot functions of the notebook suite: tables in, a matplotlib ``Figure`` out.

Every function takes the corpus tables (DataFrames with the documented columns, see
``docs/architecture.md``), applies the house style (:func:`govreports.figures.use_style`), and
returns a :class:`matplotlib.figure.Figure` with a title, units on its axes and a source line built
from the ``reports`` table. Nothing is shown or saved here: notebooks display the figure and save it
with :func:`govreports.figures.save_figure`.

Rules every chart follows, and why
----------------------------------
- **Missing stays missing.** A value the report does not state is not drawn as zero: heatmap cells
  are hatched grey and marked "—", a year without an outcome gets a grey × on the axis, and bars are
  left out rather than drawn at zero.
- **Targets are not points.** A target is a constraint: a range is drawn as a band, a floor
  (以上, 确保) as a bar with a triangle pointing up, a ceiling (以内, 控制在) pointing down, an
  approximate target (左右) as a hollow diamond and an exact one as a bar. Outcomes are dots.
- **Long Chinese labels go on the y axis** (horizontal bars), so they never overlap.
- Functions that only prepare data for a chart (:func:`section_shares`, :func:`wording_strength`,
  :func:`fill_rates` …) are public too, so a notebook shows the numbers behind each figure.

The figures use :class:`matplotlib.figure.Figure` directly, not ``pyplot``: no global figure state
builds up when a notebook draws many of them.
"""
from __future__ import annotations

import io
from functools import lru_cache
from importlib import resources
from typing import Mapping, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.colors import LogNorm
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import MaxNLocator, PercentFormatter

from .figures import MISSING_MARK, add_caption, report_label, use_style

#: Colours (Okabe–Ito, as in the style sheet) with a meaning across charts.
COLORS = {
    "report": "#0072B2",
    "corpus": "#BBBBBB",
    "target": "#E69F00",
    "met": "#009E73",
    "not_met": "#D55E00",
    "unknown": "#777777",
    "hard": "#0072B2",
    "soft": "#E69F00",
    "unclassified": "#CCCCCC",
    "missing": "#EEEEEE",
}

STRENGTH_LABELS = {"hard": "硬约束（确保、以上、控制在、确数）", "soft": "软表述（力争、左右、区间）", "unclassified": "定性或无法判断"}

CONSTRAINT_LABELS = {
    "range": "目标区间",
    "floor": "目标下限（以上、确保）",
    "ceiling": "目标上限（以内、控制在）",
    "approx": "目标约数（左右）",
    "exact": "目标确数",
}

SECTION_TYPE_LABELS = {
    "preamble": "开头",
    "review": "回顾",
    "term_review": "五年回顾",
    "outlook": "展望",
    "plan": "目标",
    "tasks": "任务",
    "self_building": "政府自身建设",
    "closing": "结束语",
    "glossary": "注释",
}

SCOPE_LABELS = {"all": "全文", "review": "回顾部分", "plan+tasks": "计划与任务部分"}

MEASURE_LABELS = {
    "hits_per_10k_chars": "每万字命中次数",
    "token_share": "词语占比",
    "sentence_share": "句子占比",
    "n_hits": "命中次数",
}

_LABEL_MAX_CHARS = 18


def _short(text, max_chars: int = _LABEL_MAX_CHARS) -> str:
    """Shorten a label for an axis; missing becomes the missing mark."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return MISSING_MARK
    text = str(text)
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"


def _new_figure(width: float, height: float) -> Figure:
    use_style()
    return Figure(figsize=(width, height), layout="constrained")


def _empty_figure(title: str, message: str, source: str) -> Figure:
    """A figure that says there is nothing to draw (rather than an empty or misleading chart)."""
    fig = _new_figure(8, 2.6)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=11, color="#555555", transform=ax.transAxes)
    fig.suptitle(title, x=0.01, ha="left")
    add_caption(fig, source)
    return fig


def _grid_with_legend_row(fig: Figure, nrows: int, ncols: int, sharex: bool = False, sharey: bool = False, legend_rows: int = 2, width_ratios=None):
    """A grid of axes plus a bottom row that holds the legend.

    Why: a figure-level legend placed "outside" shares the top or bottom edge with the title or
    the source line and constrained layout does not stack them, so they overlap. A legend inside
    its own axes row is laid out like any other axes.

    Returns
    -------
    (axes, legend_ax) : (ndarray of Axes with shape (nrows, ncols), Axes)
    """
    panel_height = max(fig.get_figheight() - 1.6, 1.0) / nrows
    legend_height = 0.28 * legend_rows + 0.1
    grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[panel_height] * nrows + [legend_height], width_ratios=width_ratios)
    axes = np.empty((nrows, ncols), dtype=object)
    for i in range(nrows):
        for j in range(ncols):
            axes[i, j] = fig.add_subplot(
                grid[i, j],
                sharex=axes[0, 0] if sharex and (i, j) != (0, 0) else None,
                sharey=axes[i, 0] if sharey and j > 0 else None,
            )
    legend_ax = fig.add_subplot(grid[nrows, :])
    legend_ax.set_axis_off()
    return axes, legend_ax


def _years(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype("Int64")


# --------------------------------------------------------------------------------------------
# data preparation shared by notebooks
# --------------------------------------------------------------------------------------------
def indicator_names(indicators: pd.DataFrame) -> dict[str, str]:
    """``indicator_code → indicator_name`` (the most frequent name of each code)."""
    if len(indicators) == 0:
        return {}
    names = indicators.dropna(subset=["indicator_code", "indicator_name"])
    return (
        names.groupby("indicator_code")["indicator_name"]
        .agg(lambda s: s.mode().iloc[0])
        .to_dict()
    )


def percent_indicator_codes() -> set[str]:
    """Indicators whose compared measure is a percentage (a growth rate or a rate in %).

    Why: ``targets_vs_outcomes`` compares each indicator's primary measure; for most it is a
    growth rate in %, but 城镇新增就业 is a head count and 人口自然增长率 is in ‰. Charts with a "%"
    or "percentage points" axis draw only these (from ``lexicons/indicators.csv``).
    """
    from .indicators import indicator_lexicon

    return {
        code
        for code, indicator in indicator_lexicon().items()
        if indicator.primary_measure in ("growth", "rate") and "%" in indicator.units
    }


def section_shares(sections: pd.DataFrame, level: int = 1) -> pd.DataFrame:
    """Top-level sections of one report and their share of the text.

    Parameters
    ----------
    sections : DataFrame
        One report's rows of ``sections`` (``section_id, level, number, title, section_type,
        char_start, char_end, n_chars``). Level-1 sections are measured from their ``char_start``
        to their ``char_end`` (which covers their subsections); the preamble (``section_id`` 0) is
        kept.
    level : int
        The heading level to show.

    Returns
    -------
    DataFrame
        ``section_id, label (str), section_type, n_chars (int), share (float, 0–1)`` in text order.
    """
    rows = sections[(sections["level"] == level) | (sections["section_id"] == 0)].copy()
    rows = rows.sort_values("char_start")
    total = sections["char_end"].max() - sections["char_start"].min() if len(sections) else 0
    n_chars = (rows["char_end"] - rows["char_start"]).astype("int64")
    labels = []
    for sid, number, title, section_type in zip(rows["section_id"], rows["number"], rows["title"], rows["section_type"]):
        if sid == 0 and (not isinstance(title, str) or not title.strip()):
            labels.append("开头（称呼与引言）")
            continue
        number = number if isinstance(number, str) and number.strip() else ""
        if not (isinstance(title, str) and title.strip()):
            kind = section_type if isinstance(section_type, str) and section_type else ""
            kind = SECTION_TYPE_LABELS.get(kind, kind)
            title = f"（无标题{'：' + kind if kind else ''}）"
        labels.append(_short(f"{number}、{title}" if number else title, 22))
    return pd.DataFrame(
        {
            "section_id": rows["section_id"].to_numpy(),
            "label": labels,
            "section_type": rows["section_type"].to_numpy(),
            "n_chars": n_chars.to_numpy(),
            "share": (n_chars / total).to_numpy() if total else np.nan,
        }
    )


def attention_vs_corpus(
    attention: pd.DataFrame, report_id: str, scope: str = "all", measure: str = "hits_per_10k_chars"
) -> pd.DataFrame:
    """One report's attention to each theme beside the corpus average.

    Returns
    -------
    DataFrame
        ``theme_code, theme_name, report (float, <NA> if the report has no row), corpus_mean,
        corpus_min, corpus_max (float), n_reports (int)``, ordered by the report's value.
    """
    rows = attention[attention["scope"] == scope]
    corpus = rows.groupby(["theme_code", "theme_name"])[measure].agg(
        corpus_mean="mean", corpus_min="min", corpus_max="max", n_reports="count"
    )
    mine = rows[rows["report_id"] == report_id].set_index(["theme_code", "theme_name"])[measure].rename("report")
    table = corpus.join(mine, how="left").reset_index()
    table = table[["theme_code", "theme_name", "report", "corpus_mean", "corpus_min", "corpus_max", "n_reports"]]
    return table.sort_values(["report", "corpus_mean"], ascending=False, na_position="last").reset_index(drop=True)


@lru_cache(maxsize=1)
def _strength_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    text = (resources.files("govreports") / "lexicons" / "wording_strength.csv").read_text(encoding="utf-8")
    table = pd.read_csv(io.StringIO(text), comment="#", dtype="string")
    soft = tuple(sorted(table.loc[table["strength"] == "soft", "word"], key=len, reverse=True))
    hard = tuple(sorted(table.loc[table["strength"] == "hard", "word"], key=len, reverse=True))
    return soft, hard


def wording_strength(indicators: pd.DataFrame) -> pd.Series:
    """Classify each target's wording as ``hard`` or ``soft`` (``<NA>`` when it cannot be told).

    Rules (words in ``lexicons/wording_strength.csv``): a soft word in the qualifier (力争, 争取,
    左右 …) makes it soft, even beside a hard one (力争…以上 is aspirational); otherwise a hard word
    (确保, 以上, 控制在 …) makes it hard. Without a qualifier word the constraint decides: a range
    or approximate value is soft; a floor, ceiling or bare exact number is hard. Relative and
    qualitative targets (快于全省, 与经济增长同步) stay ``<NA>``: they have no number to be firm
    about.

    Returns
    -------
    Series
        ``hard`` / ``soft`` / ``<NA>`` (string dtype), aligned with ``indicators``.
    """
    soft_words, hard_words = _strength_words()
    qualifier = indicators["qualifier"].astype("string").fillna("")
    constraint = indicators["constraint"].astype("string").fillna("")
    is_soft = qualifier.str.contains("|".join(soft_words), regex=True)
    is_hard = qualifier.str.contains("|".join(hard_words), regex=True)
    numeric = constraint.isin(["floor", "ceiling", "exact", "range", "approx"])
    strength = pd.Series(pd.NA, index=indicators.index, dtype="string")
    strength = strength.mask(numeric & constraint.isin(["range", "approx"]), "soft")
    strength = strength.mask(numeric & constraint.isin(["floor", "ceiling", "exact"]), "hard")
    strength = strength.mask(numeric & is_hard, "hard")
    strength = strength.mask(numeric & is_soft, "soft")
    return strength


def wording_shares(indicators: pd.DataFrame, by: str = "report_id", kinds: Sequence[str] = ("target",)) -> pd.DataFrame:
    """Count hard / soft / unclassified target wordings per group (report, year …).

    Returns
    -------
    DataFrame
        index ``by``; columns ``hard, soft, unclassified`` (int counts), ``n`` (int) and
        ``hard_share`` (float, hard / (hard + soft); <NA> when neither occurs).
    """
    rows = indicators[indicators["kind"].isin(list(kinds))]
    strength = wording_strength(rows).fillna("unclassified")
    counts = (
        pd.crosstab(rows[by], strength)
        .reindex(columns=["hard", "soft", "unclassified"], fill_value=0)
        .astype("int64")
    )
    counts.columns.name = None
    counts["n"] = counts.sum(axis=1)
    rated = counts["hard"] + counts["soft"]
    counts["hard_share"] = (counts["hard"] / rated.where(rated > 0)).astype("Float64")
    return counts


def slogan_summary(slogans: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Slogans across the corpus: how often, in how many reports and places each one is used.

    Returns
    -------
    DataFrame
        ``slogan, n_mentions (int), n_reports (int), n_places (int), places (str, "、"-joined),
        is_national_formula (boolean), in_glossary (boolean)``, most mentioned first. A slogan
        used in one place only is that place's own (``n_places == 1``).
    """
    if len(slogans) == 0:
        return pd.DataFrame(columns=["slogan", "n_mentions", "n_reports", "n_places", "places", "is_national_formula", "in_glossary"])
    place = reports.set_index("report_id")["region_name"]
    rows = slogans.assign(place=slogans["report_id"].map(place).fillna("地名不详"))
    summary = (
        rows.groupby("slogan", sort=False)
        .agg(
            n_mentions=("n_mentions", "sum"),
            n_reports=("report_id", "nunique"),
            n_places=("place", "nunique"),
            places=("place", lambda s: "、".join(dict.fromkeys(s))),
            is_national_formula=("is_national_formula", "any"),
            in_glossary=("in_glossary", "any"),
        )
        .reset_index()
        .astype({"n_mentions": "int64", "n_reports": "int64", "n_places": "int64", "is_national_formula": "boolean", "in_glossary": "boolean"})
    )
    return summary.sort_values(["n_mentions", "n_reports", "slogan"], ascending=[False, False, True], kind="stable").reset_index(drop=True)


def fill_rates(frame: pd.DataFrame, columns: Sequence[str], by: str = "report_id", all_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Share of non-missing values per group and column (extraction coverage).

    Parameters
    ----------
    frame : DataFrame
        A corpus table (``reports``, ``indicators`` …).
    columns : sequence of str
        Columns to measure.
    by : str
        The grouping column.
    all_ids : sequence of str, optional
        Every group that should appear; a group without rows gets <NA> (nothing extracted), not 0.

    Returns
    -------
    DataFrame
        index ``by`` values, one float column (0–1, or <NA>) per column.
    """
    present = frame[list(columns)].notna() & frame[list(columns)].ne("")
    rates = present.groupby(frame[by]).mean().astype("Float64")
    if all_ids is not None:
        rates = rates.reindex(list(all_ids))
    rates.index.name = by
    return rates


# --------------------------------------------------------------------------------------------
# one report
# --------------------------------------------------------------------------------------------
def plot_section_shares(sections: pd.DataFrame, title: str, source: str, level: int = 1) -> Figure:
    """Horizontal bars: each top-level section's share of the report's text.

    Parameters
    ----------
    sections : DataFrame
        One report's ``sections`` rows.
    title : str
        Figure title, e.g. ``景德镇市2022年政府工作报告：各部分篇幅``.
    source : str
        Source line (:func:`govreports.figures.source_line`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    shares = section_shares(sections, level=level)
    if len(shares) == 0:
        return _empty_figure(title, "未识别出章节结构", source)
    fig = _new_figure(8, 1.2 + 0.42 * len(shares))
    ax = fig.add_subplot()
    y = np.arange(len(shares))
    ax.barh(y, shares["share"], color=COLORS["report"], height=0.65)
    ax.set_yticks(y, shares["label"])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("占全文字数的比例（%）")
    ax.grid(axis="y", visible=False)
    for yi, share, n in zip(y, shares["share"], shares["n_chars"]):
        ax.annotate(f"{'<1%' if 0 < share < 0.005 else format(share, '.0%')}（{n:,}字）", (share, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8.5)
    ax.set_xlim(0, max(float(shares["share"].max()) * 1.3, 0.05))
    fig.suptitle(title, x=0.01, ha="left")
    add_caption(fig, source)
    return fig


def plot_attention_vs_corpus(
    attention: pd.DataFrame,
    report_id: str,
    title: str,
    source: str,
    scope: str = "all",
    measure: str = "hits_per_10k_chars",
) -> Figure:
    """Paired horizontal bars: one report's attention per theme against the corpus mean and range.

    Returns
    -------
    matplotlib.figure.Figure
        The report's value as a blue bar (missing: no bar and "—"), the corpus mean as a grey bar,
        and the corpus min–max as a thin line.
    """
    table = attention_vs_corpus(attention, report_id, scope=scope, measure=measure)
    if len(table) == 0:
        return _empty_figure(title, "没有政策注意力数据", source)
    fig = _new_figure(8, 2.2 + 0.55 * len(table))
    axes, legend_ax = _grid_with_legend_row(fig, 1, 1, legend_rows=1)
    ax = axes[0, 0]
    y = np.arange(len(table))
    report_values = pd.to_numeric(table["report"], errors="coerce").to_numpy(dtype=float)
    ax.barh(y - 0.18, report_values, height=0.36, color=COLORS["report"], label="本报告")
    ax.barh(y + 0.18, table["corpus_mean"], height=0.36, color=COLORS["corpus"], label=f"语料平均（{int(table['n_reports'].max())}份报告）")
    ax.hlines(y + 0.18, table["corpus_min"], table["corpus_max"], color="#555555", linewidth=1, label="语料最小–最大")
    for yi, value in zip(y, report_values):
        if np.isnan(value):
            ax.annotate(MISSING_MARK, (0, yi - 0.18), xytext=(3, 0), textcoords="offset points", va="center", color=COLORS["unknown"])
    ax.set_yticks(y, [_short(n) for n in table["theme_name"]])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(f"{MEASURE_LABELS.get(measure, measure)}（{SCOPE_LABELS.get(scope, scope)}）")
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: ("本报告" not in labels[i], "平均" not in labels[i]))
    legend_ax.legend([handles[i] for i in order], [labels[i] for i in order], loc="center", ncols=3)
    fig.suptitle(title, x=0.01, ha="left")
    add_caption(fig, source, note="主题词表见 govreports/lexicons/themes；“—”表示本报告无该主题数据")
    return fig


# --------------------------------------------------------------------------------------------
# targets and outcomes
# --------------------------------------------------------------------------------------------
def _draw_target(ax, position: float, value: float, high: float, constraint: str, vertical: bool, color: str) -> None:
    """Draw one target at ``position`` (x for vertical charts, y for horizontal ones)."""
    if value is None or pd.isna(value):
        return

    def point(v):
        return (position, v) if vertical else (v, position)

    bar_marker = "_" if vertical else "|"
    if constraint == "range" and high is not None and not pd.isna(high):
        if vertical:
            ax.bar(position, high - value, bottom=value, width=0.55, color=color, alpha=0.35, edgecolor=color, linewidth=1)
        else:
            ax.barh(position, high - value, left=value, height=0.5, color=color, alpha=0.35, edgecolor=color, linewidth=1)
        return
    if constraint in ("floor", "ceiling"):
        if vertical:
            arrow = 10 if constraint == "floor" else 11  # caret with its base on the value
        else:
            arrow = 9 if constraint == "floor" else 8
        ax.plot(*point(value), marker=bar_marker, markersize=12, markeredgewidth=2, color=color, linestyle="none")
        ax.plot(*point(value), marker=arrow, markersize=9, color=color, linestyle="none")
        return
    if constraint == "approx":
        ax.plot(*point(value), marker="D", markersize=7, markerfacecolor="white", markeredgewidth=1.6, color=color, linestyle="none")
        return
    ax.plot(*point(value), marker=bar_marker, markersize=12, markeredgewidth=2.4, color=color, linestyle="none")


def _target_legend_handles(constraints: Sequence[str], vertical: bool) -> tuple[list, list]:
    color = COLORS["target"]
    bar_marker = "_" if vertical else "|"
    up, down = (10, 11) if vertical else (9, 8)
    handles, labels = [], []
    for constraint in ("range", "floor", "ceiling", "approx", "exact"):
        if constraint not in constraints:
            continue
        if constraint == "range":
            handle = Patch(facecolor=color, alpha=0.35, edgecolor=color)
        elif constraint in ("floor", "ceiling"):
            handle = (
                Line2D([], [], marker=bar_marker, markersize=12, markeredgewidth=2, color=color, linestyle="none"),
                Line2D([], [], marker=up if constraint == "floor" else down, markersize=8, color=color, linestyle="none"),
            )
        elif constraint == "approx":
            handle = Line2D([], [], marker="D", markersize=6, markerfacecolor="white", markeredgewidth=1.5, color=color, linestyle="none")
        else:
            handle = Line2D([], [], marker=bar_marker, markersize=12, markeredgewidth=2.4, color=color, linestyle="none")
        handles.append(handle)
        labels.append(CONSTRAINT_LABELS[constraint])
    return handles, labels


def plot_targets_vs_outcomes(
    targets_vs_outcomes: pd.DataFrame,
    title: str,
    source: str,
    indicator_codes: Sequence[str] | None = None,
    names: Mapping[str, str] | None = None,
    max_panels: int = 6,
) -> Figure:
    """Small multiples, one per indicator: targets (as constraints) and outcomes year by year.

    Parameters
    ----------
    targets_vs_outcomes : DataFrame
        Rows of ``targets_vs_outcomes`` for one region (``year, indicator_code, target_value,
        target_value_high, constraint, outcome_value, is_met``).
    title, source : str
    indicator_codes : sequence of str, optional
        Indicators to draw; default: the percentage indicators (:func:`percent_indicator_codes`)
        with the most years carrying a target or an outcome.
    names : mapping, optional
        ``indicator_code → Chinese name`` (:func:`indicator_names`).
    max_panels : int

    Returns
    -------
    matplotlib.figure.Figure
        Outcomes as dots (green: target met, red: missed, grey: cannot be judged); a year with a
        target but no outcome is marked with a grey × on the axis.
    """
    tvo = targets_vs_outcomes.assign(year=_years(targets_vs_outcomes["year"]))
    names = dict(names or {})
    if indicator_codes is None:
        has_data = tvo[(tvo["target_value"].notna() | tvo["outcome_value"].notna()) & tvo["indicator_code"].isin(percent_indicator_codes())]
        order = has_data.groupby("indicator_code")["year"].nunique().sort_values(ascending=False, kind="stable")
        indicator_codes = list(order.index[:max_panels])
    indicator_codes = [c for c in indicator_codes if c in set(tvo["indicator_code"])][:max_panels]
    if not indicator_codes:
        return _empty_figure(title, "没有可以对照的目标与实际值", source)
    ncols = 1 if len(indicator_codes) == 1 else 2
    nrows = int(np.ceil(len(indicator_codes) / ncols))
    fig = _new_figure(11 if ncols == 2 else 8, 2.4 + 3.0 * nrows)
    axes, legend_ax = _grid_with_legend_row(fig, nrows, ncols, sharex=True)
    years = tvo["year"].dropna()
    constraints_seen: set[str] = set()
    outcome_kinds: set[str] = set()
    any_missing_outcome = False
    n_relative = 0
    for ax, code in zip(axes.flat, indicator_codes):
        rows = tvo[tvo["indicator_code"] == code].sort_values("year")
        for row in rows.itertuples(index=False):
            if pd.isna(row.year):
                continue
            constraint = row.constraint if isinstance(row.constraint, str) else "exact"
            if constraint in ("relative", "qualitative"):  # not a value on this axis
                n_relative += 1
            elif not pd.isna(row.target_value):
                constraints_seen.add(constraint if constraint in CONSTRAINT_LABELS else "exact")
                _draw_target(ax, int(row.year), row.target_value, row.target_value_high, constraint, True, COLORS["target"])
            if pd.isna(row.outcome_value):
                if not pd.isna(row.target_value):
                    any_missing_outcome = True
                    ax.plot(int(row.year), 0.02, marker="x", color=COLORS["unknown"], markersize=6, transform=ax.get_xaxis_transform(), clip_on=False)
                continue
            met = row.is_met
            kind = "unknown" if met is None or pd.isna(met) else ("met" if bool(met) else "not_met")
            outcome_kinds.add(kind)
            ax.plot(int(row.year), row.outcome_value, marker="o", markersize=6.5, color=COLORS[kind], linestyle="none", zorder=3)
        outcomes = rows.dropna(subset=["outcome_value"])
        ax.plot(outcomes["year"].astype(float), outcomes["outcome_value"], color="#999999", linewidth=0.8, zorder=2)
        ax.set_title(_short(names.get(code, code), 20), fontsize=10.5)
        ax.set_ylabel("%")
        ax.margins(y=0.12)  # keeps data clear of the × marks drawn along the bottom edge
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
    for ax in axes.flat[len(indicator_codes):]:
        ax.set_axis_off()
    if len(years):
        for ax in axes.flat[: len(indicator_codes)]:
            ax.set_xlim(int(years.min()) - 0.8, int(years.max()) + 0.8)
    handles, labels = _target_legend_handles(sorted(constraints_seen), vertical=True)
    outcome_labels = {"met": "实际（达到目标）", "not_met": "实际（未达到）", "unknown": "实际（无法判断）"}
    for kind in ("met", "not_met", "unknown"):
        if kind in outcome_kinds:
            handles.append(Line2D([], [], marker="o", color=COLORS[kind], linestyle="none", markersize=6))
            labels.append(outcome_labels[kind])
    if any_missing_outcome:
        handles.append(Line2D([], [], marker="x", color=COLORS["unknown"], linestyle="none", markersize=6))
        labels.append("有目标、无实际值")
    legend_ax.legend(handles, labels, loc="center", ncols=min(4, len(handles)), handler_map={tuple: HandlerTuple(ndivide=1)})
    fig.suptitle(title, x=0.01, ha="left")
    note = "目标取自当年报告，实际值取自次年报告的回顾；单位为增长率或比率（%）"
    if n_relative:
        note += f"；{n_relative}个相对或定性目标（如“高于全省”“同步”）没有画出"
    add_caption(fig, source, note=note)
    return fig


def plot_growth_targets(
    indicators: pd.DataFrame,
    reports: pd.DataFrame,
    title: str,
    source: str,
    indicator_codes: Sequence[str],
    names: Mapping[str, str] | None = None,
) -> Figure:
    """Growth targets across places and years: one panel per indicator, one row per report.

    Parameters
    ----------
    indicators : DataFrame
        ``indicators`` rows (targets with ``measure == 'growth'`` are drawn).
    reports : DataFrame
        ``reports`` rows of the reports to show (labels ``景德镇市 2022``; a report without a
        target for an indicator shows "—" in that panel).
    indicator_codes : sequence of str
    names : mapping, optional

    Returns
    -------
    matplotlib.figure.Figure
        Each target drawn as its constraint, with its qualifier word written beside it.
    """
    names = dict(names or {})
    rows = indicators[(indicators["kind"] == "target") & (indicators["measure"] == "growth")]
    rows = rows[rows["indicator_code"].isin(list(indicator_codes)) & rows["report_id"].isin(reports["report_id"])]
    codes = [c for c in indicator_codes if c in set(rows["indicator_code"])]
    if not codes:
        return _empty_figure(title, "所选报告中没有这些指标的增长目标", source)
    ordered = reports.assign(_year=_years(reports["report_year"])).sort_values(["region_name", "_year", "report_id"])
    labels = report_label(ordered)
    position = {rid: i for i, rid in enumerate(ordered["report_id"])}
    fig = _new_figure(min(4.2 + 3.2 * len(codes), 16), 2.6 + 0.34 * len(ordered))
    axes, legend_ax = _grid_with_legend_row(fig, 1, len(codes), sharey=True, legend_rows=1 if len(codes) > 2 else 2)
    axes = axes[0]
    constraints_seen: set[str] = set()
    for ax, code in zip(axes, codes):
        panel = rows[rows["indicator_code"] == code]
        # the headline target: the first one with a number (else the first qualitative one)
        panel = panel.assign(_no_value=panel["value"].isna()).sort_values(["_no_value", "char_start"], kind="stable").drop_duplicates("report_id")
        for row in panel.itertuples(index=False):
            constraint = row.constraint if row.constraint in CONSTRAINT_LABELS else "exact"
            y = position[row.report_id]
            word = row.qualifier if isinstance(row.qualifier, str) else ""
            if pd.isna(row.value) or row.constraint in ("relative", "qualitative"):
                # no number on this axis (与经济增长同步; 高于全省1个百分点 is relative): name it, draw nothing
                ax.annotate(f"（{_short(word, 8) or '无数值'}）", (0.0, y), xycoords=("axes fraction", "data"), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8, color=COLORS["unknown"])
                continue
            constraints_seen.add(constraint)
            _draw_target(ax, y, row.value, row.value_high, constraint, False, COLORS["target"])
            right = row.value_high if constraint == "range" and not pd.isna(row.value_high) else row.value
            ax.annotate(_short(word, 8), (right, y), xytext=(7, 0), textcoords="offset points", va="center", fontsize=8, color="#444444")
        for rid, y in position.items():
            if rid not in set(panel["report_id"]):
                ax.annotate(MISSING_MARK, (0.0, y), xycoords=("axes fraction", "data"), xytext=(3, 0), textcoords="offset points", va="center", color=COLORS["unknown"])
        ax.set_title(_short(names.get(code, code), 14), fontsize=10.5)
        ax.set_xlabel("增长目标（%）")
        ax.margins(x=0.25)
    axes[0].set_yticks(range(len(ordered)), [labels[rid] for rid in ordered["report_id"]])
    axes[0].set_ylim(len(ordered) - 0.5, -0.5)
    for ax in axes:
        ax.grid(axis="y", visible=False)
    for ax in axes[1:]:
        ax.tick_params(axis="y", labelleft=False)
    handles, legend_labels = _target_legend_handles(sorted(constraints_seen), vertical=False)
    legend_ax.legend(handles, legend_labels, loc="center", ncols=min(5 if len(codes) > 2 else 3, len(handles)), handler_map={tuple: HandlerTuple(ndivide=1)})
    fig.suptitle(title, x=0.01, ha="left")
    add_caption(fig, source, note="每份报告取每个指标第一次出现的年度目标；“—”表示报告未给出该目标")
    return fig


def plot_gap_distribution(
    targets_vs_outcomes: pd.DataFrame,
    title: str,
    source: str,
    names: Mapping[str, str] | None = None,
    max_indicators: int = 12,
) -> Figure:
    """Outcome − target (percentage points) per indicator, one dot per place-year.

    Only indicators measured in % are drawn (:func:`percent_indicator_codes`): a gap in head
    counts or ‰ on a percentage-point axis would be meaningless.

    Returns
    -------
    matplotlib.figure.Figure
        Dots coloured by whether the target was met; each row says how many pairs have a gap and
        how many targets could not be compared (no outcome reported).
    """
    names = dict(names or {})
    tvo = targets_vs_outcomes[targets_vs_outcomes["target_value"].notna() & targets_vs_outcomes["indicator_code"].isin(percent_indicator_codes())]
    with_gap = tvo[tvo["gap_pp"].notna()]
    if len(with_gap) == 0:
        return _empty_figure(title, "没有可以计算差值的目标与实际值", source)
    order = with_gap.groupby("indicator_code").size().sort_values(ascending=False, kind="stable").index[:max_indicators]
    fig = _new_figure(9, 2.3 + 0.5 * len(order))
    axes, legend_ax = _grid_with_legend_row(fig, 1, 1, legend_rows=1)
    ax = axes[0, 0]
    rng = np.random.default_rng(0)  # fixed jitter: same figure on every run
    for y, code in enumerate(order):
        rows = with_gap[with_gap["indicator_code"] == code]
        jitter = rng.uniform(-0.15, 0.15, size=len(rows))
        met = rows["is_met"].astype("boolean")
        colors = [COLORS["unknown"] if pd.isna(m) else (COLORS["met"] if m else COLORS["not_met"]) for m in met]
        ax.scatter(rows["gap_pp"].astype(float), y + jitter, c=colors, s=26, alpha=0.85, edgecolors="white", linewidths=0.5, zorder=3)
        n_missing = int((tvo["indicator_code"] == code).sum() - len(rows))
        ax.annotate(f"n={len(rows)}，无法对照{n_missing}", (1.0, y), xycoords=("axes fraction", "data"), xytext=(6, 0), textcoords="offset points", va="center", fontsize=8, color="#444444")
    ax.axvline(0, color="#333333", linewidth=1)
    ax.set_yticks(range(len(order)), [_short(names.get(c, c), 12) for c in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("实际 − 目标（百分点）")
    handles = [
        Line2D([], [], marker="o", color=COLORS["met"], linestyle="none"),
        Line2D([], [], marker="o", color=COLORS["not_met"], linestyle="none"),
        Line2D([], [], marker="o", color=COLORS["unknown"], linestyle="none"),
    ]
    legend_ax.legend(handles, ["达到目标", "未达到", "无法判断"], loc="center", ncols=3)
    fig.suptitle(title, x=0.01, ha="left")
    add_caption(fig, source, note="只含以百分比计的指标；区间目标按中点计算差值；“无法对照”：有目标但次年报告未给出实际值")
    return fig


def plot_wording_over_time(indicators: pd.DataFrame, reports: pd.DataFrame, title: str, source: str) -> Figure:
    """Stacked bars per report year: how many targets are worded hard, soft or neither.

    Returns
    -------
    matplotlib.figure.Figure
        A year without a report has no bar (not a zero bar); the hard share is written on top.
    """
    years = reports[["report_id", "report_year"]].assign(report_year=_years(reports["report_year"]))
    rows = indicators[indicators["report_id"].isin(years["report_id"])].merge(years, on="report_id", how="left", validate="m:1")
    rows = rows[rows["report_year"].notna()]
    if (rows["kind"] == "target").sum() == 0:
        return _empty_figure(title, "报告中没有识别出年度目标", source)
    counts = wording_shares(rows, by="report_year")
    fig = _new_figure(9, 5.2)
    axes, legend_ax = _grid_with_legend_row(fig, 1, 1, legend_rows=1)
    ax = axes[0, 0]
    x = counts.index.astype(int).to_numpy()
    bottom = np.zeros(len(counts))
    for key in ("hard", "soft", "unclassified"):
        ax.bar(x, counts[key], bottom=bottom, width=0.75, color=COLORS[key], label=STRENGTH_LABELS[key])
        bottom += counts[key].to_numpy()
    for xi, total, share in zip(x, counts["n"], counts["hard_share"]):
        if not pd.isna(share):
            ax.annotate(f"{share:.0%}", (xi, total), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=7.5, color="#333333")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("年度目标数（个）")
    ax.set_xlabel("报告年份")
    ax.grid(axis="x", visible=False)
    legend_ax.legend(*ax.get_legend_handles_labels(), loc="center", ncols=3)
    ax.set_ylim(0, max(bottom.max() * 1.12, 1))
    fig.suptitle(title, x=0.01, ha="left")
    add_caption(fig, source, note="柱顶数字为硬约束在可判断目标中的占比；无柱的年份语料中没有报告")
    return fig


def plot_wording_shares(indicators: pd.DataFrame, reports: pd.DataFrame, title: str, source: str) -> Figure:
    """Horizontal 100 % bars per report: share of hard, soft and unclassified target wording.

    Returns
    -------
    matplotlib.figure.Figure
        A report without any target shows "—" instead of an empty bar.
    """
    ordered = reports.assign(_year=_years(reports["report_year"])).sort_values(["region_name", "_year", "report_id"])
    counts = wording_shares(indicators[indicators["report_id"].isin(ordered["report_id"])]).reindex(ordered["report_id"])
    labels = report_label(ordered)
    fig = _new_figure(9, 2.5 + 0.32 * len(ordered))
    axes, legend_ax = _grid_with_legend_row(fig, 1, 1, legend_rows=1)
    ax = axes[0, 0]
    y = np.arange(len(ordered))
    totals = counts["n"].to_numpy(dtype=float)
    left = np.zeros(len(ordered))
    for key in ("hard", "soft", "unclassified"):
        share = np.where(totals > 0, counts[key].to_numpy(dtype=float) / np.where(totals > 0, totals, 1), np.nan)
        ax.barh(y, share, left=left, height=0.7, color=COLORS[key], label=STRENGTH_LABELS[key])
        left = left + np.nan_to_num(share)
    for yi, total in zip(y, totals):
        if np.isnan(total) or total == 0:
            ax.annotate(MISSING_MARK + " 无目标", (0, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8, color=COLORS["unknown"])
        else:
            ax.annotate(f"{int(total)}个", (1.0, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8, color="#444444")
    ax.set_yticks(y, [labels[rid] for rid in ordered["report_id"]])
    ax.set_ylim(len(ordered) - 0.5, -0.5)
    ax.set_xlim(0, 1.0)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("年度目标的措辞构成（%）")
    ax.grid(axis="y", visible=False)
    legend_ax.legend(*ax.get_legend_handles_labels(), loc="center", ncols=3)
    fig.suptitle(title, x=0.01, ha="left")
    add_caption(fig, source, note="右侧数字为该报告识别出的年度目标个数")
    return fig


# --------------------------------------------------------------------------------------------
# attention and words
# --------------------------------------------------------------------------------------------
def _heatmap(ax, values: pd.DataFrame, fmt: str, cmap: str = "YlGnBu", vmin=None, vmax=None, zero_mark: str | None = None, log: bool = False):
    """Draw a heatmap where missing cells are hatched grey and marked "—" (never coloured as 0).

    ``zero_mark`` replaces the text of cells that are exactly 0 (a real zero, e.g. "·", keeps a
    wide table readable); ``log`` colours by the logarithm (counts spanning orders of magnitude;
    zeros get the lowest colour).
    """
    data = values.to_numpy(dtype=float)
    masked = np.ma.masked_invalid(data)
    colormap = matplotlib.colormaps[cmap].with_extremes(bad=COLORS["missing"], under=matplotlib.colormaps[cmap](0.0))
    finite = data[np.isfinite(data)]
    if log:
        positive = finite[finite > 0]
        norm = LogNorm(vmin=max(positive.min(), 1.0) if positive.size else 1.0, vmax=positive.max() if positive.size else 10.0)
        image = ax.imshow(np.ma.masked_invalid(np.where(data > 0, data, 1e-9)), aspect="auto", cmap=colormap, norm=norm, interpolation="nearest")
        shade = norm
    else:
        image = ax.imshow(masked, aspect="auto", cmap=colormap, vmin=vmin, vmax=vmax, interpolation="nearest")
        shade = image.norm
    for (i, j), value in np.ndenumerate(data):
        if np.isnan(value):
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor="#BBBBBB", linewidth=0))
            ax.text(j, i, MISSING_MARK, ha="center", va="center", fontsize=7.5, color="#777777")
        elif value == 0 and zero_mark is not None:
            ax.text(j, i, zero_mark, ha="center", va="center", fontsize=7, color="#999999")
        elif fmt:
            dark = float(shade(value)) > 0.6 if value > 0 or not log else False
            ax.text(j, i, format(value, fmt), ha="center", va="center", fontsize=7, color="white" if dark else "#222222")
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return image


def plot_attention_heatmap(
    attention: pd.DataFrame,
    reports: pd.DataFrame,
    title: str,
    source: str,
    themes: Sequence[str] | None = None,
    scope: str = "all",
    measure: str = "hits_per_10k_chars",
) -> Figure:
    """Heatmap of themes (rows) × reports (columns), ordered by place and year.

    Returns
    -------
    matplotlib.figure.Figure
        Cell values annotated; a report without a row for a theme is hatched and marked "—".
    """
    rows = attention[(attention["scope"] == scope) & attention["report_id"].isin(reports["report_id"])]
    if themes is not None:
        rows = rows[rows["theme_code"].isin(list(themes))]
    if len(rows) == 0:
        return _empty_figure(title, "没有所选主题的政策注意力数据", source)
    ordered = reports.assign(_year=_years(reports["report_year"])).sort_values(["region_name", "_year", "report_id"])
    theme_names = rows.drop_duplicates("theme_code").set_index("theme_code")["theme_name"]
    table = rows.pivot_table(index="theme_code", columns="report_id", values=measure, aggfunc="first")
    table = table.reindex(columns=ordered["report_id"])
    table = table.loc[table.mean(axis=1).sort_values(ascending=False).index]
    labels = report_label(ordered)
    width = min(max(6.0, 2.6 + 0.42 * table.shape[1]), 18)
    fig = _new_figure(width, 2.2 + 0.5 * table.shape[0] + 0.9)
    ax = fig.add_subplot()
    image = _heatmap(ax, table, ".1f" if table.shape[1] <= 32 else "")
    ax.set_yticks(range(table.shape[0]), [_short(theme_names.get(c, c), 12) for c in table.index])
    ax.set_xticks(range(table.shape[1]), [labels[rid] for rid in table.columns], rotation=60, ha="right", rotation_mode="anchor")
    ax.tick_params(length=0)
    colorbar = fig.colorbar(image, ax=ax, shrink=0.8, pad=0.01)
    colorbar.set_label(MEASURE_LABELS.get(measure, measure))
    fig.suptitle(title, x=0.01, ha="left")
    add_caption(fig, source, note=f"范围：{SCOPE_LABELS.get(scope, scope)}；灰色斜线“—”表示无数据")
    return fig


def plot_theme_terms(
    attention_terms: pd.DataFrame,
    reports: pd.DataFrame,
    theme_code: str,
    title: str,
    source: str,
    n_terms: int = 15,
) -> Figure:
    """The terms behind one theme: total hits per term (left) and per report (right heatmap).

    Returns
    -------
    matplotlib.figure.Figure
        A term a report never uses is a blank-coloured 0 cell (the report was searched and the
        term is absent, which is data, not missing); reports outside the table are not shown.
    """
    rows = attention_terms[(attention_terms["theme_code"] == theme_code) & attention_terms["report_id"].isin(reports["report_id"])]
    if len(rows) == 0 or rows["n_hits"].sum() == 0:
        return _empty_figure(title, "这个主题在所选报告中没有命中", source)
    totals = rows.groupby("term")["n_hits"].sum().sort_values(ascending=False, kind="stable")
    totals = totals[totals > 0].iloc[:n_terms]
    ordered = reports.assign(_year=_years(reports["report_year"])).sort_values(["region_name", "_year", "report_id"])
    table = (
        rows[rows["term"].isin(totals.index)]
        .pivot_table(index="term", columns="report_id", values="n_hits", aggfunc="sum", fill_value=0)
        .reindex(index=totals.index, columns=ordered["report_id"], fill_value=0)
    )
    labels = report_label(ordered)
    width = min(max(9.0, 4.5 + 0.4 * table.shape[1]), 18)
    fig = _new_figure(width, 1.8 + 0.36 * len(totals) + 0.9)
    grid = fig.add_gridspec(1, 2, width_ratios=[1, max(1.5, 0.2 * table.shape[1])])
    ax_total = fig.add_subplot(grid[0, 0])
    ax_heat = fig.add_subplot(grid[0, 1], sharey=ax_total)
    y = np.arange(len(totals))
    ax_total.barh(y, totals.to_numpy(), color=COLORS["report"], height=0.7)
    ax_total.set_yticks(y, [_short(t, 12) for t in totals.index])
    ax_total.invert_xaxis()
    ax_total.set_xlabel("命中次数合计")
    ax_total.grid(axis="y", visible=False)
    image = _heatmap(ax_heat, table.astype(float), "g" if table.shape[1] <= 32 else "", cmap="Blues", vmin=0, zero_mark="·")
    ax_heat.tick_params(axis="y", labelleft=False, length=0)
    ax_heat.set_xticks(range(table.shape[1]), [labels[rid] for rid in table.columns], rotation=60, ha="right", rotation_mode="anchor")
    colorbar = fig.colorbar(image, ax=ax_heat, shrink=0.8, pad=0.01)
    colorbar.set_label("命中次数")
    fig.suptitle(title, x=0.01, ha="left")
    add_caption(fig, source, note=f"前{len(totals)}个词；“·”表示报告中没有出现该词（0次）")
    return fig


def plot_attention_trends(
    attention: pd.DataFrame,
    reports: pd.DataFrame,
    title: str,
    source: str,
    themes: Sequence[str] | None = None,
    scope: str = "all",
    measure: str = "hits_per_10k_chars",
) -> Figure:
    """Lines per theme over the report years of one region.

    Returns
    -------
    matplotlib.figure.Figure
        Gaps in the line where a year has no report (never interpolated through zero).
    """
    years = reports[["report_id", "report_year"]].assign(report_year=_years(reports["report_year"]))
    rows = attention[(attention["scope"] == scope)].merge(years, on="report_id", how="inner", validate="m:1")
    if themes is not None:
        rows = rows[rows["theme_code"].isin(list(themes))]
    rows = rows[rows["report_year"].notna()]
    if len(rows) == 0:
        return _empty_figure(title, "没有政策注意力数据", source)
    table = rows.pivot_table(index="report_year", columns="theme_code", values=measure, aggfunc="mean")
    all_years = pd.RangeIndex(int(table.index.min()), int(table.index.max()) + 1)
    table = table.reindex(all_years)  # a year without a report becomes NaN: a gap in the line
    names = rows.drop_duplicates("theme_code").set_index("theme_code")["theme_name"]
    order = table.mean().sort_values(ascending=False).index
    # one small panel per theme: a dozen lines in one axes cannot be told apart by colour
    ncols = min(4, len(order))
    nrows = int(np.ceil(len(order) / ncols))
    fig = _new_figure(3.0 * ncols + 0.6, 1.4 + 2.3 * nrows)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True)
    for ax, code in zip(axes.flat, order):
        ax.plot(table.index, table[code], marker="o", markersize=3, linewidth=1.5, color=COLORS["report"])
        ax.set_title(_short(names.get(code, code), 13), fontsize=10)
        ax.set_ylim(bottom=0)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        ax.tick_params(labelsize=8.5)
    for ax in axes.flat[len(order):]:
        ax.set_axis_off()
    for ax in axes.flat[: len(order)]:
        ax.xaxis.set_tick_params(labelbottom=True)
    fig.supylabel(f"{MEASURE_LABELS.get(measure, measure)}（{SCOPE_LABELS.get(scope, scope)}）", fontsize=10)
    fig.suptitle(title, x=0.01, ha="left")
    missing_years = [int(y) for y in all_years if y not in set(years["report_year"].dropna().astype(int))]
    note = "线条断开处该年没有报告" + (f"（{'、'.join(map(str, missing_years))}）" if missing_years else "")
    add_caption(fig, source, note=note)
    return fig


def plot_ranked_bars(
    frame: pd.DataFrame,
    label_column: str,
    value_column: str,
    title: str,
    source: str,
    xlabel: str,
    n: int = 20,
    note: str | None = None,
    highlight_column: str | None = None,
    highlight_labels: tuple[str, str] = ("", ""),
    annotation_column: str | None = None,
) -> Figure:
    """Horizontal bars of the top ``n`` rows by a value (distinctive terms, slogans …).

    Parameters
    ----------
    frame : DataFrame
    label_column, value_column : str
        Bar labels (Chinese, on the y axis) and lengths.
    xlabel : str
        Axis label with its unit.
    highlight_column : str, optional
        A boolean column; true rows are drawn in the second colour, with ``highlight_labels``
        (``(false label, true label)``) in the legend.
    annotation_column : str, optional
        A column whose text is written at the end of each bar (e.g. "5份报告").

    Returns
    -------
    matplotlib.figure.Figure
    """
    rows = frame.dropna(subset=[value_column]).sort_values(value_column, ascending=False, kind="stable").head(n)
    if len(rows) == 0:
        return _empty_figure(title, "没有数据", source)
    fig = _new_figure(8, 1.5 + 0.34 * len(rows))
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    colors = COLORS["report"]
    if highlight_column is not None:
        flags = rows[highlight_column].astype("boolean").fillna(False).to_numpy()
        colors = [COLORS["target"] if f else COLORS["report"] for f in flags]
    ax.barh(y, rows[value_column].astype(float), color=colors, height=0.7)
    ax.set_yticks(y, [_short(t, 16) for t in rows[label_column]])
    ax.invert_yaxis()
    if annotation_column is not None:
        for yi, value, text in zip(y, rows[value_column].astype(float), rows[annotation_column]):
            ax.annotate(str(text), (value, yi), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8, color="#444444")
        ax.margins(x=0.12)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    if highlight_column is not None:
        ax.legend(
            [Patch(color=COLORS["report"]), Patch(color=COLORS["target"])],
            list(highlight_labels),
            loc="lower right",
        )
    fig.suptitle(title, x=0.01, ha="left")
    add_caption(fig, source, note=note)
    return fig


def plot_series(
    frame: pd.DataFrame,
    x_column: str,
    y_column: str,
    title: str,
    source: str,
    xlabel: str,
    ylabel: str,
    percent: bool = False,
    note: str | None = None,
) -> Figure:
    """One value over time as a line with dots; missing values leave a gap (text reuse …).

    Returns
    -------
    matplotlib.figure.Figure
    """
    rows = frame[[x_column, y_column]].copy()
    rows[x_column] = pd.to_numeric(rows[x_column], errors="coerce")
    rows = rows.dropna(subset=[x_column]).sort_values(x_column)
    if rows[y_column].notna().sum() == 0:
        return _empty_figure(title, "没有数据", source)
    fig = _new_figure(9, 4.5)
    ax = fig.add_subplot()
    ax.plot(rows[x_column].astype(float), pd.to_numeric(rows[y_column], errors="coerce").astype(float), marker="o", color=COLORS["report"])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=12))
    if percent:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylim(bottom=0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.suptitle(title, x=0.01, ha="left")
    add_caption(fig, source, note=note)
    return fig


# --------------------------------------------------------------------------------------------
# corpus quality
# --------------------------------------------------------------------------------------------
def plot_repairs(repairs: pd.DataFrame, reports: pd.DataFrame, title: str, source: str) -> Figure:
    """What the cleaner repaired (reports × kind of repair) and could not (unresolved characters).

    Returns
    -------
    matplotlib.figure.Figure
        Left: a heatmap of repair counts per report and kind, coloured on a log scale because
        counts range from 1 to thousands ("·" = that repair was not needed); right: unresolved
        characters per report.
    """
    ordered = reports.assign(_year=_years(reports["report_year"])).sort_values(["region_name", "_year", "report_id"])
    labels = report_label(ordered)
    table = repairs[repairs["report_id"].isin(ordered["report_id"])]
    counts = table.pivot_table(index="report_id", columns="kind", values="count", aggfunc="sum", fill_value=0)
    counts = counts[counts.sum().sort_values(ascending=False).index]
    counts = counts.reindex(ordered["report_id"], fill_value=0)
    n_kinds = max(counts.shape[1], 1)
    fig = _new_figure(min(5.5 + 0.62 * n_kinds, 18), 2.8 + 0.3 * len(ordered))
    ax_rep, ax_unres = fig.subplots(1, 2, sharey=True, width_ratios=[max(0.62 * n_kinds, 2.5), 2.2])
    y = np.arange(len(ordered))
    if counts.shape[1]:
        image = _heatmap(ax_rep, counts.astype(float), "g", cmap="YlOrBr", zero_mark="·", log=True)
        colorbar = fig.colorbar(image, ax=ax_rep, shrink=0.5, pad=0.01)
        colorbar.set_label("修复次数（对数刻度）")
    ax_rep.set_xticks(range(counts.shape[1]), [_short(k, 28) for k in counts.columns], rotation=50, ha="right", rotation_mode="anchor")
    ax_rep.set_yticks(y, [labels[rid] for rid in ordered["report_id"]])
    ax_rep.tick_params(length=0)
    ax_rep.set_title("清洗时的修复（次数，按类型）", fontsize=10.5)
    unresolved = pd.to_numeric(ordered["unresolved_chars"], errors="coerce").to_numpy(dtype=float)
    ax_unres.barh(y, unresolved, height=0.7, color=COLORS["not_met"])
    for yi, value in zip(y, unresolved):
        ax_unres.annotate(MISSING_MARK if np.isnan(value) else f"{int(value)}", (0 if np.isnan(value) else value, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax_unres.set_xlabel("字符数")
    ax_unres.set_title("无法还原的字符", fontsize=10.5)
    ax_unres.grid(axis="y", visible=False)
    ax_unres.tick_params(axis="y", labelleft=False)
    ax_unres.set_ylim(len(ordered) - 0.5, -0.5)
    ax_unres.margins(x=0.25)
    ax_unres.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
    fig.suptitle(title, x=0.01, ha="left")
    add_caption(fig, source, note="“·”：该报告不需要这类修复；无法还原的字符：乱码、替换字符“�”等，清洗后仍留在文本中")
    return fig


def plot_fill_rates(rates: pd.DataFrame, reports: pd.DataFrame, title: str, source: str, column_labels: Mapping[str, str] | None = None) -> Figure:
    """Heatmap of extraction coverage: reports (rows) × columns, share of rows with a value.

    Parameters
    ----------
    rates : DataFrame
        From :func:`fill_rates` (index ``report_id``).
    reports : DataFrame
        For labels and order.
    column_labels : mapping, optional
        Display names for the columns.

    Returns
    -------
    matplotlib.figure.Figure
        A report with no rows at all is hatched and marked "—" (nothing extracted), unlike a 0 %.
    """
    ordered = reports.assign(_year=_years(reports["report_year"])).sort_values(["region_name", "_year", "report_id"])
    labels = report_label(ordered)
    table = rates.reindex(ordered["report_id"]).astype(float)
    column_labels = dict(column_labels or {})
    fig = _new_figure(min(max(7.0, 3.5 + 0.55 * table.shape[1]), 16), 2.4 + 0.3 * table.shape[0])
    ax = fig.add_subplot()
    finite = table.to_numpy(dtype=float)
    finite = finite[np.isfinite(finite)]
    binary = finite.size > 0 and np.isin(finite, [0.0, 1.0]).all()  # one row per report: found or not
    image = _heatmap(ax, table * 100, "" if binary else ".0f", cmap="YlGnBu", vmin=0, vmax=100)
    if binary:
        for (i, j), value in np.ndenumerate(table.to_numpy(dtype=float)):
            if not np.isnan(value):
                ax.text(j, i, "有" if value == 1 else "无", ha="center", va="center", fontsize=7.5, color="white" if value == 1 else "#B22222")
    ax.set_yticks(range(table.shape[0]), [labels[rid] for rid in table.index])
    ax.set_xticks(range(table.shape[1]), [column_labels.get(c, c) for c in table.columns], rotation=45, ha="right", rotation_mode="anchor")
    ax.tick_params(length=0)
    if not binary:
        colorbar = fig.colorbar(image, ax=ax, shrink=0.6, pad=0.01)
        colorbar.set_label("有值的比例（%）")
    fig.suptitle(title, x=0.01, ha="left")
    note = "“有”：报告中识别出该字段；“无”：未写明或未识别" if binary else "格中数字为有值的行所占百分比"
    add_caption(fig, source, note=note + "；灰色斜线“—”：该报告在此表中没有任何行")
    return fig
