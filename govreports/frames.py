"""Typed columns and DataFrames built directly: the small toolkit every stage returns its table with.

Why this module exists
----------------------
A report is parsed in about 20 ms, and it returns some ten small tables. Built the ordinary way
(``pd.DataFrame(dict_of_lists)``, ``pd.array(values, dtype="string")``) each costs 0.1–0.5 ms:
pandas infers and validates every value again, and indexes the column labels anew. These helpers
build exactly the same objects (same dtypes, same values, same storage) from arrays whose type is
already known, so that the stages spend their time on the text rather than on pandas.

Every fast path checks, once at import, that it gives what the ordinary constructor gives with the
installed pandas (pandas 2 and 3 differ in the default string storage), and falls back to the
ordinary constructor when it does not.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

#: The string dtype of every text column (``pd.StringDtype()``: Arrow-backed with pandas ≥ 3).
STRING = pd.StringDtype()

_STR_OR_NONE = frozenset({str, type(None)})
_INT_OR_NONE = frozenset({int, type(None)})
_FLOAT_OR_NONE = frozenset({float, int, type(None)})


def _arrow_strings_match() -> bool:
    """Whether ``ArrowStringArray(pa.array(…))`` is exactly what ``pd.array(…, dtype=STRING)`` is."""
    sample = ["a", pd.NA, None, "字"]
    try:
        fast = pd.arrays.ArrowStringArray(pa.array(sample, type=pa.large_string(), from_pandas=True))
        slow = pd.array(sample, dtype=STRING)
        return (
            fast.dtype == slow.dtype
            and type(fast) is type(slow)
            and fast.equals(slow)
            and fast.__arrow_array__().type == slow.__arrow_array__().type
        )
    except Exception:  # a pandas whose string arrays are not built this way
        return False


#: True when string columns can be built by Arrow directly (see :func:`string_array`).
ARROW_STRINGS = _arrow_strings_match()

#: An empty string array whose dtype the arrays of :func:`arrow_string_array` share.
_STRING_TEMPLATE = pd.arrays.ArrowStringArray(pa.array([], type=pa.large_string())) if ARROW_STRINGS else None


def _wrap_matches() -> bool:
    """Whether pandas' internal ``ArrowStringArray._from_pyarrow_array`` gives what the public
    constructor gives for a ``large_string`` Arrow array."""
    sample = pa.array(["a", None, "字"], type=pa.large_string())
    try:
        fast, slow = _STRING_TEMPLATE._from_pyarrow_array(sample), pd.arrays.ArrowStringArray(sample)
        return (
            type(fast) is type(slow)
            and fast.dtype == slow.dtype
            and fast.equals(slow)
            and fast._pa_array.equals(slow._pa_array)
            and fast._pa_array.type == slow._pa_array.type
        )
    except Exception:  # a pandas without it, or with another signature
        return False


_FAST_WRAP = ARROW_STRINGS and _wrap_matches()


def arrow_string_array(values: pa.Array) -> pd.api.extensions.ExtensionArray:
    """``pd.arrays.ArrowStringArray(values)`` for an Arrow ``large_string`` array (its storage, not a copy).

    The public constructor checks the Arrow type and builds two dtype objects per array (about
    3.5 µs; a report wraps some twenty arrays); pandas' ``_from_pyarrow_array`` wraps the array with
    the dtype of an existing one (about 1 µs). It is used when it was checked, at import, to give
    the same array.
    """
    if _FAST_WRAP:
        return _STRING_TEMPLATE._from_pyarrow_array(values)
    return pd.arrays.ArrowStringArray(values)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def storable_strings(values: Sequence) -> list:
    """``values`` with each lone surrogate (U+D800–U+DFFF) in a string replaced by U+FFFD.

    A surrogate is half of a UTF-16 pair, never a character: a lenient decoder (``surrogateescape``,
    JSON ``\\ud800`` escapes) leaves one for an undecodable byte. Arrow and parquet store strings as
    UTF-8, which cannot encode it, so a stage given such a text (the cleaner replaces them; a caller
    may not have cleaned) would fail when it builds its table. U+FFFD is the mark the cleaner and the
    segmenter use for it: one character for one, so offsets into the text still hold.
    """
    return [_LONE_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for v in values]


def string_array(values: Sequence) -> pd.api.extensions.ExtensionArray:
    """``pd.array(values, dtype="string")`` for ``str`` values and missing ones (``None``/``pd.NA``).

    With Arrow-backed strings the array is made by one Arrow conversion, which skips pandas' check of
    every element (about four times faster for a column of sentences). Such an array cannot hold a
    lone surrogate: it is stored as U+FFFD (see :func:`storable_strings`).
    """
    if ARROW_STRINGS:
        try:
            return arrow_string_array(pa.array(values, type=pa.large_string(), from_pandas=True))
        except UnicodeEncodeError:  # a lone surrogate, which UTF-8 cannot store
            return arrow_string_array(pa.array(storable_strings(values), type=pa.large_string(), from_pandas=True))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass  # not all strings: let pandas convert or reject them as it always did
    return pd.array(list(values), dtype=STRING)


def string_arrays(columns: dict[str, list]) -> dict[str, pd.api.extensions.ExtensionArray]:
    """Several string columns from one Arrow conversion, sliced per column (slices share memory)."""
    values = [v for column in columns.values() for v in column]
    if not ARROW_STRINGS or not set(map(type, values)) <= _STR_OR_NONE:
        return {name: pd.array(list(column), dtype=STRING) for name, column in columns.items()}
    try:
        converted = pa.array(values, type=pa.large_string())
    except UnicodeEncodeError:  # a lone surrogate, which UTF-8 cannot store
        converted = pa.array(storable_strings(values), type=pa.large_string())
    out, offset = {}, 0
    for name, column in columns.items():
        out[name] = arrow_string_array(converted.slice(offset, len(column)))
        offset += len(column)
    return out


def int_array(values: Sequence) -> pd.arrays.IntegerArray:
    """``pd.array(values, dtype="Int64")`` for ``int`` values and ``None``."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "iu":
        return pd.arrays.IntegerArray(values.astype(np.int64, copy=False), np.zeros(len(values), dtype=bool))
    if set(map(type, values)) <= _INT_OR_NONE:
        mask = np.array([v is None for v in values], dtype=bool)
        data = np.array([0 if v is None else v for v in values], dtype=np.int64)
        return pd.arrays.IntegerArray(data, mask)
    return pd.array(list(values), dtype="Int64")


def float_array(values: Sequence) -> pd.arrays.FloatingArray:
    """``pd.array(values, dtype="Float64")`` with NaN and ``None`` as missing values.

    Takes a float numpy array (NaN = missing: the result of a division by an empty scope) or a list.
    """
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        missing = np.isnan(values)
        return pd.arrays.FloatingArray(np.where(missing, 0.0, values).astype(np.float64, copy=False), missing)
    if set(map(type, values)) <= _FLOAT_OR_NONE:
        mask = np.array([v is None or v != v for v in values], dtype=bool)
        data = np.array([0.0 if v is None else v for v in values], dtype=np.float64)
        return pd.arrays.FloatingArray(data, mask)
    return pd.array(list(values), dtype="Float64")


def column_labels(names: Sequence[str]) -> pd.Index:
    """The column labels of a table, as one Index to share between all its frames.

    The first column lookup in a new frame builds a hash table of its labels (about 0.1 ms for a
    string index, more than a typical lookup). Frames that share one label Index share that table;
    an Index is immutable, so sharing it is safe.
    """
    labels = pd.Index(list(names))
    labels.get_loc(labels[0])  # build the lookup table now
    return labels


def _from_arrays(labels: pd.Index, arrays: list) -> pd.DataFrame:
    n = len(arrays[0]) if arrays else 0
    return pd.DataFrame._from_arrays(arrays, columns=labels, index=pd.RangeIndex(n), verify_integrity=False)


def _public(labels: pd.Index, arrays: list) -> pd.DataFrame:
    frame = pd.DataFrame(dict(enumerate(arrays)), index=pd.RangeIndex(len(arrays[0]) if arrays else 0), copy=False)
    frame.columns = labels
    return frame


def _from_arrays_matches() -> bool:
    """Whether pandas' internal ``DataFrame._from_arrays`` builds what the public constructor builds."""
    labels = column_labels(["a", "b", "c"])
    arrays = [np.array([1, 2], dtype=np.int64), string_array(["x", None]), int_array([1, None])]
    try:
        fast, slow = _from_arrays(labels, arrays), _public(labels, arrays)
        return fast.dtypes.equals(slow.dtypes) and fast.equals(slow) and fast.index.equals(slow.index)
    except Exception:  # a pandas without it, or with another signature
        return False


_FAST_FRAMES = _from_arrays_matches()

try:  # pandas' block manager, to build a frame's blocks directly (see :func:`_frame_of_blocks`)
    from pandas._libs.internals import BlockPlacement
    from pandas.core.internals.blocks import ExtensionBlock, NumpyBlock
    from pandas.core.internals.managers import BlockManager
except ImportError:  # a pandas that stores frames otherwise
    BlockManager = None

#: The extension arrays the stages build columns of (each is one block of its own).
_BLOCK_EXTENSION_TYPES = frozenset({pd.arrays.ArrowStringArray, pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray})


def _frame_of_blocks(labels: pd.Index, arrays: list) -> pd.DataFrame | None:
    """The frame :func:`_from_arrays` builds, made of the same blocks in the same order, or ``None``
    for arrays it was not checked with (then the caller takes the general path).

    As pandas does: the numpy columns of one dtype are copied into one 2-D block, in the order each
    dtype first appears, and each extension array is a block of its own (those of one dtype side by
    side). pandas also checks every array's kind, shape and length, and then whether the blocks need
    consolidating: those checks cost as much as building the blocks.
    """
    if not arrays:
        return None
    n = len(arrays[0])
    places_by_dtype: dict = {}
    for place, values in enumerate(arrays):
        if type(values) is np.ndarray:
            if values.ndim != 1 or values.dtype.kind not in "biuf":
                return None
            key = values.dtype
        elif type(values) in _BLOCK_EXTENSION_TYPES:
            key = id(values.dtype)  # (as pandas groups them: by identity, an int key)
        else:
            return None
        if len(values) != n:
            return None
        places_by_dtype.setdefault(key, []).append(place)
    blocks = []
    for key, places in places_by_dtype.items():
        if type(key) is int:
            blocks += [ExtensionBlock(arrays[place], ndim=2, placement=BlockPlacement(place)) for place in places]
        else:
            stacked = np.empty((len(places), n), dtype=key)
            for row, place in enumerate(places):
                stacked[row] = arrays[place]
            blocks.append(NumpyBlock(stacked, ndim=2, placement=BlockPlacement(places)))
    index = pd.RangeIndex._simple_new(range(n))  # (the public constructor validates its arguments: 1 µs)
    manager = BlockManager(tuple(blocks), [labels, index], verify_integrity=False)
    return pd.DataFrame._from_mgr(manager, manager.axes)


def _layout(table: pd.DataFrame) -> list:
    """A frame's blocks: their types, dtypes and column positions, in order."""
    return [(type(block), block.dtype, block.mgr_locs.as_array.tolist()) for block in table._mgr.blocks]


def _frame_of_blocks_matches() -> bool:
    """Whether :func:`_frame_of_blocks` builds what ``_from_arrays`` builds (same blocks, same
    values), for every kind of column it takes, mixed and empty."""
    labels = column_labels(["a", "b", "c", "d", "e", "f", "g", "h"])
    samples = [
        [np.array([1, 2], dtype=np.int64), string_array(["x", None]), np.array([0.5, 1.5]), int_array([1, None]),
         np.array([3, 4], dtype=np.int64), float_array([0.5, None]), pd.array([True, None], dtype="boolean"),
         np.array([True, False])],
        [string_array([]), np.array([], dtype=np.int64), string_array([]), int_array([]), np.array([], dtype=np.int64),
         string_array([]), np.array([], dtype=np.float64), np.array([], dtype=bool)],
    ]
    try:
        for arrays in samples:
            fast, slow = _frame_of_blocks(labels, arrays), _from_arrays(labels, arrays)
            if not (fast.columns is labels and type(fast.index) is type(slow.index) and fast.index.equals(slow.index)
                    and fast.index.name == slow.index.name and fast.dtypes.equals(slow.dtypes)
                    and fast.equals(slow) and _layout(fast) == _layout(slow) and fast.iloc[::-1].equals(slow.iloc[::-1])):
                return False
        return _frame_of_blocks(labels[:1], [np.array(["x"], dtype=object)]) is None
    except Exception:  # a pandas whose blocks are built otherwise
        return False


_FAST_BLOCK_FRAMES = _FAST_FRAMES and BlockManager is not None and _frame_of_blocks_matches()


def frame(labels: pd.Index, arrays: list) -> pd.DataFrame:
    """A DataFrame of finished columns (numpy arrays or pandas extension arrays of one length).

    ``labels`` comes from :func:`column_labels`. The arrays are used as they are (not copied), so
    pass new arrays. pandas' own ``DataFrame._from_arrays`` takes them without inferring anything
    again, a third of the public constructor's cost; building its blocks directly
    (:func:`_frame_of_blocks`) halves that again (a report builds some ten frames, ≈15 µs each).
    Each is used only when it was checked, at import, to give the same frame.
    """
    if _FAST_BLOCK_FRAMES:
        built = _frame_of_blocks(labels, arrays)
        if built is not None:
            return built
    if _FAST_FRAMES:
        return _from_arrays(labels, arrays)
    return _public(labels, arrays)


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as a ``uint32`` array (a lone surrogate stays one code point).

    Counting or classifying characters with numpy over this array replaces per-character Python
    loops, which cost more than the rest of some stages. numpy stores a string as its code points
    (UTF-32), so the array is a view of a one-string array: a quarter of the cost of the UTF-32
    codec, which checks every character for a surrogate (≈2 against 8 µs for a report's 26,000
    characters). Used when it was checked, at import, to give what the codec gives.
    """
    if _NUMPY_CODE_POINTS and text:  # (an empty string is stored as one NUL)
        return np.array(text).reshape(1).view(np.uint32)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _numpy_code_points_match() -> bool:
    sample = "\x00a字\U00020000\ud800\udfff\x00"  # (NULs at both ends: numpy pads strings with them)
    try:
        return np.array(sample).reshape(1).view(np.uint32).tolist() == [ord(c) for c in sample]
    except Exception:  # a numpy that stores strings otherwise
        return False


_NUMPY_CODE_POINTS = _numpy_code_points_match()


# ------------------------------------------------------------------------ reading a stage's table
def column_array(table: pd.DataFrame, name: str):
    """The values a table stores for column ``name``: a numpy array for a numpy column
    (``table[name].to_numpy()``), else the pandas extension array (``table[name].array``), without
    building a Series.

    Why: the later stages read some thirty columns of the section and sentence tables per report,
    and ``table[name]`` costs about 8 µs each (a new Series, its index, its name), as much as the
    work done with a short column. pandas' own ``DataFrame._get_column_array`` returns the stored
    array directly; it is used when it was checked, at import, to give these arrays and the label
    is unique, else the public lookup.
    """
    if _FAST_COLUMNS:
        loc = table.columns.get_loc(name)
        if type(loc) is int:
            return table._get_column_array(loc)
    column = table[name]
    return column.to_numpy() if isinstance(column.dtype, np.dtype) else column.array


def column_arrays(table: pd.DataFrame) -> list:
    """Every column's values in order, as :func:`column_array` gives them, by position: a table
    converted whole (to Arrow, say) need not look each label up.

    pandas stores the columns in blocks (the numpy columns of one dtype together, one block per
    extension array); walking the blocks once costs half of asking for each column by position
    (``_get_column_array``, ≈0.5 µs a column: packing a report reads some seventy). It is used
    when it was checked, at import, to give the same arrays.
    """
    if _FAST_BLOCKS:
        return _arrays_by_block(table)
    if _FAST_COLUMNS:
        get = table._get_column_array
        return [get(i) for i in range(len(table.columns))]
    return [column_array(table, name) for name in table.columns]


def _arrays_by_block(table: pd.DataFrame) -> list:
    arrays = [None] * len(table.columns)
    for block in table._mgr.blocks:
        values, places = block.values, block._mgr_locs.indexer  # (a slice, or an array of positions)
        if values.ndim == 1:  # an extension array: one column
            arrays[places.start if type(places) is slice else places[0]] = values
        elif type(places) is slice:  # one row of a 2-D block per column
            arrays[places] = values
        else:
            for row, place in zip(values, places.tolist()):
                arrays[place] = row
    return arrays


def plain_columns(table: pd.DataFrame, names) -> list[list]:
    """Columns of a table as lists of plain Python values: numbers as ``int``/``float``, strings as
    ``str``, missing values of a nullable column (string, Int64 …) as ``None``.

    A nullable column is converted by Arrow (``__arrow_array__().to_pylist()``): pandas converts
    it element by element, four to eight times slower for a column of section titles.
    """
    out = []
    for name in names:
        values = column_array(table, name)
        if not isinstance(values, np.ndarray) and hasattr(values, "__arrow_array__"):
            out.append(values.__arrow_array__().to_pylist())
        else:
            out.append(values.tolist())
    return out


def _fast_columns_match() -> bool:
    """Whether ``DataFrame._get_column_array`` gives the arrays :func:`column_array` promises."""
    sample = pd.DataFrame({"a": np.array([1, 2], dtype="int64"), "b": pd.array(["x", None], dtype="string"),
                           "c": pd.array([1, None], dtype="Int64")})
    try:
        for i, name in enumerate(sample.columns):
            fast, column = sample._get_column_array(i), sample[name]
            slow = column.to_numpy() if isinstance(column.dtype, np.dtype) else column.array
            if type(fast) is not type(slow) or fast.dtype != slow.dtype or fast.tolist() != slow.tolist():
                return False
        return True
    except Exception:  # a pandas without it
        return False


_FAST_COLUMNS = _fast_columns_match()


def _fast_blocks_match() -> bool:
    """Whether walking the blocks (:func:`_arrays_by_block`) gives what ``_get_column_array`` gives,
    for numpy columns stored together (also apart, in a 2-D block), extension arrays and datetimes."""
    sample = pd.DataFrame({"a": np.array([1, 2], dtype="int64"), "b": pd.array(["x", None], dtype="string"),
                           "c": np.array([3, 4], dtype="int64"), "d": pd.array([1, None], dtype="Int64"),
                           "e": np.array([0.5, 1.5]), "f": pd.to_datetime(["2020-01-01", "2021-01-01"])})
    joined = pd.concat([sample, sample[["c", "a"]].add_suffix("2")], axis=1)  # a block's columns apart
    try:
        for table in (sample, joined, joined.copy()):  # (copy: one block of scattered int columns)
            for i, values in enumerate(_arrays_by_block(table)):
                slow = table._get_column_array(i)
                if (type(values) is not type(slow) or values.dtype != slow.dtype or values.shape != slow.shape
                        or values.tolist() != slow.tolist()):
                    return False
        return True
    except Exception:  # a pandas that stores columns otherwise
        return False


_FAST_BLOCKS = _FAST_COLUMNS and _fast_blocks_match()
