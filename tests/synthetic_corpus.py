"""Corpora for the tests of corpus and explore.

:func:`build` makes a small hand-made corpus with the documented table columns: three short reports,
every offset computed from the text here, so the tables agree with the texts exactly as the
pipeline's tables must. :func:`sample_tables_dir` is where the real sample corpus's tables are built
once per test run (a private folder: ``data/processed`` is shared with concurrent builds).
"""
from __future__ import annotations

import atexit
import functools
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from govreports.corpus import Corpus

REPORT_2021 = (
    "测试市政府工作报告\n"
    "各位代表：现在，我代表市人民政府向大会报告工作。\n"
    "一、2020年工作回顾\n"
    "生产总值增长3.6%，固定资产投资增长6.5%。数字经济加快发展。\n"
    "（一）数字化转型\n"
    "数字经济核心产业增加值增长12%。数字乡村建设起步。\n"
    "二、2021年工作安排\n"
    "主要预期目标是：生产总值增长8%左右，固定资产投资力争增长7%以上，居民消费价格涨幅控制在3%以内。"
    "大力发展数字经济，推动A<B>&C型企业上云。\n"
)

REPORT_2022 = (
    "测试市政府工作报告\n"
    "各位代表：\n"
    "一、2021年工作回顾\n"
    "生产总值增长7.9%，固定资产投资增长7.2%。\n"
    "二、2022年工作安排\n"
    "主要预期目标是：生产总值增长7%-7.5%，城镇新增就业5万人。数字经济占比提高。\n"
)

REPORT_COUNTY = (
    "样例县政府工作报告\n"
    "一、2022年工作回顾\n"
    "全县生产总值增长5%。\n"
)

_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")


def _sections(text: str, specs: list[tuple]) -> pd.DataFrame:
    """specs: (section_id, parent_section_id, level, number, title, section_type, heading)."""
    rows = []
    starts = [0 if heading is None else text.index(heading) for *_, heading in specs]
    for i, (section_id, parent, level, number, title, section_type, heading) in enumerate(specs):
        start = starts[i]
        # a section runs to the next section of the same or a higher level (parents span children)
        end = len(text)
        for j in range(i + 1, len(specs)):
            if specs[j][2] <= level or level == 0:
                end = starts[j]
                break
        rows.append(
            {
                "section_id": section_id,
                "parent_section_id": parent,
                "level": level,
                "number": number,
                "title": title,
                "section_type": section_type,
                "char_start": start,
                "char_end": end,
                "n_chars": end - start,
            }
        )
    frame = pd.DataFrame(rows)
    return frame.astype({"parent_section_id": "Int64"})


def _deepest(sections: pd.DataFrame, pos: int) -> int:
    covering = sections[(sections["char_start"] <= pos) & (pos < sections["char_end"])]
    return int(covering.sort_values(["level", "char_start"]).iloc[-1]["section_id"])


def _sentences(text: str, sections: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for i, match in enumerate(_SENTENCE.finditer(text)):
        rows.append(
            {
                "sentence_id": i,
                "section_id": _deepest(sections, match.start()),
                "paragraph_idx": text.count("\n", 0, match.start()),
                "char_start": match.start(),
                "char_end": match.end(),
                "text": match.group(),
            }
        )
    return pd.DataFrame(rows)


def _indicators(text: str, sentences: pd.DataFrame, sections: pd.DataFrame, specs: list[dict]) -> pd.DataFrame:
    rows = []
    for spec in specs:
        mention = spec["mention"]
        start = text.index(mention)
        end = start + len(mention)
        sentence = sentences[(sentences["char_start"] <= start) & (start < sentences["char_end"])].iloc[0]
        rows.append(
            {
                "indicator_code": spec["indicator_code"],
                "indicator_name": spec["indicator_name"],
                "mention": mention,
                "kind": spec["kind"],
                "year": spec["year"],
                "period_start": pd.NA,
                "measure": spec.get("measure", "growth"),
                "value": spec.get("value"),
                "value_high": spec.get("value_high"),
                "unit": spec.get("unit", "%"),
                "qualifier": spec.get("qualifier"),
                "constraint": spec.get("constraint"),
                "relative_to": pd.NA,
                "section_id": int(sentence["section_id"]),
                "sentence_id": int(sentence["sentence_id"]),
                "char_start": start,
                "char_end": end,
                "sentence": sentence["text"],
            }
        )
    return pd.DataFrame(rows)


def _report_row(report_id, text, **meta) -> dict:
    row = {
        "report_id": report_id,
        "source_file": f"synthetic/{report_id}.txt",
        "sha256": "0" * 64,
        "encoding": "utf-8",
        "title": meta.get("title", "政府工作报告"),
        "region_name": None,
        "region_level": None,
        "province_name": None,
        "parent_name": None,
        "region_code": None,
        "report_year": None,
        "review_year": None,
        "delivered_date": None,
        "speaker_name": None,
        "speaker_title": None,
        "congress_session": None,
        "is_term_review": None,
        "script_original": "simplified",
        "n_chars_raw": len(text),
        "n_chars_clean": len(text),
        "unresolved_chars": 0,
    }
    row.update(meta)
    return row


GDP = {"indicator_code": "gdp", "indicator_name": "地区生产总值"}
FAI = {"indicator_code": "fixed_asset_investment", "indicator_name": "固定资产投资"}
CPI = {"indicator_code": "cpi", "indicator_name": "居民消费价格"}
JOBS = {"indicator_code": "new_urban_jobs", "indicator_name": "城镇新增就业"}


def build() -> Corpus:
    """The synthetic corpus: 测试市 2021 and 2022 (a prefecture) and 样例县 2022 (a county)."""
    specs = {
        "ceshi-2021": (
            REPORT_2021,
            [
                (0, None, 0, "", "", "preamble", None),
                (1, None, 1, "一", "2020年工作回顾", "review", "一、2020年工作回顾"),
                (2, 1, 2, "(一)", "数字化转型", "other", "（一）数字化转型"),
                (3, None, 1, "二", "2021年工作安排", "plan", "二、2021年工作安排"),
            ],
            [
                GDP | dict(kind="actual", year=2020, value=3.6, mention="生产总值增长3.6%", constraint="exact"),
                FAI | dict(kind="actual", year=2020, value=6.5, mention="固定资产投资增长6.5%", constraint="exact"),
                GDP | dict(kind="target", year=2021, value=8.0, mention="生产总值增长8%左右", qualifier="左右", constraint="approx"),
                FAI
                | dict(
                    kind="target", year=2021, value=7.0, mention="固定资产投资力争增长7%以上", qualifier="力争以上", constraint="floor"
                ),
                CPI | dict(kind="target", year=2021, value=3.0, mention="居民消费价格涨幅控制在3%以内", qualifier="控制在以内", constraint="ceiling"),
            ],
            dict(
                region_name="测试市",
                region_level="prefecture",
                province_name="某省",
                report_year=2021,
                review_year=2020,
                delivered_date="2021-02-27",
                speaker_name="张三",
                speaker_title="市长",
                congress_session="第四届人民代表大会第七次会议",
                is_term_review=False,
            ),
        ),
        "ceshi-2022": (
            REPORT_2022,
            [
                (0, None, 0, "", "", "preamble", None),
                (1, None, 1, "一", "2021年工作回顾", "review", "一、2021年工作回顾"),
                (2, None, 1, "二", "2022年工作安排", "plan", "二、2022年工作安排"),
            ],
            [
                GDP | dict(kind="actual", year=2021, value=7.9, mention="生产总值增长7.9%", constraint="exact"),
                FAI | dict(kind="actual", year=2021, value=7.2, mention="固定资产投资增长7.2%", constraint="exact"),
                GDP | dict(kind="target", year=2022, value=7.0, value_high=7.5, mention="生产总值增长7%-7.5%", constraint="range"),
                JOBS
                | dict(kind="target", year=2022, value=5.0, unit="万人", measure="level", mention="城镇新增就业5万人", constraint="exact"),
            ],
            dict(
                region_name="测试市",
                region_level="prefecture",
                province_name="某省",
                report_year=2022,
                review_year=2021,
                delivered_date=None,
                speaker_name="<script>alert(1)</script>",
                speaker_title="代市长",
                is_term_review=False,
            ),
        ),
        "yangli-2023": (
            REPORT_COUNTY,
            [
                (0, None, 0, "", "", "preamble", None),
                (1, None, 1, "一", "2022年工作回顾", "review", "一、2022年工作回顾"),
            ],
            [GDP | dict(kind="actual", year=2022, value=5.0, mention="全县生产总值增长5%", constraint="exact")],
            dict(region_name="样例县", region_level="county", report_year=2023, review_year=2022),
        ),
    }
    reports, texts, sections_all, sentences_all, indicators_all, repairs = [], [], [], [], [], []
    for report_id, (text, section_specs, indicator_specs, meta) in specs.items():
        sections = _sections(text, section_specs)
        sentences = _sentences(text, sections)
        indicators = _indicators(text, sentences, sections, indicator_specs)
        reports.append(_report_row(report_id, text, **meta))
        texts.append({"report_id": report_id, "text": text})
        sections_all.append(sections.assign(report_id=report_id))
        sentences_all.append(sentences.assign(report_id=report_id))
        indicators_all.append(indicators.assign(report_id=report_id))
    repairs = pd.DataFrame(
        [
            {"report_id": "ceshi-2021", "kind": "page_chrome", "count": 3, "chars": 40, "example_raw": "返回首页", "example_clean": ""},
            {"report_id": "ceshi-2021", "kind": "pinyin_gloss", "count": 2, "chars": 12, "example_raw": "鎮(zhèn)", "example_clean": "镇"},
        ]
    )
    reports = pd.DataFrame(reports).astype({"report_year": "Int64", "review_year": "Int64", "is_term_review": "boolean"})
    reports.loc[reports["report_id"] == "ceshi-2021", "unresolved_chars"] = 2

    def first(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[["report_id"] + [c for c in frame.columns if c != "report_id"]]

    empty = pd.DataFrame({"report_id": pd.Series(dtype="string")})
    tables = {
        "reports": reports,
        "texts": pd.DataFrame(texts),
        "sections": first(pd.concat(sections_all, ignore_index=True)),
        "sentences": first(pd.concat(sentences_all, ignore_index=True)),
        "indicators": first(pd.concat(indicators_all, ignore_index=True)),
        "repairs": repairs,
        "footnotes": pd.DataFrame(columns=["report_id", "marker", "char_pos", "context"]),
        "glossary": empty,
        "attention": empty,
        "attention_terms": empty,
        "slogans": empty,
        "term_counts": empty,
        "targets_vs_outcomes": empty,
        "failures": pd.DataFrame(
            [{"source_file": "synthetic/ceshi-2021.txt", "severity": "note", "reason": "2 character(s) could not be <recovered>"}]
        ),
    }
    return Corpus(tables=tables)


@functools.lru_cache(maxsize=1)
def sample_tables_dir() -> Path:
    """A private, temporary ``data/processed`` for the sample corpus, shared by the test modules."""
    folder = Path(tempfile.mkdtemp(prefix="govreports-sample-tables-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
