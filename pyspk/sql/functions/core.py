"""Core functions: columns and literals, conditionals, aggregates, windows, generators."""
from __future__ import annotations

from typing import Any

from pyspk.errors import PySparkTypeError, PySparkValueError
from pyspk.sql import types as T
from pyspk.sql.column import Column, col_or_name, to_expr
from pyspk.sql.expressions.base import Literal, SortOrder, UnresolvedFunction
from pyspk.sql.expressions.conditional import CaseWhen
from pyspk.sql.expressions.fn_collection import CreateMap, CreateStruct
from pyspk.sql.expressions.generators import Explode

ColumnOrName = Any


def _c(x: ColumnOrName) -> Any:
    return col_or_name(x)


def _fn(name: str, *cols: ColumnOrName, distinct: bool = False) -> Column:
    return Column(UnresolvedFunction(name, tuple(_c(c) for c in cols), distinct=distinct))


def _fnl(name: str, *args: Any) -> Column:
    """Call with the first argument a column and the rest literals (or columns)."""
    first, rest = args[0], args[1:]
    return Column(UnresolvedFunction(name, (_c(first),) + tuple(to_expr(a) for a in rest)))


def col(col: str) -> Column:
    return Column(col_or_name(col))


column = col


def lit(col: Any) -> Column:
    if isinstance(col, Column):
        return col
    if isinstance(col, list):
        return array(*[lit(v) for v in col])
    try:
        import numpy as np
        if isinstance(col, np.generic):
            col = col.item()
    except ImportError:
        pass
    return Column(Literal.of(col))


def expr(str: str) -> Column:
    from pyspk.sql.sql_frontend import parse_expression
    return Column(parse_expression(str))


def asc(col: ColumnOrName) -> Column:
    return Column(SortOrder(_c(col), True))


def desc(col: ColumnOrName) -> Column:
    return Column(SortOrder(_c(col), False))


def asc_nulls_first(col: ColumnOrName) -> Column:
    return Column(SortOrder(_c(col), True, True))


def asc_nulls_last(col: ColumnOrName) -> Column:
    return Column(SortOrder(_c(col), True, False))


def desc_nulls_first(col: ColumnOrName) -> Column:
    return Column(SortOrder(_c(col), False, True))


def desc_nulls_last(col: ColumnOrName) -> Column:
    return Column(SortOrder(_c(col), False, False))


def when(condition: Column, value: Any) -> Column:
    if not isinstance(condition, Column):
        raise PySparkTypeError("[NOT_COLUMN] Argument `condition` should be a Column, got "
                               f"{type(condition).__name__}.", errorClass="NOT_COLUMN")
    return Column(CaseWhen((condition._expr,), (to_expr(value),)))


def coalesce(*cols: ColumnOrName) -> Column:
    return _fn("coalesce", *cols)


def isnull(col: ColumnOrName) -> Column:
    return _fn("isnull", col)


def isnotnull(col: ColumnOrName) -> Column:
    return _fn("isnotnull", col)


def isnan(col: ColumnOrName) -> Column:
    return _fn("isnan", col)


def nanvl(col1: ColumnOrName, col2: ColumnOrName) -> Column:
    return _fn("nanvl", col1, col2)


def nvl(col1: ColumnOrName, col2: ColumnOrName) -> Column:
    return _fn("nvl", col1, col2)


def ifnull(col1: ColumnOrName, col2: ColumnOrName) -> Column:
    return _fn("ifnull", col1, col2)


def nvl2(col1: ColumnOrName, col2: ColumnOrName, col3: ColumnOrName) -> Column:
    return _fn("nvl2", col1, col2, col3)


def nullif(col1: ColumnOrName, col2: ColumnOrName) -> Column:
    return _fn("nullif", col1, col2)


def greatest(*cols: ColumnOrName) -> Column:
    if len(cols) < 2:
        raise PySparkValueError("[WRONG_NUM_COLUMNS] Function `greatest` should take at least 2 "
                                "columns.", errorClass="WRONG_NUM_COLUMNS")
    return _fn("greatest", *cols)


def least(*cols: ColumnOrName) -> Column:
    if len(cols) < 2:
        raise PySparkValueError("[WRONG_NUM_COLUMNS] Function `least` should take at least 2 "
                                "columns.", errorClass="WRONG_NUM_COLUMNS")
    return _fn("least", *cols)


# -- aggregates ------------------------------------------------------------------------------
def count(col: ColumnOrName) -> Column:
    if isinstance(col, str) and col == "*":
        return Column(UnresolvedFunction("count", (), is_star=True))
    return _fn("count", col)


def sum(col: ColumnOrName) -> Column:
    return _fn("sum", col)


def avg(col: ColumnOrName) -> Column:
    return _fn("avg", col)


def mean(col: ColumnOrName) -> Column:
    return Column(UnresolvedFunction("mean", (_c(col),)))


def min(col: ColumnOrName) -> Column:
    return _fn("min", col)


def max(col: ColumnOrName) -> Column:
    return _fn("max", col)


def first(col: ColumnOrName, ignorenulls: bool = False) -> Column:
    return Column(UnresolvedFunction("first", (_c(col),), ignore_nulls=ignorenulls))


def last(col: ColumnOrName, ignorenulls: bool = False) -> Column:
    return Column(UnresolvedFunction("last", (_c(col),), ignore_nulls=ignorenulls))


def any_value(col: ColumnOrName, ignoreNulls: Any = None) -> Column:
    return Column(UnresolvedFunction("any_value", (_c(col),), ignore_nulls=bool(ignoreNulls)))


def countDistinct(col: ColumnOrName, *cols: ColumnOrName) -> Column:
    return _fn("count", col, *cols, distinct=True)


count_distinct = countDistinct


def sumDistinct(col: ColumnOrName) -> Column:
    return _fn("sum", col, distinct=True)


sum_distinct = sumDistinct


def approx_count_distinct(col: ColumnOrName, rsd: float | None = None) -> Column:
    return _fn("approx_count_distinct", col)


approxCountDistinct = approx_count_distinct


def collect_list(col: ColumnOrName) -> Column:
    return _fn("collect_list", col)


def collect_set(col: ColumnOrName) -> Column:
    return _fn("collect_set", col)


def stddev(col: ColumnOrName) -> Column:
    return _fn("stddev", col)


def std(col: ColumnOrName) -> Column:
    return _fn("std", col)


def stddev_samp(col: ColumnOrName) -> Column:
    return _fn("stddev_samp", col)


def stddev_pop(col: ColumnOrName) -> Column:
    return _fn("stddev_pop", col)


def variance(col: ColumnOrName) -> Column:
    return _fn("variance", col)


def var_samp(col: ColumnOrName) -> Column:
    return _fn("var_samp", col)


def var_pop(col: ColumnOrName) -> Column:
    return _fn("var_pop", col)


def bool_and(col: ColumnOrName) -> Column:
    return _fn("bool_and", col)


def bool_or(col: ColumnOrName) -> Column:
    return _fn("bool_or", col)


def every(col: ColumnOrName) -> Column:
    return _fn("every", col)


def some(col: ColumnOrName) -> Column:
    return _fn("some", col)


def count_if(col: ColumnOrName) -> Column:
    return _fn("count_if", col)


def median(col: ColumnOrName) -> Column:
    return _fn("median", col)


def percentile_approx(col: ColumnOrName, percentage: Any, accuracy: Any = 10000) -> Column:
    return Column(UnresolvedFunction("percentile_approx", (_c(col), to_expr(percentage),
                                                            to_expr(accuracy))))


approx_percentile = percentile_approx


def percentile(col: ColumnOrName, percentage: Any, frequency: Any = 1) -> Column:
    return Column(UnresolvedFunction("percentile", (_c(col), to_expr(percentage))))


# -- windows ---------------------------------------------------------------------------------
def row_number() -> Column:
    return Column(UnresolvedFunction("row_number", ()))


def rank() -> Column:
    return Column(UnresolvedFunction("rank", ()))


def dense_rank() -> Column:
    return Column(UnresolvedFunction("dense_rank", ()))


def percent_rank() -> Column:
    return Column(UnresolvedFunction("percent_rank", ()))


def cume_dist() -> Column:
    return Column(UnresolvedFunction("cume_dist", ()))


def ntile(n: int) -> Column:
    return Column(UnresolvedFunction("ntile", (Literal.of(n),)))


def lag(col: ColumnOrName, offset: int = 1, default: Any = None) -> Column:
    return Column(UnresolvedFunction("lag", (_c(col), Literal.of(offset), to_expr(default))))


def lead(col: ColumnOrName, offset: int = 1, default: Any = None) -> Column:
    return Column(UnresolvedFunction("lead", (_c(col), Literal.of(offset), to_expr(default))))


def nth_value(col: ColumnOrName, offset: int, ignoreNulls: bool = False) -> Column:
    return Column(UnresolvedFunction("nth_value", (_c(col), Literal.of(offset)),
                                     ignore_nulls=ignoreNulls))


# -- structures and generators ---------------------------------------------------------------
def _flat(cols: tuple) -> list:
    return list(cols[0]) if len(cols) == 1 and isinstance(cols[0], (list, tuple, set)) else list(cols)


def array(*cols: ColumnOrName) -> Column:
    return _fn("array", *_flat(cols))


def struct(*cols: ColumnOrName) -> Column:
    return _fn("struct", *_flat(cols))


def named_struct(*cols: ColumnOrName) -> Column:
    items = list(cols)
    names = [c._expr.value if isinstance(c, Column) and isinstance(c._expr, Literal) else c
             for c in items[0::2]]
    return Column(CreateStruct(tuple(str(n) for n in names), tuple(_c(c) for c in items[1::2]), True))


def create_map(*cols: ColumnOrName) -> Column:
    return Column(CreateMap(tuple(_c(c) for c in _flat(cols))))


def explode(col: ColumnOrName) -> Column:
    return Column(Explode(_c(col)))


def explode_outer(col: ColumnOrName) -> Column:
    return Column(Explode(_c(col), outer=True))


def posexplode(col: ColumnOrName) -> Column:
    return Column(Explode(_c(col), position=True))


def posexplode_outer(col: ColumnOrName) -> Column:
    return Column(Explode(_c(col), position=True, outer=True))


def inline(col: ColumnOrName) -> Column:
    return Column(Explode(_c(col), inline=True))


def inline_outer(col: ColumnOrName) -> Column:
    return Column(Explode(_c(col), inline=True, outer=True))


def broadcast(df: Any) -> Any:
    return df


__all__ = [n for n in list(globals()) if not n.startswith("_") and n not in (
    "annotations", "Any", "PySparkTypeError", "PySparkValueError", "T", "Column", "col_or_name",
    "to_expr", "Literal", "SortOrder", "UnresolvedFunction", "CaseWhen", "CreateMap",
    "CreateStruct", "Explode", "ColumnOrName")] + ["Column"]
