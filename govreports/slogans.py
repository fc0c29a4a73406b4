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

import pandas as pd

SLOGAN_COLUMNS = ["slogan", "n_mentions", "is_numbered", "number", "is_national_formula", "in_glossary"]

MAX_SLOGAN_CHARS = 12
MIN_SLOGAN_CHARS = 2

_QUOTED = re.compile(r"“([^“”\n]{1,40})”|「([^「」\n]{1,40})」|『([^『』\n]{1,40})』|\"([^\"\n]{1,40})\"")
_NOT_SLOGAN_CHARS = re.compile(r"[，,。；;：:！!？?《》〈〉<>（）()\[\]【】“”「」『』…]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_PLUS_FORMULA = re.compile(r"^[0-9A-Za-z\u4e00-\u9fff]+(?:\+[0-9A-Za-z\u4e00-\u9fff]*)+$")
_WHITESPACE = re.compile(r"\s+")
_QUOTE_MARKS = re.compile(r"[“”「」『』\"'‘’]")

_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUMERAL_RUN = re.compile(r"[0-9]+|[一二两三四五六七八九十百千万双]+")
_MEASURE_WORDS = "个大项条种类批件位张支座场次轮类区园带化风型"
_PLAN_ORDINAL = re.compile(r"^(?:十[一二三四五六七八九]?|[六七八九])五$")
# Four-character parallel phrase: count numeral, one character, count numeral, one character.
_PARALLEL4 = re.compile(
    r"(?<![一二两三四五六七八九十百千万〇零0-9第])"
    r"([二两三四五六七八九十双])([\u4e00-\u9fff])([一二两三四五六七八九十双])([\u4e00-\u9fff])"
)
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
def _non_count_words() -> tuple[str, ...]:
    words = [ln.strip() for ln in _read_lexicon("slogan_non_count_words.txt").splitlines()]
    return tuple(sorted((w for w in words if w and not w.startswith("#")), key=len, reverse=True))


def normalize_slogan(phrase: str) -> str:
    """A phrase as a slogan key: quotes and whitespace removed."""
    return _QUOTE_MARKS.sub("", _WHITESPACE.sub("", phrase))


def is_slogan_like(phrase: str) -> bool:
    """True for a short quoted phrase that can be a slogan (see the module rules)."""
    if _NOT_SLOGAN_CHARS.search(phrase):
        return False
    n = len(phrase.replace("、", ""))
    if not MIN_SLOGAN_CHARS <= n <= MAX_SLOGAN_CHARS:
        return False
    return bool(_HAN.search(phrase)) or bool(_PLUS_FORMULA.match(phrase))


def _chinese_value(run: str) -> int | None:
    """Value of a numeral run 一 … 九十九 (两, 双 = 2); None for anything else."""
    if run == "双":
        return 2
    if run in _CN_DIGIT:
        return _CN_DIGIT[run]
    m = re.fullmatch(r"([一二三四五六七八九])?十([一二三四五六七八九])?", run)
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
    runs = list(_NUMERAL_RUN.finditer(slogan))
    if not runs:
        return None
    if len(runs) == 1 and runs[0].group() == slogan:
        return None  # a bare number (十五 = the 10th five-year plan, 4050)
    chinese_runs = [r for r in runs if not r.group().isdigit()]
    parallel = len(chinese_runs) >= 2
    non_count_words = _non_count_words()
    for run in runs:
        text, start, end = run.group(), run.start(), run.end()
        after = slogan[end:end + 1]
        if text.isdigit():
            if len(text) <= 2 and not (start > 0 and slogan[start - 1] in ".．") and not re.match(r"[.%年A-Za-z]", after):
                return int(text)
            continue
        if text[0] in "百千万" or slogan.startswith("分之", end):
            continue
        if _PLAN_ORDINAL.match(text) and (not after or after in _PLAN_WORDS):
            continue
        if text == "双" and start > 0:
            continue
        if not parallel and any(slogan.startswith(w, start) for w in non_count_words):
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


def _glossary_keys(glossary: pd.DataFrame) -> set[str]:
    keys: set[str] = set()
    for term in glossary["term"].dropna().astype(str).tolist():
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
    spans = glossary[["char_start", "char_end", "definition"]].dropna(subset=["char_start", "char_end"])
    for start, end, definition in sorted(
        zip(spans["char_start"].astype(int).tolist(), spans["char_end"].astype(int).tolist(), spans["definition"].tolist())
    ):
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


def find_slogan_candidates(text: str, compact: str | None = None) -> list[str]:
    """Slogan candidates of rules 1, 2 and 4, normalized, in order of first occurrence.

    ``compact`` is the text without whitespace, when the caller has it already.
    """
    found: dict[str, None] = {}
    for m in _QUOTED.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        phrase = normalize_slogan(inner)
        if is_slogan_like(phrase):
            found.setdefault(phrase, None)
    if compact is None:
        compact = _WHITESPACE.sub("", text)
    for m in _national_pattern().finditer(compact):
        found.setdefault(m.group(), None)
    for phrase in [p for p in found if _is_place_or_common_word(p)]:
        del found[phrase]
    quoted = list(found)
    for m in _PARALLEL4.finditer(compact):
        if m.group(2) in _PARALLEL_STEM_EXCLUDED or m.group(4) in _PARALLEL_STEM_EXCLUDED:
            continue
        second = m.group()[2:]
        if any(second.startswith(w) or w.startswith(second) for w in _non_count_words() if w[0] == second[0]):
            continue  # 长三角一体化: the second "numeral" starts a word that counts nothing
        if _CHAIN_CONTINUES.match(compact, m.end()) or any(m.group() in q for q in quoted):
            continue  # part of a longer chain (四尘三烟三气): its edges are unclear unquoted
        found.setdefault(m.group(), None)
    return list(found)


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
    compact = _WHITESPACE.sub("", without_notes)
    candidates = find_slogan_candidates(without_notes, compact)
    glossary_keys: set[str] | None = None
    if glossary is not None and "term" in glossary.columns:
        glossary_keys = _glossary_keys(glossary)
        for key in sorted(glossary_keys):
            if key not in candidates and is_slogan_like(key) and numbered_count(key) is not None:
                candidates.append(key)

    counted_text = compact
    national = _national_lookup()
    rows = []
    for slogan in candidates:
        n_mentions = counted_text.count(slogan)
        if slogan in national:
            is_numbered, number = national[slogan]
        else:
            number = numbered_count(slogan)
            is_numbered = number is not None or bool(re.search(r"[0-9]\+|\+[0-9]", slogan))
        rows.append(
            (
                slogan,
                n_mentions,
                is_numbered,
                number,
                slogan in national,
                None if glossary_keys is None else slogan in glossary_keys,
                len(rows),  # candidates come in order of first occurrence (quoted ones first)
            )
        )
    # a candidate seen only inside the glossary notes is not a slogan of the report body
    rows = [r for r in rows if r[1] > 0]
    rows.sort(key=lambda r: (-r[1], r[6]))
    return pd.DataFrame(
        {
            "slogan": pd.array([r[0] for r in rows], dtype="string"),
            "n_mentions": pd.array([r[1] for r in rows], dtype="Int64"),
            "is_numbered": pd.array([r[2] for r in rows], dtype="boolean"),
            "number": pd.array([r[3] for r in rows], dtype="Int64"),
            "is_national_formula": pd.array([r[4] for r in rows], dtype="boolean"),
            "in_glossary": pd.array([r[5] for r in rows], dtype="boolean"),
        }
    )
