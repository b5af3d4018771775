"""Date and time functions: fields (year, month, …), arithmetic, parsing and formatting."""
from __future__ import annotations

import datetime
import re

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql import types as T
from pyspk.sql.expressions.arithmetic import add_months, date_add_days
from pyspk.sql.expressions.base import to_array
from pyspk.sql.expressions.scalar import register

D, I, L, S = T.DateType(), T.IntegerType(), T.LongType(), T.StringType()
TS = T.TimestampType()


def _field(name: str, kernel, input_type=D, aliases=()):
    register(name, lambda v, c, n: kernel(v[0]).cast(pa.int32()), I, [input_type], 1, 1,
             aliases=aliases)


def _date_or_ts(ts):
    return [None if isinstance(ts[0], (T.DateType, T.TimestampType, T.TimestampNTZType)) else D]


for _name, _k in [("year", pc.year), ("month", pc.month), ("quarter", pc.quarter),
                  ("dayofyear", pc.day_of_year)]:
    register(_name, (lambda k: lambda v, c, n: k(v[0]).cast(pa.int32()))(_k), I, _date_or_ts, 1, 1)
register("dayofmonth", lambda v, c, n: pc.day(v[0]).cast(pa.int32()), I, _date_or_ts, 1, 1,
         aliases=["day"])
register("dayofweek", lambda v, c, n: pc.add(pc.day_of_week(v[0], count_from_zero=False,
                                                            week_start=7), 0).cast(pa.int32()),
         I, _date_or_ts, 1, 1)
register("weekday", lambda v, c, n: pc.day_of_week(v[0]).cast(pa.int32()), I, _date_or_ts, 1, 1)
register("weekofyear", lambda v, c, n: pc.iso_week(v[0]).cast(pa.int32()), I, _date_or_ts, 1, 1)


def _ts_input(ts):
    return [None if isinstance(ts[0], (T.TimestampType, T.TimestampNTZType)) else TS]


register("hour", lambda v, c, n: pc.hour(v[0]).cast(pa.int32()), I, _ts_input, 1, 1)
register("minute", lambda v, c, n: pc.minute(v[0]).cast(pa.int32()), I, _ts_input, 1, 1)
register("second", lambda v, c, n: pc.second(v[0]).cast(pa.int32()), I, _ts_input, 1, 1)

register("date_add", lambda v, c, n: date_add_days(v[0], v[1]), D, [D, I], 2, 2, aliases=["dateadd"])
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
    a = to_array(v[0], n).to_pylist()
    b = to_array(v[1], n).to_pylist()
    out = []
    for x, y in zip(a, b):
        if x is None or y is None:
            out.append(None)
            continue
        months = (x.year - y.year) * 12 + (x.month - y.month)
        secs_x = x.day * 86400 + getattr(x, "hour", 0) * 3600 + getattr(x, "minute", 0) * 60 + getattr(x, "second", 0)
        secs_y = y.day * 86400 + getattr(y, "hour", 0) * 3600 + getattr(y, "minute", 0) * 60 + getattr(y, "second", 0)
        out.append(round(months + (secs_x - secs_y) / (31 * 86400), 8))
    return pa.array(out, pa.float64())


register("months_between", _months_between, T.DoubleType(), [TS, TS, T.BooleanType()], 2, 3,
         defaults=(True,))

_JAVA_TO_STRFTIME = [("yyyy", "%Y"), ("yy", "%y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"),
                     ("dd", "%d"), ("HH", "%H"), ("hh", "%I"), ("mm", "%M"), ("ss", "%S"),
                     ("EEEE", "%A"), ("EEE", "%a"), ("E", "%a"), ("a", "%p"), ("SSSSSS", "%f"),
                     ("SSS", "%3f"), ("M", "%-m"), ("d", "%-d"), ("H", "%-H"), ("y", "%Y")]


def java_to_strftime(fmt: str) -> str:
    """Translate a Java/Spark datetime pattern (``yyyy-MM-dd HH:mm:ss``) to strftime."""
    out = []
    i = 0
    while i < len(fmt):
        if fmt[i] == "'":
            j = fmt.find("'", i + 1)
            j = len(fmt) if j < 0 else j
            out.append(fmt[i + 1:j].replace("%", "%%") or "'")
            i = j + 1
            continue
        for java, py in _JAVA_TO_STRFTIME:
            if fmt.startswith(java, i):
                out.append(py)
                i += len(java)
                break
        else:
            out.append(fmt[i].replace("%", "%%"))
            i += 1
    return "".join(out)


def _format_one(x, pyfmt: str) -> str:
    if "%3f" in pyfmt:
        pyfmt = pyfmt.replace("%3f", f"{getattr(x, 'microsecond', 0) // 1000:03d}")
    if "%-" in pyfmt:
        for code, attr in (("%-m", "month"), ("%-d", "day"), ("%-H", "hour")):
            pyfmt = pyfmt.replace(code, str(getattr(x, attr, 0)))
    return x.strftime(pyfmt)


def _date_format(v, c, n):
    pyfmt = java_to_strftime(v[1].as_py())
    vals = to_array(v[0], n).to_pylist()
    return pa.array([None if x is None else _format_one(x, pyfmt) for x in vals], pa.string())


register("date_format", _date_format, S, [TS, S], 2, 2, constants_from=1)


def _parse(vals: list, fmt: str | None, to_date: bool) -> list:
    out = []
    pyfmt = java_to_strftime(fmt) if fmt else None
    for x in vals:
        if x is None:
            out.append(None)
            continue
        if isinstance(x, datetime.datetime):
            out.append(x.date() if to_date else x)
            continue
        if isinstance(x, datetime.date):
            out.append(x if to_date else datetime.datetime(x.year, x.month, x.day))
            continue
        try:
            if pyfmt:
                d = datetime.datetime.strptime(x.strip(), pyfmt)
            else:
                s = x.strip().replace("T", " ")
                if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", s):
                    d = datetime.datetime.strptime(s, "%Y-%m-%d")
                else:
                    d = datetime.datetime.fromisoformat(s)
                    d = d.replace(tzinfo=None)
            out.append(d.date() if to_date else d)
        except ValueError:
            out.append(None)
    return out


def _to_date(v, c, n):
    fmt = v[1].as_py() if len(v) > 1 else None
    if fmt is None and pa.types.is_timestamp(v[0].type):
        return v[0].cast(pa.date32())
    if fmt is None and pa.types.is_date(v[0].type):
        return v[0]
    return pa.array(_parse(to_array(v[0], n).to_pylist(), fmt, True), pa.date32())


def _to_timestamp(v, c, n):
    fmt = v[1].as_py() if len(v) > 1 else None
    return pa.array(_parse(to_array(v[0], n).to_pylist(), fmt, False), pa.timestamp("us"))


register("to_date", _to_date, D, lambda ts: [None, S][:len(ts)], 1, 2, constants_from=1)
register("to_timestamp", _to_timestamp, TS, lambda ts: [None, S][:len(ts)], 1, 2,
         constants_from=1)


def _unix_timestamp(v, c, n):
    if not v:
        return pa.scalar(int(datetime.datetime.now().timestamp()), pa.int64())
    fmt = v[1].as_py() if len(v) > 1 else "yyyy-MM-dd HH:mm:ss"
    vals = to_array(v[0], n).to_pylist()
    parsed = _parse(vals, fmt if vals and isinstance(vals[0], str) else None, False)
    return pa.array([None if d is None else int(d.replace(tzinfo=datetime.timezone.utc).timestamp())
                     for d in parsed], pa.int64())


register("unix_timestamp", _unix_timestamp, L, None, 0, 2, deterministic=False,
         constants_from=1)


def _from_unixtime(v, c, n):
    fmt = java_to_strftime(v[1].as_py() if len(v) > 1 else "yyyy-MM-dd HH:mm:ss")
    vals = to_array(v[0], n).to_pylist()
    epoch = datetime.datetime(1970, 1, 1)
    return pa.array([None if x is None else _format_one(epoch + datetime.timedelta(seconds=x), fmt)
                     for x in vals], pa.string())


register("from_unixtime", _from_unixtime, S, [L, S], 1, 2)
register("current_date", lambda v, c, n: pa.scalar(datetime.date.today(), pa.date32()), D, None,
         0, 0, deterministic=False, nullable=False, aliases=["curdate"])
register("current_timestamp", lambda v, c, n: pa.scalar(datetime.datetime.now(), pa.timestamp("us")),
         TS, None, 0, 0, deterministic=False, nullable=False, aliases=["now", "localtimestamp"])

_TRUNC_UNITS = {"year": "year", "yyyy": "year", "yy": "year", "quarter": "quarter",
                "month": "month", "mon": "month", "mm": "month", "week": "week", "day": "day",
                "dd": "day", "hour": "hour", "minute": "minute", "second": "second"}


def _date_trunc(v, c, n):
    unit = _TRUNC_UNITS.get(v[0].as_py().lower())
    x = v[1]
    if unit is None:
        return pa.nulls(n, pa.timestamp("us"))
    return pc.floor_temporal(x, unit=unit, week_starts_monday=True)


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


def _try(kernel):
    def k(v, c, n):
        try:
            return kernel(v, c, n)
        except Exception:  # the try_ variants turn any parse failure into NULL
            return pa.nulls(n, pa.timestamp("us") if kernel is _to_timestamp else pa.date32())
    return k


register("try_to_timestamp", _try(_to_timestamp), TS, lambda ts: [None, S][:len(ts)], 1, 2)
register("try_to_date", _try(_to_date), D, lambda ts: [None, S][:len(ts)], 1, 2)
register("to_timestamp_ltz", _to_timestamp, TS, lambda ts: [None, S][:len(ts)], 1, 2,
         constants_from=1)
register("to_timestamp_ntz", _to_timestamp, T.TimestampNTZType(), lambda ts: [None, S][:len(ts)], 1, 2,
         constants_from=1)
register("to_unix_timestamp", _unix_timestamp, L, None, 1, 2, constants_from=1)

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


register("timestamp_diff", _timestamp_diff, L, [S, TS, TS], 3, 3, aliases=["timestampdiff"])


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


register("timestamp_add", _timestamp_add, TS, [S, L, TS], 3, 3, aliases=["timestampadd"])

_PARTS = {"year": pc.year, "yyyy": pc.year, "month": pc.month, "mon": pc.month, "day": pc.day,
          "dayofmonth": pc.day, "hour": pc.hour, "minute": pc.minute, "quarter": pc.quarter,
          "week": pc.iso_week, "doy": pc.day_of_year, "dayofyear": pc.day_of_year}


def _date_part(v, c, n):
    field = v[0].as_py().lower()
    x = v[1]
    if field in ("second", "seconds", "s"):
        secs = pc.add(pc.second(x).cast(pa.float64()), pc.divide(pc.microsecond(x).cast(pa.float64()), 1e6))
        return pc.round(secs, 6).cast(pa.decimal128(8, 6))
    if field in ("dow", "dayofweek"):
        return pc.day_of_week(x, count_from_zero=False, week_start=7).cast(pa.int32())
    return _PARTS[field](x).cast(pa.int32())


def _date_part_type(ts):
    return I


register("date_part", _date_part, _date_part_type, None, 2, 2, aliases=["datepart"])


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
