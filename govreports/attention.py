"""Stage 5b — policy attention: how much of a report each policy theme takes up.

Researchers measure what a government pays attention to by counting the words of a theme
dictionary in its work report (陈诗一 & 陈登科 2018 divide the count of fifteen environment words by
the report's word count). This module does that for every theme file in ``lexicons/themes/``.

Rules
-----
Themes are data
    One CSV file per theme in ``lexicons/themes/`` with a header comment (``# theme_code:``,
    ``# theme_name:``, ``# source:`` — a citation or "our own" — and ``# note:`` lines) and a
    ``term`` column. Every ``*.csv`` file of the folder is loaded, so a researcher adds a theme by
    adding a file. A term may belong to several themes; a hit of it then counts for each of them.
Longest match, non-overlapping, across all themes
    All terms of all themes are compiled into one matcher (a vectorized search of the terms'
    character pairs and chunks, see ``segment._occurrences``; the equivalent regular expression
    shaped as a character trie, alternatives tried longest first, is kept as
    ``ThemeMatcher.pattern``). The text is scanned left to right; at each position the
    longest term that starts there is taken and the scan resumes after it (leftmost-longest, the
    way a reader splits the text). So 科技创新 counts once (for 科技创新), not as 科技 + 创新, and
    粮食安全 counts for the theme that lists 粮食安全, not for 安全. Latin letters match case-
    insensitively (PM2.5, pm2.5: terms and text are matched with ASCII letters lower-cased); a
    term that starts or ends with a Latin letter is not counted inside a longer run of Latin
    letters and digits (B2B is not counted in B2B2C).
Scopes
    ``all`` is the whole clean text; ``review`` the sections whose ``section_type`` is ``review`` or
    ``term_review`` (what was done); ``plan+tasks`` those typed ``plan`` or ``tasks`` (what will be
    done). A section whose type is none of these (a level-2 part typed ``other``) takes the scope
    of its nearest ancestor that has one; outlook, self_building, closing, glossary and preamble
    sections at level 1 are only in ``all``.
    A scope the report does not have (no section of that type) gives ``n_hits`` and all rates <NA>.
Denominators
    ``n_chars`` counts the non-whitespace characters of the scope (spacing and line breaks of web
    pages vary; the characters do not). ``n_tokens`` counts the word tokens of the scope's
    sentences from :mod:`govreports.segment` (tokens that start with a letter, digit or Han
    character; punctuation is not a word); the sentences' joined text is the string that
    ``segment.term_counts`` cuts, so a report is segmented once. Without sentences the whole text
    is cut. ``token_share = n_hits / n_tokens`` is the 陈诗一 & 陈登科 ratio (term frequency
    over the report's word count); ``hits_per_10k_chars`` does not depend on the segmenter;
    ``sentence_share`` is the share of the scope's sentences with at least one hit — a measure that
    a long list of terms in one sentence cannot inflate.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from govreports import segment
from govreports.frames import (
    ARROW_STRINGS,
    arrow_string_array,
    code_points,
    column_array,
    column_labels,
    float_array,
    frame,
    plain_columns,
)

ATTENTION_COLUMNS = [
    "theme_code",
    "theme_name",
    "scope",
    "n_hits",
    "n_chars",
    "n_tokens",
    "hits_per_10k_chars",
    "token_share",
    "sentence_share",
]
ATTENTION_TERM_COLUMNS = ["theme_code", "term", "n_hits"]
THEME_COLUMNS = ["theme_code", "theme_name", "source", "term"]
_ATTENTION_LABELS = column_labels(ATTENTION_COLUMNS)
_ATTENTION_TERM_LABELS = column_labels(ATTENTION_TERM_COLUMNS)

SCOPES = ("all", "review", "plan+tasks")
#: section_type → scope; every other type (preamble, government building, notes…) is only in "all".
SCOPE_OF_SECTION_TYPE = {
    "review": "review",
    "term_review": "review",
    "plan": "plan+tasks",
    "tasks": "plan+tasks",
}

_WHITESPACE_CODES = np.array([ord(c) for c in " \t\n\r\f\v\u3000\xa0\u2002\u2003\u200b"], dtype=np.uint32)
_LATIN = re.compile(r"[A-Za-z]")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_ASCII_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})


# ----------------------------------------------------------------------------------- themes
def _parse_theme_file(text: str, fallback_code: str) -> tuple[dict[str, str], list[str]]:
    header: dict[str, str] = {}
    body: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            key, sep, value = stripped.lstrip("#").partition(":")
            if sep and key.strip() in {"theme_code", "theme_name", "source"}:
                header[key.strip()] = value.strip()
        elif stripped:
            body.append(stripped)
    header.setdefault("theme_code", fallback_code)
    header.setdefault("theme_name", header["theme_code"])
    header.setdefault("source", "")
    rows = list(csv.DictReader(io.StringIO("\n".join(body))))
    if rows and "term" not in rows[0]:
        raise ValueError(f"theme file {fallback_code}: no 'term' column")
    terms = [r["term"].strip() for r in rows if r.get("term") and r["term"].strip()]
    return header, terms


def load_themes(folder: str | Path | None = None) -> pd.DataFrame:
    """Read every theme file of a folder (default: the package's ``lexicons/themes``).

    Parameters
    ----------
    folder : path, optional
        A folder of ``<theme_code>.csv`` files in the package format, to use other dictionaries.

    Returns
    -------
    DataFrame
        ``theme_code, theme_name, source, term`` (strings) — one row per theme × term, themes in
        file-name order, terms in file order, duplicates within a theme dropped.
    """
    if folder is None:
        root = resources.files("govreports").joinpath("lexicons", "themes")
        files = sorted((f for f in root.iterdir() if f.name.endswith(".csv")), key=lambda f: f.name)
    else:
        files = sorted(Path(folder).glob("*.csv"))
    records = []
    seen_codes: set[str] = set()
    for f in files:
        header, terms = _parse_theme_file(f.read_text(encoding="utf-8"), f.name[: -len(".csv")])
        code = header["theme_code"]
        if code in seen_codes:
            raise ValueError(f"theme_code {code!r} is defined by two files")
        seen_codes.add(code)
        for term in dict.fromkeys(terms):
            records.append((code, header["theme_name"], header["source"], term))
    return pd.DataFrame.from_records(records, columns=THEME_COLUMNS).astype("string")


# ---------------------------------------------------------------------------------- matcher
def _trie_regex(words: list[str]) -> str:
    """A regex matching any of ``words``, longest alternative first (a character trie)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        is_end = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if is_end:
            # greedy optional: the longer continuation is tried first, the word end is the fallback
            return ("(?:" + body + ")?") if len(branches) == 1 else body + "?"
        return body

    return emit(trie)


@dataclass(frozen=True)
class ThemeMatcher:
    """Compiled dictionary of all themes (built once per set of themes)."""

    pattern: re.Pattern
    theme_codes: tuple[str, ...]
    theme_names: tuple[str, ...]
    term_of_key: dict  # term with ASCII lower-cased → the term as written in the theme file
    themes_of_key: dict  # term with ASCII lower-cased → tuple of theme indices
    latin_edged_keys: frozenset
    keys: tuple  # sorted keys; key_index maps a key to its position
    key_index: dict
    terms: tuple  # the term as written, per key position
    labels: dict  # theme_code, theme_name, scope columns of the attention table
    # Derived once from the fields above (see __post_init__): the scan itself with the trie
    # regex's semantics (leftmost-longest, non-overlapping), several times faster on a whole
    # report — the vectorized word search of the segmenter (segment._find_words) when every key
    # has two or more characters (the package themes), else an Aho–Corasick automaton; the themes
    # of key k as key_themes[key_theme_start[k]:key_theme_start[k + 1]]; the label columns, and the
    # scope of each attention row (the rows are theme × scope, so a per-scope count is taken by it).
    word_table: segment._WordTable | None = field(init=False, repr=False, compare=False)
    automaton: segment._Literals | None = field(init=False, repr=False, compare=False)
    key_theme_start: np.ndarray = field(init=False, repr=False, compare=False)
    key_themes: np.ndarray = field(init=False, repr=False, compare=False)
    key_is_latin_edged: np.ndarray = field(init=False, repr=False, compare=False)
    label_arrays: dict = field(init=False, repr=False, compare=False)
    scope_of_row: np.ndarray = field(init=False, repr=False, compare=False)
    code_and_term_strings: pa.Array = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        def derive(name: str, value) -> None:
            object.__setattr__(self, name, value)  # the dataclass is frozen

        keys = list(self.keys)
        word_search = bool(keys) and min(map(len, keys)) >= 2
        derive("word_table", segment._word_table(keys) if word_search else None)
        # the contiguous NFA, not the DFA: between reports the other stages evict the DFA's larger
        # tables from the CPU caches, and in the pipeline the compact NFA scans a report faster
        derive("automaton", segment._Literals(keys, dfa=False) if keys and not word_search else None)
        themes = [self.themes_of_key[k] for k in keys]
        derive("key_theme_start", np.concatenate([[0], np.cumsum([len(t) for t in themes])]).astype(np.int64))
        derive("key_themes", np.array([t for ts in themes for t in ts], dtype=np.int64))
        derive("key_is_latin_edged", np.array([k in self.latin_edged_keys for k in keys], dtype=bool))
        derive("label_arrays", {name: column.array for name, column in self.labels.items()})
        derive("scope_of_row", np.tile(np.arange(len(SCOPES)), len(self.theme_codes)))
        derive("code_and_term_strings", pa.array([*self.theme_codes, *self.terms], type=pa.large_string()))

    def code_and_term_columns(self, theme_index: np.ndarray, key_index: np.ndarray) -> tuple:
        """The ``theme_code`` of each theme index and the ``term`` of each key index, as two
        string columns: one Arrow take from the matcher's array of all codes then all terms, sliced
        (new arrays; one take costs less than two, or than converting Python strings)."""
        n = len(theme_index)
        taken = self.code_and_term_strings.take(np.concatenate([theme_index, key_index + len(self.theme_codes)]))
        if not ARROW_STRINGS:
            values = taken.to_pylist()
            return pd.array(values[:n], dtype="string"), pd.array(values[n:], dtype="string")
        return arrow_string_array(taken.slice(0, n)), arrow_string_array(taken.slice(n))

    def label_columns(self) -> dict[str, pd.Series]:
        """``theme_code, theme_name, scope`` of the attention rows (built once, reused)."""
        return self.labels

    def find(self, text: str) -> list[tuple[int, str]]:
        """``(char_start, key)`` of every leftmost-longest, non-overlapping term hit."""
        key_index, starts = self.find_arrays(text)
        keys = self.keys
        return [(start, keys[k]) for k, start in zip(key_index.tolist(), starts.tolist())]

    def find_arrays(self, text: str, codes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`find` as arrays: the key index (position in ``keys``) and start of every hit.

        ``codes``, the text's code points (``code_points(text)``) if the caller has them.
        """
        if self.word_table is not None:
            key_index, starts = segment._find_words(_lowered_codes(text, codes), self.word_table)
        elif self.automaton is not None:
            key_index, starts = self.automaton.find(_lowered(text))
        else:  # no keys
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        edged = np.flatnonzero(self.key_is_latin_edged[key_index])
        if len(edged):
            n = len(text)
            drop = []
            for i, k, start in zip(edged.tolist(), key_index[edged].tolist(), starts[edged].tolist()):
                end = start + len(self.keys[k])
                if (start > 0 and _ASCII_ALNUM.match(text[start - 1])) or (end < n and _ASCII_ALNUM.match(text[end])):
                    drop.append(i)
            if drop:
                keep = np.ones(len(starts), dtype=bool)
                keep[drop] = False
                key_index, starts = key_index[keep], starts[keep]
        return key_index, starts


def _lowered(text: str) -> str:
    """The text as the matcher reads it: lower-cased, or with ASCII letters only lower-cased when a
    character's lower case is longer (İ), so that offsets stay those of the text."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


_NO_LOWER_CODE = 0xFFFFFFFF


@lru_cache(maxsize=1)
def _lower_code_table() -> np.ndarray:
    """Per BMP code point, the code point of its lower case; ``_NO_LOWER_CODE`` where
    ``str.lower`` does not map one character to one: U+0130 (İ, two characters), U+03A3 (Σ, whose
    lower case depends on the next character), and U+FFFF (code points beyond the BMP are clipped
    to it). Built on first use (some 10 ms)."""
    table = np.array([ord(chr(c).lower()) if len(chr(c).lower()) == 1 else _NO_LOWER_CODE for c in range(0x10000)],
                     dtype=np.uint32)
    table[[0x3A3, 0xFFFF]] = _NO_LOWER_CODE
    table.flags.writeable = False
    return table


def _lowered_codes(text: str, codes: np.ndarray | None = None) -> np.ndarray:
    """``code_points(_lowered(text))``: in the usual text (BMP, no İ or Σ) one table look-up per
    code point (``codes``, the text's, if the caller has them), not a new string and its code points."""
    if codes is None:
        codes = code_points(text)
    lowered = _lower_code_table().take(codes, mode="clip")
    if len(lowered) and lowered.max() == _NO_LOWER_CODE:
        return code_points(_lowered(text))
    return lowered


def _build_matcher(themes: pd.DataFrame) -> ThemeMatcher:
    codes = tuple(dict.fromkeys(themes["theme_code"].tolist()))
    names = tuple(themes.drop_duplicates("theme_code")["theme_name"].tolist())
    index_of_code = {c: i for i, c in enumerate(codes)}
    themes_of_key: dict[str, set[int]] = {}
    term_of_key: dict[str, str] = {}
    for code, term in zip(themes["theme_code"].tolist(), themes["term"].tolist()):
        key = term.translate(_ASCII_LOWER)
        themes_of_key.setdefault(key, set()).add(index_of_code[code])
        term_of_key.setdefault(key, term)
    keys = sorted(themes_of_key)
    pattern = re.compile(_trie_regex(keys)) if keys else re.compile(r"(?!x)x")
    latin_edged = frozenset(k for k in keys if _LATIN.match(k[0]) or _LATIN.match(k[-1]))
    return ThemeMatcher(
        pattern=pattern,
        theme_codes=codes,
        theme_names=names,
        term_of_key=term_of_key,
        themes_of_key={k: tuple(sorted(v)) for k, v in themes_of_key.items()},
        latin_edged_keys=latin_edged,
        keys=tuple(keys),
        key_index={k: i for i, k in enumerate(keys)},
        terms=tuple(term_of_key[k] for k in keys),
        labels={
            "theme_code": pd.Series(np.repeat(codes, len(SCOPES)), dtype="string"),
            "theme_name": pd.Series(np.repeat(names, len(SCOPES)), dtype="string"),
            "scope": pd.Series(np.tile(SCOPES, len(codes)), dtype="string"),
        },
    )


@lru_cache(maxsize=1)
def default_matcher() -> ThemeMatcher:
    """The matcher of the package themes (compiled on first use)."""
    return _build_matcher(load_themes())


_CUSTOM_MATCHERS: dict[tuple, ThemeMatcher] = {}


def _matcher_for(themes: pd.DataFrame | None) -> ThemeMatcher:
    """The package matcher, or one for researcher-given themes (compiled once per theme set)."""
    if themes is None:
        return default_matcher()
    key = tuple(zip(themes["theme_code"].tolist(), themes["theme_name"].tolist(), themes["term"].tolist()))
    matcher = _CUSTOM_MATCHERS.get(key)
    if matcher is None:
        if len(_CUSTOM_MATCHERS) >= 8:
            _CUSTOM_MATCHERS.clear()
        matcher = _CUSTOM_MATCHERS[key] = _build_matcher(themes)
    return matcher


def find_theme_terms(text: str, themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every theme-term hit in a text (leftmost-longest, non-overlapping), for reading in context.

    Returns
    -------
    DataFrame
        ``char_start, char_end`` (int), ``term`` (str), ``theme_code`` (str) — one row per hit and
        theme (a term listed by two themes gives two rows).
    """
    matcher = _matcher_for(themes)
    rows = []
    for start, key in matcher.find(text):
        term = matcher.term_of_key[key]
        for t in matcher.themes_of_key[key]:
            rows.append((start, start + len(key), term, matcher.theme_codes[t]))
    return pd.DataFrame.from_records(rows, columns=["char_start", "char_end", "term", "theme_code"]).astype(
        {"char_start": "int64", "char_end": "int64", "term": "string", "theme_code": "string"}
    )


# ---------------------------------------------------------------------------------- scopes
_SCOPE_INDEX_OF_TYPE = {t: SCOPES.index(scope) for t, scope in SCOPE_OF_SECTION_TYPE.items()}


def _scope_of_sections(ids: list, parent_ids: list, section_types: list) -> dict[int, int]:
    """section_id → scope index (1 review, 2 plan+tasks, 0 neither), inherited from ancestors.

    The lists hold plain values (:func:`frames.plain_columns`): a missing parent is ``None`` (or
    NaN in a float column).
    """
    if not ids:
        return {}
    parents = dict(zip(ids, parent_ids))
    own = {sid: _SCOPE_INDEX_OF_TYPE.get(t, 0) for sid, t in zip(ids, section_types)}
    resolved: dict[int, int] = {}

    def resolve(sid, depth: int = 0) -> int:
        if sid in resolved:
            return resolved[sid]
        value = own.get(sid, 0)
        parent = parents.get(sid)
        if not value and parent is not None and parent == parent and depth < 50:  # (NaN != NaN)
            value = resolve(int(parent), depth + 1)
        resolved[sid] = value
        return value

    for sid in ids:
        resolve(sid)
    return resolved


def _char_scopes(n_chars: int, sections: pd.DataFrame | None) -> np.ndarray:
    """Scope index of every character: sections painted shallow to deep, so the deepest wins."""
    scopes = np.zeros(n_chars, dtype=np.int8)
    if sections is None or not len(sections):
        return scopes
    ids, parent_ids, section_types, levels, starts, ends = plain_columns(
        sections, ["section_id", "parent_section_id", "section_type", "level", "char_start", "char_end"]
    )
    scope_of_section = _scope_of_sections(ids, parent_ids, section_types)
    # (a few dozen sections, by level then start, in table order at equal ones: the index decides)
    for _, _, _, start, end, sid in sorted(zip(levels, starts, range(len(ids)), starts, ends, ids)):
        start, end = int(start), int(end)
        scope = scope_of_section.get(sid, 0)
        if scope:
            scopes[start:end] = scope
        elif start < end:
            scopes[start:end] = 0
    return scopes


def _count_per_scope(mask: np.ndarray, scope: np.ndarray, n_scopes: int) -> np.ndarray:
    """How many ``mask`` entries are set: in all (index 0), and with each scope ``1 … n_scopes-1``
    (a count per scope without selecting the entries: cheaper than a bincount of the selection)."""
    counts = np.zeros(n_scopes, dtype=np.int64)
    counts[0] = np.count_nonzero(mask)
    for s in range(1, n_scopes):
        counts[s] = np.count_nonzero(mask & (scope == s))
    return counts


def _code_table(ranges: list[tuple[int, int]], size: int) -> np.ndarray:
    table = np.zeros(size, dtype=bool)
    for lo, hi in ranges:
        table[lo : hi + 1] = True
    return table


#: per code point up to U+3000 (the last whitespace code; larger ones are the False at the end)
_IS_WHITESPACE = _code_table([(int(c), int(c)) for c in _WHITESPACE_CODES], int(_WHITESPACE_CODES.max()) + 2)
def _tokens_per_scope(
    cut: segment._CutAnalysis, s_len: np.ndarray | None, scope: np.ndarray, n_scopes: int
) -> np.ndarray:
    """Word tokens per scope.

    With sentences, ``cut`` is the cut of their joined text (``segment.sentences_text``) — the
    same string ``segment.term_counts`` cuts, so a report is segmented once — ``s_len`` their
    lengths and ``scope`` the scope of each sentence: a token counts for the sentence it starts in
    (sentence ``k`` and its newline are ``joined[b[k]:b[k+1]]``, ``b`` the running sum of
    ``s_len + 1``). The word tokens of each sentence are the difference of a running count of
    word tokens at the sentences' first tokens (one search of the sorted token offsets per
    sentence, not a scope per character). Without sentences ``cut`` is the clean text's, ``s_len``
    is None and ``scope`` the scope of each character.
    """
    starts = cut.bounds[:-1]
    # (take: a quarter faster than indexing, as for the other gathers of a whole report's arrays)
    is_word = (cut.flags.take(starts) & segment._WORD_START) != 0  # a letter, digit or Han character first
    if s_len is None:
        return _count_per_scope(is_word, scope.take(starts), n_scopes)
    words_before = np.zeros(len(starts) + 1, dtype=np.int64)  # word tokens among the first i tokens
    np.cumsum(is_word, out=words_before[1:])
    sentence_bounds = np.zeros(len(s_len) + 1, dtype=np.int64)
    np.cumsum(s_len + 1, out=sentence_bounds[1:])
    words_of_sentence = np.diff(words_before.take(np.searchsorted(starts, sentence_bounds)))
    n_tokens = np.bincount(scope, weights=words_of_sentence, minlength=n_scopes).astype(np.int64)  # (exact sums)
    n_tokens[0] = words_before[-1]
    return n_tokens


# ------------------------------------------------------------------------------- measure
def measure_attention(
    text: str,
    sections: pd.DataFrame | None,
    sentences: pd.DataFrame | None,
    *,
    themes: pd.DataFrame | None = None,
    cut: segment._CutAnalysis | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Theme attention of one report, overall and in its review and plan/tasks parts.

    Parameters
    ----------
    text : str
        The clean text (``clean.clean_text(raw).text``).
    sections, sentences : DataFrame or None
        The structure stage's tables (offsets into ``text``). ``None`` or empty: only the ``all``
        scope has values; ``sentence_share`` is then <NA>.
    themes : DataFrame, optional
        Themes as returned by :func:`load_themes`; default the package themes.
    cut : optional
        The cut of the sentences' joined text (``segment._analyse_cut(segment.sentences_text(
        sentences))``), if the caller has made it (the build cuts a chunk's texts in a row); by
        default it is made (and cached for ``segment.term_counts``). Not used without sentences.

    Returns
    -------
    attention : DataFrame
        One row per theme × scope (``all``, ``review``, ``plan+tasks``):
        ``theme_code, theme_name, scope`` (string), ``n_hits`` (Int64, term hits of the theme),
        ``n_chars`` (Int64, non-whitespace characters of the scope), ``n_tokens`` (Int64, word
        tokens of the scope), ``hits_per_10k_chars``, ``token_share`` (n_hits / n_tokens),
        ``sentence_share`` (share of the scope's sentences with a hit) (Float64). A scope with no
        text has ``n_hits`` and rates <NA>.
    attention_terms : DataFrame
        ``theme_code, term`` (string), ``n_hits`` (Int64) — hits per term in the whole text, terms
        with at least one hit, by theme then most frequent first.
    """
    matcher = _matcher_for(themes)
    n_themes, n_scopes = len(matcher.theme_codes), len(SCOPES)
    char_scope = _char_scopes(len(text), sections)

    # characters per scope (non-whitespace), counted over a mask of the text's characters: no list
    # of positions, whose finding branches at every character (a code point above the last
    # whitespace code reads the False at the end of the table)
    codes = code_points(text)
    is_text = ~_IS_WHITESPACE.take(codes, mode="clip")
    n_chars = np.array(
        [np.count_nonzero(is_text), *(np.count_nonzero(is_text & (char_scope == s)) for s in range(1, n_scopes))],
        dtype=np.int64,
    )

    # sentences (in table order: the order of their joined text)
    has_sentences = sentences is not None and len(sentences) > 0
    if has_sentences:
        s_start = np.asarray(column_array(sentences, "char_start"), dtype=np.int64)
        s_end = np.asarray(column_array(sentences, "char_end"), dtype=np.int64)
        # (np.minimum and np.maximum: np.clip costs several times more on a short array)
        s_scope = char_scope.take(np.maximum(np.minimum(s_start, len(text) - 1), 0)) if len(text) else np.zeros(len(s_start), np.int8)
        # text == clean[start:end], so the sentence lengths are end - start (in table order, the
        # order of their joined text)
        s_len, s_scope_in_order = s_end - s_start, s_scope

    # hits per theme × scope, and per term: one (theme, hit) pair per theme of the hit's term,
    # the pairs of a hit in theme order
    hit_key, hit_starts = matcher.find_arrays(text, codes)
    first_theme = matcher.key_theme_start.take(hit_key)
    themes_of_hit = matcher.key_theme_start.take(hit_key + 1) - first_theme
    if len(themes_of_hit) and themes_of_hit.max() == 1:  # the usual report: no hit of a shared term
        pair_hit, pair_theme = np.arange(len(hit_key)), matcher.key_themes.take(first_theme)
    else:
        pair_hit = np.repeat(np.arange(len(hit_key), dtype=np.int64), themes_of_hit)
        first_pair_of_hit = np.cumsum(themes_of_hit) - themes_of_hit
        rank_in_hit = np.arange(len(pair_hit), dtype=np.int64) - np.repeat(first_pair_of_hit, themes_of_hit)
        pair_theme = matcher.key_themes[first_theme[pair_hit] + rank_in_hit]
    pair_key = hit_key[pair_hit]
    pair_scope = char_scope.take(hit_starts).take(pair_hit).astype(np.int64) if len(hit_starts) else pair_hit
    n_hits = np.bincount(pair_theme * n_scopes + pair_scope, minlength=n_themes * n_scopes).reshape(n_themes, n_scopes)
    n_hits[:, 0] = n_hits.sum(axis=1)  # all: the hits in each scope and in none (scope index 0)
    n_keys = len(matcher.keys)
    hits_of_code = np.bincount(pair_theme * n_keys + pair_key, minlength=n_themes * n_keys)
    term_codes = np.flatnonzero(hits_of_code > 0)  # theme × key codes with a hit, ascending
    term_n = hits_of_code[term_codes]

    # sentences with a hit, per theme × scope (NaN, <NA> in the table, where a scope has no text or
    # no sentence: divisions only where the divisor is positive, no division by zero to silence)
    has_scope = (n_chars > 0)[None, :]
    sentence_share = np.full((n_themes, n_scopes), np.nan)
    if has_sentences:
        if len(s_start) > 1 and (s_start[1:] < s_start[:-1]).any():  # by start (they usually are)
            order = np.argsort(s_start, kind="stable")
            s_start, s_end, s_scope = s_start[order], s_end[order], s_scope[order]
        n_sentences = len(s_start)
        n_sent = np.bincount(s_scope, minlength=n_scopes)
        n_sent[0] = n_sentences
        hit_sentence = np.searchsorted(s_start, hit_starts, side="right") - 1
        inside = (hit_sentence >= 0) & (hit_starts < s_end[np.maximum(hit_sentence, 0)]) if len(hit_starts) else hit_sentence >= 0
        pair_sentence = hit_sentence[pair_hit]
        keep = inside[pair_hit]
        # distinct (theme, sentence) pairs; each counts once for "all" and once for its scope
        has_pair = np.zeros(n_themes * n_sentences, dtype=bool)
        has_pair[pair_theme[keep] * n_sentences + pair_sentence[keep]] = True
        pairs = np.flatnonzero(has_pair)
        pair_t, pair_s = pairs // n_sentences, pairs % n_sentences
        with_hit = np.bincount(pair_t * n_scopes + s_scope[pair_s], minlength=n_themes * n_scopes).reshape(n_themes, n_scopes)
        with_hit[:, 0] = with_hit.sum(axis=1)
        np.divide(with_hit, n_sent[None, :], out=sentence_share, where=has_scope & (n_sent > 0)[None, :])

    per_10k = np.divide(n_hits * 10_000, n_chars[None, :], out=np.full((n_themes, n_scopes), np.nan), where=has_scope)
    no_scope = (n_chars == 0)[matcher.scope_of_row]

    term_theme, term_key = term_codes // n_keys, term_codes % n_keys
    order = np.lexsort((term_key, -term_n, term_theme))  # by theme, most hits first, then term
    # the strings taken by Arrow from the matcher's own array of theme codes and terms
    theme_code_column, term_column = matcher.code_and_term_columns(term_theme[order], term_key[order])
    attention_terms = frame(
        _ATTENTION_TERM_LABELS,
        [
            theme_code_column,
            term_column,
            pd.arrays.IntegerArray(term_n[order].astype(np.int64), np.zeros(len(order), dtype=bool)),
        ],
    )

    # word tokens per scope, last: the segmenter's cut (of a whole report), when made here,
    # evicts the other steps' code and data from the CPU caches, so the fewer steps after it the
    # better (only token_share and the attention table need the tokens)
    if has_sentences:
        if cut is None:
            cut = segment._cut_analysis(segment.sentences_text(sentences))
        elif len(cut.codes) != int(s_len.sum()) + len(s_len) - 1:
            raise ValueError("cut is not the cut of the sentences' joined text")
        n_tokens = _tokens_per_scope(cut, s_len, s_scope_in_order, n_scopes)
    else:
        n_tokens = _tokens_per_scope(segment._cut_analysis(text), None, char_scope, n_scopes)
    token_share = np.divide(
        n_hits, n_tokens[None, :], out=np.full((n_themes, n_scopes), np.nan), where=has_scope & (n_tokens > 0)[None, :]
    )

    # extension arrays built directly (constructing nine Series per report, or aligning their
    # indexes, would cost more than the counting itself); every array is new (the label arrays are
    # new wrappers of immutable Arrow data), so the frame need not copy them
    attention = frame(
        _ATTENTION_LABELS,
        [
            *(matcher.label_arrays[name].copy() for name in ATTENTION_COLUMNS[:3]),
            pd.arrays.IntegerArray(n_hits.ravel(), no_scope),
            pd.arrays.IntegerArray(n_chars[matcher.scope_of_row], np.zeros(n_themes * n_scopes, dtype=bool)),
            pd.arrays.IntegerArray(n_tokens[matcher.scope_of_row], np.zeros(n_themes * n_scopes, dtype=bool)),
            float_array(per_10k.ravel()),
            float_array(token_share.ravel()),
            float_array(sentence_share.ravel()),
        ],
    )
    return attention, attention_terms
