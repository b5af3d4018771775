"""Parsing of Spark's size ("512m", "4g") and duration ("60s", "500ms") strings."""
from __future__ import annotations

import re

_SIZE_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "m": 1 << 20, "mb": 1 << 20,
               "g": 1 << 30, "gb": 1 << 30, "t": 1 << 40, "tb": 1 << 40, "p": 1 << 50, "pb": 1 << 50}
_TIME_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
_NUM_UNIT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


def parse_bytes(text: str | int, default_unit: str = "b") -> int:
    """Bytes in a Spark size string; a bare number is read in ``default_unit``."""
    if isinstance(text, int):
        return text * _SIZE_UNITS[default_unit]
    m = _NUM_UNIT.match(str(text))
    if not m or m.group(2).lower() not in _SIZE_UNITS:
        raise ValueError(f"not a size: {text!r} (expected e.g. 512m, 4g)")
    unit = m.group(2).lower() or default_unit
    return int(float(m.group(1)) * _SIZE_UNITS[unit])


def parse_seconds(text: str | int | float, default_unit: str = "s") -> float:
    """Seconds in a Spark duration string; a bare number is read in ``default_unit``."""
    if isinstance(text, (int, float)):
        return float(text) * _TIME_UNITS[default_unit]
    m = _NUM_UNIT.match(str(text))
    if not m or m.group(2).lower() not in _TIME_UNITS and m.group(2):
        raise ValueError(f"not a duration: {text!r} (expected e.g. 60s, 500ms)")
    unit = m.group(2).lower() or default_unit
    return float(m.group(1)) * _TIME_UNITS[unit]


def format_mib(n_bytes: int) -> str:
    """A byte count as Spark prints memory: ``1024.0 MiB``."""
    return f"{n_bytes / (1 << 20):.1f} MiB"
