"""Session time zone conversions of ``TIMESTAMP`` values.

Spark's ``TimestampType`` is an instant: pyspk stores it as a tz-naive ``timestamp[us]`` holding
UTC. Whatever reads or writes a wall clock (parsing strings, ``show()``, ``hour``,
``date_format``, casts to and from strings and dates, ``make_timestamp``…) converts with the
session time zone (``spark.sql.session.timeZone``); ``TimestampNTZType`` is a wall clock and is
never converted. Conversions follow ``java.time``: a wall clock inside a daylight-saving gap moves
forward by the gap, an ambiguous one takes the earlier instant (the offset before the change).
"""
from __future__ import annotations

import datetime
import functools
import os
import time
from typing import Callable
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

_UTC_NAMES = {"UTC", "Etc/UTC", "GMT", "Z", "Etc/GMT", "+00:00", "UCT", "Zulu"}
_provider: Callable[[], str] | None = None


def set_session_time_zone_provider(provider: Callable[[], str]) -> None:
    """Register how to read the active session's time zone (the session module does this)."""
    global _provider
    _provider = provider


def session_time_zone() -> str:
    """The active session's ``spark.sql.session.timeZone`` (else the process's zone)."""
    if _provider is not None:
        try:
            return _provider()
        except Exception:  # no active session: fall back to the process zone
            pass
    return process_time_zone()


def process_time_zone() -> str:
    """The zone of this Python process (``TZ`` or the system's), where Python datetimes live."""
    tz = os.environ.get("TZ")
    return tz.lstrip(":") if tz else _system_time_zone()


@functools.lru_cache(maxsize=1)
def _system_time_zone() -> str:
    try:
        with open("/etc/timezone") as fh:
            return fh.read().strip() or "UTC"
    except OSError:
        return time.tzname[0] or "UTC"


def is_utc(tz: str) -> bool:
    return tz in _UTC_NAMES or tz.upper() in ("UTC", "GMT", "Z")


# java.time's ZoneId.SHORT_IDS, which Spark accepts as zone names.
_SHORT_IDS = {
    "ACT": "Australia/Darwin", "AET": "Australia/Sydney", "AGT": "America/Argentina/Buenos_Aires",
    "ART": "Africa/Cairo", "AST": "America/Anchorage", "BET": "America/Sao_Paulo",
    "BST": "Asia/Dhaka", "CAT": "Africa/Harare", "CNT": "America/St_Johns",
    "CST": "America/Chicago", "CTT": "Asia/Shanghai", "EAT": "Africa/Addis_Ababa",
    "ECT": "Europe/Paris", "IET": "America/Indiana/Indianapolis", "IST": "Asia/Kolkata",
    "JST": "Asia/Tokyo", "MIT": "Pacific/Apia", "NET": "Asia/Yerevan", "NST": "Pacific/Auckland",
    "PLT": "Asia/Karachi", "PNT": "America/Phoenix", "PRT": "America/Puerto_Rico",
    "PST": "America/Los_Angeles", "SST": "Pacific/Guadalcanal", "VST": "Asia/Ho_Chi_Minh",
    "EST": "-05:00", "MST": "-07:00", "HST": "-10:00",
}


@functools.lru_cache(maxsize=64)
def arrow_zone(tz: str) -> str:
    """A zone name Arrow understands: region ids as is, ``GMT+8``/``UTC-05:30`` as offsets,
    Java's short ids (``PST``, ``JST``) as their regions."""
    t = _SHORT_IDS.get(tz.strip(), tz.strip())
    for prefix in ("UTC", "GMT", "UT"):
        if t.upper().startswith(prefix) and len(t) > len(prefix) and t[len(prefix)] in "+-":
            t = t[len(prefix):]
            break
    if t and t[0] in "+-":
        sign, body = t[0], t[1:]
        if ":" in body:
            h, m = body.split(":", 1)
        elif len(body) > 2:
            h, m = body[:-2], body[-2:]
        else:
            h, m = body, "0"
        return f"{sign}{int(h):02d}:{int(m):02d}"
    return t


@functools.lru_cache(maxsize=64)
def zoneinfo(tz: str) -> datetime.tzinfo:
    """A Python tzinfo for a Spark zone id."""
    z = arrow_zone(tz)
    if z and z[0] in "+-":
        h, m = z[1:].split(":")
        delta = datetime.timedelta(hours=int(h), minutes=int(m))
        return datetime.timezone(-delta if z[0] == "-" else delta)
    return ZoneInfo(z)


def _is_scalar(v) -> bool:
    return isinstance(v, pa.Scalar)


def utc_to_local(v, tz: str):
    """UTC instants (naive ``timestamp[us]``) to the wall clock of ``tz`` (naive)."""
    if is_utc(tz):
        return v
    if _is_scalar(v):
        return utc_to_local(pa.array([v.as_py()], v.type), tz)[0]
    typ = v.type
    aware = v.cast(pa.timestamp(typ.unit, tz=arrow_zone(tz)))
    return pc.local_timestamp(aware).cast(typ)


def local_to_utc(v, tz: str):
    """Wall clocks of ``tz`` (naive) to UTC instants, with ``java.time``'s gap/overlap rules."""
    if is_utc(tz):
        return v
    if _is_scalar(v):
        return local_to_utc(pa.array([v.as_py()], v.type), tz)[0]
    typ = v.type
    z = arrow_zone(tz)
    earliest = pc.assume_timezone(v, z, ambiguous="earliest", nonexistent="earliest")
    naive = earliest.cast(pa.timestamp(typ.unit))
    offset = pc.subtract(pc.local_timestamp(earliest).cast(pa.timestamp(typ.unit)), naive)
    return pc.subtract(v, offset).cast(typ)


def py_utc_to_local(d: datetime.datetime, tz: str) -> datetime.datetime:
    """One UTC-naive datetime as the wall clock of ``tz``."""
    if is_utc(tz):
        return d
    return d.replace(tzinfo=datetime.timezone.utc).astimezone(zoneinfo(tz)).replace(tzinfo=None)


def py_local_to_utc(d: datetime.datetime, tz: str) -> datetime.datetime:
    """One wall clock of ``tz`` as a UTC-naive datetime (gap: forward; overlap: earlier)."""
    if is_utc(tz):
        return d
    return d.replace(tzinfo=zoneinfo(tz), fold=0).astimezone(datetime.timezone.utc).replace(
        tzinfo=None)


def py_utc_to_process(d: datetime.datetime) -> datetime.datetime:
    """A UTC-naive datetime as this process's local wall clock (how Python sees a TIMESTAMP)."""
    return py_utc_to_local(d, process_time_zone())


def py_process_to_session(d: datetime.datetime) -> datetime.datetime:
    """A Python-local datetime (a TIMESTAMP as Python sees it) as the session's wall clock."""
    return py_utc_to_local(py_local_to_utc(d, process_time_zone()), session_time_zone())
