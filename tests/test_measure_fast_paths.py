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
