"""Publication figures: the house style, a CJK font, captions, ids and :func:`save_figure`.

Why each piece exists
---------------------
- **One style** (``govreports/styles/govreports.mplstyle``) so every figure of the suite looks the
  same and stays legible in print; :func:`use_style` applies it (idempotent; every plot function in
  :mod:`govreports.plots` calls it).
- **A CJK font.** Matplotlib's default font has no Chinese glyphs, so Chinese labels would be drawn
  as boxes. :func:`find_cjk_font` looks for an openly licensed font (WenQuanYi Micro Hei, Noto Sans
  CJK SC, Source Han Sans SC) or a system font (PingFang SC, Microsoft YaHei …), registers the file
  with matplotlib's font manager and puts it first; when there is none it raises
  :class:`MissingCJKFontError`, whose message says what to install. ``GOVREPORTS_CJK_FONT`` may
  point at a font file to use instead.
- **Source lines.** Every chart says where its numbers come from ("来源：驻马店市政府工作报告
  2002–2026"); :func:`source_line` builds that text from the ``reports`` table, never by hand.
- **ASCII ids.** Figure folders are named by report id (``jingdezhen-2022``), region id
  (``zhumadian``) or ``corpus``; :func:`region_id` / :func:`region_table` map region ids to the
  Chinese region names, because notebook parameters must be ASCII.
- **Byte-identical files.** :func:`save_figure` strips the time stamps and software versions that
  matplotlib writes by default and fixes the SVG id salt, so rerunning a notebook leaves the files
  unchanged (and a file whose bytes did not change is not rewritten).
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import matplotlib
import pandas as pd
from matplotlib import font_manager

from . import config

#: Font families that cover simplified Chinese, best first. Openly licensed ones lead.
CJK_FONT_FAMILIES = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Serif CJK SC",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Microsoft YaHei",
    "SimHei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)

#: Where those fonts live on common systems (checked when matplotlib's font cache predates them).
CJK_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/adobe-source-han-sans/SourceHanSansSC-Regular.otf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
)

INSTALL_HINT = (
    "No font with Chinese glyphs was found, so Chinese labels would be drawn as boxes. Install one:\n"
    "  - Debian/Ubuntu: sh scripts/ensure_cjk_font.sh  (or: sudo apt-get install fonts-wqy-microhei)\n"
    "  - Fedora: sudo dnf install wqy-microhei-fonts   (or google-noto-sans-cjk-fonts)\n"
    "  - conda: conda install -c conda-forge font-ttf-noto-cjk\n"
    "  - macOS / Windows ship PingFang SC / Microsoft YaHei, which are found automatically.\n"
    "Or point the environment variable GOVREPORTS_CJK_FONT at a .ttf/.otf/.ttc file."
)

#: Salt for SVG element ids: fixed, so the same figure always gets the same ids.
SVG_HASHSALT = "govreports"

SUPPORTED_FORMATS = ("png", "svg", "pdf")

_SAVE_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
}

_ASCII_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_REPORT_ID = re.compile(r"^(?P<region>.+?)-(?P<year>\d{4})(?:-\d+)?$")

SOURCE_PREFIX = "来源："
MISSING_MARK = "—"


class MissingCJKFontError(RuntimeError):
    """No font with Chinese glyphs is available; the message says what to install."""


# --------------------------------------------------------------------------------------------
# fonts and style
# --------------------------------------------------------------------------------------------
_registered_family: str | None = None


def _fontconfig_files() -> list[str]:
    """Font files fontconfig knows that cover Chinese (empty when fc-list is not installed)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=20, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})


def find_cjk_font(
    font_files: Iterable[str] | None = None,
    use_fontconfig: bool = True,
    use_matplotlib_cache: bool = True,
) -> Path:
    """Find a font file with Chinese glyphs.

    Looks, in order, at ``$GOVREPORTS_CJK_FONT``, the fonts matplotlib already knows, the usual
    install locations (:data:`CJK_FONT_FILES`) and fontconfig (``fc-list :lang=zh``).

    Parameters
    ----------
    font_files : iterable of str, optional
        Candidate files to check instead of :data:`CJK_FONT_FILES`.
    use_fontconfig, use_matplotlib_cache : bool
        Whether to ask fontconfig / matplotlib's font list (tests switch them off).

    Returns
    -------
    pathlib.Path
        The font file.

    Raises
    ------
    MissingCJKFontError
        When no font is found; the message lists what to install.
    """
    override = os.environ.get("GOVREPORTS_CJK_FONT")
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise MissingCJKFontError(f"GOVREPORTS_CJK_FONT={override} is not a file.\n{INSTALL_HINT}")
        return path
    if use_matplotlib_cache:
        by_name = {entry.name: entry.fname for entry in font_manager.fontManager.ttflist}
        for family in CJK_FONT_FAMILIES:
            if family in by_name and Path(by_name[family]).is_file():
                return Path(by_name[family])
    for candidate in CJK_FONT_FILES if font_files is None else font_files:
        if Path(candidate).is_file():
            return Path(candidate)
    if use_fontconfig:
        files = _fontconfig_files()
        if files:
            # prefer a file whose name says sans/hei (legible at small sizes) over serif/song faces
            files.sort(key=lambda f: (not re.search(r"(?i)sans|hei|wqy", f), f))
            return Path(files[0])
    raise MissingCJKFontError(INSTALL_HINT)


def register_cjk_font(path: str | Path | None = None) -> str:
    """Register a CJK font file with matplotlib and return its family name.

    Parameters
    ----------
    path : str or Path, optional
        The font file; found with :func:`find_cjk_font` when omitted.

    Returns
    -------
    str
        The family name to put into ``font.sans-serif`` (e.g. ``"WenQuanYi Micro Hei"``).
    """
    path = Path(path) if path is not None else find_cjk_font()
    known = {Path(entry.fname) for entry in font_manager.fontManager.ttflist}
    if path not in known:
        font_manager.fontManager.addfont(str(path))
    names = [entry.name for entry in font_manager.fontManager.ttflist if Path(entry.fname) == path]
    for family in CJK_FONT_FAMILIES:  # a .ttc holds several faces: take the simplified-Chinese one
        if family in names:
            return family
    if names:
        return sorted(names)[0]
    return font_manager.FontProperties(fname=str(path)).get_name()


def style_path() -> Path:
    """Path of the package style sheet ``govreports.mplstyle``."""
    return Path(str(resources.files("govreports") / "styles" / "govreports.mplstyle"))


def _enable_notebook_display() -> None:
    """Show a returned Figure as an image in Jupyter.

    Plot functions build figures without pyplot (no global state), so the inline backend never
    registers its image formatter; register it here when running inside IPython.
    """
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("png")


def use_style() -> str:
    """Apply the house style and the CJK font to matplotlib (idempotent).

    Returns
    -------
    str
        The CJK font family in use.

    Raises
    ------
    MissingCJKFontError
        When no CJK font is installed.
    """
    global _registered_family
    if _registered_family is None:
        _registered_family = register_cjk_font()
        _enable_notebook_display()
    if matplotlib.rcParams["font.sans-serif"][:1] != [_registered_family]:
        from matplotlib import style as mpl_style

        mpl_style.use(str(style_path()))
        fallbacks = [f for f in matplotlib.rcParams["font.sans-serif"] if f != _registered_family]
        matplotlib.rcParams["font.family"] = ["sans-serif"]
        matplotlib.rcParams["font.sans-serif"] = [_registered_family, *fallbacks]
    return _registered_family


# --------------------------------------------------------------------------------------------
# ids and captions
# --------------------------------------------------------------------------------------------
def region_id(report_id: str) -> str:
    """The region part of a report id: ``zhumadian-2021`` → ``zhumadian``.

    Report ids are ``<place pinyin>-<year>`` (``-2`` … for a second report of the same place and
    year); an id without a year is returned unchanged.
    """
    match = _REPORT_ID.match(report_id)
    return match.group("region") if match else report_id


def region_table(reports: pd.DataFrame) -> pd.DataFrame:
    """One row per region: its ASCII id, Chinese name and how many reports the corpus holds.

    Parameters
    ----------
    reports : DataFrame
        The ``reports`` table (``report_id, region_name, report_year`` …).

    Returns
    -------
    DataFrame
        ``region_id`` (str), ``region_name`` (str, <NA> when unknown), ``n_reports`` (int),
        ``first_year``, ``last_year`` (Int64), sorted by ``region_id``.
    """
    frame = reports.assign(region_id=reports["report_id"].map(region_id))
    years = pd.to_numeric(frame["report_year"], errors="coerce").astype("Int64")
    frame = frame.assign(report_year=years)
    table = (
        frame.groupby("region_id", sort=True)
        .agg(
            region_name=("region_name", lambda s: s.dropna().mode().iloc[0] if s.notna().any() else pd.NA),
            n_reports=("report_id", "size"),
            first_year=("report_year", "min"),
            last_year=("report_year", "max"),
        )
        .reset_index()
    )
    return table.astype({"n_reports": "int64", "first_year": "Int64", "last_year": "Int64"})


def resolve_region(reports: pd.DataFrame, region: str) -> tuple[str, str]:
    """Map a region given as an ASCII id (``zhumadian``) or a name (驻马店市 / 驻马店) to both.

    Returns
    -------
    (region_id, region_name) : tuple of str

    Raises
    ------
    KeyError
        When no report of the corpus belongs to that region; the message lists the regions.
    """
    table = region_table(reports)
    names = table["region_name"].fillna("")
    stems = names.str.replace(r"(市|区|县|省|自治区|自治州|自治县|地区|盟|旗)$", "", regex=True)
    hit = table[(table["region_id"] == region) | (names == region) | (stems == region)]
    if len(hit) != 1:
        listing = ", ".join(f"{r.region_id} ({r.region_name})" for r in table.itertuples())
        problem = "matches several regions" if len(hit) > 1 else "is not in this corpus"
        raise KeyError(f"region {region!r} {problem}; regions: {listing}")
    row = hit.iloc[0]
    return str(row["region_id"]), str(row["region_name"]) if pd.notna(row["region_name"]) else str(row["region_id"])


def region_reports(reports: pd.DataFrame, region: str) -> pd.DataFrame:
    """The reports of one region (given as an id like ``zhumadian`` or a name like 驻马店市), by year.

    Returns
    -------
    DataFrame
        Rows of ``reports`` whose report id belongs to the region, sorted by ``report_year``.
    """
    rid, _ = resolve_region(reports, region)
    rows = reports[reports["report_id"].map(region_id) == rid]
    return rows.sort_values(["report_year", "report_id"], kind="stable")


def select_reports(reports: pd.DataFrame, report_ids: str | Sequence[str] = ()) -> pd.DataFrame:
    """Rows of ``reports`` for a notebook parameter: a list of ids, one id, or every report when
    the list is empty (or ``"all"``).

    Raises
    ------
    KeyError
        When an id is not in the corpus (a typo must not silently shrink a comparison).
    """
    if isinstance(report_ids, str):
        report_ids = [] if report_ids == "all" else [report_ids]
    if len(report_ids) == 0:
        return reports
    unknown = sorted(set(report_ids) - set(reports["report_id"]))
    if unknown:
        raise KeyError(f"no report(s) {unknown} in this corpus; ids look like {reports['report_id'].iloc[0]}")
    return reports[reports["report_id"].isin(list(report_ids))]


def report_label(reports: pd.DataFrame) -> pd.Series:
    """Short Chinese labels for reports, indexed by ``report_id``: ``景德镇市 2022``.

    A report without a known place or year shows its id in that slot, so labels stay unique.
    """
    years = pd.to_numeric(reports["report_year"], errors="coerce")
    labels = [
        f"{place if isinstance(place, str) and place else rid} {int(year) if pd.notna(year) else '?'}"
        for rid, place, year in zip(reports["report_id"], reports["region_name"], years)
    ]
    return pd.Series(labels, index=reports["report_id"].to_numpy(), name="label")


def report_title(reports: pd.DataFrame, report_id: str) -> str:
    """A report's name for a figure title: ``驻马店市2021年政府工作报告`` (the id when the place or
    year is unknown)."""
    row = reports.loc[reports["report_id"] == report_id].iloc[0]
    place, year = row.get("region_name"), row.get("report_year")
    if isinstance(place, str) and place and year is not None and not pd.isna(year):
        return f"{place}{int(year)}年政府工作报告"
    return f"{report_id} 政府工作报告"


def source_line(reports: pd.DataFrame, report_ids: Sequence[str] | None = None, max_places: int = 3) -> str:
    """The source line of a chart, built from the reports it draws on.

    Parameters
    ----------
    reports : DataFrame
        The ``reports`` table.
    report_ids : sequence of str, optional
        Restrict to these reports (default: all rows).
    max_places : int
        Name at most this many places; more become "等N地".

    Returns
    -------
    str
        e.g. ``来源：驻马店市政府工作报告 2002–2026`` or
        ``来源：景德镇市、醴陵市等5地政府工作报告 2020–2024``.
    """
    rows = reports if report_ids is None else reports[reports["report_id"].isin(list(report_ids))]
    if len(rows) == 0:
        return f"{SOURCE_PREFIX}政府工作报告"
    rows = rows.assign(_year=pd.to_numeric(rows["report_year"], errors="coerce")).sort_values(["_year", "report_id"])
    places = list(dict.fromkeys(p if isinstance(p, str) and p else "地名不详" for p in rows["region_name"]))
    if len(places) <= max_places:
        place_text = "、".join(places)
    else:
        place_text = "、".join(places[:2]) + f"等{len(places)}地"
    years = rows["_year"].dropna()
    if len(years) == 0:
        year_text = ""
    elif years.min() == years.max():
        year_text = f" {int(years.min())}"
    else:
        year_text = f" {int(years.min())}–{int(years.max())}"
    return f"{SOURCE_PREFIX}{place_text}政府工作报告{year_text}"


def add_caption(fig, source: str, note: str | None = None) -> None:
    """Put the source line (and an optional note) under a figure, left-aligned.

    Uses the figure's ``supxlabel`` so constrained layout reserves room for it and it never
    overlaps tick labels.
    """
    text = source if not note else f"注：{note}\n{source}"
    fig.supxlabel(text, x=0.01, ha="left", fontsize=8, color="#555555", linespacing=1.4)


# --------------------------------------------------------------------------------------------
# saving
# --------------------------------------------------------------------------------------------
def figure_path(owner_id: str, name: str, fmt: str, figures_dir: str | Path | None = None) -> Path:
    """``<figures_dir>/<owner_id>/<name>.<fmt>``; names must be ASCII (letters, digits, ``._-``)."""
    for label, value in (("owner_id", owner_id), ("name", name)):
        if not isinstance(value, str) or not _ASCII_NAME.match(value):
            raise ValueError(
                f"{label} {value!r} must be ASCII letters, digits, '.', '_' or '-' "
                "(use a report id, a region id or 'corpus')"
            )
    if fmt not in SUPPORTED_FORMATS:
        raise ValueError(f"format {fmt!r} not supported; use one of {SUPPORTED_FORMATS}")
    base = Path(figures_dir) if figures_dir is not None else config.FIGURES_DIR
    return base / owner_id / f"{name}.{fmt}"


def freeze_layout(fig, n_draws: int = 1) -> None:
    """Run the figure's layout engine to a settled state, then fix the axes where they are.

    Why: constrained layout is a fixed-point iteration (tick labels depend on the axes size, which
    depends on the tick labels) and each draw moves the axes a little, differently at each output
    resolution. A figure saved as PNG then SVG, or saved twice, would otherwise differ in its
    bytes. After freezing, every save renders the same positions. Idempotent.
    """
    engine = fig.get_layout_engine()
    if engine is None or type(engine).__name__ == "PlaceHolderLayoutEngine":
        return
    for _ in range(n_draws):
        fig.draw_without_rendering()
    fig.set_layout_engine("none")


def figure_bytes(fig, fmt: str, dpi: float | None = None) -> bytes:
    """Render a figure to bytes without time stamps or version strings (same figure, same bytes)."""
    if fmt not in SUPPORTED_FORMATS:
        raise ValueError(f"format {fmt!r} not supported; use one of {SUPPORTED_FORMATS}")
    freeze_layout(fig)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        fig.savefig(
            buffer,
            format=fmt,
            dpi=dpi or matplotlib.rcParams["savefig.dpi"],
            metadata=_SAVE_METADATA[fmt],
            facecolor="white",
        )
    return buffer.getvalue()


def save_figure(
    fig,
    owner_id: str,
    name: str,
    formats: Sequence[str] = ("png", "svg"),
    figures_dir: str | Path | None = None,
) -> list[Path]:
    """Write a figure to ``figures/<owner_id>/<name>.<ext>``, byte-identical on rerun.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    owner_id : str
        A report id (``jingdezhen-2022``), a region id (``zhumadian``) or ``corpus``; ASCII.
    name : str
        File stem, ASCII (``section-shares``).
    formats : sequence of str
        Any of ``png``, ``svg``, ``pdf``.
    figures_dir : str or Path, optional
        Defaults to :data:`govreports.config.FIGURES_DIR` (``$GOVREPORTS_FIGURES``).

    Returns
    -------
    list of pathlib.Path
        The files, in the order of ``formats``. A file whose bytes are unchanged is not rewritten.
    """
    paths = []
    for fmt in formats:
        path = figure_path(owner_id, name, fmt, figures_dir)
        data = figure_bytes(fig, fmt)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not (path.exists() and path.read_bytes() == data):
            tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        paths.append(path)
    return paths
