"""Slogans: quoted and numbered candidates, counts, national formulas, glossary links."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govreports import attention, slogans
from govreports.clean import clean_text
from govreports.read import read_raw

ROOT = Path(__file__).resolve().parents[1]
SEED_000 = ROOT / "data" / "raw" / "seeds" / "000_b814d5e228ecd0c6.txt"


def _by_slogan(table: pd.DataFrame) -> dict[str, dict]:
    return {row["slogan"]: row for row in table.to_dict("records")}


@pytest.mark.parametrize(
    ("slogan", "count"),
    [
        ("三个千亿", 3), ("五个一批", 5), ("3+5+X", 3), ("两地一中心", 2), ("四群八链", 4),
        ("十大战略", 10), ("十五景、三宴、三剧", 15), ("双创", 2), ("9+15+N", 9),
        ("十四五", None), ("千亿时代", None), ("二分之一", None), ("一流营商环境", None),
        ("5020", None), ("5G+", None), ("万人助万企", None), ("互联网+", None),
    ],
)
def test_numbered_count(slogan, count):
    assert slogans.numbered_count(slogan) == count


def test_quoted_candidates_are_short_and_slogan_like():
    text = (
        "确定“三个千亿”目标，编制《“十四五”制造业高质量发展规划》，牢记“民之所忧，我必念之”，"
        "获评“中国文旅融合创新发展示范城市”，推进「四群八链」。"
    )
    found = slogans.find_slogan_candidates(text)
    assert "三个千亿" in found and "十四五" in found and "四群八链" in found
    assert not any("民之所忧" in s for s in found)  # a quoted sentence
    assert "中国文旅融合创新发展示范城市" not in found  # 14 characters: a title, not a slogan


def test_unquoted_parallel_numbered_phrases():
    text = "推进四群八链建设，一心一意谋发展，千方百计稳就业，学习十八大和十八届三中全会精神，推动长三角一体化。"
    found = slogans.find_slogan_candidates(text)
    assert "四群八链" in found
    assert not any(s in found for s in ["一心一意", "千方百计", "十八大和", "三角一体"])


def test_slogan_inside_slogan_and_national_formulas():
    text = "坚持“六稳六保”，做好六稳工作，全面落实六保任务，聚焦“两 地一中心”。"
    table = _by_slogan(slogans.extract_slogans(text, None, None))
    assert table["六稳六保"]["n_mentions"] == 1
    assert table["六稳"]["n_mentions"] == 2  # once alone, once inside 六稳六保
    assert table["六保"]["n_mentions"] == 2
    assert table["六稳"]["is_national_formula"] and table["六稳"]["number"] == 6
    assert table["两地一中心"]["n_mentions"] == 1  # whitespace inside the quote ignored
    assert not table["两地一中心"]["is_national_formula"]
    assert pd.isna(table["两地一中心"]["in_glossary"])  # no glossary given: unknown


def test_a_theme_term_inside_a_slogan_counts_for_both():
    text = "打造“数字经济示范区”。"
    table = _by_slogan(slogans.extract_slogans(text, None, None))
    assert table["数字经济示范区"]["n_mentions"] == 1
    attention_table, _ = attention.measure_attention(text, None, None)
    row = attention_table[(attention_table["theme_code"] == "digital_government") & (attention_table["scope"] == "all")]
    assert int(row["n_hits"].iloc[0]) == 1


def test_traditional_text_after_cleaning():
    text = clean_text("堅持「六穩六保」，推進「兩地一中心」建設。").text
    table = _by_slogan(slogans.extract_slogans(text, None, None))
    assert "六稳六保" in table and table["六稳六保"]["is_national_formula"]
    assert table["两地一中心"]["number"] == 2


# The notes of seeds/000 (景德镇 2022), read in the text: 13 is “两个确立”, 7 “五个一批”, 11 “七个位”,
# 6 “2+4”, 3 校园安防“四个一”.
SEED_000_GLOSSARY_TERMS = [
    (1, "千吨万人"), (2, "2021年十件民生实事全面完成"), (3, "校园安防“四个一”"), (4, "一室三中心"),
    (5, "一极、两带、三点"), (6, "2+4"), (7, "五个一批"), (8, "高大上、链群配"), (9, "全国文明典范城市"),
    (10, "四尘三烟三气"), (11, "七个位"), (12, "2022年十件民生实事"), (13, "两个确立"), (14, "七种能力"),
]


@pytest.fixture(scope="module")
def seed_000_text() -> str:
    return clean_text(read_raw(SEED_000).raw).text


def test_real_report_slogans(seed_000_text):
    glossary = pd.DataFrame(SEED_000_GLOSSARY_TERMS, columns=["note_number", "term"])
    table = _by_slogan(slogans.extract_slogans(seed_000_text, None, glossary))
    # 三个千亿: 确定“三个千亿”目标, the heading (二)聚焦聚力“三个千亿”, 锚定“三个千亿”目标
    assert table["三个千亿"]["n_mentions"] == 3
    assert table["三个千亿"]["number"] == 3 and table["三个千亿"]["is_numbered"]
    assert not table["三个千亿"]["in_glossary"] and not table["三个千亿"]["is_national_formula"]
    # 两地一中心: the heading (一)聚焦聚力“两地一中心” and 围绕“两地一中心”战略定位
    assert table["两地一中心"]["n_mentions"] == 2 and table["两地一中心"]["number"] == 2
    # 两个确立: 捍卫“两个确立” in the text and note 13 (no note spans given, so the note counts)
    assert table["两个确立"]["n_mentions"] == 2
    assert table["两个确立"]["is_national_formula"] and table["两个确立"]["in_glossary"]
    assert table["五个一批"]["in_glossary"] and table["五个一批"]["number"] == 5
    assert table["七个位"]["in_glossary"] and table["七个位"]["number"] == 7
    assert table["四个一"]["in_glossary"]  # quoted inside the glossary term 校园安防“四个一”
    assert table["3+1+X"]["is_numbered"] and table["3+1+X"]["number"] == 3


def test_glossary_note_spans_are_not_mentions(seed_000_text):
    start = seed_000_text.index("13.“两个确立”")
    end = seed_000_text.index("\n", start)
    definition = "确立习近平同志党中央的核心、全党的核心地位"
    assert definition in seed_000_text[start:end]
    glossary = pd.DataFrame(
        {"note_number": [13], "term": ["两个确立"], "definition": [definition], "char_start": [start], "char_end": [end]}
    )
    table = _by_slogan(slogans.extract_slogans(seed_000_text, None, glossary))
    assert table["两个确立"]["n_mentions"] == 1  # only 捍卫“两个确立”


def test_output_columns_and_dtypes(seed_000_text):
    table = slogans.extract_slogans(seed_000_text, None, None)
    assert list(table.columns) == slogans.SLOGAN_COLUMNS
    assert str(table["n_mentions"].dtype) == "Int64" and str(table["is_numbered"].dtype) == "boolean"
    assert table.loc[table["number"].notna(), "is_numbered"].all()  # a count implies numbered
    assert table.loc[~table["is_numbered"].astype(bool), "number"].isna().all()
    assert (table["n_mentions"] > 0).all()


def test_with_the_real_glossary_stage(seed_000_text):
    glossary_stage = pytest.importorskip("govreports.glossary")
    structure = pytest.importorskip("govreports.structure")
    cleaned = clean_text(read_raw(SEED_000).raw)
    sections = structure.parse_sections(cleaned.text)
    glossary = glossary_stage.extract_glossary(cleaned.text, sections, cleaned.footnotes)
    table = _by_slogan(slogans.extract_slogans(cleaned.text, None, glossary))
    # read in the text: 捍卫“两个确立” is the one mention outside note 13
    assert table["两个确立"]["n_mentions"] == 1 and table["两个确立"]["in_glossary"]
    # 推进“五个一批”⑦ is the one mention outside note 7
    assert table["五个一批"]["n_mentions"] == 1 and table["五个一批"]["in_glossary"]
    assert table["三个千亿"]["n_mentions"] == 3 and not table["三个千亿"]["in_glossary"]
    assert "一室" not in table  # quoted only inside note 4's definition


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("“”「」\"《》，。、 \n一二两三四五六七八九十百千万双个地中心稳保0123+X")), max_size=120))
def test_any_text_gives_slogans_that_occur_in_it(text):
    table = slogans.extract_slogans(text, None, None)
    compact = "".join(text.split())
    for slogan, n in zip(table["slogan"], table["n_mentions"]):
        assert compact.count(slogan) == n > 0
        assert slogans.MIN_SLOGAN_CHARS <= len(slogan)


def test_a_quoted_place_name_or_common_word_is_not_a_slogan():
    text = "谱写中国式现代化“浔阳”篇章，建设“驻马店市”，坚持“我们”的路，实施“三个千亿”工程。浔阳发展。"
    found = set(slogans.extract_slogans(text)["slogan"])
    assert "三个千亿" in found
    assert not found & {"浔阳", "驻马店市", "我们"}


def test_a_slogan_with_a_lone_surrogate_is_kept_with_the_replacement_character_and_the_report_is_stored():
    """A lone surrogate (an undecodable byte a lenient decoder kept) is an unknown character, as
    U+FFFD is: the slogan stays, written with U+FFFD, and the report parses and packs."""
    from govreports import tables
    from govreports.read import RawDocument

    raw = ("某市政府工作报告\n——2023年1月5日在某市第十七届人民代表大会第三次会议上\n市长 张三\n各位代表：\n"
           "现在，我代表市人民政府向大会报告工作，请予审议。\n一、2022年工作回顾\n"
           + "".join(f"我们实施“三大\ud800工程”，推进“五个\udc80提升”行动，全年增长{i}%。\n" for i in range(4))
           + "名词解释：\n1.三大\ud800工程：指水利、交通、能源三项工程。\n")
    doc = RawDocument(path=Path("x.txt"), raw=raw, encoding="utf-8", sha256="0" * 64, n_bytes=len(raw))
    parsed = tables.parse_document(doc)
    packed = tables.pack_report(parsed)
    table = _by_slogan(parsed.frames["slogans"])
    assert table["三大\ufffd工程"]["n_mentions"] == 4 and table["五个\ufffd提升"]["n_mentions"] == 4
    assert packed.tables["slogans"].num_rows == len(parsed.frames["slogans"])
    for name, frame in parsed.frames.items():  # no string column holds a surrogate
        for column in frame.columns:
            if frame[column].dtype == object or str(frame[column].dtype).startswith("string"):
                "".join(str(v) for v in frame[column].dropna()).encode("utf-8")


def test_slogans_of_a_text_with_a_lone_surrogate_are_written_with_the_replacement_character():
    """extract_slogans on a text that was not cleaned: same slogans as on the cleaned text."""
    text = "我们实施“三大\ud800工程”，推进三大\ud800工程。"
    table = slogans.extract_slogans(text)
    assert list(table["slogan"]) == ["三大\ufffd工程"] and list(table["n_mentions"]) == [2]
    "".join(table["slogan"]).encode("utf-8")


@given(st.text(alphabet=st.sampled_from(list("双减一二三地中心ab \n") + ["😀", "\ud800", "\U00020000", "\uffff"]),
               max_size=80))
def test_pair_hashes_of_16_bit_units_equal_those_of_the_code_points(text):
    import numpy as np

    codes = np.array([ord(c) for c in text], dtype=np.uint32)
    expected = ((codes[:-1] * np.uint32(40503) + codes[1:]) & np.uint32(0xFFFF)).tolist()
    assert slogans._PairIndex(text)._hashes.tolist() == expected


@given(st.text(alphabet=st.sampled_from(list("一二两三四五六七八九十双百第0群链免补大心意a \n") + ["😀"]), max_size=80))
def test_parallel_phrases_tried_at_numeral_pairs_equal_a_scan_of_the_text(text):
    expected = [m.span() for m in slogans._PARALLEL4.finditer(text)]
    assert [m.span() for m in slogans._parallel_phrases(slogans._PairIndex(text))] == expected


@given(st.text(alphabet=st.sampled_from(list("双减一二地中心ab") + ["😀", "\ud800"]), max_size=80),
       st.lists(st.text(alphabet=st.sampled_from(list("双减一二地中心ab") + ["😀"]), min_size=1, max_size=5),
                max_size=12))
def test_mentions_counted_through_the_index_equal_str_count(text, phrases):
    counts = slogans._count_mentions(slogans._PairIndex(text), phrases)
    assert counts == [text.count(phrase) for phrase in phrases]


_WHITESPACE = [c for c in map(chr, range(0x3001)) if c.isspace()]


@given(st.text(alphabet=st.sampled_from(list("双减一二地中心ab\n") + _WHITESPACE + ["😀", "\ud800", "\uffff"]), max_size=80))
def test_compact_index_is_the_text_without_whitespace(text):
    assert slogans._compact_index(text).text == "".join(text.split())


@given(st.lists(st.sampled_from(["“三个千亿”", "“双 减”", "四群八链", "六稳六保", "两地一中心", "。", "\n", "“我们”"]), max_size=12))
def test_slogan_table_order_and_columns(pieces):
    """Most mentioned first, then in order of discovery; the dtypes and the <NA> of in_glossary."""
    text = "".join(pieces)
    compact = slogans._compact_index(text)
    candidates = slogans._find_candidates(text, compact)
    counts = slogans._count_mentions(compact, candidates)
    expected = [s for _, _, s in sorted((-n, i, s) for i, (s, n) in enumerate(zip(candidates, counts)) if n)]
    table = slogans.extract_slogans(text)
    assert list(table["slogan"]) == expected
    assert list(table.dtypes.astype(str)) == ["string", "Int64", "boolean", "Int64", "boolean", "boolean"]
    assert table["in_glossary"].isna().all()
    with_glossary = slogans.extract_slogans(text, glossary=pd.DataFrame({"term": pd.array(["三个千亿"], dtype="string")}))
    assert list(with_glossary["in_glossary"]) == [s == "三个千亿" for s in expected]


def test_non_count_word_heads_equal_a_loop_over_the_words():
    """A parallel phrase's second half (a numeral and a character) starts a non-count word or is
    started by one: the set of word heads answers as the loop over the words did."""
    by_first = slogans._non_count_words_by_first_char()
    heads = slogans._non_count_word_heads()
    characters = {c for word in slogans._non_count_words() for c in word} | set("群链免补大心意a")
    for numeral in slogans._PARALLEL_NUMERALS:
        for character in characters:
            second = numeral + character
            expected = any(second.startswith(w) or w.startswith(second) for w in by_first.get(second[0], ()))
            assert (second in heads or second[0] in heads) == expected, second
