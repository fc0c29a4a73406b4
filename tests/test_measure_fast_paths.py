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
