"""The direct constructors of ``govreports.frames`` build what pandas' own constructors build."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from govreports import frames


@pytest.mark.parametrize("values", [["a", None, "字"], [], ["x", pd.NA], ["仅一个"]])
def test_string_array_is_pd_array_of_the_string_dtype(values):
    fast = frames.string_array(values)
    slow = pd.array(values, dtype="string")
    assert fast.dtype == slow.dtype
    assert type(fast) is type(slow)
    pd.testing.assert_extension_array_equal(fast, slow)


def test_string_array_of_other_values_is_what_pandas_makes_of_them():
    values = [1.5, "a", None]  # not all strings: the Arrow fast path declines, pandas converts
    pd.testing.assert_extension_array_equal(frames.string_array(values), pd.array(values, dtype="string"))


def test_string_arrays_slices_each_column_back():
    columns = {"a": ["x", None], "b": [], "c": ["长", "短", None]}
    out = frames.string_arrays(columns)
    for name, values in columns.items():
        pd.testing.assert_extension_array_equal(out[name], pd.array(values, dtype="string"))


def test_lone_surrogates_are_stored_as_replacement_marks_one_for_one():
    values = ["甲\ud800乙", None, "\udfff", "丙丁"]
    expected = ["甲\ufffd乙", None, "\ufffd", "丙丁"]
    assert frames.storable_strings(values) == expected
    assert frames.string_array(values).equals(pd.array(expected, dtype=frames.STRING))
    sliced = frames.string_arrays({"a": values[:2], "b": values[2:]})
    assert sliced["a"].tolist() == [expected[0], pd.NA] and sliced["b"].tolist() == expected[2:]


@pytest.mark.parametrize("values", [["a", None, "字"], [], [None], ["仅一个"] * 3])
def test_arrow_string_array_is_the_public_wrapper_of_the_same_storage(values):
    import pyarrow as pa

    storage = pa.array(values, type=pa.large_string())
    fast, slow = frames.arrow_string_array(storage.slice(1)), pd.arrays.ArrowStringArray(storage.slice(1))
    assert type(fast) is type(slow) and fast.dtype == slow.dtype == frames.STRING
    pd.testing.assert_extension_array_equal(fast, slow)
    assert fast.__arrow_array__().equals(slow.__arrow_array__())


@pytest.mark.parametrize("values", [[1, None, 3], [], [0], np.array([4, 5], dtype=np.int32)])
def test_int_array_is_nullable_int64(values):
    pd.testing.assert_extension_array_equal(frames.int_array(values), pd.array(list(values), dtype="Int64"))


@pytest.mark.parametrize("values", [[1.5, None, float("nan")], [], [2, 0.5], np.array([np.nan, 1.0])])
def test_float_array_treats_nan_and_none_as_missing(values):
    fast = frames.float_array(values)
    expected = pd.array([None if v is None or v != v else v for v in list(values)], dtype="Float64")
    pd.testing.assert_extension_array_equal(fast, expected)


def test_frame_equals_the_public_constructor():
    labels = frames.column_labels(["n", "name", "flag"])
    arrays = [np.array([1, 2], dtype=np.int64), frames.string_array(["甲", None]), pd.array([True, None], dtype="boolean")]
    built = frames.frame(labels, arrays)
    expected = pd.DataFrame({"n": [1, 2], "name": pd.array(["甲", None], dtype="string"), "flag": pd.array([True, None], dtype="boolean")})
    pd.testing.assert_frame_equal(built, expected)
    assert built.columns is labels  # frames of one table share their label index


def test_empty_frame_keeps_its_columns_and_dtypes():
    labels = frames.column_labels(["a", "b"])
    built = frames.frame(labels, [np.array([], dtype=np.int64), frames.string_array([])])
    assert list(built.columns) == ["a", "b"] and len(built) == 0
    assert built["a"].dtype == np.int64 and built["b"].dtype == pd.StringDtype()


def test_code_points_keep_one_code_point_per_character():
    text = "a字\U00020000\ud800"
    assert frames.code_points(text).tolist() == [ord(c) for c in text]


def test_column_readers_give_the_stored_values_with_none_for_missing():
    table = pd.DataFrame(
        {
            "n": np.array([3, 1], dtype="int64"),
            "title": pd.array(["工作回顾", None], dtype="string"),
            "parent": pd.array([None, 7], dtype="Int64"),
        }
    )
    assert frames.plain_columns(table, ["n", "title", "parent"]) == [[3, 1], ["工作回顾", None], [None, 7]]
    assert all(type(v) is int for v in frames.plain_columns(table, ["n"])[0])
    assert isinstance(frames.column_array(table, "n"), np.ndarray)
    assert frames.column_array(table, "title").tolist() == table["title"].array.tolist()
    # a duplicated label cannot be read as one column's array: the public lookup decides
    twice = pd.concat([table[["n"]], table[["n"]]], axis=1)
    with pytest.raises(Exception):
        frames.plain_columns(twice, ["n"])


_COLUMN_KINDS = {
    "int64": lambda values: np.array(values, dtype=np.int64),
    "float64": lambda values: np.array(values, dtype=np.float64) / 2,
    "bool": lambda values: np.array(values, dtype=np.int64) % 2 == 0,
    "string": lambda values: frames.string_array([None if v % 3 == 0 else f"值{v}" for v in values]),
    "Int64": lambda values: frames.int_array([None if v % 2 else v for v in values]),
    "Float64": lambda values: frames.float_array([None if v % 2 else v / 4 for v in values]),
    "boolean": lambda values: pd.array([None if v % 3 == 0 else v % 2 == 0 for v in values], dtype="boolean"),
    "object": lambda values: np.array([str(v) for v in values], dtype=object),
}


@given(st.lists(st.sampled_from(sorted(_COLUMN_KINDS)), min_size=1, max_size=9), st.lists(st.integers(-5, 50), max_size=6))
def test_frame_builds_the_blocks_pandas_builds(kinds, values):
    """Whatever the mix and order of column kinds: the frame pandas builds from these arrays, block by
    block (an object column, which the fast path declines, included)."""
    arrays = [_COLUMN_KINDS[kind](values) for kind in kinds]
    labels = frames.column_labels([f"c{i}" for i in range(len(arrays))])
    built = frames.frame(labels, arrays)
    assert built.columns is labels
    if not frames._FAST_FRAMES:
        return
    expected = frames._from_arrays(labels, arrays)
    pd.testing.assert_frame_equal(built, expected)
    assert frames._layout(built) == frames._layout(expected)
    if "object" not in kinds:  # (the public constructor infers an object column's dtype again)
        pd.testing.assert_frame_equal(built, frames._public(labels, arrays))


def test_frame_of_columns_of_different_lengths_is_refused():
    labels = frames.column_labels(["a", "b"])
    with pytest.raises(ValueError):
        frames.frame(labels, [np.array([1, 2], dtype=np.int64), frames.string_array(["x"])])


@given(st.text(alphabet=st.characters(codec=None, exclude_categories=())))
def test_code_points_are_the_utf32_code_units(text):
    """Any text, lone surrogates and NULs included: what the UTF-32 codec gives."""
    expected = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    got = frames.code_points(text)
    assert got.dtype == np.uint32 and got.shape == expected.shape and got.tolist() == expected.tolist()


@given(st.lists(st.sampled_from(sorted(_COLUMN_KINDS)), min_size=1, max_size=7), st.lists(st.integers(-5, 50), max_size=5),
       st.sampled_from(["as built", "copied", "joined", "reordered", "inserted"]))
def test_column_arrays_are_the_stored_columns_whatever_the_blocks(kinds, values, how):
    """Walking the blocks gives each column's stored array, however pandas laid the blocks out."""
    arrays = [_COLUMN_KINDS[kind](values) for kind in kinds]
    table = frames.frame(frames.column_labels([f"c{i}" for i in range(len(arrays))]), arrays)
    if how == "copied":
        table = table.copy()
    elif how == "joined":
        table = pd.concat([table, table.add_suffix("_2")], axis=1)
    elif how == "reordered":
        table = table[list(reversed(table.columns))]
    elif how == "inserted":
        table.insert(0, "first", np.arange(len(table), dtype=np.int64))
    got = frames.column_arrays(table)
    assert len(got) == len(table.columns)
    for i, array in enumerate(got):
        stored = table._get_column_array(i)
        assert type(array) is type(stored) and array.dtype == stored.dtype
        assert array.tolist() == stored.tolist()
