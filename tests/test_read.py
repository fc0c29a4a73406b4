"""Stage 1 — read: every encoding the corpus meets decodes to the same text; bad files fail clearly."""
from __future__ import annotations

import codecs

import pytest

from govreports import config
from govreports.read import RawDocument, ReportError, decode_bytes, read_raw

SIMPLIFIED = config.RAW_DIR / "zhumadian" / "2002_二00二年政府工作报告.txt"
TRADITIONAL = config.RAW_DIR / "seeds" / "001_5bcefcfac6cb166c.txt"


def _text(path) -> str:
    return path.read_bytes().decode("utf-8")


def _big5_text() -> str:
    """The lines of the traditional report that Big5 can hold (a few carry mojibake it cannot)."""
    lines = []
    for line in _text(TRADITIONAL).splitlines(keepends=True):
        try:
            line.encode("big5")
        except UnicodeEncodeError:
            continue
        lines.append(line)
    assert len(lines) > 90
    return "".join(lines)


def test_utf8_report_is_read_unchanged():
    doc = read_raw(SIMPLIFIED)
    assert isinstance(doc, RawDocument)
    assert doc.raw == _text(SIMPLIFIED)
    assert doc.encoding == "utf-8"
    assert doc.n_bytes == SIMPLIFIED.stat().st_size
    assert len(doc.sha256) == 64


@pytest.mark.parametrize(
    "encoding, source",
    [
        ("gbk", SIMPLIFIED),
        ("gb18030", TRADITIONAL),
        ("utf-16", SIMPLIFIED),  # with a byte-order mark
        ("utf-16", TRADITIONAL),
        ("utf-16-le", SIMPLIFIED),  # without one
        ("utf-16-be", TRADITIONAL),
    ],
)
def test_other_encodings_decode_to_the_utf8_text(tmp_path, encoding, source):
    text = _text(source)
    copy = tmp_path / f"copy-{encoding}.txt"
    copy.write_bytes(text.encode(encoding))
    assert read_raw(copy).raw == text


def test_big5_copy_decodes_to_the_same_text(tmp_path):
    text = _big5_text()
    copy = tmp_path / "big5.txt"
    copy.write_bytes(text.encode("big5"))
    doc = read_raw(copy)
    assert doc.raw == text
    assert doc.encoding.startswith("big5")


def test_utf8_bom_is_not_part_of_the_text(tmp_path):
    text = _text(SIMPLIFIED)
    copy = tmp_path / "bom.txt"
    copy.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert read_raw(copy).raw == text


def _error_for(path) -> ReportError:
    with pytest.raises(ReportError) as info:
        read_raw(path)
    err = info.value
    assert str(path) in str(err) and err.path == str(path)
    return err


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert "empty" in _error_for(path).reason


def test_binary_file(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    assert "binary" in _error_for(path).reason


def test_pdf_file(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 20)
    assert "PDF" in _error_for(path).reason


def test_non_chinese_text(tmp_path):
    path = tmp_path / "english.txt"
    path.write_text("The government work report is not here. " * 40, encoding="utf-8")
    assert "not Chinese" in _error_for(path).reason


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Économie générale, résumé. ".encode("latin-1") * 40)
    _error_for(path)


def test_directory_and_missing_file(tmp_path):
    assert "directory" in _error_for(tmp_path).reason
    _error_for(tmp_path / "nope.txt")


def test_decode_bytes_names_the_source():
    with pytest.raises(ReportError, match="where.txt"):
        decode_bytes(b"", "where.txt")


def test_short_text_that_gb18030_and_big5_read_differently_is_refused(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("現".encode("gb18030"))  # Big5 reads the same two bytes as 政
    assert "GB18030 from Big5" in _error_for(path).reason


def test_character_shares_count_as_the_plain_definitions():
    """The shares are counted on code-point arrays; they equal the per-character definitions."""
    import random
    import re

    from govreports.read import _COMMON, _common_share, _han_share, _looks_binary

    def han_share(text: str) -> float:
        sample = re.sub(r"\s+", "", text[:20000])
        return sum("\u3400" <= c <= "\u9fff" for c in sample) / len(sample) if sample else 0.0

    def common_share(text: str) -> float:
        han = [c for c in text[:20000] if "\u4e00" <= c <= "\u9fff"]
        return sum(c in _COMMON for c in han) / len(han) if han else 0.0

    rng = random.Random(0)
    alphabet = "的一是在不了政府报告龘鱻㐀䶵\u3000\u2028\x85 \t\n，。abc1\U00020000\ufffd"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(60)))
        assert _han_share(text) == han_share(text) and _common_share(text) == common_share(text), text
        data = bytes(rng.randrange(40) for _ in range(rng.randrange(200)))
        control = sum(1 for b in data[:8192] if b < 32 and b not in (9, 10, 12, 13, 27))
        assert _looks_binary(data) == (b"\x00" in data[:8192] or control > len(data[:8192]) * 0.05)
