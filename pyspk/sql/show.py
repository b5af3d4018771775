"""``DataFrame.show`` text, laid out exactly as Spark's ``Dataset.showString``."""
from __future__ import annotations

import unicodedata
from typing import Any

from pyspk.sql import types as T
from pyspk.sql.expressions.display import format_value


def _width(s: str) -> int:
    """Display width: East Asian wide and full-width characters take two cells."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def _pad_left(s: str, width: int) -> str:
    return " " * (width - _width(s)) + s


def _pad_right(s: str, width: int) -> str:
    return s + " " * (width - _width(s))


_META = str.maketrans({"\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f",
                       "\u000b": "\\v", "\u0007": "\\a"})


def _cell(v: Any, dt: T.DataType, truncate: int, shift: Any = None) -> str:
    # Spark 4 escapes control characters so one row stays one line.
    s = format_value(v, dt, shift).translate(_META)
    if truncate > 0 and len(s) > truncate:
        s = s[:truncate - 3] + "..." if truncate >= 4 else s[:truncate]
    return s


def _timestamp_shift() -> Any:
    """Collected ``TIMESTAMP`` values are Python-local; show() prints the session's wall clock."""
    from pyspk.sql.expressions import tz
    here, there = tz.process_time_zone(), tz.session_time_zone()
    if tz.arrow_zone(here) == tz.arrow_zone(there) or (tz.is_utc(here) and tz.is_utc(there)):
        return None
    return tz.py_process_to_session


def show_string(schema: T.StructType, rows: list[Any], n: int, truncate: bool | int,
                vertical: bool) -> str:
    """The text ``show(n, truncate, vertical)`` prints (without the final newline)."""
    trunc = 20 if truncate is True else (0 if truncate is False else int(truncate))
    has_more = len(rows) > n
    rows = rows[:n]
    names = schema.names
    shift = _timestamp_shift()
    cells = [[_cell(v, f.dataType, trunc, shift) for v, f in zip(r, schema.fields)] for r in rows]
    if vertical:
        return _vertical(names, cells, has_more, n, trunc)
    header = list(names)
    widths = [max(3, _width(h)) for h in header]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], _width(c))
    sep = "+" + "+".join("-" * w for w in widths) + "+"
    pad = _pad_left if trunc > 0 else _pad_right
    lines = [sep, "|" + "|".join(pad(h, w) for h, w in zip(header, widths)) + "|", sep]
    for row in cells:
        lines.append("|" + "|".join(pad(c, w) for c, w in zip(row, widths)) + "|")
    lines.append(sep)
    out = "\n".join(lines) + "\n"
    if has_more:
        out += f"only showing top {n} row{'s' if n != 1 else ''}\n"
    return out


def _vertical(names: list[str], cells: list[list[str]], has_more: bool, n: int, trunc: int) -> str:
    name_w = max((_width(x) for x in names), default=0)
    val_w = max((_width(c) for row in cells for c in row), default=0)
    lines = []
    if not cells:
        return "(0 rows)\n"
    for i, row in enumerate(cells):
        head = f"-RECORD {i}"
        total = name_w + val_w + 5
        lines.append(head + "-" * max(total - len(head), 0))
        for name, c in zip(names, row):
            lines.append(f" {_pad_right(name, name_w)} | {_pad_right(c, val_w)} ")
    out = "\n".join(lines) + "\n"
    if has_more:
        out += f"only showing top {n} row{'s' if n != 1 else ''}\n"
    return out
