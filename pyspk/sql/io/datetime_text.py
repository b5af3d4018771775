"""Dates and timestamps as text in CSV/JSON files, vectorised on the SQL layer's datetime
kernels: Spark's lenient default parsing (a zone in the text honoured), user
``dateFormat``/``timestampFormat`` patterns, and the default written form
``yyyy-MM-dd'T'HH:mm:ss.SSSXXX`` in the session zone. ``TIMESTAMP`` columns hold UTC instants,
``TIMESTAMP_NTZ`` wall clocks."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql import types as T
from pyspk.sql.expressions.datetime_format import format_one
from pyspk.sql.expressions.datetime_parse import parse_dates as _default_dates
from pyspk.sql.expressions.datetime_parse import parse_timestamps as _default_timestamps
from pyspk.sql.expressions.fn_datetime import parse_instants
from pyspk.sql.expressions.tz import is_utc, local_to_utc, utc_to_local

DEFAULT_TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"
DEFAULT_NTZ_FORMAT = "yyyy-MM-dd'T'HH:mm:ss[.SSS]"


def parse_dates(col: pa.Array, pattern: str | None) -> pa.Array:
    """Strings as ``date32`` (NULL where a value does not parse)."""
    if pattern is None or pattern == "yyyy-MM-dd":
        try:
            return col.cast(pa.date32())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return _default_dates(col)
    return parse_instants(col, pattern, None, len(col), False, T.TimestampNTZType()).cast(pa.date32())


def parse_timestamps(col: pa.Array, pattern: str | None, session_tz: str | None) -> pa.Array:
    """Strings as UTC instants (``session_tz`` given) or wall clocks (None: TIMESTAMP_NTZ)."""
    if pattern is None or pattern in (DEFAULT_TIMESTAMP_FORMAT, DEFAULT_NTZ_FORMAT):
        if session_tz is None:
            # TIMESTAMP_NTZ refuses text that carries a zone (Spark: not a valid value).
            zoned = pc.match_substring_regex(col, r"(Z|[+-]\d{2}:?\d{2}|UTC|GMT)\s*$")
            col = pc.if_else(pc.fill_null(zoned, False), pa.scalar(None, pa.string()), col)
        fast = _iso_instants(col, session_tz)
        return fast if fast is not None else _default_timestamps(col, session_tz)
    what = T.TimestampType() if session_tz else T.TimestampNTZType()
    return parse_instants(col, pattern, session_tz, len(col), False, what)


def _iso_instants(col: pa.Array, session_tz: str | None) -> pa.Array | None:
    """Arrow's ISO-8601 parse when every value is ISO text with a zone (instants, as Spark's
    writers print them) or every value is without one; None when neither holds."""
    try:
        if session_tz is not None:
            return col.cast(pa.timestamp("us", "UTC")).cast(pa.timestamp("us"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    try:
        wall = col.cast(pa.timestamp("us"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return wall if session_tz is None else local_to_utc(wall, session_tz)


def format_dates(col: pa.Array, pattern: str | None) -> pa.Array:
    """``date32`` as text (``yyyy-MM-dd`` unless a pattern is given)."""
    if pattern is None or pattern == "yyyy-MM-dd":
        return col.cast(pa.string())
    return _pattern(col.cast(pa.timestamp("us")), pattern)


def _pattern(wall: pa.Array, pattern: str) -> pa.Array:
    """Wall clocks formatted with a user pattern (one value at a time: an option path)."""
    return pa.array([None if v is None else format_one(v, pattern) for v in wall.to_pylist()],
                    pa.string())


def format_timestamps(col: pa.Array, pattern: str | None, session_tz: str | None) -> pa.Array:
    """Timestamps as text. Instants (``session_tz`` given) print as the session zone's wall
    clock with Spark's default ``yyyy-MM-dd'T'HH:mm:ss.SSSXXX`` (``Z`` for a zero offset);
    wall clocks (``TIMESTAMP_NTZ``) without a zone."""
    utc = col.cast(pa.timestamp("us"))
    wall = utc if session_tz is None else utc_to_local(utc, session_tz)
    if pattern is not None and pattern not in (DEFAULT_TIMESTAMP_FORMAT, DEFAULT_NTZ_FORMAT):
        return _pattern(wall, pattern)
    # Arrow prints timestamp[us] as "yyyy-MM-dd HH:mm:ss.ffffff" (fraction floored): keep the
    # milliseconds and put the 'T' in, with byte kernels (the text is ASCII).
    text = wall.cast(pa.string()).cast(pa.binary())
    text = pc.binary_replace_slice(pc.binary_slice(text, 0, 23), 10, 11, "T").cast(pa.string())
    if session_tz is None:
        return text
    return pc.binary_join_element_wise(text, _offsets(utc, wall, session_tz), "")


def _offsets(utc: pa.Array, wall: pa.Array, session_tz: str) -> pa.Array:
    """The ``XXX`` text of each value's offset from UTC in the session zone."""
    if is_utc(session_tz):
        return pa.array(["Z"] * len(utc), pa.string())
    diff_s = pc.divide(pc.subtract(wall.cast(pa.int64()), utc.cast(pa.int64())), 1_000_000)
    sign = pc.if_else(pc.less(diff_s, 0), "-", "+")
    a = pc.abs(diff_s)
    hh = pc.utf8_lpad(pc.cast(pc.divide(a, 3600), pa.string()), 2, "0")
    mm = pc.utf8_lpad(pc.cast(pc.divide(pc.subtract(a, pc.multiply(pc.divide(a, 3600), 3600)), 60),
                              pa.string()), 2, "0")
    return pc.if_else(pc.equal(diff_s, 0), "Z", pc.binary_join_element_wise(sign, hh, ":", mm, ""))
