"""Event-time windows: ``window`` (tumbling/sliding), ``session_window`` and ``window_time``.

A window is a ``struct<start, end>`` of timestamps. ``TimeWindow``/``SessionWindow`` nodes only
describe the window; the analyzer (``pyspk.sql.analyzer_time_windows``) replaces them by a column
computed below the operator that uses them, because a sliding window turns one row into several
and a session window's bounds depend on the neighbouring rows of its group. Arithmetic is on the
epoch microseconds, vectorised with Arrow compute.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, to_array

_UNIT_US = {"microsecond": 1, "millisecond": 1000, "second": 1_000_000, "minute": 60_000_000,
            "hour": 3_600_000_000, "day": 86_400_000_000, "week": 7 * 86_400_000_000}
_PART = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*([a-z]+)\s*", re.IGNORECASE)


def _invalid(kind: str, text: str) -> AnalysisException:
    return AnalysisException(
        f"[INVALID_INTERVAL_FORMAT.INVALID_UNIT] Error parsing '{text}' to interval, invalid unit "
        f"in {kind}. SQLSTATE: 22006", errorClass="INVALID_INTERVAL_FORMAT.INVALID_UNIT",
        messageParameters={"input": text})


def duration_micros(text: str, what: str = "windowDuration") -> int:
    """Microseconds of an interval string such as ``'10 minutes'`` or ``'1 hour 30 seconds'``.

    Months and years have no fixed length, so Spark rejects them in time windows.
    """
    raw = str(text).strip()
    body = raw[len("interval"):] if raw.lower().startswith("interval") else raw
    pos, total = 0, 0
    body = body.strip()
    while pos < len(body):
        m = _PART.match(body, pos)
        if m is None or m.end() == pos:
            raise _invalid(what, raw)
        unit = m.group(2).lower()
        unit = unit[:-1] if unit.endswith("s") else unit
        if unit in ("month", "year"):
            raise AnalysisException(
                f"[DATATYPE_MISMATCH] Intervals greater than a month is not supported ({raw}).",
                errorClass="DATATYPE_MISMATCH")
        if unit not in _UNIT_US:
            raise _invalid(what, raw)
        total += int(float(m.group(1)) * _UNIT_US[unit])
        pos = m.end()
    if not body:
        raise _invalid(what, raw)
    return total


def window_struct_type(time_type: T.DataType) -> T.StructType:
    """``struct<start, end>`` with the time column's timestamp flavour."""
    ts = time_type if isinstance(time_type, T.TimestampNTZType) else T.TimestampType()
    return T.StructType([T.StructField("start", ts, True), T.StructField("end", ts, True)])


def _check_time(e: Expression, fn: str) -> None:
    if not isinstance(e.data_type, (T.TimestampType, T.TimestampNTZType)):
        from pyspk.sql.expressions.cast import sql_type_name
        raise AnalysisException(
            f"[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve \"{fn}({e.sql()})\" due to "
            f"data type mismatch: The first parameter requires the (\"TIMESTAMP\" or "
            f"\"TIMESTAMP_NTZ\") type, however \"{e.sql()}\" has the type "
            f"\"{sql_type_name(e.data_type)}\". SQLSTATE: 42K09",
            errorClass="DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE")


def _micros(v: ArrowValue, n: int) -> pa.Array:
    arr = to_array(v, n)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.cast(arr, pa.int64())


def _struct(start: pa.Array, end: pa.Array, validity: pa.Array | None) -> pa.StructArray:
    ts = pa.timestamp("us")
    mask = None if validity is None else pc.invert(validity)
    return pa.StructArray.from_arrays([start.cast(ts), end.cast(ts)], ["start", "end"], mask=mask)


class _WindowStruct(Expression):
    """A window's ``struct<start, end>`` computed from a subclass's ``time`` column: never NULL,
    never constant-folded."""

    @property
    def nullable(self) -> bool:
        return False

    @property
    def data_type(self) -> T.DataType:
        return window_struct_type(self.time.data_type)

    @property
    def foldable(self) -> bool:
        return False


@dataclass(frozen=True)
class TimeWindow(_WindowStruct):
    """``window(time, windowDuration, slideDuration, startTime)`` (durations in microseconds)."""

    time: Expression
    window_us: int
    slide_us: int
    start_us: int = 0

    def validate(self) -> "TimeWindow":
        _check_time(self.time, "window")
        if self.window_us <= 0 or self.slide_us <= 0:
            which = "windowDuration" if self.window_us <= 0 else "slideDuration"
            raise AnalysisException(
                f"[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] The {which} must be greater than 0.",
                errorClass="DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE")
        if self.slide_us > self.window_us:
            raise AnalysisException(
                "[DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION] The slide duration "
                f"({self.slide_us}) must be less than or equal to the windowDuration "
                f"({self.window_us}).", errorClass="DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION")
        if abs(self.start_us) >= self.slide_us:
            raise AnalysisException(
                "[DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION] The absolute value of start "
                f"time ({self.start_us}) must be less than the slideDuration ({self.slide_us}).",
                errorClass="DATATYPE_MISMATCH.PARAMETER_CONSTRAINT_VIOLATION")
        return self

    @property
    def tumbling(self) -> bool:
        return self.window_us == self.slide_us

    @property
    def overlapping(self) -> int:
        """How many windows can hold one instant (Spark's ``ceil(window / slide)``)."""
        return -(-self.window_us // self.slide_us)

    def sql(self) -> str:
        return "window"

    def last_start(self, micros: pa.Array) -> pa.Array:
        """The latest window start at or before each instant (floor modulo the slide)."""
        shifted = pc.subtract(micros, self.start_us)
        rem = pc.subtract(shifted, pc.multiply(pc.divide(shifted, self.slide_us), self.slide_us))
        rem = pc.if_else(pc.less(rem, 0), pc.add(rem, self.slide_us), rem)
        return pc.subtract(micros, rem)

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        """The tumbling window of each row (NULL for a NULL time)."""
        micros = _micros(self.time.eval(batch, ctx), len(batch))
        start = self.last_start(micros)
        return _struct(start, pc.add(start, self.window_us), pc.is_valid(micros))


@dataclass(frozen=True)
class SlidingWindows(Expression):
    """Every sliding window holding each row's time, latest start first (what Spark expands to)."""

    window: TimeWindow

    @property
    def data_type(self) -> T.DataType:
        return T.ArrayType(self.window.data_type, False)

    @property
    def foldable(self) -> bool:
        return False

    def sql(self) -> str:
        return "window"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        w = self.window
        n = len(batch)
        micros = _micros(w.time.eval(batch, ctx), n)
        last = w.last_start(micros)
        k = w.overlapping
        import numpy as np
        valid = pc.is_valid(micros).to_numpy(zero_copy_only=False)
        t_np = pc.fill_null(micros, 0).to_numpy(zero_copy_only=False)
        base = np.where(valid, pc.fill_null(last, 0).to_numpy(zero_copy_only=False), 0)
        starts = base[:, None] - np.arange(k, dtype=np.int64)[None, :] * w.slide_us
        keep = (starts + w.window_us > t_np[:, None]) & valid[:, None]
        kept_start = pa.array(starts[keep], pa.int64())
        offsets = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(keep.sum(axis=1), out=offsets[1:])
        values = _struct(kept_start, pc.add(kept_start, w.window_us), None)
        return pa.ListArray.from_arrays(pa.array(offsets), values)


@dataclass(frozen=True)
class SessionWindow(_WindowStruct):
    """``session_window(time, gap)``: per row ``[time, time + gap)``; a GROUP BY merges the
    overlapping ones of each group into sessions (done by the analyzer)."""

    time: Expression
    gap_us: int

    def validate(self) -> "SessionWindow":
        _check_time(self.time, "session_window")
        return self

    def sql(self) -> str:
        return "session_window"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        micros = _micros(self.time.eval(batch, ctx), len(batch))
        return _struct(micros, pc.add(micros, self.gap_us), pc.is_valid(micros))


@dataclass(frozen=True)
class SessionEnd(Expression):
    """``time + gap`` in microseconds (the end of a row's own session), a helper column."""

    time: Expression
    gap_us: int

    @property
    def data_type(self) -> T.DataType:
        return T.LongType()

    def sql(self) -> str:
        return f"session_end({self.time.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return pc.add(_micros(self.time.eval(batch, ctx), len(batch)), self.gap_us)


@dataclass(frozen=True)
class MicrosToWindow(Expression):
    """A window struct from start/end epoch-microsecond columns."""

    start: Expression
    end: Expression
    time_type: T.DataType

    @property
    def data_type(self) -> T.DataType:
        return window_struct_type(self.time_type)

    def sql(self) -> str:
        return "session_window"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        n = len(batch)
        s = _micros(self.start.eval(batch, ctx), n)
        e = _micros(self.end.eval(batch, ctx), n)
        return _struct(s, e, pc.and_(pc.is_valid(s), pc.is_valid(e)))


@dataclass(frozen=True)
class WindowTime(Expression):
    """``window_time(w)``: the last instant inside a window, ``w.end - 1 microsecond``."""

    child: Expression

    def validate(self) -> "WindowTime":
        dt = self.child.data_type
        names = [f.name for f in dt.fields] if isinstance(dt, T.StructType) else []
        if names != ["start", "end"]:
            raise AnalysisException(
                f"[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "
                f"\"window_time({self.child.sql()})\" due to data type mismatch: the input must be "
                "a window column (struct<start, end>). SQLSTATE: 42K09",
                errorClass="DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE")
        return self

    @property
    def data_type(self) -> T.DataType:
        return self.child.data_type.fields[1].dataType

    def sql(self) -> str:
        return f"window_time({self.child.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        n = len(batch)
        arr = to_array(self.child.eval(batch, ctx), n)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        end = pc.cast(pc.struct_field(arr, [1]), pa.int64())
        return pc.subtract(end, 1).cast(pa.timestamp("us"))


@dataclass(frozen=True)
class SessionBounds(_WindowStruct):
    """The merged session window of each row, computed over a window partition (the GROUP BY's
    other keys) sorted by time: a row opens a new session when its time is after the end of every
    earlier row's own session ``[time, time + gap)``."""

    time: Expression
    gap_us: int

    def fixed_frame(self) -> bool:
        return True

    def sql(self) -> str:
        return "session_window"

    def evaluate_partitioned(self, t: pa.Table, pid: "np.ndarray", part_start: "np.ndarray",
                             ctx: EvalContext) -> pa.Array:
        """Session bounds for rows already sorted by (partition, time)."""
        import numpy as np
        import pandas as pd
        n = t.num_rows
        start = _micros(self.time.eval(t, ctx), n).to_numpy(zero_copy_only=False).astype(np.int64)
        end = start + self.gap_us
        prev_end = pd.Series(end).groupby(pid).cummax().shift(1).to_numpy()
        opens = part_start.copy()
        if n > 1:
            opens[1:] |= start[1:] > prev_end[1:]
        first = np.nonzero(opens)[0]
        sid = np.cumsum(opens) - 1
        s_start = start[first][sid] if n else start
        s_end = np.maximum.reduceat(end, first)[sid] if n else end
        return _struct(pa.array(s_start, pa.int64()), pa.array(s_end, pa.int64()), None)
