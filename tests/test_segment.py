"""Segmentation: user dictionary, corpus words, content-term counts, jieba compatibility."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from govreports import segment

SEED_000 = Path(__file__).resolve().parents[1] / "data" / "raw" / "seeds" / "000_b814d5e228ecd0c6.txt"


def test_policy_user_dictionary_keeps_indicator_names_whole():
    tokens = segment.tokenize("全年规上工业增加值增长10.9%，推进科技创新。")
    assert "规上工业增加值" in tokens
    assert "科技创新" in tokens
    assert "科技" not in tokens


def test_tokens_cover_the_text_except_whitespace():
    text = "一、2021年工作回顾\n  我们坚持 以人民为中心。"
    assert "".join(segment.tokenize(text)) == re.sub(r"\s", "", text)
    assert "".join(segment.cut_text(text)) == text


def test_add_words_joins_a_corpus_slogan():
    text = "聚焦两地一中心建设"
    assert "两地一中心" not in segment.tokenize(text)
    assert segment.add_words(["两地一中心", "两地 一中心", "x", None]) == 1
    assert "两地一中心" in segment.tokenize(text)


def test_term_counts_keeps_han_words_of_two_or_more_characters_minus_stopwords():
    counts = segment.term_counts(["我们推进科技创新，科技创新是关键。", "的 2022年 GDP 增长8.7%"])
    as_dict = dict(zip(counts["term"], counts["n"]))
    assert as_dict["科技创新"] == 2
    assert "我们" not in as_dict  # stopword
    assert "的" not in as_dict and "2022" not in as_dict and "GDP" not in as_dict
    assert list(counts.columns) == ["term", "n"]
    assert counts["n"].is_monotonic_decreasing


def test_term_counts_of_a_sentence_frame_and_tokenize_sentences():
    sentences = pd.DataFrame(
        {"sentence_id": [0, 1], "section_id": [1, 2], "text": ["加强环境保护。", "加强环境保护，发展旅游。"]}
    )
    counts = segment.term_counts(sentences)
    assert dict(zip(counts["term"], counts["n"]))["环境保护"] == 2
    tokens = segment.tokenize_sentences(sentences)
    assert list(tokens.columns) == ["sentence_id", "tokens"]
    assert tokens["tokens"].iloc[1] == ["加强", "环境保护", "，", "发展", "旅游", "。"]


def test_rjieba_gives_jieba_tokens_on_a_real_report():
    jieba = pytest.importorskip("jieba")
    import rjieba

    jieba.setLogLevel(60)
    text = SEED_000.read_text(encoding="utf-8")
    han_paragraphs = [p for p in text.splitlines() if re.search(r"[\u4e00-\u9fff]", p)]
    plain = rjieba.Jieba()  # the default dictionary, as jieba's, without our user words
    for paragraph in han_paragraphs:
        assert plain.cut(paragraph) == jieba.lcut(paragraph) or _only_ascii_runs_differ(
            plain.cut(paragraph), jieba.lcut(paragraph)
        )


def _only_ascii_runs_differ(a: list[str], b: list[str]) -> bool:
    """The documented difference: jieba splits 2022-02-22 at '-', rjieba keeps it whole."""
    han = re.compile(r"[\u4e00-\u9fff]")
    return [t for t in a if han.search(t)] == [t for t in b if han.search(t)] and "".join(a) == "".join(b)


def test_term_counts_keep_a_reports_own_slogans_whole_without_changing_the_segmenter():
    text = "确定“三个千亿”目标，推进两地一中心建设。三个千亿是目标。"
    plain = dict(segment.term_counts(text)[["term", "n"]].itertuples(index=False))
    kept = dict(segment.term_counts(text, keep_whole=["三个千亿", "两地一中心"])[["term", "n"]].itertuples(index=False))
    assert kept["三个千亿"] == 2 and kept["两地一中心"] == 1
    assert "千亿" not in kept and "两地" not in kept
    assert kept["目标"] == plain["目标"] == 2
    # the global segmenter is untouched: the next report is cut as before
    assert dict(segment.term_counts(text)[["term", "n"]].itertuples(index=False)) == plain


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CUT_ALPHABET = st.sampled_from(
    [
        *"科技创新安全粮食环境保护发展经济建设我们的进一步三个千亿两地一中心",
        *"PMpm2.5B-_%+#&，。、“”\n\r \t",
        *["\r\n", "\ud800", "\U00020001", "\x00"],
    ]
)
_CUT_TEXT = st.lists(_CUT_ALPHABET, max_size=60).map("".join)
_SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 6)), max_size=6)


@settings(max_examples=300, deadline=None)
@given(_CUT_TEXT, _SPANS)
def test_term_counts_keeping_words_equal_the_reference_cut(text, spans):
    # the fast path reuses the whole-text cut and re-cuts only around kept words; it must count
    # exactly what cutting each stretch between kept words on its own gives
    words = [text[a : a + n] for a, n in spans]
    counts = segment.term_counts(text, keep_whole=words)
    reference = segment.count_terms(segment._cut_keeping(text, words))
    expected = sorted(reference.items(), key=lambda item: -item[1])  # stable: ties in order of first use
    assert list(zip(counts["term"], counts["n"])) == expected


@settings(max_examples=100, deadline=None)
@given(_CUT_TEXT)
def test_token_bounds_tile_the_text(text):
    tokens, bounds = segment._token_bounds(text)
    assert bounds[0] == 0 and bounds[-1] == len(text)
    assert [int(b - a) for a, b in zip(bounds[:-1], bounds[1:])] == [len(t) for t in tokens]


_WORDS = st.lists(st.lists(_CUT_ALPHABET, min_size=2, max_size=5).map("".join), max_size=6)


@settings(max_examples=300, deadline=None)
@given(_CUT_TEXT, _SPANS, _WORDS)
def test_find_words_equals_the_automaton(text, spans, extra):
    # the per-report word search (pair look-up, vectorized comparison) finds what the Aho–Corasick
    # automaton finds: leftmost-longest, non-overlapping occurrences
    words = sorted({text[a : a + n] for a, n in spans if len(text[a : a + n]) >= 2} | {w for w in extra if len(w) >= 2})
    word_index, starts = segment._find_words(segment.code_points(text), words)
    expected = segment._Literals(words).find(text) if words else ([], [])
    assert word_index.tolist() == list(expected[0]) and starts.tolist() == list(expected[1])


def test_a_kept_word_ending_in_a_newline_is_not_a_content_term():
    # a content term is two or more Han characters and nothing else: a kept word that ends in a
    # line break (a glossary term cut at the end of a line) is a token, not a term
    assert not segment.is_content_term("乡村振兴\n")
    assert segment.is_content_term("乡村振兴")
    assert segment.count_terms(["乡村振兴\n", "乡村振兴"]) == {"乡村振兴": 1}
    counts = segment.term_counts("我们推进乡村振兴\n很好。", keep_whole=["乡村振兴\n"])
    assert "乡村振兴\n" not in counts["term"].tolist()
    reference = segment.count_terms(segment._cut_keeping("我们推进乡村振兴\n很好。", ["乡村振兴\n"]))
    assert list(zip(counts["term"], counts["n"])) == sorted(reference.items(), key=lambda item: -item[1])


_HAN_TERM_CHARS = st.sampled_from(["\u3400", "\u4dbf", "\u4e00", "科", "技", "\u9fff", "\uf900", "\ufaff"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_HAN_TERM_CHARS, min_size=2, max_size=7).map("".join), min_size=1, max_size=12))
def test_term_keys_are_equal_exactly_for_equal_terms(terms):
    # terms of up to four characters are keyed by their packed characters, longer ones by number
    text = "，".join(terms)
    lengths = np.array([len(t) for t in terms], dtype=np.int64)
    starts = np.cumsum(lengths + 1) - lengths - 1
    keys = segment._term_keys(text, segment.code_points(text), starts, lengths).tolist()
    for i, a in enumerate(terms):
        for j, b in enumerate(terms):
            assert (keys[i] == keys[j]) == (a == b)


def test_term_counts_drop_stopwords_of_any_length(monkeypatch):
    # the stopword file has words of two to four characters; a longer one is matched as a string
    monkeypatch.setattr(segment, "stopwords", lambda: frozenset({"我们", "科技创新", "高质量发展", "x"}))
    segment._stopword_keys.cache_clear()
    try:
        text = "我们推动高质量发展，科技创新，高质量发展和乡村振兴，建设文明实践中心。"
        words = ["高质量发展", "乡村振兴", "文明实践中心"]
        counts = segment.term_counts(text, keep_whole=words)
        reference = segment.count_terms(segment._cut_keeping(text, words))
        assert list(zip(counts["term"], counts["n"])) == sorted(reference.items(), key=lambda item: -item[1])
        assert "高质量发展" not in counts["term"].tolist()
        assert {"乡村振兴", "文明实践中心"} <= set(counts["term"].tolist())
    finally:
        segment._stopword_keys.cache_clear()


def test_term_counts_with_a_cut_handed_over_and_a_wrong_one_refused():
    text = "确定“三个千亿”目标，推进两地一中心建设。三个千亿是目标。"
    made = segment.term_counts(text, keep_whole=["三个千亿"])
    handed = segment.term_counts(text, keep_whole=["三个千亿"], cut=segment._analyse_cut(text))
    pd.testing.assert_frame_equal(handed, made)
    with pytest.raises(ValueError):
        segment.term_counts(text, cut=segment._analyse_cut(text + "。"))
