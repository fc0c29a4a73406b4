"""Extract stage — the economic indicators a report states: targets, outcomes and multi-year values.

``extract_indicators(text, sections, sentences, metadata)`` returns one row per indicator value the
report states, with the words that qualify it. Economists copy exactly these numbers by hand (growth
targets, whether they are "hard" or "soft", what was achieved), so the rules below prefer a missing
value to a wrong one.

Where numbers are read
----------------------
* **Targets** only inside a *target paragraph*: it opens at a cue such as 主要预期目标是 / 主要目标：/
  奋斗目标是 (``target_cue`` in ``lexicons/indicator_grammar.csv``) and runs over the following
  sentences of its paragraph while they still name indicators (a "——" list runs to the end of the
  paragraph), and stops at a stop cue (实现上述目标, 以上目标, 充分考虑, 作简要说明…). A target
  quoted anywhere else — a task in the plan section, last year's outcome repeated in the plan, a
  province's figure — is not read, so last year's outcome is never taken for this year's target.
* The paragraph is this year's (``kind = target``) or a multi-year plan's (``period_target``: 十四五,
  今后五年) depending on the nearest cue before it (今年 / 十四五时期 / 今后五年 / 规划纲要).
* **Outcomes** only in sections typed ``review`` / ``term_review`` / ``preamble`` by the structure
  stage (when no section is typed as a review, the text before the first target paragraph).
  ``kind = actual`` unless the value is an average or total over several years → ``period_actual``:
  年均 / 累计 / 五年 in the clause or sentence, 比2010年…, or a growth rate (or a count such as new
  jobs) whose nearest context cue in its section is 五年来 / 十三五期间 rather than 过去的一年 / 2021年
  (in a five-year review with neither cue, growth is taken as several years'). A five-year average
  is never taken for one year's growth. An outcome's ``year`` is a year named right before the name
  (2020年生产总值…) or the review year.

How a number is tied to an indicator
------------------------------------
* Indicator names come from ``lexicons/indicators.csv`` (aliases across years, matched longest first,
  so 单位生产总值能耗 is energy intensity and 人均生产总值 is GDP per capita, not GDP).
* A number is read only when everything between the name and the number is made of grammar words
  (``lexicons/indicator_grammar.csv``: verbs, fillers, year-on-year and multi-year markers, qualifier
  prefixes) or years (比2010年, 到2025年). ``研发投入占地区生产总值比重达到2.5%`` or
  ``对经济增长贡献率达到60%`` therefore give nothing: the number belongs to something else.
* A name preceded by 占 / 与 / 对 / 于 or a foreign scope (全省, 全国, 县域, 5个县, 产业集聚区 …;
  ``foreign_scope`` in the grammar lexicon; 全省 is the region's own in a province's report) is not
  the region's own indicator and is skipped; so is a name that follows another indicator name in
  the same clause (规上工业实现税收收入… is industry's tax, not the region's), and a single name
  whose verb says 均 (西平、遂平城镇化率均达到40%: several places).
* Values that follow in the next clauses of the same sentence stay with the name when the clause
  starts with a verb (``生产总值1794.5亿元，同比增长8.5%，…，年均增长9.2%``); clauses without an
  amount (全市第二, 增幅居全省第5位, 是2017年的1.8倍) and notes in brackets are stepped over; a
  clause naming something else (其中第一产业增长4.5%, another indicator) ends the chain, so
  一二三产业 growth is never GDP. A milestone (首次突破3000亿元大关) is not a value.
* Enumerations pair names with values: ``城乡居民人均可支配收入分别增长8%、8.8%`` → urban 8, rural
  8.8; ``固定资产投资、社会消费品零售总额年均增长9.4%、6.5%`` → two rows; one value after several
  names applies to each; any other count is skipped.
* Numbers inside quotes (“三个千亿”, “3+5+X”) are never read; a unit is always required, so bare
  digits (footnote markers glued to text) are never values; a footnote marker glued between the name
  and its verb (生产总值3增长8%) is stepped over.

Measures, units and qualifiers
------------------------------
* ``measure``: ``growth`` (a % with a growth or decline verb; declines are negative: 下降3% → -3,
  增长-2.6% → -2.6; CPI 上涨 / 涨幅), ``rate`` (a % that is the rate itself: unemployment,
  urbanization; ‰ for population growth), ``change`` (个百分点), ``level`` (an amount with a unit).
  A number whose unit is not one the indicator can carry (``units`` column) is not read.
* ``qualifier`` keeps the words as written, joined with "…" (力争…以上, 控制在…以内, 高于…左右);
  ``constraint`` comes from ``lexicons/qualifiers.csv``: a range → ``range``; otherwise the
  highest-priority qualifier; no qualifier → ``exact``. For a decline (下降1%以上 → value -1) floor
  and ceiling swap, because the value has been negated.
* Relative targets (增速高于全省1个百分点左右; 增速高于全省平均水平) give ``constraint = relative``,
  ``relative_to`` (全省), and the margin as ``value`` in 个百分点 when one is stated. Qualitative
  targets (与经济增长同步, 与2019年持平) give a ``qualitative`` row without a value.
"""
from __future__ import annotations

import bisect
import csv
import operator
import re
from dataclasses import dataclass, field
from itertools import chain
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import pyarrow as pa

from govreports.frames import (arrow_string_array, column_labels, float_array, frame, int_array,
                               string_arrays)
from .frames import column_array, plain_columns
from govreports.numbers import VALUE_PATTERN, VALUE_RE, parse_value_match

COLUMNS = [
    "indicator_code", "indicator_name", "mention", "kind", "year", "period_start", "measure",
    "value", "value_high", "unit", "qualifier", "constraint", "relative_to", "section_id",
    "sentence_id", "char_start", "char_end", "sentence",
]

ACTUAL_SECTION_TYPES = frozenset({"review", "term_review", "preamble"})
MAX_BLOCK_CHARS = 2000      # a target paragraph longer than this is cut: lists are short
BLOCK_LOOKBACK_CHARS = 400  # how far back the annual / multi-year cue of a target paragraph is looked for
CONTEXT_LOOKBACK_CHARS = 3000  # how far back in its section a review number looks for 五年来 / 过去的一年
MAX_CHAIN_CLAUSES = 4       # clauses after a name that may still carry its values


# ---------------------------------------------------------------------------------------------
# Lexicons
# ---------------------------------------------------------------------------------------------
def _read_lexicon(name: str) -> list[dict[str, str]]:
    text = resources.files("govreports").joinpath("lexicons", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


@dataclass(frozen=True)
class Indicator:
    code: str
    name_zh: str
    units: frozenset
    value_type: str
    direction: str
    primary_measure: str
    split_into: tuple


@dataclass(frozen=True)
class _Grammar:
    indicators: dict
    alias_to_code: dict
    mention_re: re.Pattern
    gap_word_role: dict
    tail_re: re.Pattern
    gap_token_re: re.Pattern
    relative_re: re.Pattern
    qualitative_re: re.Pattern
    target_cue_re: re.Pattern
    block_stop_re: re.Pattern
    annual_block_re: re.Pattern
    period_block_re: re.Pattern
    foreign_scope_re: re.Pattern
    period_context_re: re.Pattern
    qualifier_constraint: dict
    qualifier_priority: dict
    annual_context_words: tuple
    cue_reach: int   # more than one attempt of the context-cue patterns reads (see _TextMatches.last)
    target_cue_anchor: tuple | None  # see _anchor and _target_cues


def _alternation(words) -> str:
    """A pattern matching any of ``words``, the longest first where several match at one place.

    Written as a prefix tree (生产总值(?:增速|增长|)…) rather than a plain longest-first list
    (生产总值增速|生产总值增长|…|生产总值): both offer the words matching at a position in the same
    order, longest first, so every match (and every backtrack) is the same; but the tree tests
    each character once instead of once per word, which makes the long lexicon patterns
    (hundreds of names, the gap words) two to three times faster to search.
    """
    trie: dict = {}
    for word in set(words):
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def branches(node: dict) -> str:
        # An empty last alternative, not "?": the longer words are tried before this one ends.
        children = [re.escape(char) + subtree(child) for char, child in sorted(node.items()) if char]
        return "|".join(children) + ("|" if "" in node else "")

    def subtree(node: dict) -> str:
        if list(node) == [""]:
            return ""
        if len(node) == 1:
            return branches(node)
        return f"(?:{branches(node)})"

    # The top level stays ungrouped, each alternative starting with its first character: the
    # regex engine then skips quickly to where a word can start, also when the caller adds
    # alternatives of its own (…|十[一二三…]五…).
    return branches(trie)


_YEAR_TOKEN = r"(?:比|较|到|至|于|与)?(?:19|20)\d{2}年(?:底|末|的)?"
# "十四五时期 / 期间" names a plan period; "确保十三五规划圆满收官" in this year's text does not.
_FIVE_YEAR_PLAN = r"十[一二三四五六七八九]五”?(?:时期|期间)"
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    indicators: dict[str, Indicator] = {}
    alias_to_code: dict[str, str] = {}
    for row in _read_lexicon("indicators.csv"):
        code = row["code"].strip()
        indicators[code] = Indicator(
            code=code,
            name_zh=row["name_zh"].strip(),
            units=frozenset(u for u in row["units"].split("|") if u),
            value_type=row["value_type"].strip(),
            direction=row["direction"].strip(),
            primary_measure=row["primary_measure"].strip(),
            split_into=tuple(c for c in (row.get("split_into") or "").split("|") if c),
        )
        for alias in row["aliases"].split("|"):
            if alias:
                alias_to_code[alias] = code

    roles: dict[str, list[str]] = {}
    for row in _read_lexicon("indicator_grammar.csv"):
        roles.setdefault(row["role"].strip(), []).append(row["word"])

    qualifier_constraint, qualifier_priority, prefix_qualifiers, suffix_qualifiers = {}, {}, [], []
    for row in _read_lexicon("qualifiers.csv"):
        word = row["word"]
        qualifier_constraint[word] = row["constraint"].strip()
        qualifier_priority[word] = int(row["priority"])
        if row["position"] == "prefix":
            prefix_qualifiers.append(word)
        elif row["position"] == "suffix":
            suffix_qualifiers.append(word)

    gap_word_role: dict[str, str] = {}
    for role in ("filler", "verb_level", "verb_up", "verb_down", "annual_marker", "period_marker"):
        for word in roles.get(role, []):
            gap_word_role.setdefault(word, role)
    for word in prefix_qualifiers:
        gap_word_role.setdefault(word, "qualifier")

    gap_words = _alternation(gap_word_role)
    gap_token = rf"(?:{_YEAR_TOKEN}|{gap_words}|\s)"
    verbs = _alternation([w for w, r in gap_word_role.items() if r.startswith("verb")])
    values_plain = re.sub(r"\?P<\w+>", "?:", VALUE_PATTERN)
    suffix = _alternation(suffix_qualifiers)
    tail_re = re.compile(
        rf"(?P<footnote>\d{{1,2}}(?=(?:{verbs})))?"
        rf"(?P<gap>{gap_token}*)"
        rf"(?P<sign>[-－−](?=\d))?"
        rf"(?P<values>{values_plain}(?:\s?[、和及与]\s?{values_plain})*)"
        rf"(?![+＋×*/A-Za-z])"
        # A footnote marker glued after the number (增长6.5%3，) is stepped over, never read.
        rf"(?P<note>\d{{1,2}}(?![\d.．%％‰个万亿元]))?"
        rf"(?P<suffix>{suffix})?"
    )
    references = _alternation(roles.get("relative_reference", []))
    relative_words = _alternation(
        [w for w, c in qualifier_constraint.items() if c == "relative"])
    relative_re = re.compile(
        rf"(?P<gap>{gap_token}*)(?P<rel>{relative_words})"
        rf"(?P<ref>(?:{references})(?:的)?(?:平均水平|平均|水平|增速|增幅|增长)?)"
        rf"(?:(?P<num>\d+(?:\.\d+)?)\s?(?P<unit>个百分点|百分点))?(?P<suffix>{suffix})?"
    )
    qualitative_words = _alternation(
        [w for w, c in qualifier_constraint.items() if c == "qualitative"])
    qualitative_re = re.compile(
        rf"(?:增长|增速|增幅)?(?:要|继续|保持)?(?:与|和|同)"
        rf"(?P<ref>{_YEAR_TOKEN.replace('(?:比|较|到|至|于|与)?', '')}|(?:{references})(?:增速|增长)?)"
        rf"(?:保持|继续)?(?P<q>{qualitative_words})"
    )
    return _Grammar(
        indicators=indicators,
        alias_to_code=alias_to_code,
        mention_re=re.compile(_alternation(alias_to_code)),
        gap_word_role=gap_word_role,
        tail_re=tail_re,
        gap_token_re=re.compile(rf"{_YEAR_TOKEN}|{gap_words}"),
        relative_re=relative_re,
        qualitative_re=qualitative_re,
        target_cue_re=re.compile(_alternation(roles.get("target_cue", []))),
        block_stop_re=re.compile(_alternation(roles.get("block_stop", []))),
        annual_block_re=re.compile(_alternation(roles.get("annual_block_cue", []))),
        period_block_re=re.compile(
            rf"{_FIVE_YEAR_PLAN}|{_alternation(roles.get('period_block_cue', []))}"),
        foreign_scope_re=re.compile(rf"(?:{_alternation(roles.get('foreign_scope', []))})的?$"),
        period_context_re=re.compile(
            rf"{_alternation(roles.get('period_context', []))}|{_FIVE_YEAR_PLAN}"),
        qualifier_constraint=qualifier_constraint,
        qualifier_priority=qualifier_priority,
        annual_context_words=tuple(roles.get("annual_context", [])),
        # The longest cue word, or 十四五”时期 / 2021年 with the look-ahead (?!以来): 8 covers both.
        cue_reach=max(map(len, roles.get("period_context", []) + roles.get("annual_context", [])),
                      default=0) + 8,
        target_cue_anchor=_anchor(roles.get("target_cue", [])),
    )


def _anchor(words: list[str]) -> tuple[str, int, int, frozenset | None] | None:
    """A character found exactly once in every word (标 in 主要目标是, 预期指标：…), with the most
    characters any word has before it and after it, and the characters that follow it in the
    words (None when a word ends with it); None when there is no such character."""
    if not words:
        return None
    common = set.intersection(*({c for c in word if word.count(c) == 1} for word in words))
    if not common:
        return None
    char = min(common)
    follows = [word[word.index(char) + 1:word.index(char) + 2] for word in words]
    return (char, max(word.index(char) for word in words),
            max(len(word) - word.index(char) - 1 for word in words),
            None if "" in follows else frozenset(follows))


def indicator_lexicon() -> dict[str, Indicator]:
    """The canonical indicators (``lexicons/indicators.csv``) by code."""
    return dict(_grammar().indicators)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------
_CLAUSE_BREAK_RE = re.compile(r"[，,、；;：:。！？!?\n]")
# Greedy up to the last clause break: one match finds where the clause holding a position starts.
_UP_TO_LAST_BREAK_RE = re.compile(r"(?s:.*)" + _CLAUSE_BREAK_RE.pattern)
_YEAR_TOKEN_RE = re.compile(_YEAR_TOKEN)
_CHAIN_CLAUSE_RE = re.compile(r"[，,、]\s?([^，,、；;。！？!?\n]*)")
_ASIDE_RE = re.compile(r"[（(][^）)\n]{0,60}[）)]")
_CHAIN_OPENERS = "（(，,、"  # the first characters of _ASIDE_RE and _CHAIN_CLAUSE_RE matches
# 累计, or 五年 not in 今五年 / 未来五年 / 五年来. The look-behind stands after 五 (it looks back over 五 and
# the character before it): both words then open with a literal, and a search skips ahead to the
# next 累 or 五 instead of testing the look-behind at every character; the matches are the same.
_TOTAL_CONTEXT_RE = re.compile(r"累计|五(?<![今未后来]五)年(?!来)")
# Clauses stepped over in a chain: ranks (居全省第3位) and multiples (是2017年的1.8倍).
_RANK_RE = re.compile(r"居|第\s?\d|位次|排名|排位|位居|倍")
_QUOTE_RE = re.compile(r"“[^”\n]{0,40}”|\"[^\"\n]{0,40}\"|《[^》\n]{0,80}》|「[^」\n]{0,40}」")
_QUOTE_OPENING_RE = re.compile(r"[“\"《「]")  # the first character of every _QUOTE_RE match
_QUOTE_MAX_CHARS = 82  # the longest _QUOTE_RE match: 《, 80 characters, 》
_SKIP_BEFORE = ("占", "与", "对", "于", "和", "及", "同")
_YEAR_IN_RE = re.compile(r"((?:19|20)\d{2})年")
_SINCE_YEAR_RE = re.compile(r"(?:比|较)((?:19|20)\d{2})年")
_FIVE_YEAR_NUMBER_RE = re.compile(r"十([一二三四五六七八九])五")


@lru_cache(maxsize=64)
def _past_target_re(review_year: int | None) -> re.Pattern:
    year = rf"|{review_year}年" if review_year else ""
    return re.compile(rf"去年|上年|年初|过去{year}")


@lru_cache(maxsize=64)
def _annual_context_re(review_year: int | None) -> re.Pattern:
    words = _alternation(_grammar().annual_context_words)
    year = rf"|{review_year}年(?!以来)" if review_year else ""
    return re.compile(rf"{words}{year}")


@lru_cache(maxsize=64)
def _review_year_title_re(review_year: int | None) -> re.Pattern:
    return re.compile(rf"{review_year}年|去年|一年" if review_year else r"去年|一年")


def _clause_start(text: str, start: int, pos: int) -> int:
    """Where the clause holding ``pos`` begins: after the last clause break in text[start:pos]."""
    match = _UP_TO_LAST_BREAK_RE.match(text, start, pos)
    return match.end() if match else start


def _five_year_plan_span(text: str) -> tuple[int, int] | None:
    """Years of the n-th five-year plan named in ``text`` (十四五 → 2021–2025)."""
    match = _FIVE_YEAR_NUMBER_RE.search(text)
    if not match:
        return None
    plan_number = 10 + _CN_DIGITS[match.group(1)]
    start = 1966 + 5 * (plan_number - 3)  # the 3rd plan began in 1966; plans are consecutive since
    return start, start + 4


def _as_int(value) -> int | None:
    if type(value) is int:  # the usual case, without pandas' checks
        return value
    try:
        if value is None or pd.isna(value):
            return None
        return int(value)
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=4096)
def _resolve_constraint(words: tuple, has_range: bool, negated: bool) -> str:
    g = _grammar()
    if has_range:
        return "range"
    best, best_priority = "exact", -1
    for word in words:
        priority = g.qualifier_priority.get(word, -1)
        if priority > best_priority:
            best, best_priority = g.qualifier_constraint[word], priority
    if negated and best in ("floor", "ceiling"):
        best = "ceiling" if best == "floor" else "floor"
    return best


class _LineQuotes:
    """The quotes (:data:`_QUOTE_RE` matches of the whole text) on the lines asked about.

    A quote never holds a line break, so no match of the whole text runs across one, and the
    matches on a line are those of a search of that line alone. Only the few lines holding a
    target cue or an indicator name are searched, not the whole text.
    """

    def __init__(self, text: str):
        self.text = text
        # line start → the starts and the ends of the quotes on it (in text order; they never overlap)
        self.lines: dict[int, tuple[list[int], list[int]]] = {}

    def covers(self, pos: int) -> bool:
        """Whether ``pos`` is inside a quote.

        A quote holding ``pos`` opens at most :data:`_QUOTE_MAX_CHARS` characters before it: without
        an opening mark there (the usual case) the line is not looked at.
        """
        text = self.text
        if _QUOTE_OPENING_RE.search(text, max(0, pos - _QUOTE_MAX_CHARS + 1), pos + 1) is None:
            return False
        line_start = text.rfind("\n", 0, pos) + 1
        spans = self.lines.get(line_start)
        if spans is None:
            line_end = text.find("\n", line_start)
            if line_end < 0:
                line_end = len(text)
            starts, ends = [], []
            for match in _QUOTE_RE.finditer(text, line_start, line_end):
                starts.append(match.start())
                ends.append(match.end())
            spans = self.lines[line_start] = starts, ends
        starts, ends = spans
        last = bisect.bisect_right(starts, pos) - 1  # the last quote opening at or before pos
        return last >= 0 and pos < ends[last]


class _TextMatches:
    """The matches of one pattern over a whole text (``pattern.finditer(text)``), found left to right
    only as far as a question needs them.

    Why: the same text is asked about again and again (which is the last 五年来 before this name?).
    One scan that goes no further than the last question is cheaper than scanning the whole text
    up front, and much cheaper than scanning a window per question.
    The patterns used this way have no look-behind and no anchors, so a match at a position does
    not depend on where a scan started.
    """

    def __init__(self, pattern: re.Pattern, text: str):
        self.pattern = pattern
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.matches: list[re.Match] = []
        # Every match that starts before this is found, and the scan of the whole text goes on
        # from here: no match starts between the last one found and here.
        self._scanned = 0

    def load(self, pos: int, reach: int) -> None:
        """Find every match that starts before ``pos``.

        ``reach``: as in :meth:`last`. A search of the text up to ``pos + reach`` finds them as the
        scan of the whole text does (an attempt before ``pos`` never reads that far), and stops
        there, where the scan would go on to the next match: the cues are rare, and the next one
        is often far ahead or absent.
        """
        search, text, end = self.pattern.search, self.text, pos + reach
        while self._scanned < pos:
            match = search(text, self._scanned, end)
            if match is None or match.start() >= pos:
                self._scanned = pos  # no match starts before pos
                return
            self.starts.append(match.start())
            self.ends.append(match.end())
            self.matches.append(match)
            self._scanned = match.end()

    def last(self, lo: int, hi: int, reach: int) -> re.Match | None:
        """The last match of ``pattern.finditer(text, lo, hi)``, from the matches of the whole text.

        ``reach``: more than the characters one attempt to match may read (the longest match and
        any look-ahead). An attempt at a position before ``hi - reach`` never reads up to ``hi``, so
        it gives the same result in the window as in the whole text, and the window's matches that
        start there are the whole text's — unless a match of the whole text straddles ``lo`` (the
        window's scan then starts inside it): that rare window is searched directly. Only the last
        ``reach`` characters are searched again, with the window's end.
        """
        cut = hi - reach
        last = None
        if cut > lo:
            self.load(cut, reach)
            first = bisect.bisect_left(self.starts, lo)
            if first == 0 or self.ends[first - 1] <= lo:
                stop = bisect.bisect_left(self.starts, cut, first)
                resume = cut
                if stop > first:
                    last = self.matches[stop - 1]
                    resume = max(cut, self.ends[stop - 1])
                for last in self.pattern.finditer(self.text, resume, hi):
                    pass
                return last
        for last in self.pattern.finditer(self.text, lo, hi):
            pass
        return last


@dataclass
class _Block:
    start: int
    end: int
    kind: str
    year: int | None
    period_start: int | None


@dataclass
class _Context:
    """One report: its text and its sentences as plain lists, one per column, in text order
    (sentences do not overlap, as :func:`structure.split_sentences` cuts them).

    Plain lists because the rules look sentences up thousands of times per report, and a pandas
    lookup costs microseconds each. Sentence texts stay in the input's column (``sent_texts``) and
    are read only where a rule needs one: converting the whole column costs more than the reads.
    """
    text: str
    quotes: _LineQuotes   # _QUOTE_RE in text
    period_cues: _TextMatches   # period_context_re in text (五年来, 十三五期间 …)
    annual_cues: _TextMatches   # _annual_context_re(review_year) in text (过去的一年, 2021年 …)
    sent_starts: list
    sent_ends: list
    sent_ids: list
    sent_sections: list
    sent_paragraphs: list
    sent_positions: list  # the row of each sentence in the input frame
    sent_texts: object    # the input's ``text`` column (an ExtensionArray)
    sent_texts_arrow: object  # the same column as an Arrow array when it is one (else None)
    report_year: int | None
    review_year: int | None
    own_scope_words: frozenset
    section_starts: dict
    section_types: dict
    section_ids: list        # ``section_id`` of each section row, in the input's order
    section_type_list: list  # ``section_type`` of each section row, in the input's order
    # What the context cues say of a review name (by its start; see _review_context): every
    # value read after it shares it.
    context_cues: dict = field(default_factory=dict)

    def sentence_text(self, idx: int):
        # Arrow reads one value several times faster than pandas' __getitem__.
        if self.sent_texts_arrow is not None:
            return self.sent_texts_arrow[self.sent_positions[idx]].as_py()
        return self.sent_texts[self.sent_positions[idx]]


# ---------------------------------------------------------------------------------------------
# Zones: target paragraphs and review text
# ---------------------------------------------------------------------------------------------
def _target_blocks(ctx: _Context) -> list[_Block]:
    """Find target paragraphs: cue → end of paragraph, cut at a stop cue."""
    g = _grammar()
    text = ctx.text
    past_target_re = _past_target_re(ctx.review_year)
    n_sentences = len(ctx.sent_starts)
    blocks: list[_Block] = []
    for cue in _target_cues(text):
        cue_start = cue.start()
        if ctx.quotes.covers(cue_start):
            continue
        if blocks and cue_start < blocks[-1].end:
            continue
        idx = bisect.bisect_right(ctx.sent_starts, cue_start) - 1
        if idx < 0:
            continue
        # Last year's targets recalled in the review (年初确定的主要预期目标是…) are not this year's.
        if ctx.section_types.get(ctx.sent_sections[idx]) == "review":
            continue
        clause_start = _clause_start(text, ctx.sent_starts[idx], cue_start)
        if past_target_re.search(text, clause_start, cue_start):
            continue
        paragraph_key = (ctx.sent_sections[idx], ctx.sent_paragraphs[idx])
        end = ctx.sent_ends[idx]
        # A list of "——" items (——经济发展再上新台阶。…) runs to the end of its paragraph.
        bullet_list = text.startswith("——", cue.end() + 1) or text.startswith("——", cue.end())
        for i in range(idx + 1, n_sentences):
            if (ctx.sent_sections[i], ctx.sent_paragraphs[i]) != paragraph_key:
                break
            sentence = ctx.sentence_text(i)
            if g.block_stop_re.search(sentence):
                break
            # A list may go on after a short lead-in (——经济结构进一步优化。); prose without any
            # indicator name ends it.
            if not bullet_list and not g.mention_re.search(sentence) and not (
                    len(sentence) <= 20 or sentence.lstrip().startswith("——")):
                break
            if ctx.sent_ends[i] - cue.end() > MAX_BLOCK_CHARS:
                break
            end = ctx.sent_ends[i]
        # Cut the cue sentence itself at a stop cue (…。实现上述目标 is usually a new sentence).
        stop = g.block_stop_re.search(text, cue.end(), end)
        if stop:
            end = stop.start()
        kind, year, period_start = _block_kind(ctx, cue_start)
        blocks.append(_Block(cue.end(), end, kind, year, period_start))
    return blocks


def _target_cues(text: str):
    """``target_cue_re.finditer(text)``, searched only around the anchor character every cue holds.

    Why: the cues (主要预期目标是, 主要指标：…) are a few dozen places in a report, and a scan of
    the whole text for them costs as much as the rest of the target rules. Every cue word holds
    the anchor (标) exactly once, so a match holds one anchor, at most ``before`` characters after
    its start and ``after`` characters before its end, and no match starts more than ``before``
    characters ahead of the next anchor. Around each anchor the window is searched, and a match
    counts when it starts at or before the anchor: such a match covers the anchor, so it ends
    inside the window, and the matches of the window and of the whole text are then the same (the
    pattern is a list of words, without look-arounds). A match starting after the anchor holds a
    later anchor and is found there. Most anchors (目标, 指标 in running text) are not followed by
    a character that follows it in a cue word (目标是, 指标：): no match covers those, and their
    window is not searched.
    """
    g = _grammar()
    if g.target_cue_anchor is None:
        yield from g.target_cue_re.finditer(text)
        return
    anchor, before, after, follows = g.target_cue_anchor
    search = g.target_cue_re.search
    pos = 0
    at = text.find(anchor)
    while at != -1:
        if follows is not None and text[at + 1:at + 2] not in follows:
            at = text.find(anchor, at + 1)
            continue
        match = search(text, max(pos, at - before), at + after + 1)
        if match is not None and match.start() <= at:
            yield match
            pos = match.end()
            at = text.find(anchor, pos)
        else:
            at = text.find(anchor, at + 1)


def _has_target_cue(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a target cue: only where it holds the anchor every cue holds."""
    g = _grammar()
    if g.target_cue_anchor is not None and text.find(g.target_cue_anchor[0], start, end) == -1:
        return False
    return g.target_cue_re.search(text, start, end) is not None


def _block_kind(ctx: _Context, cue_start: int) -> tuple[str, int | None, int | None]:
    """Is a target paragraph this year's or a multi-year plan's? The nearest cue before it decides."""
    g = _grammar()
    window_start = max(0, cue_start - BLOCK_LOOKBACK_CHARS)
    window = ctx.text[window_start:cue_start]
    last_annual = max((m.end() for m in g.annual_block_re.finditer(window)), default=-1)
    if ctx.report_year is not None:
        # "2022年" cannot overlap itself, so its last occurrence is the last match.
        year_word = f"{ctx.report_year}年"
        found = window.rfind(year_word)
        if found != -1:
            last_annual = max(last_annual, found + len(year_word))
    period_matches = list(g.period_block_re.finditer(window))
    last_period = period_matches[-1].end() if period_matches else -1
    if last_period > last_annual:
        span = _five_year_plan_span(period_matches[-1].group(0))
        if span is None and ctx.report_year is not None:
            span = (ctx.report_year, ctx.report_year + 4)
        return "period_target", (span[1] if span else None), (span[0] if span else None)
    return "target", ctx.report_year, None


def _effective_section_types(ctx: _Context, sections: pd.DataFrame) -> dict:
    """section_id → (type, term_review_default).

    A subsection typed ``other`` takes the type of its nearest typed ancestor. Growth rates without
    a marker default to several years only in a five-year review whose titles do not also name the
    review year (“2010年及十一五工作回顾” reviews both).
    """
    if sections is None or len(sections) == 0 or "section_type" not in sections:
        return {}
    ids, types = ctx.section_ids, ctx.section_type_list
    if all(type(t) is str and t not in ("other", "term_review") for t in types):
        # Every section has its own type and none is a five-year review: no ancestor to consult.
        return dict(zip(ids, [(t, False) for t in types]))
    parents = (plain_columns(sections, ["parent_section_id"])[0] if "parent_section_id" in sections
               else [None] * len(ids))
    # Titles matter only under a five-year review: read them only when there is one.
    titles = None
    year_re = _review_year_title_re(ctx.review_year)
    records = {}
    for sid, parent, section_type, position in zip(ids, parents, types, range(len(ids))):
        records[sid] = (sid, parent if type(parent) is int else _as_int(parent), section_type,
                        position)
    out = {}
    for sid, rec in records.items():
        chain, seen, cur = [], set(), rec
        while cur is not None and cur[0] not in seen:
            seen.add(cur[0])
            chain.append(cur)
            parent = cur[1]
            cur = records.get(parent) if parent is not None else None
        section_type = next((c[2] for c in chain
                             if isinstance(c[2], str) and c[2] != "other"), "other")
        term_default = False
        if section_type == "term_review":
            if titles is None:
                titles = (plain_columns(sections, ["title"])[0] if "title" in sections
                          else [None] * len(ids))
            chain_titles = "".join(titles[c[3]] for c in chain if isinstance(titles[c[3]], str))
            term_default = not year_re.search(chain_titles)
        out[sid] = (section_type, term_default)
    return out


def _actual_spans(ctx: _Context, sections: pd.DataFrame, blocks: list[_Block]):
    """Sentence indices whose numbers may be outcomes, with the five-year-review default flag."""
    types = _effective_section_types(ctx, sections)
    has_review = any(t in ("review", "term_review") for t, _ in types.values())
    if has_review:
        actual = {sid: term_default for sid, (section_type, term_default) in types.items()
                  if section_type in ACTUAL_SECTION_TYPES}
        return [(i, actual[sid]) for i, sid in enumerate(ctx.sent_sections) if sid in actual]
    first_block = blocks[0].start if blocks else len(ctx.text)
    return [(i, False) for i, end in enumerate(ctx.sent_ends) if end <= first_block]


def _review_names(ctx: _Context, spans: list[tuple[int, bool]]):
    """``(sentence index, term_review, first name)`` of each sentence of ``spans`` that names an
    indicator, in text order.

    Most review sentences name no indicator: they are skipped before any other work. One search
    runs ahead over the review (``ahead``: the first name from the start of the sentence at hand);
    every sentence that ends before that name holds none (the names are plain words: one inside the
    sentence would have been found first). Sentences are in text order and do not overlap, so their
    ends are sorted too: those sentences are passed over by bisection rather than one by one, and
    the sentence holding the name starts its scan with it.
    """
    text, starts, ends = ctx.text, ctx.sent_starts, ctx.sent_ends
    search = _grammar().mention_re.search
    limit = ends[spans[-1][0]] if spans else 0  # the last sentence ends last
    ahead = None
    j = 0
    while j < len(spans):
        idx, term_review = spans[j]
        start, end = starts[idx], ends[idx]
        if ahead is None or ahead.start() < start:
            ahead = search(text, start, limit)
            if ahead is None:
                return
        if ahead.start() >= end:
            # on to the first of the spans that ends after the name (it holds it, or starts after it)
            after = bisect.bisect_right(ends, ahead.start(), idx)
            j = bisect.bisect_left(spans, (after,), j + 1)
            continue
        first = ahead if ahead.end() <= end else search(text, start, end)
        if first:
            yield idx, term_review, first
        j += 1


# ---------------------------------------------------------------------------------------------
# Reading one name (or an enumeration of names) and its values
# ---------------------------------------------------------------------------------------------
def _mention_group(ctx: _Context, first: re.Match, limit: int) -> list[re.Match]:
    """An enumeration 甲、乙和丙 of indicator names that share one verb and a list of values."""
    g = _grammar()
    group = [first]
    pos = first.end()
    while pos < limit and ctx.text[pos] in "、和及":
        # 居民收入和GDP同步增长: a comparison, not an enumeration.
        if g.qualitative_re.match(ctx.text, pos, limit):
            break
        nxt = g.mention_re.match(ctx.text, pos + 1, limit)
        if not nxt:
            break
        group.append(nxt)
        pos = nxt.end()
    return group


def _gap_words(gap: str) -> list[str]:
    return _grammar().gap_token_re.findall(gap)


@dataclass(frozen=True)
class _Gap:
    """What the words between a name and its number say (see :func:`_gap`)."""
    words: tuple
    verb: str | None          # the role of the last verb
    growth_word: bool         # 增速 / 增幅 / 涨幅
    shared: bool              # 均: several places share the value
    qualifier_words: tuple
    since_words: tuple        # 比2010年-like words, carried along a chain
    continues_chain: bool     # a verb, qualifier, marker or year: the clause still states a value


@lru_cache(maxsize=8192)
def _gap(gap: str) -> _Gap:
    """The reading of one gap string, cached: the same few gaps (增长, 同比增长, 达到…) recur
    in every report, so each is tokenized and classified once."""
    g = _grammar()
    words = tuple(_gap_words(gap))
    roles = [g.gap_word_role.get(w) for w in words]
    verb = next((r for r in reversed(roles) if r and r.startswith("verb")), None)
    return _Gap(
        words=words,
        verb=verb,
        growth_word=any(w in ("增速", "增幅", "涨幅") for w in words),
        shared="均" in words,
        qualifier_words=tuple(w for w, r in zip(words, roles) if r == "qualifier"),
        since_words=tuple(w for w in words if _SINCE_YEAR_RE.match(w)),
        continues_chain=any(
            (g.gap_word_role.get(w) or "").startswith(("verb", "qualifier"))
            or g.gap_word_role.get(w) in ("annual_marker", "period_marker")
            or _YEAR_TOKEN_RE.match(w) for w in words),
    )


@lru_cache(maxsize=8192)
def _words_dating(words: tuple) -> tuple[frozenset, int | None, int | None]:
    """Roles of a value's words, the year of a 比2010年-like word and a year named outright."""
    g = _grammar()
    roles = frozenset(g.gap_word_role.get(w) for w in words)
    year_words = [w for w in words if _YEAR_TOKEN_RE.match(w)]
    since = next((int(m.group(1)) for w in year_words if (m := _SINCE_YEAR_RE.match(w))), None)
    explicit_year = next((int(m.group(1)) for w in year_words
                          if (m := _YEAR_IN_RE.search(w)) and not _SINCE_YEAR_RE.match(w)), None)
    return roles, since, explicit_year


def _measure(indicator: Indicator, unit: str, verb: str | None, growth_word: bool) -> str | None:
    """Which measure a number is, or None when the unit/verb combination is not one we trust."""
    if unit == "个百分点":
        return "change"
    if unit == "‰":
        return "rate" if indicator.value_type == "rate" else None
    if unit == "%":
        if indicator.value_type == "rate":
            return None if verb in ("verb_up", "verb_down") else "rate"
        if indicator.value_type == "price":
            return "growth"
        if indicator.value_type in ("flow", "intensity"):
            return "growth" if (verb in ("verb_up", "verb_down") or growth_word) else None
        return None
    # An amount: a growth verb with an amount is an absolute increase, not read.
    if verb in ("verb_up", "verb_down"):
        return None
    return "level"


@lru_cache(maxsize=8192)
def _numbers(values: str) -> tuple[tuple[float | None, float | None, str | None, int], ...]:
    """``(value, value_high, unit, end)`` of each :data:`VALUE_RE` number in a tail's ``values``
    (``end``: where the number ends in ``values``), cached: the same value strings (8%, 6.5%,
    3个百分点) recur in every report, and matching them again costs more than the lookup."""
    return tuple((*parse_value_match(m), m.end()) for m in VALUE_RE.finditer(values))


def _read_values(ctx: _Context, match: re.Match, codes: list[str],
                 mention_growth: bool) -> list[dict] | None:
    """Turn a tail match into value dicts (one per code) or None when it cannot be trusted."""
    g = _grammar()
    gap_text, values_text, suffix, sign = match.group("gap", "values", "suffix", "sign")
    gap = _gap(gap_text)
    verb = gap.verb
    growth_word = mention_growth or gap.growth_word
    down = verb == "verb_down"
    # 西平、遂平…城镇化率均达到40%: 均 after a single name means several places share the value.
    if len(codes) == 1 and gap.shared:
        return None
    values = _numbers(values_text)
    if len(values) != len(codes) and len(values) != 1:
        return None
    if len(values) == 1:
        values = values * len(codes)
    qualifier_words = gap.qualifier_words + ((suffix,) if suffix else ())
    qualifier = "…".join(qualifier_words) if qualifier_words else None
    signed = sign and len(codes) == 1
    out = []
    values_start = match.start("values")
    last = len(values) - 1
    for position, (code, (value, high, unit, number_end)) in enumerate(zip(codes, values)):
        indicator = g.indicators[code]
        if value is None or unit is None:
            return None
        if unit == "亿" and "亿元" in indicator.units:
            unit = "亿元"
        if unit not in indicator.units:
            return None
        measure = _measure(indicator, unit, verb, growth_word)
        if measure is None:
            return None
        negate = (down and measure in ("growth", "change")) or signed
        if negate:
            value, high = (-high, -value) if high is not None else (-value, None)
        out.append({
            "code": code,
            "measure": measure,
            "value": value,
            "value_high": high,
            "unit": unit,
            "qualifier": qualifier,
            "constraint": _resolve_constraint(qualifier_words, high is not None, bool(negate)),
            "words": gap.words,
            # The span runs through the number (and the trailing qualifier after the last one).
            "value_end": match.end() if position == last else values_start + number_end,
        })
    return out


def _expand_codes(codes: list[str], n_values: int) -> list[str] | None:
    """A joint name (城乡居民…) with 分别 and two values becomes its parts."""
    g = _grammar()
    if len(codes) == 1 and n_values > 1:
        parts = g.indicators[codes[0]].split_into
        return list(parts) if len(parts) == n_values else None
    return codes


# ---------------------------------------------------------------------------------------------
# Main entry point
# ---------------------------------------------------------------------------------------------
def _context(text: str, sections: pd.DataFrame, sentences: pd.DataFrame,
             metadata: dict) -> _Context:
    """Read the inputs once into plain lists (one pandas column read each)."""
    columns = ["sentence_id", "section_id", "paragraph_idx", "char_start", "char_end"]
    ids, section_of, paragraphs, starts, ends = (column_array(sentences, c).tolist() for c in columns)
    texts = column_array(sentences, "text")
    positions = list(range(len(starts)))
    if any(map(operator.gt, starts, starts[1:])):
        positions.sort(key=starts.__getitem__)  # stable, like sorting the rows by char_start
        ids, section_of, paragraphs, starts, ends = (
            [values[p] for p in positions]
            for values in (ids, section_of, paragraphs, starts, ends))
    own_scope = {"全省", "省"} if metadata.get("region_level") == "province" else set()
    if metadata.get("region_level") == "national":
        own_scope = {"全国", "国家"}
    has_sections = sections is not None and len(sections) > 0
    section_ids, = plain_columns(sections, ["section_id"]) if has_sections else ([],)
    # Missing types stay pd.NA, as the rules have always seen them.
    section_type_list = ([pd.NA if t is None else t
                          for t in plain_columns(sections, ["section_type"])[0]]
                         if has_sections and "section_type" in sections else [])
    ctx = _Context(
        text=text,
        quotes=_LineQuotes(text),
        period_cues=_TextMatches(_grammar().period_context_re, text),
        annual_cues=None,  # below: the pattern depends on the review year
        sent_starts=starts,
        sent_ends=ends,
        sent_ids=ids,
        sent_sections=section_of,
        sent_paragraphs=paragraphs,
        sent_positions=positions,
        sent_texts=texts,
        sent_texts_arrow=(texts.__arrow_array__() if isinstance(texts, pd.arrays.ArrowStringArray)
                          else None),
        report_year=_as_int(metadata.get("report_year")),
        review_year=_as_int(metadata.get("review_year")),
        own_scope_words=frozenset(own_scope),
        section_starts=(dict(zip(section_ids, *plain_columns(sections, ["char_start"])))
                        if has_sections and "char_start" in sections else {}),
        section_types=dict(zip(section_ids, section_type_list)),
        section_ids=section_ids,
        section_type_list=section_type_list,
    )
    if ctx.review_year is None and ctx.report_year is not None:
        ctx.review_year = ctx.report_year - 1
    ctx.annual_cues = _TextMatches(_annual_context_re(ctx.review_year), text)
    return ctx


def extract_indicators(text: str, sections: pd.DataFrame, sentences: pd.DataFrame,
                       metadata: dict | None) -> pd.DataFrame:
    """Indicator values a report states: targets, outcomes and multi-year values.

    Parameters
    ----------
    text : str
        Clean report text (``CleanResult.text``); every offset points into it.
    sections : DataFrame
        ``structure.parse_sections`` output (``section_id, section_type, char_start, char_end`` …).
        Only ``section_type`` is used: outcomes are read in ``review`` / ``term_review`` /
        ``preamble`` sections.
    sentences : DataFrame
        ``structure.split_sentences`` output (``sentence_id, section_id, paragraph_idx, char_start,
        char_end, text``). Target paragraphs follow its paragraphs.
    metadata : dict
        ``report_year`` and ``review_year`` (either may be None) date targets and outcomes;
        ``region_level == 'province'`` makes 全省 the region's own scope.

    Returns
    -------
    DataFrame
        One row per stated value, in text order, with columns ``indicator_code`` (str, from
        ``lexicons/indicators.csv``), ``indicator_name`` (canonical Chinese name), ``mention`` (the name
        as written), ``kind`` (actual | target | period_actual | period_target), ``year`` (Int64: the
        year the value refers to; the end year of a period), ``period_start`` (Int64, first year of a
        period when the text or the plan name gives it), ``measure`` (level | growth | rate | change),
        ``value``, ``value_high`` (Float64; a range fills both), ``unit`` (亿元, %, 个百分点, ‰ …),
        ``qualifier`` (words as written, joined with "…"), ``constraint`` (floor | approx | ceiling |
        range | exact | relative | qualitative), ``relative_to`` (全省, 经济增长 …), ``section_id``,
        ``sentence_id`` (Int64), ``char_start``, ``char_end`` (the name through the number),
        ``sentence`` (the sentence text).
    """
    metadata = metadata or {}
    if sentences is None or len(sentences) == 0 or not text:
        return _empty_frame()
    ctx = _context(text, sections, sentences, metadata)
    starts, ends = ctx.sent_starts, ctx.sent_ends
    rows: list[tuple] = []
    blocks = _target_blocks(ctx)
    for block in blocks:
        _scan(ctx, block.start, block.end, rows, zone="target", block=block, term_review=False)
    for idx, term_review, first in _review_names(ctx, _actual_spans(ctx, sections, blocks)):
        start, end = starts[idx], ends[idx]
        if any(b.start < end and start < b.end for b in blocks):
            continue
        _scan(ctx, start, end, rows, zone="actual", block=None, term_review=term_review,
              first=first)
    rows.sort(key=_ROW_ORDER)
    return _frame(rows, ctx)


_DTYPES = {
    "indicator_code": "string", "indicator_name": "string", "mention": "string",
    "kind": "string", "year": "Int64", "period_start": "Int64", "measure": "string",
    "value": "Float64", "value_high": "Float64", "unit": "string", "qualifier": "string",
    "constraint": "string", "relative_to": "string", "section_id": "Int64",
    "sentence_id": "Int64", "char_start": "Int64", "char_end": "Int64", "sentence": "string",
}
_STRING_DTYPE = pd.array([], dtype="string").dtype
_LABELS = column_labels(list(_DTYPES))
_STRING_COLUMNS = [c for c, dtype in _DTYPES.items() if dtype == "string" and c != "sentence"]
# A row is a tuple of its values in column order (see _row); rows are sorted by where they start.
_ROW_ORDER = operator.itemgetter(*map(list(_DTYPES).index, ("char_start", "indicator_code")))
_INT_COLUMNS = [c for c, dtype in _DTYPES.items() if dtype == "Int64"]
_INT_OR_NONE = frozenset({int, type(None)})


def _empty_frame() -> pd.DataFrame:
    return _frame([], None)


def _frame(rows: list[tuple], ctx: _Context | None) -> pd.DataFrame:
    """Build the typed frame once, column by column (no per-row pandas work).

    The rows (tuples in column order) are turned into columns in one C-level step (transposed by
    ``zip``), and the string columns are converted by one Arrow call. A row's ``sentence`` is the
    index of its sentence in ``ctx``: the texts are taken from the input's column (see
    :func:`_sentence_column`).
    """
    if rows:
        columns = dict(zip(_DTYPES, zip(*rows)))
    else:
        columns = {column: () for column in _DTYPES}
    strings = string_arrays({column: columns[column] for column in _STRING_COLUMNS})
    integers = _int_columns([columns[column] for column in _INT_COLUMNS])
    arrays = []
    for column, dtype in _DTYPES.items():
        if column == "sentence":
            arrays.append(_sentence_column(ctx, columns[column]))
        elif dtype == "string":
            arrays.append(strings[column])
        elif dtype == "Int64":
            arrays.append(integers[_INT_COLUMNS.index(column)])
        else:
            arrays.append(float_array(columns[column]))
    return frame(_LABELS, arrays)


def _int_columns(columns: list) -> list:
    """``int_array`` of each column, the values and missing flags of all of them converted by one
    numpy call each (each column is a row of the two arrays, so columns share no values)."""
    if not columns or not columns[0] or not set(map(type, chain.from_iterable(columns))) <= _INT_OR_NONE:
        return [int_array(column) for column in columns]
    mask = np.array([[value is None for value in column] for column in columns], dtype=bool)
    data = np.array([[0 if value is None else value for value in column] for column in columns],
                    dtype=np.int64)
    return [pd.arrays.IntegerArray(values, missing) for values, missing in zip(data, mask)]


def _sentence_column(ctx: _Context | None, indices: list[int]):
    """The texts of the sentences at ``indices`` (indices into ``ctx``'s sentences).

    From an Arrow column they are taken by one Arrow call: reading each text out of the column
    (a scalar, then a ``str``) costs more than taking them all.
    """
    if ctx is None:
        return pd.array([], dtype="string")
    positions = [ctx.sent_positions[i] for i in indices]
    if ctx.sent_texts_arrow is not None and ctx.sent_texts.dtype == _STRING_DTYPE:
        return arrow_string_array(ctx.sent_texts_arrow.take(pa.array(positions, type=pa.int64())))
    if ctx.sent_texts.dtype == _STRING_DTYPE:
        return ctx.sent_texts.take(np.asarray(positions, dtype=np.intp))
    return pd.array([ctx.sent_texts[p] for p in positions], dtype="string")


def _sentence_index(ctx: _Context, pos: int) -> int:
    return max(0, bisect.bisect_right(ctx.sent_starts, pos) - 1)


def _scan(ctx: _Context, start: int, end: int, rows: list[tuple], zone: str,
          block: _Block | None, term_review: bool, first: re.Match | None = None) -> None:
    """Read every indicator name in ``text[start:end]`` and the values tied to it.

    ``first``: the first name in the span, when the caller has searched for it already.
    """
    g = _grammar()
    text = ctx.text
    pos = start
    found = first
    while True:
        searched_from = pos
        first = found if found is not None else g.mention_re.search(text, pos, end)
        found = None
        if not first:
            return
        group = _mention_group(ctx, first, end)
        pos = tail_start = group[-1].end()
        tail = g.tail_re.match(text, tail_start, end)
        # In a review a name is read only with a number after it (relative and qualitative
        # statements are read as targets only, below): a name without one is passed over before
        # the checks that would pass it over anyway.
        if tail is None and zone == "actual":
            continue
        if ctx.quotes.covers(first.start()) or _skipped_by_prefix(ctx, first.start(), start,
                                                                  searched_from):
            continue
        # In a review, a sentence that recalls the year's targets (年初确定的主要预期目标是：…)
        # states targets, not outcomes.
        if zone == "actual" and _has_target_cue(text, start, first.start()):
            continue
        if len(group) == 1 and text.find("分别", first.end(), end) != -1:
            paired_end = _paired_values(ctx, group[0], tail, start, end, rows, zone, block,
                                        term_review)
            if paired_end is not None:
                pos = paired_end
                continue
        codes = [g.alias_to_code[m.group(0)] for m in group]
        mention_growth = group[-1].group(0).endswith(("增长", "增速"))

        # Relative and qualitative statements are read as targets only: in a review they are
        # commentary (增速高于全省…) rather than an outcome.
        qualitative = g.qualitative_re.match(text, tail_start, end) if zone == "target" else None
        if qualitative:
            for m, code in zip(group, codes):
                rows.append(_row(ctx, m, code, zone, block, term_review, qualitative.end(), {
                    "measure": g.indicators[code].primary_measure, "value": None,
                    "value_high": None, "unit": None,
                    "qualifier": qualitative.group("q"), "constraint": "qualitative",
                    "relative_to": qualitative.group("ref"), "words": ()}))
            pos = qualitative.end()
            continue
        relative = g.relative_re.match(text, tail_start, end) if zone == "target" else None
        if relative:
            margin = float(relative.group("num")) if relative.group("num") else None
            words = [relative.group("rel")] + ([relative.group("suffix")] if relative.group("suffix") else [])
            for m, code in zip(group, codes):
                rows.append(_row(ctx, m, code, zone, block, term_review, relative.end(), {
                    "measure": g.indicators[code].primary_measure, "value": margin,
                    "value_high": None,
                    "unit": "个百分点" if margin is not None else None,
                    "qualifier": "…".join(words), "constraint": "relative",
                    "relative_to": _reference_name(relative.group("ref")),
                    "words": tuple(_gap_words(relative.group("gap")))}))
            pos = relative.end()
            continue
        if not tail:
            continue
        expanded = _expand_codes(codes, len(_numbers(tail.group("values"))))
        if expanded is None:
            pos = tail.end()
            continue
        if len(expanded) != len(group):
            mentions = [group[0]] * len(expanded)
        else:
            mentions = group
        values = _read_values(ctx, tail, expanded, mention_growth)
        pos = tail.end()
        first_measure = values[0]["measure"] if values else None
        if values:
            for m, value in zip(mentions, values):
                rows.append(_row(ctx, m, value["code"], zone, block, term_review,
                                 value["value_end"], value))
        if len(group) == 1 and len(expanded) == 1:
            pos = _follow_chain(ctx, group[0], expanded[0], tail, end, rows, zone, block,
                                term_review, mention_growth, first_measure)


def _paired_values(ctx: _Context, first: re.Match, first_tail: re.Match | None, zone_start: int,
                   end: int, rows: list[tuple], zone: str, block: _Block | None,
                   term_review: bool) -> int | None:
    """Two names with a level each, then one verb with 分别 and two values.

    城镇居民人均可支配收入13702元，农民人均纯收入4861元，分别增长11.3%、15.3% gives each income its
    level and its growth rate. Returns where the statement ends, or None when it is not this form.
    ``first_tail``: the tail match right after the first name.
    """
    g = _grammar()
    text = ctx.text
    if not first_tail or len(_numbers(first_tail.group("values"))) != 1:
        return None
    if text[first_tail.end():first_tail.end() + 1] not in ("，", ",", "、"):
        return None
    second = g.mention_re.match(text, first_tail.end() + 1, end)
    if not second or _skipped_by_prefix(ctx, second.start(), zone_start):
        return None
    second_tail = g.tail_re.match(text, second.end(), end)
    if not second_tail or len(_numbers(second_tail.group("values"))) != 1:
        return None
    pos = second_tail.end()
    if text[pos:pos + 1] in ("，", ","):
        pos += 1
    shared = g.tail_re.match(text, pos, end)
    if (not shared or "分别" not in _gap_words(shared.group("gap"))
            or len(_numbers(shared.group("values"))) != 2):
        return None
    codes = [g.alias_to_code[first.group(0)], g.alias_to_code[second.group(0)]]
    shared_values = _read_values(ctx, shared, codes, False)
    if not shared_values:
        return None
    for mention, tail, code in ((first, first_tail, codes[0]), (second, second_tail, codes[1])):
        own = _read_values(ctx, tail, [code], False)
        if own:
            rows.append(_row(ctx, mention, code, zone, block, term_review, own[0]["value_end"],
                             own[0]))
    for mention, value in zip((first, second), shared_values):
        rows.append(_row(ctx, mention, value["code"], zone, block, term_review,
                         value["value_end"], value))
    return shared.end()


def _reference_name(ref: str) -> str:
    return re.sub(r"(?:的)?(?:平均水平|平均|水平|增速|增幅|增长)$", "", ref) or ref


def _skipped_by_prefix(ctx: _Context, mention_start: int, zone_start: int,
                       searched_from: int | None = None) -> bool:
    """A name that is a share (占…), a comparison (与/对/于…) or another region's (全省…).

    ``searched_from``: where the search that found this name started. It was the first name from
    there, so a clause starting there or later holds no other name before it (the names are plain
    words: one inside the clause would have been found first), and is not searched again.
    """
    g = _grammar()
    before = ctx.text[max(zone_start, mention_start - 6):mention_start]
    if before.endswith(_SKIP_BEFORE) or "占" in before[-4:]:
        return True
    scope = g.foreign_scope_re.search(before)
    if scope and scope.group(0).rstrip("的") not in ctx.own_scope_words:
        return True
    # 规上工业实现税收收入32.8亿元: a quantity of another indicator's units, not the region's.
    clause_start = _clause_start(ctx.text, max(zone_start, mention_start - 40), mention_start)
    if searched_from is not None and clause_start >= searched_from:
        return False
    if g.mention_re.search(ctx.text, clause_start, mention_start):
        return True
    return False


def _follow_chain(ctx, mention, code, tail, end, rows, zone, block, term_review, mention_growth,
                  first_measure=None):
    """Values in the next clauses that still belong to the same name (…，同比增长8.5%，年均增长9.2%).

    After a growth rate, a further % in the chain is a growth rate too (增长9%以上，力争达到10%).
    """
    g = _grammar()
    mention_growth = mention_growth or first_measure == "growth"
    text = ctx.text
    pos = tail.end()
    carried: list[str] = list(_gap(tail.group("gap")).since_words)
    for _ in range(MAX_CHAIN_CLAUSES):
        if text[pos:pos + 1] not in _CHAIN_OPENERS:
            break  # (the usual end of a chain: 。 or ；) neither a note nor a clause starts here
        aside = _ASIDE_RE.match(text, pos, end)  # （加★包括新蔡县，下同）: a note, not a clause
        if aside:
            pos = aside.end()
        clause = _CHAIN_CLAUSE_RE.match(text, pos, end)
        if not clause:
            break
        body = clause.group(1)
        if not body or body.startswith("其中") or g.mention_re.search(body):
            break
        nxt = g.tail_re.match(text, clause.start(1), end)
        gap = _gap(nxt.group("gap")) if nxt and nxt.group("gap") else None
        if gap is not None and gap.continues_chain:
            values = _read_values(ctx, nxt, [code], mention_growth)
            milestone = text.startswith("大关", nxt.end())  # 首次突破3000亿元大关: a milestone
            if values and not milestone:
                value = values[0]
                value["words"] = value["words"] + tuple(carried)
                rows.append(_row(ctx, mention, code, zone, block, term_review,
                                 value["value_end"], value))
            carried += gap.since_words
            pos = clause.end()
            continue
        if not VALUE_RE.search(body) or _RANK_RE.search(body):
            pos = clause.end()
            continue
        break
    return pos


def _row(ctx: _Context, mention: re.Match, code: str, zone: str, block: _Block | None,
         term_review: bool, value_end: int, value: dict) -> tuple:
    """One row: its values in the order of :data:`_DTYPES` (the order of :data:`COLUMNS`)."""
    g = _grammar()
    text = ctx.text
    indicator = g.indicators[code]
    mention_start = mention.start()
    sentence = _sentence_index(ctx, mention_start)
    sentence_start = ctx.sent_starts[sentence]
    section_id = ctx.sent_sections[sentence]
    roles, since, explicit_year = _words_dating(value["words"])
    prefix = text[_clause_start(text, sentence_start, mention_start):mention_start]
    # 累计到位各类资金…，其中实际利用外资15.1亿美元 / 五年新增城镇就业39万人: a total over the years.
    # A rate (unemployment, urbanization) is a point value: only an explicit 年均 makes it a period one.
    measure = value["measure"]
    period_marked = ("period_marker" in roles or "年均" in prefix
                     or (zone == "actual" and measure != "rate"
                         and bool(_TOTAL_CONTEXT_RE.search(text[sentence_start:mention_start]))))
    period_start = None
    if zone == "target":
        kind = "period_target" if (block.kind == "period_target" or period_marked) else "target"
        # An item's own year (到2025年, 2015年达到…) wins; a 年均 item in this year's list has no end year.
        year = explicit_year or (block.year if block.kind == kind else None)
        period_start = block.period_start if block.kind == "period_target" else None
    else:
        annual = "annual_marker" in roles
        # Counts (new jobs) add up over a five-year review like growth rates compound.
        growthlike = measure in ("growth", "change") or indicator.value_type == "count"
        # The context cues (see _review_context) are looked up only for the values they decide.
        if period_marked or (since is not None and growthlike) or (
                growthlike and not annual
                and _review_context(ctx, mention_start, section_id, term_review)[1]):
            kind = "period_actual"
            year = ctx.review_year
            if since is not None:
                period_start = since + 1
            else:
                last_period_cue, several_years = _review_context(ctx, mention_start, section_id,
                                                                 term_review)
                span = _five_year_plan_span(last_period_cue.group(0)) if last_period_cue else None
                if span and span[1] == ctx.review_year:
                    period_start = span[0]
                elif several_years and ctx.review_year is not None:
                    period_start = ctx.review_year - 4
        else:
            kind = "actual"
            year = explicit_year
            if not year:
                prefix_year = _YEAR_IN_RE.search(prefix)
                year = int(prefix_year.group(1)) if prefix_year else ctx.review_year
    return (
        code,                   # indicator_code
        indicator.name_zh,      # indicator_name
        mention.group(0),       # mention
        kind,
        year,
        period_start,
        measure,
        value["value"],
        value["value_high"],
        value["unit"],
        value["qualifier"],
        value["constraint"],
        value.get("relative_to"),
        section_id,
        ctx.sent_ids[sentence],  # sentence_id
        mention_start,          # char_start
        value_end,              # char_end
        sentence,               # sentence: an index into ctx's sentences; _frame reads the text
    )


def _review_context(ctx: _Context, mention_start: int, section_id,
                    term_review: bool) -> tuple[re.Match | None, bool]:
    """The last 五年来-like cue before a review name, and whether the name's text is about several years.

    The nearest context cue before the name in its section decides: 五年来 / 十三五期间 → several
    years; 过去的一年 / 一年来 / 2021年 → the review year; with neither, a five-year review
    (``term_review``) is about the five years. Cues are looked for in the name's section, at most
    :data:`CONTEXT_LOOKBACK_CHARS` back. The last cue in the window is what a search of
    ``text[lookback:mention]`` finds last; it is read from the matches of the whole text
    (:meth:`_TextMatches.last`), so the review is scanned once instead of once per name. The
    review-year cues are looked for only where they can decide (after a 五年来-like cue, or in a
    five-year review): most reports then never scan for them. Every value read after one name
    shares the result.
    """
    cached = ctx.context_cues.get(mention_start)
    if cached is None:
        reach = _grammar().cue_reach
        lookback_start = max(ctx.section_starts.get(section_id, 0),
                             mention_start - CONTEXT_LOOKBACK_CHARS)
        last_period = ctx.period_cues.last(lookback_start, mention_start, reach)
        several_years = False
        if last_period is not None or term_review:
            last_annual = ctx.annual_cues.last(lookback_start, mention_start, reach)
            several_years = last_annual is None or (
                last_period is not None and last_annual.end() < last_period.end())
        cached = ctx.context_cues[mention_start] = (last_period, several_years)
    return cached
