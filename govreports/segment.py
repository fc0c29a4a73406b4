"""Stage 5a — segment: clean text → word tokens and per-report term counts.

Rules
-----
Segmenter
    rjieba, the Python binding of jieba-rs: the jieba algorithm (prefix dictionary + DAG + HMM for
    unknown words) with jieba's own dictionary, so tokens are jieba-compatible. On the 30 sample
    reports it gives the same Chinese tokens as jieba 0.42 about 15× faster (≈2.8 ms against ≈43 ms
    for a 16,000-character report). The only differences we found are in ASCII runs joined by ``-``
    or ``.``: jieba splits ``2022-2025`` into ``2022 / - / 2025``, rjieba keeps it whole. Such runs
    are not content terms (see below), so term counts are identical. The segmenter runs offline; it
    never downloads a model.
User dictionary
    ``lexicons/userdict_policy.txt`` keeps policy vocabulary and indicator names whole
    (规上工业增加值, 乡村振兴, 两个确立 …) so that they are counted as one term. A corpus adds its own
    words — glossary terms and slogans — with :func:`add_words`. Unlike jieba, which ignores user
    words containing digits or punctuation, rjieba accepts them (``PM2.5``). Added words change the
    segmentation of every later call: add a corpus' words before tokenizing it, so all reports are
    cut with the same dictionary.
Tokens
    :func:`tokenize` returns every token except whitespace, in text order. Punctuation and numbers
    are tokens, as jieba returns them.
Content terms
    :func:`term_counts` keeps tokens of two or more characters that are all Han characters and are
    not in ``lexicons/stopwords.txt``: single characters (的, 和, 在) and numbers carry no topic, and
    the stopwords are function words and report formulae (我们, 进一步, 各位代表). These are the terms
    of keyness and similarity (:mod:`govreports.textstats`).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from itertools import chain, compress

import ahocorasick_rs
import numpy as np
import pandas as pd
import pyarrow as pa
import rjieba

from .frames import ARROW_STRINGS, code_points, column_labels, frame

TOKEN_COLUMNS = ["sentence_id", "tokens"]
TERM_COUNT_COLUMNS = ["term", "n"]
_TERM_COUNT_LABELS = column_labels(TERM_COUNT_COLUMNS)

_HAN_TERM = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}$")


def _read_lexicon_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a package lexicon file."""
    text = resources.files("govreports").joinpath("lexicons", name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stopword set of ``lexicons/stopwords.txt``."""
    return frozenset(_read_lexicon_lines("stopwords.txt"))


_SEGMENTER: rjieba.Jieba | None = None
_ADDED_WORDS: set[str] = set()


def _add_word(segmenter: rjieba.Jieba, word: str, freq: int | None = None) -> None:
    # suggest_freq gives the frequency that makes the DAG prefer the whole word over its parts.
    if freq is None:
        freq = max(segmenter.suggest_freq(word), 1)
    segmenter.add_word(word, freq, None)


def segmenter() -> rjieba.Jieba:
    """The package segmenter: jieba's dictionary plus the policy user dictionary (built once)."""
    global _SEGMENTER
    if _SEGMENTER is None:
        seg = rjieba.Jieba()
        for line in _read_lexicon_lines("userdict_policy.txt"):
            parts = line.split()
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            _add_word(seg, parts[0], freq)
        _SEGMENTER = seg
    return _SEGMENTER


def add_words(words: Iterable[str]) -> int:
    """Add corpus words (glossary terms, slogans) to the segmenter so each stays one token.

    Why: a report's own slogans and defined terms (三个千亿, 两地一中心) are its most distinctive
    words; jieba's general dictionary cuts them into pieces.

    Parameters
    ----------
    words : iterable of str
        Words to add; whitespace inside a word is removed, empty and single-character words and
        words already added are skipped.

    Returns
    -------
    int
        The number of words newly added.
    """
    seg = segmenter()
    n_added = 0
    for word in words:
        if word is None or (isinstance(word, float) and word != word):
            continue
        word = re.sub(r"\s+", "", str(word))
        if len(word) < 2 or word in _ADDED_WORDS:
            continue
        _add_word(seg, word)
        _ADDED_WORDS.add(word)
        n_added += 1
    if n_added:
        cut_text.cache_clear()
        _token_bounds.cache_clear()
    return n_added


def tokenize(text: str) -> list[str]:
    """Cut a text into tokens (whitespace dropped), in text order.

    Examples
    --------
    >>> tokenize("推进科技创新。")
    ['推进', '科技创新', '。']
    """
    return [tok for tok in cut_text(text) if not tok.isspace()]


def tokenize_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Tokens of each sentence, so a measure can be restricted to some sections.

    Parameters
    ----------
    sentences : DataFrame
        The structure stage's sentences (``sentence_id``, ``text``; other columns are ignored).

    Returns
    -------
    DataFrame
        ``sentence_id`` (int), ``tokens`` (list of str, whitespace dropped) — one row per sentence.
    """
    tokens = [[t for t in _cut(s) if not t.isspace()] for s in sentences["text"].tolist()]
    return pd.DataFrame(
        {"sentence_id": sentences["sentence_id"].to_numpy(), "tokens": pd.Series(tokens, dtype=object)}
    )


def is_content_term(token: str) -> bool:
    """True for a token of two or more Han characters that is not a stopword."""
    return bool(_HAN_TERM.match(token)) and token not in stopwords()


def count_terms(tokens: Iterable[str]) -> Counter:
    """Counts of content terms (see :func:`is_content_term`) among tokens."""
    stop = stopwords()
    match = _HAN_TERM.match
    counts = Counter(tokens)  # count first (C speed), then test each distinct token once
    return Counter({t: n for t, n in counts.items() if len(t) > 1 and t not in stop and match(t)})


@lru_cache(maxsize=8)
def cut_text(text: str) -> tuple[str, ...]:
    """All tokens of a text, whitespace included, so that ``"".join(cut_text(t)) == t``.

    Cached for the last few texts: attention and term counts of one report cut the same text once.
    """
    return tuple(_cut(text))


_SURROGATE = re.compile("[\ud800-\udfff]")
_CRLF = re.compile("\r\n")


def _cut(text: str) -> list[str]:
    """The segmenter's cut; a lone surrogate (undecodable byte kept by a lenient decoder) becomes
    U+FFFD first, one character for one, so offsets do not move."""
    try:
        return segmenter().cut(text)
    except UnicodeEncodeError:
        return segmenter().cut(_SURROGATE.sub("\ufffd", text))


def _cut_keeping(text: str, keep_whole: Iterable[str]) -> tuple[str, ...]:
    """:func:`cut_text`, with each occurrence of a ``keep_whole`` word as one token.

    The reference definition of the cut that :func:`term_counts` counts (which computes the same
    counts faster from the cached cut, see :func:`_candidate_terms`).
    """
    words = sorted({w for w in keep_whole if isinstance(w, str) and len(w) >= 2}, key=lambda w: (-len(w), w))
    if not words:
        return cut_text(text)
    pattern = re.compile("|".join(map(re.escape, words)))
    tokens: list[str] = []
    start = 0
    for match in pattern.finditer(text):
        if match.start() > start:
            tokens.extend(_cut(text[start : match.start()]))
        tokens.append(match.group())
        start = match.end()
    tokens.extend(_cut(text[start:]))
    return tuple(tokens)


# ------------------------------------------------------------------ offsets and literal search
@lru_cache(maxsize=8)
def _token_bounds(text: str) -> tuple[tuple[str, ...], np.ndarray]:
    """:func:`cut_text` and the tokens' character offsets: token ``i`` is ``text[b[i]:b[i+1]]``.

    Why cached next to the cut: attention and term counts both need the offsets of the same cut.
    Computed by joining the tokens with a separator the text does not contain and locating the
    separators — one C-level join and one array scan instead of a Python ``len`` per token.
    """
    tokens = cut_text(text)
    bounds = np.zeros(len(tokens) + 1, dtype=np.int64)
    if not tokens:
        return tokens, bounds
    sep = next((c for c in "\x00\x01\x02\x03" if c not in text), None)
    if sep is None:
        np.cumsum(np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens)), out=bounds[1:])
    else:
        at = np.flatnonzero(code_points(sep.join(tokens)) == ord(sep))
        bounds[1:-1] = at - np.arange(len(at))
        bounds[-1] = len(text)
    bounds.flags.writeable = False  # shared by every caller of the cache
    return tokens, bounds


class _Literals:
    """Leftmost-longest, non-overlapping occurrences of fixed strings in a text.

    The semantics of a regex alternation of the strings sorted longest first (at the leftmost
    position where any string occurs, the longest one; the scan resumes after it), computed with an
    Aho–Corasick automaton: building one takes a fraction of a millisecond where compiling the
    alternation with ``re`` takes milliseconds, and the scan is several times faster. A text or a
    string with a lone surrogate (which UTF-8 cannot encode) is matched on its ``surrogatepass``
    bytes instead: UTF-8 is self-synchronizing, so a match of encoded strings is a match of the
    strings, and byte offsets map back to character offsets.
    """

    def __init__(self, words: Iterable[str], dfa: bool = False) -> None:
        self.words = list(words)
        self.lengths = np.array([len(w) for w in self.words], dtype=np.int64)
        # a DFA scans fastest but is slow to build: worth it only for a lexicon built once
        self._options = {
            "matchkind": ahocorasick_rs.MatchKind.LeftmostLongest,
            "implementation": ahocorasick_rs.Implementation.DFA if dfa else ahocorasick_rs.Implementation.ContiguousNFA,
        }
        has_surrogate = any(_SURROGATE.search(w) for w in self.words)
        self._on_text = None if has_surrogate else ahocorasick_rs.AhoCorasick(self.words, **self._options)
        self._on_bytes = None  # built on first use

    def find(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """``(word_index, char_start)`` arrays of the occurrences, in text order."""
        found = None
        if self._on_text is not None:
            try:
                found = self._on_text.find_matches_as_indexes(text)
            except UnicodeEncodeError:  # a lone surrogate in the text
                pass
        if found is None:
            found = self._find_bytes(text)
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        # flattened by fromiter: half the cost of np.array on a list of tuples (hundreds per report)
        width = len(found[0])
        found = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=width * len(found)).reshape(-1, width)
        return found[:, 0], found[:, 1]

    def _find_bytes(self, text: str) -> list[tuple[int, int, int]]:
        if self._on_bytes is None:
            encoded_words = [w.encode("utf-8", "surrogatepass") for w in self.words]
            self._on_bytes = ahocorasick_rs.BytesAhoCorasick(encoded_words, **self._options)
        encoded = text.encode("utf-8", "surrogatepass")
        found = self._on_bytes.find_matches_as_indexes(encoded)
        if not found or len(encoded) == len(text):  # all ASCII: byte offsets are character offsets
            return found
        continuation = np.cumsum((np.frombuffer(encoded, dtype=np.uint8) & 0xC0) == 0x80)
        return [(k, start - int(continuation[start]), 0) for k, start, _ in found]


def _char_flag_table() -> np.ndarray:
    """Flags per BMP code point: 1 = in jieba's blocks, 2 = a Han character of a content term."""
    table = np.zeros(0x10000, dtype=np.uint8)
    # jieba-rs's RE_HAN_DEFAULT (BMP part): the runs it segments with the dictionary and the HMM
    for lo, hi in [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)]:
        table[lo : hi + 1] |= 1
    for ch in "+#&._%-":
        table[ord(ch)] |= 1
    for lo, hi in [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]:  # _HAN_TERM
        table[lo : hi + 1] |= 2
    return table


_CHAR_FLAGS = _char_flag_table()
_IN_BLOCK, _TERM_CHAR = 1, 2
#: jieba-rs's RE_HAN_DEFAULT outside the BMP (CJK extensions B–F and compatibility supplement)
_ASTRAL_BLOCK_RANGES = ((0x20000, 0x2A6DF), (0x2A700, 0x2EBEF), (0x2F800, 0x2FA1F))


def _char_flags(codes: np.ndarray) -> np.ndarray:
    flags = _CHAR_FLAGS[codes & 0xFFFF]
    astral = codes > 0xFFFF
    if astral.any():
        in_block = np.zeros(len(codes), dtype=bool)
        for lo, hi in _ASTRAL_BLOCK_RANGES:
            in_block |= (codes >= lo) & (codes <= hi)
        flags = np.where(astral, np.where(in_block, _IN_BLOCK, 0), flags).astype(np.uint8)
    return flags


def _candidate_terms(text: str, keep_whole: set[str]) -> list[str]:
    """The tokens of :func:`_cut_keeping` that may be content terms (two or more Han characters),
    in text order; stopwords are not yet removed.

    :func:`_cut_keeping` cuts each stretch between two kept words on its own. The cached cut of the
    whole text already holds those tokens, except near the kept words, because of how jieba cuts:
    it splits a text into blocks — maximal runs of Han characters, ASCII letters, digits and
    ``+#&._%-`` — and segments each block independently (dictionary DAG, then HMM); every other
    character is a token of its own (``"\\r\\n"`` is one). So the cut of a stretch is the concatenation
    of the whole-text tokens of the blocks it contains entirely, plus the cut of the partial blocks
    at its two ends. A *boundary* is an offset that no block (and no ``\\r\\n``) straddles: the
    whole-text tokens between the boundaries around two kept words are kept as they are, and only
    the pieces from a kept word to the nearest boundary (or the whole stretch between two kept
    words, if no boundary separates them) are cut again — all in one call, joined by newlines,
    which are boundaries too. The result is exactly :func:`_cut_keeping`'s, at a fraction of the
    cost.
    """
    tokens, bounds = _token_bounds(text)
    flags = _char_flags(code_points(text))
    # whole-text tokens made of two or more content-term characters
    term_chars = np.zeros(len(text) + 1, dtype=np.int64)
    np.cumsum((flags & _TERM_CHAR) != 0, out=term_chars[1:])
    lengths = np.diff(bounds)
    is_candidate = (lengths >= 2) & (term_chars[bounds[1:]] - term_chars[bounds[:-1]] == lengths)
    candidate_tokens = list(compress(tokens, is_candidate.tolist()))

    if not keep_whole:
        return candidate_tokens
    literals = _Literals(sorted(keep_whole))
    word_index, starts = literals.find(text)
    if not len(starts):
        return candidate_tokens
    ends = starts + literals.lengths[word_index]

    # boundaries: offsets 0 and len(text), and every offset not inside a block or a "\r\n"
    n = len(text)
    in_block = (flags & _IN_BLOCK) != 0
    straddled = np.zeros(n + 1, dtype=bool)
    straddled[1:n] = in_block[:-1] & in_block[1:]
    for crlf in _CRLF.finditer(text):
        straddled[crlf.start() + 1] = True
    boundaries = np.flatnonzero(~straddled)
    left = boundaries[np.searchsorted(boundaries, starts, side="right") - 1]  # last boundary <= start
    right = boundaries[np.searchsorted(boundaries, ends, side="left")]  # first boundary >= end
    # a boundary is a token boundary of the whole-text cut; count the candidates before it
    candidate_index = np.flatnonzero(is_candidate)
    candidates_before_left = np.searchsorted(candidate_index, np.searchsorted(bounds, left)).tolist()
    candidates_before_right = np.searchsorted(candidate_index, np.searchsorted(bounds, right)).tolist()
    match = _HAN_TERM.match
    kept = [[w] if match(w) else [] for w in literals.words]

    # The token sequence in order: lists of candidates (slices of the whole-text cut, kept words),
    # and a None for each piece to cut again. A piece that is a "\r" or "\n" cut off a "\r\n"
    # has no candidate; every other piece lies inside one block.
    layout: list[list[str] | None] = []
    pieces: list[str] = []

    def add_piece(a: int, b: int) -> None:
        if b > a and not (b == a + 1 and text[a] in "\r\n"):
            pieces.append(text[a:b])
            layout.append(None)

    end, boundary_after, candidates_done = 0, 0, 0
    matches = zip(word_index.tolist(), starts.tolist(), ends.tolist(), left.tolist(), right.tolist())
    for i, (word, start, word_end, left_i, right_i) in enumerate(matches):
        if i == 0 or boundary_after <= left_i:  # a boundary separates it from the previous word
            add_piece(end, boundary_after)
            layout.append(candidate_tokens[candidates_done : candidates_before_left[i]])
            add_piece(left_i, start)
        else:
            add_piece(end, start)
        layout.append(kept[word])
        end, boundary_after, candidates_done = word_end, right_i, candidates_before_right[i]
    add_piece(end, boundary_after)
    layout.append(candidate_tokens[candidates_done:])

    # cut all pieces in one call, joined by newlines (a boundary): each "\n" token ends a piece
    piece_candidates: list[list[str]] = [[]]
    for tok in _cut("\n".join(pieces)):
        if tok == "\n":
            piece_candidates.append([])
        elif len(tok) > 1 and match(tok):
            piece_candidates[-1].append(tok)
    next_piece = iter(piece_candidates).__next__
    out: list[str] = []
    for part in layout:
        out.extend(next_piece() if part is None else part)
    return out


#: ``(Arrow data of a text column, its joined text)`` of the last two sentence tables joined
_JOINED: list[tuple[object, str]] = []


def sentences_text(sentences: pd.DataFrame) -> str:
    """The sentences' texts joined by newlines — the string both measures cut (and share).

    The pipeline asks for the joined text of a report twice (attention, term counts), and turning
    the text column into Python strings costs more than the join. An Arrow-backed column's data is
    immutable (pandas replaces it, never changes it in place), so the same data object means the
    same joined text: it is remembered for the last two tables.
    """
    column = sentences["text"]
    data = getattr(column.array, "_pa_array", None)
    if data is not None:
        for cached, joined in _JOINED:
            if cached is data:
                return joined
    joined = "\n".join(column.tolist())
    if data is not None:
        _JOINED[:] = [(data, joined), *_JOINED[:1]]
    return joined


def term_counts(sentences: pd.DataFrame | Iterable[str] | str, keep_whole: Iterable[str] = ()) -> pd.DataFrame:
    """Counts of content terms in a report, the input of keyness and similarity.

    Parameters
    ----------
    sentences : DataFrame with a ``text`` column, iterable of str, or str
        The sentences to count (pass a subset of the structure stage's sentences to restrict the
        counts to some sections), or a whole text.
    keep_whole : iterable of str
        The report's own words — its glossary terms and slogans — counted as one term each
        (longest first, without overlaps) instead of being cut by the general dictionary. Why not
        :func:`add_words`: that changes the segmenter for every later report, so a report's counts
        would depend on which reports were parsed before it (and on the cache); ``keep_whole``
        makes each report's counts a function of that report alone.

    Returns
    -------
    DataFrame
        ``term`` (string), ``n`` (int64) — one row per content term (two or more Han characters,
        not a stopword), most frequent first, ties in order of first use.
    """
    if isinstance(sentences, str):
        text = sentences
    elif isinstance(sentences, pd.DataFrame):
        text = sentences_text(sentences)
    else:
        text = "\n".join(sentences)
    words = {w for w in keep_whole if isinstance(w, str) and len(w) >= 2}
    # == count_terms(_cut_keeping(text, keep_whole)), without cutting the text again
    counts = Counter(_candidate_terms(text, words))
    for stopword in stopwords().intersection(counts):
        del counts[stopword]
    terms = list(counts)
    n = np.fromiter(counts.values(), dtype=np.int64, count=len(terms))
    order = np.argsort(-n, kind="stable")  # most frequent first, ties in order of first use
    # reordered as an Arrow array (one C call instead of a Python list of all terms), and wrapped
    # directly when that is what pandas builds (pd.array would check the Arrow array again)
    ordered = pa.array(terms, type=pa.large_string()).take(order)
    term = pd.arrays.ArrowStringArray(ordered) if ARROW_STRINGS else pd.array(ordered, dtype="string")
    return frame(_TERM_COUNT_LABELS, [term, n[order]])
