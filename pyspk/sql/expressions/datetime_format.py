"""Spark's datetime patterns (``yyyy-MM-dd HH:mm:ss.SSS``): formatting and parsing wall clocks.

A pattern is split into letter runs and literal text (``'...'`` quotes, ``''`` for a quote).
Formatting renders Python datetimes per value; parsing builds one regular expression for the
pattern and extracts every row's fields with Arrow at once, then validates them (month 13 or
February 30 make the row unparseable).
"""
from __future__ import annotations

import calendar
import datetime
import functools
import re

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.errors import IllegalArgumentException

_MONTHS = [calendar.month_name[i] for i in range(1, 13)]
_DAYS = [calendar.day_name[i] for i in range(7)]


@functools.lru_cache(maxsize=256)
def tokenize(pattern: str) -> tuple[tuple[str, int | str], ...]:
    """``(letter, count)`` for letter runs and ``("'", text)`` for literal text."""
    out: list[tuple[str, int | str]] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "'":
            j = i + 1
            text = []
            while j < len(pattern):
                if pattern[j] == "'":
                    if j + 1 < len(pattern) and pattern[j + 1] == "'":
                        text.append("'")
                        j += 2
                        continue
                    break
                text.append(pattern[j])
                j += 1
            out.append(("'", "".join(text) or "'"))
            i = j + 1
        elif ch.isalpha():
            j = i
            while j < len(pattern) and pattern[j] == ch:
                j += 1
            out.append((ch, j - i))
            i = j
        else:
            out.append(("'", ch))
            i += 1
    return tuple(out)


def _offset_text(d: datetime.datetime, colon: bool, z_for_zero: bool, minutes: bool = True) -> str:
    off = d.utcoffset() or datetime.timedelta(0)
    if z_for_zero and not off:
        return "Z"
    total = int(off.total_seconds()) // 60
    sign = "-" if total < 0 else "+"
    h, m = divmod(abs(total), 60)
    if not minutes and m == 0:
        return f"{sign}{h:02d}"
    return f"{sign}{h:02d}:{m:02d}" if colon else f"{sign}{h:02d}{m:02d}"


def format_one(d: datetime.datetime, pattern: str) -> str:
    """One datetime (aware when the pattern prints a zone) rendered with a Spark pattern."""
    parts = []
    for letter, n in tokenize(pattern):
        if letter == "'":
            parts.append(n)
        elif letter == "y":
            parts.append(f"{d.year % 100:02d}" if n == 2 else f"{d.year:0{n}d}")
        elif letter in "ML":
            parts.append(str(d.month).zfill(n) if n <= 2 else
                         _MONTHS[d.month - 1][:3] if n == 3 else _MONTHS[d.month - 1])
        elif letter == "d":
            parts.append(str(d.day).zfill(n))
        elif letter == "D":
            parts.append(str(d.timetuple().tm_yday).zfill(n))
        elif letter == "H":
            parts.append(str(d.hour).zfill(n))
        elif letter == "k":
            parts.append(str(d.hour or 24).zfill(n))
        elif letter == "h":
            parts.append(str(d.hour % 12 or 12).zfill(n))
        elif letter == "K":
            parts.append(str(d.hour % 12).zfill(n))
        elif letter == "m":
            parts.append(str(d.minute).zfill(n))
        elif letter == "s":
            parts.append(str(d.second).zfill(n))
        elif letter == "S":
            parts.append(f"{d.microsecond:06d}"[:n].ljust(n, "0"))
        elif letter == "a":
            parts.append("AM" if d.hour < 12 else "PM")
        elif letter == "E":
            parts.append(_DAYS[d.weekday()][:3] if n <= 3 else _DAYS[d.weekday()])
        elif letter == "u":
            parts.append(str(d.isoweekday()).zfill(n))
        elif letter in "Qq":
            parts.append(str((d.month - 1) // 3 + 1).zfill(n))
        elif letter == "G":
            parts.append("AD")
        elif letter == "z":
            parts.append(d.tzname() or "UTC")
        elif letter == "V":
            parts.append(str(getattr(d.tzinfo, "key", d.tzname())))
        elif letter == "Z":
            parts.append(_offset_text(d, colon=n == 5, z_for_zero=n == 5) if n < 4 or n == 5
                         else "GMT" + _offset_text(d, True, False))
        elif letter == "X":
            parts.append(_offset_text(d, colon=n >= 3, z_for_zero=True, minutes=n != 1))
        elif letter == "x":
            parts.append(_offset_text(d, colon=n >= 3, z_for_zero=False, minutes=n != 1))
        else:
            raise IllegalArgumentException(
                f"[INVALID_DATETIME_PATTERN.ILLEGAL_CHARACTER] Illegal pattern character found in "
                f"datetime pattern: {letter}. SQLSTATE: 22007",
                errorClass="INVALID_DATETIME_PATTERN.ILLEGAL_CHARACTER")
    return "".join(parts)


_NUM = {"y": "year", "M": "month", "L": "month", "d": "day", "H": "hour", "k": "hour24",
        "h": "hour12", "K": "hour12", "m": "minute", "s": "second", "D": "doy"}


@functools.lru_cache(maxsize=256)
def _parse_regex(pattern: str) -> str:
    out = []
    seen: set[str] = set()
    for letter, n in tokenize(pattern):
        if letter == "'":
            out.append(re.escape(n))
            continue
        name = _NUM.get(letter)
        if name is None:
            name = {"S": "fraction", "a": "ampm", "E": "dow", "X": "zone", "x": "zone",
                    "Z": "zone", "z": "zone", "V": "zone"}.get(letter)
        if name is None or name in seen:
            raise IllegalArgumentException(
                f"[INVALID_DATETIME_PATTERN.ILLEGAL_CHARACTER] Illegal pattern character found in "
                f"datetime pattern: {letter}. SQLSTATE: 22007",
                errorClass="INVALID_DATETIME_PATTERN.ILLEGAL_CHARACTER")
        seen.add(name)
        if letter == "y":
            body = r"\d{2}" if n == 2 else r"\d{4}" if n == 4 else r"[+-]?\d{1,9}"
        elif letter in "ML" and n >= 3:
            body = "[A-Za-z]+"
        elif letter == "S":
            body = r"\d{%d}" % n
        elif letter == "a":
            body = "(?:AM|PM|am|pm)"
        elif letter == "E":
            body = "[A-Za-z]+"
        elif name == "zone":
            body = r"(?:Z|[+-]\d{2}(?::?\d{2})?|[A-Za-z_]+(?:/[A-Za-z_]+)*(?:[+-]\d{1,2}(?::?\d{2})?)?)"
        else:
            body = r"\d{1,%d}" % max(n, 2) if n <= 2 else r"\d{%d}" % n
        out.append(f"(?P<{name}>{body})")
    return "^" + "".join(out) + "$"


def _col(parts: pa.StructArray, names: set[str], name: str) -> pa.Array | None:
    if name not in names:
        return None
    col = parts.field(name)
    return pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)


def parse_wall_clocks(strings: pa.Array, pattern: str) -> tuple[pa.Array, pa.Array | None]:
    """Parse strings with a Spark pattern: (naive wall-clock ``timestamp[us]``, zone texts or
    None). Rows that do not match or hold out-of-range fields are NULL."""
    regex = _parse_regex(pattern)
    names = set(re.findall(r"\?P<(\w+)>", regex))
    parts = pc.extract_regex(strings, regex)
    matched = pc.is_valid(parts)

    def num(name: str, default: int) -> pa.Array:
        col = _col(parts, names, name)
        return pa.array([default] * len(strings), pa.int64()) if col is None else \
            pc.fill_null(col.cast(pa.int64()), default)

    year = num("year", 1970)
    tokens = tokenize(pattern)
    if ("y", 2) in tokens:
        year = pc.add(year, 2000)
    if any(t in (("M", 3), ("M", 4), ("L", 3), ("L", 4)) for t in tokens):
        text = pc.utf8_lower(pc.utf8_slice_codeunits(parts.field("month"), 0, 3))
        month = pc.add(pc.index_in(text, pa.array([m[:3].lower() for m in _MONTHS])), 1)
        month = pc.fill_null(month.cast(pa.int64()), 0)
    else:
        month = num("month", 1)
    day = num("day", 1)
    hour = num("hour", 0)
    if "hour24" in names:
        hour = pc.if_else(pc.equal(num("hour24", 0), 24), 0, num("hour24", 0))
    if "hour12" in names:
        h12 = pc.if_else(pc.equal(num("hour12", 0), 12), 0, num("hour12", 0))
        ampm = _col(parts, names, "ampm")
        pm = pc.fill_null(pc.equal(pc.utf8_upper(ampm), "PM"), False) if ampm is not None \
            else pa.array([False] * len(strings))
        hour = pc.add(h12, pc.if_else(pm, 12, 0))
    minute, second = num("minute", 0), num("second", 0)
    valid = pc.and_(pc.and_(pc.and_(pc.greater_equal(month, 1), pc.less_equal(month, 12)),
                            pc.and_(pc.greater_equal(day, 1), pc.less(hour, 24))),
                    pc.and_(pc.less(minute, 60), pc.less(second, 60)))
    pad = lambda a, w: pc.utf8_lpad(a.cast(pa.string()), w, "0")  # noqa: E731
    text = pc.binary_join_element_wise(pad(year, 4), "-", pad(month, 2), "-", pad(day, 2), " ",
                                       pad(hour, 2), ":", pad(minute, 2), ":", pad(second, 2), "")
    ts = pc.strptime(text, "%Y-%m-%d %H:%M:%S", "us", error_is_null=True)
    valid = pc.and_(pc.and_(valid, matched), pc.equal(pc.day(ts), day))
    frac = _col(parts, names, "fraction")
    if frac is not None:
        micros = pc.utf8_rpad(pc.utf8_slice_codeunits(pc.fill_null(frac, ""), 0, 6), 6, "0")
        ts = pc.add(ts, micros.cast(pa.int64()).cast(pa.duration("us")))
    if "doy" in names:
        ts = pc.add(ts, pc.multiply(pc.subtract(num("doy", 1), 1), 86_400_000_000).cast(
            pa.duration("us")))
    ts = pc.if_else(pc.fill_null(valid, False), ts, pa.scalar(None, ts.type))
    return ts, _col(parts, names, "zone")


_RANGES = [("month", "MonthOfYear", 1, 12), ("day", "DayOfMonth", 1, 31),
           ("hour", "HourOfDay", 0, 23), ("minute", "MinuteOfHour", 0, 59),
           ("second", "SecondOfMinute", 0, 59)]


def parse_failure(text: str, pattern: str) -> str:
    """Why ``text`` does not parse with ``pattern``, worded as java.time does."""
    m = re.match(_parse_regex(pattern), text)
    if m is None:
        return f"Text '{text}' could not be parsed at index 0"
    fields = m.groupdict()
    for name, label, lo, hi in _RANGES:
        value = fields.get(name)
        if value and value.isdigit() and not lo <= int(value) <= hi:
            return (f"Text '{text}' could not be parsed: Invalid value for {label} "
                    f"(valid values {lo} - {hi}): {int(value)}")
    if fields.get("month", "").isdigit() and fields.get("day", "").isdigit():
        month = calendar.month_name[int(fields["month"])].upper()
        return f"Text '{text}' could not be parsed: Invalid date '{month} {int(fields['day'])}'"
    return f"Text '{text}' could not be parsed"
