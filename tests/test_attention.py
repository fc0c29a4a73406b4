"""Policy attention: longest-match counting, scopes, theme files, real report counts."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govreports import attention
from govreports.clean import clean_text
from govreports.read import read_raw

ROOT = Path(__file__).resolve().parents[1]
SEED_000 = ROOT / "data" / "raw" / "seeds" / "000_b814d5e228ecd0c6.txt"

REQUIRED_THEMES = {
    "environment", "digital_economy", "science_innovation", "livelihood", "opening_trade",
    "rural_agriculture", "security_risk", "party_discipline", "culture_tourism", "urban_development",
}


def _write_theme(folder: Path, code: str, terms: list[str]) -> None:
    body = "\n".join(terms)
    (folder / f"{code}.csv").write_text(
        f"# theme_code: {code}\n# theme_name: {code}名\n# source: our own\nterm\n{body}\n", encoding="utf-8"
    )


@pytest.fixture()
def crafted_themes(tmp_path: Path) -> pd.DataFrame:
    _write_theme(tmp_path, "sci", ["科技", "创新", "科技创新"])
    _write_theme(tmp_path, "rural", ["粮食安全", "乡村"])
    _write_theme(tmp_path, "safety", ["安全", "安全生产"])
    _write_theme(tmp_path, "green", ["PM2.5", "B2B", "乡村"])
    return attention.load_themes(tmp_path)


def _hits(text: str, themes: pd.DataFrame) -> dict[str, int]:
    table, _ = attention.measure_attention(text, None, None, themes=themes)
    rows = table[table["scope"] == "all"]
    return dict(zip(rows["theme_code"], rows["n_hits"].astype(int)))


def test_longest_match_counts_a_compound_once(crafted_themes):
    assert _hits("推进科技创新", crafted_themes)["sci"] == 1
    assert _hits("科技和创新", crafted_themes)["sci"] == 2
    # non-overlapping, left to right: 科技创新 then 创新
    assert _hits("科技创新创新", crafted_themes)["sci"] == 2


def test_longest_match_across_themes(crafted_themes):
    hits = _hits("保障粮食安全，抓好安全生产和安全。", crafted_themes)
    assert hits["rural"] == 1  # 粮食安全, not 安全
    assert hits["safety"] == 2  # 安全生产 once, 安全 once


def test_a_term_of_two_themes_counts_for_both(crafted_themes):
    hits = _hits("建设美丽乡村", crafted_themes)
    assert hits["rural"] == 1 and hits["green"] == 1


def test_latin_terms_case_insensitive_and_not_inside_longer_runs(crafted_themes):
    assert _hits("PM2.5浓度和pm2.5", crafted_themes)["green"] == 2
    assert _hits("发展B2B2C模式", crafted_themes)["green"] == 0
    assert _hits("发展b2b模式", crafted_themes)["green"] == 1


def test_attention_terms_breakdown(crafted_themes):
    _, terms = attention.measure_attention("科技创新，科技创新，创新", None, None, themes=crafted_themes)
    assert list(terms.columns) == ["theme_code", "term", "n_hits"]
    sci = terms[terms["theme_code"] == "sci"]
    assert dict(zip(sci["term"], sci["n_hits"].astype(int))) == {"科技创新": 2, "创新": 1}


def _crafted_report():
    # review part (section 1 with a subsection 2 that inherits review), tasks part (section 3)
    text = "一、工作回顾\n（一）科技\n推进科技创新。保障粮食安全。\n二、今年任务\n抓好安全生产。加强创新。"
    i_sub, i_tasks = text.index("（一）"), text.index("二、")
    sections = pd.DataFrame(
        {
            "section_id": [0, 1, 2, 3],
            "parent_section_id": pd.array([pd.NA, pd.NA, 1, pd.NA], dtype="Int64"),
            "level": [1, 1, 2, 1],
            "number": [pd.NA, "一", "(一)", "二"],
            "title": [pd.NA, "工作回顾", "科技", "今年任务"],
            "section_type": ["preamble", "review", "other", "tasks"],
            "char_start": [0, 0, i_sub, i_tasks],
            "char_end": [0, i_tasks, i_tasks, len(text)],
        }
    )
    spans = []
    for sentence in ["一、工作回顾", "（一）科技", "推进科技创新。", "保障粮食安全。", "二、今年任务", "抓好安全生产。", "加强创新。"]:
        start = text.index(sentence)
        spans.append((start, start + len(sentence), sentence))
    section_of = [1, 2, 2, 2, 3, 3, 3]
    sentences = pd.DataFrame(
        {
            "sentence_id": range(len(spans)),
            "section_id": section_of,
            "paragraph_idx": [0, 1, 2, 2, 3, 4, 4],
            "char_start": [s for s, _, _ in spans],
            "char_end": [e for _, e, _ in spans],
            "text": [t for _, _, t in spans],
        }
    )
    return text, sections, sentences


def test_scopes_review_and_plan_tasks(crafted_themes):
    text, sections, sentences = _crafted_report()
    table, _ = attention.measure_attention(text, sections, sentences, themes=crafted_themes)
    sci = table[table["theme_code"] == "sci"].set_index("scope")
    # 科技 (heading) + 科技创新 in review, 创新 in tasks
    assert sci.loc["all", "n_hits"] == 3
    assert sci.loc["review", "n_hits"] == 2
    assert sci.loc["plan+tasks", "n_hits"] == 1
    # non-whitespace characters: 一、工作回顾 + （一）科技 + 推进科技创新。保障粮食安全。 = 6 + 5 + 14
    assert sci.loc["review", "n_chars"] == 25
    assert sci.loc["all", "n_chars"] == len(text.replace("\n", ""))
    # sentences with a hit: review 2 of 4 (（一）科技, 推进科技创新。), tasks 1 of 3 (加强创新。)
    assert sci.loc["review", "sentence_share"] == pytest.approx(2 / 4)
    assert sci.loc["plan+tasks", "sentence_share"] == pytest.approx(1 / 3)
    assert sci.loc["all", "hits_per_10k_chars"] == pytest.approx(3 * 10_000 / sci.loc["all", "n_chars"])
    assert sci.loc["all", "token_share"] == pytest.approx(3 / sci.loc["all", "n_tokens"])


def test_missing_scope_is_na_not_zero(crafted_themes):
    text, sections, sentences = _crafted_report()
    sections = sections.assign(section_type=["preamble", "other", "other", "tasks"])
    table, _ = attention.measure_attention(text, sections, sentences, themes=crafted_themes)
    review = table[table["scope"] == "review"]
    assert review["n_hits"].isna().all()
    assert review["hits_per_10k_chars"].isna().all()
    assert (table.loc[table["scope"] == "plan+tasks", "n_hits"].notna()).all()


def test_output_columns_and_dtypes():
    table, terms = attention.measure_attention("加强环境保护。", None, None)
    assert list(table.columns) == attention.ATTENTION_COLUMNS
    assert str(table["n_hits"].dtype) == "Int64" and str(table["token_share"].dtype) == "Float64"
    assert len(table) == 3 * table["theme_code"].nunique()


def test_package_themes_are_documented_and_complete():
    themes = attention.load_themes()
    assert REQUIRED_THEMES <= set(themes["theme_code"])
    assert themes.groupby("theme_code")["source"].first().str.len().gt(0).all()
    assert themes.groupby("theme_code")["theme_name"].first().str.len().gt(0).all()
    environment = set(themes.loc[themes["theme_code"] == "environment", "term"])
    assert environment == {
        "环境保护", "环保", "污染", "能耗", "减排", "排污", "生态", "绿色", "低碳", "空气",
        "化学需氧量", "二氧化硫", "二氧化碳", "PM10", "PM2.5",
    }


def test_traditional_text_after_cleaning():
    text = clean_text("推進科技創新，加強環境保護，防治大氣汙染。").text
    hits = _hits(text, attention.load_themes())
    assert hits["science_innovation"] == 1
    assert hits["environment"] == 2  # 环境保护, 污染


def test_real_report_term_counts_read_by_hand():
    # Read in the text of seeds/000: 疫情 occurs twice, as 抓好疫情防控 and 做好常态化疫情防控;
    # 环保 twice (中央环保督察, 节能环保 in note 6); 污染 twice (污染防治攻坚战, 土壤污染).
    text = clean_text(read_raw(SEED_000).raw).text
    _, terms = attention.measure_attention(text, None, None)
    security_rows = terms[terms["theme_code"] == "security_risk"]
    security = dict(zip(security_rows["term"], security_rows["n_hits"]))
    assert security.get("疫情防控") == 1 and security.get("常态化疫情防控") == 1
    assert "疫情" not in security
    environment_rows = terms[terms["theme_code"] == "environment"]
    environment = dict(zip(environment_rows["term"], environment_rows["n_hits"]))
    assert environment["环保"] == 2 and environment["污染"] == 2


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_report_like_text = st.text(
    alphabet=st.sampled_from([*"科技创新安全粮食环境保护污染PMpm2.5B“”「」，。、\n 一二三四五六七八九十个两双0123456789+X", "\ud800"]),
    max_size=200,
)


@settings(max_examples=60, deadline=None)
@given(_report_like_text)
def test_any_text_gives_consistent_counts(text):
    table, terms = attention.measure_attention(text, None, None)
    everything = table[table["scope"] == "all"]
    if everything["n_chars"].iloc[0] > 0:
        assert (everything["n_hits"] >= 0).all()
        # per-term hits add up to the theme's hits
        by_theme = terms.groupby("theme_code")["n_hits"].sum()
        for code, n in zip(everything["theme_code"], everything["n_hits"]):
            assert by_theme.get(code, 0) == n
    else:
        assert everything["n_hits"].isna().all()


def _trie_regex_hits(matcher: attention.ThemeMatcher, text: str) -> list[tuple[int, str]]:
    """The reference scan: the trie regex, then the Latin-edge rule."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text.translate(attention._ASCII_LOWER)
    hits = []
    for m in matcher.pattern.finditer(lowered):
        start, key = m.start(), m.group()
        end = start + len(key)
        alnum_before = start > 0 and attention._ASCII_ALNUM.match(text[start - 1])
        alnum_after = end < len(text) and attention._ASCII_ALNUM.match(text[end])
        if key in matcher.latin_edged_keys and (alnum_before or alnum_after):
            continue
        hits.append((start, key))
    return hits


@settings(max_examples=200, deadline=None)
@given(_report_like_text)
def test_the_automaton_finds_what_the_trie_regex_finds(text):
    matcher = attention.default_matcher()
    assert matcher.find(text) == _trie_regex_hits(matcher, text)


def test_the_automaton_on_a_real_report():
    text = clean_text(read_raw(SEED_000).raw).text
    matcher = attention.default_matcher()
    hits = matcher.find(text)
    assert len(hits) > 100 and hits == _trie_regex_hits(matcher, text)


def test_a_cut_handed_over_gives_the_same_tables_and_a_wrong_one_is_refused():
    from govreports import segment
    from govreports.structure import parse_sections, split_sentences

    text = clean_text(read_raw(SEED_000).raw).text
    sections = parse_sections(text)
    sentences = split_sentences(text, sections)
    cut = segment._analyse_cut(segment.sentences_text(sentences))
    for made, handed in zip(
        attention.measure_attention(text, sections, sentences),
        attention.measure_attention(text, sections, sentences, cut=cut),
    ):
        pd.testing.assert_frame_equal(handed, made)
    with pytest.raises(ValueError):
        attention.measure_attention(text, sections, sentences, cut=segment._analyse_cut(text))
