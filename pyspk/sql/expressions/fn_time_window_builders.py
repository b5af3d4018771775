"""Registry builders for ``window``, ``session_window`` and ``window_time`` (their arguments are
durations given as literal strings, checked when the call is resolved)."""
from __future__ import annotations

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import Expression, UnresolvedFunction
from pyspk.sql.expressions.cast import Cast
from pyspk.sql.expressions.fn_time_window import SessionWindow, TimeWindow, WindowTime, duration_micros
from pyspk.sql.expressions.registry import builder, wrong_num_args
from pyspk.sql.expressions.scalar import literal_value


def _as_time(e: Expression) -> Expression:
    """A string time column is cast to TIMESTAMP (Spark's implicit input cast)."""
    if isinstance(e.data_type, T.StringType):
        return Cast(e, T.TimestampType(), implicit=True)
    return e


def _duration(e: Expression, what: str) -> int:
    value = literal_value(e)
    if value is None:
        raise AnalysisException(f"[DATATYPE_MISMATCH.UNEXPECTED_NULL] The {what} must not be null.",
                                errorClass="DATATYPE_MISMATCH.UNEXPECTED_NULL")
    return duration_micros(value, what)


@builder("window", "__time_window")
def _window(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    if not 2 <= len(args) <= 4:
        raise wrong_num_args("window", len(args), 2, 4)
    size = _duration(args[1], "windowDuration")
    slide = _duration(args[2], "slideDuration") if len(args) > 2 else size
    start = _duration(args[3], "startTime") if len(args) > 3 else 0
    return TimeWindow(_as_time(args[0]), size, slide, start).validate()


@builder("session_window")
def _session_window(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    if len(args) != 2:
        raise wrong_num_args("session_window", len(args), 2, 2)
    return SessionWindow(_as_time(args[0]), _duration(args[1], "gapDuration")).validate()


@builder("window_time")
def _window_time(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    if len(args) != 1:
        raise wrong_num_args("window_time", len(args), 1, 1)
    return WindowTime(args[0]).validate()
