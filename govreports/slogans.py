"""Stage 5c — slogans: the quoted and numbered catch-phrases of a report (提法).

Local governments brand their programmes with short slogans — 三个千亿, 五个一批, “3+5+X”, 两地一中心,
四群八链 — and repeat the national and Party formulas (两个确立, 四个意识, 六稳六保, 十四五). The local
slogans are what makes a city's report distinctive; the national formulas show how closely it
follows the centre.

Rules
-----
Candidates
    1. Quoted phrases: text between “…”, 「…」, 『…』 or a pair of ASCII double quotes, that is
       slogan-like: 2–12 characters (not counting the enumeration comma 、 and whitespace), no
       sentence punctuation (，。；：！？), no brackets or book-title marks (a quoted sentence, an
       aside or a document title is not a slogan), and at least one Han character or an
       arithmetic slogan of digits and letters joined by ``+`` (“3+5+X”, “互联网+”). Rhetorical
       quotes (“冲锋号”) are slogan-like by this rule and are kept; ``is_numbered`` and
       ``n_mentions`` separate them from programme names.
    2. National formulas of ``lexicons/slogans_national.csv`` that occur in the text, quoted or
       not (六稳六保 is often written without quotes).
    3. Glossary terms that are numbered (the report's own notes define them: 七个位, 2+4).
    4. Unquoted parallel numbered phrases of four characters, numeral–character–numeral–character
       with two different or repeated count numerals (四群八链, 两免一补, 三严三实). Only this
       tight shape is taken unquoted: wider shapes have unclear edges in running text, and the
       一X一Y shape is left out because most such words are idioms (一心一意, 一点一滴); a 一X一Y
       slogan is found when the report quotes it once. Congress and session names
       (十八大, 三中全会) and years are excluded, and so is a match that is part of a longer
       chain (四尘三烟 in 四尘三烟三气) or of a quoted candidate.
    Whitespace inside a slogan is removed (web pages write “双 减”). A quoted place name (an
    administrative-division name or its bare form: “浔阳”) or a stopword (“我们”) is naming or
    emphasis, not a slogan, and is dropped (national formulas excepted).
is_numbered / number
    A slogan is numbered when it contains a numeral used as a count: a Chinese numeral (一 … 十,
    两, 双 at the start) followed by a measure word (个, 大, 项, 条, 种, 类, 批, 件 …), or at the start
    of the slogan before a Han character (四城联创), or repeated in parallel (两地一中心); an Arabic
    number of one or two digits (“3+5+X”). Not counts: magnitudes (千亿时代, 万人助万企), fractions
    (二分之一), five-year-plan ordinals (十四五, 八五 — but 十五景 counts 15), numeral-initial words listed in
    ``lexicons/slogan_non_count_words.txt`` (一流, 一体化), long Arabic codes (“5020”). ``number`` is
    the first count as an integer; <NA> when the slogan is not numbered. National formulas take
    both values from the stoplist.
is_national_formula
    The slogan is in the stoplist.
in_glossary
    The glossary (the report's numbered notes) defines the slogan: it equals a glossary term, or a
    phrase quoted inside a glossary term (校园安防“四个一” defines 四个一), quotes and whitespace
    ignored. <NA> when no glossary is given.
n_mentions
    Non-overlapping occurrences of the slogan in the text, quoted or not, whitespace ignored. The
    spans of the glossary notes (where the glossary gives them) are left out — a note that defines
    a slogan is not a mention, and phrases quoted only inside a note's definition (the “一室” of
    “一室三中心”) are not candidates. An occurrence inside a longer slogan counts (六稳 in 六稳六保).
"""
from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from .frames import code_points, column_labels, frame, plain_columns, string_array

SLOGAN_COLUMNS = ["slogan", "n_mentions", "is_numbered", "number", "is_national_formula", "in_glossary"]
_SLOGAN_LABELS = column_labels(SLOGAN_COLUMNS)

MAX_SLOGAN_CHARS = 12
MIN_SLOGAN_CHARS = 2

_QUOTED = re.compile(r"“([^“”\n]{1,40})”|「([^「」\n]{1,40})」|『([^『』\n]{1,40})』|\"([^\"\n]{1,40})\"")
# The first branch of _QUOTED alone. The cleaner writes every quote as “…”, and a pattern that starts
# with one literal character is searched several times faster than a four-way alternation.
_CURLY_QUOTED = re.compile(r"“([^“”\n]{1,40})”")
_OTHER_OPENING_QUOTES = ("「", "『", '"')
_NOT_SLOGAN_CHARS = re.compile(r"[，,。；;：:！!？?《》〈〉<>（）()\[\]【】“”「」『』…]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_PLUS_FORMULA = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff]+(?:\+[0-9A-Za-z\u4e00-\u9fff]*)+$")
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
_QUOTE_MARKS = re.compile(r"[“”「」『』\"'‘’]")
_PLUS_NUMBER = re.compile(r"[0-9]\+|\+[0-9]")

_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_TENS = re.compile(r"([一二三四五六七八九])?十([一二三四五六七八九])?")
_NUMERAL_RUN = re.compile(r"[0-9]+|[一二两三四五六七八九十百千万双]+")
_NOT_A_COUNT_AFTER_DIGITS = re.compile(r"[.%年A-Za-z]")
_MEASURE_WORDS = "个大项条种类批件位张支座场次轮类区园带化风型"
_PLAN_ORDINAL = re.compile(r"^(?:十[一二三四五六七八九]?|[六七八九])五$")
# Four-character parallel phrase: count numeral, one character, count numeral, one character, not
# preceded by a numeral or 第. The lookbehind stands after the first numeral (it looks back over the
# numeral and the character before it) so that the search can skip ahead to the next numeral instead
# of testing the lookbehind at every character of the text; the matches are the same.
_PARALLEL4 = re.compile(
    r"([二两三四五六七八九十双])(?<![一二两三四五六七八九十百千万〇零0-9第].)"
    r"([\u4e00-\u9fff])([一二两三四五六七八九十双])([\u4e00-\u9fff])"
)
_PARALLEL_NUMERALS = "一二两三四五六七八九十双"  # the numerals of _PARALLEL4's first and third characters
_PLAN_WORDS = "规时期末计"
_PARALLEL_STEM_EXCLUDED = set("大届中次年月日号期分之批方百千万")


_CHAIN_CONTINUES = re.compile(r"[一二两三四五六七八九十双][\u4e00-\u9fff]")


def _read_lexicon(name: str) -> str:
    return resources.files("govreports").joinpath("lexicons", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def national_formulas() -> pd.DataFrame:
    """The stoplist ``lexicons/slogans_national.csv``: ``slogan`` (string), ``is_numbered``
    (boolean), ``number`` (Int64)."""
    lines = [ln for ln in _read_lexicon("slogans_national.csv").splitlines() if ln.strip() and not ln.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    return pd.DataFrame(
        {
            "slogan": pd.Series([r["slogan"].strip() for r in rows], dtype="string"),
            "is_numbered": pd.Series([r["is_numbered"].strip().lower() == "true" for r in rows], dtype="boolean"),
            "number": pd.Series([int(r["number"]) if r["number"].strip() else None for r in rows], dtype="Int64"),
        }
    )


@lru_cache(maxsize=1)
def _national_lookup() -> dict[str, tuple[bool, int | None]]:
    table = national_formulas()
    return {
        s: (bool(n), None if pd.isna(v) else int(v))
        for s, n, v in zip(table["slogan"].tolist(), table["is_numbered"].tolist(), table["number"].tolist())
    }


@lru_cache(maxsize=1)
def _national_pattern() -> re.Pattern:
    formulas = sorted(_national_lookup(), key=len, reverse=True)
    return re.compile("|".join(re.escape(f) for f in formulas))


@lru_cache(maxsize=1)
def _national_by_head() -> dict[str, tuple[str, ...]] | None:
    """The national formulas grouped by their first two characters, each group in the order in which
    the alternation of ``_national_pattern`` tries them; None when a formula is shorter than that."""
    formulas = sorted(_national_lookup(), key=len, reverse=True)
    if any(len(f) < 2 for f in formulas):
        return None
    groups: dict[str, list[str]] = {}
    for formula in formulas:
        groups.setdefault(formula[:2], []).append(formula)
    return {head: tuple(group) for head, group in groups.items()}


@lru_cache(maxsize=1)
def _non_count_words() -> tuple[str, ...]:
    words = [ln.strip() for ln in _read_lexicon("slogan_non_count_words.txt").splitlines()]
    return tuple(sorted((w for w in words if w and not w.startswith("#")), key=len, reverse=True))


@lru_cache(maxsize=1)
def _non_count_words_by_first_char() -> dict[str, tuple[str, ...]]:
    """The non-count words grouped by their first character: a phrase is tested only against the
    few words that can start where it starts."""
    groups: dict[str, list[str]] = {}
    for word in _non_count_words():
        groups.setdefault(word[0], []).append(word)
    return {first: tuple(words) for first, words in groups.items()}


@lru_cache(maxsize=1)
def _non_count_word_heads() -> frozenset[str]:
    """The first two characters of each non-count word (the word itself when it has one).

    A pair of characters starts a non-count word or is started by one exactly when it, or its first
    character, is in this set: the test of a parallel phrase's second half, without a loop over the
    words.
    """
    return frozenset(word[:2] for word in _non_count_words())


def normalize_slogan(phrase: str) -> str:
    """A phrase as a slogan key: quotes and whitespace removed."""
    return _QUOTE_MARKS.sub("", "".join(phrase.split()))  # str.split and \s agree on whitespace


def is_slogan_like(phrase: str) -> bool:
    """True for a short quoted phrase that can be a slogan (see the module rules)."""
    if _NOT_SLOGAN_CHARS.search(phrase):
        return False
    n = len(phrase) - phrase.count("、")
    if not MIN_SLOGAN_CHARS <= n <= MAX_SLOGAN_CHARS:
        return False
    return bool(_HAN.search(phrase)) or bool(_PLUS_FORMULA.match(phrase))


def _chinese_value(run: str) -> int | None:
    """Value of a numeral run 一 … 九十九 (两, 双 = 2); None for anything else."""
    if run == "双":
        return 2
    if run in _CN_DIGIT:
        return _CN_DIGIT[run]
    m = _CN_TENS.fullmatch(run)
    if m:
        tens = _CN_DIGIT[m.group(1)] if m.group(1) else 1
        ones = _CN_DIGIT[m.group(2)] if m.group(2) else 0
        return tens * 10 + ones
    return None


def numbered_count(slogan: str) -> int | None:
    """The first count in a slogan (see the module rules), or None when it has none.

    Examples
    --------
    >>> numbered_count("三个千亿"), numbered_count("两地一中心"), numbered_count("3+5+X")
    (3, 2, 3)
    >>> numbered_count("十四五") is None, numbered_count("千亿时代") is None
    (True, True)
    """
    runs = _NUMERAL_RUN.findall(slogan)
    if not runs:
        return None
    if len(runs) == 1 and runs[0] == slogan:
        return None  # a bare number (十五 = the 10th five-year plan, 4050)
    parallel = sum(1 for run in runs if not run.isdigit()) >= 2
    non_count_words = _non_count_words_by_first_char()
    for run in _NUMERAL_RUN.finditer(slogan):
        text, start, end = run.group(), run.start(), run.end()
        after = slogan[end:end + 1]
        if text.isdigit():
            decimal = start > 0 and slogan[start - 1] in ".．"
            if len(text) <= 2 and not decimal and not _NOT_A_COUNT_AFTER_DIGITS.match(after):
                return int(text)
            continue
        if text[0] in "百千万" or slogan.startswith("分之", end):
            continue
        if _PLAN_ORDINAL.match(text) and (not after or after in _PLAN_WORDS):
            continue
        if text == "双" and start > 0:
            continue
        if not parallel and any(slogan.startswith(w, start) for w in non_count_words.get(text[0], ())):
            continue
        value = _chinese_value(text)
        if value is None:
            # a run such as 三千 or 五十亿: read its leading count only when a measure word follows
            continue
        if after and after in _MEASURE_WORDS:
            return value
        if after and _HAN.match(after) and (start == 0 or parallel):
            return value
    return None


@lru_cache(maxsize=1 << 16)
def _slogan_attributes(slogan: str) -> tuple[bool, int, bool, bool]:
    """``is_numbered``; ``number`` as its column stores it (1 where it is missing, as ``pd.array``
    leaves a masked value) and whether it is missing; ``is_national_formula``. They depend on the
    slogan alone, and a corpus repeats its slogans from report to report, so they are cached."""
    national = _national_lookup()
    if slogan in national:
        is_numbered, number = national[slogan]
        is_national = True
    else:
        number = numbered_count(slogan)
        is_numbered, is_national = number is not None or bool(_PLUS_NUMBER.search(slogan)), False
    return is_numbered, 1 if number is None else number, number is None, is_national


def _present(value) -> bool:
    """False for a missing value (None, NaN, <NA>): what ``dropna`` drops, without its cost."""
    return isinstance(value, str) or not pd.api.types.is_scalar(value) or not pd.isna(value)


def _glossary_keys(glossary: pd.DataFrame) -> set[str]:
    keys: set[str] = set()
    if len(glossary) == 0:
        return keys
    for term in plain_columns(glossary, ["term"])[0]:
        if not _present(term):
            continue
        term = str(term)
        keys.add(normalize_slogan(term))
        for m in _QUOTED.finditer(term):
            inner = next(g for g in m.groups() if g is not None)
            keys.add(normalize_slogan(inner))
    keys.discard("")
    return keys


def _text_without_glossary_notes(text: str, glossary: pd.DataFrame | None) -> str:
    """The text with the glossary notes' spans blanked (only spans that hold the definition)."""
    if glossary is None or len(glossary) == 0 or not {"char_start", "char_end", "definition"} <= set(glossary.columns):
        return text
    pieces, cursor = [], 0
    spans = [
        (int(start), int(end), definition)
        for start, end, definition in zip(*plain_columns(glossary, ["char_start", "char_end", "definition"]))
        if _present(start) and _present(end)
    ]
    for start, end, definition in sorted(spans):
        head = str(definition)[:6] if isinstance(definition, str) else ""
        if start < cursor or end <= start or not head or head not in text[start:end]:
            continue
        pieces.append(text[cursor:start])
        cursor = end
    pieces.append(text[cursor:])
    return "\n".join(pieces)


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """Division names and their bare forms (浔阳区, 浔阳): a quoted place name is a name, not a slogan."""
    from .metadata import bare_name, divisions

    names = set(divisions())
    return frozenset(names | {bare_name(n) for n in names})


def _is_place_or_common_word(phrase: str) -> bool:
    """Quoted place names (“浔阳”) and stopwords (“我们”) are emphasis or naming, not slogans;
    national formulas stay whatever they look like."""
    if phrase in _national_lookup():
        return False
    from .segment import stopwords

    return phrase in _place_names() or phrase in stopwords()


@lru_cache(maxsize=1 << 16)
def _quoted_candidate(inner: str) -> str | None:
    """The slogan a quoted phrase stands for (rule 1), or None. Reports quote the same phrases over
    and over, so the answer is cached."""
    phrase = normalize_slogan(inner)
    if is_slogan_like(phrase) and not _is_place_or_common_word(phrase):
        return phrase
    return None


def _quoted_inners(text: str) -> list[str]:
    """The text inside each quote pair of ``_QUOTED``, in text order."""
    if any(mark in text for mark in _OTHER_OPENING_QUOTES):
        return [next(g for g in groups if g) for groups in _QUOTED.findall(text)]
    return _CURLY_QUOTED.findall(text)  # only the first branch of _QUOTED can match


class _PairIndex:
    """A text with a 16-bit hash of each of its character pairs, for finding many phrases at once.

    A report has some 80 slogan candidates, and one ``str.count`` or regex alternation scans the
    whole report for each. The pair hashes are computed once, in a vectorized pass; then one NumPy
    look-up finds the few hundred places where the first two characters of some phrase may stand
    (hash collisions only add places to check), and only those are checked in Python.
    """

    _MULTIPLIER = np.uint32(40503)
    _MULTIPLIER_16 = np.uint16(40503)
    _MASK = np.uint32(0xFFFF)

    def __init__(self, text: str):
        self.text = text
        units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
        #: The code point of each character (as uint16), or None when the text has characters beyond
        #: the BMP (UTF-16 units are then not characters).
        self.units = units if len(units) == len(text) else None
        self._codes = units if self.units is not None else code_points(text)
        self._hashes = self._hash(self._codes[:-1], self._codes[1:])

    @classmethod
    def _hash(cls, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """``(first * 40503 + second) mod 2**16`` as uint16 (it wraps around: only a hash).

        On 16-bit code points (the usual case) 16-bit arithmetic wraps around to it, from half the
        bytes and without masking. A pair's hash, hashed with a third character, is the triple's.
        """
        if first.dtype == np.uint16 and second.dtype == np.uint16:
            return first * cls._MULTIPLIER_16 + second
        return ((first.astype(np.uint32) * cls._MULTIPLIER + second) & cls._MASK).astype(np.uint16)

    @classmethod
    def table(cls, heads) -> np.ndarray:
        """The look-up table of ``heads`` (strings of two characters, or all of three)."""
        table = np.zeros(1 << 16, dtype=bool)
        if heads:
            # the code points of all heads at once (np.array of a list of pairs converts slowly)
            codes = code_points("".join(heads)).reshape(len(heads), -1)
            hashes = cls._hash(codes[:, 0], codes[:, 1])
            if codes.shape[1] == 3:
                hashes = cls._hash(hashes, codes[:, 2])
            table[hashes] = True
        return table

    def positions(self, table: np.ndarray, triples: np.ndarray | None = None) -> list[int]:
        """Ascending positions where a pair of ``table`` (or a triple of the table ``triples``) may
        start."""
        hits = table.take(self._hashes)  # take: faster than table[…]
        if triples is not None and len(hits) > 1:
            hits[:-1] |= triples.take(self._hash(self._hashes[:-1], self._codes[2:]))
        return np.flatnonzero(hits).tolist()


@lru_cache(maxsize=1)
def _whitespace_table() -> np.ndarray:
    """Which BMP code points are whitespace to ``str.split`` (``str.isspace``; read-only)."""
    table = np.array([chr(c).isspace() for c in range(1 << 16)], dtype=bool)
    table.flags.writeable = False
    return table


def _compact_index(text: str) -> _PairIndex:
    """The pair index of the text without whitespace, ``"".join(text.split())``.

    A clean text has no whitespace but its line breaks (and rarely a space): removing them with
    ``str.replace`` and checking the index's code points for any other whitespace costs a third of
    splitting the text at every whitespace character.
    """
    index = _PairIndex(text.replace("\n", ""))
    if index.units is not None and not _whitespace_table().take(index.units).any():
        return index
    return _PairIndex("".join(text.split()))


@lru_cache(maxsize=1)
def _national_table() -> np.ndarray:
    """The pair-index table of the national formulas' first two characters (read-only)."""
    table = _PairIndex.table(_national_by_head() or ())
    table.flags.writeable = False
    return table


def _national_formulas_in(compact: _PairIndex) -> list[str]:
    """What ``_national_pattern().findall(compact.text)`` returns, read off the pair index.

    The alternation is tried at every character of the text; a formula can only start where the
    index marks its first two characters. At each such place, from left to right and after the end
    of the last match, the first formula in the alternation's order (longest first) that is there
    is the match, as in the regex.
    """
    by_head = _national_by_head()
    if by_head is None:
        return _national_pattern().findall(compact.text)
    text, found, cursor = compact.text, [], 0
    for position in compact.positions(_national_table()):
        if position < cursor:
            continue
        for formula in by_head.get(text[position:position + 2], ()):
            if text.startswith(formula, position):
                found.append(formula)
                cursor = position + len(formula)
                break
    return found


@lru_cache(maxsize=1)
def _numeral_table() -> np.ndarray:
    """Which BMP code points are count numerals of :data:`_PARALLEL4` (read-only)."""
    table = np.zeros(1 << 16, dtype=bool)
    table[code_points(_PARALLEL_NUMERALS)] = True
    table.flags.writeable = False
    return table


def _parallel_phrases(compact: _PairIndex):
    """``_PARALLEL4.finditer(compact.text)``, tried only where a numeral stands two characters
    before another (the pattern's first and third characters).

    Why: a regex scan tests every character of the report for the first numeral, and finds a few
    matches; one NumPy pass over the code points finds the few dozen places where one can start.
    Taken left to right, each after the end of the last match, they give the matches of the scan.
    """
    if compact.units is None:
        yield from _PARALLEL4.finditer(compact.text)
        return
    numeral = _numeral_table().take(compact.units)
    cursor = 0
    for position in np.flatnonzero(numeral[:-2] & numeral[2:]).tolist():
        if position >= cursor and (match := _PARALLEL4.match(compact.text, position)) is not None:
            yield match
            cursor = match.end()


def find_slogan_candidates(text: str, compact: str | None = None) -> list[str]:
    """Slogan candidates of rules 1, 2 and 4, normalized, in order of first occurrence.

    ``compact`` is the text without whitespace, when the caller has it already.
    """
    return _find_candidates(text, _compact_index(text) if compact is None else _PairIndex(compact))


def _find_candidates(text: str, compact: _PairIndex) -> list[str]:
    """:func:`find_slogan_candidates` on the pair index of the compact text."""
    # Quoted place names and stopwords are left out as they come: none of them is a national
    # formula, so dropping them before the formulas are added keeps the order of the others.
    found: dict[str, None] = {}
    for inner in _quoted_inners(text):
        phrase = _quoted_candidate(inner)
        if phrase is not None:
            found.setdefault(phrase, None)
    for formula in _national_formulas_in(compact):
        found.setdefault(formula, None)
    quoted = "\n".join(found)  # a parallel phrase (four Han characters) is inside one of them or not at all
    non_count_heads = _non_count_word_heads()
    for m in _parallel_phrases(compact):
        if m.group(2) in _PARALLEL_STEM_EXCLUDED or m.group(4) in _PARALLEL_STEM_EXCLUDED:
            continue
        phrase = m.group()
        second = phrase[2:]
        if second in non_count_heads or second[0] in non_count_heads:
            continue  # 长三角一体化: the second "numeral" starts a word that counts nothing, or is one
        if _CHAIN_CONTINUES.match(compact.text, m.end()) or phrase in quoted:
            continue  # part of a longer chain (四尘三烟三气): its edges are unclear unquoted
        found.setdefault(phrase, None)
    return list(found)


def _count_mentions(compact: _PairIndex, phrases: list[str]) -> list[int]:
    """``compact.text.count(phrase)`` for every phrase: non-overlapping occurrences, leftmost first.

    The occurrences are found through the pair index (see :class:`_PairIndex`), by the first three
    characters of a longer phrase (two thirds of the places where the first two stand are not the
    phrase); each phrase then takes them left to right, skipping those that overlap the previous
    one, as ``str.count`` does.
    """
    text = compact.text
    counts = [0] * len(phrases)
    by_head: dict[str, list[int]] = {}
    pairs, triples = [], []
    for i, phrase in enumerate(phrases):
        if len(phrase) < 2:
            counts[i] = text.count(phrase)
        else:
            by_head.setdefault(phrase[:2], []).append(i)
            (pairs if len(phrase) == 2 else triples).append(phrase[:3])
    if not by_head:
        return counts
    ends = [0] * len(phrases)  # where each phrase's last counted occurrence ends
    for position in compact.positions(_PairIndex.table(pairs), _PairIndex.table(triples)):
        for i in by_head.get(text[position:position + 2], ()):
            if position >= ends[i] and text.startswith(phrases[i], position):
                counts[i] += 1
                ends[i] = position + len(phrases[i])
    return counts


def _slogan_frame(slogans: list[str], n_mentions: list[int], glossary_keys: set[str] | None) -> pd.DataFrame:
    """The slogans table of ``slogans`` (in table order) mentioned ``n_mentions`` times, built from
    NumPy and Arrow arrays: ``pd.array`` on lists infers and checks every value, and a dict of arrays
    is copied unless ``copy=False`` — together more than the rest of the stage costs. The arrays are
    the frame's own (none is shared), so nothing needs copying. ``glossary_keys`` None: ``in_glossary``
    is <NA>."""
    n = len(slogans)
    is_numbered, number, no_number, is_national = zip(*map(_slogan_attributes, slogans)) if slogans else ((),) * 4
    none_missing = np.zeros(n, dtype=bool)
    if glossary_keys is None:
        # a masked value holds False, as pd.array leaves it
        in_glossary = pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.ones(n, dtype=bool))
    else:
        in_glossary = pd.arrays.BooleanArray(np.array([s in glossary_keys for s in slogans], dtype=bool), none_missing)
    columns = [
        string_array(slogans),
        pd.arrays.IntegerArray(np.array(n_mentions, dtype=np.int64), none_missing.copy()),
        pd.arrays.BooleanArray(np.array(is_numbered, dtype=bool), none_missing.copy()),
        pd.arrays.IntegerArray(np.array(number, dtype=np.int64), np.array(no_number, dtype=bool)),
        pd.arrays.BooleanArray(np.array(is_national, dtype=bool), none_missing.copy()),
        in_glossary,
    ]
    return frame(_SLOGAN_LABELS, columns)


def extract_slogans(text: str, sentences: pd.DataFrame | None = None, glossary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Slogans of one report, with how often each is mentioned and whether it is numbered.

    Parameters
    ----------
    text : str
        The clean text.
    sentences : DataFrame, optional
        The structure stage's sentences; accepted for the stage contract (candidates and counts
        are read from the whole text, so slogans in headings are found too).
    glossary : DataFrame, optional
        The glossary stage's table (``term``; ``definition``, ``char_start``, ``char_end`` used when
        present). ``None``: ``in_glossary`` is <NA>.

    Returns
    -------
    DataFrame
        ``slogan`` (string), ``n_mentions`` (Int64), ``is_numbered`` (boolean), ``number`` (Int64,
        the first count; <NA> when not numbered), ``is_national_formula`` (boolean),
        ``in_glossary`` (boolean, <NA> without a glossary) — one row per slogan mentioned in the
        text outside the glossary notes, most mentioned first, then in order of discovery (quoted
        phrases in text order, then national formulas, unquoted numbered phrases, glossary terms).
    """
    # the notes that define glossary terms are neither candidates' sources nor mentions
    without_notes = _text_without_glossary_notes(text, glossary)
    compact = _compact_index(without_notes)
    candidates = _find_candidates(without_notes, compact)
    glossary_keys: set[str] | None = None
    if glossary is not None and "term" in glossary.columns:
        glossary_keys = _glossary_keys(glossary)
        seen = set(candidates)
        for key in sorted(glossary_keys):
            if key not in seen and is_slogan_like(key) and numbered_count(key) is not None:
                candidates.append(key)

    counts = _count_mentions(compact, candidates)
    # most mentioned first, then in order of discovery (a reversed sort is stable too); a candidate
    # seen only inside the glossary notes (no mention) is not a slogan of the report body
    order = sorted((i for i, n in enumerate(counts) if n > 0), key=counts.__getitem__, reverse=True)
    slogans = [candidates[i] for i in order]
    if _SURROGATE.search("".join(slogans)):
        # A surrogate code point (an undecodable byte a lenient decoder kept; the cleaner never
        # leaves one) cannot be written as UTF-8, so a slogan holding it could not be stored. It is
        # an unknown character, as U+FFFD is: the slogans are those of the text with U+FFFD in its
        # place, one character for one (the glossary's offsets stay right). Checked on the few
        # slogans found, not on the text.
        return extract_slogans(_SURROGATE.sub(REPLACEMENT, text), sentences, glossary)
    return _slogan_frame(slogans, [counts[i] for i in order], glossary_keys)
