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
from itertools import chain
from typing import NamedTuple

import ahocorasick_rs
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import rjieba

from .frames import ARROW_STRINGS, arrow_string_array, code_points, column_array, column_labels, frame

TOKEN_COLUMNS = ["sentence_id", "tokens"]
TERM_COUNT_COLUMNS = ["term", "n"]
_TERM_COUNT_LABELS = column_labels(TERM_COUNT_COLUMNS)

#: a content term's characters, matched against the whole token (``fullmatch``: a ``$`` would also
#: accept a token ending in a newline)
_HAN_TERM = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


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
        _cut_analysis.cache_clear()
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
    return bool(_HAN_TERM.fullmatch(token)) and token not in stopwords()


def count_terms(tokens: Iterable[str]) -> Counter:
    """Counts of content terms (see :func:`is_content_term`) among tokens."""
    stop = stopwords()
    match = _HAN_TERM.fullmatch
    counts = Counter(tokens)  # count first (C speed), then test each distinct token once
    return Counter({t: n for t, n in counts.items() if len(t) > 1 and t not in stop and match(t)})


@lru_cache(maxsize=8)
def cut_text(text: str) -> tuple[str, ...]:
    """All tokens of a text, whitespace included, so that ``"".join(cut_text(t)) == t``.

    Cached for the last few texts: attention and term counts of one report cut the same text once.
    """
    return tuple(_cut(text))


_SURROGATE = re.compile("[\ud800-\udfff]")


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
    counts faster from the cached cut, see :func:`_kept_cut`).
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
class _CutAnalysis(NamedTuple):
    """A text's cut as the arrays both measures read it through (see :func:`_cut_analysis`)."""

    bounds: np.ndarray  #: token ``i`` is ``text[bounds[i]:bounds[i+1]]`` (int64, read-only)
    codes: np.ndarray  #: the text's code points (uint32, read-only)
    flags: np.ndarray  #: the code points' flags (:func:`_char_flags`, uint8, read-only)


@lru_cache(maxsize=8)
def _cut_analysis(text: str) -> _CutAnalysis:
    """:func:`_analyse_cut`, cached for the last few texts: attention (word tokens per scope) and
    term counts (content terms) read the same cut of the same string."""
    return _analyse_cut(text)


def _analyse_cut(text: str) -> _CutAnalysis:
    """The character offsets of a text's tokens (its cut), the text's code points and their flags.

    Both measures need the offsets and the characters, and the characters' flags (which start a
    word token, make a content term, stand in a segmenter block: found here once, while the code
    points are in the CPU caches). The build cuts a chunk's texts in a row, while the segmenter's
    dictionary is in the CPU caches, and hands each cut to ``attention.measure_attention`` and
    :func:`term_counts` (``cut=``). The offsets are the running sum of the tokens' lengths
    (:func:`_token_lengths`). The tokens themselves are not kept: freed at once, while they are
    still in the CPU caches, the thousands of strings cost half of what they cost later.
    """
    tokens = _cut(text)
    codes = code_points(text)
    bounds = np.zeros(len(tokens) + 1, dtype=np.int64)
    np.cumsum(_token_lengths(tokens), dtype=np.int64, out=bounds[1:])
    flags = _char_flags(codes)
    for array in (bounds, codes, flags):
        array.flags.writeable = False  # shared by the callers of the cache
    return _CutAnalysis(bounds, codes, flags)


def _token_lengths(tokens: list[str]) -> np.ndarray:
    """The tokens' lengths, gathered as bytes by one C-level loop (cheaper than a ``fromiter``, or
    than joining the tokens with a separator and locating it); as integers when a token of 256
    characters or more does not fit in a byte."""
    try:
        return np.frombuffer(bytearray(map(len, tokens)), dtype=np.uint8)
    except ValueError:
        return np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))


def _token_bounds(text: str) -> tuple[tuple[str, ...], np.ndarray]:
    """:func:`cut_text` and the tokens' character offsets: token ``i`` is ``text[b[i]:b[i+1]]``."""
    return cut_text(text), _cut_analysis(text).bounds


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


class _WordTable(NamedTuple):
    """Words prepared for :func:`_occurrences` (see :func:`_word_table`)."""

    words: tuple[str, ...]
    lengths: np.ndarray  #: characters per word (int64)
    hash_mask: int  #: the bucket of a character pair is ``_pair_hash(first, second, hash_mask)``
    bucket_size: np.ndarray  #: words per bucket (uint16 when it fits; a word's bucket is its first pair's)
    occupied: np.ndarray  #: per bucket, whether it holds a word (bool)
    bucket_start: np.ndarray  #: the words of bucket h are ``by_bucket[bucket_start[h]:][:bucket_size[h]]``
    by_bucket: np.ndarray  #: word indices by bucket, the longest first within a bucket (int64)
    chunk_offsets: np.ndarray  #: per word, where its chunks start in it (see :func:`_word_table`)
    chunk_values: np.ndarray  #: per word, its chunks (:func:`_chunks_at`, int64)
    chunk_masks: np.ndarray  #: per word, the bits of a chunk that belong to the word (int64)
    first_chunks: np.ndarray  #: per word, its first chunk (``chunk_values[:, 0]``, contiguous)
    padding: int  #: code points past a text's end that a chunk of a word may read


def _pair_hash(first: np.ndarray, second: np.ndarray, mask: int) -> np.ndarray:
    """The bucket of each character pair: low bits (``mask`` < 2**16) of a product and sum, the same
    for code points as int64 (no overflow) or as uint32 (wrapping around 2**32 keeps the low bits)."""
    return (first * 40503 + second) & mask


#: A code point fits in 21 bits, so three of them packed in one int64 (a *chunk*) compare three
#: characters at once. A text is padded past its end with a 21-bit value that no code point has.
_CHUNK_CHARS, _CODE_BITS, _PAD_CODE = 3, 21, 0x1FFFFF


def _chunks_at(codes: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The characters ``p, p+1, p+2`` of the (padded, int64) code points, packed, at each ``p``."""
    # (take: a quarter faster than indexing, as for every gather of the word search)
    first, second, third = codes.take(positions), codes.take(positions + 1), codes.take(positions + 2)
    return (first << 2 * _CODE_BITS) | (second << _CODE_BITS) | third


def _word_table(words: Iterable[str]) -> _WordTable:
    """Distinct words of two or more characters, prepared for finding them in many texts.

    A word is compared as its chunks (:func:`_chunks_at`) at offsets 0, 3, 6 … of the word, the
    last one moved back to end with the word (chunks may overlap), repeated to fill the row; a
    two-character word has one chunk whose third character is masked out. The chunks are read off
    the words' concatenation (a chunk never reaches past its word, but for the masked character).
    Words are grouped in buckets by a hash of their first two characters, about 32 buckets per
    word (at most 2**16): few false candidates, and a small table for a report's few dozen words.
    """
    words = tuple(words)
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    first = np.cumsum(lengths) - lengths  # where each word starts in the concatenation
    codes = np.full(int(lengths.sum()) + _CHUNK_CHARS, _PAD_CODE, dtype=np.int64)
    codes[: len(codes) - _CHUNK_CHARS] = code_points("".join(words))
    longest = int(lengths.max()) if len(words) else 2
    offsets = np.minimum(np.arange(_n_chunks(longest)) * _CHUNK_CHARS, np.maximum(lengths - _CHUNK_CHARS, 0)[:, None])
    values = _chunks_at(codes, first[:, None] + offsets)
    full = (1 << _CHUNK_CHARS * _CODE_BITS) - 1
    masks = np.where(lengths >= _CHUNK_CHARS, full, full ^ ((1 << _CODE_BITS) - 1))  # (int64)
    values &= masks[:, None]
    hash_mask = (1 << min(16, max(8, (len(words) * 32).bit_length()))) - 1
    buckets = _pair_hash(codes[first], codes[first + 1], hash_mask)
    by_bucket = np.lexsort((-lengths, buckets)).astype(np.int64, copy=False)
    size = np.bincount(buckets, minlength=hash_mask + 1)
    start = np.cumsum(size) - size
    size = size.astype(np.uint16 if len(words) < 1 << 16 else np.int64)  # uint16: a smaller table to read
    # (a word's last chunk ends with it, so a chunk reads at most max(longest, 3) characters from its place)
    return _WordTable(words, lengths, hash_mask, size, size != 0, start, by_bucket, offsets, values, masks,
                      first_chunks=values[:, 0].copy(), padding=max(longest, _CHUNK_CHARS))


def _n_chunks(length: int) -> int:
    """The number of distinct chunks of a word of ``length`` characters."""
    return -(-length // _CHUNK_CHARS)


def _occurrences(codes: np.ndarray, table: _WordTable) -> tuple[np.ndarray, np.ndarray]:
    """``(char_start, word_index)`` of every occurrence of every word of ``table`` in the text of
    code points ``codes`` (overlapping ones too), by start, the longest word first at one start.

    Every character pair is hashed (on the code points as they come, uint32); the words of its
    bucket are the candidates there (a table look-up per pair; collisions only add candidates).
    The candidates are compared three characters at a time: first the first chunk of every
    candidate, then the other chunks of the few that pass. One report is scanned in a few
    vectorized passes, faster than an Aho–Corasick automaton for the package themes (and than
    building one for a report's few dozen words).
    """
    empty = np.zeros(0, dtype=np.int64)
    n = len(codes)
    if n < 2 or not table.words:
        return empty, empty
    bucket = _pair_hash(codes[:-1], codes[1:], table.hash_mask)
    # (take: faster than indexing; nonzero of a bool array: several times faster than of ints)
    at = np.flatnonzero(table.occupied.take(bucket))
    if not len(at):
        return empty, empty
    text = np.empty(n + table.padding, dtype=np.int64)
    text[:n] = codes
    text[n:] = _PAD_CODE
    at_bucket = bucket.take(at)
    n_words = table.bucket_size.take(at_bucket).astype(np.int64)
    # every (place, candidate word) pair, the candidates of one place longest first: pair i is
    # candidate number i - (pairs before its place) of the place's bucket
    place = np.repeat(at, n_words)
    first_pair = np.cumsum(n_words) - n_words
    to_bucket = np.repeat(table.bucket_start.take(at_bucket) - first_pair, n_words)  # pair index → by_bucket index
    word = table.by_bucket.take(np.arange(len(place)) + to_bucket)
    match = (_chunks_at(text, place) & table.chunk_masks.take(word)) == table.first_chunks.take(word)
    matched = np.flatnonzero(match)  # (then two takes: cheaper than two masked selections)
    place, word = place.take(matched), word.take(matched)
    # words of more than one chunk (more than three characters): their other chunks
    longer = np.flatnonzero(table.lengths.take(word) > _CHUNK_CHARS)
    if len(longer):
        long_place, long_word = place.take(longer), word.take(longer)
        n_chunks = _n_chunks(int(table.lengths.take(long_word).max()))
        rest = _chunks_at(text, long_place[:, None] + table.chunk_offsets[long_word, 1:n_chunks])
        mismatch = (rest != table.chunk_values[long_word, 1:n_chunks]).any(axis=1)
        if mismatch.any():
            keep = np.ones(len(place), dtype=bool)
            keep[longer[mismatch]] = False
            place, word = place[keep], word[keep]
    return place, word


def _find_words(codes: np.ndarray, words: list[str] | _WordTable) -> tuple[np.ndarray, np.ndarray]:
    """``(word_index, char_start)`` of the leftmost-longest, non-overlapping occurrences of
    ``words`` (distinct, two or more characters each) in the text of code points ``codes``:
    what :class:`_Literals` finds, faster (see :func:`_occurrences`). Taken from left to right,
    the longest first at each place.
    """
    table = words if isinstance(words, _WordTable) else _word_table(words)
    place, word = _occurrences(codes, table)
    if not len(place):
        return word, place
    end = place + table.lengths.take(word)
    # only the longest word of a place can be taken (it comes first)
    longest = np.ones(len(place), dtype=bool)
    longest[1:] = place[1:] != place[:-1]
    if not longest.all():
        place, word, end = place[longest], word[longest], end[longest]
    # an occurrence that overlaps no earlier one is taken; only the others are decided one by one
    clash = np.zeros(len(place), dtype=bool)
    clash[1:] = place[1:] < np.maximum.accumulate(end[:-1])
    if not clash.any():  # the usual case for a report's own words
        return word, place
    # (as Python values, only what the loop reads: the clashing occurrences and the ones before them)
    at = np.flatnonzero(clash)  # (never 0)
    after_taken = (~clash[at - 1]).tolist()  # the occurrence before does not clash: it is taken
    end_before, clash_start, clash_end = end[at - 1].tolist(), place[at].tolist(), end[at].tolist()
    taken_clashes = []
    last_end = 0  # the end of the last taken occurrence
    for k in range(len(at)):
        if after_taken[k]:
            last_end = end_before[k]
        if clash_start[k] >= last_end:
            taken_clashes.append(k)
            last_end = clash_end[k]
    taken = ~clash
    taken[at[taken_clashes]] = True
    return word[taken], place[taken]


def _char_flag_table() -> np.ndarray:
    """Flags per BMP code point: 1 = a Han character of a content term, 2 = in jieba's blocks,
    4 = a letter, digit or Han character (a token starting there is a word)."""
    table = np.zeros(0x10000, dtype=np.uint8)
    # jieba-rs's RE_HAN_DEFAULT (BMP part): the runs it segments with the dictionary and the HMM
    for lo, hi in [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)]:
        table[lo : hi + 1] |= _IN_BLOCK
    for ch in "+#&._%-":
        table[ord(ch)] |= _IN_BLOCK
    for lo, hi in [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]:  # _HAN_TERM
        table[lo : hi + 1] |= _TERM_CHAR
    for lo, hi in [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0x3400, 0x9FFF), (0xF900, 0xFAFF), (0xFF10, 0xFF19),
                   (0xFF21, 0xFF3A), (0xFF41, 0xFF5A), (0x3007, 0x3007)]:  # incl. full-width ones and 〇
        table[lo : hi + 1] |= _WORD_START
    return table


_TERM_CHAR, _IN_BLOCK, _WORD_START = 1, 2, 4  # (the term bit is the lowest: flags & _TERM_CHAR is 0 or 1)
_CHAR_FLAGS = _char_flag_table()
#: jieba-rs's RE_HAN_DEFAULT outside the BMP (CJK extensions B–F and compatibility supplement)
_ASTRAL_BLOCK_RANGES = ((0x20000, 0x2A6DF), (0x2A700, 0x2EBEF), (0x2F800, 0x2FA1F))
#: the word-starting characters outside the BMP: the Han extensions
_ASTRAL_WORD_START = (0x20000, 0x3FFFF)


def _char_flags(codes: np.ndarray) -> np.ndarray:
    """The flags (``_TERM_CHAR``, ``_IN_BLOCK``, ``_WORD_START``) of each code point."""
    if not len(codes) or codes.max() <= 0xFFFF:  # the usual text: the BMP table alone
        return _CHAR_FLAGS.take(codes)  # (take: twice as fast as indexing with uint32 positions)
    in_block = np.zeros(len(codes), dtype=bool)
    for lo, hi in _ASTRAL_BLOCK_RANGES:
        in_block |= (codes >= lo) & (codes <= hi)
    lo, hi = _ASTRAL_WORD_START
    astral = np.where(in_block, _IN_BLOCK, 0) | np.where((codes >= lo) & (codes <= hi), _WORD_START, 0)
    return np.where(codes > 0xFFFF, astral, _CHAR_FLAGS[codes & 0xFFFF]).astype(np.uint8)


def _term_spans(bounds: np.ndarray, term_chars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each span ``[bounds[i], bounds[i+1])`` of two or more characters, all
    content-term characters (``term_chars[j]`` is the number of them before offset ``j``)."""
    lengths = np.diff(bounds)
    term_lengths = np.diff(term_chars.take(bounds))  # content-term characters per span
    is_term = np.flatnonzero((lengths >= 2) & (term_lengths == lengths))
    return bounds.take(is_term), lengths.take(is_term)


def _kept_cut(text: str, keep_whole: set[str], analysis: _CutAnalysis) -> tuple[np.ndarray, np.ndarray]:
    """The tokens of :func:`_cut_keeping` that may be content terms, as offsets into ``text``.

    Returns ``(starts, lengths)`` of the tokens of two or more characters, all Han, in text order
    (stopwords are not yet removed). ``analysis`` is the cut of ``text`` (:func:`_analyse_cut`).

    :func:`_cut_keeping` cuts each stretch between two kept words on its own. The cut of the
    whole text already holds those tokens, except near the kept words, because of how jieba cuts:
    it splits a text into blocks — maximal runs of Han characters, ASCII letters, digits and
    ``+#&._%-`` — and segments each block independently (dictionary DAG, then HMM); every other
    character is a token of its own (``"\\r\\n"`` is one). So the cut of a stretch is the concatenation
    of the whole-text tokens of the blocks it contains entirely, plus the cut of the partial blocks
    at its two ends. A *boundary* is an offset that no block (and no ``\\r\\n``) straddles: the
    whole-text tokens outside the *regions* from the boundary before a kept word to the boundary
    after it are kept as they are; inside a region, the kept words are tokens and only the
    *pieces* between them and the region's ends are cut again — all in one call, joined by
    newlines, which are boundaries too. The result is exactly :func:`_cut_keeping`'s (a test checks
    it), at a fraction of the cost, and as offsets: no token string is built.
    """
    bounds, flags = analysis.bounds, analysis.flags
    term_chars = np.zeros(len(text) + 1, dtype=np.int32)  # (half the memory of int64 to read)
    np.cumsum(flags & _TERM_CHAR, dtype=np.int32, out=term_chars[1:])
    if not keep_whole:
        return _term_spans(bounds, term_chars)
    table = _word_table(keep_whole)  # (in any order: the occurrences found do not depend on it)
    word_index, starts = _find_words(analysis.codes, table)
    if not len(starts):
        return _term_spans(bounds, term_chars)
    ends = starts + table.lengths.take(word_index)

    # boundaries: offsets 0 and len(text), and every offset not inside a block or a "\r\n"
    n = len(text)
    in_block = (flags & _IN_BLOCK) != 0
    straddled = np.zeros(n + 1, dtype=bool)
    straddled[1:n] = in_block[:-1] & in_block[1:]
    if "\r" in text:  # (a clean text has none; looking for one character is the fast search)
        straddled[1:n] |= (analysis.codes[:-1] == 13) & (analysis.codes[1:] == 10)  # inside a "\r\n"
    boundaries = np.flatnonzero(~straddled)
    left = boundaries.take(np.searchsorted(boundaries, starts, side="right") - 1)  # last boundary <= start
    right = boundaries.take(np.searchsorted(boundaries, ends, side="left"))  # first boundary >= end
    # regions: a word starts a new one unless no boundary separates it from the previous word (the
    # words do not overlap, so ``right`` never decreases and the previous word's is the region's)
    opens = np.ones(len(starts), dtype=bool)
    opens[1:] = right[:-1] <= left[1:]
    closes = np.ones(len(starts), dtype=bool)
    closes[:-1] = opens[1:]
    region_left, region_right = left[opens], right[closes]

    # pieces to cut again: before each word (from its region's start or the previous word's end),
    # and after the last word of each region; a piece of one character is one token anyway
    piece_start = np.concatenate([np.where(opens, left, np.concatenate([[0], ends[:-1]])), ends[closes]])
    piece_end = np.concatenate([starts, region_right])
    long_piece = piece_end - piece_start >= 2
    piece_start, piece_end = piece_start[long_piece], piece_end[long_piece]
    piece_bounds = _cut_pieces(text, piece_start, piece_end)

    # the whole-text offsets outside the regions' insides, the words' edges, the pieces' offsets
    # (offsets strictly inside a region: the regions are disjoint, so a running count of the
    # regions entered minus those left is 1 inside one, 0 elsewhere)
    enter = np.bincount(np.searchsorted(bounds, region_left, side="right"), minlength=len(bounds))
    leave = np.bincount(np.searchsorted(bounds, region_right, side="left"), minlength=len(bounds))
    outside = np.cumsum(enter[: len(bounds)] - leave[: len(bounds)]) == 0
    # sorted runs: the stable sort (timsort) merges them
    kept_bounds = np.sort(np.concatenate([bounds[outside], starts, ends, piece_bounds]), kind="stable")
    kept_bounds = kept_bounds[np.concatenate([[True], kept_bounds[1:] != kept_bounds[:-1]])]  # np.unique, faster
    # a kept word is a token whose characters are the word's, so the span test decides what
    # count_terms decides with _HAN_TERM (the same character ranges, the whole token)
    return _term_spans(kept_bounds, term_chars)


def _cut_pieces(text: str, piece_start: np.ndarray, piece_end: np.ndarray) -> np.ndarray:
    """The token offsets (into ``text``) of the pieces ``text[piece_start[k]:piece_end[k]]``, each
    cut on its own: one segmenter call on the pieces joined by newlines (each piece lies inside
    one block, so a newline between two pieces is a token of its own)."""
    if not len(piece_start):
        return np.zeros(0, dtype=np.int64)
    starts, ends = piece_start.tolist(), piece_end.tolist()
    joined = "\n".join([text[a:b] for a, b in zip(starts, ends)])
    token_ends = np.cumsum(_token_lengths(_cut(joined)), dtype=np.int64)
    # piece k starts at joined_start[k] of the joined string; an offset maps back to its piece
    # (the offset after a separating newline maps to the start of the next piece: an offset the
    # caller has already)
    lengths = piece_end - piece_start
    joined_start = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1] + 1, out=joined_start[1:])
    piece = np.searchsorted(joined_start, token_ends, side="right") - 1
    in_text = token_ends - joined_start[piece] + piece_start[piece]
    separators = np.searchsorted(token_ends, joined_start[1:] - 1)  # token ends are ascending
    if len(separators) and (
        separators[-1] + 1 >= len(token_ends)
        or (token_ends[separators] != joined_start[1:] - 1).any()
        or (token_ends[separators + 1] != joined_start[1:]).any()
    ):
        # a token spans a separating newline (not expected, see above): cut each piece alone
        found = [np.cumsum([a, *map(len, _cut(text[a:b]))]) for a, b in zip(starts, ends)]
        return np.concatenate(found).astype(np.int64)
    return in_text


#: a term of up to this many characters is keyed by its characters (see :func:`_term_keys`)
_PACKED_CHARS = 4
#: per term length up to _PACKED_CHARS: the bits of its characters in four packed 16-bit units
_PACKED_MASKS = np.array([0, 0, 2**32 - 1, 2**48 - 1, 2**64 - 1], dtype=np.uint64)
#: the key of every longer term that is a stopword (no packed term has it: U+FFFF is not Han)
_LONG_STOPWORD_KEY = 2**64 - 1


def _term_keys(text: str, codes: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """A ``uint64`` key per content term ``text[starts[i]:starts[i] + lengths[i]]``: two terms
    have the same key if and only if they are the same string (or both stopwords of more than
    four characters).

    A content term's characters are Han characters of the BMP (U+3400 and above), so a term of up
    to four characters is keyed by its characters' 16-bit units packed into one integer, the first
    in the lowest bits; the highest non-zero unit is the last character, so terms of different
    lengths never share a key. A longer term (a few dozen per report) is keyed by the number of
    distinct longer terms before it, an integer below the smallest packed key (U+3400 × 2**16),
    or by ``_LONG_STOPWORD_KEY`` if it is a stopword.
    """
    units = np.zeros(len(codes) + _PACKED_CHARS - 1, dtype="<u2")
    units[: len(codes)] = codes  # a code point outside the BMP wraps: no term holds one
    # at offset p, the units p … p+3 read as one little-endian integer (overlapping views)
    packed = np.ndarray(len(codes), dtype="<u8", buffer=units, strides=(2,))
    # (take: indexing the unaligned view costs twice as much; "clip" reads a longer term's mask
    # as the four-character one)
    keys = packed.take(starts) & _PACKED_MASKS.take(lengths, mode="clip")
    longer = np.flatnonzero(lengths > _PACKED_CHARS)
    if len(longer):
        stop, numbers = stopwords(), {}
        ends = starts[longer] + lengths[longer]
        keys[longer] = [
            _LONG_STOPWORD_KEY if (term := text[a:b]) in stop else numbers.setdefault(term, len(numbers))
            for a, b in zip(starts[longer].tolist(), ends.tolist())
        ]
    return keys


@lru_cache(maxsize=1)
def _stopword_keys() -> np.ndarray:
    """The distinct keys (:func:`_term_keys`) of the stopwords that a content term can be, with
    ``_LONG_STOPWORD_KEY``."""
    words = [w for w in stopwords() if _HAN_TERM.fullmatch(w)]
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
    joined = "".join(words)
    keys = _term_keys(joined, code_points(joined), np.cumsum(lengths) - lengths, lengths)
    return np.unique(np.append(keys, np.uint64(_LONG_STOPWORD_KEY)))


def _term_strings(codes: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> pa.Array:
    """The content terms at ``starts`` (of ``lengths`` characters) as an Arrow string array, made
    from their gathered code points (one decoding and encoding, no Python string per term); each
    character of a content term is three bytes in UTF-8."""
    ends = np.cumsum(lengths)
    gathered = codes.take(np.arange(ends[-1] if len(ends) else 0) + np.repeat(starts - (ends - lengths), lengths))
    data = gathered.tobytes().decode("utf-32-le").encode("utf-8")
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    offsets[1:] = 3 * ends
    return pa.LargeStringArray.from_buffers(len(lengths), pa.py_buffer(offsets), pa.py_buffer(data))


#: ``(Arrow data of a text column, its joined text)`` of the last two sentence tables joined
_JOINED: list[tuple[object, str]] = []


def sentences_text(sentences: pd.DataFrame) -> str:
    """The sentences' texts joined by newlines — the string both measures cut (and share).

    The pipeline asks for the joined text of a report twice (attention, term counts), and turning
    the text column into Python strings costs more than the join. An Arrow-backed column's data is
    immutable (pandas replaces it, never changes it in place), so the same data object means the
    same joined text: it is remembered for the last two tables.
    """
    column = column_array(sentences, "text")
    data = getattr(column, "_pa_array", None)
    if data is not None:
        for cached, joined in _JOINED:
            if cached is data:
                return joined
    joined = _join_arrow_lines(data) if data is not None else None
    if joined is None:
        joined = "\n".join(column.tolist())
    if data is not None:
        _JOINED[:] = [(data, joined), *_JOINED[:1]]
    return joined


def _join_arrow_lines(data: pa.ChunkedArray) -> str | None:
    """``"\\n".join`` of an Arrow string column without nulls, joined by Arrow (one Python string
    instead of one per sentence); None when the column has nulls (the caller's join raises)."""
    if data.null_count or not pa.types.is_string(data.type) and not pa.types.is_large_string(data.type):
        return None
    lines = data.combine_chunks() if data.num_chunks != 1 else data.chunk(0)
    offsets = pa.array([0, len(lines)], type=pa.int64() if pa.types.is_large_string(lines.type) else pa.int32())
    as_list = (pa.LargeListArray if pa.types.is_large_string(lines.type) else pa.ListArray).from_arrays(offsets, lines)
    return pc.binary_join(as_list, pa.scalar("\n", type=lines.type))[0].as_py()


def term_counts(
    sentences: pd.DataFrame | Iterable[str] | str, keep_whole: Iterable[str] = (), *, cut: _CutAnalysis | None = None
) -> pd.DataFrame:
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
    cut : optional
        The text's cut (:func:`_analyse_cut` of ``sentences`` given as a str, or of
        :func:`sentences_text`), if the caller has made it; by default it is made (and cached).

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
    # == count_terms(_cut_keeping(text, keep_whole)), without cutting the text again (_kept_cut)
    # and counted as integer keys of the terms' characters (_term_keys): no string per token
    if cut is None:
        cut = _cut_analysis(text)
    elif len(cut.codes) != len(text):
        raise ValueError("cut is not the cut of the text counted")
    starts, lengths = _kept_cut(text, words, cut)
    codes = cut.codes
    # the distinct terms in order of first use (a hash table: no sort of the occurrences), after
    # the stopwords' keys: the same hashing tells the stopwords apart (a term is one if its index
    # is one of the stopwords'), cheaper than looking each distinct term up afterwards
    stop_keys = _stopword_keys()
    n_stop = len(stop_keys)
    index, distinct = pd.factorize(np.concatenate([stop_keys, _term_keys(text, codes, starts, lengths)]))
    term_index = index[n_stop:]
    n = np.bincount(term_index, minlength=len(distinct))
    occurrence = np.empty(len(distinct), dtype=np.int64)
    occurrence[term_index] = np.arange(len(term_index))  # one occurrence of each (any: they are equal)
    # most frequent first, ties in order of first use (a stable sort of 16-bit integers is a radix
    # sort, faster than sorting the counts themselves)
    n_term = n[n_stop:]
    most_first = (n_term.max() - n_term).astype(np.uint16) if len(n_term) and n_term.max() < 1 << 16 else -n_term
    order = n_stop + np.argsort(most_first, kind="stable")
    first_use = occurrence.take(order)
    terms = _term_strings(codes, starts.take(first_use), lengths.take(first_use))
    # wrapped directly when that is what pandas builds (pd.array would check the Arrow array again)
    term = arrow_string_array(terms) if ARROW_STRINGS else pd.array(terms, dtype="string")
    return frame(_TERM_COUNT_LABELS, [term, n.take(order)])
