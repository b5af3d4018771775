"""Functions called by name (``call_function``/``call_udf``), ``hash``, assertions and ``btrim``."""
from __future__ import annotations

from typing import Any

from pyspk.sql.column import Column, col_or_name, to_expr
from pyspk.sql.expressions.base import UnresolvedFunction

ColumnOrName = Any


def call_function(funcName: str, *cols: ColumnOrName) -> Column:
    """Call a built-in, persistent or temporary (UDF) function by name, resolved like SQL text."""
    return Column(UnresolvedFunction(funcName, tuple(col_or_name(c) for c in cols)))


def call_udf(udfName: str, *cols: ColumnOrName) -> Column:
    """Call a UDF registered with ``spark.udf.register`` by name."""
    return call_function(udfName, *cols)


def assert_true(col: ColumnOrName, errMsg: Any = None) -> Column:
    """NULL when ``col`` is true; raises ``errMsg`` (default ``'<col>' is not true!``) otherwise."""
    args = (col_or_name(col),) if errMsg is None else (col_or_name(col), to_expr(errMsg))
    return Column(UnresolvedFunction("assert_true", args))


def raise_error(errMsg: Any) -> Column:
    """Fail the query with ``errMsg`` (a string or a string column)."""
    return Column(UnresolvedFunction("raise_error", (to_expr(errMsg),)))


def btrim(str: ColumnOrName, trim: ColumnOrName | None = None) -> Column:
    """Strip ``trim``'s characters (default spaces) from both ends of ``str``."""
    args = (col_or_name(str),) if trim is None else (col_or_name(str), col_or_name(trim))
    return Column(UnresolvedFunction("btrim", args))


def hash(*cols: ColumnOrName) -> Column:
    """Spark's 32-bit Murmur3 hash (seed 42) of the columns' values."""
    return call_function("hash", *cols)


__all__ = ["hash", "call_function", "call_udf", "assert_true", "raise_error", "btrim"]
