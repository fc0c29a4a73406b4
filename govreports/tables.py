"""Stage 6 — tables: run every stage on every report and write the corpus tables.

``parse_document`` runs clean → structure → extract → measure on one decoded file and returns that
report's rows of every table (no ``report_id`` yet); ``parse_documents`` does the same for several,
one stage at a time over all of them. ``build_tables`` does it for a folder: it reads and parses the
files (in one process or a pool of processes), assigns stable ASCII report ids in file
order, drops duplicates with a warning, adds the corpus-level table ``targets_vs_outcomes`` and writes
everything to ``out_dir`` as parquet and CSV.

Rules
-----
Streaming, so memory does not grow with the corpus
    A county-level corpus is ~30,000 reports (over a gigabyte of text and tens of millions of
    sentences). ``build_tables`` never holds all of it: reports are parsed a few at a time (a bounded
    window of tasks in flight), their rows are gathered in batches of :data:`BATCH_REPORTS` reports
    and each batch is appended to one parquet file per table (``pyarrow.parquet.ParquetWriter``, one
    row group per batch) and to the CSV. Every batch is cast to the schema of the first one, so
    dtypes are stable across the file (a column a stage returns with another type in some report is
    written as missing there, with an ``error`` row in ``failures`` naming table, column and reports). Only the small ``reports`` and ``failures`` tables and the
    duplicate/id bookkeeping (a few hashes per report) stay in memory. Tables are written under a
    temporary name and moved into place at the end, and ``build_info.json`` is written last, so an
    interrupted build never looks current.
Work split between processes
    Worker processes read a chunk of reports, parse it stage by stage (each stage over the whole
    chunk, so its lexicons stay in the CPU caches), convert it to Arrow (one conversion per
    table per chunk, not per report) and send one Arrow stream per table; the main process only
    assigns ids and writes, so it does no pandas work per report. Files are parsed in the order of
    :func:`list_report_files` whatever the number of processes, so ids and row order do not depend
    on it.
Report cache
    Researchers rerun one city's notebook many times; re-parsing the corpus each time would be
    wasteful. Parsed reports are cached under ``cache/`` keyed by the file's SHA-256 and a
    fingerprint of the package code, its lexicons and the versions of the libraries that change
    results (OpenCC, the segmenter …), so adding one report re-parses one report, and changing a
    lexicon re-parses everything (as it must). The cache holds one file per parsed chunk (up to 32
    reports), not one per report: the chunk's tables concatenated once per table, in the format
    that carries a chunk between processes (a worker caches what it sends back), with the reports'
    SHA-256s in a small header. With one file per report, caching cost about 1 ms/report
    (serializing ~11 Arrow tables 0.43 ms, writing a ~200 KB file 0.4–0.7 ms); a chunk file costs
    about half of that: ~0.15 ms/report to serialize its tables together (nothing in a worker
    process, which serializes them to send them anyway) and ~0.3 ms of system time to write its
    ~180 KB per report, which is most of what remains. A build first reads the headers, then each
    chunk file once for all its reports. Chunk files of other code versions, and those none of
    whose reports are in the build, are deleted after it (an edited report's old chunk stays while
    another of its reports is used). When nothing changed at all (same file paths, sizes and
    modification times, same code), the written tables are reused without reading a single report.
Bad input
    Every problem is a row of ``failures`` (``source_file``, ``severity``, ``reason``) and the build
    goes on. ``error`` rows are files that were skipped: unreadable, empty, binary, PDF or HTML pages
    saved as ``.txt``, undecodable, larger than :data:`MAX_REPORT_BYTES`, nothing left after
    cleaning, or a parser exception. ``warning`` rows are reports that were kept but need a look: a
    text that does not look like a government work report (none of its usual phrases), a text that
    stops in the middle of a sentence (a truncated copy), duplicates (the same bytes, or the same
    clean text in another encoding; the later file is skipped) and id clashes. ``note`` rows are the
    cleaner's remarks. Raw files are only ever opened for reading.
"""
from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import re
import sys
import time
import warnings
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import metadata as importlib_metadata
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .frames import column_arrays, plain_columns
from .read import RawDocument, ReportError, ReportWarning, read_raw

#: Tables written by ``build_tables``, in the order they are documented in the README.
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

#: The largest file read as one report. A government work report is 20–200 KB of text; a file of
#: tens of megabytes is several reports joined, a data dump or not a report at all, and parsing it
#: as one report would only produce one meaningless row (and hold hundreds of MB in memory).
MAX_REPORT_BYTES = 10 * 1024 * 1024

#: zstd: files about a third smaller than snappy (pandas' default) for the same writing time.
PARQUET_COMPRESSION = "zstd"

#: Reports gathered before a batch of rows is written (bounds memory; one parquet row group each).
BATCH_REPORTS = 200

#: The stages timed by :func:`parse_document` (seconds accumulate in :data:`STAGE_SECONDS`).
STAGES = ("read", "clean", "structure", "extract", "measure", "pack", "write")

#: Seconds spent per stage in this process (and its workers) since it started: wall-clock time and
#: CPU time (the benchmark reads them; CPU time still means something on a busy machine).
STAGE_SECONDS: Counter = Counter()
STAGE_CPU_SECONDS: Counter = Counter()

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
    """Everything one report contributes to the corpus tables (before ids are assigned).

    ``notes`` are the cleaner's remarks (severity ``note``); ``warnings`` are this module's checks
    of the whole report (severity ``warning``: not a report, truncated).
    """

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
    warnings: list[str] = field(default_factory=list)


# Phrases every government work report uses (its title, the salutation, the review of the year's
# work, the congress it is delivered to). A text with none of them is not a work report — a news
# article, a novel, another kind of document saved in the folder by mistake.
_REPORT_MARKERS = ("政府工作报告", "各位代表", "工作回顾", "人民代表大会", "政府工作", "工作报告", "人大")
# A complete report ends its last paragraph with a sentence (。！？ …, possibly inside closing quotes
# or brackets) or with a short line without punctuation (a date, a signature, 名词解释 items). A file
# cut in the middle (an interrupted download, a half-copied page) usually stops inside a paragraph of
# prose: a last line with commas but no sentence end.
_SENTENCE_END = re.compile(r"[。！？!?…；;.）)」』”’】\]》]$")
_PROSE = re.compile(r"[，,、；：]")
_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?(?:html|head|body|div|p|span|table|tr|td|script|style|meta|a|br|li|ul)\b[^>]{0,500}>", re.IGNORECASE)


def looks_like_html(raw: str) -> bool:
    """True for an HTML page saved as text: it starts like one, or tags make up much of it.

    Why: the cleaner repairs the noise of *text* copied from web pages; markup (scripts, styles,
    attributes) is not text and would end up in the sentences and the term counts.
    """
    head = raw[:4096]
    if _HTML_START.match(head):
        return True
    sample = raw[:200_000]
    tags = _HTML_TAG.findall(sample)
    return len(tags) >= 20 and sum(map(len, tags)) > 0.1 * len(sample)


def report_checks(text: str) -> list[str]:
    """Warnings about a clean text as a whole: not a work report, or cut short.

    Returns
    -------
    list of str
        Human-readable reasons (empty when the text looks like a complete work report).
    """
    problems = []
    if not any(marker in text for marker in _REPORT_MARKERS):
        problems.append(
            "does not look like a government work report (none of 政府工作报告 / 各位代表 / 工作回顾 / "
            "人民代表大会 found); check that the file is a report"
        )
    last_line = text.rstrip().rsplit("\n", 1)[-1].strip()
    if last_line and not _SENTENCE_END.search(last_line) and len(last_line) >= 15 and _PROSE.search(last_line):
        problems.append(f"text ends in the middle of a sentence (…{last_line[-20:]}); the file may be truncated")
    return problems


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _timed(stage: str, start: tuple[float, float]) -> tuple[float, float]:
    """Add the time since ``start`` (a :func:`_clock` reading) to ``stage``; return a new reading."""
    now = _clock()
    STAGE_SECONDS[stage] += now[0] - start[0]
    STAGE_CPU_SECONDS[stage] += now[1] - start[1]
    return now


def parse_document(doc: RawDocument, source_file: str | None = None) -> ParsedReport:
    """Run clean → structure → extract → measure on one decoded report.

    Parameters
    ----------
    doc : RawDocument
        From :func:`govreports.read.read_raw`.
    source_file : str, optional
        The path recorded in the tables (relative to the corpus folder); defaults to ``doc.path``.

    Returns
    -------
    ParsedReport
        The report's metadata, clean text and its rows of every per-report table. The seconds spent
        in each stage are added to :data:`STAGE_SECONDS`. A stage's exception is raised.
    """
    (parsed,) = parse_documents([doc], [source_file], errors="raise")
    return parsed


def parse_documents(
    docs: Sequence[RawDocument], source_files: Sequence[str | None] | None = None, errors: str = "raise"
) -> list[ParsedReport | Exception]:
    """:func:`parse_document` for several reports, one stage at a time over all of them.

    Why stage by stage: a stage's lexicons, compiled patterns and code stay in the CPU caches while
    it runs over a chunk of reports. Run report by report, every stage found them evicted by the
    previous report's other stages (the segmenter's dictionary above all) and ran 1.2–1.6 times
    slower than alone; a chunk of 32 reports parsed stage by stage costs about a sixth less CPU
    time. The results are the same.

    Parameters
    ----------
    docs : sequence of RawDocument
    source_files : sequence of str or None, optional
        The path recorded for each report (default: each ``doc.path``).
    errors : {"raise", "return"}
        A stage's exception for one report is raised (``"raise"``), or put in that report's place
        in the returned list while the other reports go on (``"return"``, what a corpus build uses).

    Returns
    -------
    list
        One :class:`ParsedReport` (or, with ``errors="return"``, the exception) per document, in order.
    """
    if errors not in ("raise", "return"):
        raise ValueError(f"errors must be 'raise' or 'return', not {errors!r}")
    from . import attention, clean, glossary, indicators, metadata, segment, slogans, structure

    works = [_Work(doc, source) for doc, source in zip(docs, source_files or [None] * len(docs))]

    def run(stage: str, step) -> None:
        start = _clock()
        for work in works:
            if work.error is None:
                try:
                    step(work)
                except Exception as err:
                    if errors == "raise":
                        raise
                    work.error = err
        _timed(stage, start)

    def clean_step(w: _Work) -> None:
        w.cleaned = clean.clean_text(w.doc.raw)
        w.text = w.cleaned.text

    def structure_step(w: _Work) -> None:
        w.frames["sections"] = structure.parse_sections(w.text)
        w.frames["sentences"] = structure.split_sentences(w.text, w.frames["sections"])

    def extract_step(w: _Work) -> None:
        text, sections, sentences = w.text, w.frames["sections"], w.frames["sentences"]
        w.metadata = metadata.extract_metadata(text, sections)
        w.frames["glossary"] = glossary.extract_glossary(text, sections, w.cleaned.footnotes)
        w.frames["indicators"] = indicators.extract_indicators(text, sections, sentences, w.metadata)
        w.slug = metadata.report_slug(w.metadata)

    # The measure stage in four passes: the segmenter (its dictionary is the largest of all the
    # data) cuts every report's joined sentence text in a row, then attention, slogans and term
    # counts each run over the chunk, each handed the report's cut.
    def cut_step(w: _Work) -> None:
        w.joined = segment.sentences_text(w.frames["sentences"])
        w.cut = segment._analyse_cut(w.joined)

    def attention_step(w: _Work) -> None:
        w.frames["attention"], w.frames["attention_terms"] = attention.measure_attention(
            w.text, w.frames["sections"], w.frames["sentences"], cut=w.cut
        )

    def slogans_step(w: _Work) -> None:
        w.frames["slogans"] = slogans.extract_slogans(w.text, w.frames["sentences"], w.frames["glossary"])

    def term_counts_step(w: _Work) -> None:
        # the report's own words (its glossary terms and slogans) stay whole in its term counts
        own_words = [
            word
            for column in (plain_columns(w.frames["glossary"], ["term"])[0], plain_columns(w.frames["slogans"], ["slogan"])[0])
            for word in column
            if word is not None
        ]
        w.frames["term_counts"] = segment.term_counts(w.joined, keep_whole=own_words, cut=w.cut)

    run("clean", clean_step)
    run("structure", structure_step)
    run("extract", extract_step)
    for step in (cut_step, attention_step, slogans_step, term_counts_step):
        run("measure", step)
    return [work.error if work.error is not None else work.report() for work in works]


class _Work:
    """One report on its way through :func:`parse_documents`: what the stages so far have made."""

    __slots__ = ("doc", "source_file", "error", "cleaned", "text", "frames", "metadata", "slug", "joined", "cut")

    def __init__(self, doc: RawDocument, source_file: str | None):
        self.doc, self.source_file, self.error = doc, source_file, None
        self.frames: dict[str, pd.DataFrame] = {}
        self.joined: str | None = None  # the joined sentence text both measures segment …
        self.cut = None  # … and its cut (segment._analyse_cut): a chunk's cuts, ≤ 32 × ≈150 KB

    def report(self) -> ParsedReport:
        frames = self.frames
        return ParsedReport(
            source_file=self.source_file or str(self.doc.path),
            sha256=self.doc.sha256,
            encoding=self.doc.encoding,
            metadata=self.metadata,
            text=self.text,
            n_chars_raw=len(self.doc.raw),
            script_original=self.cleaned.script_original,
            unresolved_chars=int(self.cleaned.unresolved_chars),
            frames={
                "repairs": self.cleaned.repairs,
                "footnotes": self.cleaned.footnotes,
                **{name: frames[name] for name in _FRAME_ORDER},
            },
            notes=list(self.cleaned.notes),
            slug=self.slug,
            warnings=report_checks(self.text),
        )


#: The order of a parsed report's frames after the cleaner's two (as the stages make them).
_FRAME_ORDER = ("sections", "sentences", "glossary", "indicators", "attention", "attention_terms", "slogans", "term_counts")


# --------------------------------------------------------------------------------------------
# cache
# --------------------------------------------------------------------------------------------
_FINGERPRINT: str | None = None


#: Modules that read the tables but never make them: editing them must not re-parse the corpus.
CONSUMER_MODULES = frozenset(
    {"plots.py", "figures.py", "runner.py", "explore.py", "corpus.py", "cli.py", "__main__.py", "qualifier_display.csv", "wording_strength.csv"}
)


def code_fingerprint() -> str:
    """Hash of the package's code, lexicons and the versions of libraries that change results."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        digest = hashlib.sha256()
        for path in sorted(config.PACKAGE_DIR.rglob("*")):
            if "__pycache__" in path.parts:
                continue
            if path.name in CONSUMER_MODULES or "styles" in path.parts:
                continue  # plotting, exploring and running notebooks do not change the tables
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


#: A chunk file: these bytes, the length of the header (8 bytes, little-endian), the header (the
#: reports' SHA-256s and the sizes of what follows), the chunk as :func:`_chunk_for_transfer` makes
#: it, pickled, and the Arrow streams of its tables, pickled out of band (see :func:`_write_chunk_cache`).
_CHUNK_MAGIC = b"govreports report chunk\n"
_CHUNK_SUFFIX = ".chunk"

#: Where each cached report is, per cache folder: SHA-256 → (chunk file, position in it). Made from
#: the chunk files' headers when parsing starts (before worker processes fork, so they inherit it):
#: about 3 ms for 10,000 reports. An index file kept beside them would save that but would have to
#: be updated by several worker processes at once, and could disagree with the files after a crash.
_CACHE_INDEX: dict[str, dict[str, tuple[Path, int]]] = {}

#: The chunk file this process read last and its reports (``None`` when it could not be used). The
#: reports of a chunk are parsed one after another, so a file is read and unpacked once, not once
#: per report.
_LAST_CHUNK_READ: tuple[Path | None, list | None] = (None, None)


def _chunk_path(cache_dir: Path, shas: list[str | None]) -> Path:
    """A chunk file's name: its reports (in order) and the code, so two processes writing the same
    name write the same contents, and a file always has the header its name was made from."""
    digest = hashlib.sha256("\n".join(sha or "" for sha in shas).encode()).hexdigest()[:32]
    return cache_dir / f"{digest}-{code_fingerprint()}{_CHUNK_SUFFIX}"


def _read_chunk_header(file) -> tuple[list[str | None], int, list[int]]:
    """The header of an open chunk file, and the file left at the chunk.

    Returns ``(shas, chunk_size, buffer_sizes)``: the SHA-256 of each report (``None`` for a file
    that was skipped) and the sizes of the pickled chunk and of each of its out-of-band buffers.
    Raises ``ValueError`` (or what unpickling raises) when the file is not a whole chunk file, for
    example one cut short by a full disk.
    """
    start = file.read(len(_CHUNK_MAGIC) + 8)
    if not start.startswith(_CHUNK_MAGIC):
        raise ValueError("not a chunk file")
    header_size = int.from_bytes(start[len(_CHUNK_MAGIC) :], "little")
    shas, chunk_size, buffer_sizes = pickle.loads(file.read(header_size))
    if os.fstat(file.fileno()).st_size != len(start) + header_size + chunk_size + sum(buffer_sizes):
        raise ValueError("chunk file cut short")
    return shas, chunk_size, buffer_sizes


def _chunk_headers(cache_dir: Path) -> dict[Path, list[str | None] | None]:
    """The reports of each chunk file made by this code (``None`` for a damaged file)."""
    headers: dict[Path, list[str | None] | None] = {}
    for path in cache_dir.glob(f"*-{code_fingerprint()}{_CHUNK_SUFFIX}"):
        try:
            with open(path, "rb") as file:
                headers[path] = _read_chunk_header(file)[0]
        except Exception:
            headers[path] = None
    return headers


def _cache_index(cache_dir: str) -> dict[str, tuple[Path, int]]:
    """SHA-256 → (chunk file, position) for ``cache_dir`` (see :data:`_CACHE_INDEX`)."""
    index = _CACHE_INDEX.get(cache_dir)
    if index is None:
        index = _CACHE_INDEX[cache_dir] = {}
        for path, shas in _chunk_headers(Path(cache_dir)).items():
            for position, sha in enumerate(shas or ()):
                if sha:
                    index[sha] = (path, position)
    return index


def _start_cache_reads(cache_dirs: Iterable[str]) -> None:
    """Forget what an earlier build knew of the cache and index ``cache_dirs`` anew (or just forget)."""
    global _LAST_CHUNK_READ
    _CACHE_INDEX.clear()
    _LAST_CHUNK_READ = (None, None)
    for cache_dir in cache_dirs:
        _cache_index(cache_dir)


def _read_chunk_file(path: Path) -> list | None:
    """The reports of a chunk file (``None`` for a skipped file), or ``None`` when it cannot be used.

    A damaged file (cut short, not a chunk file, a header that does not match its reports) is never
    trusted: it is deleted and its reports are parsed again.
    """
    try:
        with open(path, "rb", buffering=0) as file:  # (unbuffered: the rest is read in one piece, not copied)
            shas, chunk_size, buffer_sizes = _read_chunk_header(file)
            rest = memoryview(file.read(chunk_size + sum(buffer_sizes)))
        buffers, offset = [], chunk_size
        for size in buffer_sizes:
            buffers.append(rest[offset : offset + size])
            offset += size
        payload = pickle.loads(rest[:chunk_size], buffers=buffers)
        items = [item for _, item, _ in _unpack_chunk(payload)]
        if [item.sha256 if item is not None else None for item in items] == shas:
            return items
    except Exception:
        pass
    try:
        path.unlink()
    except OSError:
        pass
    return None


def _cached_report(cache_dir: str, sha256: str) -> PackedReport | None:
    """The report with this content from the cache, or ``None`` (see :func:`_read_chunk_file`)."""
    global _LAST_CHUNK_READ
    where = _cache_index(cache_dir).get(sha256)
    if where is None:
        return None
    path, position = where
    if _LAST_CHUNK_READ[0] != path:
        _LAST_CHUNK_READ = (path, _read_chunk_file(path))
    items = _LAST_CHUNK_READ[1]
    # a copy: the same bytes may come twice in a build, under two file names
    return replace(items[position]) if items is not None else None


def _write_chunk_cache(cache_dir: str, payload) -> None:
    """Store the new reports of a chunk as one file, ``payload`` being :func:`_chunk_for_transfer`'s.

    Written under a temporary name and moved into place, so a reader finds a whole file or none; a
    full or read-only disk costs the cache, not the build. The file's reports are added to this
    process' index (a later copy of the same bytes in this build is read back, not parsed).
    """
    items, streams = payload
    shas = [item.sha256 if item is not None else None for _, item, _ in items]
    path = _chunk_path(Path(cache_dir), shas)
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    try:
        # The Arrow streams (most of the bytes) go out of band: written as they are and read back
        # as views of the file's bytes, where pickling them in band copied them once more on
        # writing and on reading (≈0.15 ms/report).
        buffers: list[pickle.PickleBuffer] = []
        out_of_band = {name: (pickle.PickleBuffer(stream), placeholder) for name, (stream, placeholder) in streams.items()}
        chunk = pickle.dumps((items, out_of_band), protocol=5, buffer_callback=buffers.append)
        header = pickle.dumps((shas, len(chunk), [buffer.raw().nbytes for buffer in buffers]), protocol=5)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as file:
            file.write(_CHUNK_MAGIC + len(header).to_bytes(8, "little") + header)
            file.write(chunk)
            for buffer in buffers:
                file.write(buffer)
        os.replace(tmp, path)
    except OSError:  # (a temporary file left behind is deleted after the build: _prune_cache)
        return
    index = _cache_index(cache_dir)
    for position, sha in enumerate(shas):
        if sha:
            index[sha] = (path, position)


def _prune_cache(cache_dir: Path, in_use: set[str]) -> None:
    """Delete what no later build would use.

    That is: files of another version of the code (or of the older one-file-per-report layout),
    chunk files none of whose reports are in this build (``in_use``: their SHA-256s), so editing
    reports does not grow the cache without bound (a chunk file partly used stays), damaged chunk
    files, and temporary files of an interrupted write.
    """
    if not cache_dir.is_dir():
        return
    headers = _chunk_headers(cache_dir)
    for entry in cache_dir.iterdir():
        if entry in headers:
            shas = headers[entry]
            stale = shas is None or in_use.isdisjoint(shas)
        else:
            stale = entry.suffix in {".pkl", _CHUNK_SUFFIX} or ".tmp" in entry.name
        if stale:
            try:
                entry.unlink()
            except OSError:
                pass


def _read_job(args: tuple[str, str, str | None]) -> tuple[str, "RawDocument | PackedReport | None", str | None]:
    """Read one file, or take its report from the cache (:func:`_cached_report`).

    Returns ``(source_file, item, error)``: the :class:`RawDocument` to parse, a
    :class:`PackedReport` when it came from the cache, or ``None`` and the reason the file is skipped.
    """
    path, source_file, cache_dir = args
    start = _clock()
    try:
        size = os.stat(path).st_size
    except OSError as err:
        return source_file, None, f"cannot be read ({err.strerror or err})"
    if size > MAX_REPORT_BYTES:
        return source_file, None, (
            f"file is {size / 2**20:.1f} MB, over the {MAX_REPORT_BYTES / 2**20:.0f} MB limit for one report "
            "(a report is 20–200 KB: is it several reports joined, or not a report?)"
        )
    try:
        doc = read_raw(path)
    except ReportError as err:
        return source_file, None, err.reason
    if looks_like_html(doc.raw):
        return source_file, None, "is an HTML page, not plain text (save the page's text, or extract it first)"
    start = _timed("read", start)
    packed = _cached_report(cache_dir, doc.sha256) if cache_dir else None
    if packed is not None:
        packed.source_file = source_file
        _timed("pack", start)
        return source_file, packed, None
    return source_file, doc, None


def _parse_jobs(jobs: list[tuple[str, str, str | None]]) -> list[tuple[str, "ParsedReport | PackedReport | None", str | None]]:
    """Read a few files and parse the ones not cached, stage by stage (:func:`parse_documents`).

    Returns ``(source_file, report, error)`` per file: a :class:`ParsedReport` when parsed now, a
    :class:`PackedReport` when it came from the cache, ``None`` and the reason when skipped.
    """
    results = [_read_job(job) for job in jobs]
    to_parse = [i for i, (_, item, _) in enumerate(results) if isinstance(item, RawDocument)]
    parsed = parse_documents([results[i][1] for i in to_parse], [results[i][0] for i in to_parse], errors="return")
    for i, outcome in zip(to_parse, parsed):
        source_file = results[i][0]
        if isinstance(outcome, Exception):  # one bad report must not stop the corpus
            results[i] = (source_file, None, f"parser failed: {type(outcome).__name__}: {outcome}")
        elif not outcome.text.strip():
            results[i] = (source_file, None, "no report text left after cleaning (only page chrome or noise)")
        else:
            results[i] = (source_file, outcome, None)
    return results


def _parse_chunk(jobs: list[tuple[str, str, str | None]], transfer: bool = False):
    """Parse a few files, pack them as Arrow and cache the new ones (one chunk file).

    Returns ``(results, spent)``: ``results`` is ``(source_file, PackedReport | None, error)`` per
    file, ``spent`` the seconds per stage. With ``transfer`` (a worker process sending its results
    back), the Arrow tables of the chunk are concatenated and serialized once per table, and
    ``results`` is ``(items, tables)`` for :func:`_unpack_chunk`. A chunk file holds the same
    (:func:`_write_chunk_cache`): when every report of the chunk is new, what is sent back is what is
    cached, serialized once.
    """
    before = dict(STAGE_SECONDS), dict(STAGE_CPU_SECONDS)
    results = _parse_jobs(jobs)
    start = _clock()
    any_cached = any(isinstance(item, PackedReport) for _, item, _ in results)
    fresh = [i for i, (_, item, _) in enumerate(results) if isinstance(item, ParsedReport)]
    together: dict = {}  # the tables of the fresh reports, each in one piece (see _pack_together)
    if fresh:
        try:
            packed, together = _pack_together([results[i][1] for i in fresh])
        except Exception as err:  # pragma: no cover - a stage returned something Arrow cannot hold
            packed = [None] * len(fresh)
            for i in fresh:
                results[i] = (results[i][0], None, f"parser output cannot be stored: {type(err).__name__}: {err}")
        for i, item in zip(fresh, packed):
            if item is not None:
                results[i] = (results[i][0], item, None)
    new = [results[i] for i in fresh if results[i][1] is not None]
    payload = _chunk_for_transfer(results, {} if any_cached else together) if transfer else None
    cache_dir = jobs[0][2] if new else None
    if cache_dir:
        _write_chunk_cache(cache_dir, payload if payload is not None and not any_cached else _chunk_for_transfer(new, together))
    if transfer:
        results = payload
    _timed("pack", start)
    spent = (
        {stage: STAGE_SECONDS[stage] - before[0].get(stage, 0.0) for stage in STAGE_SECONDS},
        {stage: STAGE_CPU_SECONDS[stage] - before[1].get(stage, 0.0) for stage in STAGE_CPU_SECONDS},
    )
    return results, spent


def _chunk_for_transfer(results, together: Mapping | None = None):
    """One Arrow IPC stream per table for the whole chunk; each report keeps its row counts.

    The reports in ``results`` are left as they are (copies carry the counts). The ``report_id``
    placeholder (all missing, yet 8 bytes of offsets per row: a tenth of the bytes) is left out and
    put back by :func:`_unpack_chunk`. ``together`` holds tables already equal to the reports'
    tables concatenated (:func:`_pack_together`'s, when ``results`` are the reports it packed).
    """
    import pyarrow as pa

    id_field = pa.field("report_id", pa.large_string())
    items, tables = [], {}
    for name in PER_REPORT_TABLES:
        table = together.get(name) if together else None
        if table is None:
            table = _concat_tables([item.tables[name] for _, item, _ in results if item is not None and name in item.tables])
        if table is not None:
            placeholder = (
                table.num_columns > 0
                and table.schema.field(0).equals(id_field, check_metadata=True)
                and table.column(0).null_count == table.num_rows
            )
            if placeholder:
                table = table.remove_column(0)
            # one record batch rather than one per report: cheaper to write, ten times cheaper to read
            tables[name] = (_ipc_buffer(table.combine_chunks()), placeholder)
    for source, item, error in results:
        if item is not None:
            item = replace(item, tables={name: table.num_rows for name, table in item.tables.items()})
        items.append((source, item, error))
    return items, tables


def _unpack_chunk(payload) -> list:
    """The inverse of :func:`_chunk_for_transfer`: each report gets its slices of the chunk tables."""
    import pyarrow as pa

    items, streams = payload
    tables = {}
    for name, (stream, placeholder) in streams.items():
        table = _from_ipc(stream)
        if placeholder:
            table = table.add_column(0, pa.field("report_id", pa.large_string()), pa.nulls(table.num_rows, pa.large_string()))
        tables[name] = table
    offsets = dict.fromkeys(tables, 0)
    for _, item, _ in items:
        if item is None:
            continue
        counts, item.tables = item.tables, {}
        for name, n in counts.items():
            item.tables[name] = tables[name].slice(offsets[name], n)
            offsets[name] += n
    return items


# A miniature report that makes every stage load its lexicons and models (they load lazily).
_WARM_UP_TEXT = (
    "景德镇市政府工作报告\n——2022年1月23日在市十六届人大二次会议上\n市长 胡雪梅\n各位代表：\n"
    "现在，我代表市人民政府，向大会报告工作，请予审议。\n一、2021年工作回顾\n"
    "全市地区生产总值增长8.5%，规模以上工业增加值增长9%。推进“三个千亿”产业，实施乡村振兴战略。\n"
    "二、2022年工作安排\n主要预期目标是：地区生产总值增长8%左右，城镇调查失业率控制在5.5%以内。\n"
    "名词解释\n1.三个千亿：陶瓷、航空、精细化工三个千亿产业。\n"
)


_WARMED_UP = False


def _warm_up() -> None:
    """Import every stage, build the segmenter and load every lexicon, once per process.

    Called before parsing (and before forking worker processes, so that they inherit all of it
    instead of each loading it again). A second build in the same process skips it.
    """
    global _WARMED_UP
    if _WARMED_UP:
        return
    _WARMED_UP = True
    from . import attention, clean, glossary, indicators, metadata, segment, slogans, structure  # noqa: F401

    segment.segmenter()
    clean._warm_up()  # the mojibake model: loaded once here, not by every worker on its first damaged page
    saved = STAGE_SECONDS.copy(), STAGE_CPU_SECONDS.copy()
    try:
        doc = RawDocument(path=Path("warm-up.txt"), raw=_WARM_UP_TEXT, encoding="utf-8", sha256="0" * 64, n_bytes=0)
        pack_report(parse_document(doc, "warm-up.txt"))
    except Exception:  # a stage that fails here fails (and is reported) on real files too
        pass
    finally:
        STAGE_SECONDS.clear()
        STAGE_SECONDS.update(saved[0])
        STAGE_CPU_SECONDS.clear()
        STAGE_CPU_SECONDS.update(saved[1])


# --------------------------------------------------------------------------------------------
# corpus: files, ids, duplicates
# --------------------------------------------------------------------------------------------
def _file_order(path: Path) -> tuple:
    # Folder by folder, then by name without the suffix: a copy saved as "X-gbk.txt" or "X (2).txt"
    # comes after "X.txt", so the original is the one kept when they turn out to be duplicates.
    return (path.parent.parts, path.stem, path.suffix)


def list_report_files(raw_dir: str | Path) -> list[Path]:
    """Report files under ``raw_dir`` (recursively); manifests and READMEs are skipped.

    Files are sorted folder by folder and then by name without the suffix, so that a copy
    (``X-gbk.txt``, ``X (2).txt``) comes after its original (``X.txt``): this order decides which of
    two duplicates is kept and which report gets the ``-2`` id suffix. Broken links with a report
    suffix are listed too, so that the build reports them instead of silently leaving a report out.
    """
    raw_dir = Path(raw_dir)
    if raw_dir.is_file():
        return [raw_dir]
    files = []
    for path in raw_dir.rglob("*"):
        if path.name.startswith(".") or path.name.lower().startswith(("readme", "manifest", "sources")):
            continue
        if path.suffix.lower() not in config.REPORT_SUFFIXES:
            continue
        if path.is_file() or (path.is_symlink() and not path.exists()):
            files.append(path)
    return sorted(files, key=_file_order)


_NON_ASCII_ID = re.compile(r"[^a-z0-9]+")


def fallback_slug(source_file: str) -> str:
    """An ASCII id stem from a file name, for reports whose place is unknown.

    The file name is read in pinyin with the readings place names take (漯河 ``luohe``, not
    ``tahe``: :func:`metadata.place_pinyin`), as the ids of reports whose place is known.
    """
    from .metadata import place_pinyin

    ascii_stem = _NON_ASCII_ID.sub("-", place_pinyin(Path(source_file).stem)).strip("-")[:40] or "report"
    return f"unknown-{ascii_stem}"


class _IdAssigner:
    """Report ids and duplicates, one report at a time in file order (see :func:`assign_report_ids`).

    Holds two hashes and an id per report, so it streams over any corpus size.
    """

    def __init__(self) -> None:
        self.seen_sha: dict[str, str] = {}
        self.seen_text: dict[str, str] = {}
        self.used: set[str] = set()
        self.next_suffix: dict[str, int] = {}

    def add(self, item: ParsedReport) -> tuple[str | None, list[dict]]:
        failures: list[dict] = []
        text_key = hashlib.sha256(item.text.encode("utf-8")).hexdigest()
        first = self.seen_sha.get(item.sha256) or self.seen_text.get(text_key)
        if first is not None:
            same = "bytes" if item.sha256 in self.seen_sha else "clean text"
            failures.append(
                {"source_file": item.source_file, "severity": "warning", "reason": f"duplicate of {first} (same {same}); skipped"}
            )
            return None, failures
        self.seen_sha[item.sha256] = item.source_file
        self.seen_text[text_key] = item.source_file
        base = item.slug or fallback_slug(item.source_file)
        report_id = base
        if report_id in self.used:
            k = self.next_suffix.get(base, 2)
            while f"{base}-{k}" in self.used:
                k += 1
            report_id = f"{base}-{k}"
            self.next_suffix[base] = k + 1
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
        self.used.add(report_id)
        return report_id, failures


def assign_report_ids(parsed: list[ParsedReport]) -> tuple[list[tuple[str, ParsedReport]], list[dict]]:
    """Give each parsed report a stable, unique, ASCII id; drop exact duplicates.

    Returns ``(kept, failures)``: ``kept`` is a list of ``(report_id, parsed)``; duplicates (the same
    bytes, or the same clean text in another encoding) are reported in ``failures`` as warnings.
    Ids are ``<place pinyin>-<year>``; two different reports that would share an id get ``-2``,
    ``-3`` … in file order, with a warning, because a researcher must look at them.
    """
    assigner = _IdAssigner()
    kept: list[tuple[str, ParsedReport]] = []
    failures: list[dict] = []
    for item in parsed:
        report_id, item_failures = assigner.add(item)
        failures.extend(item_failures)
        if report_id is not None:
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


def _reports_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=REPORT_COLUMNS).astype(REPORT_DTYPES)


def _failure_rows(source: str, item: ParsedReport | None, error: str | None) -> list[dict]:
    if item is None:
        return [{"source_file": source, "severity": "error", "reason": error}]
    rows = [{"source_file": source, "severity": "note", "reason": note} for note in item.notes]
    rows += [{"source_file": source, "severity": "warning", "reason": w} for w in getattr(item, "warnings", [])]
    return rows


# --------------------------------------------------------------------------------------------
# corpus: writing tables in batches
# --------------------------------------------------------------------------------------------
class _TableSink:
    """Gathers per-report rows and turns them into corpus tables, a batch of reports at a time.

    Rows arrive as Arrow tables (see :class:`PackedReport`), so this process — the only one that
    writes — does no pandas work per report. With ``out_dir`` each batch is appended to
    ``<name>.parquet`` (and ``.csv``) under a temporary name (see :meth:`commit`); without it the
    batches are concatenated in memory and converted to DataFrames at the end.
    """

    _NAMES = PER_REPORT_TABLES + ("texts",)

    def __init__(self, out_dir: Path | None, formats: tuple[str, ...], batch_reports: int = BATCH_REPORTS):
        self.out_dir = out_dir
        self.formats = formats
        self.batch_reports = max(1, batch_reports)
        self.pending: dict[str, list] = {name: [] for name in self._NAMES}
        self.pending_ids: dict[str, list[str]] = {name: [] for name in self._NAMES}
        self.n_pending = 0
        self.templates: dict = {}
        self.chunks: dict[str, list] = {name: [] for name in self._NAMES}
        self.writers: dict = {}
        self.csv_writers: dict = {}
        self.csv_files: dict = {}
        self.schemas: dict = {}
        self.n_rows: Counter = Counter()
        self.reports: list[dict] = []
        self.problems: list[dict] = []  # failures found while writing (see :func:`_conform`)
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)

    # -- adding ------------------------------------------------------------------------------
    def add(self, report_id: str, item) -> None:
        if isinstance(item, ParsedReport):
            item = pack_report(item)
        self.reports.append(_report_row(report_id, item))
        for name in PER_REPORT_TABLES:
            table = item.tables.get(name)
            if table is None:
                continue
            if name not in self.templates:
                self.templates[name] = table.slice(0, 0)
            if table.num_rows:
                self.pending[name].append(table)
                self.pending_ids[name].append(report_id)
        self.pending["texts"].append(item.text)
        self.pending_ids["texts"].append(report_id)
        self.n_pending += 1
        if self.n_pending >= self.batch_reports:
            self.flush()

    def _batch(self, name: str):
        import pyarrow as pa

        parts, ids = self.pending[name], self.pending_ids[name]
        if not parts:
            return None
        if name == "texts":
            return pa.table({"report_id": pa.array(ids, pa.large_string()), "text": pa.array(parts, pa.large_string())})
        batch = _concat_tables(parts)
        # one chunk per column rather than one per report: the CSV writer costs per chunk
        batch = batch.combine_chunks()
        # each report's id repeated over its rows: an Arrow take on the batch's few ids (one Python
        # string per row would cost more than writing the batch)
        lengths = np.fromiter((table.num_rows for table in parts), dtype=np.int64, count=len(parts))
        rows_of = np.repeat(np.arange(len(parts), dtype=np.int64), lengths)
        report_ids = pa.array(ids, pa.large_string()).take(pa.array(rows_of))
        return batch.set_column(0, pa.field("report_id", pa.large_string()), report_ids)

    def flush(self) -> None:
        start = _clock()
        for name in self._NAMES:
            batch = self._batch(name)
            self.pending[name], self.pending_ids[name] = [], []
            if batch is None:
                continue
            self.n_rows[name] += batch.num_rows
            if self.out_dir is None:
                self.chunks[name].append(batch)
            else:
                self._write(name, batch)
        self.n_pending = 0
        _timed("write", start)

    # -- files -------------------------------------------------------------------------------
    def _tmp(self, name: str, suffix: str) -> Path:
        return self.out_dir / f"{name}.{suffix}.partial"

    def _write(self, name: str, batch) -> None:
        import pyarrow.parquet as pq

        schema = self.schemas.get(name)
        if schema is None:
            schema = self.schemas[name] = _fill_null_types(batch.schema)
        batch = _conform(batch, schema, name, self.problems)
        if "parquet" in self.formats:
            writer = self.writers.get(name)
            if writer is None:
                writer = self.writers[name] = pq.ParquetWriter(self._tmp(name, "parquet"), schema, compression=PARQUET_COMPRESSION)
            writer.write_table(batch)
        if "csv" in self.formats and name not in PARQUET_ONLY:
            writer = self.csv_writers.get(name)
            if writer is None:
                writer = self.csv_writers[name] = self._csv_writer(name, schema)
            writer.write_table(batch)

    def _csv_writer(self, name: str, schema):
        import pyarrow.csv as pacsv

        fh = open(self._tmp(name, "csv"), "wb")
        fh.write(b"\xef\xbb\xbf")  # UTF-8 with BOM, so that Excel reads the Chinese text
        self.csv_files[name] = fh
        return pacsv.CSVWriter(fh, schema, write_options=pacsv.WriteOptions(include_header=True))

    def _write_whole(self, name: str, table: pd.DataFrame) -> None:
        if "parquet" in self.formats:
            table.to_parquet(self._tmp(name, "parquet"), index=False, compression=PARQUET_COMPRESSION)
        if "csv" in self.formats and name not in PARQUET_ONLY:
            table.to_csv(self._tmp(name, "csv"), index=False, encoding="utf-8-sig")

    def _empty(self, name: str) -> pd.DataFrame:
        if name == "texts":
            return pd.DataFrame({"report_id": pd.Series([], dtype="str"), "text": pd.Series([], dtype="str")})
        if name in self.templates:
            return self.templates[name].to_pandas()
        return pd.DataFrame({"report_id": pd.Series([], dtype="str")})

    def _close_writers(self) -> None:
        for writer in list(self.writers.values()) + list(self.csv_writers.values()):
            writer.close()
        for fh in self.csv_files.values():
            fh.close()
        self.writers, self.csv_writers, self.csv_files = {}, {}, {}

    # -- finishing ---------------------------------------------------------------------------
    def finish(self, failures: list[dict]) -> Mapping[str, pd.DataFrame]:
        """Write the remaining rows and the corpus-level tables; return the tables.

        In memory: a dict of DataFrames. On disk: a :class:`TableSet` reading the written files.
        """
        import pyarrow as pa

        self.flush()
        start = _clock()
        reports = _reports_frame(self.reports)
        if self.out_dir is None:
            tables: dict[str, pd.DataFrame] = {"reports": reports}
            for name in self._NAMES:
                chunks = self.chunks[name]
                if not chunks:
                    tables[name] = self._empty(name)
                    continue
                schema = _fill_null_types(chunks[0].schema)
                tables[name] = pa.concat_tables([_conform(c, schema, name, self.problems) for c in chunks]).to_pandas()
                self.chunks[name] = []
            tables["targets_vs_outcomes"] = corpus_targets_vs_outcomes(reports, tables["indicators"])
            tables["failures"] = pd.DataFrame(failures + self.problems, columns=FAILURE_COLUMNS)
            _timed("write", start)
            return {name: tables[name] for name in TABLE_NAMES}
        self._close_writers()
        for name in self._NAMES:
            if self.n_rows[name] == 0:
                self._write_whole(name, self._empty(name))
        self._write_whole("reports", reports)
        import pyarrow.parquet as pq

        path = self._tmp("indicators", "parquet")
        columns = [c for c in pq.read_schema(path).names if c not in _NOT_FOR_OUTCOMES]
        indicators = pd.read_parquet(path, columns=columns)
        self._write_whole("targets_vs_outcomes", corpus_targets_vs_outcomes(reports, indicators))
        del indicators
        failure_table = pd.DataFrame(failures + self.problems, columns=FAILURE_COLUMNS)
        self._write_whole("failures", failure_table)
        _timed("write", start)
        return TableSet(self.out_dir, preloaded={"reports": reports, "failures": failure_table})

    def commit(self) -> None:
        """Move every finished table into place (after all were written)."""
        for name in TABLE_NAMES:
            for suffix in ("parquet", "csv"):
                tmp, final = self._tmp(name, suffix), self.out_dir / f"{name}.{suffix}"
                if tmp.exists():
                    os.replace(tmp, final)
                elif suffix == "csv" and final.exists():  # not written this time: never leave a stale copy
                    final.unlink()

    def abort(self) -> None:
        try:
            self._close_writers()
        except Exception:
            pass
        if self.out_dir is not None:
            for tmp in self.out_dir.glob("*.partial"):
                tmp.unlink(missing_ok=True)


#: Indicator columns that only document where a value was read (long texts); pairing targets with
#: outcomes does not need them, and leaving them out keeps a large corpus' pairing small.
_NOT_FOR_OUTCOMES = ("sentence", "mention")

#: Reports per call of :func:`govreports.outcomes.targets_vs_outcomes` in a large corpus.
OUTCOME_GROUP_REPORTS = 2000


def corpus_targets_vs_outcomes(reports: pd.DataFrame, indicators: pd.DataFrame, group_reports: int = OUTCOME_GROUP_REPORTS) -> pd.DataFrame:
    """:func:`govreports.outcomes.targets_vs_outcomes` for a corpus of any size, region by region.

    Why: targets are paired with outcomes only within one region, so the corpus can be split into
    groups of regions (in sorted order, reports of unknown region last) and the results concatenated:
    the same rows in the same order, with the memory of one group at a time instead of the whole
    corpus' intermediate tables (several hundred MB for 10,000 reports).
    """
    from .outcomes import targets_vs_outcomes

    if len(reports) <= group_reports:
        return targets_vs_outcomes(reports, indicators)
    regions = reports["region_name"]
    sizes = regions.value_counts()
    groups, current, count = [], [], 0
    for name in sorted(sizes.index):
        current.append(name)
        count += int(sizes[name])
        if count >= group_reports:
            groups.append(current)
            current, count = [], 0
    if current:
        groups.append(current)
    masks = [regions.isin(group).to_numpy(dtype=bool) for group in groups]
    unknown = regions.isna().to_numpy(dtype=bool)
    if unknown.any():
        masks.append(unknown)
    indicator_ids = indicators["report_id"]
    parts = []
    for mask in masks:
        subset = reports[mask]
        parts.append(targets_vs_outcomes(subset, indicators[indicator_ids.isin(subset["report_id"])]))
    return pd.concat(parts, ignore_index=True)


def _ipc_buffer(table):
    """``table`` as an Arrow IPC stream, in an Arrow buffer.

    The buffer is sent and cached as it is (it pickles and writes through the buffer protocol):
    copying it into ``bytes`` cost a copy of the whole chunk and as much fresh memory.
    """
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def _concat_tables(parts: list):
    """Arrow tables one after the other (``None`` for none). A column typed differently in some
    (e.g. all-missing there) takes a type that holds every part's values."""
    import pyarrow as pa

    if not parts:
        return None
    try:
        return pa.concat_tables(parts)
    except pa.ArrowInvalid:
        return pa.concat_tables(parts, promote_options="permissive")


def _from_ipc(data):
    import pyarrow as pa

    return pa.ipc.open_stream(data).read_all()


_ARROW_SCHEMAS: dict[tuple, object] = {}


def _frame_to_arrow(name: str, frame: pd.DataFrame, problems: list[str]):
    """One per-report table as Arrow, with an empty ``report_id`` column first (filled in later).

    The Arrow schema (with the pandas metadata that restores dtypes such as ``Int64`` on reading)
    is worked out once per table and set of column dtypes; later frames only convert their columns,
    which for pandas' Arrow-backed strings costs nothing. A column holding values of several types
    (a stage bug) cannot be stored as one Arrow column; it is written as text and the report gets a
    warning naming the table and column.
    """
    import pyarrow as pa

    if "report_id" in frame.columns:
        frame = frame.drop(columns="report_id")
    columns = list(frame.columns)
    key = (name, tuple(columns), tuple(map(str, frame.dtypes.tolist())))
    schema = _ARROW_SCHEMAS.get(key)
    if schema is not None:
        try:
            arrays = [pa.nulls(len(frame), pa.large_string())]
            arrays += [pa.array(series.array, type=field.type, from_pandas=True) for field, (_, series) in zip(list(schema)[1:], frame.items())]
            return pa.Table.from_arrays(arrays, schema=schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            pass  # the slow path below tells which column
    frame = pd.concat([pd.DataFrame({"report_id": pd.Series([None] * len(frame), dtype="str", index=frame.index)}), frame[columns]], axis=1)
    try:
        table = pa.Table.from_pandas(frame, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        fixed = {}
        for column in columns:
            try:
                pa.array(frame[column], from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
                fixed[column] = frame[column].map(lambda v: None if v is None or v is pd.NA else str(v)).astype("str")
                problems.append(f"table {name}: column {column} mixes value types; written as text")
        return pa.Table.from_pandas(frame.assign(**fixed), preserve_index=False)
    # Only schemas that every frame with these dtypes will share are reused: an object column's
    # Arrow type depends on its values.
    if not any(str(dtype) == "object" for dtype in key[2]) and not any(pa.types.is_null(f.type) for f in table.schema):
        _ARROW_SCHEMAS[key] = table.schema.set(0, pa.field("report_id", pa.large_string()))
    return table


def _concat_to_arrow(name: str, frames: list[pd.DataFrame], n_rows: int):
    """Several reports' frames of one table (``n_rows`` rows in all) as one Arrow table, or ``None``
    to take the general path.

    The same as ``_frame_to_arrow(name, pd.concat(frames, ignore_index=True), …)`` when every frame
    has the same columns with the same dtypes and their Arrow schema is known: each column is
    concatenated as pandas would (``np.concatenate`` / ``_concat_same_type``) and converted, without
    building the concatenated DataFrame (pandas' ``concat`` costs most of the conversion).
    """
    import pyarrow as pa

    labels = frames[0].columns
    columns = labels.tolist()
    if "report_id" in columns or not labels.is_unique:
        return None
    by_frame = [column_arrays(frame) for frame in frames]
    dtypes = [values.dtype for values in by_frame[0]]  # (the frame's dtypes: ``frame.dtypes`` builds a Series)
    schema = _ARROW_SCHEMAS.get((name, tuple(columns), tuple(map(str, dtypes))))
    if schema is None:
        return None
    arrays = [pa.nulls(n_rows, pa.large_string())]
    by_column = zip(*by_frame)
    try:
        for parts, dtype, field_ in zip(by_column, dtypes, list(schema)[1:]):
            # (list.count compares by identity first: comparing two string dtypes costs a Python call)
            if [part.dtype for part in parts].count(dtype) != len(parts):
                return None
            values = np.concatenate(parts) if isinstance(dtype, np.dtype) else type(parts[0])._concat_same_type(parts)
            arrays.append(pa.array(values, type=field_.type, from_pandas=True))
        return pa.Table.from_arrays(arrays, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError):
        return None


def _fill_null_types(schema):
    """A column that is empty in the first batch has no type yet; record it as a string column."""
    import pyarrow as pa

    fields = [pa.field(f.name, pa.large_string()) if pa.types.is_null(f.type) else f for f in schema]
    return pa.schema(fields, metadata=schema.metadata)


def _conform(table, schema, name: str, problems: list[dict] | None = None):
    """Cast a batch to the table's schema, so every row group of a file has the same dtypes.

    A column whose values cannot take the table's type (a stage that changed a column's type
    between reports) is written as missing in this batch rather than stopping a long build; each
    such column is reported in ``problems`` (a ``failures`` row naming the table, the column and the
    reports) — or, without ``problems``, raises ``TypeError``.
    """
    import pyarrow as pa

    if table.schema.equals(schema, check_metadata=False):
        return table.replace_schema_metadata(schema.metadata)
    columns = []
    for target in schema:
        if target.name not in table.column_names:
            columns.append(pa.nulls(len(table), target.type))
            continue
        column = table.column(target.name)
        if column.type != target.type:
            try:
                column = column.cast(target.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as err:
                message = (
                    f"table {name}: column {target.name} is {column.type} in some reports but {target.type} "
                    f"in the first ones; the stage that makes it must return a stable dtype ({err})"
                )
                if problems is None:
                    raise TypeError(message) from None
                ids = sorted(set(table.column("report_id").to_pylist())) if "report_id" in table.column_names else []
                problems.append(
                    {
                        "source_file": f"{name}.parquet",
                        "severity": "error",
                        "reason": f"{message}; written as missing for {len(ids)} report(s): {', '.join(ids[:5])}{' …' if len(ids) > 5 else ''}",
                    }
                )
                column = pa.nulls(len(table), target.type)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


@dataclass
class PackedReport:
    """A parsed report as it travels between processes and sits in the cache.

    The same fields as :class:`ParsedReport`, but each per-report table is an Arrow table
    (``tables``, with an empty ``report_id`` column first): cheap to send, store and concatenate, and
    the pandas → Arrow conversion happens in the worker processes rather than in the one that writes.
    """

    source_file: str
    sha256: str
    encoding: str
    metadata: dict
    text: str
    n_chars_raw: int
    script_original: str
    unresolved_chars: int
    tables: dict
    notes: list[str]
    slug: str | None
    warnings: list[str] = field(default_factory=list)


def pack_reports(parsed: list[ParsedReport]) -> list[PackedReport]:
    """Convert reports' DataFrames to Arrow (see :class:`PackedReport`), several at a time.

    Why several: converting a DataFrame costs a fixed ~0.1 ms whatever its size, and a report has
    ten small ones; concatenating a few reports' frames first and slicing the Arrow table back per
    report (slices share memory) makes the conversion several times cheaper.
    """
    return _pack_together(parsed)[0]


def _pack_together(parsed: list[ParsedReport]) -> tuple[list[PackedReport], dict]:
    """:func:`pack_reports`, and per table the Arrow table of all the reports when it was converted
    in one piece (each report's table is then a slice of it, in order): :func:`_chunk_for_transfer`
    sends and caches that table as it is, rather than concatenating the slices back (a copy)."""
    packed = [
        PackedReport(
            source_file=p.source_file,
            sha256=p.sha256,
            encoding=p.encoding,
            metadata=p.metadata,
            text=p.text,
            n_chars_raw=p.n_chars_raw,
            script_original=p.script_original,
            unresolved_chars=p.unresolved_chars,
            tables={},
            notes=p.notes,
            slug=p.slug,
            warnings=list(p.warnings),
        )
        for p in parsed
    ]
    together = {}
    for name in PER_REPORT_TABLES:
        owners = [i for i, p in enumerate(parsed) if p.frames.get(name) is not None]
        if not owners:
            continue
        frames = [parsed[i].frames[name] for i in owners]
        lengths = [len(f) for f in frames]
        filled = [f for f, n in zip(frames, lengths) if n]
        table = None
        # (``is``, then Index.equals: iterating a string Index in Python costs ~15 µs a frame; the
        # stages share one label Index between a table's frames)
        if filled and all(f.columns is filled[0].columns or f.columns.equals(filled[0].columns) for f in filled[1:]):
            table = _concat_to_arrow(name, filled, sum(lengths))
            if table is None:
                problems: list[str] = []
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        table = _frame_to_arrow(name, pd.concat(filled, ignore_index=True), problems)
                except Exception:
                    table = None
                if problems:  # a problem must be reported for the report that has it: go one by one
                    table = None
        if table is None:
            # Empty frames alike share one conversion (most reports have no footnotes: converting
            # each empty frame costs ~0.15 ms, more than the report's rows of a small table).
            converted_empty: list = []
            for i, frame in zip(owners, frames):
                if len(frame):
                    packed[i].tables[name] = _frame_to_arrow(name, frame, packed[i].warnings)
                    continue
                twin = next((t for f, t in converted_empty if _same_layout(f, frame)), None)
                if twin is None:
                    twin = _frame_to_arrow(name, frame, packed[i].warnings)
                    converted_empty.append((frame, twin))
                packed[i].tables[name] = twin
            continue
        together[name] = table
        empty = table.slice(0, 0)
        offset = 0
        for i, n in zip(owners, lengths):
            packed[i].tables[name] = table.slice(offset, n) if n else empty
            offset += n
    return packed, together


def _same_layout(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Same column labels with the same dtypes (so the same Arrow conversion for empty frames).

    The dtypes are read from the column arrays: ``frame.dtypes`` builds a Series (≈10 µs a frame).
    """
    if a is b:
        return True
    return a.columns.equals(b.columns) and [v.dtype for v in column_arrays(a)] == [v.dtype for v in column_arrays(b)]


def pack_report(parsed: ParsedReport) -> PackedReport:
    """One report's DataFrames as Arrow (see :class:`PackedReport`)."""
    return pack_reports([parsed])[0]


class TableSet(Mapping):
    """The tables of a build on disk, read from parquet when first used (a read-only mapping).

    ``tables["sentences"]`` reads one table; nothing else is loaded. :meth:`n_rows` counts rows from
    the parquet metadata without reading the data.
    """

    def __init__(self, out_dir: str | Path, preloaded: Mapping[str, pd.DataFrame] | None = None):
        self.out_dir = Path(out_dir)
        self._loaded: dict[str, pd.DataFrame] = dict(preloaded or {})

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLE_NAMES:
            raise KeyError(name)
        if name not in self._loaded:
            self._loaded[name] = pd.read_parquet(self.out_dir / f"{name}.parquet")
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(TABLE_NAMES)

    def __len__(self) -> int:
        return len(TABLE_NAMES)

    def n_rows(self, name: str) -> int:
        """Rows of one table, from the parquet footer (nothing is read)."""
        import pyarrow.parquet as pq

        if name in self._loaded:
            return len(self._loaded[name])
        return pq.ParquetFile(self.out_dir / f"{name}.parquet").metadata.num_rows

    def __repr__(self) -> str:
        return f"<TableSet {self.out_dir}: {', '.join(TABLE_NAMES)}>"


# --------------------------------------------------------------------------------------------
# corpus: parsing many files
# --------------------------------------------------------------------------------------------
def _jobs(files: Iterable[Path], root: Path | None, cache_dir: Path | None) -> list[tuple[str, str, str | None]]:
    jobs = []
    for path in files:
        try:
            source = str(path.relative_to(root)) if root else str(path)
        except ValueError:
            source = str(path)
        jobs.append((str(path), source, str(cache_dir) if cache_dir else None))
    return jobs


#: Net new container objects between two collections of the youngest generation during a build
#: (Python's default is 700). Parsing a report allocates tens of thousands of short-lived lists
#: and tuples that reference counting frees anyway (a build leaves almost no cyclic garbage), so
#: the default made the collector scan them over and over: 0.6 ms/report, against 0.06 with this
#: threshold, at the same peak memory. The previous thresholds are restored after the build.
GC_YOUNG_THRESHOLD = 50_000


def iter_parsed(
    jobs: list[tuple[str, str, str | None]], processes: int = 1, chunksize: int | None = None
) -> Iterator[tuple[str, ParsedReport | None, str | None]]:
    """Parse files in order, in this process or a pool, yielding ``(source_file, parsed, error)``.

    With several processes a bounded window of tasks is in flight (a few per worker), so results
    never pile up in memory when writing is slower than parsing. Seconds per stage spent in the
    workers are added to this process' :data:`STAGE_SECONDS`.
    """
    if chunksize is None:
        chunksize = max(1, min(32, len(jobs) // (max(processes, 1) * 4)))
    chunks = [jobs[i : i + chunksize] for i in range(0, len(jobs), chunksize)]
    if not chunks:
        return
    # Every stage's lexicons, models and tables load once here; then the garbage collector is told
    # to leave them (and everything else alive now) out of its scans: its full collections walked
    # those long-lived objects again and again, about a tenth of a build's CPU time (half of that
    # remains). Forked workers inherit the frozen objects, whose pages then stay shared.
    # The young generation is also collected less often (see :data:`GC_YOUNG_THRESHOLD`).
    _warm_up()
    start = _clock()
    _start_cache_reads({job[2] for job in jobs if job[2]})  # before forking: the workers inherit the index
    _timed("pack", start)
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(max(GC_YOUNG_THRESHOLD, thresholds[0]), *thresholds[1:])
    try:
        yield from _parse_chunks(chunks, processes)
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        _start_cache_reads(())  # (the index and the last chunk read are not kept between builds)


def _parse_chunks(chunks: list[list[tuple[str, str, str | None]]], processes: int):
    """:func:`iter_parsed` after the warm-up: the chunks parsed here, or by a pool of processes."""
    if processes <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            results, _ = _parse_chunk(chunk)
            yield from results
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None  # see iter_parsed
    context = multiprocessing.get_context(method)
    window = processes * 3
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        pending: deque = deque()
        next_chunk = 0
        while next_chunk < len(chunks) and len(pending) < window:
            pending.append(pool.submit(_parse_chunk, chunks[next_chunk], True))
            next_chunk += 1
        while pending:
            payload, spent = pending.popleft().result()
            if next_chunk < len(chunks):
                pending.append(pool.submit(_parse_chunk, chunks[next_chunk], True))
                next_chunk += 1
            STAGE_SECONDS.update(spent[0])
            STAGE_CPU_SECONDS.update(spent[1])
            start = _clock()
            results = _unpack_chunk(payload)
            _timed("write", start)
            yield from results


def parse_files(
    files: Iterable[Path],
    root: Path | None = None,
    cache_dir: Path | None = None,
    processes: int = 1,
    progress: bool = True,
) -> tuple[list[ParsedReport], list[dict]]:
    """Parse many files (optionally in several processes). Returns ``(parsed, failures)``.

    Holds every parsed report in memory: for large corpora use :func:`build_tables`, which streams.
    """
    from tqdm.auto import tqdm

    jobs = _jobs(files, root, cache_dir)
    parsed, failures = [], []
    bar = dict(total=len(jobs), desc="parse", unit="report", disable=not progress or None)
    for source, item, error in tqdm(iter_parsed(jobs, processes), **bar):
        failures.extend(_failure_rows(source, item, error))
        if item is None:
            warnings.warn(f"{source}: {error}; skipped", ReportWarning, stacklevel=2)
        else:
            parsed.append(item)
    return parsed, failures


def assemble_tables(kept: list[tuple[str, ParsedReport]], failures: list[dict]) -> dict[str, pd.DataFrame]:
    """Concatenate per-report rows into corpus tables (in memory), each with ``report_id`` first."""
    sink = _TableSink(None, formats=(), batch_reports=len(kept) or 1)
    for report_id, item in kept:
        sink.add(report_id, item)
    return dict(sink.finish(failures))


def input_signature(files: list[Path]) -> list[list]:
    """``[path, size, mtime_ns]`` per file (``-1`` for a file that cannot be examined)."""
    out = []
    for path in files:
        try:
            st = path.stat()
            out.append([str(path), st.st_size, st.st_mtime_ns])
        except OSError:
            out.append([str(path), -1, -1])
    return out


def build_tables(
    raw_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    processes: int = 1,
    progress: bool = True,
    use_cache: bool = True,
    formats: tuple[str, ...] = ("parquet", "csv"),
    batch_reports: int = BATCH_REPORTS,
) -> Mapping[str, pd.DataFrame]:
    """Parse every report under ``raw_dir`` and (if ``out_dir``) write the tables.

    When ``out_dir`` already holds tables built by the same code from the same files (same paths,
    sizes and modification times), they are reused instead of rebuilt. Bad files are skipped and
    listed in ``failures`` (see the module docstring); each also raises a :class:`ReportWarning`.

    Parameters
    ----------
    raw_dir : path, optional
        A folder of reports (searched recursively) or one file; default ``data/raw``.
    out_dir : path, optional
        Where to write ``<table>.parquet`` / ``.csv``, ``build_info.json`` and the ``cache/`` of
        parsed reports. Without it, nothing is written and the tables are built in memory.
    processes : int
        Worker processes parsing reports (the writing stays in this process).
    use_cache : bool
        Reuse unchanged tables and cached reports; ``False`` re-parses everything.
    formats : tuple of str
        ``"parquet"`` and/or ``"csv"``.
    batch_reports : int
        Reports per written batch (one parquet row group per table); bounds memory.

    Returns
    -------
    Mapping of str to DataFrame
        Keyed by :data:`TABLE_NAMES`. In memory (no ``out_dir``): a dict. With ``out_dir``: a
        :class:`TableSet` that reads each table from parquet when first used, so a large corpus is
        never loaded whole.
    """
    raw_dir = Path(raw_dir or config.RAW_DIR)
    if not raw_dir.exists():
        raise FileNotFoundError(f"{raw_dir}: no such folder of reports")
    files = list_report_files(raw_dir)
    out = Path(out_dir) if out_dir else None
    signature = input_signature(files)
    if out is not None and use_cache and tables_are_current(out, signature):
        return read_tables(out)
    if out is not None and "parquet" not in formats:
        formats = tuple(formats) + ("parquet",)  # the parquet files are what a later build reuses
    cache_dir = (out / "cache") if (out is not None and use_cache) else None
    root = raw_dir if raw_dir.is_dir() else raw_dir.parent
    jobs = _jobs(files, root, cache_dir)
    if out is not None:
        (out / "build_info.json").unlink(missing_ok=True)
    from tqdm.auto import tqdm

    sink = _TableSink(out, tuple(formats), batch_reports)
    assigner = _IdAssigner()
    failures: list[dict] = []
    in_use: set[str] = set()  # the reports of this build (the cache keeps only chunk files with some)
    bar = dict(total=len(jobs), desc="parse", unit="report", disable=not progress or None)
    try:
        for source, item, error in tqdm(iter_parsed(jobs, processes), **bar):
            failures.extend(_failure_rows(source, item, error))
            if item is None:
                warnings.warn(f"{source}: {error}; skipped", ReportWarning, stacklevel=2)
                continue
            in_use.add(item.sha256)
            for problem in getattr(item, "warnings", []):
                warnings.warn(f"{source}: {problem}", ReportWarning, stacklevel=2)
            report_id, id_failures = assigner.add(item)
            for failure in id_failures:
                warnings.warn(f"{failure['source_file']}: {failure['reason']}", ReportWarning, stacklevel=2)
            failures.extend(id_failures)
            if report_id is not None:
                sink.add(report_id, item)
        tables = sink.finish(failures)
    except BaseException:
        sink.abort()
        raise
    if out is not None:
        sink.commit()
        info = build_info() | {"raw_dir": str(raw_dir), "inputs": signature, "n_reports": len(sink.reports)}
        (out / "build_info.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
        if cache_dir is not None:
            _prune_cache(cache_dir, in_use)
    return tables


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | Path, formats=("parquet", "csv")) -> None:
    """Write each table as ``<name>.parquet`` and ``<name>.csv`` (UTF-8 with BOM so Excel reads it)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        if "parquet" in formats:
            table.to_parquet(out_dir / f"{name}.parquet", index=False, compression=PARQUET_COMPRESSION)
        if "csv" in formats and name not in PARQUET_ONLY:
            table.to_csv(out_dir / f"{name}.csv", index=False, encoding="utf-8-sig")


def read_tables(out_dir: str | Path) -> TableSet:
    """The tables a previous build wrote, each read from parquet when first used."""
    return TableSet(out_dir)


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
