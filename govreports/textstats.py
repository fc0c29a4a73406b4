"""Corpus text statistics: distinctive terms (keyness), similarity between reports, text reuse.

Rules
-----
Keyness (:func:`keyness`)
    Which terms does one report use more than the rest of the corpus? For each content term
    (from :func:`govreports.segment.term_counts`) we compare its count ``a`` in the target report
    (``c`` terms in all) with its count ``b`` in all other reports (``d`` terms) by Dunning's
    log-likelihood G² (Dunning 1993; the form of Rayson & Garside 2000):
    ``E1 = c(a+b)/(c+d)``, ``E2 = d(a+b)/(c+d)``, ``G² = 2(a ln(a/E1) + b ln(b/E2))`` with
    ``0 ln 0 = 0``. G² measures how sure we are that the frequencies differ (≥ 3.84: p < 0.05,
    ≥ 15.13: p < 0.0001, one degree of freedom). We give it the sign of the difference: positive
    when the term is relatively more frequent in the target, negative when less. ``log_ratio`` is
    the effect size, the binary log of the ratio of relative frequencies (Hardie 2014), with a zero
    count replaced by 0.5 so that a term absent on one side has a finite ratio: +1 means twice as
    frequent in the target. G² ranks well-attested differences first; log_ratio says how large
    they are.
Similarity (:func:`similarity`)
    Cosine similarity of tf-idf vectors of content-term counts: ``tf = 1 + ln(n)`` (a term used 20
    times is not 20 times as telling as a term used once), ``idf = ln((1 + N)/(1 + df)) + 1``
    (terms every report uses weigh little), vectors L2-normalized. 1 = same term profile, 0 = no
    shared term. Only the ``max_terms`` terms used by most reports are kept (default 20,000), so
    the dense matrix stays small whatever the corpus size; rarer terms add little to a cosine.
Text reuse (:func:`text_reuse`, :func:`text_reuse_by_region`)
    How much of this year's report repeats last year's? Both texts are reduced to their Han
    characters (punctuation, digits and spacing change between years without changing the
    wording), cut into overlapping character n-grams (``ngram = 8`` by default: long enough that
    a shared 8-gram is almost always a copied phrase, not a common word), and ``reuse_share`` is
    the share of this year's n-grams (with repetition) that also occur in last year's text.
    0 = nothing repeated, 1 = every phrase repeated. Formulae every report uses (以习近平新时代中国
    特色社会主义思想为指导) give a floor of a few percent between unrelated reports.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

KEYNESS_COLUMNS = [
    "term",
    "n_target",
    "n_reference",
    "freq_target_per_10k",
    "freq_reference_per_10k",
    "log_likelihood",
    "log_ratio",
]
SIMILARITY_COLUMNS = ["report_id_a", "report_id_b", "cosine"]
REUSE_COLUMNS = ["region_name", "year", "report_id", "previous_report_id", "reuse_share"]

_NON_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff]+")


def _table(corpus: Any, name: str) -> pd.DataFrame:
    """A table from a DataFrame or from an object holding it as an attribute (a Corpus)."""
    if isinstance(corpus, pd.DataFrame):
        return corpus
    table = getattr(corpus, name, None)
    if table is None and hasattr(corpus, "tables"):
        table = corpus.tables.get(name)
    if table is None:
        raise TypeError(f"expected a DataFrame or an object with a {name!r} table")
    return table


# ------------------------------------------------------------------------------- keyness
def keyness(term_counts: Any, report_id: str, min_count: int = 3) -> pd.DataFrame:
    """Terms over- and under-represented in one report against the rest of the corpus.

    Parameters
    ----------
    term_counts : DataFrame or Corpus
        The corpus ``term_counts`` table: ``report_id, term, n``.
    report_id : str
        The target report.
    min_count : int
        Keep terms used at least this often in target and reference together (rarer terms give
        unstable ratios).

    Returns
    -------
    DataFrame
        ``term`` (string), ``n_target``, ``n_reference`` (Int64), ``freq_target_per_10k``,
        ``freq_reference_per_10k`` (Float64, per 10,000 content terms), ``log_likelihood``
        (Float64, signed G²: positive = more frequent in the target), ``log_ratio`` (Float64,
        log2 of the ratio of relative frequencies, zero counts taken as 0.5) — most distinctive
        first (G² descending).
    """
    counts = _table(term_counts, "term_counts")
    if report_id not in set(counts["report_id"].astype(str)):
        raise KeyError(f"report_id {report_id!r} is not in the term counts")
    is_target = counts["report_id"].astype(str) == report_id
    target = counts.loc[is_target].groupby("term", sort=False)["n"].sum()
    reference = counts.loc[~is_target].groupby("term", sort=False)["n"].sum()
    both = pd.concat({"a": target, "b": reference}, axis=1).fillna(0)
    c, d = float(target.sum()), float(reference.sum())
    both = both[(both["a"] + both["b"]) >= min_count]
    a, b = both["a"].to_numpy(float), both["b"].to_numpy(float)

    total = c + d
    e1 = c * (a + b) / total if total else np.zeros_like(a)
    e2 = d * (a + b) / total if total else np.zeros_like(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        term_a = np.where(a > 0, a * np.log(a / e1), 0.0)
        term_b = np.where(b > 0, b * np.log(b / e2), 0.0)
        g2 = 2 * (term_a + term_b)
        freq_a = a / c if c else np.full_like(a, np.nan)
        freq_b = b / d if d else np.full_like(b, np.nan)
        sign = np.sign(freq_a - freq_b) if c and d else np.ones_like(a)
        log_ratio = np.log2((np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d)) if c and d else np.full_like(a, np.nan)
    out = pd.DataFrame(
        {
            "term": pd.Series(both.index.astype(str), dtype="string"),
            "n_target": pd.Series(a.astype(np.int64), dtype="Int64"),
            "n_reference": pd.Series(b.astype(np.int64), dtype="Int64"),
            "freq_target_per_10k": pd.Series(freq_a * 10_000, dtype="Float64"),
            "freq_reference_per_10k": pd.Series(freq_b * 10_000, dtype="Float64"),
            "log_likelihood": pd.Series(sign * g2, dtype="Float64"),
            "log_ratio": pd.Series(log_ratio, dtype="Float64"),
        }
    )
    return out.sort_values(["log_likelihood", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------- similarity
def _term_counts_of(data: Any) -> pd.DataFrame:
    table = _table(data, "term_counts") if not isinstance(data, pd.DataFrame) else data
    if {"report_id", "term", "n"} <= set(table.columns):
        return table[["report_id", "term", "n"]]
    if {"report_id", "text"} <= set(table.columns):
        from govreports import segment

        frames = [
            segment.term_counts(text).assign(report_id=rid)
            for rid, text in zip(table["report_id"].tolist(), table["text"].tolist())
        ]
        if not frames:
            return pd.DataFrame(columns=["report_id", "term", "n"])
        return pd.concat(frames, ignore_index=True)[["report_id", "term", "n"]]
    raise ValueError("expected a term_counts table (report_id, term, n) or a texts table (report_id, text)")


def similarity(data: Any, max_terms: int = 20_000) -> pd.DataFrame:
    """Cosine similarity of every pair of reports on tf-idf weighted content terms.

    Parameters
    ----------
    data : DataFrame or Corpus
        A ``term_counts`` table (``report_id, term, n``) or a ``texts`` table (``report_id, text``,
        segmented here).
    max_terms : int
        Keep the terms with the highest document frequency (see the module rules).

    Returns
    -------
    DataFrame
        ``report_id_a, report_id_b`` (string, a < b), ``cosine`` (Float64) — one row per pair.
    """
    counts = _term_counts_of(data)
    counts = counts[counts["n"] > 0]
    report_ids = sorted(counts["report_id"].astype(str).unique())
    if len(report_ids) < 2:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(SIMILARITY_COLUMNS, ["string", "string", "Float64"])})
    df = counts.groupby("term")["report_id"].nunique().sort_values(ascending=False, kind="stable")
    vocab = df.index[:max_terms]
    counts = counts[counts["term"].isin(vocab)]
    row = pd.Categorical(counts["report_id"].astype(str), categories=report_ids).codes
    col = pd.Categorical(counts["term"], categories=vocab).codes
    n_docs = len(report_ids)
    matrix = np.zeros((n_docs, len(vocab)), dtype=np.float64)
    np.add.at(matrix, (row, col), counts["n"].to_numpy(float))
    tf = np.where(matrix > 0, 1 + np.log(np.where(matrix > 0, matrix, 1)), 0.0)
    idf = np.log((1 + n_docs) / (1 + df.loc[vocab].to_numpy(float))) + 1
    weights = tf * idf
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    weights = weights / np.where(norms > 0, norms, 1)
    cosine = weights @ weights.T
    i, j = np.triu_indices(n_docs, k=1)
    ids = np.array(report_ids, dtype=object)
    return pd.DataFrame(
        {
            "report_id_a": pd.Series(ids[i], dtype="string"),
            "report_id_b": pd.Series(ids[j], dtype="string"),
            "cosine": pd.Series(np.clip(cosine[i, j], 0.0, 1.0), dtype="Float64"),
        }
    )


# ---------------------------------------------------------------------------- text reuse
def _han_ngrams(text: str, ngram: int) -> list[str]:
    han = _NON_HAN.sub("", text)
    return [han[i : i + ngram] for i in range(len(han) - ngram + 1)]


def text_reuse(previous_text: str, text: str, ngram: int = 8) -> float | None:
    """Share of ``text``'s Han-character n-grams that also occur in ``previous_text``.

    Returns
    -------
    float or None
        In [0, 1]; None when ``text`` has fewer than ``ngram`` Han characters.

    Examples
    --------
    >>> text_reuse("坚持以人民为中心的发展思想", "坚持以人民为中心的发展思想")
    1.0
    """
    grams = _han_ngrams(text, ngram)
    if not grams:
        return None
    previous = set(_han_ngrams(previous_text, ngram))
    return sum(g in previous for g in grams) / len(grams)


def text_reuse_by_region(reports: pd.DataFrame, texts: pd.DataFrame, region_name: str | None = None, ngram: int = 8) -> pd.DataFrame:
    """Year-on-year text reuse of each region's reports.

    Each report is compared with the same region's most recent earlier report (the previous year's
    when the corpus has it).

    Parameters
    ----------
    reports : DataFrame
        ``report_id, region_name`` and ``report_year`` (or ``year``).
    texts : DataFrame
        ``report_id, text`` (clean text).
    region_name : str, optional
        Only this region; default every region.
    ngram : int
        n-gram length in Han characters (see the module rules).

    Returns
    -------
    DataFrame
        ``region_name`` (string), ``year`` (Int64), ``report_id``, ``previous_report_id`` (string,
        <NA> for a region's first report), ``reuse_share`` (Float64, <NA> without an earlier
        report) — one row per report with a region and a year, by region and year.
    """
    year_col = "report_year" if "report_year" in reports.columns else "year"
    table = reports[["report_id", "region_name", year_col]].rename(columns={year_col: "year"})
    table = table.dropna(subset=["region_name", "year"])
    if region_name is not None:
        table = table[table["region_name"] == region_name]
    table = table.sort_values(["region_name", "year", "report_id"], kind="stable")
    text_of = dict(zip(texts["report_id"].astype(str), texts["text"]))
    rows = []
    for region, group in table.groupby("region_name", sort=True):
        previous_id, latest_id, latest_year = None, None, None
        for rid, year in zip(group["report_id"].astype(str), group["year"].astype(int)):
            if latest_year is not None and year > latest_year:
                previous_id = latest_id  # the latest report of a strictly earlier year
            share = None
            if previous_id is not None and rid in text_of and previous_id in text_of:
                share = text_reuse(text_of[previous_id], text_of[rid], ngram)
            rows.append((region, year, rid, previous_id, share))
            latest_id, latest_year = rid, year
    return pd.DataFrame(
        {
            "region_name": pd.Series([r[0] for r in rows], dtype="string"),
            "year": pd.Series([r[1] for r in rows], dtype="Int64"),
            "report_id": pd.Series([r[2] for r in rows], dtype="string"),
            "previous_report_id": pd.Series([r[3] for r in rows], dtype="string"),
            "reuse_share": pd.Series([r[4] for r in rows], dtype="Float64"),
        }
    )
