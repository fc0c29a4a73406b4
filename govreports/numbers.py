"""Numbers as written in government work reports → floats, ranges and normalized units.

The indicator extractor (:mod:`govreports.indicators`) first finds a *number span* with the regular
expressions defined here and only then converts it; nothing in this module rewrites running text.
That order matters: converting Chinese numerals across a whole sentence turns slogans into numbers
(“三个千亿” is not 3,000亿元, “一带一路” is not 1带1路), so Chinese numerals are converted with
:mod:`cn2an` **only** inside a span already matched as ``numeral + unit`` or ``百分之 + numeral``.

Rules
-----
* Digits: ASCII and full-width digits, one optional decimal point (``.`` or ``．``).
* Letter-for-digit slips inside a digit run (``1O％`` → 10, ``lO.5％`` → 10.5, ``l3.6％`` → 13.6) are
  read as digits because scanned and retyped reports contain them; a run must contain at least one
  real digit so that words are never read as numbers.
* Ranges: ``8-8.5%``, ``6%－6.5%``, ``4.5%—5%``, ``7%～8%``, ``8至9%`` fill ``value`` and ``value_high``.
* Chinese numerals: ``百分之八`` → 8 %, ``一千一百亿元`` → 1100 亿元, ``八点五`` → 8.5; a numeral must be
  followed by a unit (or preceded by 百分之), and must not start with 百/千 (“千亿级”, “百强” are names).
* Units are normalized to a small set (:data:`UNIT_NORMALIZATION`): ``％`` → ``%``, ``百分点`` →
  ``个百分点``, ``亿`` (bare, after a money amount) stays ``亿`` and is turned into 亿元 by the caller
  only when the indicator is a money amount.
"""
from __future__ import annotations

import re
from functools import lru_cache

import cn2an

# Digits, with letter-for-digit slips (l → 1, O → 0) accepted inside a run that has a real digit.
DIGIT_NUMBER = r"(?<![0-9０-９.．])(?=[0-9０-９lO.．]*[0-9０-９])[0-9０-９lO]+(?:[.．][0-9０-９lO]+)?"
# Chinese numerals (no 万/亿 inside: those belong to the unit, e.g. 一千一百亿元 → 1100 亿元).
CN_NUMBER = r"(?:[一二两三四五六七八九十〇零][〇零一二两三四五六七八九十百千]*(?:点[〇零一二三四五六七八九]+)?)"

# Units as they appear after numbers, longest first (the alternation is ordered).
UNIT_PATTERN = (
    r"(?:万亿元|亿美元|万美元|亿元|万元|万亿斤|亿斤|亿公斤|万公斤|亿吨|万吨|万人次|万人|个百分点|百分点|"
    r"美元|元|人|吨|亿|%|％|‰)"
)

UNIT_NORMALIZATION = {"％": "%", "百分点": "个百分点"}

RANGE_DASH = r"[-－—–~～至到]"

# One value: a digit number or a Chinese numeral, optional range, then the unit.
# Groups: cn_pct (百分之…), lo, lo_unit, hi, unit.
VALUE_PATTERN = (
    r"(?:百分之(?P<cn_pct>" + CN_NUMBER + r")"
    r"|(?P<lo>" + DIGIT_NUMBER + r"|" + CN_NUMBER + r")\s?(?P<lo_unit>%|％)?"
    r"(?:\s?" + RANGE_DASH + r"\s?(?P<hi>" + DIGIT_NUMBER + r"))?"
    r"\s?(?P<unit>" + UNIT_PATTERN + r"))"
)
VALUE_RE = re.compile(VALUE_PATTERN)

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．lO", "0123456789.10")
_CN_START_OK = re.compile(r"^[一二两三四五六七八九十〇零]")
_HAS_DIGIT = re.compile(r"[0-9０-９]")


def parse_number(span: str) -> float | None:
    """Convert one matched number span to a float.

    Parameters
    ----------
    span : str
        Digits (ASCII, full-width, with letter-for-digit slips) or a Chinese numeral.

    Returns
    -------
    float or None
        ``None`` when the span is not a number we can read with confidence (a guess is worse than a
        missing value).

    Examples
    --------
    >>> parse_number("8.5"), parse_number("1O"), parse_number("一千一百"), parse_number("八点五")
    (8.5, 10.0, 1100.0, 8.5)
    """
    if not span:
        return None
    if _HAS_DIGIT.search(span):
        try:
            return float(span.translate(_FULLWIDTH_DIGITS))
        except ValueError:
            return None
    if not _CN_START_OK.match(span):
        return None
    try:
        return float(cn2an.cn2an(span, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def normalize_unit(unit: str | None) -> str | None:
    """Map a unit as written to the project's small unit set (``％`` → ``%``, ``百分点`` → ``个百分点``)."""
    if unit is None:
        return None
    return UNIT_NORMALIZATION.get(unit, unit)


def parse_value_match(match: re.Match) -> tuple[float | None, float | None, str | None]:
    """Turn a :data:`VALUE_RE` match into ``(value, value_high, unit)``.

    A Chinese numeral is accepted only when it is two characters or more or is followed by a unit
    that cannot be part of a name (``%``, ``个百分点``); this keeps “三个…” and “两新” out.
    """
    return _parse_value_groups(*match.group("cn_pct", "lo", "hi", "unit"))


@lru_cache(maxsize=8192)
def _parse_value_groups(cn_pct: str | None, lo_span: str | None, hi_span: str | None,
                        unit: str | None) -> tuple[float | None, float | None, str | None]:
    """:func:`parse_value_match` on the match's groups, cached: a report states the same few
    numbers (8%, 6.5%, 3个百分点) again and again."""
    if cn_pct:
        return parse_number(cn_pct), None, "%"
    value = parse_number(lo_span)
    high = parse_number(hi_span) if hi_span else None
    unit = normalize_unit(unit)
    if value is None:
        return None, None, None
    if high is not None and high < value:
        # "8-8.5%" reads low→high; anything else is not a range we understand.
        return None, None, None
    return value, high, unit
