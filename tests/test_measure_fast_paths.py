"""Fast paths of the measure stage against the plain rules they replace."""
from hypothesis import given, settings
from hypothesis import strategies as st

from govreports import attention
from govreports.frames import code_points

_CASED = st.sampled_from([*"aZ科技Ａｚ Σσς\nİi", "\u0307", "\uffff", "\U00010400", "\U00020001", "\ud800"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_CASED, max_size=30).map("".join))
def test_lowered_codes_are_the_code_points_of_the_lowered_text(text):
    # a table look-up per code point where str.lower maps each character to one (the usual text);
    # the lowered string otherwise (İ, final sigma, beyond the BMP)
    assert attention._lowered_codes(text).tolist() == code_points(attention._lowered(text)).tolist()
    assert attention._lowered_codes(text, code_points(text)).tolist() == code_points(attention._lowered(text)).tolist()


def test_token_offsets_with_a_token_of_more_than_255_characters():
    # the token lengths are gathered as bytes; a longer token (an ASCII run) takes the other way
    from govreports import segment

    text = "推进科技创新，" + "x" * 300 + "。乡村振兴"
    tokens = segment._cut(text)
    assert max(map(len, tokens)) >= 256
    bounds = segment._analyse_cut(text).bounds
    assert [int(b - a) for a, b in zip(bounds[:-1], bounds[1:])] == [len(t) for t in tokens]
    assert bounds[-1] == len(text)


def test_word_start_flag_is_a_letter_digit_or_han_character():
    # attention counts a token as a word when its first character is a letter, a digit or a Han
    # character (ASCII or full-width; 〇; the Han extensions beyond the BMP): the cut's flags say so
    import numpy as np

    from govreports import segment

    def is_word_start(c: int) -> bool:
        ranges = [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0x3400, 0x9FFF), (0xF900, 0xFAFF), (0xFF10, 0xFF19),
                  (0xFF21, 0xFF3A), (0xFF41, 0xFF5A), (0x3007, 0x3007), (0x20000, 0x3FFFF)]
        return any(lo <= c <= hi for lo, hi in ranges)

    codes = np.array([*range(0x10000), 0x1F600, 0x20000, 0x2A6DF, 0x2F800, 0x3FFFF, 0x40000, 0x10FFFF], dtype=np.uint32)
    flags = segment._char_flags(codes)
    assert ((flags & segment._WORD_START) != 0).tolist() == [is_word_start(int(c)) for c in codes]
    bmp_only = segment._char_flags(codes[:0x10000])
    assert (bmp_only == flags[:0x10000]).all()
