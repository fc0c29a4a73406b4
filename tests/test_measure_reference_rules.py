"""Measure-stage shortcuts against the straightforward rules they stand for."""
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from govreports import attention, segment, slogans

_CHARS = st.sampled_from([*"科技创新安全粮食环境ab", "\x00", "\uffff", "\U00020001"])
_TEXT = st.lists(_CHARS, max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT, st.lists(st.tuples(st.integers(0, 80), st.integers(2, 14)), max_size=8),
       st.lists(st.lists(_CHARS, min_size=2, max_size=14).map("".join), max_size=4))
def test_find_words_with_long_words_equals_the_automaton(text, spans, extra):
    # a word table's padding and chunk counts come from its longest word: words of up to fourteen
    # characters (several chunks, the last moved back), at the end of the text too
    words = sorted({text[a : a + n] for a, n in spans if len(text[a : a + n]) >= 2} | set(extra))
    word_index, starts = segment._find_words(segment.code_points(text), words)
    expected = segment._Literals(words).find(text) if words else ([], [])
    assert word_index.tolist() == list(expected[0]) and starts.tolist() == list(expected[1])


def _painted_scopes(n_chars: int, sections: pd.DataFrame) -> list[int]:
    """The rule: sections painted shallow to deep (then by start, then in table order), each with the
    scope of its type or, failing one, of its nearest typed ancestor."""
    rows = sections.to_dict("records")
    by_id = {row["section_id"]: row for row in rows}

    def scope_of(row, depth=0) -> int:
        own = attention._SCOPE_INDEX_OF_TYPE.get(row["section_type"], 0)
        parent = row["parent_section_id"]
        if own or pd.isna(parent) or parent not in by_id or depth >= 50:
            return own
        return scope_of(by_id[parent], depth + 1)

    scopes = [0] * n_chars
    for row in sorted(rows, key=lambda row: (row["level"], row["char_start"])):
        for k in range(row["char_start"], min(row["char_end"], n_chars)):
            scopes[k] = scope_of(row)
    return scopes


_SECTION = st.tuples(st.integers(1, 3), st.integers(0, 30), st.integers(0, 12),
                     st.sampled_from(["review", "tasks", "plan", "other", "preamble", "term_review"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(_SECTION, min_size=1, max_size=8), st.data())
def test_char_scopes_equal_the_painted_sections(rows, data):
    # sections of equal level and start (overlapping, empty ones too) are painted in table order
    parents = [data.draw(st.one_of(st.none(), st.integers(0, len(rows) - 1))) for _ in rows]
    sections = pd.DataFrame(
        {
            "section_id": np.arange(len(rows), dtype=np.int64),
            "parent_section_id": pd.array(parents, dtype="Int64"),
            "level": np.array([level for level, _, _, _ in rows], dtype=np.int64),
            "section_type": pd.array([kind for _, _, _, kind in rows], dtype="string"),
            "char_start": np.array([start for _, start, _, _ in rows], dtype=np.int64),
            "char_end": np.array([start + length for _, start, length, _ in rows], dtype=np.int64),
        }
    )
    assert attention._char_scopes(40, sections).tolist() == _painted_scopes(40, sections)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["三个千亿", "两地一中心", "3+5+X", "十四五", "六稳六保", "千亿时代", "四群八链", "双减"]),
                max_size=8, unique=True))
def test_slogan_numbers_are_the_numbered_count_or_the_national_list(phrases):
    table = slogans._slogan_frame(phrases, [1] * len(phrases), None)
    national = slogans._national_lookup()
    expected = [national[p][1] if p in national else slogans.numbered_count(p) for p in phrases]
    assert [None if pd.isna(v) else int(v) for v in table["number"]] == expected
    assert table["number"].array._data.tolist() == [1 if v is None else v for v in expected]
