"""Render values the way Spark prints them in ``show()`` and in casts to string."""
from __future__ import annotations

import datetime
import decimal
from typing import Any, Callable

from pyspk.sql import types as T
from pyspk.sql.expressions.base import _java_double


def format_value(v: Any, dt: T.DataType | None = None,
                 ts_shift: Callable[[datetime.datetime], datetime.datetime] | None = None) -> str:
    """Spark's string form of one value (``NULL``, ``1.0E10``, ``[1, 2]``, ``{a -> 1}``).

    ``ts_shift`` turns a ``TIMESTAMP`` value (an instant) into the session's wall clock.
    """
    if v is None:
        return "NULL"
    if isinstance(dt, T.YearMonthIntervalType) and isinstance(v, int):
        sign = "-" if v < 0 else ""
        y, m = divmod(abs(v), 12)
        if dt.startField == dt.endField == 0:
            return f"INTERVAL '{sign}{y}' YEAR"
        if dt.startField == dt.endField == 1:
            return f"INTERVAL '{sign}{abs(v)}' MONTH"
        return f"INTERVAL '{sign}{y}-{m}' YEAR TO MONTH"
    if isinstance(dt, T.CalendarIntervalType):
        return format_calendar_interval(v.months, v.days, v.nanoseconds // 1000)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return _java_double(v)
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    if isinstance(v, datetime.datetime):
        if ts_shift is not None and isinstance(dt, T.TimestampType):
            v = ts_shift(v)
        return format_timestamp(v)
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, datetime.timedelta):
        return format_day_time_interval(v)
    if isinstance(v, (bytes, bytearray)):
        return "[" + " ".join(f"{b:02X}" for b in v) + "]"
    if isinstance(v, T.Row):
        inner = dt.fields if isinstance(dt, T.StructType) else [None] * len(v)
        return "{" + ", ".join(format_value(x, f.dataType if f else None, ts_shift)
                               for x, f in zip(v, inner)) + "}"
    if isinstance(v, dict):
        kt = dt.keyType if isinstance(dt, T.MapType) else None
        vt = dt.valueType if isinstance(dt, T.MapType) else None
        return "{" + ", ".join(f"{format_value(k, kt, ts_shift)} -> {format_value(x, vt, ts_shift)}"
                               for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        et = dt.elementType if isinstance(dt, T.ArrayType) else None
        return "[" + ", ".join(format_value(x, et, ts_shift) for x in v) + "]"
    return str(v)


def format_timestamp(v: datetime.datetime) -> str:
    """``2020-01-01 10:00:00`` with the fraction only when non-zero, trailing zeros trimmed."""
    base = v.strftime("%Y-%m-%d %H:%M:%S")
    if v.microsecond:
        base += "." + f"{v.microsecond:06d}".rstrip("0")
    return base


def format_day_time_interval(v: datetime.timedelta) -> str:
    """``INTERVAL '1 02:03:04' DAY TO SECOND`` as Spark shows a day-time interval."""
    total = int(v.total_seconds() * 1_000_000) if v.microseconds else int(v.total_seconds()) * 1_000_000
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rem = divmod(total, 86_400_000_000)
    hours, rem = divmod(rem, 3_600_000_000)
    minutes, rem = divmod(rem, 60_000_000)
    seconds, micros = divmod(rem, 1_000_000)
    frac = f".{micros:06d}" if micros else ""
    return f"INTERVAL '{sign}{days} {hours:02d}:{minutes:02d}:{seconds:02d}{frac}' DAY TO SECOND"


def format_calendar_interval(months: int, days: int, micros: int) -> str:
    """``100 years 11 months 8 days 12 hours 30 minutes 1.001001 seconds`` (zero units left out),
    as Spark prints a CalendarInterval."""
    if months == 0 and days == 0 and micros == 0:
        return "0 seconds"
    parts = []

    def unit(value: int, name: str) -> None:
        if value:
            parts.append(f"{value} {name}")
    if months:
        unit(int(months / 12), "years")
        unit(months - int(months / 12) * 12, "months")
    unit(days, "days")
    if micros:
        hours = int(micros / 3_600_000_000)
        rest = micros - hours * 3_600_000_000
        minutes = int(rest / 60_000_000)
        rest -= minutes * 60_000_000
        unit(hours, "hours")
        unit(minutes, "minutes")
        if rest:
            seconds = decimal.Decimal(rest).scaleb(-6).normalize()
            parts.append(f"{format(seconds, 'f')} seconds")
    return " ".join(parts)
