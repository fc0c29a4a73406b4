"""Stage 1 — read: bytes on disk → decoded text, exactly as in the file.

``read_raw(path)`` never alters the text: ``RawDocument.raw`` is the decoded file. It only decides the
encoding and rejects what is not a text report at all (empty, binary, undecodable), raising
:class:`ReportError` with the file name and the reason.

Encodings tried, in order: a byte-order mark (UTF-8-SIG, UTF-16 LE/BE, UTF-32), UTF-16 without a
byte-order mark (recognised by its NUL bytes), strict UTF-8, GB18030 (a superset of GBK/GB2312), Big5
(Big5-HKSCS). Between GB18030 and Big5 — both of which decode many byte strings — GB18030 is the
default and Big5 is chosen when its reading is made of clearly more common Chinese characters; a
text both decode differently with fewer than 20 Chinese characters is refused as ambiguous.

Rejected, each with a :class:`ReportError` naming the file and the reason: an empty file, a PDF, a
binary file (NUL or control bytes that are not UTF-16), bytes no encoding above decodes, and a text
that decodes but holds (almost) no Chinese characters — not a report.
"""
from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .frames import code_points


class ReportError(Exception):
    """A file that cannot be read as a report. ``str(err)`` names the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ReportWarning(UserWarning):
    """Something about a file a researcher should know (duplicate, suspicious content…)."""


@dataclass(frozen=True)
class RawDocument:
    """A decoded file. ``raw`` is the text exactly as in the file (only decoded)."""

    path: Path
    raw: str
    encoding: str
    sha256: str
    n_bytes: int


# The most frequent characters of government prose; used to choose between GB18030 and Big5.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质思场报告全市省县镇区"
)


@lru_cache(maxsize=1)
def _common_table() -> np.ndarray:
    """``table[cp - 0x4E00]``: is the CJK ideograph ``cp`` one of ``_COMMON``."""
    table = np.zeros(0x9FFF - 0x4E00 + 1, dtype=bool)
    table[[ord(c) - 0x4E00 for c in _COMMON if "\u4e00" <= c <= "\u9fff"]] = True
    return table


def _common_share(text: str) -> float:
    """Share of ``_COMMON`` among the CJK ideographs (U+4E00–U+9FFF) of the first 20,000 characters."""
    cps = code_points(text[:20000])
    han = cps[(cps >= 0x4E00) & (cps <= 0x9FFF)]
    if not len(han):
        return 0.0
    return int(np.count_nonzero(_common_table()[han - 0x4E00])) / len(han)


def _n_han(text: str) -> int:
    """How many characters of ``text`` are in U+3400–U+9FFF."""
    cps = code_points(text)
    return int(np.count_nonzero((cps >= 0x3400) & (cps <= 0x9FFF)))


#: every byte but the control bytes that do not occur in text (tab, LF, FF, CR and ESC do)
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 32 and b not in (9, 10, 12, 13, 27)))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = len(sample.translate(None, _NOT_CONTROL))  # the control bytes are what remains
    return control > len(sample) * 0.05


#: how much more common Big5's characters must be than GB18030's for Big5 to be chosen
BIG5_MARGIN = 0.1

#: fewer Chinese characters than this and a text both GB18030 and Big5 decode is ambiguous
MIN_HAN_TO_TELL = 20

#: below this share of Han characters among the non-space characters a text is not a report
MIN_HAN_SHARE = 0.2


#: every whitespace character (``str.isspace``, what ``\s`` matches) is below U+3001
_SPACE_LIMIT = 0x3001


@lru_cache(maxsize=1)
def _space_table() -> np.ndarray:
    """``table[min(cp, 0x3001)]``: is ``cp`` whitespace (``str.isspace``)."""
    table = np.array([chr(c).isspace() for c in range(_SPACE_LIMIT + 1)], dtype=bool)
    assert not table[_SPACE_LIMIT]
    return table


def _han_share(text: str) -> float:
    """Share of CJK ideographs (U+3400–U+9FFF) among the non-space characters of the first 20,000
    characters."""
    cps = code_points(text[:20000])
    # ``take`` with mode="clip" looks code points past the table up in its last entry (no space)
    n_text = len(cps) - int(np.count_nonzero(_space_table().take(cps, mode="clip")))
    if not n_text:
        return 0.0
    return int(np.count_nonzero((cps >= 0x3400) & (cps <= 0x9FFF))) / n_text


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 written without a byte-order mark: NUL in every other byte of ASCII text, and
    Chinese text that decodes cleanly."""
    if len(data) < 4 or len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _han_share(text) >= MIN_HAN_SHARE:
            return enc
    return None


def decode_bytes(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode report bytes. Returns ``(text, encoding)``; raises :class:`ReportError`."""
    text, enc = _decode(data, path)
    if _han_share(text) < MIN_HAN_SHARE:
        raise ReportError(
            path, f"decodes as {enc} but is not Chinese text ({_han_share(text):.0%} Chinese characters)"
        )
    return text, enc


def _decode(data: bytes, path: str | Path) -> tuple[str, str]:
    if not data:
        raise ReportError(path, "empty file (0 bytes)")
    for bom, enc in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as err:
                raise ReportError(path, f"starts with a {enc} byte-order mark but does not decode: {err}")
    if data.lstrip()[:5] == b"%PDF-":
        raise ReportError(path, "is a PDF file, not text (convert it to text first)")
    if b"\x00" in data[:8192] and (enc := _utf16_without_bom(data)):
        return data.decode(enc), enc
    if _looks_binary(data):
        raise ReportError(path, "binary data, not text (NUL or control bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = {}
    for enc in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates[enc] = (_common_share(text), text)
    if not candidates:
        raise ReportError(path, "not decodable as UTF-8, UTF-16, GB18030/GBK or Big5")
    # Both decode most double-byte text. GB18030 is the default; Big5 wins only when its reading is
    # clearly made of more common characters (a Big5 report read as GBK gives rare characters).
    # A GB18030 reading with (almost) no Chinese characters means the bytes are not a Chinese
    # double-byte text at all: keep it (and refuse it below) rather than read it as Big5.
    gb, big5 = candidates.get("gb18030"), candidates.get("big5hkscs")
    if gb and big5 and gb[1] != big5[1] and _n_han(gb[1][:2000]) < MIN_HAN_TO_TELL:
        raise ReportError(path, "too short to tell GB18030 from Big5 (both decode it, differently)")
    prefer_gb = gb and (not big5 or _han_share(gb[1]) < MIN_HAN_SHARE or big5[0] < gb[0] + BIG5_MARGIN)
    enc = "gb18030" if prefer_gb else "big5hkscs"
    share, text = candidates[enc]
    if share < 0.15:
        raise ReportError(path, f"decodes as {enc} but the result is not Chinese text")
    return text, enc


def read_raw(path: str | Path) -> RawDocument:
    """Read one file; returns a :class:`RawDocument` or raises :class:`ReportError`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ReportError(path, "is a directory") from None
    except OSError as err:
        raise ReportError(path, f"cannot be read ({err.strerror or err})") from None
    text, encoding = decode_bytes(data, path)
    return RawDocument(
        path=path,
        raw=text,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        n_bytes=len(data),
    )
