"""Stage 4a — metadata: what a report is (place, level, year, speaker, session), read from its text.

Everything comes from the clean text; file names and scraper headers ("标题：…", "年份：…") are not
read (some are wrong). A value the text does not state is ``None``. The rules, and why:

* **Preamble first.** Title, dateline and speaker are searched only in the preamble (section 0, the
  text before 一、), so a date or a 市长 in the body is never taken for the report's own.
* **Title**: the first preamble line containing 政府工作报告 (spaces removed; one of its characters
  may be the cleaner's U+FFFD, 政府工作�告) that is not page furniture (breadcrumbs with >, 发布时间,
  来源 …), cut after 政府工作报告.
* **Dateline**: ``[——]YYYY年M月D日[在]<place>第N届人民代表大会第M次会议[上|通过]`` or the short form
  ``市十六届人大二次会议``, also across a line break or with spaces, even inside its words
  (人民\n代表大会, 人 民 代 表 大 会), and in Chinese numerals (二〇二一/二O二一/二0二一; 元月 is
  January). It gives ``delivered_date`` (not when the line says 通过, 审议通过 or 批准: that is the
  adoption date), ``congress_session`` and the place (醴陵市, 青云谱区; 全国 → the national report).

  - ``congress_session`` is normalised to 第十六届人民代表大会第二次会议 (第十四届全国人民代表大会…
    for the national report). A meeting of the standing committee (人大常委会第三次会议) is
    normalised to 第十六届人民代表大会常务委员会第三次会议, never to the congress's 第三次会议: the
    committee meets every month or two, so its N-th meeting is not the N-th plenary session a
    researcher compares across reports, and keeping the committee word lets such a report be told
    apart (or filtered out).
  - The session phrase ends the dateline: its line or bracket ends there, or it says 上/通过 and the
    speaker follows on the line. A session named in a sentence of the preamble
    (本届政府自2017年1月6日市五届人大一次会议选举产生以来，…) is no dateline. A label of the session's
    papers (市十七届人大三次会议文件之一, …会议资料) gives the session but never a date.
  - A date is the dateline's own only when nothing but spaces, 在 and the place stand between it and
    the session; another date nearby (the title's, a 发布日期, "（2021年1月6日修订稿）") is not. A
    line holding only the session phrase ("——在…会议上", "（在…会议上）") is a dateline without a
    date before it: it gives the session and the place, and the date that follows it alone, in
    brackets or on the next line ("——在…会议上\n（2021年1月6日）"), is its own. Its place follows 在 or is made of names
    the division table knows (or 市, 县 …): "认真落实市五届人大一次会议\n确定的…" is a sentence.
  - The title's date stands in for a dateline without a date of its own, or when there is no
    dateline at all, only when it stands alone in brackets right after the title word (or on the
    line under it): by convention that date is the delivery date. When both carry one
    (政府工作报告（2021年1月5日）\n——2021年1月6日在…会议上), the dateline's own is the delivery date.
  - A date that is no calendar day (1月76日, 2月30日) is missing, never replaced.
* **Speaker**: ``[<region>人民政府|国务院|<place>][代][常务副|副]<office> <name>`` on its own line
  (市长 胡雪梅, 青云谱区人民政府区长 吴江辉, 驻马店市人民政府代市长王玲, 国务院总理 李强, 河南省省长 王凯),
  or after the dateline on the same line. The office word starts the line or follows the
  government, the place, the dateline or a label's colon (报告人：市长 张三): inside another word it
  is none (会议主席团 is the presidium, not a 主席). A deputy keeps his title (副市长, 常务副市长): he is
  not the head. The office word list and the level each implies are in ``metadata_patterns.toml``.
* **National report**: when the dateline names the national congress (第十四届全国人民代表大会…);
  without a dateline, when the speaker is the 总理; without either, when the preamble speaks for the
  State Council (我代表国务院, ``[national] markers``). A local report's preamble may mention the
  national congress or the premier: that never makes it the national report.
* **Region**: the most specific division named in the dateline place, else the speaker's office, else
  the title ("(江西省)2024年九江市浔阳区人民政府工作报告" → 浔阳区, with 九江市 and 江西省 stated).
  Names are matched against ``admin_divisions.csv`` (official division codes, current and former
  names). Province, parent and code are taken from the text where stated, else from that table — but
  only when the name is unambiguous or the text disambiguates it (鼓楼区 exists in four cities: the
  province or parent named in the text, or mentioned in the body far more than the others' decides;
  otherwise they stay missing). A name the table does not know (renamed places) keeps its text name;
  its level then comes from the suffix or the speaker's office. When no place is named at all, an
  office that implies one level (县长, 区长, 省长 — not 市长) still gives ``region_level``.
* **No name in title, dateline or speaker line** (some scraped pages): the report's self-reference
  (我代表市人民政府 / 我市 → a 市) and the division names of that kind mentioned in the body decide,
  but only when one name is mentioned at least three times (or twice, with one of its own counties or
  districts named too) and at least twice as often as any other of that kind. A two-character bare
  name (合作, 长安) counts only when its full name (合作市) appears too: such names are also words.
* **Conventions**: ``parent_name`` is the prefecture of a county-level unit and the province of a
  prefecture (or of a county-level unit directly under a province, 仙桃市); a province-level unit
  (河南省, 北京市) has itself as ``province_name`` and no parent. ``region_code`` is the code in the
  division table: today's code, or the last one of a former name (莱芜市 371200).
* **Years**: evidence is weighed — the year of the dateline's own date, else of the title's date
  (read as above, also when the dateline says 通过) (2), title year (2), review heading year + 1 (2.5:
  一、2001年工作回顾 → 2002), plan/tasks heading years (1.5 each), "YYYY年是…" at the start of a
  plan/tasks section (1). The year with the most weight wins; a tie leaves it missing.
  ``review_year`` is the latest year in the review heading, else the year the review section opens
  with ("刚刚过去的2016年", "2017年，"), else ``report_year - 1`` when there is a review section
  (reviews always close with the year before the session).
  A year, here and in dates, is four digits of their own, never the tail of a longer run of digits
  (32021年 and 一二〇二一年 are no 2021年).
* **is_term_review**: True when the report has a term_review section (本届政府工作回顾, 过去五年,
  "十三五"…回顾), False when it has only a one-year review, None when it has no review section.
"""
from __future__ import annotations

import datetime
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .frames import plain_columns
from .structure import chinese_number, read_lexicon_csv, read_lexicon_text

METADATA_KEYS = (
    "title", "region_name", "region_level", "province_name", "parent_name", "region_code",
    "report_year", "review_year", "delivered_date", "speaker_name", "speaker_title",
    "congress_session", "is_term_review",
)
REGION_LEVELS = ("national", "province", "prefecture", "county_city", "county", "district", "other")

_YEAR_DIGITS = {"〇": "0", "零": "0", "○": "0", "O": "0", "o": "0", "Ｏ": "0", "0": "0", "一": "1",
                "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
# a year is four digits of their own: not the end of a longer run (32021年 is no 2021年, 一二〇二一年 no
# 二〇二一年), so each form looks behind for a digit of its kind. The look-behind stands after the
# year's first digit (it looks back over that digit and the character before it): every form then
# opens with a literal, and a search skips ahead to the next 1, 2, 一 or 二 instead of testing the
# look-behind at every character; the matches are the same.
_CN_DIGIT_BEFORE = r"\d〇零○OoＯ一二三四五六七八九十百千"
_CN_YEAR_DIGITS = "[〇零○OoＯ0一二三四五六七八九]{3}"
_YEAR = (r"1(?<!\d1)9\d\d|2(?<!\d2)0\d\d"
         rf"|一(?<![{_CN_DIGIT_BEFORE}]一){_CN_YEAR_DIGITS}|二(?<![{_CN_DIGIT_BEFORE}]二){_CN_YEAR_DIGITS}")
_MONTH_DAY = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
# 元月 is January in a dated line (2021年元月6日)
_DATE = re.compile(
    rf"(?P<y>{_YEAR})\s*年\s*(?P<m>{_MONTH_DAY}|元)\s*月\s*(?P<d>{_MONTH_DAY})\s*[日号]"
)


def _spaced(word: str) -> str:
    """A word as a pattern that also matches it broken by spaces or a line break (人民\n代表大会)."""
    return r"\s*".join(map(re.escape, word))


_NUMBER = r"[一二三四五六七八九十\d](?:\s*[一二三四五六七八九十\d]){0,2}"
# the session phrase from its 届 on (届人大二次会议, 届全国人民代表大会常务委员会第三次会议)
_MEETING_FROM_JIE = re.compile(
    rf"届\s*(?P<national>{_spaced('全国')})?\s*(?:{_spaced('人民代表大会')}|{_spaced('人大')})\s*"
    rf"(?P<committee>{_spaced('常务委员会')}|{_spaced('常委会')})?\s*第?\s*(?P<session>{_NUMBER})\s*次"
    rf"\s*(?:{_spaced('全体')})?\s*{_spaced('会议')}"
)
_MEETING = re.compile(
    rf"(?P<place>[^\s\d，,。！？：:（）()—\-]{{0,20}}?)\s*第?\s*(?P<term>{_NUMBER})\s*{_MEETING_FROM_JIE.pattern}"
)
# Before the 届 of a session phrase stand at most the place (20 characters), 第 and the term's three
# digits, spaces aside.
_MEETING_CHARS_BEFORE_JIE = 24


def _search_meeting(text: str, pos: int, endpos: int) -> re.Match | None:
    """``_MEETING.search(text, pos, endpos)``, started shortly before the first 届 that a session
    phrase can go on from, instead of at ``pos``.

    Why: the pattern opens with a lazy place of up to 20 characters, so a search tries some twenty
    steps at every character, and a preamble without a dateline of its own is searched whole. Every
    match holds a 届 that :data:`_MEETING_FROM_JIE` matches at, at or after the first such one
    from ``pos``, with at most :data:`_MEETING_CHARS_BEFORE_JIE` characters other than spaces before
    it; so no match starts earlier than that many such characters before that 届, and the pattern
    (without anchors or look-behinds) matches at a position whatever the search's start.
    """
    jie = text.find("届", pos, endpos)
    while jie != -1 and _MEETING_FROM_JIE.match(text, jie, endpos) is None:
        jie = text.find("届", jie + 1, endpos)
    if jie == -1:
        return None
    start, counted = jie, 0
    while start > pos and (counted < _MEETING_CHARS_BEFORE_JIE or text[start - 1].isspace()):
        if not text[start - 1].isspace():  # str.isspace and \s agree on whitespace
            counted += 1
        start -= 1
    return _MEETING.search(text, start, endpos)


def _meetings(text: str):
    """``_MEETING.finditer(text)`` (the matches never overlap and are never empty)."""
    pos = 0
    while (meeting := _search_meeting(text, pos, len(text))) is not None:
        yield meeting
        pos = meeting.end()


# after the session: 上 (delivered there), or words of adoption (通过, 审议通过, 批准, 上审议通过)
_DATELINE_TAIL = re.compile(r"[ \t\u3000]*(?P<verb>上?[ \t\u3000]*(?:审议)?[ \t\u3000]*(?:通过|批准)|上)?")
# a date in brackets right after the title word, alone in them: 政府工作报告（2021年1月6日）
_TITLE_DATE = re.compile(rf"[（(]{_DATE.pattern}[）)]")
# what cannot belong to the place of a dateline: a date's digits, brackets, dashes, punctuation.
# Between the title's date and a dateline without a date of its own ("（2021年1月6日）\n——在…")
# the place starts after the last of these.
_SPACE = re.compile(r"\s")
_NOT_PLACE = re.compile(r"[\d，,。！？：:（）()【】\[\]<>《》—\-－]")
_HAN = "\u4e00-\u9fff"
_SUFFIX_ALT = "特别行政区|自治区|自治州|自治县|自治旗|地区|新区|省|市|县|区|州|盟|旗"
_ADMIN_SUFFIX = re.compile(rf"(?:{_SUFFIX_ALT})$")
# the government a speaker line may name before the office: 驻马店市人民政府, 某地区行政公署
_GOVERNMENT = "(?:人民政府|政府|行政公署|行署)"


def chinese_year(raw: str) -> int | None:
    """A year written in Arabic or Chinese digits: ``二〇二一`` / ``二O二一`` / ``二0二一`` → 2021."""
    raw = raw.strip()
    if re.fullmatch(r"\d{4}", raw):
        return int(raw)
    digits = "".join(_YEAR_DIGITS.get(ch, "?") for ch in raw)
    if len(digits) == 4 and "?" not in digits:
        year = int(digits)
        return year if 1949 <= year <= 2100 else None
    return None


def _small_number(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if raw.isdigit() else chinese_number(raw)


_CN_UNITS = "零一二三四五六七八九"


def _to_chinese(value: int) -> str:
    if value < 10:
        return _CN_UNITS[value]
    tens, units = divmod(value, 10)
    return ("" if tens == 1 else _CN_UNITS[tens]) + "十" + ("" if units == 0 else _CN_UNITS[units])


# --------------------------------------------------------------------------------------------------
# lexicons
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Division:
    region_code: str
    region_name: str
    region_level: str
    province_name: str | None
    parent_name: str | None
    is_current: bool


@lru_cache(maxsize=1)
def _config() -> dict:
    return tomllib.loads(read_lexicon_text("metadata_patterns.toml"))


@lru_cache(maxsize=1)
def divisions() -> dict[str, tuple[Division, ...]]:
    """Administrative divisions by full name (``admin_divisions.csv``)."""
    by_name: dict[str, list[Division]] = {}
    for row in read_lexicon_csv("admin_divisions.csv"):
        d = Division(
            region_code=row["region_code"], region_name=row["region_name"], region_level=row["region_level"],
            province_name=row["province_name"] or None, parent_name=row["parent_name"] or None,
            is_current=row["is_current"] == "true",
        )
        by_name.setdefault(d.region_name, []).append(d)
    return {name: tuple(items) for name, items in by_name.items()}


@lru_cache(maxsize=1)
def _ethnic_groups() -> tuple[str, ...]:
    names = [ln.strip() for ln in read_lexicon_text("admin_ethnic_groups.txt").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return tuple(sorted(names, key=len, reverse=True))


def bare_name(name: str) -> str:
    """A division name without its admin suffix and ethnic descriptor: 广西壮族自治区 → 广西.

    Names that would shrink to one character keep their suffix (城区, 郊区).
    """
    bare = _BARE_NAMES.get(name)
    if bare is None:
        bare = _BARE_NAMES[name] = _strip_name(name)
    return bare


# bare names already computed: the same few thousand division names are stripped again and again
# (body mentions, slogans), and each strip tries every ethnic group
_BARE_NAMES: dict[str, str] = {}


def _strip_name(name: str) -> str:
    stripped = _ADMIN_SUFFIX.sub("", name)
    changed = True
    while changed:
        changed = False
        for group in _ethnic_groups():
            if stripped.endswith(group) and len(stripped) > len(group):
                stripped = stripped[: -len(group)]
                changed = True
    return stripped if len(stripped) >= 2 else name


@lru_cache(maxsize=1)
def _compiled() -> dict:
    cfg = _config()
    titles = sorted(cfg["speaker_titles"], key=len, reverse=True)
    title_alt = "|".join(re.escape(t) for t in titles)
    return {
        # the office word starts the speaker line, or follows the government, the place or the end
        # of the dateline on the same line: never inside another word (会议主席团, 副市长 read as 市长)
        "speaker": re.compile(
            rf"(?:^|(?<=[\s\u3000上过）)—\-－、：:“「『（(【]))"
            rf"(?P<office>(?:[{_HAN}]{{2,16}}?{_GOVERNMENT}|国务院)?)"
            rf"(?:[{_HAN}]{{0,14}}?(?:{_SUFFIX_ALT}))?[ \t\u3000]*(?P<acting>代理?)?(?P<deputy>(?:常务)?副)?"
            rf"(?P<title>{title_alt})[ \t\u3000]*"
            rf"(?:(?P<name>[{_HAN}·•]{{2,12}}?)|(?P<spaced_name>[{_HAN}](?:[ \t\u3000]{{1,4}}[{_HAN}]){{1,2}}))"
            rf"[ \t\u3000]*(?=\n|$|各位代表)",
            re.M,
        ),
        # the office words alone: a speaker line holds one (see ``_find_speaker``)
        "speaker_title": re.compile(title_alt) if all("\n" not in t for t in titles) else None,
        "header_line": re.compile(rf"^\s*(?:{'|'.join(map(re.escape, cfg['header_keys']))})\s*[：:]"),
        "name_chain": re.compile(
            rf"[{_HAN}]{{1,12}}?(?:特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|县|区|州|盟|旗)"
        ),
    }


# --------------------------------------------------------------------------------------------------
# pieces
# --------------------------------------------------------------------------------------------------
def _preamble_end(text: str, rows: list) -> int:
    for level, kind, start, end, title in rows:
        if kind == "preamble" and end > 0:
            return end
    return min(len(text), 3000)


_PINYIN_GLOSS = re.compile(r"[（(][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,7}[)）]")


def _lines(text: str, end: int) -> list[str]:
    """Preamble lines without scraper-header lines and without pinyin glosses 镇(zhèn)."""
    header = _compiled()["header_line"]
    return [_PINYIN_GLOSS.sub("", ln).strip() for ln in text[:end].split("\n")
            if ln.strip() and not header.match(ln)]


def _find_title(lines: list[str]) -> tuple[str | None, str]:
    """The title, and the rest of its line after the title word (where a date in brackets may follow).

    When the title word ends its line, the rest is the next line: the date is often set under the
    title (政府工作报告\n（2021年1月6日）).
    """
    cfg = _config()
    word = cfg["title_word"]
    for i, line in enumerate(lines):
        squeezed = re.sub(r"[\s\u3000]", "", line)
        at = squeezed.find(word)
        if at < 0 and "\ufffd" in squeezed:
            damaged = _damaged_word(word).search(squeezed)
            at = damaged.start() if damaged else -1
        if at < 0 or at > 30 or any(bad in squeezed for bad in cfg["not_title"]):
            continue
        if re.search(r"[，,。：:！？]", squeezed[:at]):
            continue  # a sentence that mentions the report (我代表…向大会作政府工作报告), not a title
        rest = squeezed[at + len(word):]
        if not rest and i + 1 < len(lines):
            rest = re.sub(r"[\s\u3000]", "", lines[i + 1])
        return squeezed[: at + len(word)], rest
    return None, ""


@lru_cache(maxsize=4)
def _damaged_word(word: str) -> re.Pattern:
    """``word`` with one of its characters lost: U+FFFD in its place (the cleaner's mark of a
    character it could not recover, 政府工作�告). The title is then kept as the text states it."""
    return re.compile("|".join(re.escape(word[:k]) + "\ufffd" + re.escape(word[k + 1:]) for k in range(len(word))))


def _valid_date(date: re.Match) -> tuple[int, int, int] | None:
    """(year, month, day) of a ``_DATE`` match, or None when it is no calendar day (1月76日, 2月30日)."""
    year = chinese_year(date.group("y"))
    month = 1 if date.group("m") == "元" else _small_number(date.group("m"))
    day = _small_number(date.group("d"))
    if year is None or not month or not day:
        return None
    try:
        datetime.date(year, month, day)
    except ValueError:
        return None
    return year, month, day


def _title_date(rest: str) -> tuple[int, int, int] | None:
    """The date in brackets right after the title (政府工作报告（2021年1月6日）), alone in them.

    By convention that is the day the report was delivered; it is the delivery date only when the
    report has no dateline or a dateline without a date of its own (and not when it says 通过).
    """
    m = _TITLE_DATE.match(rest)
    return _valid_date(m) if m else None


# what a sentence goes on with after naming a session; a dateline ends there (or says 上/通过 and
# the speaker follows on its line)
_SENTENCE_GOES_ON = re.compile(r"[ \t\u3000]*[，,。；;：:！？、的]")
# a label of the session's papers on a page ("市十七届人大三次会议文件之一", "…会议资料")
_DOCUMENTS_LABEL = re.compile(r"[ \t\u3000]*(?:文件|资料)(?:之[一二三四五六七八九十\d]{1,3})?[ \t\u3000]*(?:\n|$)")
_LINE_ENDS = re.compile(r"[ \t\u3000]*(?:\n|$|[）)】\]])")


def _ends_dateline(preamble: str, tail: re.Match) -> bool:
    """Whether the session phrase (up to ``tail``, its 上/通过) ends a dateline, not a sentence's clause.

    A dateline ends with its line or its bracket ("…会议上\n", "（…会议）"), or says 上 or 通过 and
    the speaker follows ("…会议通过驻马店市人民政府市长陈星"). "…会议选举产生以来", "…会议胜利召开",
    "…会议上，我们…" are sentences.
    """
    if _LINE_ENDS.match(preamble, tail.end()):
        return True
    return bool(tail.group("verb")) and not _SENTENCE_GOES_ON.match(preamble, tail.end())


@dataclass
class _Dateline:
    date: tuple[int, int, int] | None   # the dateline's own date, when it is a calendar day
    dated: bool                         # the dateline states a date of its own (a calendar day or not)
    adopted: bool
    place: str
    congress_session: str | None
    national: bool


def _find_dateline(preamble: str) -> _Dateline | None:
    """The dateline: a date followed (within 60 characters) by a congress session.

    The date is the last one before the meeting: in "政府工作报告（2021年1月5日）\n——2021年1月6日在
    十堰市…会议上" the dateline's own date (1月6日) is the delivery date, not the title's. The date is
    the dateline's own only when nothing but spaces, 在 and the place stand between it and the session
    (a line break may: "2021年1月6日\n在十堰市…"). Any other date near the session (the title's in
    "（2021年1月6日）\n——在十堰市…", a 发布日期, a 修订稿 note) only locates the dateline, which then has
    no date of its own (``dated`` False): the caller may take the title's date by its convention.
    Without any date near a session, a line holding only the session phrase is a dateline too
    ("——在十堰市第五届人民代表大会第一次会议上"), without a date of its own.
    """
    dates = list(_DATE.finditer(preamble))
    for i, date in enumerate(dates):
        meeting = _search_meeting(preamble, date.end(), date.end() + 60)
        if meeting is None:
            continue
        between = preamble[date.end():meeting.start()]
        if re.search(r"[。！？]", between) or len(re.sub(r"\s|在", "", between)) > 20:
            continue
        # a later date before the session's number is the meeting's own; the place then starts after
        # it (十堰市, not 日在十堰市: the place may hold a date in Chinese numerals, 二〇二一年一月六日在…)
        later = [d for d in dates[i + 1:] if d.end() <= meeting.start("term")]
        if later:
            own_meeting = _search_meeting(preamble, later[-1].end(), later[-1].end() + 60)
            if own_meeting is not None and own_meeting.end() == meeting.end():
                date, meeting = later[-1], own_meeting
                between = preamble[date.end():meeting.start()]
        # own date: between it and the session's number only spaces, 在 and the place's characters
        # (a place name holds no 在: "2021年1月6日修订稿在十堰市" is a note's date, not the dateline's)
        lead = _SPACE.sub("", preamble[date.end():meeting.start("term")])
        dated = re.fullmatch(rf"在?[{_HAN}]*", lead) is not None and "在" not in lead[1:]
        cut = None
        for cut in _NOT_PLACE.finditer(between):
            pass
        if cut is not None:
            between = between[cut.end():]
        tail = _DATELINE_TAIL.match(preamble, meeting.end())
        label = _DOCUMENTS_LABEL.match(preamble, meeting.end())
        if label:
            dated = False  # a label of the session's papers: the session's, but no date of its own
        elif not _ends_dateline(preamble, tail):
            continue  # the session is named in a sentence (…会议选举产生以来, …会议上，我们…)
        elif not dated and (after := _DATE_AFTER_DATELINE.match(preamble, tail.end())):
            return _dateline_of(meeting, between, tail, _valid_date(after), True)  # its own, after it
        return _dateline_of(meeting, between, tail, _valid_date(date) if dated else None, dated)
    # no date near a session: a line that holds nothing but the session phrase (after dashes, a
    # bracket, or the remnant of a date that is none, 32021年1月6日) and ends with it is a dateline
    # without a date of its own
    for meeting in _meetings(preamble):
        line_start = preamble.rfind("\n", 0, meeting.start()) + 1
        head, at, place = meeting.group("place").rpartition("在")
        if not _DATELESS_LEAD.fullmatch(_SPACE.sub("", preamble[line_start:meeting.start()]) + head):
            continue
        if not at and not _plain_place(place):
            continue  # a sentence's words before the session (认真落实市五届人大一次会议\n确定的…)
        tail = _DATELINE_TAIL.match(preamble, meeting.end())
        if _DOCUMENTS_LABEL.match(preamble, meeting.end()):
            return _dateline_of(meeting, "", tail, None, False)
        if _ends_dateline(preamble, tail):
            # its date may follow it, alone in brackets or on the next line ("——在…会议上\n（2021年1月6日）")
            after = _DATE_AFTER_DATELINE.match(preamble, tail.end())
            if after:
                return _dateline_of(meeting, "", tail, _valid_date(after), True)
            return _dateline_of(meeting, "", tail, None, False)
    return None


# a date right after a dateline without one, alone: in brackets on its line, or alone on the next line
_DATE_AFTER_DATELINE = re.compile(
    rf"[ \t\u3000]*(?:\n[ \t\u3000]*)?(?P<open>[（(])?[ \t\u3000]*{_DATE.pattern}[ \t\u3000]*(?(open)[）)])[ \t\u3000]*(?=\n|$)"
)


def _plain_place(place: str) -> bool:
    """Whether ``place`` is nothing, a bare level word (市, 自治区) or division names the table knows."""
    return not place or _ADMIN_SUFFIX.fullmatch(place) is not None or "".join(_name_chain(place)) == place


# what may stand before the session phrase on a dateline without a date of its own
_DATELESS_LEAD = re.compile(r"[—\-－~～（(【\[]*[\d年月日号元〇零○OoＯ一二三四五六七八九十]*")


def _dateline_of(meeting: re.Match, before: str, tail: re.Match, date, dated: bool) -> _Dateline:
    """The dateline of a session phrase; ``before``: the text between its date and the phrase."""
    term = _small_number(_SPACE.sub("", meeting.group("term")))
    session = _small_number(_SPACE.sub("", meeting.group("session")))
    national = bool(meeting.group("national"))
    congress = None
    if term and session:
        # a standing committee's meeting keeps its name: its N-th meeting is not the congress's N-th
        # session (常委会 meets every month or two; its 第三次会议 is no plenary session)
        committee = "常务委员会" if meeting.group("committee") else ""
        congress = (f"第{_to_chinese(term)}届{'全国' if national else ''}人民代表大会{committee}"
                    f"第{_to_chinese(session)}次会议")
    # the place starts after the last 在 (no division name holds one): "来源十堰日报在十堰市" → 十堰市
    place = _SPACE.sub("", before + meeting.group("place")).rpartition("在")[2]
    return _Dateline(
        date=date,
        dated=dated,
        adopted=bool(tail.group("verb")) and tail.group("verb") != "上",
        place=place,
        congress_session=congress,
        national=national,
    )


@dataclass
class _Speaker:
    name: str
    title: str      # as stated: 市长, 代市长, 副市长, 常务副市长
    office: str     # the government named before it (驻马店市人民政府), or ""
    head: str       # the office word alone (市长): the level it implies is in the lexicon


_SPACES_IN_NAME = re.compile(r"[ \t\u3000]+")


def _find_speaker(preamble: str) -> _Speaker | None:
    for m in _speaker_matches(preamble):
        # a name of two or three characters set with spaces between them, to align it with longer
        # names (市长　王　伟) is the name without the spaces
        name = m.group("name") or _SPACES_IN_NAME.sub("", m.group("spaced_name"))
        plain = re.sub(r"[·•]", "", name)
        if len(plain) > 4 and "·" not in name and "•" not in name:
            continue
        title = ("代" if m.group("acting") else "") + (m.group("deputy") or "") + m.group("title")
        return _Speaker(name=name, title=title, office=m.group("office") or "", head=m.group("title"))
    return None


def _speaker_matches(preamble: str):
    """``_compiled()["speaker"].finditer(preamble)``, searched only on the lines with an office word.

    A speaker match never spans a line break and holds an office word, so the lines without one
    (most of a preamble) need no search; the pattern's optional office prefix is slow to try at
    every character.
    """
    pats = _compiled()
    if pats["speaker_title"] is None:
        yield from pats["speaker"].finditer(preamble)
        return
    line_end = -1
    for word in pats["speaker_title"].finditer(preamble):
        if word.start() < line_end:
            continue  # this line is done
        line_start = preamble.rfind("\n", 0, word.start()) + 1
        line_end = preamble.find("\n", word.start())
        if line_end < 0:
            line_end = len(preamble)
        yield from pats["speaker"].finditer(preamble, line_start, line_end)


def _name_chain(source: str) -> list[str]:
    """Division names in ``source`` in order, known names preferred: 九江市浔阳区 → [九江市, 浔阳区]."""
    known = divisions()
    chain = []
    pos = 0
    while pos < len(source):
        best = None
        for length in range(min(14, len(source) - pos), 1, -1):
            piece = source[pos:pos + length]
            if piece in known:
                best = piece
                break
        if best:
            chain.append(best)
            pos += len(best)
        else:
            pos += 1
    return chain


def _unknown_name(source: str) -> str | None:
    """A division-like name the table does not know (a renamed place), e.g. in a dateline place."""
    m = _compiled()["name_chain"].fullmatch(source) if source else None
    bare = _ADMIN_SUFFIX.sub("", source) if source else ""
    # "市", "自治区" alone (市十六届人大…) refer to the region without naming it
    if m and len(bare) >= 2 and not bare.endswith("自治"):
        return source
    return None


@dataclass
class _Region:
    name: str | None = None
    level: str | None = None
    province: str | None = None
    parent: str | None = None
    code: str | None = None


def _mentions(text: str, name: str) -> int:
    bare = bare_name(name)
    return text.count(bare) if bare != name else text.count(name)


def _resolve(name: str, stated: list[str], text: str) -> _Region:
    """Fill level, province, parent and code for ``name`` from the table, without guessing."""
    region = _Region(name=name)
    candidates = list(divisions().get(name, ()))
    stated_set = set(stated)
    if candidates and stated_set:
        narrowed = [c for c in candidates if c.province_name in stated_set or c.parent_name in stated_set]
        if narrowed:
            candidates = narrowed
    if len({c.region_code for c in candidates}) > 1:
        # disambiguate by how often the text names each candidate's parent / province
        scores = []
        for c in candidates:
            score = 0
            for anc in {c.parent_name, c.province_name} - {None}:
                score += _mentions(text, anc)
            scores.append(score)
        order = sorted(range(len(candidates)), key=lambda i: -scores[i])
        best, second = scores[order[0]], scores[order[1]]
        # a rival named too: the best needs two mentions and three times the rival's; else one
        if (best >= 2 and best >= 3 * second) if second else best >= 1:
            candidates = [candidates[order[0]]]
    if not candidates:
        return region
    codes = {c.region_code for c in candidates}
    levels = {c.region_level for c in candidates}
    provinces = {c.province_name for c in candidates}
    parents = {c.parent_name for c in candidates}
    if len(levels) == 1:
        region.level = levels.pop()
    if len(provinces) == 1:
        region.province = provinces.pop()
    if len(parents) == 1:
        region.parent = parents.pop()
    if len(codes) == 1:
        region.code = codes.pop()
    if region.level == "province":
        region.parent = None
    return region


def _level_from_suffix(name: str, speaker_level: str | None) -> str | None:
    if name.endswith(("省", "自治区")):
        return "province"
    if name.endswith(("自治州", "地区", "盟")):
        return "prefecture"
    if name.endswith(("县", "旗")):
        return "county"
    if name.endswith("区"):
        return "district"
    return speaker_level or None


def _self_suffix(text: str, preamble: str) -> str | None:
    refs = _config()["self_reference"]
    for suffix, phrases in refs.items():
        if phrases[0] in preamble or phrases[0] in text[:3000]:
            return suffix
    counts = {suffix: sum(text.count(p) for p in phrases[1:]) for suffix, phrases in refs.items()}
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if ranked[0][1] >= 3 and ranked[0][1] >= 3 * max(ranked[1][1], 1):
        return ranked[0][0]
    return None


@lru_cache(maxsize=1)
def _children() -> dict[str, frozenset[str]]:
    """Bare names of the divisions directly under each division (by the parent's full name)."""
    children: dict[str, set[str]] = {}
    for name, items in divisions().items():
        for d in items:
            if d.parent_name:
                children.setdefault(d.parent_name, set()).add(bare_name(name))
    return {name: frozenset(kids) for name, kids in children.items()}


@dataclass(frozen=True)
class _BodyCandidate:
    name: str                 # full name
    bare: str                 # bare name
    kids: tuple[str, ...]     # bare names of its counties or districts


@lru_cache(maxsize=None)
def _body_candidates(suffix: str) -> tuple[_BodyCandidate, ...]:
    """The divisions a self-reference (我市, 我区 …) may mean, with their children."""
    kinds = {"市": ("prefecture", "county_city", "province"), "区": ("district",), "县": ("county",),
             "省": ("province",), "州": ("prefecture",), "旗": ("county",)}[suffix]
    children = _children()
    return tuple(
        _BodyCandidate(name, bare_name(name), tuple(sorted(children.get(name, ()))))
        for name, items in divisions().items()
        if name.endswith(suffix) and any(d.region_level in kinds for d in items)
    )


def _bigram_code(pair: str) -> int | None:
    """Key of a two-character string in ``_BodyIndex`` (None beyond the BMP or if shorter)."""
    if len(pair) != 2 or max(pair) > "\uffff":
        return None
    return ord(pair[0]) << 16 | ord(pair[1])


@dataclass(frozen=True)
class _BodyIndex:
    """The candidates of one suffix by the first two characters of their bare names.

    A name can only occur in a text that holds its first two characters side by side. Finding
    where the text holds any of these prefixes (``prefix_offsets``) spares a search of the whole
    text for each of the hundreds of candidates and their children.
    """
    by_prefix: dict[int, tuple[_BodyCandidate, ...]]   # prefix key → candidates
    other: tuple[_BodyCandidate, ...]                   # prefixes with no key (beyond the BMP)
    kid_keys: dict[str, int | None]                     # bare name of a child → its prefix key
    rows: np.ndarray        # int16 per UTF-16 unit: row of ``table`` for a first character, or -1
    cols: np.ndarray        # int16 per UTF-16 unit: column of ``table`` for a second character, or -1
    table: np.ndarray       # bool [row, col]: the two characters are a prefix

    def prefix_offsets(self, text: str) -> tuple[dict[int, list[int]], bool]:
        """Offsets in ``text`` of each prefix key that occurs there, in text order, and whether they
        are the text's own offsets.

        In UTF-16 every BMP character is one code unit, so adjacent code units give every bigram of
        BMP characters at once (a surrogate half is never a prefix character); the offsets count code
        units, which are the text's offsets unless it holds characters beyond the BMP.
        """
        units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
        exact = len(units) == len(text)
        if len(units) < 2:
            return {}, exact
        rows = self.rows.take(units[:-1])  # (take: half the cost of indexing with the array)
        cols = self.cols.take(units[1:])
        at = np.flatnonzero((rows >= 0) & (cols >= 0))
        at = at[self.table[rows[at], cols[at]]]
        # A hundred or so places: grouped in Python, cheaper than sorting them with numpy.
        keys = (units[at].astype(np.uint32) << 16 | units[at + 1]).tolist()
        offsets: dict[int, list[int]] = {}
        for key, pos in zip(keys, at.tolist()):
            found = offsets.get(key)
            if found is None:
                offsets[key] = [pos]
            else:
                found.append(pos)
        return offsets, exact


@lru_cache(maxsize=None)
def _body_index(suffix: str) -> _BodyIndex:
    by_prefix: dict[int, list[_BodyCandidate]] = {}
    other = []
    kid_keys: dict[str, int | None] = {}
    for cand in _body_candidates(suffix):
        code = _bigram_code(cand.bare[:2])
        if code is None:
            other.append(cand)
        else:
            by_prefix.setdefault(code, []).append(cand)
        for kid in cand.kids:
            kid_keys[kid] = _bigram_code(kid[:2])
    keys = sorted({*by_prefix, *(k for k in kid_keys.values() if k is not None)})
    firsts = sorted({k >> 16 for k in keys})
    seconds = sorted({k & 0xFFFF for k in keys})
    rows = np.full(1 << 16, -1, dtype=np.int16)
    cols = np.full(1 << 16, -1, dtype=np.int16)
    rows[firsts] = np.arange(len(firsts))
    cols[seconds] = np.arange(len(seconds))
    table = np.zeros((max(len(firsts), 1), max(len(seconds), 1)), dtype=bool)
    for k in keys:
        table[rows[k >> 16], cols[k & 0xFFFF]] = True
    return _BodyIndex({k: tuple(v) for k, v in by_prefix.items()}, tuple(other), kid_keys, rows, cols, table)


def _region_from_body(text: str, suffix: str) -> str | None:
    """The one division of the report's own kind that the body names far more than any other.

    Accepted when it is named at least three times, or twice with one of its counties or districts
    named too, and at least twice as often as any other division of that kind.
    """
    index = _body_index(suffix)
    offsets, exact = index.prefix_offsets(text)

    def count(piece: str, code: int | None) -> int:
        """``text.count(piece)``, from the offsets of the piece's first two characters."""
        if code is None or not exact:
            return text.count(piece) if code is None or code in offsets else 0
        n, free = 0, 0
        for at in offsets.get(code, ()):
            if at >= free and text.startswith(piece, at):
                n, free = n + 1, at + len(piece)
        return n

    candidates = [(c, code) for code in offsets for c in index.by_prefix.get(code, ())]
    candidates += [(c, None) for c in index.other if len(c.bare) >= 2 and c.bare[:2] in text]
    counts = []
    for cand, code in candidates:
        name, bare = cand.name, cand.bare
        # two-character bare names are often ordinary words (合作, 长安, 和平): they count only when
        # the full name appears too
        full = count(name, code)
        n = count(bare, code) if (len(bare) >= 3 or full) else full
        if n:
            support = sum(1 for kid in cand.kids if len(kid) >= 2 and count(kid, index.kid_keys[kid]))
            counts.append((n, support, name))
    counts.sort(reverse=True)
    if not counts:
        return None
    top_n, support, top = counts[0]
    second = counts[1][0] if len(counts) > 1 else 0
    if (top_n >= 3 or (top_n >= 2 and support >= 1)) and top_n >= 2 * second:
        return top
    return None


def _section_rows(sections: pd.DataFrame) -> list[tuple[int, str, int, int, str]]:
    """(level, type, start, end, title) of each section, as plain Python values."""
    if not len(sections):
        return []
    return [
        (int(lv), str(ty), int(s), int(e), t if isinstance(t, str) else "")
        for lv, ty, s, e, t in zip(*plain_columns(sections, ("level", "section_type", "char_start",
                                                             "char_end", "title")))
    ]


def _section_titles(rows: list, types: tuple[str, ...], level: int = 1) -> list[tuple[int, int, str]]:
    return [(s, e, t) for lv, ty, s, e, t in rows if lv == level and ty in types]


_YEAR_IN_TEXT = re.compile(rf"({_YEAR})\s*年")
# Both are applied at an offset (right after a section's title) with ``pattern.match(body, pos)``:
# that anchors them there. A ``^`` would not — without re.M it only matches at offset 0 — and the
# rules would silently never fire after a title.
_REVIEW_OPENING = re.compile(rf"\s*(?:(?:刚刚过去的|过去的)\s*({_YEAR})\s*年|({_YEAR})\s*年\s*[，,是])")
_REVIEW_OPENING_PHRASE = re.compile(rf"(?:刚刚过去的|过去的)\s*({_YEAR})\s*年")
_YEAR_IS = re.compile(rf"\s*({_YEAR})\s*年\s*是")


def _years_in(title: str) -> list[int]:
    return [y for y in (chinese_year(m.group(1)) for m in _YEAR_IN_TEXT.finditer(title)) if y]


def _title_year(title: str | None) -> int | None:
    if not title:
        return None
    m = re.match(rf"^[^\d一二]*?({_YEAR})\s*年(?!\s*(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}}|元)\s*月)", title)
    return chinese_year(m.group(1)) if m else None


# --------------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------------
def extract_metadata(text: str, sections: pd.DataFrame) -> dict:
    """Read a report's metadata from its clean text.

    Parameters
    ----------
    text : str
        The clean text.
    sections : pandas.DataFrame
        ``structure.parse_sections(text)``.

    Returns
    -------
    dict
        ``title`` (str), ``region_name`` (full name as the report uses it, e.g. 景德镇市, 青云谱区,
        中华人民共和国), ``region_level`` (national | province | prefecture | county_city | county |
        district | other), ``province_name``, ``parent_name`` (南昌市 for 青云谱区; the province for a
        prefecture), ``region_code`` (6-digit division code, str), ``report_year`` (int),
        ``review_year`` (int), ``delivered_date`` (YYYY-MM-DD), ``speaker_name``, ``speaker_title``
        (市长, 代市长, 区长, 县长, 省长, 总理 …), ``congress_session`` (第十六届人民代表大会第二次会议;
        第十六届人民代表大会常务委员会第三次会议 for a standing committee's meeting),
        ``is_term_review`` (bool). Every value the text does not state is ``None``.
    """
    cfg = _config()
    meta: dict = dict.fromkeys(METADATA_KEYS)
    rows = _section_rows(sections)
    pre_end = _preamble_end(text, rows)
    lines = _lines(text, pre_end)
    preamble = "\n".join(lines)

    meta["title"], after_title = _find_title(lines)
    dateline = _find_dateline(preamble)
    speaker = _find_speaker(preamble)
    title_date = _title_date(after_title)
    # the dateline's own date, else the title's (by convention); none when the dateline says 通过
    dated = dateline.date if dateline and dateline.dated else title_date
    delivered = None if dateline and dateline.adopted else dated
    if dateline:
        meta["congress_session"] = dateline.congress_session
    if delivered:
        y, m, d = delivered
        meta["delivered_date"] = f"{y:04d}-{m:02d}-{d:02d}"
    if speaker:
        meta["speaker_name"], meta["speaker_title"] = speaker.name, speaker.title
    speaker_level = cfg["speaker_titles"].get(speaker.head) if speaker else None

    # ---- region --------------------------------------------------------------------------------
    national_cfg = cfg["national"]
    # the dateline names the congress the report was delivered to: it decides. A local preamble may
    # mention the national congress or the premier (贯彻十四届全国人民代表大会二次会议精神).
    if dateline is not None:
        is_national = dateline.national
    elif speaker is not None:
        is_national = speaker.head == "总理"
    else:
        is_national = any(marker in preamble for marker in national_cfg["markers"])
    region = _Region()
    if is_national:
        region = _Region(name=national_cfg["region_name"], level="national")
    else:
        stated: list[str] = []
        chosen: str | None = None
        for source in (dateline.place if dateline else "", re.sub(rf"{_GOVERNMENT}$", "", speaker.office) if speaker else "",
                       meta["title"] or ""):
            chain = _name_chain(source)
            if chain:
                stated.extend(chain[:-1])
                if chosen is None:
                    chosen = chain[-1]
                else:
                    stated.extend(chain)
            elif chosen is None and source is not meta["title"]:
                unknown = _unknown_name(source)
                if unknown:
                    chosen = unknown
        if chosen is None:
            suffix = _self_suffix(text, preamble)
            if suffix:
                chosen = _region_from_body(text, suffix)
        if chosen:
            stated = [s for s in stated if s != chosen]
            region = _resolve(chosen, stated, text)
            if region.level is None:
                region.level = _level_from_suffix(chosen, speaker_level or None)
            # a parent or province the text states wins over the table
            for s in stated:
                for d in divisions().get(s, ()):
                    if d.region_level == "province" and region.province is None:
                        region.province = s
                    elif d.region_level == "prefecture" and region.level in ("county_city", "county", "district") \
                            and region.parent is None:
                        region.parent = s
    if region.name is None and speaker_level:
        # the office alone tells the level (县长 → county) even when the place is not named
        region.level = speaker_level
    meta["region_name"], meta["region_level"] = region.name, region.level
    meta["province_name"], meta["parent_name"], meta["region_code"] = region.province, region.parent, region.code

    # ---- years ---------------------------------------------------------------------------------
    votes: Counter = Counter()
    if dated:
        votes[dated[0]] += 2
    title_year = _title_year(meta["title"])
    if title_year:
        votes[title_year] += 2
    reviews = _section_titles(rows, ("review", "term_review"))
    review_heading_year = None
    for start, end, title in reviews:
        years = _years_in(title)
        if years:
            review_heading_year = max(years) if review_heading_year is None else max(review_heading_year, *years)
    if review_heading_year:
        votes[review_heading_year + 1] += 2.5
    for start, end, title in _section_titles(rows, ("plan", "tasks")):
        for y in set(_years_in(title)):
            votes[y] += 1.5
        body = text[start:end]
        title_at = body.find(title) + len(title) if title else 0
        m = _YEAR_IS.match(body, max(title_at, 0))
        if m:
            y = chinese_year(m.group(1))
            if y:
                votes[y] += 1
    if votes:
        ranked = votes.most_common()
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            meta["report_year"] = int(ranked[0][0])
    if review_heading_year:
        meta["review_year"] = review_heading_year
    elif reviews:
        start, end, title = reviews[0]
        body = text[start:end]
        after_title = body.find(title) + len(title) if title else 0
        # the year the review opens with ("2017年，…"), or a "刚刚过去的2016年" in its first words
        at = max(after_title, 0)
        m = _REVIEW_OPENING.match(body, at) or _REVIEW_OPENING_PHRASE.search(body, at, at + 40)
        y = chinese_year(next(g for g in m.groups() if g)) if m else None
        if y:
            meta["review_year"] = y
        elif meta["report_year"]:
            meta["review_year"] = meta["report_year"] - 1
    if rows:
        types = {kind for level, kind, *_ in rows if level == 1}
        if "term_review" in types:
            meta["is_term_review"] = True
        elif "review" in types:
            meta["is_term_review"] = False
    return meta


def report_slug(metadata: dict) -> str | None:
    """ASCII report-id stem: the place in pinyin without its admin suffix, and the year.

    景德镇市 2022 → ``jingdezhen-2022``; 青云谱区 2020 → ``qingyunpu-2020``; 中华人民共和国 2024 →
    ``china-2024``. ``None`` when the region or the report year is unknown (the caller falls back).
    """
    name = metadata.get("region_name")
    year = metadata.get("report_year")
    if not name or year is None or pd.isna(year):
        return None
    stem = _slug_stem(name)
    if stem is None:
        return None
    return f"{stem}-{int(year)}"


@lru_cache(maxsize=4096)
def _slug_stem(name: str) -> str | None:
    """The ASCII stem of a place name (see :func:`report_slug`; None when it has none), cached: a
    corpus holds the reports of a few places over many years, and pinyin lookups are slow."""
    overrides = _config()["slug_overrides"]
    if name in overrides:
        return overrides[name]
    return re.sub(r"[^a-z]", "", place_pinyin(bare_name(name))) or None


def place_pinyin(name: str) -> str:
    """A place name in toneless pinyin, with the readings place names take: 长治 → ``changzhi``.

    pypinyin reads each character as in everyday words (长 zhǎng, 都 dōu, 漯 tà), which misspells
    many division names; ``[place_name_readings]`` in ``metadata_patterns.toml`` lists whole names
    and characters whose place-name reading differs.
    """
    from pypinyin import lazy_pinyin

    readings = _config().get("place_name_readings", {})
    whole = readings.get("names", {})
    if name in whole:
        return whole[name]
    by_char = readings.get("characters", {})
    parts = lazy_pinyin(name, errors=lambda chars: list(chars))
    # lazy_pinyin gives one syllable per Chinese character; other runs are kept as they are
    if len(parts) == len(name):
        parts = [by_char.get(char, syllable) for char, syllable in zip(name, parts)]
    return "".join(parts).lower()
