"""Aggregates computed per group in Python over the group's collected values (statistics such as
regr_*, corr, max_by, mode, bit_and, try_sum). Grouping stays in Arrow; only finishing is Python."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import reduce
from typing import Any, Callable


from pyspk.sql import types as T
from pyspk.sql._arrow_types import arrow_column_to_python, column_from_python
from pyspk.sql.expressions.aggregates import AggregateFunction, ArrowAgg
from pyspk.sql.expressions.base import Expression


@dataclass(frozen=True)
class PyAggregate(AggregateFunction):
    """``fn(rows)`` per group, where rows are tuples of the argument values."""

    args: tuple[Expression, ...] = ()
    name: str = ""
    fn: Callable[[list[tuple]], Any] = field(default=None, compare=False, hash=False)  # type: ignore[assignment]
    result: Callable[[list[T.DataType]], T.DataType] = field(default=None, compare=False, hash=False)  # type: ignore[assignment]
    label: str | None = None

    def __hash__(self) -> int:
        return hash((self.name, self.args))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PyAggregate) and other.name == self.name and other.args == self.args

    def children(self) -> list[Expression]:
        return list(self.args)

    def map_children(self, fn):  # type: ignore[override]
        new = tuple(fn(a) for a in self.args)
        if all(x is y for x, y in zip(new, self.args)):
            return self
        import dataclasses
        return dataclasses.replace(self, args=new)

    @property
    def data_type(self) -> T.DataType:
        return self.result([a.data_type for a in self.args])

    def sql(self) -> str:
        if self.label:
            return self.label
        return f"{self.name}({', '.join(a.sql() for a in self.args)})"

    gathers_rows = True

    def finish_rows(self, row_lists: Any, columns: list) -> Any:
        """Per group: the rows (tuples of argument values) at the collected row numbers."""
        values = [arrow_column_to_python(c, a.data_type) for c, a in zip(columns, self.args)]
        out = []
        for idx in row_lists.to_pylist():
            rows = [tuple(v[i] for v in values) for i in (idx or [])]
            out.append(self.fn(rows))
        return column_from_python(out, self.data_type)


def _nonnull(rows: list[tuple]) -> list[tuple]:
    return [r for r in rows if all(v is not None for v in r)]


def _regr(kind: str) -> Callable[[list[tuple]], Any]:
    def f(rows: list[tuple]) -> Any:
        pts = [(float(y), float(x)) for y, x in _nonnull(rows)]
        n = len(pts)
        if kind == "count":
            return n
        if n == 0:
            return None
        my = sum(y for y, _ in pts) / n
        mx = sum(x for _, x in pts) / n
        sxx = sum((x - mx) ** 2 for _, x in pts)
        syy = sum((y - my) ** 2 for y, _ in pts)
        sxy = sum((x - mx) * (y - my) for y, x in pts)
        if kind == "avgx":
            return mx
        if kind == "avgy":
            return my
        if kind == "sxx":
            return sxx
        if kind == "syy":
            return syy
        if kind == "sxy":
            return sxy
        if sxx == 0:
            return None
        slope = sxy / sxx
        if kind == "slope":
            return slope
        if kind == "intercept":
            return my - slope * mx
        if kind == "r2":
            return None if syy == 0 else (sxy * sxy) / (sxx * syy)
        raise ValueError(kind)
    return f


def _corr(rows: list[tuple]) -> Any:
    pts = [(float(a), float(b)) for a, b in _nonnull(rows)]
    n = len(pts)
    if n == 0:
        return None
    ma, mb = sum(a for a, _ in pts) / n, sum(b for _, b in pts) / n
    saa = sum((a - ma) ** 2 for a, _ in pts)
    sbb = sum((b - mb) ** 2 for _, b in pts)
    sab = sum((a - ma) * (b - mb) for a, b in pts)
    return None if saa == 0 or sbb == 0 else sab / math.sqrt(saa * sbb)


def _covar(sample: bool) -> Callable[[list[tuple]], Any]:
    def f(rows: list[tuple]) -> Any:
        pts = [(float(a), float(b)) for a, b in _nonnull(rows)]
        n = len(pts)
        if n == 0 or (sample and n == 1):
            return None
        ma, mb = sum(a for a, _ in pts) / n, sum(b for _, b in pts) / n
        return sum((a - ma) * (b - mb) for a, b in pts) / (n - 1 if sample else n)
    return f


def _by(pick: Callable) -> Callable[[list[tuple]], Any]:
    def f(rows: list[tuple]) -> Any:
        cand = [(o, v) for v, o in rows if o is not None]
        return pick(cand, key=lambda t: t[0])[1] if cand else None
    return f


def _mode(rows: list[tuple]) -> Any:
    counts: dict[Any, int] = {}
    for (v, *_rest) in rows:
        if v is not None:
            counts[v] = counts.get(v, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _bits(op: Callable[[int, int], int]) -> Callable[[list[tuple]], Any]:
    def f(rows: list[tuple]) -> Any:
        vals = [r[0] for r in rows if r[0] is not None]
        return reduce(op, vals) if vals else None
    return f


def _moment(k: int) -> Callable[[list[tuple]], Any]:
    def f(rows: list[tuple]) -> Any:
        vals = [float(r[0]) for r in rows if r[0] is not None]
        n = len(vals)
        if n == 0:
            return None
        m = sum(vals) / n
        m2 = sum((v - m) ** 2 for v in vals) / n
        if m2 == 0:
            return None  # Spark 3.1+: a zero divisor gives NULL (legacy.statisticalAggregate off)
        if k == 3:
            return (sum((v - m) ** 3 for v in vals) / n) / m2 ** 1.5
        return (sum((v - m) ** 4 for v in vals) / n) / m2 ** 2 - 3.0
    return f


def _product(rows: list[tuple]) -> Any:
    vals = [float(r[0]) for r in rows if r[0] is not None]
    return reduce(lambda a, b: a * b, vals) if vals else None


def _listagg(distinct: bool) -> Callable[[list[tuple]], Any]:
    def f(rows: list[tuple]) -> Any:
        vals = [r[0] for r in rows if r[0] is not None]
        if distinct:
            vals = list(dict.fromkeys(vals))
        sep = rows[0][1] if rows and len(rows[0]) > 1 and rows[0][1] is not None else ""
        return sep.join(vals) if vals else None
    return f


_D = lambda ts: T.DoubleType()  # noqa: E731
_FIRST = lambda ts: ts[0]  # noqa: E731

PY_AGGREGATES: dict[str, tuple[Callable, Callable]] = {
    **{f"regr_{k}": (_regr(k), _D if k != "count" else (lambda ts: T.LongType()))
       for k in ("avgx", "avgy", "count", "intercept", "r2", "slope", "sxx", "sxy", "syy")},
    "corr": (_corr, _D),
    "covar_pop": (_covar(False), _D),
    "covar_samp": (_covar(True), _D),
    "max_by": (_by(max), _FIRST),
    "min_by": (_by(min), _FIRST),
    "mode": (_mode, _FIRST),
    "bit_and": (_bits(lambda a, b: a & b), _FIRST),
    "bit_or": (_bits(lambda a, b: a | b), _FIRST),
    "bit_xor": (_bits(lambda a, b: a ^ b), _FIRST),
    "skewness": (_moment(3), _D),
    "kurtosis": (_moment(4), _D),
    "product": (_product, _D),
    "listagg": (_listagg(False), lambda ts: T.StringType()),
    "string_agg": (_listagg(False), lambda ts: T.StringType()),
}


def _count_distinct_rows(rows: list[tuple]) -> int:
    return len({r for r in rows if all(v is not None for v in r)})


def count_distinct_columns(args: list[Expression]) -> PyAggregate:
    """``count(DISTINCT a, b, …)``: distinct combinations with no NULL member."""
    label = f"count(DISTINCT {', '.join(a.sql() for a in args)})"
    return PyAggregate(None, args=tuple(args), name="count", fn=_count_distinct_rows,
                       result=lambda ts: T.LongType(), label=label)


def _freeze(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return tuple(_freeze(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _freeze(x)) for k, x in v.items()))
    return v


def nested_fallback(name: str, arg: Expression, distinct: bool = False) -> PyAggregate:
    """collect_list/collect_set/count DISTINCT of struct, array or map values (Arrow's hash
    aggregations take only flat types)."""
    def collect(rows: list[tuple]) -> Any:
        vals = [r[0] for r in rows if r[0] is not None]
        if name == "collect_set":
            seen: dict[Any, Any] = {}
            for v in vals:
                seen.setdefault(_freeze(v), v)
            return list(seen.values())
        if name == "count":
            return len({_freeze(v) for v in vals})
        return vals
    if name == "count":
        label = f"count({'DISTINCT ' if distinct else ''}{arg.sql()})"
        return PyAggregate(None, args=(arg,), name="count", fn=collect,
                           result=lambda ts: T.LongType(), label=label)
    return PyAggregate(None, args=(arg,), name=name, fn=collect,
                       result=lambda ts: T.ArrayType(ts[0], False))


# Values of trailing optional arguments, filled in when a call omits them (Spark shows them in
# the column name: ``hll_sketch_agg(value, 12)``).
PY_AGGREGATE_DEFAULTS: dict[str, tuple] = {}


def build_py_aggregate(name: str, args: list[Expression]) -> PyAggregate:
    fn, result = PY_AGGREGATES[name]
    defaults = PY_AGGREGATE_DEFAULTS.get(name, ())
    if defaults:
        from pyspk.sql.expressions.base import Literal
        missing = defaults[max(len(args) - _first_optional(name), 0):]
        args = list(args) + [Literal.of(v) for v in missing]
    return PyAggregate(None, args=tuple(args), name=name, fn=fn, result=result)


def _first_optional(name: str) -> int:
    """How many leading arguments of an aggregate with defaults are required."""
    return 2 if name.startswith("tuple_sketch_agg_") else 1



