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

import numpy as np
import pandas as pd

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


_DTYPES = {
    "note_number": pd.Int64Dtype(), "term": pd.StringDtype(), "definition": pd.StringDtype(),
    "n_mentions": pd.Int64Dtype(), "n_marker_links": pd.Int64Dtype(), "n_plain_mentions": pd.Int64Dtype(),
    "char_start": np.dtype("int64"), "char_end": np.dtype("int64"),
}


def _empty() -> pd.DataFrame:
    return pd.DataFrame({col: pd.array([], dtype=_DTYPES[col]) for col in GLOSSARY_COLUMNS})


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
    spans = [(int(s), int(e)) for t, s, e in zip(sections["section_type"].tolist(), sections["char_start"].tolist(),
                                                  sections["char_end"].tolist()) if t == "glossary"] if len(sections) else []
    if not spans:
        return _empty()
    body_end = min(s for s, _ in spans)
    body = text[:body_end]

    marker_lists: dict[int, list[int]] = {}
    if footnotes is not None and len(footnotes):
        for marker, pos in zip(footnotes["marker"].tolist(), footnotes["char_pos"].tolist()):
            if pos < body_end:
                marker_lists.setdefault(int(marker), []).append(int(pos))
    marker_positions = {k: np.sort(np.asarray(v, dtype="int64")) for k, v in marker_lists.items()}

    rows = []
    last_number = 0
    for start, end in spans:
        for m in _NOTE.finditer(text, start, end):
            number = int(m.group("number"))
            if number <= last_number:
                continue
            last_number = number
            term = _clean_term(m.group("term"))
            markers = marker_positions.get(number, np.array([], dtype="int64"))
            plain = 0
            if len(term) >= 2:
                for hit in re.finditer(re.escape(term), body):
                    # the same place as a linked marker lifted inside or right after the term
                    j = np.searchsorted(markers, hit.start())
                    if j < len(markers) and markers[j] <= hit.end() + _MARKER_SLACK:
                        continue
                    plain += 1
            rows.append(dict(
                note_number=number, term=term, definition=m.group("definition").strip(),
                n_marker_links=len(markers), n_plain_mentions=plain, n_mentions=len(markers) + plain,
                char_start=m.start("number"), char_end=m.end(),
            ))
    if not rows:
        return _empty()
    return pd.DataFrame({
        col: pd.array([r[col] for r in rows], dtype=_DTYPES[col]) for col in GLOSSARY_COLUMNS
    })
