"""Bad input gets a clear message with the file name, the build goes on, and raw files stay untouched.

One folder holds every kind of bad file next to good reports; it is built once (module fixture) and
each test checks one case in the resulting tables.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import warnings
from pathlib import Path

import opencc
import pandas as pd
import pytest

from govreports import tables
from govreports.read import ReportWarning

ROOT = Path(__file__).resolve().parents[1]
ZMD = ROOT / "data" / "raw" / "zhumadian"
SEED = ROOT / "data" / "raw" / "seeds" / "000_b814d5e228ecd0c6.txt"  # 景德镇 2022


def zmd(year: int) -> Path:
    return next(ZMD.glob(f"{year}_*.txt"))


# Our own texts: a local news item and a passage of fiction (neither is a work report).
NEWS = (
    "本报讯（记者 王明）昨天下午，第十二届滨江城市马拉松赛在滨江公园鸣枪开跑，来自全国各地的两万余名跑者参加了比赛。"
    "男子组冠军由一名来自云南的选手获得，成绩为2小时12分08秒；女子组冠军成绩为2小时29分。"
    "赛事组委会介绍，今年首次设置了亲子跑项目，吸引了一千多个家庭报名。沿途共设置补给站十二个，"
    "三百多名志愿者为选手提供饮水、能量胶和医疗服务，现场秩序井然。\n"
    "据了解，明年的比赛将于四月举行，报名通道将于年底开放。\n"
)
NOVEL = (
    "雨下了整整一夜。清晨，她推开木窗，看见院子里的石榴花落了一地，红得像是谁打翻了胭脂盒。\n"
    "母亲在灶房里烧火，柴烟顺着屋檐慢慢散开，混着米粥的香气。她想起那年冬天，父亲背着行李走出村口，"
    "回头朝她挥了挥手，雪落在他的帽檐上，再也没有化开。\n"
    "“吃饭了。”母亲在屋里喊。她应了一声，却没有动，只是看着那棵石榴树发呆。\n"
)
HTML_HEAD = (
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>政府工作报告</title>"
    "<script>var nav = [\"首页\", \"政务公开\"];</script></head>\n<body><div class=\"nav\"><a href=\"/\">首页</a></div>"
    "<div class=\"content\">\n"
)


def html_page(text: str) -> str:
    """A report saved from the browser as a whole page: markup around the paragraphs."""
    paragraphs = "".join(f"<p style=\"text-indent:2em\">{line}</p>\n" for line in text.splitlines() if line.strip())
    return HTML_HEAD + paragraphs + "</div></body></html>\n"


def _snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """sha256 and modification time of every regular file (links are not followed)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            out[str(path.relative_to(folder))] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    return out


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad-inputs")
    # good reports, in the encodings researchers meet
    shutil.copy(zmd(2022), folder / "zmd2022.txt")
    (folder / "jingdezhen-big5.txt").write_bytes(
        opencc.OpenCC("s2tw").convert(SEED.read_text(encoding="utf-8").replace("\xa0", " ")).encode("big5")
    )
    (folder / "zmd2021-gbk.txt").write_bytes(zmd(2021).read_text(encoding="utf-8").encode("gbk", errors="strict"))
    (folder / "zmd2020-utf16.txt").write_bytes(zmd(2020).read_text(encoding="utf-8").encode("utf-16"))
    shutil.copy(zmd(2018), folder / "驻马店 2018 年 政府工作报告.txt")
    # duplicates: the same bytes, and the same text in another encoding
    shutil.copy(zmd(2022), folder / "zmd2022 copy.txt")
    shutil.copy(zmd(2023), folder / "zmd2023.txt")
    (folder / "zmd2023-gb18030.txt").write_bytes(zmd(2023).read_text(encoding="utf-8").encode("gb18030"))
    # a truncated report: the first half, cut inside a paragraph just after a comma
    text = zmd(2019).read_text(encoding="utf-8")
    cut = text.index("，", len(text) // 2) + 1
    (folder / "zmd2019-half.txt").write_text(text[:cut], encoding="utf-8")
    # files that are not reports
    (folder / "news.txt").write_text(NEWS * 3, encoding="utf-8")
    (folder / "novel.txt").write_text(NOVEL * 3, encoding="utf-8")
    (folder / "page.txt").write_text(html_page(zmd(2017).read_text(encoding="utf-8")), encoding="utf-8")
    (folder / "scan.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 4)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(bytes(range(256)) * 64)
    # a 50 MB file: twenty-five copies of a report joined and padded
    block = zmd(2021).read_bytes()
    with open(folder / "huge.txt", "wb") as fh:
        written = 0
        while written < 50 * 2**20:
            fh.write(block)
            written += len(block)
    # a link to a file that is gone
    (folder / "missing.txt").symlink_to(folder / "no-such-file.txt")
    return folder


@pytest.fixture(scope="module")
def built(bad_folder, tmp_path_factory):
    before = _snapshot(bad_folder)
    out = tmp_path_factory.mktemp("processed")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = tables.build_tables(bad_folder, out, progress=False)
    after = _snapshot(bad_folder)
    messages = [str(w.message) for w in caught if issubclass(w.category, ReportWarning)]
    return {"tables": result, "out": out, "before": before, "after": after, "messages": messages}


def _rows(built, source_file: str, severity: str | None = None) -> pd.DataFrame:
    failures = built["tables"]["failures"]
    rows = failures[failures["source_file"] == source_file]
    return rows if severity is None else rows[rows["severity"] == severity]


def _kept(built) -> set[str]:
    return set(built["tables"]["reports"]["source_file"])


@pytest.mark.parametrize(
    "name, reason",
    [
        ("empty.txt", "empty"),
        ("image.txt", "binary"),
        ("scan.txt", "PDF"),
        ("page.txt", "HTML"),
        ("huge.txt", "MB limit"),
        ("missing.txt", "cannot be read"),
    ],
)
def test_files_that_are_not_text_reports_are_skipped_with_name_and_reason(built, name, reason):
    errors = _rows(built, name, "error")
    assert len(errors) == 1, built["tables"]["failures"].to_string()
    assert reason in errors["reason"].iloc[0]
    assert name not in _kept(built)
    assert any(m.startswith(name) and reason in m for m in built["messages"])  # also a warning


def test_the_50_mb_file_is_refused_by_its_size_with_the_limit_in_the_message(built):
    reason = _rows(built, "huge.txt", "error")["reason"].iloc[0]
    assert reason.startswith("file is 50.")
    assert f"{tables.MAX_REPORT_BYTES // 2**20} MB limit" in reason


def test_the_good_reports_in_every_encoding_build_despite_the_bad_files(built):
    reports = built["tables"]["reports"].set_index("source_file")
    assert reports.loc["jingdezhen-big5.txt", "encoding"].startswith("big5")
    assert reports.loc["jingdezhen-big5.txt", "script_original"] == "traditional"
    assert reports.loc["zmd2021-gbk.txt", "encoding"] == "gb18030"
    assert reports.loc["zmd2020-utf16.txt", "encoding"] == "utf-16"
    ids = set(reports["report_id"])
    assert {"jingdezhen-2022", "zhumadian-2021", "zhumadian-2020", "zhumadian-2022", "zhumadian-2023"} <= ids
    # the Big5 text comes back as the same simplified text as the UTF-8 original (give or take
    # the characters OpenCC's round trip does not restore)
    big5 = built["tables"]["texts"].set_index("report_id").loc["jingdezhen-2022", "text"]
    assert "景德镇" in big5 and "各位代表" in big5


def test_a_file_name_with_spaces_and_chinese_characters_is_kept_as_is(built):
    name = "驻马店 2018 年 政府工作报告.txt"
    reports = built["tables"]["reports"].set_index("source_file")
    assert name in reports.index
    assert reports.loc[name, "report_id"] == "zhumadian-2018"
    assert name.encode("utf-8") in (built["out"] / "reports.csv").read_bytes()


@pytest.mark.parametrize("copy, original, same", [("zmd2022 copy.txt", "zmd2022.txt", "bytes"), ("zmd2023-gb18030.txt", "zmd2023.txt", "clean text")])
def test_a_second_copy_is_one_duplicate_warning_and_the_original_is_kept(built, copy, original, same):
    rows = _rows(built, copy)
    assert list(rows["severity"]) == ["warning"]
    assert rows["reason"].iloc[0] == f"duplicate of {original} (same {same}); skipped"
    assert original in _kept(built) and copy not in _kept(built)


def test_a_truncated_report_is_kept_with_a_warning(built):
    assert "zmd2019-half.txt" in _kept(built)
    reasons = _rows(built, "zmd2019-half.txt", "warning")["reason"]
    assert reasons.str.contains("truncated").any()
    report_id = built["tables"]["reports"].set_index("source_file").loc["zmd2019-half.txt", "report_id"]
    assert (built["tables"]["sentences"]["report_id"] == report_id).sum() > 50


@pytest.mark.parametrize("name", ["news.txt", "novel.txt"])
def test_a_text_that_is_not_a_work_report_gets_a_warning(built, name):
    reasons = _rows(built, name, "warning")["reason"]
    assert reasons.str.contains("does not look like a government work report").any()


def test_no_sample_report_is_taken_for_a_non_report_or_a_truncated_one():
    """The two whole-report checks must stay silent on the 30 real reports."""
    raw = ROOT / "data" / "raw"
    for path in tables.list_report_files(raw):
        from govreports.read import read_raw

        parsed = tables.parse_document(read_raw(path))
        assert parsed.warnings == [], (path.name, parsed.warnings)


def test_raw_files_are_never_written(built):
    assert built["before"] == built["after"]
    assert len(built["before"]) >= 15


def _indicators_fail_for_year(monkeypatch, year: int) -> None:
    """Make the extract stage (indicators) raise ``ValueError("boom")`` for the report of one year."""
    from govreports import indicators

    real = indicators.extract_indicators

    def flaky(text, sections, sentences, meta, *args, **kwargs):
        if meta.get("report_year") == year:
            raise ValueError("boom")
        return real(text, sections, sentences, meta, *args, **kwargs)

    monkeypatch.setattr(indicators, "extract_indicators", flaky)


def test_a_parser_exception_skips_that_report_only(tmp_path, monkeypatch):
    """Reports are parsed stage by stage in chunks: one report's exception in a middle stage must
    cost that report only, not the chunk it was parsed with."""
    shutil.copy(zmd(2021), tmp_path / "a.txt")
    shutil.copy(zmd(2022), tmp_path / "b.txt")
    shutil.copy(zmd(2023), tmp_path / "c.txt")
    _indicators_fail_for_year(monkeypatch, 2022)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = tables.build_tables(tmp_path, None, progress=False)
    assert list(result["reports"]["source_file"]) == ["a.txt", "c.txt"]
    assert set(result["indicators"]["report_id"]) == set(result["reports"]["report_id"])
    failure = result["failures"].set_index("source_file").loc["b.txt"]
    assert failure["severity"] == "error" and "ValueError: boom" in failure["reason"]


def test_parse_documents_raises_or_returns_a_reports_exception(monkeypatch):
    from govreports.read import read_raw

    docs = [read_raw(zmd(2021)), read_raw(zmd(2022))]
    _indicators_fail_for_year(monkeypatch, 2021)
    with pytest.raises(ValueError, match="boom"):
        tables.parse_documents(docs)
    first, second = tables.parse_documents(docs, errors="return")
    assert isinstance(first, ValueError)
    assert isinstance(second, tables.ParsedReport) and second.metadata["report_year"] == 2022


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_reported(tmp_path):
    shutil.copy(zmd(2022), tmp_path / "ok.txt")
    locked = tmp_path / "locked.txt"
    shutil.copy(zmd(2023), locked)
    locked.chmod(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = tables.build_tables(tmp_path, None, progress=False)
    finally:
        locked.chmod(0o644)
    failure = result["failures"].set_index("source_file").loc["locked.txt"]
    assert failure["severity"] == "error" and "cannot be read" in failure["reason"]
    assert list(result["reports"]["source_file"]) == ["ok.txt"]


def test_a_corrupt_cache_entry_is_rebuilt_not_trusted(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copy(zmd(2022), raw / "a.txt")
    first = tables.build_tables(raw, out, progress=False)
    entries = list((out / "cache").glob("*.chunk"))
    assert len(entries) == 1
    entries[0].write_bytes(b"not a chunk file")
    second = tables.build_tables(raw, out, progress=False, use_cache=True, formats=("parquet",))
    # the signature is unchanged, so force the per-report path by touching the file
    os.utime(raw / "a.txt", ns=(1, 1))
    third = tables.build_tables(raw, out, progress=False)
    assert third["reports"]["report_id"].tolist() == first["reports"]["report_id"].tolist() == ["zhumadian-2022"]
    assert len(third["sentences"]) == len(first["sentences"]) == len(second["sentences"])
    with open(entries[0], "rb") as file:  # written again, whole
        assert tables._read_chunk_header(file)[0] == [first["reports"]["sha256"].iloc[0]]


# ----------------------------------------------------------------------------------------------
# streaming: batches, processes and the written files give the same tables as one pass in memory
# ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def five_reports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("five")
    for year in (2018, 2019, 2020, 2021, 2022):
        shutil.copy(zmd(year), folder / f"zmd{year}.txt")
    return folder


@pytest.fixture(scope="module")
def in_memory(five_reports):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tables.build_tables(five_reports, None, progress=False)


def _assert_same_tables(left, right):
    for name in tables.TABLE_NAMES:
        a, b = left[name], right[name]
        assert list(a.columns) == list(b.columns), name
        assert [str(t) for t in a.dtypes] == [str(t) for t in b.dtypes], name
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=True, obj=name)


def test_batches_of_two_reports_on_disk_equal_one_pass_in_memory(five_reports, in_memory, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        streamed = tables.build_tables(five_reports, tmp_path, progress=False, batch_reports=2)
    import pyarrow.parquet as pq

    assert pq.ParquetFile(tmp_path / "sentences.parquet").metadata.num_row_groups == 3  # 2 + 2 + 1 reports
    _assert_same_tables(in_memory, streamed)
    csv = pd.read_csv(tmp_path / "sentences.csv", encoding="utf-8-sig")
    assert len(csv) == len(in_memory["sentences"])
    assert csv["report_id"].tolist() == in_memory["sentences"]["report_id"].tolist()


def test_two_processes_give_the_same_tables_in_the_same_order(five_reports, in_memory):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parallel = tables.build_tables(five_reports, None, processes=2, progress=False)
    _assert_same_tables(in_memory, parallel)


def test_an_interrupted_build_leaves_no_partial_tables_and_does_not_look_current(five_reports, tmp_path, monkeypatch):
    real = tables.parse_documents
    seen = []

    def interrupt(docs, source_files=None, errors="raise"):
        seen.extend(source_files)
        if len(seen) >= 3:
            raise KeyboardInterrupt
        return real(docs, source_files, errors)

    monkeypatch.setattr(tables, "parse_documents", interrupt)
    with pytest.raises(KeyboardInterrupt), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables.build_tables(five_reports, tmp_path, progress=False, batch_reports=1)
    assert not list(tmp_path.glob("*.partial"))
    assert not tables.tables_are_current(tmp_path, raw_dir=five_reports)


def test_a_column_empty_in_the_first_batch_gets_its_type_from_later_ones(tmp_path):
    """Stable dtypes across batches even when the first batch cannot tell a column's type."""

    def fake(report_id: str, values: list) -> tables.ParsedReport:
        frame = pd.DataFrame({"slogan": pd.Series(values, dtype=object), "n_mentions": pd.Series([1] * len(values), dtype="int64")})
        return tables.ParsedReport(
            source_file=f"{report_id}.txt", sha256=report_id * 8, encoding="utf-8", metadata={}, text=report_id,
            n_chars_raw=1, script_original="simplified", unresolved_chars=0, frames={"slogans": frame}, notes=[], slug=report_id,
        )

    sink = tables._TableSink(tmp_path, ("parquet", "csv"), batch_reports=1)
    sink.add("a-2020", fake("a-2020", [None, None]))
    sink.add("b-2021", fake("b-2021", ["三个千亿", None]))
    result = sink.finish([])
    sink.commit()
    slogans = pd.read_parquet(tmp_path / "slogans.parquet")
    assert slogans["slogan"].tolist()[2] == "三个千亿"
    assert slogans["slogan"].isna().tolist() == [True, True, False, True]
    assert slogans["report_id"].tolist() == ["a-2020", "a-2020", "b-2021", "b-2021"]
    assert len(result["slogans"]) == 4


def test_a_build_on_disk_returns_tables_that_load_only_when_used(five_reports, in_memory, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = tables.build_tables(five_reports, tmp_path, progress=False)
    assert isinstance(result, tables.TableSet)
    assert result.n_rows("sentences") == len(in_memory["sentences"]) > 0
    assert "sentences" not in result._loaded  # counted from the parquet footer, not read
    assert len(result["sentences"]) == len(in_memory["sentences"])
    assert "sentences" in result._loaded
    assert set(result) == set(tables.TABLE_NAMES)


def test_pairing_targets_region_by_region_gives_the_same_table_as_all_at_once(built):
    from govreports.outcomes import targets_vs_outcomes

    reports, indicators = built["tables"]["reports"], built["tables"]["indicators"]
    assert reports["region_name"].nunique() >= 2 and reports["region_name"].isna().any()
    whole = targets_vs_outcomes(reports, indicators)
    assert len(whole) > 0
    grouped = tables.corpus_targets_vs_outcomes(reports, indicators.drop(columns=["sentence", "mention"]), group_reports=1)
    pd.testing.assert_frame_equal(whole, grouped)


def test_a_column_that_changes_type_between_batches_is_reported_not_fatal(tmp_path):
    def fake(report_id: str, counts) -> tables.ParsedReport:
        frame = pd.DataFrame({"slogan": pd.Series(["三个千亿"], dtype="string"), "n_mentions": pd.Series(counts)})
        return tables.ParsedReport(
            source_file=f"{report_id}.txt", sha256=report_id * 8, encoding="utf-8", metadata={}, text=report_id,
            n_chars_raw=1, script_original="simplified", unresolved_chars=0, frames={"slogans": frame}, notes=[], slug=report_id,
        )

    sink = tables._TableSink(tmp_path, ("parquet",), batch_reports=1)
    sink.add("a-2020", fake("a-2020", [3]))
    sink.add("b-2021", fake("b-2021", ["three"]))  # a stage bug: text where a count belongs
    result = sink.finish([])
    sink.commit()
    slogans = pd.read_parquet(tmp_path / "slogans.parquet")
    assert slogans["n_mentions"].tolist()[0] == 3 and pd.isna(slogans["n_mentions"].tolist()[1])
    problem = result["failures"].set_index("source_file").loc["slogans.parquet"]
    assert problem["severity"] == "error"
    assert "column n_mentions" in problem["reason"] and "b-2021" in problem["reason"]
