"""Segmentation: user dictionary, corpus words, content-term counts, jieba compatibility."""
from __future__ import annotations

import re
from pathlib import Path

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
