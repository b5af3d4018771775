"""More scalar functions: URLs, regex counts, trigonometry, bits, conversions, timestamps."""
from __future__ import annotations

import base64
import calendar
import datetime
import math
import re
import urllib.parse
import uuid as uuidlib

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.errors import DateTimeException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import to_array
from pyspk.sql.expressions.scalar import register
from pyspk.sql.expressions.tz import local_to_utc

S, I, L, B, D = T.StringType(), T.IntegerType(), T.LongType(), T.BooleanType(), T.DoubleType()
TS = T.TimestampType()


def _rowwise(fn, out: pa.DataType, nulls: bool = True):
    def k(v, c, n):
        cols = [to_array(x, n).to_pylist() for x in v]
        res = []
        for row in zip(*cols) if cols else [()] * n:
            if nulls and any(x is None for x in row):
                res.append(None)
                continue
            try:
                res.append(fn(*row))
            except (ValueError, OverflowError, ZeroDivisionError, TypeError):
                res.append(None)
        return pa.array(res, out)
    return k


def _reg(name, fn, result, inputs=None, lo=1, hi=None, out=None, **kw):
    from pyspk.sql._arrow_types import to_arrow_type
    arrow_out = out or to_arrow_type(result)
    register(name, _rowwise(fn, arrow_out), result, inputs, lo, hi if hi is not None else lo, **kw)


_reg("url_encode", lambda s: urllib.parse.quote_plus(s), S, [S])
_reg("url_decode", lambda s: urllib.parse.unquote_plus(s), S, [S])
_reg("try_url_decode", lambda s: urllib.parse.unquote_plus(s), S, [S])


def _parse_url(url, part, key=None):
    p = urllib.parse.urlsplit(url)
    part = part.upper()
    if part == "QUERY" and key is not None:
        vals = urllib.parse.parse_qs(p.query).get(key)
        return vals[0] if vals else None
    return {"HOST": p.hostname, "PATH": p.path, "QUERY": p.query or None, "REF": p.fragment or None,
            "PROTOCOL": p.scheme, "FILE": p.path + ("?" + p.query if p.query else ""),
            "AUTHORITY": p.netloc, "USERINFO": p.username}.get(part)


_reg("parse_url", _parse_url, S, [S, S, S], 2, 3)
_reg("try_parse_url", _parse_url, S, [S, S, S], 2, 3)
_reg("dayname", lambda d: d.strftime("%a"), S, [T.DateType()])
_reg("monthname", lambda d: d.strftime("%b"), S, [T.DateType()])
_reg("regexp_count", lambda s, p: len(re.findall(p, s)), I, [S, S], 2)
_reg("regexp_instr", lambda s, p, i=0: (m.start() + 1) if (m := re.search(p, s)) else 0, I, [S, S, I], 2, 3,
     defaults=(0,))
_reg("regexp_substr", lambda s, p: (m.group(0) if (m := re.search(p, s)) else None), S, [S, S], 2)
_reg("overlay", lambda s, r, pos, ln=-1: s[:pos - 1] + r + s[pos - 1 + (len(r) if ln < 0 else ln):],
     S, [S, S, I, I], 3, 4, defaults=(-1,))
_reg("split_part", lambda s, d, i: ((parts := s.split(d)) and (parts[i - 1] if 0 < i <= len(parts) else
                                                              parts[i] if -len(parts) <= i < 0 else "")),
     S, [S, S, I], 3)


def _substring_index(s, d, count):
    if count == 0:
        return ""
    parts = s.split(d)
    return d.join(parts[:count]) if count > 0 else d.join(parts[count:])


_reg("substring_index", _substring_index, S, [S, S, I], 3)


def _levenshtein(a, b, limit=None):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    d = prev[-1]
    return -1 if limit is not None and d > limit else d


_reg("levenshtein", _levenshtein, I, [S, S, I], 2, 3)


def _soundex(s):
    if not s or not s[0].isalpha():
        return s
    codes = {c: str(d) for d, letters in enumerate(["AEIOUYHW", "BFPV", "CGJKQSXZ", "DT", "L", "MN", "R"])
             for c in letters}
    out, last = s[0].upper(), codes.get(s[0].upper(), "")
    for ch in s[1:].upper():
        code = codes.get(ch, "")
        if code and code != "0" and code != last:
            out += code
        if ch not in "HW":
            last = code
    return (out + "000")[:4]


_reg("soundex", _soundex, S, [S])
def _ieee(fn):
    """Math domain errors give NaN and poles give infinity, as Java's Math does."""
    def f(x):
        try:
            return fn(x)
        except ValueError:
            return float("nan")
        except ZeroDivisionError:
            return float("inf")
    return f


for _n, _f in [("acosh", math.acosh), ("asinh", math.asinh), ("atanh", math.atanh),
               ("tanh", math.tanh), ("rint", lambda x: float(round(x))),
               ("cot", lambda x: 1 / math.tan(x)), ("csc", lambda x: 1 / math.sin(x)),
               ("sec", lambda x: 1 / math.cos(x))]:
    _reg(_n, _ieee(_f), D, [D], pretty=_n.upper() if _n in ("acosh", "asinh", "atanh", "tanh", "cot", "csc", "sec") else None)
_reg("hypot", lambda a, b: math.hypot(a, b), D, [D, D], 2, pretty="HYPOT")
register("equal_null", lambda v, c, n: pc.or_(pc.and_(pc.is_null(v[0]), pc.is_null(v[1])),
                                               pc.fill_null(pc.equal(v[0], v[1]), False)),
         B, None, 2, 2, nullable=False)
register("nullifzero", lambda v, c, n: pc.if_else(pc.equal(v[0], 0), pa.scalar(None, v[0].type), v[0]),
         lambda ts: ts[0], None, 1, 1)
register("zeroifnull", lambda v, c, n: pc.fill_null(v[0], pa.scalar(0, v[0].type)),
         lambda ts: ts[0], None, 1, 1)
_reg("try_mod", lambda a, b: None if b == 0 else math.fmod(a, b) if isinstance(a, float) else
     (abs(a) % abs(b)) * (1 if a >= 0 else -1), L, [L, L], 2)
_reg("bit_get", lambda x, p: (x >> p) & 1, T.ByteType(), [L, I], 2, out=pa.int8())
_reg("getbit", lambda x, p: (x >> p) & 1, T.ByteType(), [L, I], 2, out=pa.int8())
_reg("bit_count", lambda x: bin(x & ((1 << 64) - 1)).count("1"), I, [L])
register("bitwise_not", lambda v, c, n: pc.bit_wise_not(v[0]), lambda ts: ts[0], None, 1, 1)
_reg("shiftleft", lambda x, k: ((x << k) + (1 << 63)) % (1 << 64) - (1 << 63), L, [L, I], 2)
_reg("shiftright", lambda x, k: x >> k, L, [L, I], 2)
_reg("chr", lambda x: chr(x % 256) if x >= 0 else "", S, [L])
_reg("char", lambda x: chr(x % 256) if x >= 0 else "", S, [L])


def _conv(num, from_base, to_base):
    value = int(str(num), from_base)
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if value == 0:
        return "0"
    neg = value < 0 and to_base < 0
    value = abs(value) if neg else value % (1 << 64)
    base = abs(to_base)
    out = ""
    while value:
        value, r = divmod(value, base)
        out = digits[r] + out
    return ("-" if neg else "") + out


_reg("conv", _conv, S, [S, I, I], 3)
_reg("unbase64", lambda s: base64.b64decode(s), T.BinaryType(), [S])
register("uuid", lambda v, c, n: pa.array([str(uuidlib.uuid4()) for _ in range(n)], pa.string()), S, None,
         0, 1, deterministic=False, nullable=False)
register("current_timezone", lambda v, c, n: pa.scalar(c.time_zone, pa.string()), S, None, 0, 0,
         nullable=False)
register("current_database", lambda v, c, n: pa.scalar("default", pa.string()), S, None, 0, 0,
         nullable=False, aliases=["current_schema"])
register("current_catalog", lambda v, c, n: pa.scalar("spark_catalog", pa.string()), S, None, 0, 0,
         nullable=False)
_EPOCH = datetime.datetime(1970, 1, 1)
_reg("timestamp_seconds", lambda s: _EPOCH + datetime.timedelta(seconds=s), TS, [D])
_reg("timestamp_millis", lambda s: _EPOCH + datetime.timedelta(milliseconds=s), TS, [L])
_reg("timestamp_micros", lambda s: _EPOCH + datetime.timedelta(microseconds=s), TS, [L])
_reg("unix_seconds", lambda t: int((t - _EPOCH).total_seconds()), L, [TS])
_reg("unix_millis", lambda t: int((t - _EPOCH) / datetime.timedelta(milliseconds=1)), L, [TS])
_reg("unix_micros", lambda t: int((t - _EPOCH) / datetime.timedelta(microseconds=1)), L, [TS])


def _next_day(d, dow):
    names = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    target = names.index(dow.upper()[:2])
    return d + datetime.timedelta(days=(target - d.weekday() - 1) % 7 + 1)


_reg("next_day", _next_day, T.DateType(), [T.DateType(), S], 2)


_FIELD_NAMES = [("Year", -290307, 294247), ("MonthOfYear", 1, 12), ("DayOfMonth", 1, 31),
                ("HourOfDay", 0, 23), ("MinuteOfHour", 0, 59)]


def _field_out_of_bounds(name: str, lo: int, hi: int, value) -> DateTimeException:
    return DateTimeException(
        f"[DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION] Invalid value for {name} (valid "
        f"values {lo} - {hi}): {value}.  SQLSTATE: 22023",
        errorClass="DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION",
        messageParameters={"rangeMessage": f"Invalid value for {name} (valid values {lo} - {hi}): "
                                           f"{value}"})


def _wall_from_fields(row, fail: bool) -> datetime.datetime | None:
    y, mo, d, h, mi, sec = row[:6]
    for (name, lo, hi), value in zip(_FIELD_NAMES, (y, mo, d, h, mi)):
        if not lo <= value <= hi:
            if fail:
                raise _field_out_of_bounds(name, lo, hi, value)
            return None
    whole = int(sec)
    if not 0 <= sec < 61 or whole == 60 and sec != 60:
        if fail:
            raise _field_out_of_bounds("SecondOfMinute", 0, 59, whole)
        return None
    try:
        base = datetime.datetime(y, mo, d, h, mi)
    except ValueError:
        if fail:
            raise DateTimeException(
                f"[DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION] Invalid date "
                f"'{calendar.month_name[mo].upper()} {d}'.  SQLSTATE: 22023",
                errorClass="DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION") from None
        return None
    return base + datetime.timedelta(microseconds=int(round(float(sec) * 1_000_000)))


def _make_ts_kernel(instant: bool, try_: bool = False):
    """make_timestamp(y, mo, d, h, mi, s[, tz]): a wall clock built from fields, read in ``tz``
    (or the session zone) for TIMESTAMP results. Invalid fields raise under ANSI, else NULL."""
    def k(v, c, n):
        cols = [to_array(x, n).to_pylist() for x in v]
        fail = c.ansi and not try_
        walls, zones = [], []
        for row in zip(*cols):
            if any(x is None for x in row):
                walls.append(None)
            else:
                walls.append(_wall_from_fields(row, fail))
            zones.append(row[6] if len(row) > 6 else None)
        wall = pa.array(walls, pa.timestamp("us"))
        if not instant:
            return wall
        out = local_to_utc(wall, c.time_zone)
        for zone in {z for z in zones if z is not None}:
            mask = pa.array([z == zone for z in zones])
            out = pc.if_else(mask, local_to_utc(wall, zone), out)
        return out
    return k


_MAKE_TS_INPUTS = [I, I, I, I, I, T.DecimalType(16, 6), S]
register("make_timestamp", _make_ts_kernel(True), TS, _MAKE_TS_INPUTS, 6, 7)
register("try_make_timestamp", _make_ts_kernel(True, try_=True), TS, _MAKE_TS_INPUTS, 6, 7)
register("make_timestamp_ltz", _make_ts_kernel(True), TS, _MAKE_TS_INPUTS, 6, 7)
register("try_make_timestamp_ltz", _make_ts_kernel(True, try_=True), TS, _MAKE_TS_INPUTS, 6, 7)
register("make_timestamp_ntz", _make_ts_kernel(False), T.TimestampNTZType(),
         _MAKE_TS_INPUTS[:6], 6, 6)
register("try_make_timestamp_ntz", _make_ts_kernel(False, try_=True), T.TimestampNTZType(),
         _MAKE_TS_INPUTS[:6], 6, 6)
_reg("last_day_of_month", lambda d: d.replace(day=calendar.monthrange(d.year, d.month)[1]),
     T.DateType(), [T.DateType()])


def _sequence(start, stop, step=None):
    step = step if step is not None else (1 if stop >= start else -1)
    if step == 0:
        return None
    out, x = [], start
    while (x <= stop) if step > 0 else (x >= stop):
        out.append(x)
        x += step
    return out


register("sequence", _rowwise(_sequence, pa.list_(pa.int64())), T.ArrayType(L, False), [L, L, L], 2, 3)


def _arrays_zip(v, c, n):
    cols = [to_array(x, n).to_pylist() for x in v]
    out = []
    for row in zip(*cols):
        if any(a is None for a in row):
            out.append(None)
            continue
        m = max(len(a) for a in row)
        out.append([{str(i): (a[j] if j < len(a) else None) for i, a in enumerate(row)} for j in range(m)])
    from pyspk.sql._arrow_types import to_arrow_type
    return pa.array(out, pa.list_(pa.struct([pa.field(str(i), x.type.value_type) for i, x in enumerate(v)])))


register("arrays_zip", _arrays_zip,
         lambda ts: T.ArrayType(T.StructType([T.StructField(str(i), t.elementType, True)
                                              for i, t in enumerate(ts)]), False), None, 1, None)


def _map_from_entries(v, c, n):
    rows = to_array(v[0], n).to_pylist()
    out = [None if r is None else [(e["key"] if "key" in e else list(e.values())[0],
                                    e["value"] if "value" in e else list(e.values())[1]) for e in r]
           for r in rows]
    st = v[0].type.value_type
    return pa.array(out, pa.map_(st.field(0).type, st.field(1).type))


register("map_from_entries", _map_from_entries,
         lambda ts: T.MapType(ts[0].elementType.fields[0].dataType, ts[0].elementType.fields[1].dataType, True),
         None, 1, 1)
register("map_contains_key", _rowwise(lambda m, k: k in dict(m), pa.bool_()), B, None, 2, 2)


def _mask(s, upper="X", lower="x", digit="n", other=None):
    out = []
    for ch in s:
        if ch.isupper() and upper is not None:
            out.append(upper)
        elif ch.islower() and lower is not None:
            out.append(lower)
        elif ch.isdigit() and digit is not None:
            out.append(digit)
        elif other is not None and not ch.isalnum():
            out.append(other)
        else:
            out.append(ch)
    return "".join(out)


register("mask", _rowwise(lambda s, *a: _mask(s, *a), pa.string(), nulls=False), S, [S, S, S, S, S], 1, 5)


def _to_binary(s, fmt="hex"):
    fmt = fmt.lower()
    if fmt == "hex":
        return bytes.fromhex(s if len(s) % 2 == 0 else "0" + s)
    if fmt == "utf-8":
        return s.encode("utf-8")
    if fmt == "base64":
        return base64.b64decode(s)
    raise ValueError(fmt)


_reg("to_binary", _to_binary, T.BinaryType(), [S, S], 1, 2)
_reg("try_to_binary", _to_binary, T.BinaryType(), [S, S], 1, 2)


def _java_format(fmt, *args):
    converted = re.sub(r"%(\d+\$)?([-#+ 0,(<]*)?(\d+)?(\.\d+)?([a-zA-Z%])",
                       lambda m: "%" + (m.group(2) or "").replace(",", "") + (m.group(3) or "") +
                       (m.group(4) or "") + (m.group(5) if m.group(5) not in "bB" else "s"), fmt)
    return converted % tuple(args)


register("format_string", _rowwise(_java_format, pa.string(), nulls=False), S, None, 1, None,
         aliases=["printf"])


def _csv_fields(line):
    import csv
    return next(csv.reader([line]))


register("schema_of_csv", _rowwise(lambda s: "STRUCT<" + ", ".join(
    f"_c{i}: {'INT' if v.strip().lstrip('-').isdigit() else 'DOUBLE' if _is_float(v) else 'STRING'}"
    for i, v in enumerate(_csv_fields(s))) + ">", pa.string()), S, [S], 1, 2)


def _is_float(v: str) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


def _user_raised(message: str | None) -> Exception:
    from pyspk.errors.captured import SparkRuntimeException
    return SparkRuntimeException(f"[USER_RAISED_EXCEPTION] {message} SQLSTATE: P0001",
                                 errorClass="USER_RAISED_EXCEPTION",
                                 messageParameters={"errorMessage": str(message)}, sqlState="P0001")


def _assert_true(v, c, n):
    """NULL for every row whose condition holds; the row's message is raised on the first that fails."""
    cond = to_array(v[0], n).to_pylist()
    msgs = to_array(v[1], n).to_pylist()
    for ok, msg in zip(cond, msgs):
        if ok is not True:
            raise _user_raised(msg)
    return pa.nulls(n)


def _raise_error(v, c, n):
    """Raise the first row's message (``raise_error`` never returns a value)."""
    if n:
        raise _user_raised(to_array(v[0], n)[0].as_py())
    return pa.nulls(0)


register("assert_true", _assert_true, T.NullType(), [B, S], 2, 2, nullable=True)
register("raise_error", _raise_error, T.NullType(), [S], 1, 1, nullable=True, deterministic=False)


def _common_of(types: list[T.DataType]) -> T.DataType:
    """The type both value arguments of nvl/nvl2 are cast to (the tightest common one)."""
    from pyspk.errors import AnalysisException
    from pyspk.sql.expressions.coercion import tightest_common_type
    common = tightest_common_type(types[0], types[1])
    if common is None:
        raise AnalysisException(
            f"[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Input to the function should all be the same "
            f"type, but it's [{types[0].simpleString()}, {types[1].simpleString()}]. SQLSTATE: 42K09",
            errorClass="DATATYPE_MISMATCH.DATA_DIFF_TYPES")
    return common


def _first_valid(v, c, n):
    """``nvl(a, b)``: ``a`` where it is not NULL, else ``b``."""
    if all(isinstance(x, pa.Scalar) for x in v):
        return v[0] if v[0].is_valid else v[1]
    return pc.coalesce(to_array(v[0], n), to_array(v[1], n))


def _nvl2(v, c, n):
    """``nvl2(a, b, c)``: ``b`` where ``a`` is not NULL, else ``c``."""
    return pc.if_else(pc.is_valid(to_array(v[0], n)), to_array(v[1], n), to_array(v[2], n))


for _name in ("nvl", "ifnull"):
    register(_name, _first_valid, _common_of, lambda ts: [_common_of(ts)] * 2, 2, 2)
register("nvl2", _nvl2, lambda ts: _common_of(ts[1:]),
         lambda ts: [None] + [_common_of(ts[1:])] * 2, 3, 3)
