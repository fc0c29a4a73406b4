"""Stage 3 — structure: clean text → sections and sentences, as offsets into the clean text.

Sections
--------
A work report is a short preamble (title, dateline, speaker, 各位代表：), numbered parts
(一、二、三、…) with numbered sub-parts ((一)(二)…) and sometimes numbered points (1. 2. …), a closing
paragraph (各位代表！…让我们…) and, in many local reports, a glossary of numbered notes (名词解释).
The rules, and why:

* **Heading markers** are found at the start of a line *or* right after a sentence end (。！？, and for
  (一)/1. also ：), because scraped pages glue headings to the previous paragraph
  ("…工作：（一）聚焦转型升级…"). Level 1 is 一、 / 一. / 一． / 一， ; level 2 is (一) / （一） /
  (一)、; level 3 is 1. / 1． / 1、.
* **Numbering must run on.** A level-1 marker is kept only inside the longest run 一, 二, 三 …
  (so a stray "一、" in page chrome or "一、二、三产业" in running text is not a heading; between runs
  of equal length the one whose titles carry more section-type words wins); level-2 runs
  start again at (一) inside every level-1 part; level-3 runs at 1 inside every level-2 part and need
  at least two members (1. and 2.) to count as headings. A marker glued mid-line must look like a
  heading: a mid-line level-1 marker needs a section-type keyword in its title, a lone mid-line (一)
  without a (二) is an inline enumeration, not a heading.
* **The glossary is found first** (a header line 名词解释 / 注 释 / 《政府工作报告》注释, or failing that a
  final run of at least three notes "1.term：…", "2.term：…"), and no heading is searched inside it:
  its numbered notes are not sections. An unheaded run of notes must close the text (at most three
  other lines after its last note, and no heading or 各位代表 after its first), so a numbered task
  list "1. 目标：…" is not taken for one.
* **Closing**: the last body paragraph that opens with 各位代表/同志们 (among the last three
  paragraphs before the glossary), or else a last paragraph with 让我们, starts the closing section.
* **Titles**: a heading's title runs to the first 。！？ or ：, or to where the running text of a glued
  paragraph starts (a year "2004年，", 今年, 过去的一年, 围绕, … — lexicon ``structure_patterns.toml``),
  at most 40 characters.
* **Types** come from heading words (lexicon ``structure_section_types.csv``): 回顾/工作情况 → review;
  本届/过去五年/"十三五"…回顾 → term_review; 今后五年/"十四五" → outlook; 总体要求/主要目标 → plan;
  重点工作/主要任务/工作安排 → tasks; 政府自身建设 → self_building. Two structural rules fill the
  rest: an untyped level-1 part whose heading carries a year is a review when a later part has a later
  year, else tasks (一、2007年政府的工作 in a 2008 report); untyped level-1 parts that follow the plan
  or tasks are more of the year's tasks (zhumadian 2004 lists its tasks as 三、…六、). A plan part with
  no tasks part after it holds the year's tasks too and is typed ``tasks``. Level-2 and level-3 parts
  take their parent's type unless a level-2 rule says otherwise ((一)总体要求 → plan).

Sections tile the text: the preamble is ``[0, first heading)``; each section runs to the next section
of the same or a higher level; a character belongs to the deepest section that covers it.

Sentences
---------
A paragraph (a line of the clean text) always ends a sentence. Inside a paragraph a sentence ends after
。！？! (and ASCII ? before a space, quote or line end — a bare ? is usually a lost character), together
with any closing quotes or brackets that follow. Terminators inside “…” 「…」 『…』 （…） do not split,
unless the quote is still open 150 characters later (an unbalanced quote must not swallow a paragraph).
We do **not** split on ；: targets and achievements are listed in one sentence joined by ；, and the
indicator stage needs the whole 主要预期目标 sentence. An ellipsis …… does not end a sentence. A sentence
never spans two sections, and a glued heading's title is a sentence of its own.
"""
from __future__ import annotations

import csv
import io
import re
import tomllib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from .frames import column_array, column_labels, frame, plain_columns, string_array, string_arrays

SECTION_COLUMNS = [
    "section_id", "parent_section_id", "level", "number", "title", "section_type",
    "char_start", "char_end", "n_chars",
]
SENTENCE_COLUMNS = ["sentence_id", "section_id", "paragraph_idx", "char_start", "char_end", "text"]
SECTION_TYPES = (
    "preamble", "review", "term_review", "outlook", "plan", "tasks", "self_building", "closing",
    "glossary", "other",
)

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "O": 0, "o": 0, "Ｏ": 0, "0": 0, "一": 1, "二": 2, "两": 2,
             "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(numeral: str) -> int | None:
    """Value of a small Chinese numeral (一 … 九十九), e.g. ``十二`` → 12; ``None`` if not one."""
    numeral = numeral.strip()
    if not numeral:
        return None
    if "十" not in numeral:
        return _CN_DIGIT.get(numeral) if len(numeral) == 1 else None
    tens, _, units = numeral.partition("十")
    tens_value = 1 if tens == "" else _CN_DIGIT.get(tens)
    units_value = 0 if units == "" else _CN_DIGIT.get(units)
    if tens_value is None or units_value is None or len(tens) > 1 or len(units) > 1:
        return None
    return tens_value * 10 + units_value


# --------------------------------------------------------------------------------------------------
# lexicons
# --------------------------------------------------------------------------------------------------
def read_lexicon_text(name: str) -> str:
    """Text of a lexicon file shipped in ``govreports/lexicons``."""
    return (resources.files("govreports") / "lexicons" / name).read_text(encoding="utf-8")


def read_lexicon_csv(name: str) -> list[dict[str, str]]:
    """Rows of a lexicon CSV; lines starting with ``#`` are comments."""
    lines = [ln for ln in read_lexicon_text(name).splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@dataclass(frozen=True)
class _TypeRule:
    section_type: str
    priority: int
    levels: frozenset[int]
    overrides: frozenset[str]
    pattern: re.Pattern


@lru_cache(maxsize=1)
def _type_rules() -> tuple[_TypeRule, ...]:
    rules = [
        _TypeRule(
            section_type=row["section_type"],
            priority=int(row["priority"]),
            levels=frozenset(int(x) for x in row["levels"].split("|")),
            overrides=frozenset(x for x in (row["overrides"] or "").split("|") if x),
            pattern=re.compile(row["pattern"]),
        )
        for row in read_lexicon_csv("structure_section_types.csv")
    ]
    return tuple(sorted(rules, key=lambda r: r.priority))


@lru_cache(maxsize=1)
def _patterns() -> dict:
    return tomllib.loads(read_lexicon_text("structure_patterns.toml"))


@lru_cache(maxsize=8192)
def classify_heading(title: str, level: int = 1) -> str | None:
    """Section type of a heading title from the keyword table, or ``None`` if no rule matches.

    (Remembered per title: a report classifies its level-1 titles twice, and reports share many.)"""
    for rule in _type_rules():
        if level in rule.levels and rule.pattern.search(title):
            return rule.section_type
    return None


@lru_cache(maxsize=8192)
def _level2_override(title: str, parent_type: str) -> str | None:
    for rule in _type_rules():
        if 2 in rule.levels and parent_type in rule.overrides and rule.pattern.search(title):
            return rule.section_type
    return None


def _with_first_characters(pattern: str) -> re.Pattern:
    """``pattern`` compiled behind a look-ahead for the characters its matches can begin with.

    Why: a search tries a pattern at every position, and an alternation of a dozen patterns (the
    body openers, searched in every heading's title) tries each of them there; the look-ahead turns
    most positions down in one test. It admits every character a match can begin with, so the
    matches are the same. When those characters are not known, the pattern is compiled as it is.
    """
    first = _first_characters(pattern)
    return re.compile(pattern if first is None else f"(?=[{first}])(?:{pattern})")


_CLASS_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}


def _first_characters(pattern: str) -> str | None:
    """The body of a character class (``[…]``) holding every character a match of ``pattern`` can
    begin with, or None when that is not known (a match may be empty or begin with anything).

    Read off Python's own regex parser, which is private to the standard library: any part it
    gives that is not understood here, or any error, gives None.
    """
    def starts(items) -> set[str] | None:
        if not items:
            return None  # a match may be empty: what follows decides
        op, arg = items[0]
        kind = str(op)
        if kind == "LITERAL":
            return {re.escape(chr(arg))}
        if kind == "IN":
            parts = set()
            for item_op, item in arg:
                item_kind = str(item_op)
                if item_kind == "LITERAL":
                    parts.add(re.escape(chr(item)))
                elif item_kind == "RANGE":
                    parts.add(f"{re.escape(chr(item[0]))}-{re.escape(chr(item[1]))}")
                elif item_kind == "CATEGORY" and str(item) in _CLASS_CATEGORIES:
                    parts.add(_CLASS_CATEGORIES[str(item)])
                else:
                    return None  # a negated class, another category
            return parts
        if kind == "BRANCH":
            parts = set()
            for alternative in arg[1]:
                alternative_parts = starts(alternative)
                if alternative_parts is None:
                    return None
                parts |= alternative_parts
            return parts
        if kind == "SUBPATTERN" and not arg[1] and not arg[2]:  # a group without flags of its own
            return starts(arg[3])
        if kind in ("MAX_REPEAT", "MIN_REPEAT") and arg[0] >= 1:
            return starts(arg[2])
        return None

    try:
        from re import _parser

        parsed = _parser.parse(pattern)
        if parsed.state.flags & ~re.UNICODE:  # (?i), (?a) …: the characters are not the ones written
            return None
        parts = starts(list(parsed))
    except Exception:
        return None
    return "".join(sorted(parts)) if parts else None


# --------------------------------------------------------------------------------------------------
# compiled patterns
# --------------------------------------------------------------------------------------------------
_SPACE = "[ \t\u3000]*"
_CN_NUM = "[一二三四五六七八九十]{1,3}"
# Marker patterns, matched where ``_Markers`` found a place a marker may stand (line start or after
# a sentence end).
_L1_MARK = re.compile(
    rf"(?P<num>{_CN_NUM}){_SPACE}[、.．，,](?![一二三四五六七八九十][、，,])(?!{_SPACE}$){_SPACE}", re.M
)
_L2_MARK = re.compile(rf"(?P<num>[（(]{_SPACE}{_CN_NUM}{_SPACE}[)）]){_SPACE}[、.．，,]?{_SPACE}")
_L3_MARK = re.compile(rf"(?P<num>\d{{1,2}})[ \t]*[.．、](?![\d.．])(?!{_SPACE}$){_SPACE}", re.M)
_BOUNDARY_AFTER = {1: "。！？!?", 2: "。！？!?：:", 3: "。！？!?：:"}
_SPACE_CHARS = " \t\u3000"
_TERMINATOR = re.compile(r"[。！？!?]")
_COLON = re.compile(r"[：:]")
_CLAUSE = re.compile(r"[，,；;]")
_TITLE_STRIP = " \t\u3000，,；;：:、"
_MAX_TITLE = 40
_LINE = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def _compiled() -> dict[str, re.Pattern]:
    pats = _patterns()
    return {
        "glossary_header": re.compile(pats["glossary_header"]),
        "glossary_note": re.compile(pats["glossary_note"], re.M),
        "body_opener": _with_first_characters("|".join(f"(?:{p})" for p in pats["body_openers"])),
        "closing_opener": re.compile(pats["closing_opener"], re.M),
        "closing_cue": re.compile(pats["closing_cue"]),
        "salutation": re.compile(pats["salutation"], re.M),
    }


# --------------------------------------------------------------------------------------------------
# headings
# --------------------------------------------------------------------------------------------------
@dataclass
class _Heading:
    start: int          # offset of the marker (section start)
    title_start: int    # offset of the title (after the marker)
    value: int          # numeric value of the marker
    number: str         # normalised marker: 一 / (一) / 1
    line_start: bool    # the marker starts a line
    level: int
    title: str = ""
    title_end: int = 0
    glued: bool = False  # running text follows the title on the same line


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _title_span(text: str, start: int) -> tuple[int, int, bool]:
    """(start, end, glued) of a heading title beginning at ``start``; see the module docstring."""
    line_end = _line_end(text, start)
    end = line_end
    glued = False
    term = _TERMINATOR.search(text, start, line_end)
    if term:
        end = term.start()
    colon = _COLON.search(text, start, end)
    if colon and colon.start() - start >= 2:
        end = colon.start()
    opener = _compiled()["body_opener"].search(text, start + 4, end) if end - start > 4 else None
    if opener:
        end = opener.start()
        glued = True
    if end - start > _MAX_TITLE:
        clauses = [m.start() for m in _CLAUSE.finditer(text, start, start + _MAX_TITLE)]
        end = clauses[-1] if clauses else start + _MAX_TITLE
    while end > start and text[end - 1] in _TITLE_STRIP:
        end -= 1
    if not glued and end < line_end and text[end] not in "。！？!?：:，,；;":
        glued = True
    return start, end, glued


_MARKS = {1: _L1_MARK, 2: _L2_MARK, 3: _L3_MARK}
# Where a marker of any level may stand: a line break or a sentence end, spaces, then the fixed part
# of a marker (the patterns above without their look-aheads and trailing spaces, so that whatever
# they match at a position in some part of the text this matches too). One scan of the body finds
# them for all levels; a pattern that opens with a character class lets the regex engine skip to
# the next boundary in C. A marker's characters are never a boundary, so no match hides another.
_ANY_MARK = re.compile(
    rf"[\n{_BOUNDARY_AFTER[2]}][ \t\u3000]*"
    rf"(?:(?P<l1>{_CN_NUM}{_SPACE}[、.．，,])|(?P<l2>[（(]{_SPACE}{_CN_NUM}{_SPACE}[)）])|(?P<l3>\d{{1,2}}[ \t]*[.．、]))"
)
_LEVEL_GROUPS = {"l1": 1, "l2": 2, "l3": 3}
# the scan accepts the boundaries of levels 2 and 3; level 1 takes a subset of them
assert _BOUNDARY_AFTER[2] == _BOUNDARY_AFTER[3] and set(_BOUNDARY_AFTER[1]) <= set(_BOUNDARY_AFTER[2])
_NUMERAL_NOISE = re.compile(r"[（()）\s\u3000]")


def _any_marks(text: str, end: int) -> list[re.Match]:
    """``list(_ANY_MARK.finditer(text, 0, end))``: the pattern is matched only where a boundary
    character is followed by a space or a character that may begin a marker (read off the character
    classes), in text order, each place after the end of the last match: the places the scan would
    find a match at, without scanning every character with the regex engine."""
    classes = _char_classes(text)[:end]
    places = np.flatnonzero(((classes[:-1] & _C_BOUNDARY) != 0) & ((classes[1:] & _C_MARK_START) != 0))
    found = []
    last = 0
    for at in places.tolist():
        if at >= last and (m := _ANY_MARK.match(text, at, end)):
            found.append(m)
            last = m.end()
    return found


class _Markers:
    """Possible heading markers of a text by level: ``candidates(level, lo, hi)`` are the markers of
    ``level`` starting in ``text[lo:hi]`` at a line start or after a sentence end, each matched with
    the level's own pattern on ``text[:hi]`` exactly as a search of that part alone would find it."""

    def __init__(self, text: str, end: int):
        self.text = text
        self.starts: dict[int, list[int]] = {1: [], 2: [], 3: []}
        self.line_start: dict[int, bool] = {}
        for m in _any_marks(text, end):
            level = _LEVEL_GROUPS[m.lastgroup]
            boundary = text[m.start()]
            if level == 1 and boundary not in _BOUNDARY_AFTER[1] and boundary != "\n":
                continue  # 一、 after a colon is not a heading
            at = m.start(m.lastgroup)
            self.starts[level].append(at)
            self.line_start[at] = boundary == "\n"
        # a marker at the first character of the text (after spaces) starts its first line
        first = 0
        while first < end and text[first] in _SPACE_CHARS:
            first += 1
        self.first = first if first < end else None

    def candidates(self, level: int, lo: int, hi: int) -> list[_Heading]:
        text = self.text
        found: list[_Heading] = []
        mark = _MARKS[level]
        starts = self.starts[level]
        positions = starts[bisect_left(starts, lo):bisect_left(starts, hi)]
        if self.first is not None and lo <= self.first < hi:
            positions = [self.first, *positions]
        for at in positions:
            m = mark.match(text, at, hi)
            if m:  # (the text's first marker is not in line_start: it starts a line)
                _add_candidate(found, text, m, level, self.line_start.get(at, True))
        return found


@lru_cache(maxsize=1024)
def _marker_number(raw: str, level: int) -> tuple[int, str] | None:
    """(value, normalised number) of a marker's numeral as matched (一 / （ 三 ） / 12), or None when
    it is not a number. Remembered: reports use the same few markers."""
    if level == 3:
        value = int(raw)
        return value, str(value)
    digits = _NUMERAL_NOISE.sub("", raw) if level == 2 else raw  # a level-1 marker is numerals
    value = chinese_number(digits)
    if value is None:
        return None
    return value, digits if level == 1 else f"({digits})"


def _add_candidate(found: list[_Heading], text: str, m: re.Match, level: int, line_start: bool) -> None:
    marker = _marker_number(m.group("num"), level)
    if marker is None:
        return
    value, number = marker
    t0, t1, glued = _title_span(text, m.end())
    found.append(_Heading(start=m.start("num"), title_start=m.end(), value=value, number=number,
                          line_start=line_start, level=level, title=text[t0:t1], title_end=t1,
                          glued=glued))


def _best_level1_run(cands: list[_Heading]) -> list[_Heading]:
    """Longest run 一, 二, 三 …; among equally long runs the one with more typed headings (so a
    stray "一、网站导航" or "一、二季度…" loses), then the later one."""
    best: list[_Heading] = []
    best_key = (0, 0, -1)
    typed = {id(c): classify_heading(c.title, 1) is not None for c in cands}
    for i, first in enumerate(cands):
        if first.value != 1:
            continue
        run = [first]
        for c in cands[i + 1:]:
            if c.value == run[-1].value + 1:
                run.append(c)
        key = (len(run), sum(typed[id(c)] for c in run), first.start)
        if key > best_key:
            best, best_key = run, key
    return best


def _runs(cands: list[_Heading], min_len_mid_line: int) -> list[_Heading]:
    """Numbered runs restarting at 1; a run that begins mid-line needs ``min_len_mid_line`` members."""
    runs: list[list[_Heading]] = []
    current: list[_Heading] = []
    for c in cands:
        if c.value == 1:
            may_restart = not current or c.line_start or not any(h.line_start for h in current)
            if may_restart:
                if current:
                    runs.append(current)
                current = [c]
        elif current and c.value == current[-1].value + 1:
            current.append(c)
    if current:
        runs.append(current)
    kept = []
    for run in runs:
        if len(run) >= min_len_mid_line or (run[0].line_start and len(run) >= 1):
            kept.extend(run)
    return kept


_BODY_AFTER_NOTES = re.compile(
    rf"^{_SPACE}(?:[（(]{_SPACE}{_CN_NUM}{_SPACE}[)）]|{_CN_NUM}{_SPACE}[、．]|各位代表|同志们)", re.M
)


def _glossary_start(text: str) -> tuple[int | None, str | None]:
    """Offset and header of the glossary (header line, or else a final run of ≥3 numbered notes)."""
    pats = _compiled()
    half = len(text) // 3
    header_at = None
    header_text = None
    for at, line in _short_lines(text, half):
        if pats["glossary_header"].match("".join(line.split())):
            header_at, header_text = at, line.strip()
    if header_at is not None:
        return header_at, header_text
    notes = [(m.start(), int(m.group("number"))) for m in _line_matches(pats["glossary_note"], text, half)]
    start = None
    for i, (pos, number) in enumerate(notes):
        if number != 1:
            continue
        run, last_pos = 1, pos
        for nxt_pos, nxt in notes[i + 1:]:
            if nxt == run + 1:
                run, last_pos = run + 1, nxt_pos
            elif nxt == 1:
                break
        # an unheaded glossary closes the text: at most three other lines may follow its last note
        # and no heading or address to the deputies comes after its first note
        trailing = len(_paragraph_spans(text, _line_end(text, last_pos), len(text)))
        if run >= 3 and trailing <= 3 and not _BODY_AFTER_NOTES.search(text, pos):
            start = pos
    return start, None


def _line_matches(pattern: re.Pattern, text: str, lo: int) -> list[re.Match]:
    """``list(pattern.finditer(text, lo))`` for a multi-line pattern that opens with ``^`` and never
    crosses a line break: it is matched at each line start from ``lo`` on (a scan would try the
    pattern at every character)."""
    found: list[re.Match] = []
    at = lo if lo == 0 or text[lo - 1 : lo] == "\n" else text.find("\n", lo) + 1
    if at == 0 and lo > 0:  # no line starts after lo
        return found
    while True:
        m = pattern.match(text, at)
        if m:
            found.append(m)
        at = text.find("\n", at) + 1
        if at == 0:
            return found


_WHITESPACE = re.compile(r"\s")


def _short_lines(text: str, lo: int) -> list[tuple[int, str]]:
    """(offset, line) of the non-empty lines of ``text[lo:]`` (the first one from ``lo``) that hold
    at most 20 characters besides whitespace (``str.split`` and regex ``\\s`` agree on whitespace).

    A line longer than 20 characters with no whitespace among its first 21 holds more than 20
    others: most lines of a report (paragraphs) are passed over after that look, without a copy."""
    found = []
    first = _LINE.match(text, lo)
    if first and len("".join(first.group().split())) <= 20:
        found.append((first.start(), first.group()))
    start = text.find("\n", lo) + 1  # the start of each line after a line break (0: none left)
    while start:
        nl = text.find("\n", start)
        end = len(text) if nl < 0 else nl
        if start < end and (end - start <= 20 or _WHITESPACE.search(text, start, start + 21)):
            line = text[start:end]
            if len("".join(line.split())) <= 20:
                found.append((start, line))
        start = nl + 1
    return found


def _paragraph_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _LINE.finditer(text, lo, hi) if m.group().strip()]


def _last_long_paragraphs(text: str, lo: int, hi: int, count: int, min_chars: int) -> list[tuple[int, int]]:
    """The last ``count`` of the paragraphs of ``text[lo:hi]`` (:func:`_paragraph_spans`) that hold at
    least ``min_chars`` characters, in text order: the lines are read back from ``hi``, so a long
    last part is not read whole for its last few paragraphs."""
    found: list[tuple[int, int]] = []
    end = hi
    while end > lo and len(found) < count:
        newline = text.rfind("\n", lo, end)
        start = newline + 1 if newline >= 0 else lo
        if end - start >= min_chars and text[start:end].strip():
            found.append((start, end))
        if newline < 0:
            break
        end = newline
    found.reverse()
    return found


def _closing_start(text: str, lo: int, hi: int) -> int | None:
    pats = _compiled()
    paragraphs = _last_long_paragraphs(text, lo, hi, 3, 12)
    if not paragraphs:
        return None
    for start, end in reversed(paragraphs):
        if pats["closing_opener"].match(text, start, end):
            return start
    start, end = paragraphs[-1]
    if pats["closing_cue"].search(text, start, end):
        return start
    return None


def _heading_year(title: str) -> int | None:
    m = re.search(r"(?:19|20)\d\d(?=年)", title)
    return int(m.group()) if m else None


def parse_sections(text: str) -> pd.DataFrame:
    """Split a clean report into nested, numbered sections.

    Parameters
    ----------
    text : str
        The clean text (``clean_text(raw).text``).

    Returns
    -------
    pandas.DataFrame
        One row per section, in text order:

        - ``section_id`` (int): 0 is the preamble, then text order.
        - ``parent_section_id`` (Int64): the enclosing section; <NA> at level 1.
        - ``level`` (int): 1 for 一、 parts (and for preamble, closing, glossary), 2 for (一), 3 for 1.
        - ``number`` (str): 一 / (三) / 1; <NA> for preamble, closing, glossary.
        - ``title`` (str): the heading text without its marker; <NA> where there is none.
        - ``section_type`` (str): preamble | review | term_review | outlook | plan | tasks |
          self_building | closing | glossary | other.
        - ``char_start``, ``char_end``, ``n_chars`` (int): the span in ``text``, heading included.

        Sections tile the text; a character belongs to the deepest section covering it.
    """
    n = len(text)
    glossary_at, glossary_header = _glossary_start(text)
    body_end = n if glossary_at is None else glossary_at

    markers = _Markers(text, body_end)
    l1_all = markers.candidates(1, 0, body_end)
    l1_all = [h for h in l1_all if h.line_start or classify_heading(h.title, 1) is not None]
    level1 = _best_level1_run(l1_all)

    search_from = level1[-1].start if level1 else 0
    closing_at = _closing_start(text, search_from, body_end)
    if closing_at is not None and level1 and closing_at <= level1[-1].start:
        closing_at = None
    content_end = closing_at if closing_at is not None else body_end
    level1 = [h for h in level1 if h.start < content_end]

    # level 1 spans
    l1_spans = []
    for i, h in enumerate(level1):
        end = level1[i + 1].start if i + 1 < len(level1) else content_end
        l1_spans.append((h, end))

    level2: list[tuple[_Heading, _Heading]] = []   # (heading, parent)
    for h, end in l1_spans:
        cands = markers.candidates(2, h.title_start, end)
        for c in _runs(cands, min_len_mid_line=2):
            level2.append((c, h))

    level3: list[tuple[_Heading, _Heading]] = []
    l2_by_parent: dict[int, list[_Heading]] = {}
    for c, p in level2:
        l2_by_parent.setdefault(p.start, []).append(c)
    containers: list[tuple[_Heading, int]] = []
    for h, end in l1_spans:
        kids = l2_by_parent.get(h.start, [])
        if not kids:
            containers.append((h, end))
        for j, k in enumerate(kids):
            containers.append((k, kids[j + 1].start if j + 1 < len(kids) else end))
    level3_starts = markers.starts[3]
    for parent, end in containers:
        if bisect_left(level3_starts, parent.title_start) == bisect_left(level3_starts, end):
            continue  # no 1. 2. … inside (most parts; the text's first character is never inside)
        cands = [c for c in markers.candidates(3, parent.title_start, end)
                 if c.line_start or text[c.start - 1] in "。！？!?"]
        runs = _runs(cands, min_len_mid_line=2)
        # a level-3 run must have at least two members even at line start
        kept, run = [], []
        for c in runs + [None]:
            if c is None or c.value == 1:
                if len(run) >= 2:
                    kept.extend(run)
                run = [] if c is None else [c]
            else:
                run.append(c)
        level3.extend((c, parent) for c in kept)

    # ---- assemble --------------------------------------------------------------------------------
    first_start = level1[0].start if level1 else None
    if first_start is None:
        sal = _compiled()["salutation"].search(text, 0, min(content_end, 3000))
        preamble_end = _line_end(text, sal.start()) if sal else 0
    else:
        preamble_end = first_start
    entries: list[dict] = [dict(start=0, level=1, number=pd.NA, title=pd.NA, section_type="preamble",
                                key=("pre",), parent_key=None)]
    if first_start is None and content_end > preamble_end:
        entries.append(dict(start=preamble_end, level=1, number=pd.NA, title=pd.NA,
                            section_type="other", key=("body",), parent_key=None))
    for h in level1:
        entries.append(dict(start=h.start, level=1, number=h.number, title=h.title or pd.NA,
                            section_type=None, key=("h", h.start), parent_key=None, heading=h))
    for h, p in level2:
        entries.append(dict(start=h.start, level=2, number=h.number, title=h.title or pd.NA,
                            section_type=None, key=("h", h.start), parent_key=("h", p.start), heading=h))
    for h, p in level3:
        entries.append(dict(start=h.start, level=p.level + 1, number=h.number, title=h.title or pd.NA,
                            section_type=None, key=("h", h.start), parent_key=("h", p.start), heading=h))
    if closing_at is not None:
        entries.append(dict(start=closing_at, level=1, number=pd.NA, title=pd.NA, section_type="closing",
                            key=("closing",), parent_key=None))
    if glossary_at is not None:
        entries.append(dict(start=glossary_at, level=1, number=pd.NA,
                            title=glossary_header if glossary_header else pd.NA,
                            section_type="glossary", key=("glossary",), parent_key=None))
    entries.sort(key=lambda e: (e["start"], e["level"]))

    _assign_level1_types([e for e in entries if e["level"] == 1 and e["section_type"] is None])
    by_key = {e["key"]: e for e in entries}
    for e in entries:
        if e["section_type"] is None:
            parent = by_key[e["parent_key"]]
            own = _level2_override(str(e["title"]), parent["section_type"]) if e["level"] == 2 else None
            e["section_type"] = own or parent["section_type"]

    ids = {e["key"]: i for i, e in enumerate(entries)}
    starts = [e["start"] for e in entries]
    levels = [e["level"] for e in entries]
    parents = [ids[e["parent_key"]] if e["parent_key"] is not None else None for e in entries]
    # a section runs to the next section of the same or a higher level (one pass with a stack of the
    # open sections, whose levels rise from bottom to top), and never past its parent's end
    reach = [n] * len(entries)
    open_sections: list[int] = []
    for i, level in enumerate(levels):
        while open_sections and levels[open_sections[-1]] >= level:
            reach[open_sections.pop()] = starts[i]
        open_sections.append(i)
    ends = [reach[i] if p is None else min(reach[i], reach[p]) for i, p in enumerate(parents)]
    # the three text columns in one Arrow conversion (missing values as None)
    text_columns = string_arrays({
        key: [None if e[key] is pd.NA else e[key] for e in entries] for key in ("number", "title", "section_type")
    })
    return frame(_SECTION_LABELS, [
        np.arange(len(entries), dtype="int64"),
        # parent_section_id: <NA> at level 1; the value under the mask is what pd.array would store
        pd.arrays.IntegerArray(np.array([1 if p is None else p for p in parents], dtype="int64"),
                               np.array([p is None for p in parents], dtype=bool)),
        np.array(levels, dtype="int64"),
        text_columns["number"],
        text_columns["title"],
        text_columns["section_type"],
        np.array(starts, dtype="int64"),
        np.array(ends, dtype="int64"),
        np.array(ends, dtype="int64") - np.array(starts, dtype="int64"),
    ])


_SECTION_LABELS = column_labels(SECTION_COLUMNS)
_SENTENCE_LABELS = column_labels(SENTENCE_COLUMNS)


def _assign_level1_types(parts: list[dict]) -> None:
    """Types of numbered level-1 parts: keywords, then the year and position rules."""
    for e in parts:
        e["section_type"] = classify_heading(str(e["title"]), 1)
    years = [_heading_year(str(e["title"])) for e in parts]
    latest = max((y for y in years if y is not None), default=None)
    for e, year in zip(parts, years):
        if e["section_type"] is None and year is not None and latest is not None:
            e["section_type"] = "review" if year < latest else "tasks"
    seen_forward = False
    for e in parts:
        if e["section_type"] in ("plan", "tasks"):
            seen_forward = True
        elif e["section_type"] is None and seen_forward:
            e["section_type"] = "tasks"
        elif e["section_type"] in ("review", "term_review"):
            seen_forward = False
    types = [e["section_type"] for e in parts]
    for i, e in enumerate(parts):
        if e["section_type"] == "plan":
            later = types[i + 1:]
            if "tasks" not in later:
                e["section_type"] = "tasks"
        if e["section_type"] is None:
            e["section_type"] = "other"


# --------------------------------------------------------------------------------------------------
# sentences
# --------------------------------------------------------------------------------------------------
_OPENERS = "“‘「『（(【"
_CLOSERS = "”’」』）)】"
_INNER = f"^{_OPENERS}{_CLOSERS}。！？!?\\n"   # characters that are no token (a negated class body)
_TERM_RUN = r"(?:(?<=[。！？!])[。！？!]*|(?<=\?)\?*(?=[\s”’」』）)]|$))(?P<tail>[”’」』）)】》]*)"
# Sentence ends: where a sentence ends when no quote is open (and the quote-depth rules below are
# needed only on lines where a quote may be open) ...
_SENT_END = re.compile(rf"[。！？!?]{_TERM_RUN}")
# ... which is the case when every opening quote or bracket is closed before the next token.
_UNPAIRED_OPEN = re.compile(rf"[{_OPENERS}](?![{_INNER}]*[{_CLOSERS}])")
# Tokens of the quote-depth rules. Every token starts with one character of the leading class and
# the look-behinds tell which kind it is: a pattern that opens with a character class lets the regex
# engine skip ordinary characters in C (an alternation of classes is tried at every position). A
# quote or bracket pair with no other token inside changes nothing (depth goes up and down again)
# and is one token.
_SENT_TOKEN = re.compile(
    rf"[{_OPENERS}{_CLOSERS}。！？!?]"
    rf"(?:(?<=[{_OPENERS}])[{_INNER}]*[{_CLOSERS}](?P<pair>)"
    rf"|(?<=[{_OPENERS}])(?P<open>)"
    rf"|(?<=[{_CLOSERS}])(?P<close>)"
    rf"|{_TERM_RUN}(?P<term>))"
)
_OPEN, _CLOSE, _TERM, _TAIL = (_SENT_TOKEN.groupindex[g] for g in ("open", "close", "term", "tail"))
_MAX_QUOTE = 150


def _split_points(text: str, marks: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """End offsets of the sentences of ``text`` by the terminator rules (int64, in order).

    Quote depth starts again at every line (a paragraph always ends a sentence). On a line where
    every opening quote or bracket is closed before the next token the depth never rises, and every
    terminator ends a sentence; so the text is scanned for terminators once, and only the lines with
    an unclosed opening quote are read again with the depth rules.

    ``marks`` (:func:`_marks` of ``text``): the terminators and the unclosed openers are then found
    on the classes of the characters, which is what the regex scans find (see
    :func:`_sentence_ends` and :func:`_unpaired_openers`), at a fraction of their cost. Most texts
    have no unclosed quote: their points stay in the array they were found in.
    """
    if marks is None or "?" in text:  # the ASCII '?' rule needs the regex
        points = np.array([m.end() for m in _SENT_END.finditer(text)], dtype="int64")
        unpaired = [m.start() for m in _UNPAIRED_OPEN.finditer(text)]
    else:
        points = _sentence_ends(*marks)
        unpaired = _unpaired_openers(*marks)
    if not unpaired:
        return points
    points = points.tolist()
    line_end = -1
    for at in unpaired:
        if at < line_end:
            continue  # this line is done
        line_start = text.rfind("\n", 0, at) + 1
        line_end = text.find("\n", at)
        if line_end < 0:
            line_end = len(text)
        points[bisect_right(points, line_start):bisect_right(points, line_end)] = \
            _quoted_points(text, line_start, line_end)
    return np.array(points, dtype="int64")


# Character classes of the sentence rules, as bits (see _char_classes).
_C_TERM, _C_QMARK, _C_OPEN, _C_CLOSE, _C_TAIL, _C_NEWLINE, _C_BLANK = (1 << k for k in range(7))
# ... and of the heading markers (see _any_marks): a character a marker may follow, one it may
# begin with (a superset: spaces, numerals, an opening parenthesis, digits)
_C_BOUNDARY, _C_MARK_START = 1 << 7, 1 << 8
_TAIL_CHARS = "”’」』）)】》"  # what _TERM_RUN takes after the terminators (_CLOSERS and 》)


def _class_table() -> np.ndarray:
    """``table[min(cp, 0x10000)]``: the class bits of the character ``cp``."""
    table = np.zeros(0x10001, dtype=np.uint16)
    for chars, bit in (("。！？!", _C_TERM), ("?", _C_QMARK), (_OPENERS, _C_OPEN), (_CLOSERS, _C_CLOSE),
                       (_TAIL_CHARS, _C_TAIL), ("\n", _C_NEWLINE), ("\n" + _BOUNDARY_AFTER[2], _C_BOUNDARY),
                       (_SPACE_CHARS + "一二三四五六七八九十（(", _C_MARK_START)):
        for c in chars:
            table[ord(c)] |= bit
    table[:0x3001][_BLANK[:0x3001]] |= _C_BLANK  # whitespace (str.isspace, regex \s): all below U+3001
    # a level-3 marker opens with any decimal digit (regex \d); past U+FFFF: may be one
    table[[c for c in range(0x10000) if chr(c).isdecimal()]] |= _C_MARK_START
    table[0x10000] = _C_MARK_START
    return table


def _char_classes(text: str) -> np.ndarray:
    """The class bits of every character of ``text`` (uint16, one per character; read-only).

    parse_sections and split_sentences both read them: the last text's are kept (one entry, for
    the very same string object)."""
    last_text, last_classes = _LAST_CLASSES
    if text is last_text:
        return last_classes
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    classes = _CLASSES.take(codes, mode="clip")  # code points past U+FFFF: the last entry
    classes.flags.writeable = False
    _LAST_CLASSES[:] = (text, classes)
    return classes


_LAST_CLASSES: list = [None, None]


def _marks(classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, class bits) of the characters the sentence rules look at (terminators, quotes and
    brackets, line breaks): a few per cent of a text, so the rules below work on short arrays."""
    at = np.flatnonzero((classes & (_C_TERM | _C_QMARK | _C_OPEN | _C_CLOSE | _C_TAIL | _C_NEWLINE)) != 0)
    return at, classes[at]


def _sentence_ends(at: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """``[m.end() for m in _SENT_END.finditer(text)]`` (int64) for a text without ASCII ``?`` (``at``,
    ``kinds``: its :func:`_marks`): a match is a run of terminators and the run of closing marks
    right after it, so it ends where a run of terminators ends without a closing mark after it, or
    where a run of closing marks that follows a terminator ends."""
    term = (kinds & _C_TERM) != 0
    tail = (kinds & _C_TAIL) != 0
    adjacent = np.diff(at) == 1  # mark i+1 is the character right after mark i
    nxt_term, nxt_tail, prev_term, prev_tail = (np.zeros(len(at), dtype=bool) for _ in range(4))
    nxt_term[:-1] = adjacent & term[1:]
    nxt_tail[:-1] = adjacent & tail[1:]
    prev_term[1:] = adjacent & term[:-1]
    prev_tail[1:] = adjacent & tail[:-1]
    term_ends = at[term & ~nxt_term & ~nxt_tail]
    tail_runs = prev_term[tail & ~prev_tail]  # each run of closing marks: does a terminator precede it
    tail_ends = at[tail & ~nxt_tail][tail_runs]
    ends = np.concatenate([term_ends, tail_ends])
    ends.sort()
    return (ends + 1).astype("int64", copy=False)


def _unpaired_openers(at: np.ndarray, kinds: np.ndarray) -> list[int]:
    """``[m.start() for m in _UNPAIRED_OPEN.finditer(text)]`` (``at``, ``kinds``: its
    :func:`_marks`): the openers whose next token character (an opener, closer, terminator or line
    break) is not a closer."""
    token = (kinds & (_C_OPEN | _C_CLOSE | _C_TERM | _C_QMARK | _C_NEWLINE)) != 0
    at, kinds = at[token], kinds[token]
    closed = np.zeros(len(at), dtype=bool)
    closed[:-1] = (kinds[1:] & _C_CLOSE) != 0
    return at[((kinds & _C_OPEN) != 0) & ~closed].tolist()


def _quoted_points(text: str, start: int, end: int) -> list[int]:
    """Sentence ends in the line ``text[start:end]`` by the quote-depth rules (see the docstring)."""
    points = []
    depth = 0
    opened_at = start
    for m in _SENT_TOKEN.finditer(text, start, end):
        kind = m.lastindex
        if kind == _TERM:
            if depth:
                if m.start() - opened_at > _MAX_QUOTE:
                    depth = 0
                else:
                    closers = m.end(_TAIL) - m.start(_TAIL)
                    if closers < depth:
                        depth -= closers
                        continue
                    depth = 0
            points.append(m.end())
        elif kind == _OPEN:
            if depth == 0:
                opened_at = m.start()
            depth += 1
        elif kind == _CLOSE and depth:
            depth -= 1
    return points


def split_sentences(text: str, sections: pd.DataFrame) -> pd.DataFrame:
    """Split the clean text into sentences.

    Parameters
    ----------
    text : str
        The clean text.
    sections : pandas.DataFrame
        ``parse_sections(text)``.

    Returns
    -------
    pandas.DataFrame
        - ``sentence_id`` (int): text order, from 0.
        - ``section_id`` (int): the deepest section that holds the sentence's first character.
        - ``paragraph_idx`` (int): index of the paragraph (non-empty line) in the text, from 0.
        - ``char_start``, ``char_end`` (int): offsets; ``text == clean_text[char_start:char_end]``,
          without leading or trailing whitespace.
        - ``text`` (str).
    """
    if len(sections):
        # read without building a Series per column (that cost more than splitting a short text)
        starts = np.asarray(column_array(sections, "char_start"))
        section_ids = np.asarray(column_array(sections, "section_id"))
        start_list = starts.tolist()
        titles = plain_columns(sections, ["title"])[0]
    else:
        starts = section_ids = np.array([0])
        start_list, titles = [], []
    forced = set(start_list)
    # a glued heading's title is a sentence of its own
    for start, title in zip(start_list, titles):
        if not isinstance(title, str) or not title:
            continue
        at = text.find(title, start, start + len(title) + 12)
        if at < 0:
            continue
        stop = at + len(title)
        if stop < len(text) and text[stop] not in "。！？!?：:，,；;\n" and not text[stop].isspace():
            forced.add(stop)
    # Cut the text at every sentence end, forced cut, paragraph start and paragraph end: the pieces
    # inside paragraphs are the sentences once stripped of whitespace, the pieces between paragraphs
    # are blank. Stripping is done for all pieces at once on the offsets of the non-blank characters.
    classes = _char_classes(text)
    solid = np.flatnonzero((classes & _C_BLANK) == 0).astype("int64", copy=False)  # the non-blank characters
    marks = _marks(classes)
    par_starts, par_ends = _paragraphs(marks, len(text), solid)
    bounds = np.concatenate((np.array(list(forced), dtype="int64"), _split_points(text, marks),
                             par_starts, par_ends))
    bounds.sort()
    once = np.ones(len(bounds), dtype=bool)  # each bound once (np.unique hashes them first: slower)
    once[1:] = bounds[1:] != bounds[:-1]
    bounds = bounds[once]
    after = np.searchsorted(solid, bounds)  # the first non-blank character at or after each cut
    first = after[:-1]     # first non-blank character of a piece
    last = after[1:] - 1   # last non-blank character before the next cut
    keep = first <= last                            # the piece holds a non-blank character
    start_arr = solid[first[keep]]
    end_arr = solid[last[keep]] + 1
    paragraph_idx = np.searchsorted(par_starts, start_arr, side="right") - 1
    order = np.argsort(starts, kind="stable")
    sorted_starts = starts[order]
    idx = np.searchsorted(sorted_starts, start_arr, side="right") - 1  # at most the last section
    idx = np.maximum(idx, 0)
    sec = section_ids[order][idx] if len(start_arr) else np.array([], dtype="int64")
    return frame(_SENTENCE_LABELS, [
        np.arange(len(start_arr), dtype="int64"),
        np.asarray(sec, dtype="int64"),
        paragraph_idx.astype("int64", copy=False),
        start_arr,
        end_arr,
        string_array([text[s:e] for s, e in zip(start_arr.tolist(), end_arr.tolist())]),
    ])


# Python's whitespace (str.isspace, regex \s) by code point; none lies beyond U+3000 (the test suite
# checks), so larger code points are looked up in the last entry, which is False.
_BLANK = np.array([chr(c).isspace() for c in range(0x3001)] + [False])


_LINE_NONEMPTY = re.compile(r"[^\n]*\S[^\n]*")


def _paragraphs(marks: tuple[np.ndarray, np.ndarray], n: int, solid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the paragraphs of a text of ``n`` characters: the lines holding a non-blank
    character (``solid``: their offsets), as ``_LINE_NONEMPTY`` finds them (int64). ``marks``:
    :func:`_marks` of the text (its line breaks among them)."""
    at, kinds = marks
    breaks = at[(kinds & _C_NEWLINE) != 0].astype("int64", copy=False)
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [n]))
    filled = np.searchsorted(solid, starts) < np.searchsorted(solid, ends)
    return starts[filled], ends[filled]


_CLASSES = _class_table()
