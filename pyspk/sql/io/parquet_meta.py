"""Parquet footers, read once per file version, and row-group pruning from their statistics.

A footer is cached by (path, size, mtime) so every query planning or scanning a file does not
re-read it. ``may_match`` decides from a row group's min/max/null counts whether a pushed-down
filter conjunct can be true for any of its rows; a scan reads only the groups where every conjunct
may match (Spark's Parquet filter push-down). Anything it cannot decide counts as "may match".
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Any, Sequence

import pyarrow.parquet as pq

from pyspk.sql import types as T
from pyspk.sql.expressions import predicates as P
from pyspk.sql.expressions.base import AttributeReference, Expression, Literal


@dataclass(frozen=True)
class ColumnStats:
    """One column chunk's statistics: bounds (None when absent) and null count."""

    min: Any
    max: Any
    null_count: int | None


@dataclass(frozen=True)
class RowGroupStats:
    num_rows: int
    columns: dict[str, ColumnStats]


@dataclass(frozen=True)
class FileStats:
    num_rows: int
    groups: tuple[RowGroupStats, ...]
    # String columns stored dictionary-encoded with few distinct values: decoding them as an
    # Arrow dictionary and then expanding is about twice as cheap as decoding plain strings.
    dictionary_columns: frozenset[str] = frozenset()


def _column_stats(chunk: Any) -> ColumnStats | None:
    st = chunk.statistics
    if st is None:
        return None
    exact = getattr(st, "is_min_value_exact", True) is not False and \
        getattr(st, "is_max_value_exact", True) is not False
    bounds = st.has_min_max and exact and st.physical_type not in ("FLOAT", "DOUBLE")
    return ColumnStats(st.min if bounds else None, st.max if bounds else None,
                       st.null_count if st.has_null_count else None)


_DICT_BYTES_PER_VALUE = 4


@functools.lru_cache(maxsize=1024)
def _read_footer(path: str, size: int, mtime_ns: int) -> FileStats:
    md = pq.ParquetFile(path).metadata
    groups = []
    dict_ok: dict[str, bool] = {}
    for g in range(md.num_row_groups):
        rg = md.row_group(g)
        cols = {}
        for c in range(rg.num_columns):
            chunk = rg.column(c)
            stats = _column_stats(chunk)
            if stats is not None and "." not in chunk.path_in_schema:
                cols[chunk.path_in_schema] = stats
            small = chunk.physical_type == "BYTE_ARRAY" and "RLE_DICTIONARY" in chunk.encodings \
                and chunk.total_uncompressed_size <= _DICT_BYTES_PER_VALUE * max(chunk.num_values, 1)
            dict_ok[chunk.path_in_schema] = dict_ok.get(chunk.path_in_schema, True) and small
        groups.append(RowGroupStats(rg.num_rows, cols))
    return FileStats(md.num_rows, tuple(groups),
                     frozenset(n for n, ok in dict_ok.items() if ok and "." not in n))


def file_stats(path: str) -> FileStats:
    """The (cached) footer statistics of one Parquet file."""
    st = os.stat(path)
    return _read_footer(path, st.st_size, st.st_mtime_ns)


def _comparable(attr: AttributeReference, lit: Literal) -> bool:
    a, b = attr.data_type, lit.data_type
    if isinstance(a, (T.FloatType, T.DoubleType)):
        return False
    integral = (T.ByteType, T.ShortType, T.IntegerType, T.LongType)
    if isinstance(a, integral) and isinstance(b, integral):
        return True
    if isinstance(a, T.DecimalType) and isinstance(b, T.DecimalType):
        return True
    return type(a) is type(b) and isinstance(a, (T.StringType, T.DateType, T.BooleanType))


def _bounds(e: Expression, group: RowGroupStats) -> tuple[AttributeReference, ColumnStats] | None:
    if not isinstance(e, AttributeReference):
        return None
    stats = group.columns.get(e.name)
    return (e, stats) if stats is not None else None


_FLIP = {P.LessThan: P.GreaterThan, P.GreaterThan: P.LessThan, P.EqualTo: P.EqualTo,
         P.LessThanOrEqual: P.GreaterThanOrEqual, P.GreaterThanOrEqual: P.LessThanOrEqual}


def _compare_may_match(op: type, st: ColumnStats, value: Any) -> bool:
    lo, hi = st.min, st.max
    if lo is None or hi is None:
        return True
    if op is P.EqualTo:
        return lo <= value <= hi
    if op is P.LessThan:
        return lo < value
    if op is P.LessThanOrEqual:
        return lo <= value
    if op is P.GreaterThan:
        return hi > value
    return hi >= value


def may_match(e: Expression, group: RowGroupStats) -> bool:
    """False only when the statistics prove ``e`` is not true for any row of ``group``."""
    try:
        return _may_match(e, group)
    except TypeError:
        return True


def _may_match(e: Expression, group: RowGroupStats) -> bool:
    if isinstance(e, P.And):
        return _may_match(e.left, group) and _may_match(e.right, group)
    if isinstance(e, P.Or):
        return _may_match(e.left, group) or _may_match(e.right, group)
    if type(e) in _FLIP:
        op, left, right = type(e), e.left, e.right
        if isinstance(left, Literal):
            op, left, right = _FLIP[op], right, left
        found = _bounds(left, group)
        if found is None or not isinstance(right, Literal) or not _comparable(found[0], right):
            return True
        if right.value is None:
            return False
        return _compare_may_match(op, found[1], right.value)
    if isinstance(e, P.In):
        found = _bounds(e.value, group)
        if found is None or not all(isinstance(i, Literal) and _comparable(found[0], i)
                                    for i in e.items):
            return True
        return any(i.value is not None and _compare_may_match(P.EqualTo, found[1], i.value)
                   for i in e.items)
    if isinstance(e, P.IsNull):
        found = _bounds(e.child, group)
        return found is None or found[1].null_count is None or found[1].null_count > 0
    if isinstance(e, P.IsNotNull):
        found = _bounds(e.child, group)
        return found is None or found[1].null_count is None or found[1].null_count < group.num_rows
    return True


def surviving_groups(path: str, filters: Sequence[Expression]) -> list[int]:
    """Row groups of ``path`` that may hold a row passing every filter."""
    stats = file_stats(path)
    return [i for i, g in enumerate(stats.groups) if all(may_match(f, g) for f in filters)]
