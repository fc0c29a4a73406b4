"""Tests of govreports.structure: sections and sentences.

Real reports: the level-1 headings and their types below were read off the sample texts by hand.
Crafted texts: one small report per rule.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

from govreports.clean import clean_text
from govreports.read import read_raw
from govreports.structure import (
    SECTION_COLUMNS, SENTENCE_COLUMNS, chinese_number, classify_heading, parse_sections, split_sentences,
)

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@lru_cache(maxsize=None)
def clean(relative: str) -> str:
    return clean_text(read_raw(RAW / relative).raw).text


def level1(sections: pd.DataFrame) -> list[tuple]:
    top = sections[sections["level"] == 1]
    return [(None if pd.isna(n) else n, t) for n, t in zip(top["number"], top["section_type"])]


def check_tiling(text: str, sections: pd.DataFrame) -> None:
    assert list(sections.columns) == SECTION_COLUMNS
    assert sections["section_id"].tolist() == list(range(len(sections)))
    assert sections["char_start"].is_monotonic_increasing
    top = sections[sections["level"] == 1]
    assert top["char_start"].iloc[0] == 0
    assert top["char_end"].iloc[-1] == len(text)
    assert (top["char_start"].iloc[1:].to_numpy() == top["char_end"].iloc[:-1].to_numpy()).all()
    assert (sections["n_chars"] == sections["char_end"] - sections["char_start"]).all()
    by_id = sections.set_index("section_id")
    for row in sections.itertuples():
        if row.level == 1:
            assert pd.isna(row.parent_section_id)
        else:
            parent = by_id.loc[row.parent_section_id]
            assert parent["char_start"] <= row.char_start and row.char_end <= parent["char_end"]
            assert parent["level"] < row.level


# --------------------------------------------------------------------------------------------------
# real reports
# --------------------------------------------------------------------------------------------------
REAL_LEVEL1 = {
    # file: [(number, type), …] of the level-1 sections, read by hand
    "seeds/000_b814d5e228ecd0c6.txt": [(None, "preamble"), ("一", "review"), ("二", "tasks"),
                                       (None, "closing"), (None, "glossary")],
    "seeds/001_5bcefcfac6cb166c.txt": [(None, "preamble"), ("一", "review"), ("二", "tasks"),
                                       ("三", "self_building"), (None, "closing"), (None, "glossary")],
    "seeds/002_2765e964e35d9ca5.txt": [(None, "preamble"), ("一", "review"), ("二", "tasks"),
                                       (None, "closing"), (None, "glossary")],
    "seeds/003_727519bda47afc6d.txt": [(None, "preamble"), ("一", "term_review"), ("二", "outlook"),
                                       ("三", "tasks"), ("四", "self_building"), (None, "closing")],
    "seeds/004_e664ad1d297de98d.txt": [(None, "preamble"), ("一", "review"), ("二", "tasks"),
                                       (None, "closing"), (None, "glossary")],
    "zhumadian/2002_二00二年政府工作报告.txt": [(None, "preamble"), ("一", "review"), ("二", "plan"),
                                          ("三", "tasks"), ("四", "self_building")],
    "zhumadian/2004_二00四年政府工作报告.txt": [(None, "preamble"), ("一", "review"), ("二", "plan"),
                                          ("三", "tasks"), ("四", "tasks"), ("五", "tasks"),
                                          ("六", "tasks"), ("七", "self_building")],
    "zhumadian/2007_二00七年政府工作报告.txt": [(None, "preamble"), ("一", "term_review"), ("二", "outlook"),
                                          ("三", "tasks"), (None, "closing")],
    "zhumadian/2008_二00八年政府工作报告.txt": [(None, "preamble"), ("一", "review"), ("二", "tasks"),
                                          ("三", "self_building"), (None, "closing")],
    "zhumadian/2016_二O一六年政府工作报告.txt": [(None, "preamble"), ("一", "term_review"), ("二", "review"),
                                           ("三", "tasks"), ("四", "self_building"), (None, "closing")],
    "zhumadian/2022_二0二二年政府工作报告.txt": [(None, "preamble"), ("一", "review"), ("二", "plan"),
                                          ("三", "tasks"), ("四", "self_building"), (None, "closing")],
    "zhumadian/2026_二0二六年政府工作报告.txt": [(None, "preamble"), ("一", "term_review"), ("二", "outlook"),
                                          ("三", "tasks"), (None, "closing")],
}


@pytest.mark.parametrize("relative", sorted(REAL_LEVEL1))
def test_real_level1_sections(relative):
    text = clean(relative)
    sections = parse_sections(text)
    check_tiling(text, sections)
    assert level1(sections) == REAL_LEVEL1[relative]


# number of (一)(二)… sub-sections under each numbered level-1 part, counted by hand
REAL_LEVEL2_COUNTS = {
    "seeds/000_b814d5e228ecd0c6.txt": {"一": 5, "二": 7},
    "seeds/001_5bcefcfac6cb166c.txt": {"一": 7, "二": 5, "三": 4},
    "seeds/004_e664ad1d297de98d.txt": {"一": 5, "二": 5},
    "zhumadian/2025_二0二五年政府工作报告.txt": {"一": 0, "二": 0, "三": 10},
}


@pytest.mark.parametrize("relative", sorted(REAL_LEVEL2_COUNTS))
def test_real_level2_counts(relative):
    sections = parse_sections(clean(relative))
    top = sections[sections["number"].isin(list(REAL_LEVEL2_COUNTS[relative]))]
    for number, section_id in zip(top["number"], top["section_id"]):
        kids = sections[(sections["parent_section_id"] == section_id) & (sections["level"] == 2)]
        assert len(kids) == REAL_LEVEL2_COUNTS[relative][number], number


def test_real_level3_points_in_liling():
    # 二、(一) has 1. 增强产业竞争力 / 2. 提升园区承载力 / 3. 强化项目支撑力
    sections = parse_sections(clean("seeds/001_5bcefcfac6cb166c.txt"))
    first_sub = sections[(sections["level"] == 2) & (sections["section_type"] == "tasks")].iloc[0]
    points = sections[sections["parent_section_id"] == first_sub["section_id"]]
    assert points["number"].tolist() == ["1", "2", "3"]
    assert points["title"].tolist() == ["增强产业竞争力", "提升园区承载力", "强化项目支撑力"]
    assert (points["level"] == 3).all()


def test_real_glossary_notes_are_not_sections():
    sections = parse_sections(clean("seeds/001_5bcefcfac6cb166c.txt"))
    glossary = sections[sections["section_type"] == "glossary"].iloc[0]
    assert not ((sections["char_start"] > glossary["char_start"])).any()


# --------------------------------------------------------------------------------------------------
# crafted reports
# --------------------------------------------------------------------------------------------------
PREAMBLE = "某某市政府工作报告\n——2023年1月5日在某某市第一届人民代表大会第一次会议上\n市长 张三\n各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n"


@pytest.mark.parametrize("marker", ["一、", "一.", "一．", "一，", "一 、"])
def test_level1_marker_shapes(marker):
    second = marker.replace("一", "二")
    text = PREAMBLE + f"{marker}2022年工作回顾\n过去一年，经济增长。\n{second}2023年重点工作\n抓好项目。\n"
    sections = parse_sections(text)
    assert level1(sections) == [(None, "preamble"), ("一", "review"), ("二", "tasks")]
    assert sections["title"].iloc[1] == "2022年工作回顾"


@pytest.mark.parametrize("marker", ["(一)", "（一）", "(一)、", "（ 一 ）"])
def test_level2_marker_shapes(marker):
    second = marker.replace("一", "二")
    text = PREAMBLE + f"一、2022年工作回顾\n{marker}经济平稳增长。全年增长5%。\n{second}改革持续深化。成效明显。\n"
    sections = parse_sections(text)
    subs = sections[sections["level"] == 2]
    assert subs["number"].tolist() == ["(一)", "(二)"]
    assert subs["title"].tolist() == ["经济平稳增长", "改革持续深化"]
    assert (subs["parent_section_id"] == 1).all()


def test_glued_level1_heading_is_split_from_running_text():
    text = PREAMBLE + "一、2013年工作回顾过去的一年，面对复杂形势，我们较好完成了任务。\n二、2014年政府工作主要任务今年是全面深化改革的第一年。\n"
    sections = parse_sections(text)
    assert sections["title"].tolist()[1:] == ["2013年工作回顾", "2014年政府工作主要任务"]
    sentences = split_sentences(text, sections)
    assert "一、2013年工作回顾" in sentences["text"].tolist()
    assert "过去的一年，面对复杂形势，我们较好完成了任务。" in sentences["text"].tolist()


def test_headings_glued_after_a_sentence_or_colon():
    text = PREAMBLE + "一、2022年工作回顾\n重点做好以下工作：（一）抓项目。项目增多。（二）抓改革。改革深化。\n"
    sections = parse_sections(text)
    assert sections.loc[sections["level"] == 2, "title"].tolist() == ["抓项目", "抓改革"]


def test_inline_enumeration_is_not_a_heading():
    text = PREAMBLE + "一、2022年工作回顾\n主要包括：（一）粮食生产；（二）生猪养殖。全年完成任务。\n二、2023年重点工作\n"
    sections = parse_sections(text)
    assert (sections["level"] == 1).all()


def test_enumeration_of_industries_is_not_a_level1_heading():
    text = PREAMBLE + "一、2022年工作回顾\n全市经济增长。二、三产业分别增长5%和6%。\n二、2023年重点工作\n抓项目。\n"
    sections = parse_sections(text)
    assert sections.loc[sections["level"] == 1, "number"].dropna().tolist() == ["一", "二"]
    assert sections["title"].iloc[2] == "2023年重点工作"


def test_stray_chrome_marker_loses_to_the_real_run():
    text = "一、网站导航\n" + PREAMBLE + "一、2022年工作回顾\n经济增长。\n二、2023年重点工作\n抓项目。\n"
    sections = parse_sections(text)
    assert sections["title"].iloc[1] == "2022年工作回顾"


def test_level3_points_need_a_run_of_two():
    text = PREAMBLE + (
        "一、2023年重点工作\n（一）发展产业。\n1. 增强产业竞争力。产业兴则百业兴。\n2. 提升园区承载力。园区强则县域强。\n"
        "（二）改善民生。\n1. 稳定就业。新增就业1万人。\n"
    )
    sections = parse_sections(text)
    points = sections[sections["level"] == 3]
    assert points["title"].tolist() == ["增强产业竞争力", "提升园区承载力"]
    assert (points["parent_section_id"] == 2).all()


GLOSSARY = "名词解释：\n1.“两个确立”：确立核心地位。\n2. 三保(P12)：保基本民生、保工资、保运转。\n3. 四风：形式主义、官僚主义。\n"


@pytest.mark.parametrize("header", ["名词解释：", "注 释", "《政府工作报告》注释", "名 词 解 释"])
def test_glossary_header_variants(header):
    body = PREAMBLE + "一、2022年工作回顾\n经济增长。\n二、2023年重点工作\n抓项目。\n各位代表！让我们团结奋斗，再创佳绩！\n"
    text = body + GLOSSARY.replace("名词解释：", header)
    sections = parse_sections(text)
    assert level1(sections)[-2:] == [(None, "closing"), (None, "glossary")]
    glossary = sections[sections["section_type"] == "glossary"].iloc[0]
    assert glossary["char_start"] == len(body)
    assert glossary["title"] == header


def test_glossary_without_header_is_found_by_its_notes():
    body = PREAMBLE + "一、2022年工作回顾\n经济增长。\n二、2023年重点工作\n抓项目。\n各位代表！让我们团结奋斗，再创佳绩！\n"
    text = body + GLOSSARY.split("\n", 1)[1]
    sections = parse_sections(text)
    assert sections["section_type"].iloc[-1] == "glossary"
    assert sections["char_start"].iloc[-1] == len(body)
    assert (sections["level"] == 1).all()


def test_closing_needs_the_address_or_the_call():
    body = PREAMBLE + "一、2022年工作回顾\n经济增长。\n二、加强政府自身建设\n依法行政，廉洁从政，提高效能，改进作风。\n"
    assert "closing" not in parse_sections(body)["section_type"].tolist()
    closing = "各位代表！新征程催人奋进，让我们团结一心，为实现目标而努力奋斗！\n"
    sections = parse_sections(body + closing)
    assert sections["section_type"].tolist()[-1] == "closing"
    assert sections["char_start"].iloc[-1] == len(body)


def test_types_from_heading_words():
    assert classify_heading("2021年工作回顾") == "review"
    assert classify_heading("2023年工作情况") == "review"
    assert classify_heading("本届政府工作回顾") == "term_review"
    assert classify_heading("过去五年工作回顾") == "term_review"
    assert classify_heading("“十三五”时期工作回顾") == "term_review"
    assert classify_heading("2020年工作回顾及“十三五”主要成就") == "term_review"
    assert classify_heading("“十四五”时期的奋斗目标和重点任务") == "outlook"
    assert classify_heading("今后五年的总体要求和目标任务") == "outlook"
    assert classify_heading("2024年经济社会发展总体要求和政策取向") == "plan"
    assert classify_heading("2024年政府工作任务") == "tasks"
    assert classify_heading("2022年工作安排") == "tasks"
    assert classify_heading("加强政府自身建设") == "self_building"
    assert classify_heading("名词解释") == "glossary"
    assert classify_heading("大力实施项目带动战略") is None


def test_plan_without_a_tasks_part_holds_the_tasks():
    text = PREAMBLE + "一、2007年政府的工作\n经济增长。\n二、2008年政府工作的目标任务\n今年目标是增长10%。\n"
    assert level1(parse_sections(text)) == [(None, "preamble"), ("一", "review"), ("二", "tasks")]


def test_untyped_parts_after_the_plan_are_tasks_and_level2_plan_override():
    text = PREAMBLE + (
        "一、2022年工作回顾\n经济增长。\n二、2023年工作安排\n（一）总体要求。坚持稳中求进。\n（二）主要预期目标。增长6%。\n"
        "（三）扩大有效投资。抓项目。\n三、大力推进乡村振兴\n抓农业。\n四、加强政府自身建设\n依法行政。\n"
    )
    sections = parse_sections(text)
    assert level1(sections)[1:] == [("一", "review"), ("二", "tasks"), ("三", "tasks"), ("四", "self_building")]
    subs = sections[sections["level"] == 2]
    assert subs["section_type"].tolist() == ["plan", "plan", "tasks"]


def test_report_without_headings_keeps_a_preamble_and_a_body():
    text = PREAMBLE + "过去一年，经济增长。今年要抓项目。\n"
    sections = parse_sections(text)
    assert sections["section_type"].tolist() == ["preamble", "other"]
    check_tiling(text, sections)


def test_chinese_number():
    assert [chinese_number(x) for x in ["一", "十", "十二", "二十", "二十三", "九十九", "百", ""]] == [
        1, 10, 12, 20, 23, 99, None, None]


# --------------------------------------------------------------------------------------------------
# sentences
# --------------------------------------------------------------------------------------------------
def sentences_of(body: str) -> list[str]:
    text = PREAMBLE + "一、2022年工作回顾\n" + body + "\n"
    frame = split_sentences(text, parse_sections(text))
    return frame.loc[frame["section_id"] == 1, "text"].tolist()[1:]


def test_sentences_end_at_terminators_not_at_semicolons():
    assert sentences_of("生产总值增长5%；财政收入增长6%。投资增长8%！这是为什么？") == [
        "生产总值增长5%；财政收入增长6%。", "投资增长8%！", "这是为什么？"]


def test_sentences_respect_quotes_brackets_and_ellipsis():
    assert sentences_of("坚持“疫情要防住！经济要稳住”的要求。完成任务（见附表。下同）。有困难……但前进。") == [
        "坚持“疫情要防住！经济要稳住”的要求。", "完成任务（见附表。下同）。", "有困难……但前进。"]


def test_quote_that_ends_the_sentence_stays_with_it():
    assert sentences_of("他强调：“要抓落实。”随后部署工作。") == ["他强调：“要抓落实。”", "随后部署工作。"]


def test_unbalanced_quote_does_not_swallow_the_paragraph():
    body = "“" + "很长的引文没有结束" * 20 + "。下一句话。"
    assert len(sentences_of(body)) == 2


def test_paragraph_break_always_ends_a_sentence():
    assert sentences_of("第一段没有句号\n第二段。") == ["第一段没有句号", "第二段。"]


def test_sentence_offsets_point_into_the_text():
    text = clean("seeds/000_b814d5e228ecd0c6.txt")
    sections = parse_sections(text)
    frame = split_sentences(text, sections)
    assert list(frame.columns) == SENTENCE_COLUMNS
    assert frame["sentence_id"].tolist() == list(range(len(frame)))
    assert all(text[s:e] == t for s, e, t in zip(frame["char_start"], frame["char_end"], frame["text"]))
    assert not frame["text"].str.match(r"^\s|.*\s$").any()
    assert frame["char_start"].is_monotonic_increasing
    # every sentence lies inside its section
    bounds = sections.set_index("section_id")
    starts = bounds.loc[frame["section_id"], "char_start"].to_numpy()
    ends = bounds.loc[frame["section_id"], "char_end"].to_numpy()
    assert ((starts <= frame["char_start"].to_numpy()) & (frame["char_end"].to_numpy() <= ends)).all()
    # the whole 主要预期目标 sentence stays one sentence, from GDP to income
    targets = frame[frame["text"].str.contains("主要预期目标")]
    assert len(targets) == 1
    assert "地区生产总值增长7%以上" in targets["text"].iloc[0]
    assert "城乡居民人均可支配收入" in targets["text"].iloc[0]


# --------------------------------------------------------------------------------------------------
# properties on arbitrary mixtures of report pieces
# --------------------------------------------------------------------------------------------------
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = [
    "一、2022年工作回顾\n", "二、2023年重点工作\n", "三、加强政府自身建设\n", "（一）抓项目。项目增多。\n",
    "(二)抓改革", "1. 增强竞争力。产业兴。\n", "2.提升承载力：园区强。\n", "各位代表！让我们团结奋斗！\n",
    "名词解释\n", "1.三保：保工资。\n", "坚持“稳中求进。”", "（见附表。", "……", "。", "；", "\n", " ",
    "经济增长5%，", "今年是关键之年", "？", "!", "”", "“",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_sections_tile_and_sentences_point_into_any_text(pieces):
    text = "".join(pieces)
    sections = parse_sections(text)
    check_tiling(text, sections)
    assert set(sections["section_type"]) <= set(
        ["preamble", "review", "term_review", "outlook", "plan", "tasks", "self_building", "closing",
         "glossary", "other"])
    frame = split_sentences(text, sections)
    assert all(text[s:e] == t for s, e, t in zip(frame["char_start"], frame["char_end"], frame["text"]))
    assert (frame["char_end"] > frame["char_start"]).all()
    assert (frame["char_start"].iloc[1:].to_numpy() >= frame["char_end"].iloc[:-1].to_numpy()).all()
    assert "\n" not in "".join(frame["text"])
    bounds = sections.set_index("section_id")
    starts = bounds.loc[frame["section_id"], "char_start"].to_numpy()
    ends = bounds.loc[frame["section_id"], "char_end"].to_numpy()
    assert ((starts <= frame["char_start"].to_numpy()) & (frame["char_end"].to_numpy() <= ends)).all()


def test_paragraph_opening_like_a_heading_does_not_replace_the_real_one():
    text = PREAMBLE + "一、2022年工作回顾\n一、二季度经济增长较快，下半年回落。\n二、2023年重点工作\n抓项目。\n"
    sections = parse_sections(text)
    assert sections["title"].iloc[1] == "2022年工作回顾"
    assert sections["char_start"].iloc[1] == len(PREAMBLE)


def test_open_quote_rules_apply_only_to_its_own_line():
    # the second line has an unclosed quote: its terminators inside the quote do not split; the
    # lines around it are split at every terminator
    text = "第一句。第二句！\n他说“要抓落实。要见实效。”随后部署。“没有闭合的引号。还在引号里。\n最后一句？是的。"
    assert sentences_of(text) == [
        "第一句。", "第二句！", "他说“要抓落实。要见实效。”", "随后部署。", "“没有闭合的引号。还在引号里。",
        "最后一句？", "是的。"]


def test_whitespace_table_covers_every_whitespace_character():
    # split_sentences looks whitespace up in a table that ends at U+3000
    import sys

    from govreports.structure import _BLANK
    beyond = [c for c in range(len(_BLANK) - 1, sys.maxunicode + 1) if chr(c).isspace()]
    assert beyond == []
    assert all(_BLANK[c] == chr(c).isspace() for c in range(len(_BLANK) - 1))


def test_sentence_marks_find_what_the_regex_scans_find():
    """Sentence ends, unclosed openers and paragraphs read off the character classes equal the
    regex scans they replace (the ends only without ASCII '?', which keeps the regex)."""
    import random

    import numpy as np

    from govreports.structure import (
        _C_BLANK, _LINE_NONEMPTY, _SENT_END, _UNPAIRED_OPEN, _char_classes, _marks, _paragraphs,
        _sentence_ends, _unpaired_openers,
    )

    rng = random.Random(0)
    alphabet = "?。！？!“”‘’「」『』（）()【】》\n \u3000\t中a1\U00020000"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(40))) for _ in range(5000)]
    texts += [clean(p.relative_to(RAW).as_posix()) for p in sorted(RAW.rglob("*.txt"))[:10]]
    for text in texts:
        classes = _char_classes(text)
        marks = _marks(classes)
        if "?" not in text:
            assert _sentence_ends(*marks).tolist() == [m.end() for m in _SENT_END.finditer(text)], text
        assert _unpaired_openers(*marks) == [m.start() for m in _UNPAIRED_OPEN.finditer(text)], text
        solid = np.flatnonzero((classes & _C_BLANK) == 0)
        starts, ends = _paragraphs(marks, len(text), solid)
        assert list(zip(starts.tolist(), ends.tolist())) == [m.span() for m in _LINE_NONEMPTY.finditer(text)], text


def test_marker_places_are_what_the_marker_scan_finds():
    """_any_marks tries the marker pattern only where the character classes allow a match: it finds
    what a scan of the whole text finds."""
    import random

    from govreports.structure import _ANY_MARK, _any_marks

    rng = random.Random(0)
    alphabet = "\n。！？!?：: \t\u3000一二十（()）1２٣、.．，,中a\U0001D7CE"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(30))) for _ in range(5000)]
    texts += [clean(p.relative_to(RAW).as_posix()) for p in sorted(RAW.rglob("*.txt"))[:10]]
    for text in texts:
        for end in (len(text), len(text) // 2):
            found = [(m.span(), m.lastgroup) for m in _any_marks(text, end)]
            assert found == [(m.span(), m.lastgroup) for m in _ANY_MARK.finditer(text, 0, end)], (text, end)


def test_glossary_notes_matched_line_by_line_as_by_a_scan():
    import random

    from govreports.structure import _compiled, _line_matches

    pattern = _compiled()["glossary_note"]
    rng = random.Random(0)
    alphabet = "\n \t\u30001２3.．、：:中a"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(30))) for _ in range(5000)]
    texts += [clean(p.relative_to(RAW).as_posix()) for p in sorted(RAW.rglob("*.txt"))[:10]]
    for text in texts:
        for lo in {0, 1, len(text) // 3, len(text)}:
            found = [m.span() for m in _line_matches(pattern, text, lo)]
            assert found == [m.span() for m in pattern.finditer(text, lo)], (text, lo)


def test_short_lines_are_what_the_line_pattern_finds():
    """_short_lines passes over long lines after a look at their first 21 characters: it finds the
    lines the plain pattern (a line break, then at most 20 characters besides whitespace) finds."""
    import random
    import re

    from govreports.structure import _LINE, _short_lines

    short_line = re.compile(r"\n(?P<line>[^\S\n]*(?:\S[^\S\n]*){0,20})(?=\n|\Z)")

    def reference(text: str, lo: int) -> list[tuple[int, str]]:
        found = []
        first = _LINE.match(text, lo)
        if first and len("".join(first.group().split())) <= 20:
            found.append((first.start(), first.group()))
        nl = text.find("\n", lo)
        if nl >= 0:
            found += [(m.start("line"), m.group("line")) for m in short_line.finditer(text, nl) if m.group("line")]
        return found

    rng = random.Random(0)
    alphabet = "ab \n\t\u3000中\u2028\x1c"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(80))) for _ in range(20000)]
    texts += [clean(p.relative_to(RAW).as_posix()) for p in sorted(RAW.rglob("*.txt"))[:10]]
    for text in texts:
        for lo in {0, len(text) // 3, len(text)}:
            assert _short_lines(text, lo) == reference(text, lo), (text, lo)


@pytest.mark.parametrize("pattern, first", [
    ("ab", "a"), ("(?:19|20)\\d\\d年", "12"), ("(x)y", "x"), ("a{2,3}", "a"), ("[a-c\\d]+x|y", "\\da-cy"),
    ("a?b", None), ("a{0,3}b", None), ("a|", None), ("[^a]b", None), (".a", None), ("\\bx", None),
    ("^x", None), ("(?=x)x", None), ("(?i)ab", None), ("(?i:a)b", None), ("(?a)\\dx", None),
])
def test_first_characters_of_a_pattern(pattern, first):
    from govreports.structure import _first_characters

    assert _first_characters(pattern) == first


def test_body_openers_searched_behind_their_first_characters_find_what_the_plain_pattern_finds():
    import random
    import re

    from govreports.structure import _compiled, _patterns

    plain = re.compile("|".join(f"(?:{p})" for p in _patterns()["body_openers"]))
    fast = _compiled()["body_opener"]
    assert fast.pattern != plain.pattern  # the look-ahead is in place
    pieces = ["2013年，", "2020年来", "今年", "去年", "过去的一年", "过去五年", "刚刚过去", "三年来", "这五年",
              "“十四五”时期，", "今后五年，", "做好今年", "围绕", "市委十届", "全市人民", "党的二十大", "认真贯彻",
              "年", "过", "这", "十", "“", "全", "党", "市", "委", "甲", "，", "1", "20", "9", " "]
    rng = random.Random(0)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        lo, hi = sorted((rng.randrange(len(text) + 1), rng.randrange(len(text) + 1)))
        a, b = fast.search(text, lo, hi), plain.search(text, lo, hi)
        assert (a and a.span()) == (b and b.span()), (text, lo, hi)


def test_last_long_paragraphs_read_back_equal_the_last_of_all_paragraphs():
    import random

    from govreports.structure import _last_long_paragraphs, _paragraph_spans

    rng = random.Random(1)
    pieces = ["\n", "\n\n", " ", "\u3000", "甲", "乙丙丁戊己庚辛壬癸", "各位代表", "。", "\t"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(30)))
        lo, hi = sorted((rng.randrange(len(text) + 1), rng.randrange(len(text) + 1)))
        count, min_chars = rng.randrange(1, 5), rng.randrange(0, 14)
        expected = [p for p in _paragraph_spans(text, lo, hi) if p[1] - p[0] >= min_chars][-count:]
        assert _last_long_paragraphs(text, lo, hi, count, min_chars) == expected, (text, lo, hi)
