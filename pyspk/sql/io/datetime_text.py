"""Dates and timestamps as text in CSV/JSON files, vectorised: Spark's default forms
(``yyyy-MM-dd``, ``yyyy-MM-dd'T'HH:mm:ss.SSSXXX``), user ``dateFormat``/``timestampFormat``
patterns translated to strptime/strftime, and zone offsets between the file and the session's
wall clock (pyspk keeps timestamps as tz-naive session-local microseconds)."""
from __future__ import annotations

import datetime
import re
import zoneinfo

import pyarrow as pa
import pyarrow.compute as pc

DEFAULT_TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"
_TS_RE = (r"^\s*(?P<date>[+-]?\d{4,}-\d{1,2}-\d{1,2})(?:[T ](?P<time>\d{1,2}:\d{1,2}(?::\d{1,2})?)"
          r"(?:\.(?P<frac>\d{1,9}))?)?\s*(?P<zone>Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?\s*$")
_TOKENS = [("yyyy", "%Y"), ("yy", "%y"), ("MMMM", "%B"), ("MMM", "%b"), ("MM", "%m"), ("M", "%m"),
           ("dd", "%d"), ("d", "%d"), ("HH", "%H"), ("H", "%H"), ("hh", "%I"), ("h", "%I"),
           ("mm", "%M"), ("m", "%M"), ("ss", "%S"), ("s", "%S"), ("a", "%p"), ("EEEE", "%A"),
           ("EEE", "%a"), ("E", "%a")]


def to_strftime(pattern: str) -> str | None:
    """A Spark datetime pattern as a strptime/strftime format, or None when it has letters this
    translation does not cover (fractions, zones, …)."""
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "'":
            j = pattern.find("'", i + 1)
            j = len(pattern) if j < 0 else j
            out.append(pattern[i + 1:j].replace("%", "%%") or "'")
            i = j + 1
            continue
        for tok, fmt in _TOKENS:
            if pattern.startswith(tok, i) and (i + len(tok) == len(pattern) or pattern[i + len(tok)] != c):
                out.append(fmt)
                i += len(tok)
                break
        else:
            if c.isalpha():
                return None
            out.append("%%" if c == "%" else c)
            i += 1
    return "".join(out)


def parse_dates(col: pa.Array, pattern: str | None) -> pa.Array:
    """Strings as ``date32`` (NULL where a value does not parse)."""
    if pattern is None:
        m = pc.extract_regex(col, r"^\s*(?P<d>\d{4}-\d{1,2}-\d{1,2})(?:[T ].*)?\s*$")
        day = pc.struct_field(m, [0])
        return pc.strptime(day, "%Y-%m-%d", "s", error_is_null=True).cast(pa.date32())
    fmt = to_strftime(pattern)
    if fmt is not None:
        return pc.strptime(col, fmt, "s", error_is_null=True).cast(pa.date32())
    return pa.array([_py_parse(v, pattern, True) for v in col.to_pylist()], pa.date32())


def parse_timestamps(col: pa.Array, pattern: str | None, session_tz: str) -> pa.Array:
    """Strings as session-local ``timestamp[us]``; a zone in the text is honoured."""
    if pattern is not None and pattern != DEFAULT_TIMESTAMP_FORMAT:
        fmt = to_strftime(pattern)
        if fmt is not None:
            return pc.strptime(col, fmt, "us", error_is_null=True)
        return pa.array([_py_parse(v, pattern, False) for v in col.to_pylist()], pa.timestamp("us"))
    m = pc.extract_regex(col, _TS_RE)
    date, time, frac, zone = (pc.struct_field(m, [i]) for i in range(4))
    time = pc.if_else(pc.equal(time, ""), "00:00:00", time)
    time = pc.if_else(pc.match_substring_regex(time, r"^\d{1,2}:\d{1,2}$"),
                      pc.binary_join_element_wise(time, ":00", ""), time)
    base = pc.strptime(pc.binary_join_element_wise(date, time, " "), "%Y-%m-%d %H:%M:%S", "us",
                       error_is_null=True)
    digits = pc.utf8_slice_codeunits(pc.binary_join_element_wise(frac, "000000", ""), 0, 6)
    micros = pc.cast(digits, pa.int64()).cast(pa.duration("us"))
    wall = pc.add(base, micros)
    if pc.all(pc.equal(zone, "")).as_py() is not False:
        return wall
    return _shift_zones(wall, zone, session_tz)


def _shift_zones(wall: pa.Array, zone: pa.Array, session_tz: str) -> pa.Array:
    """Values written with an explicit offset moved to the session's wall clock."""
    no_zone = pc.equal(zone, "")
    z = pc.if_else(pc.or_(no_zone, pc.is_in(zone, pa.array(["Z", "UTC"]))), "+00:00", zone)
    sign = pc.if_else(pc.starts_with(z, "-"), -1, 1)
    hm = pc.replace_substring(pc.utf8_slice_codeunits(z, 1, 10), ":", "")
    hm = pc.if_else(pc.less(pc.utf8_length(hm), 3), pc.binary_join_element_wise(hm, "00", ""), hm)
    hours = pc.cast(pc.utf8_slice_codeunits(hm, 0, -2), pa.int64())
    mins = pc.cast(pc.utf8_slice_codeunits(hm, -2, 100), pa.int64())
    offset_us = pc.multiply(sign, pc.multiply(pc.add(pc.multiply(hours, 60), mins), 60_000_000))
    utc = pc.subtract(wall.cast(pa.int64()), pc.fill_null(offset_us, 0)).cast(pa.timestamp("us", "UTC"))
    local = pc.local_timestamp(utc.cast(pa.timestamp("us", session_tz)))
    return pc.if_else(no_zone, wall, local)


def _py_parse(v: str | None, pattern: str, date: bool) -> object:
    """Patterns with fractions or zones: one value at a time (a rarely used path)."""
    if v is None:
        return None
    fmt = pattern.replace("SSSSSS", "%f").replace("SSS", "%f").replace("XXX", "%z")
    fmt = to_strftime(fmt.replace("%f", "\x00").replace("%z", "\x01")) or ""
    fmt = fmt.replace("\x00", "%f").replace("\x01", "%z")
    try:
        d = datetime.datetime.strptime(v.strip(), fmt)
    except ValueError:
        return None
    return d.date() if date else d.replace(tzinfo=None)


def format_dates(col: pa.Array, pattern: str | None) -> pa.Array:
    """``date32`` as text (``yyyy-MM-dd`` unless a pattern is given)."""
    if pattern is None or pattern == "yyyy-MM-dd":
        return col.cast(pa.string())
    return pc.strftime(col.cast(pa.timestamp("s")), to_strftime(pattern) or "%Y-%m-%d")


def format_timestamps(col: pa.Array, pattern: str | None, session_tz: str) -> pa.Array:
    """Session-local timestamps as text; by default ``yyyy-MM-dd'T'HH:mm:ss.SSSXXX`` with the
    session zone's offset (``Z`` for UTC), as Spark's CSV and JSON writers print them."""
    col = col.cast(pa.timestamp("us"))
    if pattern is not None and pattern != DEFAULT_TIMESTAMP_FORMAT:
        return pc.strftime(col, to_strftime(pattern) or "%Y-%m-%dT%H:%M:%S")
    us = col.cast(pa.int64())
    whole = pc.floor(pc.divide(us.cast(pa.float64()), 1_000_000)).cast(pa.int64())
    secs = pc.strftime(pc.multiply(whole, 1_000_000).cast(pa.timestamp("us")), "%Y-%m-%dT%H:%M:%S")
    secs = pc.utf8_slice_codeunits(secs, 0, 19)
    ms = pc.divide(pc.subtract(us, pc.multiply(whole, 1_000_000)), 1000)
    ms = pc.utf8_lpad(pc.cast(ms, pa.string()), 3, "0")
    zone = _offsets(col, session_tz)
    return pc.binary_join_element_wise(secs, ".", ms, zone, "")


def _offsets(col: pa.Array, session_tz: str) -> pa.Array:
    """The ``XXX`` offset of each wall-clock value in the session zone."""
    if _is_utc(session_tz):
        return pa.array(["Z"] * len(col), pa.string())
    aware = pc.assume_timezone(col, session_tz, ambiguous="earliest", nonexistent="earliest")
    diff_s = pc.divide(pc.subtract(col.cast(pa.int64()), aware.cast(pa.int64())), 1_000_000)
    sign = pc.if_else(pc.less(diff_s, 0), "-", "+")
    a = pc.abs(diff_s)
    hh = pc.utf8_lpad(pc.cast(pc.divide(a, 3600), pa.string()), 2, "0")
    mm = pc.utf8_lpad(pc.cast(pc.divide(pc.subtract(a, pc.multiply(pc.divide(a, 3600), 3600)), 60),
                              pa.string()), 2, "0")
    text = pc.binary_join_element_wise(sign, hh, ":", mm, "")
    return pc.if_else(pc.equal(diff_s, 0), "Z", text)


def _is_utc(tz: str) -> bool:
    if tz.upper() in ("UTC", "Z", "GMT", "ETC/UTC", "+00:00"):
        return True
    try:
        return zoneinfo.ZoneInfo(tz).utcoffset(datetime.datetime(2000, 1, 1)) == datetime.timedelta(0) \
            and zoneinfo.ZoneInfo(tz).utcoffset(datetime.datetime(2000, 7, 1)) == datetime.timedelta(0)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
