"""Event-time window functions: ``window``, ``session_window`` and ``window_time``."""
from __future__ import annotations

from typing import Any

from pyspk.errors import PySparkTypeError
from pyspk.sql.column import Column, col_or_name, to_expr
from pyspk.sql.expressions.base import Literal, UnresolvedFunction

ColumnOrName = Any


def _need_str(value: Any, name: str) -> None:
    if not isinstance(value, str):
        raise PySparkTypeError(
            errorClass="NOT_STR", messageParameters={"arg_name": name,
                                                     "arg_type": type(value).__name__})


def window(timeColumn: ColumnOrName, windowDuration: str, slideDuration: str | None = None,
           startTime: str | None = None) -> Column:
    """Bucket rows into tumbling or sliding windows of ``windowDuration`` (a struct<start, end>
    column named ``window``); ``startTime`` shifts the windows' alignment from the epoch."""
    _need_str(windowDuration, "windowDuration")
    args = [col_or_name(timeColumn), Literal.of(windowDuration)]
    if slideDuration is not None or startTime is not None:
        if slideDuration is not None:
            _need_str(slideDuration, "slideDuration")
        args.append(Literal.of(slideDuration if slideDuration is not None else windowDuration))
    if startTime is not None:
        _need_str(startTime, "startTime")
        args.append(Literal.of(startTime))
    return Column(UnresolvedFunction("window", tuple(args)))


def session_window(timeColumn: ColumnOrName, gapDuration: Any) -> Column:
    """Session windows: rows of a group less than ``gapDuration`` apart share one window."""
    if not isinstance(gapDuration, (str, Column)):
        raise PySparkTypeError(
            errorClass="NOT_COLUMN_OR_STR",
            messageParameters={"arg_name": "gapDuration", "arg_type": type(gapDuration).__name__})
    return Column(UnresolvedFunction("session_window", (col_or_name(timeColumn),
                                                        to_expr(gapDuration))))


def window_time(windowColumn: ColumnOrName) -> Column:
    """The event time of a window: its end minus one microsecond."""
    return Column(UnresolvedFunction("window_time", (col_or_name(windowColumn),)))


__all__ = ["window", "session_window", "window_time"]
