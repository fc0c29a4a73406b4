"""The corpus build: ids, duplicates, bad files, caching, and the written tables."""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from govreports import tables
from govreports.corpus import Corpus, load, read_corpus
from govreports.read import ReportWarning

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SEED = RAW / "seeds" / "000_b814d5e228ecd0c6.txt"
ZMD_2021 = next((RAW / "zhumadian").glob("2021_*.txt"))


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory):
    """Two real reports, a GBK copy of one (a duplicate), an empty file, a binary file, a note."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(SEED, folder / "jingdezhen.txt")
    shutil.copy(ZMD_2021, folder / "驻马店 2021 报告.txt")  # spaces and Chinese in the name
    (folder / "jingdezhen-gbk.txt").write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "README.md").write_text("not a report", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(small_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = tables.build_tables(small_dir, out, progress=False)
    return result, out, [str(w.message) for w in caught if issubclass(w.category, ReportWarning)]


def test_bad_files_are_skipped_with_their_names_and_the_rest_builds(built):
    result, _, messages = built
    failures = result["failures"]
    errors = failures[failures["severity"] == "error"]
    assert set(errors["source_file"]) == {"empty.txt", "image.txt"}
    assert errors.set_index("source_file").loc["empty.txt", "reason"].startswith("empty")
    assert any("image.txt" in m for m in messages)
    assert len(result["reports"]) == 2


def test_a_copy_in_another_encoding_is_a_duplicate_not_a_second_report(built):
    result, _, _ = built
    failures = result["failures"]
    dup = failures[failures["source_file"] == "jingdezhen-gbk.txt"]
    assert len(dup) == 1 and "duplicate of jingdezhen.txt" in dup["reason"].iloc[0]
    assert "jingdezhen-gbk.txt" not in set(result["reports"]["source_file"])


def test_report_ids_are_ascii_place_and_year(built):
    result, _, _ = built
    ids = set(result["reports"]["report_id"])
    assert ids == {"jingdezhen-2022", "zhumadian-2021"}
    assert all(i.isascii() for i in ids)


def test_every_per_report_table_carries_known_report_ids(built):
    result, _, _ = built
    ids = set(result["reports"]["report_id"])
    for name in tables.PER_REPORT_TABLES + ("texts",):
        table = result[name]
        assert table.columns[0] == "report_id", name
        assert set(table["report_id"]) <= ids, name


def test_sentence_offsets_point_into_the_clean_text(built):
    result, _, _ = built
    texts = result["texts"].set_index("report_id")["text"]
    sample = result["sentences"].groupby("report_id").head(50)
    for row in sample.itertuples():
        assert texts[row.report_id][row.char_start : row.char_end] == row.text


def test_tables_are_written_as_parquet_and_csv_with_build_info(built):
    result, out, _ = built
    for name in tables.TABLE_NAMES:
        assert (out / f"{name}.parquet").exists(), name
        if name not in tables.PARQUET_ONLY:
            assert (out / f"{name}.csv").exists(), name
    info = (out / "build_info.json").read_text(encoding="utf-8")
    assert '"opencc": "1.4' in info
    back = pd.read_parquet(out / "reports.parquet")
    assert list(back.columns) == list(result["reports"].columns)
    assert str(back["report_year"].dtype) == "Int64"


def test_unchanged_inputs_reuse_the_tables_and_a_new_file_parses_only_itself(small_dir, built, monkeypatch, tmp_path):
    _, out, _ = built
    assert tables.tables_are_current(out, raw_dir=small_dir)
    calls = []
    real = tables.parse_documents
    monkeypatch.setattr(tables, "parse_documents", lambda docs, srcs=None, errors="raise": calls.extend(srcs) or real(docs, srcs, errors))
    tables.build_tables(small_dir, out, progress=False)
    assert calls == []  # nothing re-parsed
    extra = next((RAW / "zhumadian").glob("2020_*.txt"))
    shutil.copy(extra, small_dir / "zmd2020.txt")
    try:
        result = tables.build_tables(small_dir, out, progress=False)
        assert calls == ["zmd2020.txt"]  # only the new report was parsed; the others came from the cache
        assert "zhumadian-2020" in set(result["reports"]["report_id"])
    finally:
        (small_dir / "zmd2020.txt").unlink()


def test_raw_files_are_never_written(small_dir, built):
    before = {p.name: p.read_bytes() for p in small_dir.iterdir()}
    read_corpus(small_dir)
    after = {p.name: p.read_bytes() for p in small_dir.iterdir()}
    assert before == after


def test_same_place_and_year_in_two_different_files_get_distinct_ids(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    # a different report text that would get the same id: drop one paragraph
    paragraphs = text.split("\n")
    (tmp_path / "b.txt").write_text("\n".join(paragraphs[:20] + paragraphs[22:]), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = read_corpus(tmp_path)
    assert sorted(corpus.report_ids) == ["jingdezhen-2022", "jingdezhen-2022-2"]
    assert corpus.failures["reason"].str.contains("already has id jingdezhen-2022").any()


@pytest.mark.parametrize("source_file,expected", [
    ("00032_漯河政府工作报告.txt", "unknown-00032-luohezhengfugongzuobaogao"),  # 漯 luò in a place name, not tà
    ("a/b/长治 2021年 Report.txt", "unknown-changzhi-2021nian-report"),
    ("涡阳县2020.txt", "unknown-guoyangxian2020"),
    ("报告.txt", "unknown-baogao"),
    ("——.txt", "unknown-report"),
])
def test_file_name_ids_read_place_names_as_place_names(source_file, expected):
    assert tables.fallback_slug(source_file) == expected


def test_load_finds_reports_by_region_and_year():
    corpus = load()
    assert isinstance(corpus, Corpus)
    assert len(corpus) == 30
    report = corpus.report("驻马店", 2021)
    assert report.report_id == "zhumadian-2021"
    assert corpus.report("驻马店市", 2021).report_id == "zhumadian-2021"
    assert report.metadata["region_name"] == "驻马店市"
    assert "各位代表" in report.text


def test_a_chunk_file_gives_back_exactly_the_packed_tables(small_dir, tmp_path):
    """A chunk of reports written to the cache and read back: every report gets its own tables."""
    from govreports.read import read_raw

    files = [p for p in tables.list_report_files(small_dir) if p.suffix == ".txt"][:3]
    parsed = []
    for path in files:
        try:
            parsed.append(tables.parse_document(read_raw(path)))
        except Exception:
            continue
    packed = tables.pack_reports(parsed)
    assert packed
    results = [(item.source_file, item, None) for item in packed] + [("skipped.txt", None, "empty")]
    tables._write_chunk_cache(str(tmp_path), tables._chunk_for_transfer(results))
    (chunk_file,) = tmp_path.glob("*.chunk")
    back = tables._read_chunk_file(chunk_file)
    assert len(back) == len(results) and back[-1] is None
    for item, again in zip(packed, back):
        assert again.sha256 == item.sha256 and again.text == item.text
        assert set(again.tables) == set(item.tables)
        for name, table in item.tables.items():
            assert again.tables[name].schema.equals(table.schema, check_metadata=True), name
            assert again.tables[name].equals(table), name


def test_a_build_leaves_the_garbage_collector_as_it_found_it(small_dir):
    """The build collects young objects less often and freezes the lexicons, then restores both."""
    import gc

    before = gc.get_threshold(), gc.get_freeze_count()
    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in tables.iter_parsed(tables._jobs(tables.list_report_files(small_dir), small_dir, None)):
            seen.append(gc.get_threshold()[0])
    assert seen and min(seen) >= tables.GC_YOUNG_THRESHOLD
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_packing_reports_together_gives_each_what_converting_its_own_frames_gives():
    """Frames are converted a chunk at a time (empty ones alike share one conversion); each report
    must still get exactly the Arrow table its own frame converts to."""
    from govreports.read import read_raw

    files = sorted((RAW / "zhumadian").glob("*.txt"))[:6] + [SEED]
    parsed = [tables.parse_document(read_raw(path)) for path in files]
    assert any(len(p.frames["footnotes"]) == 0 for p in parsed) and any(len(p.frames["glossary"]) for p in parsed)
    for together in (tables.pack_reports(parsed), tables.pack_reports(parsed[:1]) + tables.pack_reports(parsed[1:2])):
        for item, report in zip(together, parsed):
            for name, frame in report.frames.items():
                alone = tables._frame_to_arrow(name, frame, [])
                assert item.tables[name].schema.equals(alone.schema, check_metadata=True), name
                assert item.tables[name].equals(alone), name


def test_a_chunk_parsed_stage_by_stage_equals_each_report_parsed_alone():
    # the measure stage cuts all the chunk's texts first and hands each report its own cut: more
    # reports than the segmenter's caches hold, and a report without sentences, must not mix them
    from dataclasses import replace

    from govreports.read import read_raw

    docs = [read_raw(p) for p in sorted(RAW.rglob("*.txt"))[:11]]
    docs.insert(5, replace(docs[0], path=Path("blank.txt"), raw="\n \n"))
    chunk = tables.parse_documents(docs)
    for doc, together in zip(docs, chunk):
        alone = tables.parse_document(doc)
        assert together.metadata == alone.metadata and together.text == alone.text
        assert together.frames.keys() == alone.frames.keys()
        for name, table in alone.frames.items():
            pd.testing.assert_frame_equal(together.frames[name], table, obj=name)
    assert not len(chunk[5].frames["sentences"])
