"""Stage 2 — clean: decoded text → the clean, simplified report body, with every repair logged.

:func:`clean_text` takes the text exactly as decoded by :mod:`govreports.read` and returns a
:class:`CleanResult`. Every change is counted in ``repairs`` (one row per kind); a repair that is
not sure leaves the text as it is and says so in ``notes``.

Steps, in order, and why each exists
------------------------------------
0. **Surrogates** (``undecodable_character``). A lenient decoder (``surrogateescape``, JSON
   ``\\ud800`` escapes) can leave surrogate code points, which no UTF-8 writer (OpenCC, Arrow,
   parquet) accepts: a lone one becomes U+FFFD (one character for one, counted as unresolved), a
   (high, low) pair written as two code points the character it encodes. Found when OpenCC refuses
   the text (no cost for the texts without one); the text is then cleaned again from the start.
1. **GBK mojibake** (``gbk_mojibake``). Some pages were GBK bytes decoded one byte out of step: the
   lost byte shows as ``?`` and the following bytes pair up wrongly (``??偟膩碚f`` for ``。總的來說``)
   until an ASCII byte puts the decoder back in step. The rule, read off the bytes of the sample
   pages: a run is ``?`` + the out-of-step characters + the resynchronising byte (an ASCII letter,
   i.e. the original last character's trail byte), or + a final ``?`` (a dangling byte, or an invalid
   pair that swallowed one ASCII byte). Full-width punctuation inside a run was later turned into
   ASCII (``？`` → ``?``, ``！`` → ``!``, ``；`` → ``;``), and unmapped pairs came out as private-use
   characters. We re-encode the run as GB18030 (mapping that punctuation back), put the unknown
   byte(s) in front / at the end and decode in step again. The unknown bytes are chosen by a
   character-level word model built from a general dictionary, not from our reports (jieba's
   ``dict.txt``, see ``scripts/build_clean_bigrams.py``): word-internal character pairs
   (``lexicons/clean_char_bigrams.csv``) and how often a character is a one-character word, begins,
   is inside or ends a word, with punctuation and digits as tokens of their own and a clause-final
   readiness per character from the part of speech (``lexicons/clean_char_classes.csv``); a window of
   two characters on each side is scored by summing over the word boundaries. A guess must beat
   the runner-up clearly (``_GUESS_MARGIN``, chosen so that guesses on text the model never saw are
   rarely wrong), else the character becomes U+FFFD. Some pages also dropped the out-of-step byte
   pairs that fall in GBK's user-defined rows (a page that shows private-use characters never
   does): the lead byte of one character is then spliced to the trail byte of the next
   (``保基金`` → ``保火``). A character that makes no word with its neighbours and is no common
   one-character word is tested for that: rebuilt as two characters when one pair is clearly best,
   else U+FFFD U+FFFD; a guess whose neighbour had to be rebuilt becomes U+FFFD too. Missing beats
   wrong. A label spaced out with ``?`` (``有?效?期?:``) is no run. A run is only replaced when
   the recovered text is far more plausible than the run itself. Every U+FFFD and private-use character left is counted in ``unresolved_chars``.
2. **Pinyin glosses** (``pinyin_gloss``): ``鎮(zhèn)江`` → ``鎮江``, also across a line break; only
   lower-case text made of pinyin syllables right after a Chinese character, so ``(一)``, ``(P12)``,
   ``(下同)`` stay.
3. **Lost ``?``** left in the text: between digits it was a decimal point (``lost_decimal_point``,
   ``47?5%`` → ``47.5%``); between two names inside a quotation a middle dot (``lost_middle_dot``,
   ``中国这十年?湖南`` → ``中国这十年·湖南``); after a question word a real question mark; anything
   else between Chinese characters becomes U+FFFD (``lost_character``, counted as unresolved).
4. **Traditional → simplified** with OpenCC ``t2s`` (one converter, built once).
   ``script_original`` is measured on the body: ``traditional`` / ``simplified`` / ``mixed``.
5. **Body bounds, chrome and spam** (``page_chrome``, ``spam_line`` …, patterns in
   ``lexicons/clean_chrome_patterns.csv`` and ``lexicons/clean_spam_terms.csv``). The body starts
   at the first title line (``…政府工作报告``), dateline (``——2022年1月23日在…会议上``), salutation
   (``各位代表``) or first heading (``一、``); everything before it is page chrome or spam. Chrome
   lines inside and after the body are removed (metadata tables, bylines, 返回顶部 …), chrome glued
   to the end of a paragraph is cut off (``相关解读：…``), and a copy of the title after the end is
   dropped. The glossary (名词解释 / 注释 and its numbered notes) is kept. A last line naming the
   secretariat (``市十七届人大三次会议秘书处 2023年1月``) is kept: it belongs to the document.
6. **Layout**: title block glued on one line is split into title / dateline / speaker
   (``glued_title_block``); a dateline broken over two lines is joined (``broken_line``); spaced
   titles ``政 府 工 作 报 告`` are closed up (``spaced_title``); a level-1 heading glued to its
   paragraph is split where the heading ends with a heading word and the paragraph starts like a
   paragraph (``glued_heading``, ``lexicons/clean_heading_split.csv``).
7. **Width and punctuation — the one normalization** (``width_normalization``,
   ``punctuation_normalization``):

   * full-width digits, Latin letters and ``％`` become ASCII (``２０２２`` → ``2022``); ``．``
     between digits becomes ``.``;
   * ASCII ``, : ; ! ?`` next to Chinese text become ``，：；！？``, except between two digits
     (``1,000``, ``12:30``); ASCII parentheses become ``（）`` when they enclose or touch Chinese
     text (``(一)`` → ``（一）``, ``(P12)`` after a Chinese word → ``（P12）``);
   * dashes, hyphens, tildes and decimal points are never touched, so ranges (``8-8.5%``,
     ``6%－6.5%``, ``4.5%—5%``) and ``PM2.5``, ``3+5+X`` stay as they are.
8. **Whitespace** (``whitespace``): CRLF/CR, tabs, NBSP and ideographic spaces, indentation, blank
   lines → one paragraph per line, no leading/trailing spaces; spaces next to Chinese characters are
   removed (``超 1.74 万人`` → ``超1.74万人``), so are spaces inside a decimal number
   (``12 .2%`` → ``12.2%``); spaces between Latin words are kept.
9. **Footnote markers** (``footnote_marker``): a number glued into the running text that refers to
   a numbered note at the end (``在四个老城区1中``, ``“六保”16任务``) is removed and kept in
   ``footnotes`` (``marker``, ``char_pos`` in the clean text, ``context``). Precision first: a
   marker is lifted only when the report has a numbered notes list holding that number *and* the
   words right before the number are part of that note's term; numbers inside formulas (``3+5+X``),
   after ``第``, before units (``100户``) or with decimals are never markers.

The result is idempotent for a clean simplified text: ``clean_text(r.text).text == r.text``.
"""
from __future__ import annotations

import bisect
import csv
import html
import itertools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import opencc
import pandas as pd

from .frames import code_points, column_labels, frame, string_array, string_arrays

REPAIR_COLUMNS = ["kind", "count", "chars", "example_raw", "example_clean"]
FOOTNOTE_COLUMNS = ["marker", "char_pos", "context"]
_REPAIR_LABELS = column_labels(REPAIR_COLUMNS)
_FOOTNOTE_LABELS = column_labels(FOOTNOTE_COLUMNS)

#: one converter per config, built once (building one costs more than converting a report)
_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")

REPLACEMENT = "\ufffd"
# Patterns scanned through whole reports begin with a character or class they consume (``XX*`` for
# ``X+``, the lookbehind after the first character): then the regex engine skips straight to the
# candidate characters; a leading repeat or lookbehind makes it try the whole pattern at every
# position, 4-10 times slower.
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{_HAN}]")
_PUA_RE = re.compile("[\ue000-\uf8ff]")
#: Chinese punctuation and quotes that make a "Chinese context"
_CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】「」『』…—·"


@dataclass
class CleanResult:
    """What :func:`clean_text` returns (see docs/architecture.md)."""

    text: str
    repairs: pd.DataFrame
    footnotes: pd.DataFrame
    script_original: str
    unresolved_chars: int
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# lexicons
# --------------------------------------------------------------------------------------------
def _read_lexicon(name: str) -> list[dict[str, str]]:
    with resources.files("govreports").joinpath("lexicons", name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


_Chrome = tuple[str, re.Pattern, tuple, bool]


@lru_cache(maxsize=1)
def _chrome_patterns() -> tuple[list[_Chrome], list[_Chrome]]:
    """(line patterns, tail patterns), each as (kind, pattern, needles: see :func:`_needles`,
    anchored: see :func:`_anchored`)."""
    line, tail = [], []
    for row in _read_lexicon("clean_chrome_patterns.csv"):
        pat = re.compile(row["pattern"])
        (line if row["scope"] == "line" else tail).append((row["kind"], pat, _needles(pat), _anchored(pat)))
    return line, tail


def _parsed(pat: re.Pattern) -> list:
    """``pat`` as Python's regex parser sees it (its top-level items); private to the standard
    library, so callers treat any error as "nothing known"."""
    from re import _parser as parser

    return list(parser.parse(pat.pattern, pat.flags))


def _ops(node):
    """The names of the operations in a parsed pattern (a list of (op, argument) items), nested
    ones included."""
    if isinstance(node, (tuple, list)) or type(node).__name__ == "SubPattern":
        for x in node:
            if isinstance(x, tuple) and len(x) == 2 and type(x[0]).__name__ == "_NamedIntConstant":
                yield str(x[0])
                yield from _ops(x[1])
            else:
                yield from _ops(x)


def _anchored(pat: re.Pattern) -> bool:
    """Can ``pat`` only match at the start of a line: ``^`` first, no flags, no back-references (so
    that it can be tried in one alternation with others, see :func:`_chrome_in`)."""
    try:
        items = _parsed(pat)
        return (not pat.flags & ~re.UNICODE and bool(items) and str(items[0]) == "(AT, AT_BEGINNING)"
                and not any(op.startswith("GROUPREF") for op in _ops(items)))
    except Exception:
        return False


#: a set of alternative strings larger than this is not worth testing before a search
_MAX_NEEDLES = 16


def _needles(pat: re.Pattern) -> tuple[tuple[str, ...], ...]:
    """Strings a text must contain for ``pat`` to match in it: a tuple of sets of alternatives, the
    text must contain one string of each set (sets of single characters first, the cheapest to test,
    then the longest strings first); ``()`` when nothing is known, and for
    a pattern anchored at the start of the line (it fails at once elsewhere: testing needles would
    cost more than the search) unless it opens with a lookahead (which scans the line).

    Every chrome pattern is tried on every line of every report, and most can match anywhere in a
    line; ``"摄" in text`` answers far faster whether one can match at all. The strings are read off
    the pattern by Python's own regex parser; anything it cannot vouch for (case-insensitive parts,
    negative lookarounds, optional parts…) requires nothing."""
    try:
        items = _parsed(pat)
        anchored = items and str(items[0]) == "(AT, AT_BEGINNING)"
        if pat.flags & re.IGNORECASE or (anchored and (len(items) < 2 or str(items[1][0]) != "ASSERT")):
            return ()
        sets = _required(items, top=True)
    except Exception:
        return ()
    sets = [s for s in sets if len(s) <= _MAX_NEEDLES]
    return tuple(sorted(sets, key=lambda s: (max(map(len, s)) > 1, -min(map(len, s)), len(s))))


def _required(items: list, top: bool = False) -> list[tuple[str, ...]]:
    """For a parsed sequence: sets of strings one of which every match (or, through a lookaround,
    the searched text) contains — its runs of literal characters and what its parts require. Not
    ``top``: only the most telling set (a part of an alternation needs one set)."""
    sets: list[tuple[str, ...]] = []
    run = ""
    for op, av in items + [(None, None)]:
        name = str(op)
        if name == "LITERAL":
            run += chr(av)
            continue
        if run:
            sets.append((run,))
            run = ""
        if name == "SUBPATTERN" and not av[1] & re.IGNORECASE:
            sets += _required(list(av[3]))
        elif name == "ATOMIC_GROUP":
            sets += _required(list(av))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            sets += _required(list(av[2]))
        elif name == "ASSERT" and av[0] in (1, -1):  # a positive lookahead / lookbehind
            sets += _required(list(av[1]))
        elif name == "BRANCH":
            alts = [_required(list(alt)) for alt in av[1]]
            if all(alts):
                sets.append(tuple(dict.fromkeys(x for alt in alts for x in alt[0])))
        elif name == "IN" and all(str(o) == "LITERAL" for o, _ in av):
            sets.append(tuple(chr(c) for _, c in av))
    if top or not sets:
        return sets
    return [min(sets, key=lambda s: (-min(map(len, s)), len(s)))]


def _may_match(needles: tuple[tuple[str, ...], ...], text: str) -> bool:
    return all(any(x in text for x in alts) for alts in needles)


@lru_cache(maxsize=1)
def _spam_terms() -> list[tuple[str, int]]:
    return [(r["term"].lower(), int(r["weight"])) for r in _read_lexicon("clean_spam_terms.csv")]


@lru_cache(maxsize=1)
def _heading_words() -> tuple[re.Pattern, re.Pattern]:
    rows = _read_lexicon("clean_heading_split.csv")
    ends = sorted((r["term"] for r in rows if r["role"] == "end"), key=len, reverse=True)
    starts = sorted((r["term"] for r in rows if r["role"] == "start"), key=len, reverse=True)
    end_re = re.compile("(?:" + "|".join(map(re.escape, ends)) + ")")
    start_re = re.compile(r"(?:\d{4}年|" + "|".join(map(re.escape, starts)) + ")")
    return end_re, start_re


def _read_model_csv(name: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Columns of a model table ({header: values}) and its ``# key=value`` header values (the tables
    document their source in ``#`` lines before the CSV header).

    The 73,000 rows of the character model are split by hand: one ``csv.DictReader`` dict per row
    made loading it cost ~0.3 s per process (every worker, every small corpus). A table with quoted
    fields, ragged rows or ``#`` lines after the header goes through :mod:`csv` as before."""
    meta: dict[str, str] = {}
    text = resources.files("govreports").joinpath("lexicons", name).read_text(encoding="utf-8")
    lines = text.split("\n")
    k = 0
    while k < len(lines) and lines[k].startswith("#"):
        meta.update(m.groups() for m in _META_RE.finditer(lines[k]))
        k += 1
    header = lines[k].split(",") if k < len(lines) else []
    body = [ln for ln in lines[k + 1 :] if ln]
    if (k < len(lines) and lines[k] and '"' not in text
            and text.find("\n#", sum(map(len, lines[: k + 1])) + k) == -1  # no '#' line below the header
            and set(map(str.count, body, itertools.repeat(","))) <= {len(header) - 1}):
        flat = ",".join(body).split(",") if body else []
        return {h: flat[i :: len(header)] for i, h in enumerate(header)}, meta
    data = []
    for ln in lines[k:]:
        if ln.startswith("#"):
            meta.update(m.groups() for m in _META_RE.finditer(ln))
        else:
            data.append(ln + "\n")
    reader = csv.DictReader(data)
    rows = list(reader)
    return {h: [r[h] for r in rows] for h in reader.fieldnames or []}, meta


_META_RE = re.compile(r"(\w+)=(\S+)")


@lru_cache(maxsize=1)
def _char_model() -> tuple[dict[str, tuple[int, int]], dict[str, tuple[str, int, int, int, int, float]], int]:
    """The character model of the mojibake repair, built from a general dictionary (not from
    reports) by ``scripts/build_clean_bigrams.py``: ({bigram: (end, mid)} word-internal pair counts,
    {char: (kind, single, begin, mid, end, final)}, W the total word frequency); ``final``: how
    readily a token ending in the character ends a clause (1.0 = as the average word)."""
    cols, meta = _read_model_csv("clean_char_bigrams.csv")
    inner = dict(zip(cols["bigram"], zip(map(int, cols["end"]), map(int, cols["mid"]))))
    cols, _ = _read_model_csv("clean_char_classes.csv")
    classes = dict(zip(cols["char"], zip(cols["kind"], map(int, cols["single"]), map(int, cols["begin"]),
                                         map(int, cols["mid"]), map(int, cols["end"]),
                                         [int(f) / 1000 for f in cols["final"]])))
    return inner, classes, int(meta["W"])


# --------------------------------------------------------------------------------------------
# repair log
# --------------------------------------------------------------------------------------------
class _Log:
    def __init__(self) -> None:
        self.rows: dict[str, list] = {}
        self.notes: list[str] = []

    def add(self, kind: str, raw: str, clean: str, count: int = 1, chars: int | None = None) -> None:
        row = self.rows.setdefault(kind, [0, 0, None, None])
        row[0] += count
        row[1] += len(raw) if chars is None else chars
        if row[2] is None:
            row[2], row[3] = raw[:200], clean[:200]

    def frame(self) -> pd.DataFrame:
        rows = [(k, *v) for k, v in self.rows.items() if v[0]]
        # the three text columns in one Arrow conversion
        text = string_arrays({"kind": [r[0] for r in rows], "raw": [r[3] for r in rows],
                              "clean": [r[4] for r in rows]})
        return frame(_REPAIR_LABELS, [
            text["kind"],
            np.array([r[1] for r in rows], dtype="int64"),
            np.array([r[2] for r in rows], dtype="int64"),
            text["raw"],
            text["clean"],
        ])


def _footnote_frame(rows: list[tuple[int, int, str]]) -> pd.DataFrame:
    if not rows:
        # most reports: a copy of the empty frame costs a third of building it; a shallow copy is
        # enough (its columns hold no value that could change)
        return _no_footnotes().copy(deep=False)
    return frame(_FOOTNOTE_LABELS, [
        np.array([r[0] for r in rows], dtype="int64"),
        np.array([r[1] for r in rows], dtype="int64"),
        string_array([r[2] for r in rows]),
    ])


@lru_cache(maxsize=1)
def _no_footnotes() -> pd.DataFrame:
    return frame(_FOOTNOTE_LABELS, [np.array([], dtype="int64"), np.array([], dtype="int64"), string_array([])])


def _ctx(text: str, start: int, end: int, width: int = 6) -> str:
    return text[max(0, start - width) : end + width]


def _bmp_table(ranges: tuple[tuple[int, int], ...]) -> np.ndarray:
    """``table[cp]``: whether the code point ``cp`` lies in one of ``ranges`` (inclusive pairs in the
    BMP; the last entry, False, stands for every code point past it). ``table.take(code_points(text),
    mode="clip")`` marks the characters of a text in one pass over it, where testing each range is
    a pass or two per range."""
    table = np.zeros(0x10001, dtype=bool)
    for a, b in ranges:
        assert b < 0x10000
        table[a : b + 1] = True
    return table


def _count_private_use(text: str) -> int:
    """How many private-use characters (U+E000–U+F8FF) ``text`` holds (``len(_PUA_RE.findall(text))``,
    counted on code points: the regex scan cost more; one unsigned comparison, as the difference
    wraps around below U+E000)."""
    return int(np.count_nonzero(code_points(text) - np.uint32(0xE000) < 0x1900))


def _diff(a: str, b: str) -> tuple[int, int]:
    """(how many characters differ, the first that does; -1 if none) between ``a`` and ``b`` over
    the length of the shorter, as ``zip`` pairs them. Compared as code-point arrays: a Python loop
    over the characters of a report cost ~0.3 ms per comparison."""
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return 0, -1
    x = code_points(a[:n])
    y = code_points(b[:n])
    where = np.flatnonzero(x != y)
    return len(where), int(where[0])


# --------------------------------------------------------------------------------------------
# 1. GBK mojibake
# --------------------------------------------------------------------------------------------
#: full-width punctuation that the page later turned into ASCII (inside a run it stands for a3xx)
_FW_PUNCT = {"!": "！", ";": "；", ":": "：", ",": "，", "(": "（", ")": "）", "?": "？",
             "£": "￡", "¥": "￥", "¢": "￠", "¬": "￢", "¦": "￤"}
_SCORE_MAP = str.maketrans({**_FW_PUNCT, "\u3000": " "})


def _score_norm(text: str) -> str:
    """Map ASCII punctuation to full width: bigram counts and scores are taken on this form."""
    return text.translate(_SCORE_MAP)


@lru_cache(maxsize=65536)
def _key(ch: str) -> str:
    """The form a character is counted under in the bigram lexicon (simplified, full-width)."""
    return _score_norm(_T2S.convert(ch))[:1]


@lru_cache(maxsize=1)
def _seen_chars() -> frozenset[str]:
    return frozenset(_char_model()[1])


#: counts are expressed as in a text of this many word tokens (about 30 reports): the smoothing
#: constant 0.1 and the thresholds of the repair are in counts of such a text
_REF_TOKENS = 300_000
#: may a token of class a be followed by one of class b (factor on the boundary count)
_COMPAT = {
    **{("han", k): 1.0 for k in ("han", "alnum", "open", "close", "stop")},
    **{("alnum", k): 1.0 for k in ("han", "open", "close", "stop")},
    ("alnum", "alnum"): 50.0,  # digits inside one number
    **{("open", k): 1.0 for k in ("han", "alnum", "open")},
    **{("close", k): 1.0 for k in ("han", "alnum", "open", "stop")},
    ("close", "close"): 0.1,
    **{("stop", k): 1.0 for k in ("han", "alnum", "open", "close")},
}


_UNKNOWN_CLASS = ("han", 0, 0, 0, 0, 1.0)


def _boundary(ca: tuple, cb: tuple) -> float:
    """Factor for a token of class ``ca`` followed by one of class ``cb``: 0 for impossible
    punctuation sequences (``“。``), and before 。，、；：” the clause-final readiness of ``ca``."""
    f = _COMPAT.get((ca[0], cb[0]), 0.0)
    if ca[0] == "han" and cb[0] in ("stop", "close"):
        f *= ca[5]
    return f


@lru_cache(maxsize=262144)
def _pair_count(a: str, b: str) -> float:
    """Expected count of the pair ``ab`` (keys) in a text of ``_REF_TOKENS`` word tokens, counting
    only evidence the dictionary gives: ``ab`` inside a word, or a word-final ``a`` before
    punctuation / a number, or punctuation / a number before a word-initial ``b``. Two Chinese
    characters across a word boundary count nothing here (too weak to tell text from mojibake)."""
    inner, classes, total = _char_model()
    n = float(sum(inner.get(a + b, (0, 0))))
    ca, cb = classes.get(a), classes.get(b)
    if ca and cb and (ca[0] != "han" or cb[0] != "han"):
        n += (ca[1] + ca[4]) * (cb[1] + cb[2]) / total * _boundary(ca, cb)
    return n * _REF_TOKENS / total


#: probability of a one-character token the model does not know (a rare character, a symbol)
_P_UNKNOWN = 1e-8
_S, _B, _M, _E = range(4)


@lru_cache(maxsize=65536)
def _char_step(ch: str) -> tuple | None:
    """What the word model knows about ``ch`` (``None``: nothing): (class row, P(S), P(B), P(M),
    P(E) of ``ch`` as the dictionary has them, how often ``ch`` is followed by a character of its
    word)."""
    inner, classes, total = _char_model()
    c = classes.get(ch)
    if c is None:
        return None
    return c, max(c[1] / total, _P_UNKNOWN), c[2] / total, c[3] / total, c[4] / total, c[2] + c[3]


@lru_cache(maxsize=262144)
def _pair_step(prev: str, ch: str) -> tuple[float, float, float, int, int, int]:
    """What a step of the word model from ``prev`` to ``ch`` needs: (boundary factor, P(S) and P(B)
    of ``ch`` starting a token, the counts of the pair inside a word ending / going on after ``ch``
    (0, 0 when ``ch`` is unknown), how often ``prev`` goes on with its word)."""
    p, c = _char_step(prev), _char_step(ch)
    f = _boundary(_UNKNOWN_CLASS if p is None else p[0], _UNKNOWN_CLASS if c is None else c[0])
    if c is None:
        return f, _P_UNKNOWN, 0.0, 0, 0, 0
    n_end, n_mid = _char_model()[0].get(prev + ch, (0, 0))
    return f, c[1], c[2], n_end, n_mid, (0 if p is None else p[5])


def _start(ch: str) -> list[float]:
    """P(tag of ``ch``) for S/B/M/E at the start of a window: as often as the dictionary has it."""
    c = _char_step(ch)
    return [_P_UNKNOWN, 0.0, 0.0, 0.0] if c is None else [c[1], c[2], c[3], c[4]]


def _step(prev: str, probs: tuple[float, ...], ch: str) -> list[float]:
    """One step of the word model: P(window so far, tag of ``ch``) for the tags S/B/M/E of ``ch``
    (a one-character token, or the beginning, middle or end of a longer word), given the same for
    the character before (``prev``)."""
    f, p_single, p_begin, n_end, n_mid, out_of_prev = _pair_step(prev, ch)
    # after a token boundary (prev was S or E): ch starts a token
    boundary = (probs[_S] + probs[_E]) * f
    out = [boundary * p_single, boundary * p_begin, 0.0, 0.0]
    # inside a word (prev was B or M): ch goes on with it
    inside = probs[_B] + probs[_M]
    if inside and (n_end or n_mid):
        out[_M] = inside * n_mid / out_of_prev
        out[_E] = inside * n_end / out_of_prev
    return out


def _total(p: list[float]) -> float:
    """The sum of the four tag probabilities, added left to right: what ``sum()`` does on Python
    3.11 (3.12 compensates the rounding), written out so that :func:`_windows_logp` can repeat it
    inline and every Python gives the same floats."""
    return p[0] + p[1] + p[2] + p[3]


#: {window: (P(S), P(B), P(M), P(E) of its last character, normalised; log P(window))}, ``None`` for
#: an impossible window. Candidates are scored in one context, so windows share their prefixes:
#: each prefix is stepped once.
_STATES: dict[str, tuple[float, float, float, float, float] | None] = {}
_STATES_MAX = 200_000


def _window_state(chars: str) -> tuple[float, float, float, float, float] | None:
    """The state after ``chars`` (see ``_STATES``; ``chars`` not empty)."""
    states = _STATES
    state = states.get(chars, False)
    if state is not False:
        return state
    if len(states) > _STATES_MAX:
        states.clear()
    k = len(chars) - 1
    while k and (state := states.get(chars[:k], False)) is False:
        k -= 1
    if not k:
        probs = _start(chars[0])
        s = _total(probs)
        state = None if s <= 0 else (probs[0] / s, probs[1] / s, probs[2] / s, probs[3] / s, 0.0 + math.log(s))
        states[chars[0]] = state
        k = 1
    for i in range(k, len(chars)):
        if state is not None:
            probs = _step(chars[i - 1], state, chars[i])
            s = _total(probs)
            state = None if s <= 0 else (probs[0] / s, probs[1] / s, probs[2] / s, probs[3] / s, state[4] + math.log(s))
        states[chars[: i + 1]] = state
    return state


def _window_logp(chars: str) -> float:
    """log P(chars) under the word model (keys; the tags of the first character as in the
    dictionary, the window may end inside a word)."""
    if not chars:
        return 0.0
    state = _window_state(chars)
    return -1e9 if state is None else state[4]


def _windows_logp(prefix: str, suffixes: list[str]) -> list[float]:
    """``[_window_logp(prefix + s) for s in suffixes]``, each suffix at least one character: the
    candidates of one context share the state after ``prefix``, and each suffix is stepped in one
    tight loop (:func:`_step` and the normalisation written out: the same operations in the same
    order, so the same floats). The repair scores a few thousand such windows per damaged page."""
    pair_step, log = _pair_step, math.log
    if prefix:
        state = _window_state(prefix)
        if state is None:
            return [-1e9] * len(suffixes)
    out = []
    for sfx in suffixes:
        if prefix:
            p0, p1, p2, p3, logp = state
            prev = prefix[-1]
        else:
            p0, p1, p2, p3 = _start(sfx[0])
            s = p0 + p1 + p2 + p3
            p0, p1, p2, p3, logp = p0 / s, p1 / s, p2 / s, p3 / s, 0.0 + log(s)
            prev, sfx = sfx[0], sfx[1:]
        for ch in sfx:
            f, p_single, p_begin, n_end, n_mid, out_of_prev = pair_step(prev, ch)
            boundary = (p0 + p3) * f
            o0, o1 = boundary * p_single, boundary * p_begin
            inside = p1 + p2
            if inside and (n_end or n_mid):
                o2, o3 = inside * n_mid / out_of_prev, inside * n_end / out_of_prev
            else:
                o2 = o3 = 0.0
            s = o0 + o1 + o2 + o3
            if s <= 0:
                logp = -1e9
                break
            p0, p1, p2, p3 = o0 / s, o1 / s, o2 / s, o3 / s
            logp += log(s)
            prev = ch
        out.append(logp)
    return out


@lru_cache(maxsize=262144)
def _pair_score(a: str, b: str) -> float:
    """log(expected count of the pair of characters ``ab`` + 0.1); an impossible pair scores log(0.1)."""
    return math.log(_pair_count(_key(a), _key(b)) + 0.1)


_WHITESPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def _text_score(text: str) -> float:
    """Mean log-probability of the character pairs of ``text`` (higher = more like a report).

    (Remembered: the mojibake pass scores each candidate run with its neighbours, and the runs of a
    stretch of ``?`` are the same few texts again and again.)"""
    text = _WHITESPACE_RE.sub("", text)
    if len(text) < 2:
        return 0.0
    return sum(map(_pair_score, text, text[1:])) / (len(text) - 1)


@lru_cache(maxsize=65536)
def _decode_pair(b1: int, b2: int) -> str | None:
    try:
        ch = bytes((b1, b2)).decode("gb18030")
    except UnicodeDecodeError:
        return None
    if len(ch) != 1 or _PUA_RE.match(ch) or unicodedata.category(ch)[0] == "C":
        return None
    return ch


@lru_cache(maxsize=512)
def _lead_candidates(trail: int) -> tuple[str, ...]:
    """Characters whose GBK/GB18030 trail byte is ``trail`` (the lead byte was lost)."""
    return tuple(c for lead in range(0x81, 0xFF) if (c := _decode_pair(lead, trail)))


@lru_cache(maxsize=512)
def _trail_candidates(lead: int) -> tuple[str, ...]:
    """Characters whose lead byte is ``lead`` (the trail byte was lost)."""
    return tuple(c for t in [*range(0x40, 0x7F), *range(0x80, 0xFF)] if (c := _decode_pair(lead, t)))


#: a guess must be this much (log) more likely than the runner-up, and than a character the model
#: does not know, or the character becomes U+FFFD
_GUESS_MARGIN = 2.0
_GUESS_PLAUSIBLE = 3.0


@lru_cache(maxsize=8192)
def _rank_chars(cands: tuple[str, ...], prev: str, nxt: str) -> tuple[tuple[float, str], ...]:
    """Candidate characters by how likely the word model finds them between the neighbours (up to
    two characters on each side), best first, as (log-likelihood over an unknown character, char)."""
    left = "".join(map(_key, prev[-2:]))
    right = "".join(map(_key, nxt[:2]))
    keys, chars = _known_keys(cands)
    unknown = _window_logp(left + REPLACEMENT + right)
    scores = _windows_logp(left, [k + right for k in keys])
    return tuple(sorted(((score - unknown, c) for score, c in zip(scores, chars)), reverse=True))


@lru_cache(maxsize=1024)
def _known_keys(cands: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The keys of the candidates the model knows, each with its first candidate: (keys, chars)."""
    seen = _seen_chars()
    by_key: dict[str, str] = {}
    for c in cands:
        k = _key(c)
        if k in seen:
            by_key.setdefault(k, c)
    return tuple(by_key), tuple(by_key.values())


def _guess_char(cands: tuple[str, ...], prev: str, nxt: str) -> tuple[str, bool]:
    """Choose among candidate characters by how likely the word model finds them between the
    neighbours. Returns (char, sure); U+FFFD when no candidate is clearly best."""
    scored = _rank_chars(cands, prev, nxt)
    if not scored:
        return REPLACEMENT, False
    best_score, best = scored[0]
    second = scored[1][0] if len(scored) > 1 else -1e9
    sure = best_score > _GUESS_PLAUSIBLE and best_score - second > _GUESS_MARGIN
    return (best if sure else REPLACEMENT), sure


def _encode_run(body: str) -> bytes | None:
    out = bytearray()
    for ch in body:
        if ch == "€":  # cp936 decodes the lone byte 0x80 as the euro sign
            out.append(0x80)
            continue
        ch = _FW_PUNCT.get(ch, ch)
        try:
            b = ch.encode("gb18030")
        except UnicodeEncodeError:
            return None
        if len(b) != 2 and not (len(b) == 1 and b[0] >= 0x40):
            return None
        out += b
    return bytes(out)


def _decode_in_step(data: bytes) -> str | None:
    """Decode GB18030 bytes pair by pair; ``None`` when they do not parse as text."""
    out, i = [], 0
    while i < len(data):
        if data[i] < 0x80:
            out.append(chr(data[i]))
            i += 1
            continue
        if i + 1 >= len(data):
            return None
        ch = _decode_pair(data[i], data[i + 1])
        out.append(REPLACEMENT if ch is None else ch)
        i += 2
    return "".join(out)


#: a character that makes no word with either neighbour and is this rare as a one-character word
#: (per ``_REF_TOKENS`` tokens: 的, 对, 和, 县 … are common) is suspect of being a splice
_SINGLE_WORD_MIN = 50.0
#: out of step, a (trail, lead) byte pair in GBK's user-defined rows (AA–AF, F8–FE) decodes to a
#: private-use character; some pages dropped those pairs, splicing the lead byte of one character
#: to the trail byte of the next (保基金 → 保火: bb[f9 bd]f0)
_DROPPED_TRAILS = (*range(0xAA, 0xB0), *range(0xF8, 0xFF))
_DROPPED_LEADS = tuple(range(0xA1, 0xFF))
#: log-odds against two dropped bytes where none were dropped (on a page that shows no private-use
#: character, i.e. one that drops those pairs; a page that shows them never drops them)
_SPLICE_PRIOR = 1.0


def _single_count(ch: str) -> float:
    inner, classes, total = _char_model()
    c = classes.get(ch)
    return 0.0 if c is None or c[0] != "han" else c[1] * _REF_TOKENS / total


def _in_word(a: str, b: str) -> bool:
    """Does the dictionary have ``ab`` inside a word?"""
    return bool(a and b) and _key(a) + _key(b) in _char_model()[0]


def _is_suspect(ch: str, left: str, right: str) -> bool:
    """A Chinese character that makes a word with neither neighbour and is no common one-character word."""
    if not _HAN_RE.match(ch):
        return False
    k = _key(ch)
    return ((not left or _pair_count(_key(left), k) < 1.0) and (not right or _pair_count(k, _key(right)) < 1.0)
            and _single_count(k) < _SINGLE_WORD_MIN)


@lru_cache(maxsize=1024)
def _splice_candidates(lead: int, trail: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Characters the spliced pair (lead, trail) may stand for: (lead + a dropped trail byte) and
    (a dropped lead byte + trail)."""
    seen = _seen_chars()
    firsts = tuple(dict.fromkeys(c for t in _DROPPED_TRAILS if (c := _decode_pair(lead, t)) and _key(c) in seen))
    seconds = tuple(dict.fromkeys(c for l in _DROPPED_LEADS if (c := _decode_pair(l, trail)) and _key(c) in seen))
    return firsts, seconds


@lru_cache(maxsize=1024)
def _splice_words(lead: int, trail: int) -> frozenset[str]:
    """The pairs of :func:`_splice_candidates` that make a word together (in the dictionary)."""
    c1s, c2s = _splice_candidates(lead, trail)
    inner = _char_model()[0]
    k2s = [(_key(b), b) for b in c2s]
    return frozenset(a + b for a in c1s for ka in (_key(a),) for kb, b in k2s if ka + kb in inner)


def _undo_splices(first: str, rest: bytes, rest_q: list[bool], prev: str, after: str,
                  splices: bool = True) -> str | None:
    """Decode ``rest`` in step (as :func:`_decode_in_step`), testing each suspect character (see
    :func:`_is_suspect`) for a splice: if two characters whose halves it joins fit the neighbours
    far better, it becomes those two characters when one pair is clearly best, else U+FFFD U+FFFD
    (missing beats wrong). A suspect character made from the bytes of a ``?`` (``rest_q``) that no
    splice explains becomes U+FFFD: the ``?`` may have been any pair the page could not show."""
    chars: list[tuple[str, int, int]] = []  # (char, lead, trail); single bytes have trail -1
    i = 0
    while i < len(rest):
        if rest[i] < 0x80:
            chars.append((chr(rest[i]), rest[i], -1))
            i += 1
            continue
        if i + 1 >= len(rest):
            return None
        ch = _decode_pair(rest[i], rest[i + 1])
        chars.append((REPLACEMENT if ch is None else ch, rest[i], rest[i + 1] + 0x100 * (rest_q[i] or rest_q[i + 1])))
        i += 2
    text = [c for c, _, _ in chars]
    out = list(text)
    for _ in range(2):  # a second pass sees the neighbours the first one repaired
        for k, (ch, lead, trail) in enumerate(chars):
            if out[k] != ch:
                continue
            # (every item of out holds a character or two: two items are enough on either side)
            left = (prev + first + "".join(out[max(0, k - 2) : k]))[-2:]
            right = ("".join(out[k + 1 : k + 3]) + after)[:2]
            if trail > 0xFF and _HAN_RE.match(ch) and not _in_word(left[-1:], ch) and not _in_word(ch, right[:1]):
                out[k] = REPLACEMENT  # made from the bytes of a '?' and making no word: unknown
                continue
            if trail < 0 or not _is_suspect(ch, left[-1:], right[:1]):
                continue
            if splices:
                out[k] = _splice(ch, lead, trail & 0xFF, left, right)
            # unexplained, and nothing known to check it against: missing beats wrong
            if out[k] == ch and (trail > 0xFF or REPLACEMENT in (left[-1:], right[:1])):
                out[k] = REPLACEMENT
        if out == text:
            break  # nothing repaired: a second pass would see the same neighbours and decide the same
    return "".join(out)


@lru_cache(maxsize=4096)
def _splice(ch: str, lead: int, trail: int, left: str, right: str) -> str:
    """``ch`` (bytes lead, trail) between ``left`` and ``right``, or the two characters it spliced."""
    c1s, c2s = _splice_candidates(lead, trail)
    if not c1s or not c2s:
        return ch
    lk = "".join(map(_key, left.replace(REPLACEMENT, "")))
    rk = "".join(map(_key, right.replace(REPLACEMENT, "")))
    fit1 = dict(zip(c1s, _windows_logp(lk, [_key(c) for c in c1s])))
    fit2 = dict(zip(c2s, _windows_logp("", [_key(c) + rk for c in c2s])))
    top1 = sorted(c1s, key=lambda c: (-fit1[c], c))[:3]
    top2 = sorted(c2s, key=lambda c: (-fit2[c], c))[:5]
    # the pairs that fit their neighbours best, and the pairs that make a word together
    pairs = list({a + b for a in top1 for b in top2} | _splice_words(lead, trail))
    scores = _windows_logp(lk, [_key(ab[0]) + _key(ab[1]) + rk for ab in pairs])
    scored = sorted(zip(scores, pairs), reverse=True)
    base = _window_logp(lk + _key(ch) + rk)
    if scored[0][0] - _SPLICE_PRIOR <= base:
        return ch
    clear = len(scored) == 1 or scored[0][0] - scored[1][0] > _GUESS_MARGIN
    return scored[0][1] if clear else REPLACEMENT * 2


def _recover_run(line: str, q: int, end: int, ending: str, prev: str,
                 splices: bool = True) -> tuple[str, int, list[str]] | None:
    """Recover ``line[q:end]`` (``?`` + middle + terminator). Returns (text, n_unresolved, notes).

    ``prev`` is the (already repaired) text before the run (its last two characters are used);
    ``splices``: the page may have dropped byte pairs (see :func:`_undo_splices`). Of ``line``, only
    ``line[q - _RUN_CONTEXT_BEFORE : end + _RUN_CONTEXT_AFTER]`` is read (brackets opened just
    before the run, the run, what follows it): :func:`_recover_run_at` remembers results by it.
    """
    middle = line[q + 1 : end - 1]
    term = line[end - 1]
    run_body = middle + (term if ending == "letter" else "")
    enc = _encode_run(run_body)
    if not enc:
        return None
    # which bytes stand for a '?' inside the run (a ？ — or a pair the page could not show at all)
    from_q = [c == "?" for c in run_body for _ in range(1 if c == "€" or ord(c) < 0x80 and c not in _FW_PUNCT else 2)]
    if len(from_q) != len(enc):
        return None
    notes: list[str] = []
    rest, rest_q = enc[1:], from_q[1:]
    tail_text = ""
    if ending == "dangling":
        # the last original character: the last byte of the run + the byte the '?' hides
        if len(rest) % 2 == 0 or rest[-1] < 0x81:
            return None
        last_lead, rest, rest_q = rest[-1], rest[:-1], rest_q[:-1]
    mid = _decode_in_step(rest)
    if mid is None:
        return None
    first, _ = _guess_char(_lead_candidates(enc[0]), prev[-2:], (mid + line[end : end + 2])[:2])
    in_step = mid
    mid = _undo_splices(first, rest, rest_q, prev, line[end : end + 2], splices)
    if mid is None:
        return None
    if first == REPLACEMENT and splices and mid[:1] == in_step[:1]:
        # the first character may be unsure only because its neighbour is a splice: try the
        # likeliest first characters as context for undoing it
        for _, cand in _rank_chars(_lead_candidates(enc[0]), prev[-2:], (in_step + line[end : end + 2])[:2])[:2]:
            m = _undo_splices(cand, rest, rest_q, prev, line[end : end + 2], splices)
            if m and m[:1] not in (in_step[:1], REPLACEMENT):
                mid = m
                break
    # a guessed character chosen for its fit with a neighbour that turned out to be wrong (or had to
    # be rebuilt) has no support
    if mid[:1] != in_step[:1]:
        first = REPLACEMENT
    # its known byte stood for a '?' and no character of the run confirms it was a ？: unknown
    if from_q[0] and not mid:
        first = REPLACEMENT
    if ending == "dangling":
        last_cands = _trail_candidates(last_lead)
        # an unclosed bracket or quote just before the run makes its closing mark the likely character
        before = line[:q]
        closing = [c for o, c in (("(（", "）"), ("“", "”"), ("《", "》"))
                   if max(before.rfind(x) for x in o) > max(before.rfind(x) for x in ({"）": ")）"}.get(c, c)))
                   and max(before.rfind(x) for x in o) >= q - _RUN_CONTEXT_BEFORE and c in last_cands]
        if closing:
            last = closing[0]
        else:
            # an unknown character before it tells nothing: the right-hand context alone decides
            left = (prev + first + mid)[-2:]
            last, _ = _guess_char(last_cands, "" if left[-1:] == REPLACEMENT else left, line[end : end + 2])
        tail_text = last
        # an invalid pair also swallows the ASCII byte after it: recover it when the text shows it
        m = re.match(r"\d{3}年", line[end:])
        if m:
            for d in "21":
                if 1949 <= int(d + m.group()[:3]) <= 2100:
                    tail_text += d
                    notes.append(f"mojibake: restored the first digit of the year {d + m.group()[:3]}")
                    break
        elif re.match(r"[a-z]{2,8};", line[end:]):
            tail_text += "&"  # an HTML entity (&ldquo;) lost its ampersand
    recovered = first + mid + tail_text
    return recovered, recovered.count(REPLACEMENT), notes


#: what :func:`_recover_run` reads of a line around a run: this many characters before it (an
#: unclosed bracket counts only that close) and after it (a year's digits and 年, an entity's name)
_RUN_CONTEXT_BEFORE, _RUN_CONTEXT_AFTER = 12, 10


def _recover_run_at(line: str, q: int, end: int, ending: str, prev: str,
                    splices: bool = True) -> tuple[str, int, tuple[str, ...]] | None:
    """:func:`_recover_run` (its notes as a tuple), remembered by what it reads: the run, the line
    just around it and the last two characters of ``prev``.

    Why: each ``?`` of a line is the start of up to 60 candidate runs, and each recovery costs some
    0.1 ms. A stretch of many ``?`` (a page whose characters were lost before it was saved) asks
    the same questions again and again — 4 ms per ``?``, a minute for such a page, without this.
    """
    lo = max(0, q - _RUN_CONTEXT_BEFORE)
    return _recover_window(line[lo : end + _RUN_CONTEXT_AFTER], q - lo, end - lo, ending, prev[-2:], splices)


@lru_cache(maxsize=8192)
def _recover_window(window: str, q: int, end: int, ending: str, prev: str,
                    splices: bool) -> tuple[str, int, tuple[str, ...]] | None:
    recovered = _recover_run(window, q, end, ending, prev, splices)
    return None if recovered is None else (recovered[0], recovered[1], tuple(recovered[2]))


_PINYIN_TAIL_RE = re.compile(r"[a-z]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
_LOST_GLOSS_RE = re.compile(r"\?[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")
#: what a run goes on over: a non-ASCII character but € (the lone byte 0x80, which ends a run), or
#: ASCII punctuation a full-width mark became; '?' too (a lost byte, or a ？)
_RUN_BODY_RE = re.compile("[!(),:;?\x80-\u20ab\u20ad-\U0010ffff]*")


#: the '?' of a label spaced out with them (有?效?期?): the first '?' after a Chinese character, and
#: at least two more pairs (starting at the '?', not at the character, lets the scan skip to the '?')
_SPACED_LABEL_RE = re.compile(rf"\?(?<=[{_HAN}]\?)(?:[{_HAN}]\?){{2,}}")


def _find_run_end(line: str, q: int) -> list[tuple[int, str]]:
    """Possible ends of a run starting at ``line[q] == '?'``: (end index, kind of ending). A run
    reaches at most 60 characters past the '?'; each '?' in it may end it (a dangling byte) or be a
    ？ inside it, and a letter (or €) after it ends it. The run's extent comes from one regex match:
    a loop over its characters cost more than the rest of the search."""
    limit = min(len(line), q + 61)
    stop = _RUN_BODY_RE.match(line, q + 1, limit).end()
    ends = []
    i = line.find("?", q + 1, stop)
    while i != -1:
        ends.append((i + 1, "dangling"))
        i = line.find("?", i + 1, stop)
    if stop < limit and (line[stop] == "€" or 0x40 <= ord(line[stop]) < 0x7F):
        if not _PINYIN_TAIL_RE.match(line, stop + 1):  # not inside a pinyin gloss ('?shù')
            ends.append((stop + 1, "letter"))
    return ends


def _repair_mojibake(text: str, log: _Log) -> tuple[str, int]:
    """Find and recover GBK-shift runs. Returns (text, unresolved characters left in them)."""
    if "?" not in text:
        return text, 0
    out_lines, unresolved_total = [], 0
    # a page that shows private-use characters kept the pairs it could not map: it dropped none
    splices = not _count_private_use(text)
    for line in text.split("\n"):
        if "?" not in line:
            out_lines.append(line)
            continue
        # a pinyin gloss whose character and '(' were eaten with the lost byte: '?xì)' → '?'
        for m in reversed(list(_LOST_GLOSS_RE.finditer(line))):
            log.add("mojibake_pinyin_gloss", _ctx(line, m.start(), m.end(), 2), line[max(0, m.start() - 2) : m.start() + 1]
                    + line[m.end() : m.end() + 2], chars=m.end() - m.start() - 1)
            line = line[: m.start() + 1] + line[m.end() :]
        pieces, pos, q = [], 0, line.find("?")
        # a label spaced out with '?' (有?效?期?:) is no mojibake
        spaced = [m.span() for m in _SPACED_LABEL_RE.finditer(line)]
        while q != -1:
            if any(a <= q < b for a, b in spaced):
                q = line.find("?", q + 1)
                continue
            # the last two characters of the line as repaired so far
            prev = line[max(pos, q - 2) : q]
            if len(prev) < 2:
                prev = ("".join(pieces) + prev)[-2:]
            best = None
            for end, kind in _find_run_end(line, q):
                if end - q < 3:
                    continue
                rec = _recover_run_at(line, q, end, kind, prev, splices)
                if rec is None:
                    continue
                recovered, unres, notes = rec
                known = recovered.replace(REPLACEMENT, "")
                nxt = line[end : end + 1]
                gain = _text_score(prev + known + nxt) - _text_score(prev + line[q:end] + nxt)
                # favour recoveries that explain more of the line with fewer unknowns
                value = gain * len(known) - 3.0 * unres
                # at least two known characters, or one with at most two unknown (a run too short or
                # too damaged to guess is still mojibake: better marked than left as it is)
                if (gain > 0.7 and (len(known) >= 2 or (len(known) == 1 and 1 <= unres <= 2))
                        and (best is None or value > best[0])):
                    best = (value, end, recovered, unres, notes)
            if best is None:
                q = line.find("?", q + 1)
                continue
            _, end, recovered, unres, notes = best
            pieces.append(line[pos:q])
            pieces.append(recovered)
            log.add("gbk_mojibake", _ctx(line, q, end, 2),
                    line[max(0, q - 2) : q] + recovered + line[end : end + 2], chars=end - q)
            log.notes.extend(notes)
            unresolved_total += unres
            pos = end
            q = line.find("?", end)
        pieces.append(line[pos:])
        out_lines.append("".join(pieces))
    return "\n".join(out_lines), unresolved_total


#: every alternative starts with a literal character, so the scan skips to those (a group of the
#: names that lost their '&', "(?:ldquo|…);", made it try the pattern at every position: 4× slower)
#: entities often seen with their '&' lost to mojibake (converted unless part of a longer word)
_BARE_ENTITIES = ("ldquo;", "rdquo;", "lsquo;", "rsquo;", "mdash;", "hellip;", "middot;", "nbsp;")
_ENTITY_RE = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});|" + "|".join(_BARE_ENTITIES))
#: what a text holding any of them holds (a few substring tests instead of a regex scan)
_BARE_ENTITY_HINTS = ("quo;", "sp;", "mdash;", "hellip;", "middot;")


def _unescape_html(text: str, log: _Log) -> str:
    """HTML entities left by the scraper (``&ldquo;`` → ``“``, ``&nbsp;`` → space)."""
    # every entity ends with ';': most reports have none (a one-character test is the cheapest)
    if ";" not in text or ("&" not in text and not any(hint in text for hint in _BARE_ENTITY_HINTS)):
        return text

    def sub(m: re.Match) -> str:
        if not m.group(0).startswith("&") and m.start() and re.match(r"[A-Za-z&]", text[m.start() - 1]):
            return m.group(0)  # part of a longer word, not an entity that lost its '&'
        ent = m.group(0) if m.group(0).startswith("&") else "&" + m.group(0)
        new = html.unescape(ent)
        if new == ent:
            return new
        log.add("html_entity", m.group(0), new)
        return new

    return _ENTITY_RE.sub(sub, text)


# --------------------------------------------------------------------------------------------
# 2. pinyin glosses
# --------------------------------------------------------------------------------------------
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PLAIN = "aaaaeeeeiiiioooouuuuvvvvvnnnm"
_UNTONE = str.maketrans(_TONED, _PLAIN)
_SYLLABLE = (
    r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|in|ia|ie|iu"
    r"|ua|uo|ui|un|ve|vn|ue|a|o|e|i|u|v)"
)
_SYLLABLES_RE = re.compile(f"(?:{_SYLLABLE})+")
#: the gloss alone; the scan starts at '(' (fast) and looks back for the glossed character
_GLOSS_RE = re.compile(rf"\(([a-z{_TONED}\s]{{1,30}})\)")
_GLOSSED_RE = re.compile(rf"[{_HAN}A-Za-z]")


@lru_cache(maxsize=4096)
def _is_pinyin(gloss: str, allow_toneless: bool) -> bool:
    g = re.sub(r"\s+", "", gloss)
    if not g or (not allow_toneless and not any(c in _TONED for c in g)):
        return False
    return bool(_SYLLABLES_RE.fullmatch(g.translate(_UNTONE)))


_TONED_GLOSS_RE = re.compile(rf"\([a-z]*[{_TONED}][a-z{_TONED}]*\)")


#: the tone-marked glosses that make toneless ones count are looked for in this many characters
_TONED_SCAN = 200000


def _glosses_with_tones(text: str, glosses: list[str]) -> bool:
    """Whether ``text`` holds three glosses with tone marks and no spaces (``_TONED_GLOSS_RE``) in
    its first ``_TONED_SCAN`` characters.

    Each such gloss among ``glosses`` (the texts of the ``_GLOSS_RE`` matches, in order) is also a
    match of the tone pattern, at the same place: on a glossed page three are usually found among
    the first few, and the text need not be scanned again. (A gloss found past ``_TONED_SCAN``
    characters does not count; the first three that count lie within it when the text is shorter.)"""
    if len(text) <= _TONED_SCAN:
        found = 0
        for g in glosses:
            if g.translate(_UNTONE) != g and not any(c.isspace() for c in g):
                found += 1
                if found >= 3:
                    return True
    return len(_TONED_GLOSS_RE.findall(text, 0, _TONED_SCAN)) >= 3


@lru_cache(maxsize=65536)
def _is_glossed(ch: str) -> bool:
    return bool(_GLOSSED_RE.match(ch))


def _remove_pinyin(text: str, log: _Log) -> str:
    """Pinyin glosses right after a Chinese character (or a Latin letter) → removed.

    The glosses and the text between them come from one ``_GLOSS_RE.split`` (a glossed page holds
    thousands: a match object each cost more than the rest of the work). The glossed character is
    the last one before the gloss, past spaces and one line break, in the text since the last gloss
    (a gloss kept ends with ``)``, which is never glossed). The glosses are handled column-wise: one
    decision per distinct gloss as after a Chinese character, then the few glosses after any other
    character found in the string of glossed characters (a loop with a dozen statements per gloss
    cost a glossed page over a millisecond; a decision per distinct (character, gloss) pair, half
    a millisecond)."""
    if "(" not in text:
        return text
    parts = _GLOSS_RE.split(text)
    if len(parts) == 1:
        return text
    befores, glosses = parts[0:-1:2], parts[1::2]
    # toneless glosses ("(de)") only count on pages that gloss with tone marks elsewhere
    allow_toneless = _glosses_with_tones(text, glosses)
    # the text before each gloss up to its glossed character, past spaces and one line break, and
    # the glossed characters as a string (most glosses follow their character: then that text is all
    # of it); "\n" stands for no character, which is as never glossed as a line break
    glossed = "".join([b[-1:] for b in befores])
    if len(glossed) == len(befores) and set(glossed).isdisjoint(" \t\n"):
        heads = befores
    else:
        heads = [b.rstrip(" \t") for b in befores]
        heads = [h[:-1].rstrip(" \t") if h[-1:] == "\n" else h for h in heads]
        glossed = "".join([h[-1:] or "\n" for h in heads])
    # after a Chinese character (most glosses): pinyin, toneless only on a page with tone marks
    removed = list(map({g: _is_pinyin(g, allow_toneless) for g in set(glosses)}.__getitem__, glosses))
    # after a Latin letter only a gloss with tone marks is taken ("IN(lǐng)"), never "(in)"; after
    # anything else none
    for c in set(glossed):
        if _is_glossed(c) and not (allow_toneless and c.isascii()):
            continue  # decided above
        i = glossed.find(c)
        while i != -1:
            removed[i] = _is_glossed(c) and _is_pinyin(glosses[i], False)
            i = glossed.find(c, i + 1)
    n = sum(removed)
    if not n:
        return text
    if n == len(removed):
        out = [*heads, parts[-1]]
        # what the removals drop: all but the heads and the text after the last gloss
        chars = len(text) - len(parts[-1]) - sum(map(len, heads))
    else:
        out = [h if r else f"{b}({g})" for h, b, g, r in zip(heads, befores, glosses, removed)]
        out.append(parts[-1])
        # what each removal drops: the spaces and line break after the glossed character, the gloss
        chars = (sum(map(len, itertools.compress(befores, removed)))
                 - sum(map(len, itertools.compress(heads, removed)))
                 + sum(map(len, itertools.compress(glosses, removed))) + 2 * n)
    j = removed.index(True)
    off = sum(map(len, befores[:j])) + sum(map(len, glosses[:j])) + 2 * j  # the offset of befores[j]
    k, end = off + len(heads[j]), off + len(befores[j]) + len(glosses[j]) + 2
    log.add("pinyin_gloss", text[max(0, k - 2) : end + 1], text[max(0, k - 2) : k] + text[end : end + 1],
            count=n, chars=chars)
    return "".join(out)


# --------------------------------------------------------------------------------------------
# 3. lost '?' characters
# --------------------------------------------------------------------------------------------
_QUESTION_WORDS = re.compile(r"(吗|呢|什么|怎么|怎样|如何|为什么|为何|哪|谁|是否|何|难道|岂)")
#: '?' after a Chinese character or digit: before another one, or a run of two or more
_QMARK_RE = re.compile(rf"\?(?<=[{_HAN}\d]\?)(?:(?=[{_HAN}\d])|\?+)")


def _repair_question_marks(text: str, log: _Log) -> tuple[str, int]:
    if "?" not in text:
        return text, 0
    unresolved = 0

    def sub(m: re.Match) -> str:
        nonlocal unresolved
        s, e = m.start(), m.end()
        a, b = text[s - 1], text[e : e + 1]
        if e - s > 1:
            unresolved += e - s
            log.add("lost_character", _ctx(text, s, e, 4), text[max(0, s - 4) : s] + REPLACEMENT * (e - s) + text[e : e + 4])
            return REPLACEMENT * (e - s)
        if a.isdigit() and b.isdigit():
            log.add("lost_decimal_point", _ctx(text, s, e, 3), _ctx(text, s, s, 3)[:3] + "." + text[e : e + 3])
            return "."
        if a.isdigit() or b.isdigit():
            return m.group(0)
        line_start = text.rfind("\n", 0, s) + 1
        before = text[max(line_start, s - 12) : s]
        if _QUESTION_WORDS.search(re.split(r"[，。；！？,;!]", before)[-1]):
            return "？"  # counted with punctuation normalization
        line_end = text.find("\n", e)
        line_end = len(text) if line_end == -1 else line_end
        left, right = text[line_start:s], text[e:line_end]
        in_quote = left.rfind("“") > left.rfind("”") and "”" in right[:30]
        if in_quote:
            log.add("lost_middle_dot", _ctx(text, s, e, 4), text[max(0, s - 4) : s] + "·" + text[e : e + 4])
            return "·"
        unresolved += 1
        log.add("lost_character", _ctx(text, s, e, 4), text[max(0, s - 4) : s] + REPLACEMENT + text[e : e + 4])
        log.notes.append(f"'?' between Chinese characters of unknown meaning marked U+FFFD: …{_ctx(text, s, e, 6)}…")
        return REPLACEMENT

    return _QMARK_RE.sub(sub, text), unresolved


# --------------------------------------------------------------------------------------------
# 4. script
# --------------------------------------------------------------------------------------------
#: characters of the body the script is measured on (plenty for a share; s2t costs as much as t2s)
SCRIPT_SAMPLE = 5000


def _measure_script(text: str, simplified: str) -> str:
    """``traditional`` / ``simplified`` / ``mixed`` from how many characters t2s and s2t change.

    ``simplified`` is ``t2s(text)``. A traditional text has t2s changes; a simplified text has s2t
    changes, counted only where t2s changed nothing (a character t2s simplified is traditional
    already). Each script tolerates some of the other's: a simplified text 5 % of traditional forms
    (names, shared forms such as 干/后), a traditional one 20 % of characters s2t would still change
    (s2t is not idempotent: on traditional pages, OpenCC's own s2t output included, it changes up to
    10 % as many characters as t2s, 著 → 着 → 著 and the like). A text with more of both is mixed.
    """
    if text == simplified:
        return "simplified"
    text, simplified = text[:SCRIPT_SAMPLE], simplified[:SCRIPT_SAMPLE]
    trad = _diff(text, simplified)[0]
    if trad <= 0.002 * len(text):  # a few traditional forms (names) in a simplified text: skip s2t
        return "simplified"
    traditional = _S2T.convert(text)
    n = min(len(text), len(simplified), len(traditional))
    original = code_points(text[:n])
    simp = int(np.count_nonzero((code_points(traditional[:n]) != original) & (code_points(simplified[:n]) == original)))
    if trad + simp == 0 or trad <= 0.05 * (trad + simp):
        return "simplified"
    if simp <= 0.2 * (trad + simp):
        return "traditional"
    return "mixed"


# --------------------------------------------------------------------------------------------
# 5. body bounds, chrome, spam
# --------------------------------------------------------------------------------------------
_TITLE_RE = re.compile(r"政府工作报告")
_DATELINE_RE = re.compile(r"^((——|—)\s*\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月\d{1,2}日.{0,40}(会议|大会))")
_SALUTATION_RE = re.compile(r"^各位代表")
_HEADING_NUMERALS = "一二三四五六七八九十"
_HEADING1_RE = re.compile(rf"^[{_HEADING_NUMERALS}]{{1,3}}、")
_NOTES_HEADER_RE = re.compile(r"^(《[^》]{1,20}》)?(名词解释|名词注释|注释|注解|附注|名词解读)[:：]?$")
_SECRETARIAT_RE = re.compile(r"秘书处\s*\d{4}年\d{1,2}月")


@lru_cache(maxsize=1)
def _spam_re() -> tuple[re.Pattern, dict[str, int]]:
    terms = dict(_spam_terms())
    assert not any("\n" in t for t in terms)  # (see _spam_scores)
    # Latin terms match in any case ("AV", "WWW"); the scoped flag keeps the Chinese alternation fast
    alt = "|".join(f"(?i:{re.escape(t)})" if t.isascii() else re.escape(t)
                   for t in sorted(terms, key=len, reverse=True))
    return re.compile(alt), terms


#: characters that never match a Latin letter case-insensitively (CJK ideographs and punctuation,
#: general and full-width punctuation, symbols, digits, private use), checked when the pattern is built
_UNCASED_RANGES = ((0x00A0, 0x00B4), (0x00B6, 0x00BF), (0x00D7, 0x00D7), (0x00F7, 0x00F7), (0x2000, 0x206F),
                   (0x20A0, 0x20CF), (0x2190, 0x23FF), (0x2460, 0x249B), (0x2500, 0x27BF), (0x3000, 0x303F),
                   (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xE000, 0xF8FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
                   (0xFF01, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65), (0xFFFD, 0xFFFD))
#: at most this many case variants of the Latin spam terms are spelled out
_MAX_CASE_VARIANTS = 4096


@lru_cache(maxsize=1)
def _spam_fast_re() -> tuple[re.Pattern, re.Pattern] | None:
    """The spam pattern with every case variant of a Latin term spelled out (``www|wwW|…``), and a
    pattern finding the characters that could still match one of those terms case-insensitively
    (non-ASCII characters outside ``_UNCASED_RANGES``, among them ``K`` and ``ſ``). Without them the literal pattern finds
    exactly what :func:`_spam_re` finds, in a sixth of the time: an alternation of plain literals
    lets the regex engine skip to the possible first characters, a case-insensitive branch makes it
    try every branch at every position. ``None`` when there are too many variants."""
    pat, terms = _spam_re()
    alts, n = [], 0
    for t in sorted(terms, key=len, reverse=True):  # the order of _spam_re
        if t.isascii():
            variants = ["".join(v) for v in itertools.product(*({c.lower(), c.upper()} for c in t))]
            alts += sorted(set(variants))
            n += len(variants)
        else:
            alts.append(t)
    if n > _MAX_CASE_VARIANTS:
        return None
    latin = "".join(sorted({c for t in terms if t.isascii() for c in t}))
    folds = re.compile(f"(?i:[{re.escape(latin)}])") if latin else None
    uncased = ""
    for a, b in _UNCASED_RANGES:
        if folds is None or not folds.search("".join(map(chr, range(a, b + 1)))):
            uncased += re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
    return re.compile("|".join(map(re.escape, alts))), re.compile(f"[^\\x00-\\x7f{uncased}]")


def _spam_score(line: str) -> int:
    pat, weights = _spam_re()
    fast = _spam_fast_re()
    if fast is not None and not fast[1].search(line):
        pat = fast[0]
    return sum(weights[m.group(0).lower()] for m in pat.finditer(line))


def _spam_scores(lines: list[str]) -> list[int]:
    """``[_spam_score(ln) for ln in lines]``, from one scan of the lines joined: no spam term holds a
    line break, so no match crosses one, and the matches in the joined text are those of each line.
    (Most lines of a report are short and hold no term: per line, the calls cost more than the
    scan.) A line that needs the case-insensitive pattern is scored alone."""
    weights = _spam_re()[1]
    fast = _spam_fast_re()
    if fast is None:
        return [_spam_score(ln) for ln in lines]
    text = "\n".join(lines)
    scores = [0] * len(lines)
    matches = [(m.start(), weights[m.group(0).lower()]) for m in fast[0].finditer(text)]
    cased = [m.start() for m in fast[1].finditer(text)]
    if matches or cased:
        starts = list(itertools.accumulate((len(ln) + 1 for ln in lines), initial=0))
        for at, weight in matches:
            scores[bisect.bisect_right(starts, at) - 1] += weight
        for k in {bisect.bisect_right(starts, at) - 1 for at in cased}:
            scores[k] = _spam_score(lines[k])
    return scores


#: (line patterns, the same without the anchored ones, their gate), see :func:`_chrome_in`
_ActiveChrome = tuple[list[_Chrome], list[_Chrome], "re.Pattern | None"]


def _chrome_kind(line: str, patterns: _ActiveChrome | None = None) -> str | None:
    """The kind of the first line pattern matching ``line`` (``patterns``: the line patterns of
    :func:`_chrome_in`; by default all)."""
    if patterns is None:
        pats = _chrome_patterns()[0]
    else:
        pats, unanchored, gate = patterns
        if gate is not None and gate.match(line) is None:
            pats = unanchored  # no anchored pattern matches: the others keep their order
    for kind, pat, needles, _ in pats:
        if (not needles or _may_match(needles, line)) and pat.search(line):
            return kind
    return None


def _chrome_in(text: str) -> tuple[_ActiveChrome, list[_Chrome]]:
    """The line patterns (with their gate) and the tail patterns that may match somewhere in
    ``text`` (its lines joined).

    A pattern whose needles are not all in the text matches none of its lines, so it is dropped for
    the whole report with one scan instead of being tried on every line (the needles of the others
    are not tested again line by line: most lines would pass). The line patterns anchored at the
    start are tried together first, as one alternation (the gate): a line none of them starts like
    skips them all.

    Most needles are absent, and ``"扫一扫在手机" in text`` scans the whole report (15–25 µs; there
    are forty needles): see :func:`_contains` for the cheaper test. A needle of one character costs
    nothing there, and the sets of one-character needles come first (:func:`_needles`): when one
    fails, the longer needles of the pattern need no scan."""
    line, tail = _chrome_patterns()
    found: dict[str, bool] = {}  # patterns share needles
    has = _contains(text)

    def may_match(needles: tuple[tuple[str, ...], ...]) -> bool:
        # (loops, not all(any(…)): the generators cost as much as the tests)
        for alts in needles:
            for x in alts:
                present = found.get(x)
                if present is None:
                    present = found[x] = has(x)
                if present:
                    break
            else:
                return False
        return True

    line = [(k, p, (), a) for k, p, n, a in line if may_match(n)]
    tail = [(k, p, (), a) for k, p, n, a in tail if may_match(n)]
    gate = _gate(tuple([p.pattern for _, p, _, a in line if a]))
    return (line, [c for c in line if not c[3]] if gate is not None else line, gate), tail


#: a needle whose rarest character occurs at most this often is looked for at those places only
_FEW_PLACES = 24


def _contains(text: str):
    """A test ``contains(x)`` equal to ``x in text``, cheaper for strings that are absent.

    The characters of ``text`` are counted once (numpy over its code points). A string holding a
    character the text lacks is absent; one whose rarest character occurs only a few times is
    compared at those places; else Python's substring search scans the text."""
    cps = code_points(text)
    counts = np.bincount(cps) if len(cps) else np.zeros(0, dtype=np.intp)
    size = len(counts)

    def contains(x: str) -> bool:
        if len(x) < 2:
            return not x or ((c := ord(x)) < size and bool(counts[c]))
        n, j = len(text) + 1, 0  # the count of the rarest character of x (the first such) and its index
        for k, ch in enumerate(x):
            c = ord(ch)
            m = int(counts[c]) if c < size else 0
            if m < n:
                n, j = m, k
        if n == 0:
            return False
        if n > _FEW_PLACES:
            return x in text
        rare = x[j]
        i = text.find(rare)
        while i != -1:
            if i >= j and text.startswith(x, i - j):
                return True
            i = text.find(rare, i + 1)
        return False

    return contains


@lru_cache(maxsize=64)
def _gate(patterns: tuple[str, ...]) -> re.Pattern | None:
    """One alternation of anchored patterns: it matches a line iff one of them does."""
    if not patterns:
        return None
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns))
    except re.error:
        return None


def _is_title(line: str, patterns: _ActiveChrome | None = None) -> bool:
    return bool(_TITLE_RE.search(line)) and len(line) <= 60 and _chrome_kind(line, patterns) is None


def _is_body_start(line: str, patterns: _ActiveChrome | None = None) -> bool:
    return bool(
        _is_title(line, patterns) or _DATELINE_RE.match(line) or _SALUTATION_RE.match(line)
        or _HEADING1_RE.match(line)
    )


_CLAUSE_MARK_RE = re.compile("[，。：；,:;]")


def _select_body(lines: list[str], log: _Log) -> tuple[list[str], int, int]:
    """Drop chrome and spam; returns (kept lines, index of first and last body line in ``lines``)."""
    line_patterns, tail_patterns = _chrome_in("\n".join(lines))
    start = next((i for i, ln in enumerate(lines) if _is_body_start(ln, line_patterns) and _spam_score(ln) < 3), None)
    if start is None:
        log.notes.append("no title, dateline, salutation or first heading found: the body is taken to start at the first line")
        start = 0
    for ln in lines[:start]:
        kind = "spam_line" if _spam_score(ln) >= 3 else "page_chrome"
        log.add(kind, ln, "")
    titles = {}
    for i in range(start, min(start + 8, len(lines))):
        if _is_title(lines[i], line_patterns):
            titles.setdefault(lines[i], i)
    # the end: strip chrome lines and copies of the title from the bottom up
    end = len(lines) - 1
    while end > start:
        ln = lines[end]
        kind = _chrome_kind(ln, line_patterns)
        if kind is None and (titles.get(ln, end) < end
                             or (_is_title(ln, line_patterns) and end > start + 10 and not _CLAUSE_MARK_RE.search(ln))):
            kind = "duplicate_title"
        if kind is None:
            break
        log.add("page_chrome", ln, "")
        end -= 1
    kept = []
    body = lines[start : end + 1]
    # the spam scores of the short lines, in order (a long line is no spam line)
    short_scores = iter(_spam_scores([ln for ln in body if len(ln) < 300]))
    for ln in body:
        if len(ln) < 300 and next(short_scores) >= 3:
            log.add("spam_line", ln, "")
            continue
        kind = _chrome_kind(ln, line_patterns)
        if kind is not None:
            log.add("page_chrome", ln, "")
            continue
        for _, pat, _, _ in tail_patterns:
            m = pat.search(ln)
            if m and m.start() > 0:
                log.add("page_chrome", _ctx(ln, m.start(), m.end(), 6)[:200], ln[max(0, m.start() - 6) : m.start()])
                ln = ln[: m.start()].rstrip()
        kept.append(ln)
    return kept, start, end


# --------------------------------------------------------------------------------------------
# 6. layout
# --------------------------------------------------------------------------------------------
_DATELINE_START_RE = re.compile(r"(——|—)\s*\d{4}年")
_DATELINE_END_RE = re.compile(r"(会议上|会议通过|大会上)$")
_SPACED_RE = re.compile(rf"^(?:[{_HAN}] ){{1,12}}[{_HAN}][:：]?$")
_TITLE_BLOCK_RE = re.compile(
    r"^(?P<title>[^—]{0,40}?政府工作报告)?"
    r"(?P<date>(?:——|—)?\s*\d{4}年\d{1,2}月\d{1,2}日[^。，]{0,40}?(?:会议上|会议通过|大会上))"
    r"(?P<speaker>[^。，]{2,30}?(?:市长|区长|县长|州长|省长|主席|盟长|旗长|主任)\s*[^。，\s]{2,4})?$"
)


def _close_spaced_titles(lines: list[str], log: _Log) -> list[str]:
    """``政 府 工 作 报 告`` / ``名 词 解 释`` → closed up (the body start and notes need them)."""
    out = []
    for ln in lines:
        if ln[1:2] == " " and _SPACED_RE.match(ln):  # (a spaced title has a space second)
            new = ln.replace(" ", "")
            log.add("spaced_title", ln, new)
            ln = new
        out.append(ln)
    return out


def _split_title_block(ln: str, depth: int = 0) -> list[str]:
    """Title, dateline and speaker glued on one line → one line each. A part can itself be a
    glued block (a page repeating the title and dateline), so parts are split again: one pass
    must give what a second pass would (idempotence)."""
    m = _TITLE_BLOCK_RE.match(ln)
    if not m or sum(bool(m.group(g)) for g in ("title", "date", "speaker")) < 2:
        return [ln]
    parts = [m.group(g).strip() for g in ("title", "date", "speaker") if m.group(g)]
    if depth >= 3:
        return parts
    return [piece for part in parts for piece in _split_title_block(part, depth + 1)]


def _fix_layout(lines: list[str], log: _Log) -> list[str]:
    out: list[str] = []
    salutation = next((i for i, ln in enumerate(lines) if _SALUTATION_RE.match(ln)), 12)
    i = 0
    while i < len(lines):
        ln = lines[i]
        if i < salutation:
            # a dateline broken over two lines
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if (_DATELINE_START_RE.match(ln) and not _DATELINE_END_RE.search(ln)
                    and _DATELINE_END_RE.search(nxt) and len(nxt) < 30):
                log.add("broken_line", ln + "\n" + nxt, ln + nxt)
                ln += nxt
                i += 1
            parts = _split_title_block(ln)
            if len(parts) > 1:
                log.add("glued_title_block", ln, "\n".join(parts), count=len(parts) - 1)
                out.extend(parts)
                i += 1
                continue
        if ln[:1] in _HEADING_NUMERALS:  # only a level-1 heading (一、…) is ever split
            out.extend(_split_heading(ln, log))
        else:
            out.append(ln)
        i += 1
    return out


def _split_heading(ln: str, log: _Log) -> list[str]:
    m = _HEADING1_RE.match(ln)
    if not m or len(ln) < 20:
        return [ln]
    end_re, start_re = _heading_words()
    for e in end_re.finditer(ln, m.end(), min(len(ln), 45)):
        head, rest = ln[: e.end()], ln[e.end() :]
        if "。" in head or len(rest) < 15 or not _CLAUSE_MARK_RE.search(rest, 0, 80):  # punctuation is made full-width later
            continue
        if start_re.match(rest):
            log.add("glued_heading", _ctx(ln, e.end(), e.end(), 8), head[-8:] + "\n" + rest[:8], chars=1)
            return [head, rest]
    if len(ln) > 60:
        head = ln[:40]
        log.notes.append(f"heading possibly glued to its paragraph, left as is: {head}…")
    return [ln]


# --------------------------------------------------------------------------------------------
# 7. width and punctuation
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=65536)
def _is_cjk_ctx(ch: str) -> bool:
    return bool(ch) and (bool(_HAN_RE.match(ch)) or ch in _CJK_PUNCT or ch == REPLACEMENT)


_FW_ALNUM = {c: chr(c - 0xFEE0) for c in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))}
_FW_ALNUM[0xFF05] = "%"
_FW_ALNUM_RE = re.compile("[０-９Ａ-Ｚａ-ｚ％][０-９Ａ-Ｚａ-ｚ％]*")
#: a lone ASCII parenthesis before Chinese text (it must also follow a Han character); two
#: patterns with a literal first character, which the regex engine finds much faster than the
#: first character of an alternation
_LONE_OPEN_RE = re.compile(rf"\((?=[{_HAN}])")
_LONE_CLOSE_RE = re.compile(rf"\)(?=[{_HAN}，。；：])")
_ASCII_PUNCT = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
#: what may stand between two parenthesised pairs that convert together (see _convert_parens):
#: ASCII spaces and at most one ASCII mark
_LINKING_GAP_RE = re.compile(r" *(?:[,:;!?] *)?")
_ASCII_PUNCT_TABLE = _bmp_table(tuple((ord(c), ord(c)) for c in _ASCII_PUNCT))
#: what the width and punctuation rule can still convert
_ASCII_LEFT_RE = re.compile("[(),:;!?]")


#: the full-width characters of ``_FW_ALNUM_RE`` as code-point ranges; each maps to ``cp - 0xFEE0``
_FW_RANGES = ((0xFF05, 0xFF05), (0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
assert all(_FW_ALNUM[c] == chr(c - 0xFEE0) for a, b in _FW_RANGES for c in range(a, b + 1))
assert len(_FW_ALNUM) == sum(b - a + 1 for a, b in _FW_RANGES)
_FW_TABLE = _bmp_table(_FW_RANGES)


def _full_width_to_ascii(text: str, log: _Log) -> str:
    """Full-width digits, Latin letters and ``％`` → ASCII (what ``_FW_ALNUM_RE.sub`` with
    ``_FW_ALNUM`` gives), each run of them logged as one ``width_normalization`` with three
    characters of context. Done on the code points: reports written with full-width digits hold
    hundreds of runs, and a regex callback per run cost more than the whole conversion."""
    cps = code_points(text)
    at = np.flatnonzero(_FW_TABLE.take(cps, mode="clip"))  # the full-width characters (a few per cent)
    if not len(at):
        return text
    # the runs: a character starts one unless the one before it is full width, and ends one unless
    # the one after it is
    step = np.diff(at) != 1
    starts = at[np.concatenate(([True], step))]
    ends = at[np.concatenate((step, [True]))] + 1
    new = cps.copy()
    new[at] -= 0xFEE0
    new = new.tobytes().decode("utf-32-le", "surrogatepass")
    n = len(text)
    # what logging each run (_ctx, three characters either side) adds up to
    chars = int((np.minimum(ends + 3, n) - np.maximum(starts - 3, 0)).sum())
    s, e = int(starts[0]), int(ends[0])
    log.add("width_normalization", _ctx(text, s, e, 3), text[max(0, s - 3) : s] + new[s:e] + text[e : e + 3],
            count=len(starts), chars=chars)
    return new


#: ``(?<=\d)．(?=\d)``, with the literal first (see the note on patterns at the top)
_FW_POINT_RE = re.compile(r"．(?<=\d．)(?=\d)")
#: a pair of parentheses with at least one ASCII half, nothing but text between them (a full-width
#: pair stays as it is; the full pattern ``[(（][^()（）\n]{0,80}[)）]`` matches the same pairs):
#: opened by ``(``, or opened by ``（`` and closed by ``)``. Two patterns with a literal first
#: character scan a report five times faster than their alternation; their matches never overlap
#: (no parenthesis inside a pair), so merged by position they are the matches of the alternation.
_PAREN_PAIR_RES = (re.compile(r"\(([^()（）\n]{0,80})[)）]"), re.compile(r"（([^()（）\n]{0,80})\)"))


def _normalize_width(text: str, log: _Log) -> str:
    text = _full_width_to_ascii(text, log)
    if "．" in text:
        text = _FW_POINT_RE.sub(".", text)
    before_text = text
    changed = 0
    first: int | None = None
    # Parentheses first (the punctuation rule looks at them), then the marks. Each conversion makes
    # Chinese context for its neighbours ("a(b),—": the "," converts next to "—", and then the pair
    # "(b)" stands before "，"), so both rules are applied again until nothing changes; otherwise
    # cleaning the clean text would change it again. The loop ends: every round but the last
    # converts at least one ASCII parenthesis or mark, and none is ever converted back. Real text
    # needs one or two rounds (chains of pairs are followed inside _convert_parens).
    while True:
        text, n_parens, first_paren = _convert_parens(text)
        text, n_marks, first_mark = _convert_ascii_marks(text)
        if first is None:
            first = first_paren if first_paren is not None else first_mark
        changed += n_parens + n_marks
        if not (n_parens or n_marks) or not any(c in text for c in "()"):
            break
    if changed:
        i = first or 0
        log.add("punctuation_normalization", before_text[max(0, i - 6) : i + 6], text[max(0, i - 6) : i + 6],
                count=changed, chars=changed)
    return text


def _convert_parens(text: str) -> tuple[str, int, int | None]:
    """ASCII parentheses in Chinese text → full width: a pair with Chinese inside or next to it,
    and a lone ``(`` / ``)`` after a Han character (before Chinese text). Returns (text,
    parentheses converted, position of the first pair converted)."""
    if "(" not in text and ")" not in text:  # only an ASCII parenthesis changes
        return text, 0, None
    changed = 0
    first: int | None = None

    def lone(m: re.Match) -> str:
        nonlocal changed
        if m.start() == 0 or not _HAN_RE.match(text[m.start() - 1]):
            return m.group(0)
        changed += 1
        return "（" if m.group(0) == "(" else "）"

    pairs = [m for pat, gate in zip(_PAREN_PAIR_RES, ("(", "（")) if gate in text for m in pat.finditer(text)]
    pairs.sort(key=re.Match.start)
    n = len(text)
    chinese = [bool(_HAN_RE.search(m.group(1))) or (m.start() > 0 and _is_cjk_ctx(text[m.start() - 1]))
               or (m.end() < n and _is_cjk_ctx(text[m.end()])) for m in pairs]
    if len(pairs) > 1 and not all(chinese):
        # A converted pair is Chinese context for a pair right beside it, and for one behind an
        # ASCII mark or spaces beside it (the mark converts next to the pair, then the pair next
        # to the mark; a space beside a converted mark or pair is closed, see _CJK_SPACE_RE):
        # "(a)(b)(中)", "(a),(b),(中)", "(a), (b), (中)". Carried along such chains here, in one
        # sweep each way, or the loops of _normalize_width and _clean_text would take a round per
        # pair, each over the whole text (a line of such pairs took seconds).
        linked = [a.end() == b.start() or _LINKING_GAP_RE.fullmatch(text, a.end(), b.start()) is not None
                  for a, b in zip(pairs, pairs[1:])]
        for k in range(1, len(pairs)):
            chinese[k] = chinese[k] or (chinese[k - 1] and linked[k - 1])
        for k in range(len(pairs) - 2, -1, -1):
            chinese[k] = chinese[k] or (chinese[k + 1] and linked[k])
    pieces, pos = [], 0
    for m, convert in zip(pairs, chinese):
        if convert:
            changed += 1
            first = m.start() if first is None else first
            pieces += (text[pos : m.start()], "（", m.group(1), "）")
            pos = m.end()
    if pieces:
        pieces.append(text[pos:])
        text = "".join(pieces)
    # a lone parenthesis is replaced by one of the same length and is no context of another
    if "(" in text:
        text = _LONE_OPEN_RE.sub(lone, text)
    if ")" in text:
        text = _LONE_CLOSE_RE.sub(lone, text)
    return text, changed, first


def _convert_ascii_marks(text: str) -> tuple[str, int, int | None]:
    """ASCII ``, : ; ! ?`` next to Chinese text → full width, except between two digits. Returns
    (text, marks converted, position of the first one converted in the first pass).

    A converted mark is CJK context for its neighbour (``::—`` → ``：：—``), so the rule is applied
    to its fixed point, so that cleaning a clean text changes nothing: a whole run of marks
    touching Chinese converts, however long. The neighbours are looked up once: a mark converts
    in pass 1 when a neighbour is Chinese, later when a neighbour mark converted (positions never
    move: each conversion replaces one character by one); see :func:`_reached`."""
    if not any(c in text for c in _ASCII_PUNCT):
        return text, 0, None
    cps = code_points(text)
    marks = np.flatnonzero(_ASCII_PUNCT_TABLE.take(cps, mode="clip"))
    if len(marks) > _MANY_MARKS:
        converted, waiting = _first_pass_at_once(cps, marks)
    else:
        converted, waiting = _first_pass(text, marks.tolist())
    if not converted:
        return text, 0, None
    first = converted[0]
    if waiting:
        converted += _reached(converted, waiting)
    if len(converted) > _MANY_MARKS:
        out = cps.copy()
        # each of , : ; ! ? is its full-width form minus 0xFEE0 (the list made an index array with its
        # dtype given: numpy guessing it for a list cost three times as much)
        out[np.array(converted, dtype=np.intp)] += 0xFEE0
        return out.tobytes().decode("utf-32-le", "surrogatepass"), len(converted), first
    pieces, pos = [], 0
    for i in sorted(converted):
        pieces.append(text[pos:i])
        pieces.append(_ASCII_PUNCT[text[i]])
        pos = i + 1
    pieces.append(text[pos:])
    return "".join(pieces), len(converted), first


def _reached(converted: list[int], waiting: dict[int, tuple[int, int]]) -> list[int]:
    """The marks of ``waiting`` that the passes after the first convert, to the fixed point.

    Neighbouring marks form chains (a mark's neighbour mark has it as its neighbour: the lookup
    past one space is symmetric), and a mark between two digits has no mark neighbour, so it is
    never in a chain. A waiting mark converts, in some pass, when a chain of waiting marks links
    it to a mark converted in the first pass: on its left (one sweep left to right carries the
    conversion along the chain) or on its right (one sweep right to left). ``waiting`` is in the
    order of the text."""
    done = set(converted)
    now: list[int] = []
    for i, (ia, _) in waiting.items():
        if ia in done:
            done.add(i)
            now.append(i)
    for i in reversed(waiting):
        if i not in done and waiting[i][1] in done:
            done.add(i)
            now.append(i)
    return now


#: more marks than this (pages written with ASCII punctuation hold hundreds) are looked at with
#: numpy at once; for a few, the fixed cost of the array operations is more than a loop's
_MANY_MARKS = 48
assert all(ord(v) - ord(k) == 0xFEE0 for k, v in _ASCII_PUNCT.items())


def _first_pass(text: str, marks: list[int]) -> tuple[list[int], dict[int, tuple[int, int]]]:
    """The first pass of :func:`_convert_ascii_marks`: (marks converted, {mark waiting: positions
    of its neighbours, -1 for none})."""
    n = len(text)
    cjk = _is_cjk_ctx
    converted: list[int] = []
    waiting: dict[int, tuple[int, int]] = {}  # mark → positions of its neighbours (-1: none)
    for i in marks:
        # the neighbours, looking past one space
        ia = i - 1
        a = text[ia] if i > 0 else ""
        if a == " " and i > 1:
            ia -= 1
            a = text[ia]
        ib = i + 1
        b = text[ib] if ib < n else ""
        if b == " " and ib + 1 < n:
            ib += 1
            b = text[ib]
        if a.isdigit() and b.isdigit():
            continue
        if cjk(a) or cjk(b):
            converted.append(i)
        else:
            waiting[i] = (ia if i > 0 else -1, ib if ib < n else -1)
    return converted, waiting


def _first_pass_at_once(cps: np.ndarray, marks: np.ndarray) -> tuple[list[int], dict[int, tuple[int, int]]]:
    """:func:`_first_pass` on the code points of the text, for all marks at once."""
    n = len(cps)
    # the neighbours, looking past one space (a: before, b: after; missing at the ends of the text)
    has_a = marks > 0
    ia = np.where((marks > 1) & (cps[np.maximum(marks - 1, 0)] == 0x20), marks - 2, marks - 1)
    ib = marks + 1
    ib = np.where((ib + 1 < n) & (cps[np.minimum(ib, n - 1)] == 0x20), ib + 1, ib)
    has_b = ib < n
    flags_a = _context_flags(cps[np.clip(ia, 0, n - 1)]) * has_a
    flags_b = _context_flags(cps[np.clip(ib, 0, n - 1)]) * has_b
    between_digits = (flags_a & flags_b & _CTX_DIGIT) != 0
    now = ~between_digits & (((flags_a | flags_b) & _CTX_CJK) != 0)
    rest = ~between_digits & ~now
    waiting = dict(zip(marks[rest].tolist(),
                       zip(np.where(has_a, ia, -1)[rest].tolist(), np.where(has_b, ib, -1)[rest].tolist())))
    return marks[now].tolist(), waiting


_CTX_DIGIT, _CTX_CJK = 1, 2


@lru_cache(maxsize=1)
def _context_table() -> np.ndarray:
    """``table[cp]`` for the BMP: ``_CTX_DIGIT`` when ``chr(cp).isdigit()``, ``_CTX_CJK`` when
    :func:`_is_cjk_ctx` (a Han character, Chinese punctuation or U+FFFD)."""
    table = np.array([chr(c).isdigit() for c in range(0x10000)], dtype=np.uint8)
    for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)):  # _HAN
        table[lo : hi + 1] |= _CTX_CJK
    table[[ord(c) for c in _CJK_PUNCT + REPLACEMENT]] |= _CTX_CJK
    return table


def _context_flags(cps: np.ndarray) -> np.ndarray:
    """The ``_context_table`` flags of the code points ``cps`` (past the BMP: digit or nothing)."""
    flags = _context_table().take(np.minimum(cps, 0xFFFF))
    for k in np.flatnonzero(cps > 0xFFFF).tolist():
        flags[k] = _CTX_DIGIT if chr(int(cps[k])).isdigit() else 0
    return flags


# --------------------------------------------------------------------------------------------
# 8. whitespace
# --------------------------------------------------------------------------------------------
_SPACES = r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]"
_SPACES_RE = re.compile(_SPACES + _SPACES + "*")
#: spaces after or before a Chinese character, or inside a decimal number ("12 .2%")
_CJK_SPACE_RE = re.compile(
    rf" (?<=[{_HAN}{_CJK_PUNCT}] ) *| +(?=[{_HAN}{_CJK_PUNCT}])"
    r"| (?<=\d ) *(?=[.．]\d)| (?<=\d[.．] ) *(?=\d)"
)


def _unix_newlines(text: str) -> str:
    """CRLF and CR → LF. ``str.replace`` scans the whole text even when there is nothing to
    replace (~2 µs per thousand characters for ``"\\r\\n"``); looking for ``"\\r"`` costs a tenth."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _normalize_whitespace(text: str, log: _Log) -> list[str]:
    before = text
    text = _unix_newlines(text)
    if _spaces_to_close(text):
        text = _SPACES_RE.sub(" ", text)
    split = text.split("\n")
    lines = list(filter(None, map(str.strip, split)))  # the non-empty lines, stripped
    joined = "\n".join(lines)
    if joined != before:
        i = _first_difference(before, joined)
        # the line breaks before and after, counted on the lines (a count scans the whole text);
        # replacing spaces keeps the line breaks, a CR becomes one
        breaks_before = before.count("\n") if "\r" in before else len(split) - 1
        log.add("whitespace", before[max(0, i - 8) : i + 12], joined[max(0, i - 8) : i + 12],
                count=max(1, breaks_before - max(len(lines) - 1, 0)), chars=max(len(before) - len(joined), 0))
    return lines


#: the characters of ``_SPACES`` but the ASCII space, as code-point ranges
_OTHER_SPACES = ((0x09, 0x09), (0xA0, 0xA0), (0x2000, 0x200B), (0x202F, 0x202F), (0x205F, 0x205F),
                 (0x3000, 0x3000), (0xFEFF, 0xFEFF))
assert re.fullmatch(_SPACES + "+", " " + "".join(chr(c) for a, b in _OTHER_SPACES for c in range(a, b + 1)))
_OTHER_SPACE_TABLE = _bmp_table(_OTHER_SPACES)


def _spaces_to_close(text: str) -> bool:
    """Would ``_SPACES_RE.sub(" ", text)`` change ``text``: does it hold a space character other
    than the ASCII space, or two spaces in a row. The regex scan of a whole report costs ~3 µs per
    thousand characters, and most reports need nothing: the code points answer in a fraction."""
    cps = code_points(text)
    if _OTHER_SPACE_TABLE.take(cps, mode="clip").any():
        return True
    space = cps == 0x20
    return bool((space[1:] & space[:-1]).any())


def _first_difference(a: str, b: str) -> int:
    """The first offset where ``a`` and ``b`` differ (``a != b``), or the length of the shorter when
    it is a prefix of the other: compared in growing blocks, as the first difference is usually
    near the start."""
    n = min(len(a), len(b))
    lo, size = 0, 64
    while lo < n:  # a[:lo] == b[:lo]
        hi = min(n, lo + size)
        if a[lo:hi] != b[lo:hi]:
            while hi - lo > 1:  # the difference is in a[lo:hi]
                mid = (lo + hi) // 2
                if a[lo:mid] == b[lo:mid]:
                    lo = mid
                else:
                    hi = mid
            return lo
        lo, size = hi, size * 2
    return n


def _close_cjk_spaces(lines: list[str], log: _Log) -> list[str]:
    out = []
    for ln in lines:
        if " " not in ln:
            out.append(ln)
            continue
        new = _CJK_SPACE_RE.sub("", ln)
        if new != ln:
            log.add("whitespace", ln[:40], new[:40], count=0, chars=len(ln) - len(new))
        out.append(new)
    return out


# --------------------------------------------------------------------------------------------
# 9. footnote markers
# --------------------------------------------------------------------------------------------
_NOTE_LINE_RE = re.compile(r"^(\d{1,3})[.．、]\s*([^:：。]{1,40}?)\s*(?:[（(]P\d+[）)])?\s*[:：]")
#: a number 1-99 or ①-⑳ glued to a Chinese character or closing mark (group 1)
_MARKER_RE = re.compile(rf"([1-9\u2460-\u2473](?<=[{_HAN}”’》）].)(?:(?<=[1-9])\d)?)(?![\d.．%％+＋×/\-－])")
_UNIT_AFTER = set("个项家户条件座名人次批宗亩万亿元年月日号倍所类期届层米吨公天岁台辆张套部间处级种块轮场支股栋千百十度分秒时周位只本")
_NOT_BEFORE = set("第约近超达共逾余占至和及与每")


def _notes_block(lines: list[str]) -> tuple[int, dict[int, str]]:
    """Index of the first line of the notes block and {number: term}; (len(lines), {}) if none."""
    header = next((i for i in range(len(lines) - 1, -1, -1) if _NOTES_HEADER_RE.match(lines[i])), None)
    notes: dict[int, str] = {}
    if header is not None:
        start = header + 1
        for ln in lines[start:]:
            m = _NOTE_LINE_RE.match(ln)
            if m:
                notes.setdefault(int(m.group(1)), m.group(2))
        return header, notes
    # no header: the trailing run of numbered definitions (at least three)
    i = len(lines)
    while i > 0 and (_NOTE_LINE_RE.match(lines[i - 1]) or _SECRETARIAT_RE.search(lines[i - 1])):
        i -= 1
    for ln in lines[i:]:
        m = _NOTE_LINE_RE.match(ln)
        if m:
            notes.setdefault(int(m.group(1)), m.group(2))
    if len(notes) < 3:
        return len(lines), {}
    return i, notes


_TERM_NOISE_RE = re.compile(r"[“”‘’\"《》\s]")


def _term_matches(before: str, term: str) -> tuple[bool, bool]:
    """(matches, strong): do the words before a marker belong to the note's term?"""
    b, t = _TERM_NOISE_RE.sub("", before), _TERM_NOISE_RE.sub("", term)
    if not t or not b:
        return False, False
    for k in range(min(len(t), len(b)), 1, -1):
        tail = b[-k:]
        if tail in t:
            strong = k >= 3 or before.endswith(("”", "’", "》")) or tail == t
            return True, strong
    return False, False


def _lift_footnotes(lines: list[str], log: _Log) -> tuple[str, pd.DataFrame]:
    notes_start, notes = _notes_block(lines)
    rows = []
    text = "\n".join(lines)
    if not notes:
        return text, _footnote_frame([])
    body_end = sum(map(len, lines[:notes_start])) + notes_start
    out, pos, removed = [], 0, 0
    n_kept = 0
    for m in _MARKER_RE.finditer(text, 0, body_end):
        g = m.group(1)
        num = ord(g) - 0x245F if "\u2460" <= g <= "\u2473" else int(g)
        if num not in notes:  # most numbers in the text
            continue
        s, e = m.span()
        nxt = text[e : e + 1]
        # (text[s - 1] exists: a marker follows a character)
        if text[s - 1] in _NOT_BEFORE or (nxt and nxt.isascii() and nxt.isalnum()):
            continue
        line_start = text.rfind("\n", 0, s) + 1
        before = text[max(line_start, s - 14) : s]
        ok, strong = _term_matches(before, notes[num])
        if not ok or (nxt in _UNIT_AFTER and not strong):
            n_kept += ok
            continue
        out.append(text[pos:s])
        pos = e
        clean_pos = s - removed
        removed += e - s
        rows.append((num, clean_pos))
        log.add("footnote_marker", _ctx(text, s, e, 6), text[max(0, s - 6) : s] + text[e : e + 6])
    out.append(text[pos:])
    new = "".join(out)
    fn = _footnote_frame([(num, p, new[max(0, p - 12) : p + 12]) for num, p in rows])
    if n_kept:
        log.notes.append(f"{n_kept} number(s) that match a note's term but sit before a unit were kept as text")
    return new, fn


# --------------------------------------------------------------------------------------------
# the stage
# --------------------------------------------------------------------------------------------
def _warm_up() -> None:
    """Load the lexicons and the mojibake model now (~0.1 s), e.g. before forking workers, so that
    they inherit them instead of each loading them on its first damaged page."""
    _chrome_patterns()
    _context_table()
    _spam_fast_re()
    _heading_words()
    _seen_chars()


def clean_text(raw: str) -> CleanResult:
    """Clean one decoded report.

    Parameters
    ----------
    raw : str
        The text as decoded from the file (``RawDocument.raw``).

    Returns
    -------
    CleanResult
        ``text`` (simplified, one paragraph per line), ``repairs`` (``kind, count, chars,
        example_raw, example_clean``), ``footnotes`` (``marker, char_pos, context``),
        ``script_original``, ``unresolved_chars``, ``notes``.

    Examples
    --------
    >>> r = clean_text("各位代表:\\n  鎮(zhèn)江市GDP增長(zhǎng)8.7%。")
    >>> r.text
    '各位代表：\\n镇江市GDP增长8.7%。'
    >>> r.script_original
    'traditional'
    """
    try:
        return _clean_text(raw, _Log())
    except UnicodeEncodeError:
        # OpenCC, which every text goes through, encodes it as UTF-8: a surrogate code point (an
        # undecodable byte a lenient decoder kept) is in it. Checking every text for one up front
        # would cost more than the rare case; it is replaced and the text cleaned again.
        if not _SURROGATE_RE.search(raw):
            raise
        log = _Log()
        return _clean_text(_replace_surrogates(raw, log), log)


#: a surrogate code point; a pair of them (high, low) written as two code points is one character
_SURROGATE_RE = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")


def _replace_surrogates(text: str, log: _Log) -> str:
    """Surrogate code points → the character of a (high, low) pair, U+FFFD for a lone one
    (``undecodable_character``; U+FFFD is counted as unresolved). No string with a surrogate can
    be written as UTF-8: a slogan, a sentence or a note with one could not be stored."""
    first = _SURROGATE_RE.search(text)
    n = 0

    def sub(m: re.Match) -> str:
        nonlocal n
        n += 1
        pair = m.group(0)
        return pair.encode("utf-16-le", "surrogatepass").decode("utf-16-le") if len(pair) == 2 else REPLACEMENT

    new = _SURROGATE_RE.sub(sub, text)
    if n:
        i = first.start()
        # the example as written in Python ('\ud800'), which UTF-8 can store
        example = text[max(0, i - 6) : i + 6].encode("utf-8", "backslashreplace").decode("utf-8")
        log.add("undecodable_character", example, new[max(0, i - 6) : i + 6], count=n, chars=n)
    return new


def _clean_text(raw: str, log: _Log) -> CleanResult:
    """:func:`clean_text`, logging to ``log``."""
    text = _unix_newlines(raw)
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    text, _ = _repair_mojibake(text, log)
    text = _unescape_html(text, log)
    text = _remove_pinyin(text, log)
    lines = _normalize_whitespace(text, log)
    lines = _close_spaced_titles(lines, log)
    simp_lines = _T2S.convert("\n".join(lines)).split("\n")
    if len(simp_lines) != len(lines):  # OpenCC never touches newlines; guard anyway
        simp_lines = [_T2S.convert(ln) for ln in lines]
    body, start, end = _select_body(simp_lines, log)
    body_orig = "\n".join(lines[start : end + 1])
    body_simp = "\n".join(simp_lines[start : end + 1])
    script = _measure_script(body_orig, body_simp)
    n_changed, i = (0, -1) if body_orig == body_simp else _diff(body_orig, body_simp)
    if n_changed:
        log.add("traditional_to_simplified", body_orig[max(0, i - 4) : i + 12], body_simp[max(0, i - 4) : i + 12],
                count=n_changed, chars=n_changed)
    if "?" in body_simp and any("?" in ln for ln in body):  # (the kept lines are cut from body_simp's)
        body = _repair_question_marks("\n".join(body), log)[0].split("\n")
    body = _fix_layout(body, log)
    body = _close_cjk_spaces(body, log)
    text = _normalize_width("\n".join(body), log)
    # marks made full-width just now are CJK context: close the spaces beside them too (idempotence)
    lines = text.split("\n")
    if " " in text:
        lines = _close_cjk_spaces(lines, log)
    # … and a closed space can bring an ASCII parenthesis next to Chinese context ("中: (a)" →
    # "中：(a)"): the rule again, and the spaces again, until neither changes anything (each round
    # closes a space; most texts need none)
    while sum(map(len, lines)) + len(lines) - 1 != len(text) and _ASCII_LEFT_RE.search(text):
        text = _normalize_width("\n".join(lines), log)
        lines = _close_cjk_spaces(text.split("\n"), log)
    text, footnotes = _lift_footnotes(lines, log)
    # counted on the result: every U+FFFD a repair left, and private-use characters never recovered
    unresolved = text.count(REPLACEMENT) + _count_private_use(text)
    if unresolved:
        log.notes.append(f"{unresolved} character(s) could not be recovered (U+FFFD or private-use characters)")
    return CleanResult(
        text=text,
        repairs=log.frame(),
        footnotes=footnotes,
        script_original=script,
        unresolved_chars=unresolved,
        notes=log.notes,
    )
