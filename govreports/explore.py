"""Exploring in JupyterLab: keyword in context, report cards, citations and comparison tables.

Every helper answers one small question a researcher asks of the corpus, in one line:

>>> import govreports
>>> corpus = govreports.load()
>>> hits = corpus.kwic("数字经济")                           # where, and in what words?
>>> series = corpus.indicator_series("驻马店", "gdp")          # one indicator over the years
>>> table = corpus.targets_table(["zhumadian-2021", "zhumadian-2022"])   # targets side by side

What is here (each also a method of :class:`~govreports.corpus.Corpus` or ``Report``):

- :func:`kwic` — keyword in context for a term, a list of terms or a regex, optionally only in some
  section types; the result displays with the keyword highlighted (:func:`kwic_html`).
- :func:`report_card_html`, :func:`corpus_html` — what ``Report`` and ``Corpus`` show in JupyterLab.
- :func:`cite`, :func:`source_html` / :func:`show_source` — a citation string for a caption or a
  footnote, and the sentence a number comes from with the number marked.
- :func:`targets_table`, :func:`indicator_series` — targets of several reports side by side, and one
  indicator of one region over the years.
- :func:`format_indicator` — one value with its qualifier, as the tables and cards show it.

Rules shared by every helper:

- **Offsets point into the clean text** (``corpus.texts``), like every other table, so a hit or an
  indicator can always be traced back: ``text[char_start:char_end]`` is the keyword or the number.
- **Missing stays missing.** A value the tables do not have is ``<NA>`` in a DataFrame and "—" in
  HTML, never 0 or an empty string, so a gap in the data is never read as a zero.
- **HTML is escaped.** Report texts come from the web; every value is passed through
  :func:`html.escape` before it is put into markup.
- **Display never alters data.** :func:`kwic` returns the exact substrings of the text; only its
  HTML display replaces line breaks with "↵" and marks the keyword.
- **A hit belongs to the deepest section that holds it** (its ``section_type`` is that section's),
  and restricting to section types keeps a hit when any section holding it has one of those types:
  a subsection of the tasks part is part of the tasks, whatever its own type.
- **Citations are built from the tables, not copied from file titles**, which vary from page to
  page (政府工作报告; 景德镇市政府工作报告(2022年1月23日 胡雪梅)): ``<place>人民政府：《<year>年<place>
  政府工作报告》，<date>，<part>。`` (国务院 for the national report); a part the report does not
  state is left out, never invented.
- **Targets are shown with their wording.** A formatted target keeps what its constraint means
  ("≥ 8%" for a floor, "≤ 3%" for a ceiling, "6.5% 左右", "7–7.5%") and any other qualifier word as
  written (力争, 确保 …), because hard and soft wording is itself a research variable. The words a
  constraint already expresses are listed in ``lexicons/qualifier_display.csv``.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

#: How a missing value is displayed in HTML.
MISSING = "—"

from .structure import SECTION_TYPES  # the vocabulary of ``sections.section_type``

KWIC_COLUMNS = ["report_id", "section_type", "sentence_id", "char_start", "char_end", "left", "keyword", "right"]

SERIES_COLUMNS = [
    "year",
    "kind",
    "value",
    "value_high",
    "measure",
    "unit",
    "qualifier",
    "constraint",
    "report_id",
    "sentence",
]

_CHINESE_NUMERAL = re.compile(r"^[一二三四五六七八九十百〇零两]+$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
_SECTION_NUMBER_PUNCT = "()（）.．、 "

# One small style sheet, scoped to the wrapper class and emitted with each display, so cells need
# no inline styles (a 60-row table stays small). The highlight is inline as well, so it survives
# renderers that drop <style> (GitHub).
_CSS = (
    "<style>"
    ".govreports{font-family:inherit}"
    ".govreports.card{max-width:56em;border:1px solid rgba(128,128,128,.45);border-radius:6px;padding:.6em .9em;margin:.3em 0}"
    ".govreports .gr-table{border-collapse:collapse;margin:.2em 0 .6em 0;font-size:92%}"
    ".govreports .gr-table th,.govreports .gr-table td{padding:.1em .6em;border-bottom:1px solid rgba(128,128,128,.25);"
    "text-align:left;vertical-align:top}"
    ".govreports .gr-table th{font-weight:600}"
    ".govreports .gr-table td.gr-left{text-align:right;white-space:nowrap}"
    ".govreports .gr-table td.gr-key{text-align:center;white-space:nowrap}"
    ".govreports .gr-table td.gr-right{white-space:nowrap}"
    ".govreports .gr-note{font-size:85%;opacity:.8}"
    ".govreports .gr-head{font-weight:600;margin-top:.3em}"
    "</style>"
)
_SPAN = "border-bottom:2px solid rgba(230,180,0,.8)"
# a number (or a range) in an indicator's span; a year (2010年) is not the value
_VALUE_IN_SPAN = re.compile(r"(?<![\d.])(?>[-−]?\d+(?:\.\d+)?[%‰]?(?:\s*[-—–－~～至到]\s*[-−]?\d+(?:\.\d+)?[%‰]?)?)(?!年)")
_MARK = "background:#ffe066;color:#000;padding:0 .1em;border-radius:2px"


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------
def is_missing(value) -> bool:
    """True for ``None``, ``<NA>``, ``NaN``/``NaT`` and the empty string (all mean "not stated")."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if np.ndim(value) != 0:
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _esc(value, missing: str = MISSING) -> str:
    """HTML-escaped text of a value, or the missing sign."""
    return html.escape(missing) if is_missing(value) else html.escape(str(value))


def format_number(value) -> str:
    """A number as a researcher writes it: ``8`` not ``8.0``, ``7.5``, ``-2.6``, ``1234.56``."""
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.6f}".rstrip("0").rstrip(".")


def format_date(value) -> str | None:
    """``2021-02-27`` → ``2021年2月27日`` (the way citations of Chinese documents write dates)."""
    if is_missing(value):
        return None
    text = str(value)[:10]
    match = _ISO_DATE.match(text)
    if not match:
        return str(value)
    year, month, day = match.groups()
    out = f"{int(year)}年{int(month)}月"
    return out + (f"{int(day)}日" if day else "")


def _int_or_none(value):
    return None if is_missing(value) else int(value)


@lru_cache(maxsize=1)
def _display_words() -> tuple[tuple[str, str, str], ...]:
    """(word, constraint, position) of the words a constraint already expresses
    (``lexicons/qualifier_display.csv``), longest first so 不超过 is removed before 超过."""
    path = resources.files("govreports").joinpath("lexicons/qualifier_display.csv")
    with path.open("r", encoding="utf-8") as fh:
        table = pd.read_csv(fh, comment="#", dtype="string")
    rows = zip(table["word"], table["constraint"], table["position"])
    return tuple(sorted(((str(w), str(c), str(p)) for w, c, p in rows), key=lambda r: len(r[0]), reverse=True))


def _split_qualifier(qualifier) -> tuple[str, str | None, str | None]:
    """Split a qualifier as written into (other words, approximate word, its position).

    ``"力争…以上"`` → ``("力争", None, None)``; ``"控制在…左右"`` → ``("", "左右", "suffix")``. The
    words a constraint already expresses are removed; what remains (力争, 确保 …) is kept for display.
    """
    if is_missing(qualifier):
        return "", None, None
    rest = str(qualifier)
    approx_word = approx_position = None
    for word, constraint, position in _display_words():
        if word in rest:
            if constraint == "approx" and approx_word is None:
                approx_word, approx_position = word, position
            rest = rest.replace(word, " ")
    rest = re.sub(r"[\s…,，、;；/|]+", " ", rest).strip()
    return rest, approx_word, approx_position


def format_indicator(row: Mapping) -> str | None:
    """One indicator value as a short string with its qualifier.

    ``≥ 8%`` (floor), ``≤ 3%`` (ceiling), ``6.5% 左右`` (approx), ``7–7.5%`` (range), ``8%``
    (exact); other qualifier words are kept in front (``力争 ≥ 8%``). Relative and qualitative
    targets are put in words from their qualifier and reference (``高于全省 1个百分点左右``,
    ``与经济增长同步``), because their meaning lives in the words. Returns ``None`` when there is
    nothing to show.

    >>> format_indicator({"value": 8.0, "unit": "%", "qualifier": "以上", "constraint": "floor"})
    '≥ 8%'
    >>> format_indicator({"value": 7, "value_high": 7.5, "unit": "%", "constraint": "range"})
    '7–7.5%'
    >>> format_indicator({"value": 6.5, "unit": "%", "qualifier": "左右", "constraint": "approx"})
    '6.5% 左右'
    >>> format_indicator({"value": 8, "unit": "%", "qualifier": "力争以上", "constraint": "floor"})
    '力争 ≥ 8%'
    >>> format_indicator({"qualifier": "同步", "constraint": "qualitative", "relative_to": "经济增长"})
    '与经济增长同步'
    """
    get = row.get
    constraint = get("constraint")
    constraint = None if is_missing(constraint) else str(constraint)
    value = get("value")
    if constraint in ("relative", "qualitative"):
        return _format_comparison(row, constraint)
    if is_missing(value):
        return None if is_missing(get("qualifier")) else str(get("qualifier"))
    number = _format_amount(row)
    rest, approx_word, approx_position = _split_qualifier(get("qualifier"))
    if constraint == "floor":
        shown = f"≥ {number}"
    elif constraint == "ceiling":
        shown = f"≤ {number}"
    elif constraint in ("approx", "range") and approx_word:
        shown = f"{approx_word} {number}" if approx_position == "prefix" else f"{number} {approx_word}"
    elif constraint == "approx":
        shown = f"≈ {number}"
    else:
        shown = number
    return f"{rest} {shown}" if rest else shown


def _format_amount(row: Mapping) -> str:
    """``8%``, ``7–7.5%``, ``160亿斤``: the number (or range) and its unit."""
    value, value_high = row.get("value"), row.get("value_high")
    unit = row.get("unit")
    unit = "" if is_missing(unit) else str(unit)
    if not unit and row.get("measure") in ("growth", "rate"):
        unit = "%"
    number = format_number(value)
    if not is_missing(value_high) and float(value_high) != float(value):
        number = f"{number}–{format_number(value_high)}"
    return number + unit


def _format_comparison(row: Mapping, constraint: str) -> str | None:
    """A relative or qualitative value in words: ``高于全省 1个百分点左右``, ``与经济增长同步``.

    The qualifier is kept as written ("高于…左右" has its number in the gap); the reference
    (``relative_to``) follows a comparative word and precedes 同步 / 持平.
    """
    qualifier = row.get("qualifier")
    reference = row.get("relative_to")
    reference = "" if is_missing(reference) else str(reference)
    amount = None if is_missing(row.get("value")) else _format_amount(row)
    if is_missing(qualifier):
        words = [reference, amount] if constraint == "relative" else [reference]
        shown = " ".join(w for w in words if w)
        return shown or (None if is_missing(row.get("mention")) else str(row.get("mention")))
    head, _, tail = str(qualifier).partition("…")
    if constraint == "qualitative":
        shown = f"与{reference}{head}" if reference else head
    else:
        shown = f"{head}{reference}"
        if amount:
            shown += f" {amount}"
    return shown + tail


class HTMLView:
    """A piece of HTML that displays itself in JupyterLab and prints as plain text elsewhere.

    Attributes
    ----------
    html : str
        The markup (what JupyterLab shows).
    text : str
        A plain-text rendering (what ``print`` and ``repr`` show).
    """

    def __init__(self, html_text: str, text: str):
        self.html = html_text
        self.text = text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


# --------------------------------------------------------------------------------------------
# one report's frames, from a Corpus or a Report
# --------------------------------------------------------------------------------------------
@dataclass
class _ReportParts:
    report_id: str
    metadata: dict
    text: str
    sections: pd.DataFrame
    sentences: pd.DataFrame


def _is_report(obj) -> bool:
    from .corpus import Report

    return isinstance(obj, Report)


def _rows_of(table: pd.DataFrame, report_id: str) -> pd.DataFrame:
    if "report_id" not in table.columns:
        return table
    return table.loc[table["report_id"] == report_id]


def _parts(obj, report_id: str | None = None) -> _ReportParts:
    """The pieces of one report a helper needs, whether given a Report or a Corpus and an id."""
    if _is_report(obj):
        if report_id is not None and report_id != obj.report_id:
            raise KeyError(f"this is report {obj.report_id}, not {report_id}")
        return _ReportParts(obj.report_id, obj.metadata, obj.text, obj.sections, obj.sentences)
    if report_id is None:
        raise TypeError("give a report_id (or call this on a Report)")
    reports = obj.reports
    rows = reports.loc[reports["report_id"] == report_id]
    if len(rows) == 0:
        raise KeyError(f"no report {report_id!r} in this corpus")
    return _ReportParts(
        report_id,
        rows.iloc[0].to_dict(),
        obj.text(report_id),
        _rows_of(obj.sections, report_id),
        _rows_of(obj.sentences, report_id),
    )


def _as_list(value) -> list | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)


# --------------------------------------------------------------------------------------------
# keyword in context
# --------------------------------------------------------------------------------------------
class KwicFrame(pd.DataFrame):
    """A :func:`kwic` result: an ordinary DataFrame that displays with the keyword highlighted.

    Filtering, sorting or slicing keeps the highlighted display; a frame that lost the
    ``left``/``keyword``/``right`` columns displays as a plain DataFrame.
    """

    @property
    def _constructor(self):
        return KwicFrame

    def _repr_html_(self) -> str | None:
        if {"left", "keyword", "right"} <= set(self.columns):
            return kwic_html(self)
        return super()._repr_html_()


def _compile_terms(terms, regex: bool) -> re.Pattern:
    """One pattern for a string, a regex or a list of terms.

    A list of plain terms becomes one alternation, longest term first, so that overlapping terms
    match the longer one (数字经济 before 数字) and every character is counted at most once.
    """
    if isinstance(terms, re.Pattern):
        return terms
    items = _as_list(terms) or []
    items = [t for t in items if isinstance(t, str) and t != ""]
    if not items:
        raise ValueError("give a term, a regular expression, or a list of terms")
    if regex:
        return re.compile("|".join(f"(?:{t})" for t in items))
    items = sorted(set(items), key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in items))


def _section_lookup(sections: pd.DataFrame, positions: np.ndarray):
    """For each offset: the deepest section covering it, its type, and the types of its ancestors.

    Works whether parent sections span their subsections or sections tile the text without
    nesting: ancestors are followed through ``parent_section_id`` as well as by coverage.
    """
    n = len(positions)
    if len(sections) == 0 or n == 0:
        return [pd.NA] * n, [pd.NA] * n, [set() for _ in range(n)]
    starts = sections["char_start"].to_numpy(dtype="int64")
    ends = sections["char_end"].to_numpy(dtype="int64")
    levels = pd.to_numeric(sections["level"], errors="coerce").fillna(0).to_numpy() if "level" in sections else np.zeros(len(sections))
    ids = sections["section_id"].tolist()
    types = sections["section_type"].tolist() if "section_type" in sections else [pd.NA] * len(sections)
    parents = sections["parent_section_id"].tolist() if "parent_section_id" in sections else [pd.NA] * len(sections)
    type_of = dict(zip(ids, types))
    parent_of = dict(zip(ids, parents))
    covering = (starts[None, :] <= positions[:, None]) & (positions[:, None] < ends[None, :])
    # deepest first: highest level, then shortest span
    rank = np.where(covering, levels[None, :] * 1e9 - (ends - starts)[None, :], -np.inf)
    best = rank.argmax(axis=1)
    found = covering.any(axis=1)
    out_id, out_type, out_types = [], [], []
    for i in range(n):
        if not found[i]:
            out_id.append(pd.NA)
            out_type.append(pd.NA)
            out_types.append(set())
            continue
        section_id = ids[best[i]]
        chain = {t for t, c in zip(types, covering[i]) if c and not is_missing(t)}
        seen, parent = set(), parent_of.get(section_id)
        while not is_missing(parent) and parent not in seen:
            seen.add(parent)
            if not is_missing(type_of.get(parent)):
                chain.add(type_of[parent])
            parent = parent_of.get(parent)
        out_id.append(section_id)
        out_type.append(type_of.get(section_id, pd.NA))
        out_types.append(chain)
    return out_id, out_type, out_types


def _sentence_lookup(sentences: pd.DataFrame, positions: np.ndarray) -> list:
    """The sentence whose span holds each offset (``<NA>`` between sentences)."""
    if len(sentences) == 0 or len(positions) == 0:
        return [pd.NA] * len(positions)
    ordered = sentences.sort_values("char_start")
    starts = ordered["char_start"].to_numpy(dtype="int64")
    ends = ordered["char_end"].to_numpy(dtype="int64")
    ids = ordered["sentence_id"].to_numpy()
    idx = np.searchsorted(starts, positions, side="right") - 1
    out = []
    for pos, i in zip(positions, idx):
        out.append(int(ids[i]) if i >= 0 and pos < ends[i] else pd.NA)
    return out


def kwic(corpus, terms, window: int = 20, regex: bool = False, section_types=None, report_ids=None) -> KwicFrame:
    """Keyword in context: every occurrence of a term with the words around it.

    Parameters
    ----------
    corpus : Corpus or Report
    terms : str, list of str, or compiled pattern
        A term (``"数字经济"``), a list of terms (matched longest first, without overlaps), or a
        regular expression when ``regex=True`` (``r"营商环境|放管服"``).
    window : int
        Characters of context on each side.
    section_types : str or list of str, optional
        Keep hits inside sections of these types (``"review"``, ``"plan"``, ``"tasks"`` …); a hit in a
        subsection counts for the type of any section that contains it.
    report_ids : str or list of str, optional
        Search only these reports.

    Returns
    -------
    KwicFrame
        A DataFrame, one row per hit in text order: ``report_id`` (string), ``section_type`` (string,
        the deepest section holding the hit), ``sentence_id`` (Int64, <NA> between sentences),
        ``char_start``, ``char_end`` (int, offsets of the keyword in the clean text), ``left``,
        ``keyword``, ``right`` (string; ``left + keyword + right`` is the clean text from
        ``char_start - window`` to ``char_end + window``). In JupyterLab it displays with the
        keyword highlighted (:func:`kwic_html`).

    Examples
    --------
    >>> import govreports
    >>> corpus = govreports.load()
    >>> hits = kwic(corpus, "数字经济", window=10)
    >>> hits.groupby("report_id").size().to_dict()   # doctest: +NORMALIZE_WHITESPACE
    {'jingdezhen-2022': 1, 'xunyang-2024': 2, 'zhenjiang-2022': 3, 'zhumadian-2023': 1,
     'zhumadian-2024': 2, 'zhumadian-2025': 1}
    >>> hit = hits.iloc[0]
    >>> hit["left"] + hit["keyword"] + hit["right"]
    '车解困发展。大力发展数字经济，促进数字产业化、产'
    >>> kwic(corpus, "数字经济", section_types=["review", "term_review"])["report_id"].tolist()
    ['zhenjiang-2022', 'zhenjiang-2022', 'xunyang-2024']
    """
    if window < 0:
        raise ValueError("window must be 0 or more characters")
    pattern = _compile_terms(terms, regex)
    wanted_types = _as_list(section_types)
    if wanted_types is not None:
        known = set(SECTION_TYPES)
        if "section_type" in corpus.sections.columns:
            known |= set(corpus.sections["section_type"].dropna().astype(str))
        unknown = [t for t in wanted_types if t not in known]
        if unknown:
            raise ValueError(f"unknown section type(s) {unknown}; types are {', '.join(sorted(known))}")
    if _is_report(corpus):
        texts = [(corpus.report_id, corpus.text)]
        sections_of = {corpus.report_id: corpus.sections}
        sentences_of = {corpus.report_id: corpus.sentences}
    else:
        table = corpus.texts
        wanted_ids = _as_list(report_ids)
        if wanted_ids is not None:
            missing = sorted(set(wanted_ids) - set(table["report_id"]))
            if missing:
                raise KeyError(f"no report(s) {missing} in this corpus")
            table = table.loc[table["report_id"].isin(wanted_ids)]
        texts = list(zip(table["report_id"], table["text"]))
        sections_of = sentences_of = None

    rows = []
    hit_ids: list[str] = []
    matches: dict[str, list[re.Match]] = {}
    for report_id, text in texts:
        found = list(pattern.finditer(text)) if isinstance(text, str) else []
        found = [m for m in found if m.end() > m.start()]  # an empty regex match is not a hit
        if found:
            matches[report_id] = found
            hit_ids.append(report_id)
    if hit_ids and sections_of is None:
        sections = corpus.sections
        sentences = corpus.sentences
        sections_of = dict(tuple(sections.loc[sections["report_id"].isin(hit_ids)].groupby("report_id", sort=False)))
        sentences_of = dict(tuple(sentences.loc[sentences["report_id"].isin(hit_ids)].groupby("report_id", sort=False)))
    text_of = dict(texts)
    for report_id in hit_ids:
        found = matches[report_id]
        text = text_of[report_id]
        positions = np.fromiter((m.start() for m in found), dtype="int64", count=len(found))
        empty = pd.DataFrame(columns=["section_id", "section_type", "char_start", "char_end", "level"])
        _, section_type, section_chain = _section_lookup(sections_of.get(report_id, empty), positions)
        sentence_id = _sentence_lookup(
            sentences_of.get(report_id, pd.DataFrame(columns=["sentence_id", "char_start", "char_end"])), positions
        )
        for i, match in enumerate(found):
            if wanted_types is not None and not (section_chain[i] & set(wanted_types)):
                continue
            start, end = match.start(), match.end()
            rows.append(
                (
                    report_id,
                    section_type[i],
                    sentence_id[i],
                    start,
                    end,
                    text[max(0, start - window) : start],
                    text[start:end],
                    text[end : end + window],
                )
            )
    frame = pd.DataFrame(rows, columns=KWIC_COLUMNS)
    frame = frame.astype(
        {
            "report_id": "string",
            "section_type": "string",
            "sentence_id": "Int64",
            "char_start": "int64",
            "char_end": "int64",
            "left": "string",
            "keyword": "string",
            "right": "string",
        }
    )
    return KwicFrame(frame)


def _display_text(value) -> str:
    """Escaped text for a one-line display (line breaks shown as ↵)."""
    if is_missing(value):
        return ""
    return html.escape(str(value)).replace("\r", "").replace("\n", "↵")


def kwic_html(hits: pd.DataFrame, max_rows: int | None = None) -> str:
    """HTML for a :func:`kwic` result: contexts aligned on the highlighted keyword.

    Parameters
    ----------
    hits : DataFrame
        With columns ``left``, ``keyword``, ``right`` (and any of ``report_id``, ``section_type``,
        ``sentence_id``).
    max_rows : int, optional
        Rows shown (default: pandas' ``display.max_rows``); the rest are counted below the table.
    """
    if max_rows is None:
        max_rows = pd.get_option("display.max_rows") or len(hits)
    n = len(hits)
    n_reports = hits["report_id"].nunique() if "report_id" in hits.columns else None
    caption = f"{n} hit{'s' if n != 1 else ''}" + (f" in {n_reports} report{'s' if n_reports != 1 else ''}" if n_reports is not None else "")
    lead_columns = [c for c in ("report_id", "section_type", "sentence_id") if c in hits.columns]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in lead_columns)
    head += '<th style="text-align:right">left</th><th style="text-align:center">keyword</th><th>right</th>'
    body = []
    for row in hits.head(max_rows).itertuples(index=False):
        row = row._asdict()
        cells = "".join(f"<td>{_esc(row[c])}</td>" for c in lead_columns)
        cells += (
            f'<td class="gr-left">{_display_text(row["left"])}</td>'
            f'<td class="gr-key"><mark style="{_MARK}">{_display_text(row["keyword"])}</mark></td>'
            f'<td class="gr-right">{_display_text(row["right"])}</td>'
        )
        body.append(f"<tr>{cells}</tr>")
    more = f'<p class="gr-note">… {n - max_rows} more rows not shown</p>' if n > max_rows else ""
    return (
        f'{_CSS}<div class="govreports kwic"><table class="gr-table">'
        f'<caption class="gr-note" style="text-align:left">{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}</div>"
    )


# --------------------------------------------------------------------------------------------
# report card and corpus table
# --------------------------------------------------------------------------------------------
def _table_html(header: Sequence[str], rows: Iterable[Sequence], raw_columns: Sequence[int] = ()) -> str:
    """A small HTML table; every cell is escaped unless its column is listed in ``raw_columns``."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    lines = []
    for row in rows:
        cells = "".join(
            f"<td>{value if i in raw_columns else _esc(value)}</td>" for i, value in enumerate(row)
        )
        lines.append(f"<tr>{cells}</tr>")
    return f'<table class="gr-table"><thead><tr>{head}</tr></thead><tbody>{"".join(lines)}</tbody></table>'


def _with_source(shown, sentence) -> str:
    """An escaped value whose tooltip is its source sentence (the value is "—" when missing)."""
    if is_missing(sentence):
        return _esc(shown)
    return f'<span title="{html.escape(str(sentence), quote=True)}">{_esc(shown)}</span>'


def top_sections(sections: pd.DataFrame, n_chars: int) -> pd.DataFrame:
    """The top-level sections (the preamble and the numbered parts) with their share of the text.

    A part's extent runs to the start of the next top-level section, so its share includes its
    subsections whether or not the sections table nests them.

    Returns
    -------
    DataFrame
        ``section_id, number, title, section_type, char_start, char_end, share`` (float, 0–1).
    """
    columns = ["section_id", "number", "title", "section_type", "char_start", "char_end", "share"]
    if len(sections) == 0 or not n_chars:
        return pd.DataFrame(columns=columns)
    levels = pd.to_numeric(sections["level"], errors="coerce").fillna(0) if "level" in sections else pd.Series(0, index=sections.index)
    top = sections.loc[levels <= 1].sort_values("char_start")
    starts = top["char_start"].astype("int64").to_numpy()
    ends = np.append(starts[1:], n_chars)
    ends = np.maximum(ends, top["char_end"].astype("int64").to_numpy()) if len(top) else ends
    ends = np.minimum(ends, n_chars)
    out = pd.DataFrame(
        {
            "section_id": top["section_id"].to_numpy(),
            "number": top["number"].to_numpy() if "number" in top else pd.NA,
            "title": top["title"].to_numpy() if "title" in top else pd.NA,
            "section_type": top["section_type"].to_numpy() if "section_type" in top else pd.NA,
            "char_start": starts,
            "char_end": ends,
        }
    )
    return out.assign(share=(out["char_end"] - out["char_start"]) / n_chars)


def _place(meta: Mapping) -> str | None:
    region = meta.get("region_name")
    if is_missing(region):
        return None
    above = [meta.get(k) for k in ("parent_name", "province_name")]
    above = [str(a) for a in dict.fromkeys(above) if not is_missing(a) and a != region]
    return f"{region}（{'，'.join(above)}）" if above else str(region)


def _speaker(meta: Mapping) -> str | None:
    parts = [str(meta.get(k)) for k in ("speaker_title", "speaker_name") if not is_missing(meta.get(k))]
    return " ".join(parts) or None


def _year_text(meta: Mapping) -> str | None:
    year = meta.get("report_year")
    if is_missing(year):
        return None
    review = meta.get("review_year")
    text = str(int(year))
    if not is_missing(review):
        text += f"（回顾 {int(review)} 年{'，任期回顾' if meta.get('is_term_review') is True else ''}）"
    return text


def _quality_line(meta: Mapping, repairs: pd.DataFrame, footnotes: pd.DataFrame | None) -> str:
    parts = []
    if repairs is not None and len(repairs) and "count" in repairs:
        counts = repairs.groupby("kind", sort=False)["count"].sum().sort_values(ascending=False)
        listed = ", ".join(f"{kind} {int(n)}" for kind, n in counts.head(6).items())
        extra = f", … {len(counts) - 6} more kinds" if len(counts) > 6 else ""
        parts.append(f"repairs: {int(counts.sum())} ({listed}{extra})")
    elif repairs is not None:
        parts.append("repairs: none")
    else:
        parts.append(f"repairs: {MISSING}")
    unresolved = meta.get("unresolved_chars")
    parts.append(f"unresolved characters: {MISSING if is_missing(unresolved) else int(unresolved)}")
    script = meta.get("script_original")
    parts.append(f"original script: {MISSING if is_missing(script) else script}")
    if footnotes is not None:
        parts.append(f"footnote markers lifted: {len(footnotes)}")
    return " · ".join(parts)


def report_card_html(report) -> str:
    """A report as a card: what it is, how it is built, what it promises, how clean it is.

    Shows place (with parent and province), level, year, speaker, date, session, the top-level
    sections with their share of the text, this year's targets with their qualifiers, and a
    data-quality line (repairs, unresolved characters) with the pipeline's notes on the file
    (``report.notes``). Every value is HTML-escaped; a value the
    report does not state is shown as "—".

    Examples
    --------
    >>> import govreports
    >>> card = report_card_html(govreports.load().report("驻马店", 2021))
    >>> "朱是西" in card and "固定资产投资" in card
    True
    """
    meta = report.metadata
    text = report.text or ""
    frames = report.__dict__.get("_frames", {})
    title_bits = [b for b in (meta.get("region_name"), _int_or_none(meta.get("report_year"))) if not is_missing(b)]
    heading = " ".join(str(b) for b in title_bits) + " 政府工作报告" if title_bits else "政府工作报告"
    facts = [
        ("place", _place(meta)),
        ("level", meta.get("region_level")),
        ("year", _year_text(meta)),
        ("speaker", _speaker(meta)),
        ("delivered", format_date(meta.get("delivered_date"))),
        ("session", meta.get("congress_session")),
        ("title", meta.get("title")),
        ("source file", meta.get("source_file")),
        ("length", f"{len(text):,} characters" + (f", {len(frames['sentences']):,} sentences" if "sentences" in frames else "")),
    ]
    facts_html = "".join(
        f'<tr><th style="width:7em">{html.escape(k)}</th><td>{_esc(v)}</td></tr>' for k, v in facts
    )
    parts = [
        f'{_CSS}<div class="govreports card report">',
        f'<div style="font-size:115%;font-weight:600">{html.escape(heading)} '
        f'<code style="font-size:80%;opacity:.7">{html.escape(str(report.report_id))}</code></div>',
        f'<table class="gr-table">{facts_html}</table>',
    ]
    sections = frames.get("sections")
    if sections is not None and len(sections):
        tops = top_sections(sections, len(text))
        rows = [
            (
                row.number,
                row.title,
                row.section_type,
                f"{row.share:.0%}",
            )
            for row in tops.itertuples(index=False)
        ]
        parts.append('<div class="gr-head">sections</div>')
        parts.append(_table_html(["no.", "title", "type", "share of text"], rows))
    else:
        parts.append(f'<div class="gr-head">sections: {MISSING}</div>')
    indicators = frames.get("indicators")
    if indicators is not None and len(indicators) and "kind" in indicators:
        targets = indicators.loc[indicators["kind"] == "target"]
    else:
        targets = None
    if targets is not None and len(targets):
        rows = [
            (
                row.get("indicator_name"),
                _with_source(format_indicator(row), row.get("sentence")),
                row.get("qualifier"),
                row.get("constraint"),
            )
            for row in (r._asdict() for r in targets.head(40).itertuples(index=False))
        ]
        more = f" (first 40 of {len(targets)})" if len(targets) > 40 else ""
        parts.append(f'<div class="gr-head">targets for the report year{html.escape(more)} '
                     '<span class="gr-note">(hover a target for its sentence)</span></div>')
        parts.append(_table_html(["indicator", "target", "qualifier", "constraint"], rows, raw_columns=(1,)))
    else:
        parts.append(f'<div class="gr-head">targets: {MISSING}</div>')
    quality = _quality_line(meta, frames.get("repairs"), frames.get("footnotes"))
    parts.append(f'<div class="gr-note"><b>data quality</b>: {html.escape(quality)}</div>')
    notes = list(getattr(report, "notes", []) or [])
    if notes:
        items = "".join(f"<li>{html.escape(str(note))}</li>" for note in notes[:8])
        more = f"<li>… {len(notes) - 8} more in corpus.failures</li>" if len(notes) > 8 else ""
        parts.append(f'<ul class="gr-note" style="margin:.2em 0">{items}{more}</ul>')
    parts.append("</div>")
    return "".join(parts)


def corpus_summary(corpus) -> pd.DataFrame:
    """One row per report, for a quick look at what the corpus holds.

    Returns
    -------
    DataFrame
        ``report_id, region_name, region_level, province_name, report_year`` (Int64),
        ``speaker_name, delivered_date, n_chars_clean`` (int), ``n_sections, n_targets, n_actuals``
        (Int64, <NA> when the table is not available), ``unresolved_chars``.
    """
    reports = corpus.reports
    keep = [
        "report_id",
        "region_name",
        "region_level",
        "province_name",
        "report_year",
        "speaker_name",
        "delivered_date",
        "n_chars_clean",
    ]
    out = reports[[c for c in keep if c in reports.columns]].copy()

    def count(table_name: str, mask=None) -> pd.Series:
        try:
            table = corpus.table(table_name)
        except (KeyError, FileNotFoundError):
            return pd.Series(pd.NA, index=out.index, dtype="Int64")
        if mask is not None and len(table):
            table = table.loc[mask(table)]
        counts = table.groupby("report_id").size() if len(table) else pd.Series(dtype="int64")
        return out["report_id"].map(counts).fillna(0).astype("Int64")

    out["n_sections"] = count("sections")
    out["n_targets"] = count("indicators", lambda t: t["kind"] == "target")
    out["n_actuals"] = count("indicators", lambda t: t["kind"] == "actual")
    if "unresolved_chars" in reports.columns:
        out["unresolved_chars"] = reports["unresolved_chars"].to_numpy()
    return out.reset_index(drop=True)


def corpus_html(corpus, max_rows: int | None = None) -> str:
    """The corpus as a table of its reports (id, place, level, year, speaker, date, size, targets).

    Every value is HTML-escaped; missing values are shown as "—".

    Examples
    --------
    >>> import govreports
    >>> "zhumadian-2021" in corpus_html(govreports.load())
    True
    """
    summary = corpus_summary(corpus)
    if max_rows is None:
        max_rows = pd.get_option("display.max_rows") or len(summary)
    n = len(summary)
    shown = summary if n <= max_rows else pd.concat([summary.head(max_rows // 2), summary.tail(max_rows - max_rows // 2)])
    header = list(shown.columns)
    rows = [
        [format_date(v) if c == "delivered_date" else v for c, v in zip(header, row)]
        for row in shown.itertuples(index=False)
    ]
    years = summary["report_year"].dropna() if "report_year" in summary else pd.Series(dtype="Int64")
    places = summary["region_name"].dropna().nunique() if "region_name" in summary else 0
    span = f", {int(years.min())}–{int(years.max())}" if len(years) else ""
    caption = f"{n} reports, {places} places{span}"
    more = f'<p class="gr-note">… {n - len(shown)} rows not shown</p>' if n > len(shown) else ""
    return (
        f'{_CSS}<div class="govreports corpus"><div class="gr-head">{html.escape(caption)}</div>'
        f"{_table_html(header, rows)}{more}</div>"
    )


# --------------------------------------------------------------------------------------------
# citing
# --------------------------------------------------------------------------------------------
def _is_national(meta: Mapping) -> bool:
    return meta.get("region_level") == "national" or meta.get("region_name") == "中华人民共和国"


def _section_label(section: Mapping, top_level: bool) -> str:
    """``第三部分“2021年重点工作”`` for a numbered part, ``（二）“…”`` for a subsection."""
    number = "" if is_missing(section.get("number")) else str(section.get("number")).strip(_SECTION_NUMBER_PUNCT)
    title = "" if is_missing(section.get("title")) else str(section.get("title")).strip()
    if len(title) > 30:
        title = title[:30] + "…"
    quoted = f"“{title}”" if title else ""
    if not number:
        return quoted
    if top_level:
        return f"第{number}部分{quoted}"
    if _CHINESE_NUMERAL.match(number):
        return f"（{number}）{quoted}"
    return f"{number}.{quoted}"


def _section_chain(sections: pd.DataFrame, section_id) -> list[dict]:
    """The section and its ancestors, outermost first."""
    by_id = {row["section_id"]: row for row in sections.to_dict("records")}
    if section_id not in by_id:
        raise KeyError(f"no section {section_id!r} in this report")
    chain, seen = [], set()
    current = by_id[section_id]
    while current is not None and current["section_id"] not in seen:
        seen.add(current["section_id"])
        chain.append(current)
        parent = current.get("parent_section_id")
        current = by_id.get(parent) if not is_missing(parent) else None
    if len(chain) == 1 and "level" in sections and not is_missing(chain[0].get("level")) and int(chain[0]["level"]) > 1:
        # no parent links: the enclosing top-level part is the last level-1 section before it
        levels = pd.to_numeric(sections["level"], errors="coerce")
        before = sections.loc[(levels == 1) & (sections["char_start"] <= chain[0]["char_start"])]
        if len(before):
            chain.append(before.sort_values("char_start").iloc[-1].to_dict())
    return chain[::-1]


def citation(metadata: Mapping, sections: pd.DataFrame | None = None, section_id=None) -> str:
    """A citation string from a report's metadata (and a section): see :func:`cite`."""
    region = metadata.get("region_name")
    year = _int_or_none(metadata.get("report_year"))
    national = _is_national(metadata)
    if national:
        author = "国务院"
    else:
        author = None if is_missing(region) else f"{region}人民政府"
    # File titles vary ("政府工作报告", "景德镇市政府工作报告(2022年1月23日 胡雪梅)"); a title
    # built from the place and year is uniform and says which report it is.
    if year is not None and (national or not is_missing(region)):
        title = f"{year}年{'' if national else region}政府工作报告"
    elif not is_missing(metadata.get("title")):
        title = str(metadata.get("title"))
    else:
        title = "政府工作报告"
    pieces = [f"《{title}》"]
    date = format_date(metadata.get("delivered_date"))
    if date:
        pieces.append(date)
    if section_id is not None and sections is not None and len(sections):
        chain = _section_chain(sections, section_id)
        labels = [_section_label(s, top_level=(i == 0)) for i, s in enumerate(chain)]
        label = "".join(l for l in labels if l)
        if label:
            pieces.append(label)
    body = "，".join(pieces)
    return (f"{author}：{body}" if author else body) + "。"


def cite(corpus, report_id: str | None = None, section_id=None) -> str:
    """A citation for a figure caption or a footnote: author, title, date and section.

    Parameters
    ----------
    corpus : Corpus or Report
    report_id : str
        The report (not needed when ``corpus`` is a Report).
    section_id : int, optional
        Cite a section: its top-level part (``第三部分“2021年重点工作”``) and, for a subsection,
        its own number and title.

    Returns
    -------
    str
        ``<region>人民政府：《<year>年<region>政府工作报告》，<date>，<section>。`` (国务院 for the
        national report); parts the report does not state are left out.

    Examples
    --------
    >>> import govreports
    >>> cite(govreports.load(), "zhumadian-2021")
    '驻马店市人民政府：《2021年驻马店市政府工作报告》，2021年2月27日。'
    """
    parts = _parts(corpus, report_id)
    return citation(parts.metadata, parts.sections, section_id)


def _indicator_row(obj, indicator_row) -> dict:
    if isinstance(indicator_row, (int, np.integer)):
        table = obj.indicators
        return table.iloc[int(indicator_row)].to_dict()
    if isinstance(indicator_row, pd.Series):
        return indicator_row.to_dict()
    return dict(indicator_row)


def _source_span(parts: _ReportParts, row: Mapping) -> tuple[int, int, int | None, int | None]:
    """(sentence start, sentence end, highlight start, highlight end) in the clean text."""
    text = parts.text
    start, end = _int_or_none(row.get("char_start")), _int_or_none(row.get("char_end"))
    sentence_id = row.get("sentence_id")
    if not is_missing(sentence_id) and len(parts.sentences):
        match = parts.sentences.loc[parts.sentences["sentence_id"] == sentence_id]
        if len(match):
            s0, s1 = int(match["char_start"].iloc[0]), int(match["char_end"].iloc[0])
            if start is None or (s0 <= start and end <= s1):
                return s0, s1, start, end
    if start is not None and end is not None:
        return max(0, start - 60), min(len(text), end + 60), start, end
    sentence = row.get("sentence")
    if not is_missing(sentence) and str(sentence) in text:
        s0 = text.index(str(sentence))
        return s0, s0 + len(str(sentence)), None, None
    raise ValueError("this row has neither offsets nor a sentence to show")


def _mark_numbers(span: str) -> tuple[str, str]:
    """(HTML, text) of an indicator's span with its numbers marked: ``<mark>`` in HTML, 【】 in text.

    The span runs from the indicator's name to its value (生产总值增长8%左右); the numbers in it are
    what a reader checks. A span without Arabic digits (百分之八) is marked whole.
    """
    pieces = list(_VALUE_IN_SPAN.finditer(span))
    if not pieces:
        return f'<mark style="{_MARK}">{html.escape(span)}</mark>', f"【{span}】"
    out_html, out_text, at = [], [], 0
    for match in pieces:
        out_html.append(html.escape(span[at : match.start()]))
        out_text.append(span[at : match.start()])
        out_html.append(f'<mark style="{_MARK}">{html.escape(match.group())}</mark>')
        out_text.append(f"【{match.group()}】")
        at = match.end()
    out_html.append(html.escape(span[at:]))
    out_text.append(span[at:])
    return "".join(out_html), "".join(out_text)


def _source_view(obj, indicator_row) -> HTMLView:
    row = _indicator_row(obj, indicator_row)
    report_id = row.get("report_id")
    if not _is_report(obj) and is_missing(report_id):
        raise ValueError("this indicator row has no report_id: take it from corpus.indicators, or call this on the Report")
    if _is_report(obj) and not is_missing(report_id) and report_id != obj.report_id:
        raise ValueError(f"this indicator row is from {report_id}, not from {obj.report_id}")
    parts = _parts(obj, None if _is_report(obj) else report_id)
    s0, s1, start, end = _source_span(parts, row)
    text = parts.text
    if start is not None and end is not None:
        span_html, span_text = _mark_numbers(text[start:end])
        quote_html = (
            html.escape(text[s0:start])
            + f'<span style="{_SPAN}">{span_html}</span>'
            + html.escape(text[end:s1])
        )
        quote_text = text[s0:start] + span_text + text[end:s1]
    else:
        quote_html = html.escape(text[s0:s1])
        quote_text = text[s0:s1]
    section_id = row.get("section_id")
    reference = citation(parts.metadata, parts.sections, None if is_missing(section_id) else section_id)
    label_bits = [row.get("indicator_name"), row.get("kind"), row.get("year")]
    label = " · ".join(str(b) for b in label_bits if not is_missing(b))
    shown = format_indicator(row)
    value_text = f"{label}: {shown}" if shown else label
    markup = (
        f'{_CSS}<div class="govreports card source">'
        f'<div class="gr-note">{_esc(value_text)}</div>'
        f'<blockquote style="margin:.3em 0 .3em .5em;padding-left:.6em;border-left:3px solid rgba(128,128,128,.5)">{quote_html}</blockquote>'
        f'<div class="gr-note">{html.escape(reference)}</div></div>'
    )
    return HTMLView(markup, f"{value_text}\n  {quote_text}\n  — {reference}")


def source_html(corpus_or_report, indicator_row) -> str:
    """HTML for the sentence an indicator value comes from, with the number highlighted.

    Parameters
    ----------
    corpus_or_report : Corpus or Report
    indicator_row : Series, dict or int
        A row of ``indicators`` (from ``corpus.indicators``, which has ``report_id``, or from
        ``report.indicators``), or its position in ``report.indicators``.

    Returns
    -------
    str
        The source sentence (escaped) with ``text[char_start:char_end]`` in ``<mark>``, the value
        as formatted by :func:`format_indicator`, and the citation of its section.

    Examples
    --------
    >>> import govreports
    >>> corpus = govreports.load()
    >>> rows = corpus.indicators.query("report_id == 'zhumadian-2021' and kind == 'target'")
    >>> "<mark" in source_html(corpus, rows.iloc[0])
    True
    """
    return _source_view(corpus_or_report, indicator_row).html


def show_source(corpus_or_report, indicator_row) -> HTMLView:
    """Like :func:`source_html`, as an object JupyterLab displays (and ``print`` shows as text,
    with the number in 【】)."""
    return _source_view(corpus_or_report, indicator_row)


# --------------------------------------------------------------------------------------------
# comparison helpers
# --------------------------------------------------------------------------------------------
def _check_codes(indicators: pd.DataFrame, codes: Sequence[str]) -> None:
    """Fail on an indicator code the corpus never states (a typo must not look like "no data")."""
    known = set(indicators["indicator_code"].dropna().astype(str))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise KeyError(f"no indicator {unknown} in this corpus; codes are {', '.join(sorted(known))}")


def targets_table(corpus, report_ids=None, indicators=None, kind: str = "target") -> pd.DataFrame:
    """Targets of several reports side by side: indicators × reports, qualifiers shown.

    Parameters
    ----------
    corpus : Corpus
    report_ids : str or list of str, optional
        Columns, in this order (default: every report of the corpus, in its order).
    indicators : str or list of str, optional
        ``indicator_code``s to show, in this order (default: every indicator that has a target in
        the chosen reports, most widely targeted first). An indicator none of the chosen reports
        targets gets a row of ``<NA>``; a code the corpus never states raises ``KeyError``.
    kind : str
        ``"target"`` (the report year's targets); ``"actual"`` gives last year's outcomes instead.

    Returns
    -------
    DataFrame
        Index ``indicator_code, indicator_name, measure``; one string column per report id; each
        cell formatted by :func:`format_indicator` (``"≥ 8%"``, ``"6.5% 左右"``, ``"7–7.5%"``). A report
        that states no such target has ``<NA>`` (missing, not 0 or ""). When a report states the
        same indicator and measure twice, the first statement is shown.

    Examples
    --------
    >>> import govreports
    >>> table = targets_table(govreports.load(), ["zhumadian-2021"], ["gdp"])
    >>> table.loc[("gdp", "地区生产总值", "growth"), "zhumadian-2021"]
    '8% 左右'
    """
    all_ids = corpus.reports["report_id"].tolist()
    ids = _as_list(report_ids) or all_ids
    unknown = sorted(set(ids) - set(all_ids))
    if unknown:
        raise KeyError(f"no report(s) {unknown} in this corpus")
    codes = _as_list(indicators)
    table = corpus.indicators
    if codes is not None:
        _check_codes(table, codes)
    rows = table.loc[(table["kind"] == kind) & table["report_id"].isin(ids)]
    if codes is not None:
        rows = rows.loc[rows["indicator_code"].isin(codes)]
    rows = rows.sort_values(["report_id", "char_start"], kind="stable")
    rows = rows.drop_duplicates(["report_id", "indicator_code", "measure"], keep="first")
    keys = ["indicator_code", "indicator_name", "measure"]
    if len(rows):
        shown = rows.assign(shown=[format_indicator(r) for r in rows.to_dict("records")])
        wide = shown.groupby(keys + ["report_id"], dropna=False, sort=False)["shown"].first().unstack("report_id")
        wide = wide.reindex(columns=ids)
    else:
        wide = pd.DataFrame(columns=ids, index=pd.MultiIndex.from_tuples([], names=keys))
    if codes is not None:  # an indicator asked for but stated by none of the reports: a row of <NA>
        absent = [code for code in dict.fromkeys(codes) if code not in set(wide.index.get_level_values(0))]
        if absent:
            names = table.drop_duplicates("indicator_code").set_index("indicator_code")["indicator_name"]
            extra = pd.MultiIndex.from_tuples([(code, names.get(code, pd.NA), pd.NA) for code in absent], names=keys)
            wide = pd.concat([wide, pd.DataFrame(pd.NA, index=extra, columns=wide.columns)])
    # row order: as asked, else most widely targeted first; then by code and measure
    if len(wide):
        codes_in_rows = [str(k[0]) for k in wide.index]
        if codes is not None:
            order = {code: i for i, code in enumerate(codes)}
            first_key = [order.get(code, len(order)) for code in codes_in_rows]
        else:
            first_key = (-wide.notna().sum(axis=1)).tolist()
        sort_keys = pd.DataFrame({"a": first_key, "b": codes_in_rows, "c": [str(k[2]) for k in wide.index]})
        wide = wide.iloc[sort_keys.sort_values(["a", "b", "c"], kind="stable").index.to_numpy()]
    wide = wide.astype("string")
    wide.columns.name = "report_id"
    return wide


def indicator_series(corpus, region: str, indicator_code: str, kinds=("target", "actual"), measure: str | None = None) -> pd.DataFrame:
    """One indicator over time for one region: what was targeted and what was achieved each year.

    Parameters
    ----------
    corpus : Corpus
    region : str
        A region name with or without its suffix (驻马店 or 驻马店市), or its ASCII id, the place
        part of its report ids (``zhumadian``), which is what notebook parameters use.
    indicator_code : str
        E.g. ``"gdp"``, ``"fixed_asset_investment"``.
    kinds : str or tuple of str
        Which kinds of value (``target``, ``actual``, ``period_actual``, ``period_target``).
    measure : str, optional
        ``growth``, ``level``, ``rate`` or ``change``; default: the measure most often stated for
        this indicator in this region (so growth rates and amounts are never mixed in one series).

    Returns
    -------
    DataFrame
        One row per report × kind, sorted by year then kind: ``year`` (Int64, the year the value is
        for: a target's report year, an outcome's review year), ``kind``, ``value``, ``value_high``
        (float, <NA> unless a range), ``measure``, ``unit``, ``qualifier``, ``constraint``,
        ``report_id``, ``sentence`` (the source sentence). When a report states the same value twice,
        the first statement is kept.

    Examples
    --------
    >>> import govreports
    >>> series = indicator_series(govreports.load(), "驻马店", "fixed_asset_investment", kinds="target")
    >>> target = series.set_index("year").loc[2021]     # 固定资产投资增长7%以上
    >>> print(target["value"], target["constraint"], target["report_id"])
    7.0 floor zhumadian-2021
    """
    from .corpus import region_mask

    _check_codes(corpus.indicators, [indicator_code])
    kinds = _as_list(kinds)
    reports = corpus.reports
    ids = reports.loc[region_mask(reports, region), "report_id"]
    if len(ids) == 0:
        raise KeyError(f"no report of {region!r} in this corpus")
    table = corpus.indicators
    rows = table.loc[table["report_id"].isin(set(ids)) & (table["indicator_code"] == indicator_code) & table["kind"].isin(kinds)]
    if measure is None and len(rows) and "measure" in rows:
        counts = rows["measure"].value_counts()
        measure = counts.index[0] if len(counts) else None
    if measure is not None and "measure" in rows:
        rows = rows.loc[rows["measure"] == measure]
    rows = rows.sort_values(["report_id", "char_start"], kind="stable").drop_duplicates(["report_id", "kind", "year"], keep="first")
    out = rows.reindex(columns=SERIES_COLUMNS)
    out = out.astype({"year": "Int64", "value": "Float64", "value_high": "Float64"})
    kind_order = {k: i for i, k in enumerate(kinds)}
    out = out.assign(_kind=out["kind"].map(kind_order)).sort_values(["year", "_kind", "report_id"], kind="stable")
    return out.drop(columns="_kind").reset_index(drop=True)
