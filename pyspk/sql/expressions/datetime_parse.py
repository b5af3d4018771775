"""Spark's string to ``DATE``/``TIMESTAMP`` parsing (casts and typed literals), vectorised.

Accepted forms follow Spark's ``stringToDate``/``stringToTimestamp``: ``yyyy``, ``yyyy-[m]m``,
``yyyy-[m]m-[d]d``, then for timestamps an optional ``[ T][h]h:[m]m[:[s]s[.fraction]]`` and a
zone (``Z``, ``+hh:mm``, ``UTC+8``, a region id). Out-of-range fields (month 13, February 30,
hour 25) make the value invalid: NULL, which ANSI casts turn into ``CAST_INVALID_INPUT``.
"""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql.expressions.tz import local_to_utc

_DATE_RE = r"^(?P<y>\d{4})(?:-(?P<mo>\d{1,2})(?:-(?P<d>\d{1,2})(?:[ T].*)?)?)?$"
_ZONE = r"Z|[+-]\d{1,2}(?::?\d{2})?|(?:UTC|GMT|UT)(?:[+-]\d{1,2}(?::?\d{2})?)?|[A-Za-z_]+/[A-Za-z_/+-]+"
_TS_RE = (r"^(?P<y>\d{4})(?:-(?P<mo>\d{1,2})(?:-(?P<d>\d{1,2})"
          r"(?:[ T](?:(?P<h>\d{1,2}):(?P<mi>\d{1,2})(?::(?P<s>\d{1,2})(?:\.(?P<f>\d{0,9}))?)?)?)?)?)?"
          r"\s*(?P<z>" + _ZONE + r")?$")


def _field(parts: pa.StructArray, name: str, default: str, width: int) -> pa.Array:
    col = parts.field(name)
    filled = pc.if_else(pc.or_(pc.is_null(col), pc.equal(col, "")), default, col)
    return pc.utf8_lpad(filled, width, "0")


def _wall_clock(parts: pa.StructArray, with_time: bool) -> pa.Array:
    """Validated naive timestamps from regex parts (NULL where any field is out of range)."""
    y, mo, d = _field(parts, "y", "1970", 4), _field(parts, "mo", "1", 2), _field(parts, "d", "1", 2)
    pieces = [y, "-", mo, "-", d]
    if with_time:
        pieces += [" ", _field(parts, "h", "0", 2), ":", _field(parts, "mi", "0", 2), ":",
                   _field(parts, "s", "0", 2)]
    else:
        pieces += [" 00:00:00"]
    text = pc.binary_join_element_wise(*pieces, "")
    ts = pc.strptime(text, "%Y-%m-%d %H:%M:%S", "us", error_is_null=True)
    # strptime rolls February 30 over to March 1: such a value is invalid in Spark.
    same_day = pc.equal(pc.day(ts), d.cast(pa.int64()))
    ts = pc.if_else(pc.and_(same_day, pc.is_valid(parts)), ts, pa.scalar(None, ts.type))
    if with_time:
        frac = parts.field("f")
        digits = pc.utf8_slice_codeunits(pc.if_else(pc.is_null(frac), "", frac), 0, 6)
        micros = pc.utf8_rpad(digits, 6, "0").cast(pa.int64())
        ts = pc.add(ts, micros.cast(pa.duration("us")))
    return ts


def _as_array(v) -> tuple[pa.Array, bool]:
    if isinstance(v, pa.Scalar):
        return pa.array([v.as_py()], pa.string()), True
    if isinstance(v, pa.ChunkedArray):
        v = v.combine_chunks()
    return v, False


def parse_dates(v):
    """Strings to ``date32`` (NULL where not a valid Spark date)."""
    arr, scalar = _as_array(v)
    parts = pc.extract_regex(pc.utf8_trim_whitespace(arr), _DATE_RE)
    out = _wall_clock(parts, with_time=False).cast(pa.date32())
    return out[0] if scalar else out


def parse_timestamps(v, tz: str | None):
    """Strings to timestamps: to UTC instants with ``tz`` (or a zone in the string), or with
    ``tz=None`` to wall clocks (``TIMESTAMP_NTZ``, which ignores a zone in the string)."""
    arr, scalar = _as_array(v)
    parts = pc.extract_regex(pc.utf8_trim_whitespace(arr), _TS_RE)
    wall = _wall_clock(parts, with_time=True)
    if tz is None:
        return wall[0] if scalar else wall
    zones = parts.field("z")
    zones = pc.if_else(pc.equal(zones, ""), pa.scalar(None, pa.string()), zones)
    out = local_to_utc(wall, tz)
    if pc.any(pc.is_valid(zones)).as_py():
        for zone in pc.unique(pc.drop_null(zones)).to_pylist():
            mask = pc.fill_null(pc.equal(zones, zone), False)
            out = pc.if_else(mask, local_to_utc(wall, "UTC" if zone == "Z" else zone), out)
    return out[0] if scalar else out
