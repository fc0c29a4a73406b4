"""The objects researchers hold in a notebook: a :class:`Report` and a :class:`Corpus`.

>>> import govreports
>>> corpus = govreports.load()                       # data/raw, cached tables
>>> corpus
<Corpus: 30 reports, 6 places, 2002–2026>
>>> report = corpus.report("驻马店", 2021)            # or corpus.report("zhumadian-2021")
>>> report.metadata["speaker_name"]
'朱是西'
>>> report.cite()
'驻马店市人民政府：《2021年驻马店市政府工作报告》，2021年2月27日。'

A ``Corpus`` exposes every table of :mod:`govreports.tables` as a DataFrame attribute
(``corpus.reports``, ``corpus.indicators`` …); tables written by an earlier build are read from
parquet only when first used. A ``Report`` holds one report's rows of the same tables.

In JupyterLab both display themselves (a report as a card, a corpus as a table of its reports), and
the exploring helpers of :mod:`govreports.explore` are methods: ``corpus.kwic``,
``corpus.targets_table``, ``corpus.indicator_series``, ``corpus.cite``, ``corpus.show_source``,
``report.kwic``, ``report.cite``, ``report.show_source``.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Iterator, Mapping

import pandas as pd

from . import config
from .read import ReportError, read_raw
from .tables import (
    PER_REPORT_TABLES,
    TABLE_NAMES,
    build_tables,
    fallback_slug,
    parse_document,
    read_tables,
    tables_are_current,
)

_REGION_SUFFIX = re.compile(r"(市|区|县|省|自治区|自治州|自治县|地区|盟|旗)$")


class Report:
    """One report: its metadata, clean text and its rows of every table.

    Attributes
    ----------
    report_id : str
    metadata : dict
        The report's row of the ``reports`` table.
    text : str
        Clean simplified text; every ``char_start``/``char_end`` points into it.
    repairs, footnotes, sections, sentences, glossary, indicators, attention, attention_terms,
    slogans, term_counts : DataFrame
        This report's rows (without the ``report_id`` column).
    notes : list of str
        What the pipeline noticed and a careful reader should know (characters it could not recover,
        a possibly truncated file …): this report's rows of ``corpus.failures``.
    """

    def __init__(
        self, report_id: str, metadata: Mapping, text: str, frames: Mapping[str, pd.DataFrame], path=None, notes=None
    ):
        self.report_id = report_id
        self.metadata = dict(metadata)
        self.text = text
        self._frames = dict(frames)
        self.path = Path(path) if path else None
        self.notes = list(notes or [])

    def __getattr__(self, name: str) -> pd.DataFrame:
        frames = self.__dict__.get("_frames", {})
        if name in frames:
            return frames[name]
        raise AttributeError(f"Report has no attribute {name!r}")

    @property
    def raw(self) -> str:
        """The decoded file, exactly as it is on disk (never altered)."""
        if "_raw" in self.__dict__:
            return self.__dict__["_raw"]
        if self.path is None or not self.path.exists():
            raise FileNotFoundError(f"the source file of {self.report_id} is not available")
        return read_raw(self.path).raw

    @property
    def targets(self) -> pd.DataFrame:
        """This report's targets for the report year (``kind == 'target'``)."""
        table = self.indicators
        return table[table["kind"] == "target"] if len(table) else table

    def section_text(self, section_id: int) -> str:
        row = self.sections.loc[self.sections["section_id"] == section_id].iloc[0]
        return self.text[int(row["char_start"]) : int(row["char_end"])]

    # -- exploring (see govreports.explore) ---------------------------------------------------
    def kwic(self, terms, window: int = 20, regex: bool = False, section_types=None):
        """Keyword in context in this report; see :func:`govreports.explore.kwic`."""
        from .explore import kwic

        return kwic(self, terms, window=window, regex=regex, section_types=section_types)

    def cite(self, section_id: int | None = None) -> str:
        """A citation string for this report (or one of its sections); see :func:`govreports.explore.cite`."""
        from .explore import cite

        return cite(self, section_id=section_id)

    def show_source(self, i):
        """The source sentence of indicator ``i`` (its position in ``report.indicators``, or a row),
        with the number highlighted; displays in JupyterLab, prints as text."""
        from .explore import show_source

        return show_source(self, i)

    def __repr__(self) -> str:
        m = self.metadata
        place = m.get("region_name") or "?"
        year = m.get("report_year")
        year = "?" if year is None or pd.isna(year) else int(year)
        return f"<Report {self.report_id}: {place} {year}, {len(self.text):,} chars, {len(self.sentences)} sentences>"

    def _repr_html_(self) -> str:
        from .explore import report_card_html

        return report_card_html(self)


class Corpus:
    """A set of parsed reports and their tables.

    Build one with :func:`load` (cached, the usual way) or :func:`read_corpus` (in memory).
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame] | None = None, tables_dir: str | Path | None = None, raw_dir=None):
        self._tables: dict[str, pd.DataFrame] = dict(tables or {})
        self.tables_dir = Path(tables_dir) if tables_dir else None
        self.raw_dir = Path(raw_dir) if raw_dir else None

    # -- tables -------------------------------------------------------------------------------
    def table(self, name: str) -> pd.DataFrame:
        """One table by name (see :data:`govreports.tables.TABLE_NAMES`)."""
        if name not in self._tables:
            if name not in TABLE_NAMES:
                raise KeyError(f"no table {name!r}; tables are {', '.join(TABLE_NAMES)}")
            if self.tables_dir is None:
                raise KeyError(name)
            self._tables[name] = pd.read_parquet(self.tables_dir / f"{name}.parquet")
        return self._tables[name]

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: self.table(name) for name in TABLE_NAMES}

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in TABLE_NAMES:
            return self.table(name)
        raise AttributeError(f"Corpus has no attribute {name!r}")

    # -- reports ------------------------------------------------------------------------------
    @property
    def report_ids(self) -> list[str]:
        return self.reports["report_id"].tolist()

    def __len__(self) -> int:
        return len(self.reports)

    def __iter__(self) -> Iterator[Report]:
        for report_id in self.report_ids:
            yield self.report(report_id)

    def __contains__(self, report_id: str) -> bool:
        return report_id in set(self.report_ids)

    def find(self, region: str | None = None, year: int | None = None, level: str | None = None) -> pd.DataFrame:
        """Rows of ``reports`` matching a region (驻马店, 驻马店市, or its ASCII id ``zhumadian``), a
        report year and/or a level."""
        rows = self.reports
        if region is not None:
            rows = rows[region_mask(rows, region)]
        if year is not None:
            rows = rows[rows["report_year"] == int(year)]
        if level is not None:
            rows = rows[rows["region_level"] == level]
        return rows

    def report(self, key: str, year: int | None = None) -> Report:
        """A report by id (``jingdezhen-2022``) or by region name and year (``"驻马店", 2021``)."""
        reports = self.reports
        if year is None and key in set(reports["report_id"]):
            report_id = key
        else:
            rows = self.find(region=key, year=year)
            if len(rows) == 0:
                hint = "" if year is not None else " (give a year, or a report id such as " + (reports["report_id"].iloc[0] if len(reports) else "?") + ")"
                raise KeyError(f"no report {key!r}{' ' + str(year) if year else ''} in this corpus{hint}")
            if len(rows) > 1:
                raise KeyError(f"{len(rows)} reports match {key!r}: {', '.join(rows['report_id'])}; give a year or an id")
            report_id = rows["report_id"].iloc[0]
        meta = reports.loc[reports["report_id"] == report_id].iloc[0].to_dict()
        frames = {}
        for name in PER_REPORT_TABLES:
            table = self.table(name)
            frames[name] = table.loc[table["report_id"] == report_id].drop(columns="report_id").reset_index(drop=True)
        texts = self.texts
        text = texts.loc[texts["report_id"] == report_id, "text"].iloc[0]
        path = None
        if self.raw_dir is not None and meta.get("source_file"):
            path = self.raw_dir / meta["source_file"]
        return Report(report_id, meta, text, frames, path=path, notes=self._notes(meta.get("source_file")))

    def _notes(self, source_file) -> list[str]:
        """The ``failures`` rows (notes and warnings) of one source file."""
        try:
            failures = self.table("failures")
        except (KeyError, FileNotFoundError):
            return []
        if source_file is None or len(failures) == 0 or "source_file" not in failures:
            return []
        return failures.loc[failures["source_file"] == source_file, "reason"].astype(str).tolist()

    __getitem__ = report

    def text(self, report_id: str) -> str:
        """The clean text of one report."""
        texts = self.texts
        return texts.loc[texts["report_id"] == report_id, "text"].iloc[0]

    # -- exploring (see govreports.explore) ---------------------------------------------------
    def kwic(self, terms, window: int = 20, regex: bool = False, section_types=None, report_ids=None) -> pd.DataFrame:
        """Keyword in context; see :func:`govreports.explore.kwic`."""
        from .explore import kwic

        return kwic(self, terms, window=window, regex=regex, section_types=section_types, report_ids=report_ids)

    def cite(self, report_id: str, section_id: int | None = None) -> str:
        """A citation string for a report or one of its sections; see :func:`govreports.explore.cite`."""
        from .explore import cite

        return cite(self, report_id, section_id=section_id)

    def show_source(self, indicator_row):
        """The source sentence of a row of ``corpus.indicators``, with the number highlighted."""
        from .explore import show_source

        return show_source(self, indicator_row)

    def targets_table(self, report_ids=None, indicators=None, kind: str = "target") -> pd.DataFrame:
        """Targets side by side (indicators × reports); see :func:`govreports.explore.targets_table`."""
        from .explore import targets_table

        return targets_table(self, report_ids=report_ids, indicators=indicators, kind=kind)

    def indicator_series(self, region: str, indicator_code: str, kinds=("target", "actual"), measure: str | None = None) -> pd.DataFrame:
        """One indicator over time for one region; see :func:`govreports.explore.indicator_series`."""
        from .explore import indicator_series

        return indicator_series(self, region, indicator_code, kinds=kinds, measure=measure)

    def __repr__(self) -> str:
        n = len(self)
        years = self.reports["report_year"].dropna()
        span = f", {int(years.min())}–{int(years.max())}" if len(years) else ""
        places = self.reports["region_name"].dropna().nunique()
        return f"<Corpus: {n} reports, {places} places{span}>"

    def _repr_html_(self) -> str:
        from .explore import corpus_html

        return corpus_html(self)


def region_matches(names: pd.Series, region: str) -> pd.Series:
    """Match a region given with or without its admin suffix (驻马店 matches 驻马店市)."""
    stem = _REGION_SUFFIX.sub("", region)
    names = names.fillna("")
    return (names == region) | (names.str.replace(_REGION_SUFFIX, "", regex=True) == stem)


def region_mask(reports: pd.DataFrame, region: str) -> pd.Series:
    """Rows of ``reports`` of one region, given by name (驻马店 or 驻马店市) or, when no name matches,
    by its ASCII id, the place part of the report ids (``zhumadian`` for ``zhumadian-2021``): notebook
    parameters are ASCII."""
    mask = region_matches(reports["region_name"], region)
    if not mask.any():
        mask = reports["report_id"].astype(str).str.fullmatch(re.escape(region) + r"-\d{4}(?:-\d+)?")
    return mask


def processed_dir_for(raw_dir: str | Path) -> Path:
    """Where the tables of a folder of reports are cached: data/processed for the project's own
    data/raw, a subfolder named after the folder for any other."""
    raw_dir = Path(raw_dir).resolve()
    if raw_dir == config.RAW_DIR.resolve():
        return config.PROCESSED_DIR
    tag = hashlib.sha256(str(raw_dir).encode()).hexdigest()[:8]
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", raw_dir.name).strip("-") or "corpus"
    return config.PROCESSED_DIR / "corpora" / f"{name}-{tag}"


def load(path: str | Path | None = None, *, rebuild: bool = False, processes: int = 1, progress: bool = False) -> Corpus:
    """Load a corpus: the project's ``data/raw`` by default, or any folder of reports.

    Tables are cached (``data/processed``); they are rebuilt only when a file or the code changed,
    and then only the changed reports are re-parsed.
    """
    raw_dir = Path(path) if path is not None else config.RAW_DIR
    out_dir = processed_dir_for(raw_dir)
    if not rebuild and tables_are_current(out_dir, raw_dir=raw_dir):
        return Corpus(tables_dir=out_dir, raw_dir=raw_dir)
    build_tables(raw_dir, out_dir, processes=processes, progress=progress, use_cache=not rebuild)
    return Corpus(tables_dir=out_dir, raw_dir=raw_dir)  # tables are read from parquet when first used


def read_corpus(path: str | Path, processes: int = 1, progress: bool = False) -> Corpus:
    """Parse every report of a folder in memory (nothing written). Bad files are skipped with a
    warning and listed in ``corpus.failures``."""
    raw_dir = Path(path)
    tables = build_tables(raw_dir, out_dir=None, processes=processes, progress=progress, use_cache=False)
    return Corpus(tables, raw_dir=raw_dir if raw_dir.is_dir() else raw_dir.parent)


def read_report(path: str | Path) -> Report:
    """Read and parse one report file. Raises :class:`~govreports.read.ReportError` for a file that
    is empty, binary or undecodable.

    ``report.raw`` is the decoded file exactly as it is; ``report.text`` the clean text;
    ``report.repairs`` what the cleaner changed.
    """
    doc = read_raw(path)
    parsed = parse_document(doc)
    report_id = parsed.slug or fallback_slug(str(path))
    from .tables import _report_row

    meta = _report_row(report_id, parsed)
    report = Report(report_id, meta, parsed.text, parsed.frames, path=path, notes=parsed.notes)
    report.__dict__["_raw"] = doc.raw
    return report
