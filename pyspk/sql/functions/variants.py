"""VARIANT column functions (parse_json, variant_get, schema_of_variant, variant updates) and
make_interval."""
from __future__ import annotations

from typing import Any

from pyspk.sql.column import Column, col_or_name, to_expr
from pyspk.sql.expressions.base import Literal
from pyspk.sql.functions.more import _call

ColumnOrName = Any



def parse_json(col: ColumnOrName) -> Column:
    return _call("parse_json", col_or_name(col))


def try_parse_json(col: ColumnOrName) -> Column:
    return _call("try_parse_json", col_or_name(col))


def is_variant_null(v: ColumnOrName) -> Column:
    return _call("is_variant_null", col_or_name(v))


def is_valid_variant(v: ColumnOrName) -> Column:
    return _call("is_valid_variant", col_or_name(v))


def schema_of_variant(v: ColumnOrName) -> Column:
    return _call("schema_of_variant", col_or_name(v))


def schema_of_variant_agg(v: ColumnOrName) -> Column:
    return _call("schema_of_variant_agg", col_or_name(v))


def to_variant_object(col: ColumnOrName) -> Column:
    return _call("to_variant_object", col_or_name(col))


def variant_get(v: ColumnOrName, path: Any, targetType: str) -> Column:
    return _call("variant_get", col_or_name(v), to_expr(path), Literal.of(targetType))


def try_variant_get(v: ColumnOrName, path: Any, targetType: str) -> Column:
    return _call("try_variant_get", col_or_name(v), to_expr(path), Literal.of(targetType))


def variant_insert(v: ColumnOrName, path: Any, value: ColumnOrName) -> Column:
    return _call("variant_insert", col_or_name(v), to_expr(path), col_or_name(value))


def try_variant_insert(v: ColumnOrName, path: Any, value: ColumnOrName) -> Column:
    return _call("try_variant_insert", col_or_name(v), to_expr(path), col_or_name(value))


def variant_set(v: ColumnOrName, path: Any, value: ColumnOrName,
                create_if_missing: bool = True) -> Column:
    return _call("variant_set", col_or_name(v), to_expr(path), col_or_name(value),
                 Literal.of(create_if_missing))


def try_variant_set(v: ColumnOrName, path: Any, value: ColumnOrName,
                    create_if_missing: bool = True) -> Column:
    return _call("try_variant_set", col_or_name(v), to_expr(path), col_or_name(value),
                 Literal.of(create_if_missing))


def variant_delete(v: ColumnOrName, *paths: Any) -> Column:
    return _call("variant_delete", col_or_name(v), *(to_expr(p) for p in paths))


def try_variant_delete(v: ColumnOrName, *paths: Any) -> Column:
    return _call("try_variant_delete", col_or_name(v), *(to_expr(p) for p in paths))


def variant_array_append(v: ColumnOrName, path: Any, value: ColumnOrName) -> Column:
    return _call("variant_array_append", col_or_name(v), to_expr(path), col_or_name(value))


def try_variant_array_append(v: ColumnOrName, path: Any, value: ColumnOrName) -> Column:
    return _call("try_variant_array_append", col_or_name(v), to_expr(path), col_or_name(value))


def variant_strip_nulls(v: ColumnOrName, include_arrays: bool = True) -> Column:
    return _call("variant_strip_nulls", col_or_name(v), Literal.of(include_arrays))


__all__ = ["parse_json", "try_parse_json", "is_variant_null", "is_valid_variant",
           "schema_of_variant", "schema_of_variant_agg", "to_variant_object", "variant_get",
           "try_variant_get", "variant_insert", "try_variant_insert", "variant_set",
           "try_variant_set", "variant_delete", "try_variant_delete", "variant_array_append",
           "try_variant_array_append", "variant_strip_nulls"]


def _interval(name: str, parts: tuple) -> Column:
    return _call(name, *(Literal.of(0) if p is None else col_or_name(p) for p in parts))


def make_interval(years: Any = None, months: Any = None, weeks: Any = None, days: Any = None,
                  hours: Any = None, mins: Any = None, secs: Any = None) -> Column:
    """A CalendarInterval from its parts (columns or names; missing parts are 0)."""
    return _interval("make_interval", (years, months, weeks, days, hours, mins, secs))


def try_make_interval(years: Any = None, months: Any = None, weeks: Any = None,
                      days: Any = None, hours: Any = None, mins: Any = None,
                      secs: Any = None) -> Column:
    """``make_interval`` that gives NULL instead of failing on overflow."""
    return _interval("try_make_interval", (years, months, weeks, days, hours, mins, secs))


__all__ += ["make_interval", "try_make_interval"]
