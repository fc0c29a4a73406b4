"""Stage 6 — tables: run every stage on every report and write the corpus tables.

``parse_document`` runs read → clean → structure → extract → measure on one decoded file and returns
that report's rows of every table (no ``report_id`` yet). ``build_corpus`` does it for a folder,
assigns stable ASCII report ids, drops duplicates with a warning, adds the corpus-level tables
(``targets_vs_outcomes``) and writes everything to ``data/processed`` as parquet and CSV.

Why a per-report cache: researchers rerun one city's notebook many times; re-parsing the corpus
each time would be wasteful. Each report's rows are cached under ``cache/`` keyed by the file's
SHA-256 and a fingerprint of the package code, its lexicons and the OpenCC version, so adding one
report re-parses one report, and changing a lexicon re-parses everything (as it must).
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import sys
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import config
from .read import RawDocument, ReportError, ReportWarning, read_raw

#: Tables written by ``build_corpus``, in the order they are documented in the README.
TABLE_NAMES = (
    "reports",
    "repairs",
    "footnotes",
    "sections",
    "sentences",
    "glossary",
    "indicators",
    "targets_vs_outcomes",
    "attention",
    "attention_terms",
    "slogans",
    "term_counts",
    "texts",
    "failures",
)

#: Per-report tables (each gets a ``report_id`` column first).
PER_REPORT_TABLES = (
    "repairs",
    "footnotes",
    "sections",
    "sentences",
    "glossary",
    "indicators",
    "attention",
    "attention_terms",
    "slogans",
    "term_counts",
)

#: Tables too large or too wide to be useful as CSV are written as parquet only.
PARQUET_ONLY = ("texts", "term_counts")

REPORT_COLUMNS = [
    "report_id",
    "source_file",
    "sha256",
    "encoding",
    "title",
    "region_name",
    "region_level",
    "province_name",
    "parent_name",
    "region_code",
    "report_year",
    "review_year",
    "delivered_date",
    "speaker_name",
    "speaker_title",
    "congress_session",
    "is_term_review",
    "script_original",
    "n_chars_raw",
    "n_chars_clean",
    "unresolved_chars",
]

REPORT_DTYPES = {
    "report_year": "Int64",
    "review_year": "Int64",
    "is_term_review": "boolean",
    "n_chars_raw": "int64",
    "n_chars_clean": "int64",
    "unresolved_chars": "int64",
}

FAILURE_COLUMNS = ["source_file", "severity", "reason"]


# --------------------------------------------------------------------------------------------
# one report
# --------------------------------------------------------------------------------------------
@dataclass
class ParsedReport:
    """Everything one report contributes to the corpus tables (before ids are assigned)."""

    source_file: str
    sha256: str
    encoding: str
    metadata: dict
    text: str
    n_chars_raw: int
    script_original: str
    unresolved_chars: int
    frames: dict[str, pd.DataFrame]
    notes: list[str]
    slug: str | None


def parse_document(doc: RawDocument, source_file: str | None = None) -> ParsedReport:
    """Run clean → structure → extract → measure on one decoded report.

    Parameters
    ----------
    doc : RawDocument
        From :func:`govreports.read.read_raw`.
    source_file : str, optional
        The path recorded in the tables (relative to the corpus folder); defaults to ``doc.path``.
    """
    from . import attention, clean, glossary, indicators, metadata, segment, slogans, structure

    cleaned = clean.clean_text(doc.raw)
    text = cleaned.text
    sections = structure.parse_sections(text)
    sentences = structure.split_sentences(text, sections)
    meta = metadata.extract_metadata(text, sections)
    notes_table = glossary.extract_glossary(text, sections, cleaned.footnotes)
    indicator_rows = indicators.extract_indicators(text, sections, sentences, meta)
    attention_rows, attention_terms = attention.measure_attention(text, sections, sentences)
    slogan_rows = slogans.extract_slogans(text, sentences, notes_table)
    term_counts = segment.term_counts(sentences)
    frames = {
        "repairs": cleaned.repairs,
        "footnotes": cleaned.footnotes,
        "sections": sections,
        "sentences": sentences,
        "glossary": notes_table,
        "indicators": indicator_rows,
        "attention": attention_rows,
        "attention_terms": attention_terms,
        "slogans": slogan_rows,
        "term_counts": term_counts,
    }
    return ParsedReport(
        source_file=source_file or str(doc.path),
        sha256=doc.sha256,
        encoding=doc.encoding,
        metadata=meta,
        text=text,
        n_chars_raw=len(doc.raw),
        script_original=cleaned.script_original,
        unresolved_chars=int(cleaned.unresolved_chars),
        frames=frames,
        notes=list(cleaned.notes),
        slug=metadata.report_slug(meta),
    )


# --------------------------------------------------------------------------------------------
# cache
# --------------------------------------------------------------------------------------------
_FINGERPRINT: str | None = None


def code_fingerprint() -> str:
    """Hash of the package's code, lexicons and the versions of libraries that change results."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        digest = hashlib.sha256()
        for path in sorted(config.PACKAGE_DIR.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".csv", ".txt", ".toml", ".json"}:
                digest.update(str(path.relative_to(config.PACKAGE_DIR)).encode())
                digest.update(path.read_bytes())
        for dist in ("opencc", "rjieba", "cn2an", "pypinyin", "pandas"):
            digest.update(f"{dist}={_version(dist)}".encode())
        _FINGERPRINT = digest.hexdigest()[:16]
    return _FINGERPRINT


def _version(dist: str) -> str:
    try:
        return importlib_metadata.version(dist)
    except importlib_metadata.PackageNotFoundError:
        return "missing"


def build_info() -> dict:
    """Versions that made the processed data (written to ``build_info.json``)."""
    return {
        "govreports": _version("govreports"),
        "code_fingerprint": code_fingerprint(),
        "opencc": _version("opencc"),
        "rjieba": _version("rjieba"),
        "cn2an": _version("cn2an"),
        "pypinyin": _version("pypinyin"),
        "pandas": _version("pandas"),
        "pyarrow": _version("pyarrow"),
        "python": sys.version.split()[0],
    }


def _cache_path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256[:32]}-{code_fingerprint()}.pkl"


def _parse_path(args: tuple[str, str, str | None]) -> tuple[str, ParsedReport | None, str | None]:
    """Worker: read + parse one file, using the per-report cache. Returns (file, parsed, error)."""
    path, source_file, cache_dir = args
    try:
        doc = read_raw(path)
    except ReportError as err:
        return source_file, None, err.reason
    cache_file = _cache_path(Path(cache_dir), doc.sha256) if cache_dir else None
    if cache_file is not None and cache_file.exists():
        try:
            with open(cache_file, "rb") as fh:
                parsed = pickle.load(fh)
            parsed.source_file = source_file
            return source_file, parsed, None
        except Exception:  # a corrupt cache entry is rebuilt, never trusted
            pass
    try:
        parsed = parse_document(doc, source_file)
    except Exception as err:  # one bad report must not stop the corpus
        return source_file, None, f"parser failed: {type(err).__name__}: {err}"
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as fh:
            pickle.dump(parsed, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache_file)
    return source_file, parsed, None


# --------------------------------------------------------------------------------------------
# corpus
# --------------------------------------------------------------------------------------------
def list_report_files(raw_dir: str | Path) -> list[Path]:
    """Report files under ``raw_dir`` (recursively), sorted; manifests and READMEs are skipped."""
    raw_dir = Path(raw_dir)
    if raw_dir.is_file():
        return [raw_dir]
    files = []
    for path in sorted(raw_dir.rglob("*")):
        if path.name.startswith(".") or path.name.lower().startswith(("readme", "manifest", "sources")):
            continue
        if path.is_file() and path.suffix.lower() in config.REPORT_SUFFIXES:
            files.append(path)
    return files


_NON_ASCII_ID = re.compile(r"[^a-z0-9]+")


def fallback_slug(source_file: str) -> str:
    """An ASCII id stem from a file name, for reports whose place is unknown."""
    from pypinyin import lazy_pinyin

    stem = Path(source_file).stem
    ascii_stem = "".join(lazy_pinyin(stem)).lower()
    ascii_stem = _NON_ASCII_ID.sub("-", ascii_stem).strip("-")[:40] or "report"
    return f"unknown-{ascii_stem}"


def assign_report_ids(parsed: list[ParsedReport]) -> tuple[list[tuple[str, ParsedReport]], list[dict]]:
    """Give each parsed report a stable, unique, ASCII id; drop exact duplicates.

    Returns ``(kept, failures)``: ``kept`` is a list of ``(report_id, parsed)``; duplicates (the same
    bytes, or the same clean text in another encoding) are reported in ``failures`` as warnings.
    Ids are ``<place pinyin>-<year>``; two different reports that would share an id get ``-2``,
    ``-3`` … in file order, with a warning, because a researcher must look at them.
    """
    kept: list[tuple[str, ParsedReport]] = []
    failures: list[dict] = []
    seen_sha: dict[str, str] = {}
    seen_text: dict[str, str] = {}
    used: set[str] = set()
    for item in parsed:
        text_key = hashlib.sha256(item.text.encode("utf-8")).hexdigest()
        first = seen_sha.get(item.sha256) or seen_text.get(text_key)
        if first is not None:
            failures.append(
                {
                    "source_file": item.source_file,
                    "severity": "warning",
                    "reason": f"duplicate of {first} (same {'bytes' if item.sha256 in seen_sha else 'clean text'}); skipped",
                }
            )
            continue
        seen_sha[item.sha256] = item.source_file
        seen_text[text_key] = item.source_file
        base = item.slug or fallback_slug(item.source_file)
        report_id = base
        k = 2
        while report_id in used:
            report_id = f"{base}-{k}"
            k += 1
        if report_id != base:
            failures.append(
                {
                    "source_file": item.source_file,
                    "severity": "warning",
                    "reason": f"another report already has id {base}; this one is {report_id}",
                }
            )
        if item.slug is None:
            failures.append(
                {
                    "source_file": item.source_file,
                    "severity": "warning",
                    "reason": f"place or year not found in the text; id {report_id} made from the file name",
                }
            )
        used.add(report_id)
        kept.append((report_id, item))
    return kept, failures


def _report_row(report_id: str, item: ParsedReport) -> dict:
    row = {key: item.metadata.get(key) for key in REPORT_COLUMNS if key in item.metadata}
    row.update(
        report_id=report_id,
        source_file=item.source_file,
        sha256=item.sha256,
        encoding=item.encoding,
        script_original=item.script_original,
        n_chars_raw=item.n_chars_raw,
        n_chars_clean=len(item.text),
        unresolved_chars=item.unresolved_chars,
    )
    return row


def assemble_tables(kept: list[tuple[str, ParsedReport]], failures: list[dict]) -> dict[str, pd.DataFrame]:
    """Concatenate per-report rows into corpus tables, each with ``report_id`` first."""
    from .outcomes import targets_vs_outcomes

    reports = pd.DataFrame([_report_row(rid, item) for rid, item in kept], columns=REPORT_COLUMNS)
    reports = reports.astype(REPORT_DTYPES)
    tables: dict[str, pd.DataFrame] = {"reports": reports}
    for name in PER_REPORT_TABLES:
        parts = []
        for rid, item in kept:
            frame = item.frames.get(name)
            if frame is None or len(frame) == 0:
                continue
            parts.append(frame.assign(report_id=rid))
        template = next((item.frames[name] for _, item in kept if name in item.frames), pd.DataFrame())
        columns = ["report_id"] + [c for c in template.columns if c != "report_id"]
        table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
        tables[name] = table[columns]
    tables["texts"] = pd.DataFrame(
        {"report_id": [rid for rid, _ in kept], "text": [item.text for _, item in kept]}
    )
    tables["targets_vs_outcomes"] = targets_vs_outcomes(reports, tables["indicators"])
    tables["failures"] = pd.DataFrame(failures, columns=FAILURE_COLUMNS)
    return tables


def parse_files(
    files: Iterable[Path],
    root: Path | None = None,
    cache_dir: Path | None = None,
    processes: int = 1,
    progress: bool = True,
) -> tuple[list[ParsedReport], list[dict]]:
    """Parse many files (optionally in several processes). Returns ``(parsed, failures)``."""
    from tqdm.auto import tqdm

    files = list(files)
    jobs = []
    for path in files:
        try:
            source = str(path.relative_to(root)) if root else str(path)
        except ValueError:
            source = str(path)
        jobs.append((str(path), source, str(cache_dir) if cache_dir else None))
    results = []
    bar = dict(total=len(jobs), desc="parse", unit="report", disable=not progress or None)
    if processes > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(max_workers=processes) as pool:
            for result in tqdm(pool.map(_parse_path, jobs, chunksize=8), **bar):
                results.append(result)
    else:
        for job in tqdm(jobs, **bar):
            results.append(_parse_path(job))
    parsed, failures = [], []
    for source, item, error in results:
        if item is None:
            failures.append({"source_file": source, "severity": "error", "reason": error})
            warnings.warn(f"{source}: {error}; skipped", ReportWarning, stacklevel=2)
        else:
            parsed.append(item)
            for note in item.notes:
                failures.append({"source_file": source, "severity": "note", "reason": note})
    return parsed, failures


def input_signature(files: list[Path]) -> list[list]:
    out = []
    for path in files:
        st = path.stat()
        out.append([str(path), st.st_size, st.st_mtime_ns])
    return out


def build_tables(
    raw_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    processes: int = 1,
    progress: bool = True,
    use_cache: bool = True,
    formats: tuple[str, ...] = ("parquet", "csv"),
) -> dict[str, pd.DataFrame]:
    """Parse every report under ``raw_dir`` and (if ``out_dir``) write the tables.

    When ``out_dir`` already holds tables built by the same code from the same files (same paths,
    sizes and modification times), they are read back instead of rebuilt.

    Returns
    -------
    dict of DataFrame
        Keyed by :data:`TABLE_NAMES`.
    """
    raw_dir = Path(raw_dir or config.RAW_DIR)
    if not raw_dir.exists():
        raise FileNotFoundError(f"{raw_dir}: no such folder of reports")
    files = list_report_files(raw_dir)
    out = Path(out_dir) if out_dir else None
    signature = input_signature(files)
    if out is not None and use_cache and tables_are_current(out, signature):
        return read_tables(out)
    cache_dir = (out / "cache") if (out is not None and use_cache) else None
    root = raw_dir if raw_dir.is_dir() else raw_dir.parent
    parsed, failures = parse_files(files, root=root, cache_dir=cache_dir, processes=processes, progress=progress)
    kept, id_failures = assign_report_ids(parsed)
    for failure in id_failures:
        warnings.warn(f"{failure['source_file']}: {failure['reason']}", ReportWarning, stacklevel=2)
    tables = assemble_tables(kept, failures + id_failures)
    if out is not None:
        write_tables(tables, out, formats=formats)
        info = build_info() | {"raw_dir": str(raw_dir), "inputs": signature, "n_reports": len(kept)}
        (out / "build_info.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    return tables


def write_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path, formats=("parquet", "csv")) -> None:
    """Write each table as ``<name>.parquet`` and ``<name>.csv`` (UTF-8 with BOM so Excel reads it)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        if "parquet" in formats:
            table.to_parquet(out_dir / f"{name}.parquet", index=False)
        if "csv" in formats and name not in PARQUET_ONLY:
            table.to_csv(out_dir / f"{name}.csv", index=False, encoding="utf-8-sig")


def read_tables(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read the tables a previous build wrote."""
    out_dir = Path(out_dir)
    return {name: pd.read_parquet(out_dir / f"{name}.parquet") for name in TABLE_NAMES}


def tables_are_current(out_dir: str | Path, signature: list[list] | None = None, raw_dir=None) -> bool:
    """True when ``out_dir`` holds tables built by this code from exactly these input files.

    ``signature`` is ``[path, size, mtime_ns]`` per file (:func:`input_signature`); pass ``raw_dir``
    instead to compute it.
    """
    out_dir = Path(out_dir)
    info_file = out_dir / "build_info.json"
    if not info_file.exists():
        return False
    try:
        info = json.loads(info_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if signature is None:
        signature = input_signature(list_report_files(raw_dir or config.RAW_DIR))
    if info.get("code_fingerprint") != code_fingerprint() or info.get("inputs") != signature:
        return False
    return all((out_dir / f"{name}.parquet").exists() for name in TABLE_NAMES)
