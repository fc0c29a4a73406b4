"""Tests of govreports.glossary: numbered notes and their links to the body.

Note counts and terms of the sample reports were read off the texts by hand.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

from govreports.clean import clean_text
from govreports.glossary import GLOSSARY_COLUMNS, extract_glossary
from govreports.read import read_raw
from govreports.structure import parse_sections

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@lru_cache(maxsize=None)
def glossary_of_file(relative: str) -> pd.DataFrame:
    result = clean_text(read_raw(RAW / relative).raw)
    return extract_glossary(result.text, parse_sections(result.text), result.footnotes)


def glossary_of(text: str, footnotes: pd.DataFrame | None = None) -> pd.DataFrame:
    return extract_glossary(text, parse_sections(text), footnotes)


# --------------------------------------------------------------------------------------------------
# real reports
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("relative,n_notes", [
    ("seeds/000_b814d5e228ecd0c6.txt", 14),   # 注 释, notes 1–14
    ("seeds/001_5bcefcfac6cb166c.txt", 41),   # 名词解释, notes 1–41 with page references (P12)
    ("seeds/002_2765e964e35d9ca5.txt", 30),   # 《政府工作报告》注释, notes 1–30
    ("seeds/003_727519bda47afc6d.txt", 0),    # no glossary
    ("seeds/004_e664ad1d297de98d.txt", 24),   # 名 词 解 释, notes 1–24
    ("zhumadian/2022_二0二二年政府工作报告.txt", 0),
])
def test_real_note_counts(relative, n_notes):
    glossary = glossary_of_file(relative)
    assert list(glossary.columns) == GLOSSARY_COLUMNS
    assert len(glossary) == n_notes
    if n_notes:
        assert glossary["note_number"].tolist() == list(range(1, n_notes + 1))


@pytest.mark.parametrize("relative,number,term", [
    ("seeds/000_b814d5e228ecd0c6.txt", 1, "千吨万人"),          # “千吨万人”: outer quotes removed
    ("seeds/000_b814d5e228ecd0c6.txt", 14, "七种能力"),
    ("seeds/001_5bcefcfac6cb166c.txt", 27, "一主两特"),          # 一主两特(P12): page reference removed
    ("seeds/001_5bcefcfac6cb166c.txt", 32, "“两高”项目"),        # inner quotes kept
    ("seeds/002_2765e964e35d9ca5.txt", 1, "四个老城区"),
    ("seeds/004_e664ad1d297de98d.txt", 1, "KPL"),
])
def test_real_terms(relative, number, term):
    glossary = glossary_of_file(relative).set_index("note_number")
    assert glossary.loc[number, "term"] == term


def test_real_note_is_linked_to_its_one_body_mention():
    # "在四个老城区1中排名第一" is the only place the body uses note 1: one mention, whether the
    # cleaner lifted the marker (a marker link) or not (a plain mention)
    row = glossary_of_file("seeds/002_2765e964e35d9ca5.txt").set_index("note_number").loc[1]
    assert row["n_mentions"] == 1
    assert row["n_mentions"] == row["n_marker_links"] + row["n_plain_mentions"]


def test_real_offsets_point_at_the_notes():
    result = clean_text(read_raw(RAW / "seeds/001_5bcefcfac6cb166c.txt").raw)
    glossary = extract_glossary(result.text, parse_sections(result.text), result.footnotes)
    for number, start, end in zip(glossary["note_number"], glossary["char_start"], glossary["char_end"]):
        assert result.text[start:end].startswith(str(number))


# --------------------------------------------------------------------------------------------------
# crafted reports
# --------------------------------------------------------------------------------------------------
BODY = (
    "各位代表：\n一、2022年工作回顾\n全面落实“两个确立”，坚持“三保”优先，纠治四风。\n"
    "二、2023年重点工作\n保障“三保”支出。\n各位代表！让我们团结奋斗，再创佳绩！\n"
)


def test_note_shapes():
    text = BODY + (
        "名词解释\n"
        "1.“两个确立”：确立核心地位。\n"
        "2. 三保(P12):保基本民生、保工资、保运转。\n"
        "3、四风（P13）：形式主义、官僚主义、享乐主义和奢靡之风。\n"
        "这一行没有编号，是页面尾巴\n"
    )
    glossary = glossary_of(text)
    assert glossary["note_number"].tolist() == [1, 2, 3]
    assert glossary["term"].tolist() == ["两个确立", "三保", "四风"]
    assert glossary["definition"].tolist() == ["确立核心地位。", "保基本民生、保工资、保运转。", "形式主义、官僚主义、享乐主义和奢靡之风。"]
    assert glossary["n_plain_mentions"].tolist() == [1, 2, 1]
    assert glossary["n_marker_links"].tolist() == [0, 0, 0]
    assert glossary["n_mentions"].tolist() == [1, 2, 1]


def test_marker_links_are_not_counted_twice():
    body = BODY
    text = body + "注 释\n1.“两个确立”：确立核心地位。\n2.三保：保基本民生。\n3.四风：形式主义。\n"
    after_first = body.index("“两个确立”") + len("“两个确立”")   # marker lifted right after the term
    after_sanbao = body.index("“三保”优先") + len("“三保”")
    footnotes = pd.DataFrame({"marker": [1, 2], "char_pos": [after_first, after_sanbao],
                              "context": ["两个确立", "三保"]})
    glossary = glossary_of(text, footnotes).set_index("note_number")
    assert (glossary.loc[1, "n_marker_links"], glossary.loc[1, "n_plain_mentions"]) == (1, 0)
    # 三保: one marker place + one more plain mention in 二、
    assert (glossary.loc[2, "n_marker_links"], glossary.loc[2, "n_plain_mentions"]) == (1, 1)
    assert glossary.loc[2, "n_mentions"] == 2


def test_numbers_must_increase():
    text = BODY + "名词解释\n1.三保：包括：\n1.保基本民生：指低保。\n2.四风：形式主义。\n"
    glossary = glossary_of(text)
    assert glossary["note_number"].tolist() == [1, 2]
    assert glossary["term"].tolist() == ["三保", "四风"]


def test_no_glossary_gives_an_empty_typed_frame():
    glossary = glossary_of(BODY)
    assert list(glossary.columns) == GLOSSARY_COLUMNS
    assert len(glossary) == 0
    assert str(glossary["note_number"].dtype) == "Int64"


def test_numbered_points_in_the_body_are_not_notes():
    text = BODY.replace("保障“三保”支出。", "（一）发展产业。\n1. 增强产业竞争力：产业兴则百业兴。\n2. 提升园区承载力：园区强。\n")
    assert len(glossary_of(text)) == 0


def test_numbered_task_list_with_colons_is_not_an_unheaded_glossary():
    tasks = "".join(f"{i}. 任务{i}：做好第{i}项工作。\n" for i in range(1, 5))
    text = BODY.replace("保障“三保”支出。\n", "（一）发展产业。\n" + tasks + "（二）改善民生。\n保障“三保”支出。\n")
    sections = parse_sections(text)
    assert "glossary" not in sections["section_type"].tolist()
    assert sections["section_type"].iloc[-1] == "closing"
