"""The report cache: one file per parsed chunk, read back whole, pruned, never trusted when damaged."""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from govreports import tables

ZMD = Path(__file__).resolve().parents[1] / "data" / "raw" / "zhumadian"


def make_raw(folder: Path, n: int) -> Path:
    """``n`` real reports (with 8 reports and one process, the build parses chunks of 2)."""
    folder.mkdir()
    for path in sorted(ZMD.glob("*.txt"))[-n:]:
        shutil.copy(path, folder / path.name)
    return folder


def build(raw: Path, out: Path, processes: int = 1) -> dict[str, pd.DataFrame]:
    """Build (the per-report path: the tables written before are not reused) and read every table."""
    (out / "build_info.json").unlink(missing_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = tables.build_tables(raw, out, processes=processes, progress=False, formats=("parquet",))
    return {name: result[name] for name in tables.TABLE_NAMES}


def assert_same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in tables.TABLE_NAMES:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def chunk_headers(out: Path) -> dict[str, list]:
    headers = {}
    for path in sorted((out / "cache").glob("*.chunk")):
        with open(path, "rb") as file:
            headers[path.name] = tables._read_chunk_header(file)[0]
    return headers


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The files parsed (not read from the cache) in this process."""
    calls: list[str] = []
    real = tables.parse_documents
    monkeypatch.setattr(tables, "parse_documents", lambda docs, srcs=None, errors="raise": calls.extend(srcs) or real(docs, srcs, errors))
    return calls


def test_a_chunk_is_one_file_and_its_reports_are_all_read_from_it_at_once(tmp_path, parsed, monkeypatch):
    raw, out = make_raw(tmp_path / "raw", 8), tmp_path / "out"
    first = build(raw, out)
    headers = chunk_headers(out)
    assert [len(shas) for shas in headers.values()] == [2, 2, 2, 2]
    assert {sha for shas in headers.values() for sha in shas} == set(first["reports"]["sha256"])
    reads = []
    real = tables._read_chunk_file
    monkeypatch.setattr(tables, "_read_chunk_file", lambda path: reads.append(path.name) or real(path))
    parsed.clear()
    again = build(raw, out)
    assert parsed == []
    assert sorted(reads) == sorted(headers)  # each file read once, not once per report
    assert_same_tables(first, again)
    assert chunk_headers(out) == headers


def test_a_damaged_chunk_file_is_parsed_again_not_trusted(tmp_path, parsed):
    raw, out = make_raw(tmp_path / "raw", 8), tmp_path / "out"
    first = build(raw, out)
    headers = chunk_headers(out)
    damaged = out / "cache" / next(iter(headers))
    damaged.write_bytes(damaged.read_bytes()[:-100])  # cut short, as by a full disk
    sources = dict(zip(first["reports"]["sha256"], first["reports"]["source_file"]))
    parsed.clear()
    again = build(raw, out)
    assert sorted(parsed) == sorted(sources[sha] for sha in headers[damaged.name])
    assert_same_tables(first, again)
    assert chunk_headers(out) == headers  # written again, whole


def test_a_changed_report_is_parsed_alone_and_chunk_files_no_report_uses_are_deleted(tmp_path, parsed):
    raw, out = make_raw(tmp_path / "raw", 8), tmp_path / "out"
    build(raw, out)
    edited = sorted(raw.iterdir())[3]
    text = edited.read_text(encoding="utf-8")
    for ending in ("\n", "\n\n"):
        edited.write_text(text + ending, encoding="utf-8")
        parsed.clear()
        result = build(raw, out)
        assert parsed == [edited.name]
        # the old version's chunk stays (its other report is used); an edit does not grow the cache
        assert sorted(len(shas) for shas in chunk_headers(out).values()) == [1, 2, 2, 2, 2]
    headers = chunk_headers(out)
    sha_of = dict(zip(result["reports"]["source_file"], result["reports"]["sha256"]))
    first_chunk = next(name for name, shas in headers.items() if sha_of[sorted(sha_of)[0]] in shas)
    for path in sorted(raw.iterdir())[:2]:  # the first chunk's reports, both
        path.unlink()
    parsed.clear()
    build(raw, out)
    assert parsed == []
    assert chunk_headers(out) == {name: shas for name, shas in headers.items() if name != first_chunk}


def test_two_processes_write_their_chunks_apart_and_read_them_back(tmp_path, parsed):
    raw, out = make_raw(tmp_path / "raw", 16), tmp_path / "out"
    first = build(raw, out, processes=2)
    headers = chunk_headers(out)
    shas = [sha for chunk in headers.values() for sha in chunk]
    assert len(headers) == 8 and sorted(shas) == sorted(first["reports"]["sha256"])
    written = {path.name: path.stat().st_mtime_ns for path in (out / "cache").iterdir()}
    again = build(raw, out, processes=2)
    assert_same_tables(first, again)
    assert {path.name: path.stat().st_mtime_ns for path in (out / "cache").iterdir()} == written  # nothing parsed
    parsed.clear()
    in_one = build(raw, out, processes=1)  # chunks of 4 now: each read from two files
    assert parsed == []
    assert_same_tables(first, in_one)


def test_a_cache_that_cannot_be_written_costs_the_cache_not_the_build(tmp_path, parsed):
    raw, out = make_raw(tmp_path / "raw", 3), tmp_path / "out"
    out.mkdir()
    (out / "cache").write_text("a file where the cache folder should be", encoding="utf-8")
    first = build(raw, out)
    parsed.clear()
    again = build(raw, out)
    assert len(parsed) == 3
    assert_same_tables(first, again)
    assert_same_tables(first, build(raw, tmp_path / "elsewhere"))
