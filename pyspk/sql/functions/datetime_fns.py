"""Date/time column functions whose string arguments are literals (zones, formats, day names),
as PySpark's signatures say, rather than column names."""
from __future__ import annotations

from typing import Any

from pyspk.sql.column import Column, col_or_name, to_expr
from pyspk.sql.functions.more import _call

ColumnOrName = Any




def from_utc_timestamp(timestamp: ColumnOrName, tz: Any) -> Column:
    return _call("from_utc_timestamp", col_or_name(timestamp), to_expr(tz))


def to_utc_timestamp(timestamp: ColumnOrName, tz: Any) -> Column:
    return _call("to_utc_timestamp", col_or_name(timestamp), to_expr(tz))


def next_day(date: ColumnOrName, dayOfWeek: Any) -> Column:
    return _call("next_day", col_or_name(date), to_expr(dayOfWeek))


def try_to_date(col: ColumnOrName, format: Any = None) -> Column:
    return _call("try_to_date", col_or_name(col), None if format is None else to_expr(format))


def convert_timezone(sourceTz: Any, targetTz: Any, sourceTs: ColumnOrName) -> Column:
    return _call("convert_timezone", None if sourceTz is None else to_expr(sourceTz),
                 to_expr(targetTz), col_or_name(sourceTs))


def _make(name: str, parts: tuple, timezone: Any = None) -> Column:
    args = [col_or_name(p) for p in parts]
    if timezone is not None:
        args.append(col_or_name(timezone))
    return _call(name, *args)


def make_timestamp(years: Any, months: Any, days: Any, hours: Any, mins: Any, secs: Any,
                   timezone: Any = None) -> Column:
    return _make("make_timestamp", (years, months, days, hours, mins, secs), timezone)


def try_make_timestamp(years: Any, months: Any, days: Any, hours: Any, mins: Any, secs: Any,
                       timezone: Any = None) -> Column:
    return _make("try_make_timestamp", (years, months, days, hours, mins, secs), timezone)


def make_timestamp_ltz(years: Any, months: Any, days: Any, hours: Any, mins: Any, secs: Any,
                       timezone: Any = None) -> Column:
    return _make("make_timestamp_ltz", (years, months, days, hours, mins, secs), timezone)


def try_make_timestamp_ltz(years: Any, months: Any, days: Any, hours: Any, mins: Any, secs: Any,
                           timezone: Any = None) -> Column:
    return _make("try_make_timestamp_ltz", (years, months, days, hours, mins, secs), timezone)


def make_timestamp_ntz(years: Any, months: Any, days: Any, hours: Any, mins: Any,
                       secs: Any) -> Column:
    return _make("make_timestamp_ntz", (years, months, days, hours, mins, secs))


def try_make_timestamp_ntz(years: Any, months: Any, days: Any, hours: Any, mins: Any,
                           secs: Any) -> Column:
    return _make("try_make_timestamp_ntz", (years, months, days, hours, mins, secs))


__all__ = ["from_utc_timestamp", "to_utc_timestamp", "next_day", "try_to_date",
           "convert_timezone", "make_timestamp", "try_make_timestamp", "make_timestamp_ltz",
           "try_make_timestamp_ltz", "make_timestamp_ntz", "try_make_timestamp_ntz"]
