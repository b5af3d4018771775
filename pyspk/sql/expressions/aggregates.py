"""Aggregate functions: their Spark result types and how each maps onto Arrow hash aggregations.

An aggregate names the Arrow aggregations it needs over its (pre-evaluated) input column and turns
their results into its Spark-typed value in ``finish``; the Aggregate operator does the grouping.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql import types as T
from pyspk.sql._arrow_types import to_arrow_type
from pyspk.sql.expressions.base import EvalContext, Expression
from pyspk.sql.expressions.cast import Cast
from pyspk.sql.expressions.arithmetic import round_decimal
from pyspk.sql.expressions import coercion as C
from pyspk.sql.expressions import decimal_int64 as DI

ArrowAgg = tuple[str, str, Any]  # (input column, arrow function, options)


@dataclass(frozen=True)
class AggregateFunction(Expression):
    """Base of aggregate functions; ``child`` is the aggregated input (``None`` for count(*))."""

    child: Expression | None
    distinct: bool = False
    fname: str | None = None

    @property
    def foldable(self) -> bool:
        return False

    def name_for_sql(self) -> str:
        return self.fname or self.pretty_name()

    def sql(self) -> str:
        inner = self.child.sql() if self.child is not None else "1"
        return f"{self.name_for_sql()}({'DISTINCT ' if self.distinct else ''}{inner})"

    def arrow_aggs(self, col: str) -> list[ArrowAgg]:
        raise TypeError(f"{type(self).__name__} has no Arrow aggregation")

    def finish(self, results: list[pa.ChunkedArray | pa.Array]) -> pa.Array | pa.ChunkedArray:
        return results[0].cast(to_arrow_type(self.data_type))

    def input_expression(self) -> Expression | None:
        """What is evaluated per row before grouping (the child, possibly widened)."""
        return self.child


def _skip_nulls() -> pc.ScalarAggregateOptions:
    return pc.ScalarAggregateOptions(skip_nulls=True, min_count=1)


@dataclass(frozen=True)
class Sum(AggregateFunction):
    """``sum(x)``: long for integers, double for floats, decimal(p+10, s) for decimals."""

    @property
    def data_type(self) -> T.DataType:
        dt = self.child.data_type
        if isinstance(dt, T.DecimalType):
            return C.bounded_decimal(dt.precision + 10, dt.scale)
        if C.is_integral(dt):
            return T.LongType()
        if isinstance(dt, T.YearMonthIntervalType) or isinstance(dt, T.DayTimeIntervalType):
            return dt
        return T.DoubleType()

    def input_expression(self) -> Expression | None:
        dt = self.child.data_type
        if C.is_integral(dt) and not isinstance(dt, T.LongType):
            return Cast(self.child, T.LongType())
        if C.is_string(dt) or isinstance(dt, T.FloatType):
            return Cast(self.child, T.DoubleType())
        return self.child

    def arrow_aggs(self, col: str) -> list[ArrowAgg]:
        return [(col, "distinct" if self.distinct else "sum",
                 pc.CountOptions(mode="only_valid") if self.distinct else _skip_nulls())]

    def finish(self, results: list) -> Any:
        r = results[0]
        if self.distinct:
            r = pa.array([None if not v else sum(v) for v in r.to_pylist()])
        return r.cast(to_arrow_type(self.data_type))


@dataclass(frozen=True)
class Count(AggregateFunction):
    """``count(x)`` counts non-null values; ``count(*)`` (child None) counts rows."""

    extra: tuple[Expression, ...] = ()

    @property
    def data_type(self) -> T.DataType:
        return T.LongType()

    @property
    def nullable(self) -> bool:
        return False

    def sql(self) -> str:
        if self.child is None:
            return "count(1)"
        args = ", ".join(e.sql() for e in (self.child,) + self.extra)
        if self.fname == "count_if" and hasattr(self.child, "left"):
            return f"count_if({self.child.left.sql()})"
        if self.fname:
            return f"{self.fname}({args})"
        return f"count({'DISTINCT ' if self.distinct else ''}{args})"

    def arrow_aggs(self, col: str) -> list[ArrowAgg]:
        if self.child is None:
            return [(col, "count", pc.CountOptions(mode="all"))]
        fn = "count_distinct" if self.distinct else "count"
        return [(col, fn, pc.CountOptions(mode="only_valid"))]


@dataclass(frozen=True)
class Avg(AggregateFunction):
    """``avg(x)``: double, or decimal(p+4, s+4) for decimals."""

    def pretty_name(self) -> str:
        return "avg"

    @property
    def data_type(self) -> T.DataType:
        dt = self.child.data_type
        if isinstance(dt, T.DecimalType):
            return C.bounded_decimal(dt.precision + 4, dt.scale + 4)
        return T.DoubleType()

    def input_expression(self) -> Expression | None:
        dt = self.child.data_type
        if isinstance(dt, T.DecimalType):
            return self.child
        return Cast(self.child, T.DoubleType()) if not isinstance(dt, T.DoubleType) else self.child

    def arrow_aggs(self, col: str) -> list[ArrowAgg]:
        if self.distinct:
            return [(col, "distinct", pc.CountOptions(mode="only_valid"))]
        return [(col, "sum", _skip_nulls()), (col, "count", pc.CountOptions(mode="only_valid"))]

    def finish(self, results: list) -> Any:
        if self.distinct:
            vals = results[0].to_pylist()
            mean = pa.array([None if not v else float(sum(v)) / len(v) for v in vals], pa.float64())
        else:
            total, count = results
            count = pc.if_else(pc.equal(count, 0), pa.scalar(None, pa.int64()), count)
            out = self.data_type
            if isinstance(out, T.DecimalType) and pa.types.is_decimal(total.type):
                return _decimal_mean(total, count, out)
            mean = pc.divide(pc.cast(total, pa.float64()), pc.cast(count, pa.float64()))
        out = self.data_type
        if isinstance(out, T.DecimalType):
            return round_decimal(mean, out, EvalContext())
        return mean


def _decimal_mean(total: Any, count: Any, out: T.DecimalType) -> pa.Array:
    """``total / count`` exactly, rounded half away from zero to ``out``'s scale (as Spark's
    decimal average); int64 arithmetic when the scaled sums fit, Python decimals otherwise."""
    target = to_arrow_type(out)
    total = total.combine_chunks() if isinstance(total, pa.ChunkedArray) else total
    count = count.combine_chunks() if isinstance(count, pa.ChunkedArray) else count
    ints = DI.unscaled(total)
    scaled = DI.rescale(ints, out.scale - total.type.scale) if ints is not None else None
    if scaled is not None:
        valid = pc.and_(pc.is_valid(scaled), pc.is_valid(count)).to_numpy(zero_copy_only=False)
        n = pc.fill_null(scaled, 0).to_numpy(zero_copy_only=False)
        c = pc.fill_null(count, 1).to_numpy(zero_copy_only=False)
        q, r = np.divmod(np.abs(n), c)
        q = np.where(n < 0, -(q + (2 * r >= c)), q + (2 * r >= c))
        result = DI.to_decimal(pa.array(q, pa.int64(), mask=~valid), target)
        if result is not None:
            return result
    values = []
    quantum = Decimal(1).scaleb(-out.scale)
    with localcontext() as dctx:
        dctx.prec = 80
        for t, c in zip(total.to_pylist(), count.to_pylist()):
            values.append(None if t is None or not c else
                          (Decimal(t) / Decimal(c)).quantize(quantum, rounding=ROUND_HALF_UP))
    return pa.array(values, target)


@dataclass(frozen=True)
class Min(AggregateFunction):
    """``min(x)``."""

    @property
    def data_type(self) -> T.DataType:
        return self.child.data_type

    def arrow_aggs(self, col: str) -> list[ArrowAgg]:
        return [(col, "min", _skip_nulls())]


@dataclass(frozen=True)
class Max(AggregateFunction):
    """``max(x)``."""

    @property
    def data_type(self) -> T.DataType:
        return self.child.data_type

    def arrow_aggs(self, col: str) -> list[ArrowAgg]:
        return [(col, "max", _skip_nulls())]


@dataclass(frozen=True)
class First(AggregateFunction):
    """``first(x, ignoreNulls)``."""

    ignore_nulls: bool = False

    @property
    def data_type(self) -> T.DataType:
        return self.child.data_type

    def arrow_aggs(self, col: str) -> list[ArrowAgg]:
        return [(col, "first", pc.ScalarAggregateOptions(skip_nulls=self.ignore_nulls, min_count=0))]


@dataclass(frozen=True)
class Last(AggregateFunction):
    """``last(x, ignoreNulls)``."""

    ignore_nulls: bool = False

    @property
    def data_type(self) -> T.DataType:
        return self.child.data_type

    def arrow_aggs(self, col: str) -> list[ArrowAgg]:
        return [(col, "last", pc.ScalarAggregateOptions(skip_nulls=self.ignore_nulls, min_count=0))]


@dataclass(frozen=True)
class CollectList(AggregateFunction):
    """``collect_list(x)``: the non-null values of each group."""

    @property
    def data_type(self) -> T.DataType:
        return T.ArrayType(self.child.data_type, False)

    @property
    def nullable(self) -> bool:
        return False

    def arrow_aggs(self, col: str) -> list[ArrowAgg]:
        return [(col, "list", None)]

    def finish(self, results: list) -> Any:
        lists = results[0].to_pylist()
        return pa.array([[v for v in (lst or []) if v is not None] for lst in lists],
                        to_arrow_type(self.data_type))


@dataclass(frozen=True)
class CollectSet(AggregateFunction):
    """``collect_set(x)``: the distinct non-null values of each group."""

    @property
    def data_type(self) -> T.DataType:
        return T.ArrayType(self.child.data_type, False)

    @property
    def nullable(self) -> bool:
        return False

    def arrow_aggs(self, col: str) -> list[ArrowAgg]:
        return [(col, "distinct", pc.CountOptions(mode="only_valid"))]

    def finish(self, results: list) -> Any:
        return pc.fill_null(results[0], pa.scalar([], results[0].type)).cast(
            to_arrow_type(self.data_type))


@dataclass(frozen=True)
class Variance(AggregateFunction):
    """``variance``/``var_samp``/``var_pop``/``stddev``/``stddev_samp``/``stddev_pop``."""

    fn: str = "var_samp"

    def pretty_name(self) -> str:
        return self.fn

    @property
    def data_type(self) -> T.DataType:
        return T.DoubleType()

    def input_expression(self) -> Expression | None:
        return Cast(self.child, T.DoubleType()) if self.child.data_type != T.DoubleType() else self.child

    def arrow_aggs(self, col: str) -> list[ArrowAgg]:
        ddof = 0 if self.fn.endswith("pop") else 1
        kind = "stddev" if self.fn.startswith("std") else "variance"
        return [(col, kind, pc.VarianceOptions(ddof=ddof, min_count=1)),
                (col, "count", pc.CountOptions(mode="only_valid"))]

    def finish(self, results: list) -> Any:
        value, count = results
        if self.fn.endswith("pop"):
            return value
        # Spark 3.1+ gives NULL for the sample statistic of a single value (n - 1 = 0).
        one = pc.equal(count, 1)
        return pc.if_else(one, pa.scalar(None, pa.float64()), value)


@dataclass(frozen=True)
class BoolAggregate(AggregateFunction):
    """``bool_and``/``every`` and ``bool_or``/``some``/``any``."""

    fn: str = "bool_and"

    def pretty_name(self) -> str:
        return self.fn

    @property
    def data_type(self) -> T.DataType:
        return T.BooleanType()

    def arrow_aggs(self, col: str) -> list[ArrowAgg]:
        kind = "all" if self.fn in ("bool_and", "every") else "any"
        return [(col, kind, pc.ScalarAggregateOptions(skip_nulls=True, min_count=1))]


@dataclass(frozen=True)
class ApproxPercentile(AggregateFunction):
    """``percentile_approx``/``median``/``percentile``: via Arrow's t-digest."""

    percentages: tuple[float, ...] = (0.5,)
    is_array: bool = False
    fn: str = "percentile_approx"
    arg_sql: str = ""

    def pretty_name(self) -> str:
        return self.fn

    def sql(self) -> str:
        return f"{self.fname or self.fn}({self.child.sql()}{self.arg_sql})"

    @property
    def data_type(self) -> T.DataType:
        base = self.child.data_type if self.fn == "percentile_approx" else T.DoubleType()
        return T.ArrayType(base, False) if self.is_array else base

    def input_expression(self) -> Expression | None:
        return Cast(self.child, T.DoubleType()) if self.child.data_type != T.DoubleType() else self.child

    def arrow_aggs(self, col: str) -> list[ArrowAgg]:
        if self.fn == "percentile_approx":
            return [(col, "list", None)]
        return [(col, "list", None)]

    def finish(self, results: list) -> Any:
        out = []
        for vals in results[0].to_pylist():
            vals = sorted(v for v in (vals or []) if v is not None)
            if not vals:
                out.append(None)
                continue
            picks = [_percentile(vals, p, exact=self.fn != "percentile_approx")
                     for p in self.percentages]
            out.append(picks if self.is_array else picks[0])
        arr = pa.array(out, to_arrow_type(T.ArrayType(T.DoubleType()) if self.is_array
                                          else T.DoubleType()))
        return arr.cast(to_arrow_type(self.data_type), safe=False)


def _percentile(vals: list[float], p: float, exact: bool) -> float:
    if not exact:
        idx = max(0, min(len(vals) - 1, int(-(-p * len(vals) // 1)) - 1))
        return vals[idx]
    pos = p * (len(vals) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)


def is_aggregate(e: Expression) -> bool:
    """True if ``e`` contains an aggregate function (outside any window)."""
    from pyspk.sql.expressions.window import WindowExpression
    if isinstance(e, (AggregateFunction, Grouping)):
        return True
    if isinstance(e, WindowExpression):
        return False
    return any(is_aggregate(c) for c in e.children())


@dataclass(frozen=True)
class Grouping(Expression):
    """``grouping(col)``/``grouping_id(cols…)``: which grouping columns a ROLLUP/CUBE row
    aggregates over; replaced by a literal per grouping set when the aggregation runs."""

    cols: tuple[Expression, ...]
    is_id: bool = False

    @property
    def data_type(self) -> T.DataType:
        return T.LongType() if self.is_id else T.ByteType()

    @property
    def nullable(self) -> bool:
        return False

    @property
    def foldable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"{'grouping_id' if self.is_id else 'grouping'}({', '.join(c.sql() for c in self.cols)})"

    def value(self, grouping: tuple[Expression, ...], members: set[int]) -> int:
        """The bit (or bit vector) for a grouping set containing the ``members`` indices."""
        cols = self.cols or grouping
        bits = [0 if i in members else 1 for c in cols
                for i in [next((j for j, g in enumerate(grouping) if g == c), -1)]]
        if not self.is_id:
            return bits[0]
        out = 0
        for b in bits:
            out = (out << 1) | b
        return out
