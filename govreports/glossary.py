"""Stage 4b — glossary: the numbered notes at the end of a report, linked to where the body uses them.

Many local reports end with numbered notes explaining slogans and programmes, under a header such as
名词解释, 注 释 or 《政府工作报告》注释 (``structure.parse_sections`` marks that part as the ``glossary``
section). The rules, and why:

* **A note** is a line ``N.term：definition`` — the number followed by . ． or 、, the term before the
  first colon (：or :) within 60 characters. A page reference after the term ("一主两特(P12)") is
  removed from the term; quotes around the whole term (“千吨万人”) are removed, quotes inside it
  (“两高”项目) are kept. Lines without a colon are not notes (a note's text never runs on to the next
  line in the reports we have seen; page furniture after the list must not be appended to it).
* **Numbers must increase** (1, 2, 3 …; a gap is allowed, so one lost line does not drop the rest):
  a number that does not increase is a numbered item inside a definition, not a new note.
* **Links to the body.** The cleaner lifts footnote markers out of the body ("“六保”16任务" →
  marker 16 at that offset); ``n_marker_links`` counts markers with the note's number before the
  glossary. ``n_plain_mentions`` counts occurrences of the term in the body before the glossary
  (a term shorter than two characters is not searched). A place is counted once: a plain mention with
  a linked marker of the same note inside it or within three characters after it ("“六改”6项目") is
  the same place.
  ``n_mentions = n_marker_links + n_plain_mentions``.
"""
from __future__ import annotations

import re
from bisect import bisect_left

import numpy as np
import pandas as pd

from .frames import column_labels, frame, string_array
from .frames import plain_columns

GLOSSARY_COLUMNS = [
    "note_number", "term", "definition", "n_mentions", "n_marker_links", "n_plain_mentions",
    "char_start", "char_end",
]

_NOTE = re.compile(
    r"^[ \t\u3000]*(?P<number>\d{1,3})[ \t]*[.．、][ \t\u3000]*(?P<term>[^\n：:。]{1,60}?)[ \t\u3000]*[：:][ \t\u3000]*(?P<definition>[^\n]*)",
    re.M,
)
_PAGE_REF = re.compile(r"[（(]\s*[Pp第]\s*\d{1,3}\s*页?\s*[)）]")
_OUTER_QUOTES = re.compile(r"^[“\"「『](?P<inner>[^“”\"「」『』]+)[”\"」』]$")
_MARKER_SLACK = 3


def _clean_term(raw: str) -> str:
    term = _PAGE_REF.sub("", raw).strip(" \t\u3000")
    m = _OUTER_QUOTES.match(term)
    return m.group("inner").strip() if m else term


_GLOSSARY_LABELS = column_labels(GLOSSARY_COLUMNS)
_DTYPES = {
    "note_number": pd.Int64Dtype(), "term": pd.StringDtype(), "definition": pd.StringDtype(),
    "n_mentions": pd.Int64Dtype(), "n_marker_links": pd.Int64Dtype(), "n_plain_mentions": pd.Int64Dtype(),
    "char_start": np.dtype("int64"), "char_end": np.dtype("int64"),
}


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    """The glossary frame from plain lists, built without pandas' element-wise inference."""
    arrays = {}
    for col in GLOSSARY_COLUMNS:
        values, dtype = columns[col], _DTYPES[col]
        if isinstance(dtype, np.dtype):
            arrays[col] = np.array(values, dtype=dtype)
        elif isinstance(dtype, pd.StringDtype):
            arrays[col] = string_array(values)
        else:  # Int64, never missing here
            arrays[col] = pd.arrays.IntegerArray(np.array(values, dtype="int64"), np.zeros(len(values), dtype=bool))
    return frame(_GLOSSARY_LABELS, [arrays[col] for col in GLOSSARY_COLUMNS])


# building even an empty frame costs more than copying one; most reports have no glossary
_EMPTY = _frame({col: [] for col in GLOSSARY_COLUMNS})


def _empty() -> pd.DataFrame:
    # a shallow copy is enough: with no rows there are no values to share, and the columns of the
    # copy are its own
    return _EMPTY.copy(deep=False)


def _count_plain(term: str, body: str, markers: list[int]) -> int:
    """Non-overlapping occurrences of ``term`` in ``body`` that are not the place of a linked marker."""
    plain = 0
    width = len(term)
    at = body.find(term)
    while at >= 0:
        # the same place as a linked marker lifted inside or right after the term
        j = bisect_left(markers, at)
        if not (j < len(markers) and markers[j] <= at + width + _MARKER_SLACK):
            plain += 1
        at = body.find(term, at + width)
    return plain


def extract_glossary(text: str, sections: pd.DataFrame, footnotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Numbered notes of the report's glossary, with how often the body refers to each.

    Parameters
    ----------
    text : str
        The clean text.
    sections : pandas.DataFrame
        ``structure.parse_sections(text)``; the notes are read from its ``glossary`` sections.
    footnotes : pandas.DataFrame, optional
        The cleaner's lifted footnote markers: ``marker`` (int), ``char_pos`` (int), ``context``.

    Returns
    -------
    pandas.DataFrame
        One row per note, in text order:

        - ``note_number`` (Int64): the note's number.
        - ``term`` (str): the explained term, without page reference or enclosing quotes.
        - ``definition`` (str): the text after the colon.
        - ``n_marker_links`` (Int64): footnote markers with this number in the body.
        - ``n_plain_mentions`` (Int64): occurrences of the term in the body not already counted as a
          marker link.
        - ``n_mentions`` (Int64): ``n_marker_links + n_plain_mentions``.
        - ``char_start``, ``char_end`` (int): the note's line in ``text``.
    """
    types, = plain_columns(sections, ["section_type"]) if len(sections) else ([],)
    if "glossary" not in types:
        return _empty()
    spans = [(int(s), int(e)) for t, s, e in zip(types, *plain_columns(sections, ["char_start", "char_end"]))
             if t == "glossary"]
    body_end = min(s for s, _ in spans)
    body = text[:body_end]

    marker_positions: dict[int, list[int]] = {}
    if footnotes is not None and len(footnotes):
        for marker, pos in zip(*plain_columns(footnotes, ["marker", "char_pos"])):
            if pos < body_end:
                marker_positions.setdefault(int(marker), []).append(int(pos))
    for positions in marker_positions.values():
        positions.sort()

    columns: dict[str, list] = {col: [] for col in GLOSSARY_COLUMNS}
    last_number = 0
    for start, end in spans:
        for m in _NOTE.finditer(text, start, end):
            number = int(m.group("number"))
            if number <= last_number:
                continue
            last_number = number
            term = _clean_term(m.group("term"))
            markers = marker_positions.get(number, [])
            plain = _count_plain(term, body, markers) if len(term) >= 2 else 0
            for col, value in (("note_number", number), ("term", term),
                               ("definition", m.group("definition").strip()),
                               ("n_marker_links", len(markers)), ("n_plain_mentions", plain),
                               ("n_mentions", len(markers) + plain),
                               ("char_start", m.start("number")), ("char_end", m.end())):
                columns[col].append(value)
    if not columns["note_number"]:
        return _empty()
    return _frame(columns)
