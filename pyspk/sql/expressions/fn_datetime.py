"""Date and time functions: fields (year, month, …), arithmetic, parsing and formatting."""
from __future__ import annotations

import dataclasses
import datetime

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.errors import DateTimeException
from pyspk.sql import types as T
from pyspk.sql.expressions.arithmetic import add_months, date_add_days
from pyspk.sql.expressions.base import ArrowValue, to_array
from pyspk.sql.expressions.datetime_format import format_one, parse_failure, parse_wall_clocks
from pyspk.sql.expressions.tz import local_to_utc, py_utc_to_local, utc_to_local, zoneinfo
from pyspk.sql.expressions.scalar import register

D, I, L, S = T.DateType(), T.IntegerType(), T.LongType(), T.StringType()
TS = T.TimestampType()


NTZ = T.TimestampNTZType()


def _date_fields(ts):
    """Date fields read the session's wall clock: a TIMESTAMP is first cast to TIMESTAMP_NTZ."""
    t = ts[0]
    return [NTZ if isinstance(t, T.TimestampType) else
            None if isinstance(t, (T.DateType, T.TimestampNTZType)) else D]


def _time_fields(ts):
    return [None if isinstance(ts[0], T.TimestampNTZType) else NTZ]


for _name, _k in [("year", pc.year), ("month", pc.month), ("quarter", pc.quarter),
                  ("dayofyear", pc.day_of_year)]:
    register(_name, (lambda k: lambda v, c, n: k(v[0]).cast(pa.int32()))(_k), I, _date_fields, 1, 1)
register("dayofmonth", lambda v, c, n: pc.day(v[0]).cast(pa.int32()), I, _date_fields, 1, 1,
         aliases=["day"])
register("dayofweek", lambda v, c, n: pc.add(pc.day_of_week(v[0], count_from_zero=False,
                                                            week_start=7), 0).cast(pa.int32()),
         I, _date_fields, 1, 1)
register("weekday", lambda v, c, n: pc.day_of_week(v[0]).cast(pa.int32()), I, _date_fields, 1, 1)
register("weekofyear", lambda v, c, n: pc.iso_week(v[0]).cast(pa.int32()), I, _date_fields, 1, 1)
register("hour", lambda v, c, n: pc.hour(v[0]).cast(pa.int32()), I, _time_fields, 1, 1)
register("minute", lambda v, c, n: pc.minute(v[0]).cast(pa.int32()), I, _time_fields, 1, 1)
register("second", lambda v, c, n: pc.second(v[0]).cast(pa.int32()), I, _time_fields, 1, 1)

register("date_add", lambda v, c, n: date_add_days(v[0], v[1]), D, [D, I], 2, 2, aliases=["dateadd"],
         pretty="date_add")
register("date_sub", lambda v, c, n: date_add_days(v[0], pc.negate(v[1])), D, [D, I], 2, 2)
register("add_months", lambda v, c, n: add_months(v[0], v[1]), D, [D, I], 2, 2)
register("datediff", lambda v, c, n: pc.subtract(v[0].cast(pa.int32()), v[1].cast(pa.int32())),
         I, [D, D], 2, 2, aliases=["date_diff"])


def _last_day(v, c, n):
    nxt = add_months(v[0], pa.scalar(1, pa.int32()))
    first = pc.subtract(nxt.cast(pa.int32()), pc.subtract(pc.day(nxt), 1).cast(pa.int32()))
    return pc.subtract(first, pa.scalar(1, pa.int32())).cast(pa.int32()).cast(pa.date32())


register("last_day", _last_day, D, [D], 1, 1)


def _months_between(v, c, n):
    """Spark's months_between on wall clocks: whole months when both days are equal or both are
    month ends, else the day/time difference over 31-day months; rounded to 8 digits when the
    third argument (default true) asks."""
    import calendar
    a = to_array(v[0], n).to_pylist()
    b = to_array(v[1], n).to_pylist()
    rounds = to_array(v[2], n).to_pylist() if len(v) > 2 else [True] * n
    out = []
    for x, y, r in zip(a, b, rounds):
        if x is None or y is None or r is None:
            out.append(None)
            continue
        months = (x.year - y.year) * 12 + (x.month - y.month)
        x_end = x.day == calendar.monthrange(x.year, x.month)[1]
        y_end = y.day == calendar.monthrange(y.year, y.month)[1]
        if x.day == y.day or (x_end and y_end):
            out.append(float(months))
            continue
        secs_x = x.day * 86400 + x.hour * 3600 + x.minute * 60 + x.second + x.microsecond / 1e6
        secs_y = y.day * 86400 + y.hour * 3600 + y.minute * 60 + y.second + y.microsecond / 1e6
        diff = months + (secs_x - secs_y) / (31 * 86400)
        out.append(round(diff, 8) if r else diff)
    return pa.array(out, pa.float64())


register("months_between", _months_between, T.DoubleType(), [NTZ, NTZ, T.BooleanType()], 2, 3,
         defaults=(True,))

DEFAULT_FORMAT = "yyyy-MM-dd HH:mm:ss"


def _format_instants(utc: ArrowValue, fmt: str, tz: str, n: int) -> pa.Array:
    """UTC instants rendered with a Spark pattern in the zone ``tz``."""
    wall = utc_to_local(to_array(utc, n), tz)
    zone = zoneinfo(tz) if any(ch in fmt for ch in "zVXxZO") else None
    out = []
    for x in wall.to_pylist():
        if x is None:
            out.append(None)
            continue
        if zone is not None:
            x = py_utc_to_local(x, "UTC").replace(tzinfo=zone, fold=0)
        out.append(format_one(x, fmt))
    return pa.array(out, pa.string())


def _date_format(v, c, n):
    return _format_instants(v[0], v[1].as_py(), c.time_zone, n)


register("date_format", _date_format, S, [TS, S], 2, 2, constants_from=1)


def cannot_parse(text: str, fmt: str) -> DateTimeException:
    """Spark's ``CANNOT_PARSE_TIMESTAMP`` for a string that does not match the pattern."""
    reason = parse_failure(text, fmt)
    return DateTimeException(
        f"[CANNOT_PARSE_TIMESTAMP] {reason}. Use `try_to_timestamp` to tolerate invalid input "
        f"string and return NULL instead. SQLSTATE: 22007", errorClass="CANNOT_PARSE_TIMESTAMP",
        messageParameters={"message": reason, "func": "`try_to_timestamp`"})


def parse_instants(v: ArrowValue, fmt: str | None, tz: str | None, n: int, fail: bool,
                   what: T.DataType = TS) -> pa.Array:
    """Strings (or dates/timestamps) to timestamps: instants (``tz`` given) or wall clocks.

    Without a pattern strings follow the cast rules; with one, they must match it. ``fail``:
    an unparseable string raises (ANSI) instead of giving NULL.
    """
    arr = to_array(v, n)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_timestamp(arr.type):
        return arr
    if pa.types.is_date(arr.type):
        wall = arr.cast(pa.timestamp("us"))
        return local_to_utc(wall, tz) if tz else wall
    arr = arr.cast(pa.string())
    if fmt is None:
        from pyspk.sql.expressions.cast import cast_value
        return cast_value(arr, S, what, ansi=fail, tz=tz or "UTC")
    wall, zones = parse_wall_clocks(arr, fmt)
    if fail:
        bad = pc.and_(pc.is_valid(arr), pc.is_null(wall))
        if pc.any(bad).as_py():
            raise cannot_parse(pc.filter(arr, bad)[0].as_py(), fmt)
    if tz is None:
        return wall
    out = local_to_utc(wall, tz)
    if zones is not None and pc.any(pc.is_valid(zones)).as_py():
        for zone in pc.unique(pc.drop_null(zones)).to_pylist():
            mask = pc.fill_null(pc.equal(zones, zone), False)
            out = pc.if_else(mask, local_to_utc(wall, "UTC" if zone == "Z" else zone), out)
    return out


def _fmt_arg(v) -> str | None:
    return v[1].as_py() if len(v) > 1 else None


def _to_date(v, c, n):
    if pa.types.is_timestamp(v[0].type) or pa.types.is_date(v[0].type):
        return v[0].cast(pa.date32(), safe=False)
    wall = parse_instants(v[0], _fmt_arg(v), None, n, c.ansi, D if len(v) == 1 else NTZ)
    return wall.cast(pa.date32(), safe=False)


def _to_timestamp(v, c, n):
    return parse_instants(v[0], _fmt_arg(v), c.time_zone, n, c.ansi)


def _to_timestamp_ntz(v, c, n):
    return parse_instants(v[0], _fmt_arg(v), None, n, c.ansi, NTZ)


def _wall_or_string(ts):
    return [NTZ if isinstance(ts[0], T.TimestampType) else None, S][:len(ts)]


register("to_date", _to_date, D, _wall_or_string, 1, 2, constants_from=1)
register("to_timestamp", _to_timestamp, TS, lambda ts: [None, S][:len(ts)], 1, 2,
         constants_from=1)
register("to_timestamp_ltz", _to_timestamp, TS, lambda ts: [None, S][:len(ts)], 1, 2,
         constants_from=1)
register("to_timestamp_ntz", _to_timestamp_ntz, NTZ, _wall_or_string, 1, 2, constants_from=1)


def _try(kernel):
    def k(v, c, n):
        return kernel(v, dataclasses.replace(c, ansi=False), n)
    return k


register("try_to_timestamp", _try(_to_timestamp), TS, lambda ts: [None, S][:len(ts)], 1, 2,
         constants_from=1)
register("try_to_date", _try(_to_date), D, _wall_or_string, 1, 2, constants_from=1)


def _seconds(utc: pa.Array) -> pa.Array:
    micros = utc.cast(pa.int64())
    q = pc.divide(micros, 1_000_000)
    return pc.if_else(pc.and_(pc.less(micros, 0), pc.not_equal(pc.multiply(q, 1_000_000), micros)),
                      pc.subtract(q, 1), q)


def _unix_timestamp(v, c, n):
    if not v:
        now = datetime.datetime.now(datetime.timezone.utc)
        return pa.scalar(int(now.timestamp()), pa.int64())
    fmt = v[1].as_py() if len(v) > 1 else DEFAULT_FORMAT
    return _seconds(parse_instants(v[0], fmt, c.time_zone, n, c.ansi))


register("unix_timestamp", _unix_timestamp, L, lambda ts: [None, S][:len(ts)], 0, 2,
         deterministic=False, constants_from=1, defaults=(DEFAULT_FORMAT,))
register("to_unix_timestamp", _unix_timestamp, L, lambda ts: [None, S][:len(ts)], 1, 2,
         constants_from=1, defaults=(DEFAULT_FORMAT,))


def _from_unixtime(v, c, n):
    secs = to_array(v[0], n).cast(pa.int64())
    utc = pc.multiply_checked(secs, 1_000_000).cast(pa.timestamp("us"))
    return _format_instants(utc, v[1].as_py() if len(v) > 1 else DEFAULT_FORMAT, c.time_zone, n)


register("from_unixtime", _from_unixtime, S, [L, S], 1, 2, constants_from=1,
         defaults=(DEFAULT_FORMAT,))


def _now_utc() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


register("current_date", lambda v, c, n: pa.scalar(
    py_utc_to_local(_now_utc(), c.time_zone).date(), pa.date32()), D, None,
    0, 0, deterministic=False, nullable=False, aliases=["curdate"])
register("current_timestamp", lambda v, c, n: pa.scalar(_now_utc(), pa.timestamp("us")),
         TS, None, 0, 0, deterministic=False, nullable=False, aliases=["now"])
register("localtimestamp", lambda v, c, n: pa.scalar(py_utc_to_local(_now_utc(), c.time_zone),
                                                     pa.timestamp("us")),
         NTZ, None, 0, 0, deterministic=False, nullable=False)


def _from_utc_timestamp(v, c, n):
    """``from_utc_timestamp(t, z)``: t's wall clock read as UTC, shown as z's wall clock."""
    zone = v[1].as_py()
    session_wall = utc_to_local(to_array(v[0], n), c.time_zone)
    return local_to_utc(utc_to_local(session_wall, zone), c.time_zone)


def _to_utc_timestamp(v, c, n):
    """``to_utc_timestamp(t, z)``: t's wall clock read in z, shown as the UTC wall clock."""
    zone = v[1].as_py()
    session_wall = utc_to_local(to_array(v[0], n), c.time_zone)
    return local_to_utc(local_to_utc(session_wall, zone), c.time_zone)


def _convert_timezone(v, c, n):
    """convert_timezone([source,] target, ts): a TIMESTAMP_NTZ wall clock moved between zones."""
    source, target, ts = (v if len(v) == 3 else [pa.scalar(c.time_zone), *v])
    utc = local_to_utc(to_array(ts, n), source.as_py())
    return utc_to_local(utc, target.as_py())


register("convert_timezone", _convert_timezone, NTZ,
         lambda ts: [S] * (len(ts) - 1) + [NTZ], 2, 3, constants_from=0)
register("from_utc_timestamp", _from_utc_timestamp, TS, [TS, S], 2, 2, constants_from=1)
register("to_utc_timestamp", _to_utc_timestamp, TS, [TS, S], 2, 2, constants_from=1)


_TRUNC_UNITS = {"year": "year", "yyyy": "year", "yy": "year", "quarter": "quarter",
                "month": "month", "mon": "month", "mm": "month", "week": "week", "day": "day",
                "dd": "day", "hour": "hour", "minute": "minute", "second": "second"}


def _date_trunc(v, c, n):
    unit = _TRUNC_UNITS.get(v[0].as_py().lower())
    if unit is None:
        return pa.nulls(n, pa.timestamp("us"))
    wall = utc_to_local(to_array(v[1], n), c.time_zone)
    return local_to_utc(pc.floor_temporal(wall, unit=unit, week_starts_monday=True), c.time_zone)


register("date_trunc", _date_trunc, TS, [S, TS], 2, 2)


def _trunc(v, c, n):
    unit = _TRUNC_UNITS.get(v[1].as_py().lower())
    if unit is None or unit in ("day", "hour", "minute", "second"):
        return pa.nulls(n, pa.date32())
    ts = v[0].cast(pa.timestamp("s"))
    return pc.floor_temporal(ts, unit=unit, week_starts_monday=True).cast(pa.date32())


register("trunc", _trunc, D, [D, S], 2, 2)
register("make_date", lambda v, c, n: pa.array(
    [None if None in t else datetime.date(*t) for t in zip(*(to_array(a, n).to_pylist() for a in v))],
    pa.date32()), D, [I, I, I], 3, 3)
register("unix_date", lambda v, c, n: v[0].cast(pa.int32()), I, [D], 1, 1)
register("date_from_unix_date", lambda v, c, n: v[0].cast(pa.int32()).cast(pa.date32()), D, [I], 1, 1)


_UNIT_SECONDS = {"microsecond": 1e-6, "millisecond": 1e-3, "second": 1, "minute": 60, "hour": 3600,
                 "day": 86400, "week": 604800}


def _timestamp_diff(v, c, n):
    unit = v[0].as_py().lower()
    starts = to_array(v[1], n).to_pylist()
    ends = to_array(v[2], n).to_pylist()
    out = []
    for a, b in zip(starts, ends):
        if a is None or b is None:
            out.append(None)
        elif unit in ("month", "quarter", "year"):
            months = (b.year - a.year) * 12 + (b.month - a.month)
            if (b.day, getattr(b, "hour", 0), getattr(b, "minute", 0)) < (a.day, getattr(a, "hour", 0), getattr(a, "minute", 0)):
                months -= 1 if months > 0 else 0
            out.append(months // {"month": 1, "quarter": 3, "year": 12}[unit])
        else:
            delta = (b - a).total_seconds()
            out.append(int(delta / _UNIT_SECONDS[unit]))
    return pa.array(out, pa.int64())


register("timestamp_diff", _timestamp_diff, L, [S, NTZ, NTZ], 3, 3, aliases=["timestampdiff"],
         pretty="timestampdiff")


def _timestamp_add(v, c, n):
    unit = v[0].as_py().lower()
    amounts = to_array(v[1], n).to_pylist()
    stamps = to_array(v[2], n).to_pylist()
    out = []
    for q, t in zip(amounts, stamps):
        if q is None or t is None:
            out.append(None)
        elif unit in ("month", "quarter", "year"):
            from pyspk.sql.expressions.arithmetic import _shift_months
            out.append(_shift_months(t, q * {"month": 1, "quarter": 3, "year": 12}[unit]))
        else:
            out.append(t + datetime.timedelta(seconds=q * _UNIT_SECONDS[unit]))
    return pa.array(out, pa.timestamp("us"))


register("timestamp_add", _timestamp_add, TS, [S, L, TS], 3, 3, aliases=["timestampadd"],
         pretty="timestampadd")

_PARTS = {"year": pc.year, "month": pc.month, "day": pc.day, "hour": pc.hour,
          "minute": pc.minute, "quarter": pc.quarter, "week": pc.iso_week, "doy": pc.day_of_year}
# Spark's accepted spellings of each field (date_part/extract).
_PART_NAMES = {
    **dict.fromkeys(["year", "y", "years", "yr", "yrs", "yyyy"], "year"),
    **dict.fromkeys(["month", "mon", "mons", "months"], "month"),
    **dict.fromkeys(["day", "d", "days", "dayofmonth"], "day"),
    **dict.fromkeys(["hour", "h", "hours", "hr", "hrs"], "hour"),
    **dict.fromkeys(["minute", "m", "min", "mins", "minutes"], "minute"),
    **dict.fromkeys(["second", "s", "sec", "secs", "seconds"], "second"),
    **dict.fromkeys(["quarter", "qtr"], "quarter"),
    **dict.fromkeys(["week", "w", "weeks"], "week"),
    **dict.fromkeys(["doy", "dayofyear"], "doy"),
    **dict.fromkeys(["dow", "dayofweek"], "dow"),
}


def _date_part(v, c, n):
    field = _PART_NAMES.get(v[0].as_py().lower(), v[0].as_py().lower())
    x = v[1]
    if field == "second":
        secs = pc.add(pc.second(x).cast(pa.float64()), pc.divide(pc.microsecond(x).cast(pa.float64()), 1e6))
        return pc.round(secs, 6).cast(pa.decimal128(8, 6))
    if field == "dow":
        return pc.day_of_week(x, count_from_zero=False, week_start=7).cast(pa.int32())
    return _PARTS[field](x).cast(pa.int32())


def _date_part_type(ts):
    return I


register("date_part", _date_part, _date_part_type,
         lambda ts: [None, NTZ if isinstance(ts[1], T.TimestampType) else None], 2, 2,
         aliases=["datepart"])


def _make_dt_interval(v, c, n):
    cols = [to_array(x, n).to_pylist() for x in v]
    out = []
    for row in zip(*cols) if cols else [()] * n:
        if any(x is None for x in row):
            out.append(None)
            continue
        d, h, m, s = (list(row) + [0, 0, 0, 0])[:4]
        out.append(datetime.timedelta(days=d, hours=h, minutes=m, seconds=float(s)))
    return pa.array(out, pa.duration("us"))


register("make_dt_interval", _make_dt_interval, T.DayTimeIntervalType(0, 3),
         [L, I, I, T.DecimalType(18, 6)], 0, 4, defaults=(0, 0, 0, 0))


def _make_ym_interval(v, c, n):
    cols = [to_array(x, n).to_pylist() for x in v]
    out = []
    for row in zip(*cols) if cols else [()] * n:
        y, m = (list(row) + [0, 0])[:2]
        out.append(None if y is None or m is None else y * 12 + m)
    return pa.array(out, pa.int32())


register("make_ym_interval", _make_ym_interval, T.YearMonthIntervalType(0, 1), [I, I], 0, 2,
         defaults=(0, 0))


def _make_interval(try_: bool):
    """make_interval(years, months, weeks, days, hours, mins, secs): a CalendarInterval; an
    overflow raises ARITHMETIC_OVERFLOW under ANSI (NULL for try_make_interval)."""
    def k(v, c, n):
        from pyspk.sql.expressions.arithmetic import overflow_error
        cols = [to_array(x, n).to_pylist() for x in v]
        out = []
        for y, mo, w, d, h, mi, sec in zip(*cols):
            if None in (y, mo, w, d, h, mi, sec):
                out.append(None)
                continue
            months, days = y * 12 + mo, w * 7 + d
            micros = h * 3_600_000_000 + mi * 60_000_000 + int(sec * 1_000_000)
            if not (-2 ** 31 <= months < 2 ** 31 and -2 ** 31 <= days < 2 ** 31
                    and -2 ** 63 <= micros < 2 ** 63):
                if c.ansi and not try_:
                    raise overflow_error(None)
                out.append(None)
                continue
            out.append((months, days, micros * 1000))
        return pa.array(out, pa.month_day_nano_interval())
    return k


_INTERVAL_INPUTS = [I, I, I, I, I, I, T.DecimalType(18, 6)]
register("make_interval", _make_interval(False), T.CalendarIntervalType(), _INTERVAL_INPUTS, 0, 7,
         defaults=(0, 0, 0, 0, 0, 0, 0))
register("try_make_interval", _make_interval(True), T.CalendarIntervalType(), _INTERVAL_INPUTS,
         0, 7, defaults=(0, 0, 0, 0, 0, 0, 0))
