"""Size estimates for join reordering: rows of a plan and distinct values of a column.

Base sizes come from what is known without running anything: Parquet footers (row counts and
per-column min/max, cached), in-memory relations and ranges. Filters scale them by textbook
selectivities (equality 1/distinct values, ranges by where the literal falls between the column's
min and max, 1/3 otherwise); an equi-join yields |L|·|R| / max(distinct keys) per key. Estimates
only steer the join order; they never change an answer.
"""
from __future__ import annotations

import datetime
import decimal
import os
from typing import Any

from pyspk.sql import types as T
from pyspk.sql.expressions import predicates as P
from pyspk.sql.expressions.base import Alias, AttributeReference, Expression, Literal
from pyspk.sql.plan import logical as L

DEFAULT_ROWS = 1_000_000.0
_BYTES_PER_TEXT_ROW = 100.0
_RANGE_SELECTIVITY = 1 / 3
_EQ_SELECTIVITY = 0.1
_LIKE_SELECTIVITY = 0.1
_OTHER_SELECTIVITY = 0.5
_RANGED = (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.DateType)


class Estimator:
    """Row and distinct-value estimates of plans, memoised for one optimisation pass."""

    def __init__(self) -> None:
        self._rows: dict[int, float] = {}
        self._ndv: dict[tuple[int, int], float | None] = {}
        self._files: dict[tuple, Any] = {}
        self._keep: list[L.LogicalPlan] = []

    def rows(self, plan: L.LogicalPlan) -> float:
        key = id(plan)
        if key not in self._rows:
            self._keep.append(plan)
            self._rows[key] = max(1.0, self._estimate(plan))
        return self._rows[key]

    def _estimate(self, p: L.LogicalPlan) -> float:
        if isinstance(p, L.FileScan):
            return self._scan_rows(p) * self.selectivity(and_list(p.filters), p)
        if isinstance(p, L.LocalRelation):
            return float(p.data.num_rows)
        if isinstance(p, L.Range):
            return float(max(0, -(-(p.end - p.start) // p.step))) if p.step else 0.0
        if isinstance(p, L.OneRowRelation):
            return 1.0
        if isinstance(p, L.Filter):
            return self.rows(p.child) * self.selectivity(p.condition, p.child)
        if isinstance(p, (L.Project, L.SubqueryAlias, L.Sort, L.Window, L.Repartition)):
            return self.rows(p.children()[0])
        if isinstance(p, L.Limit):
            return min(float(p.n), self.rows(p.child))
        if isinstance(p, L.Aggregate):
            if not p.grouping:
                return 1.0
            child = self.rows(p.child)
            ndv = 1.0
            for g in p.grouping:
                d = self.ndv(p.child, g.expr_id) if isinstance(g, AttributeReference) else None
                ndv *= d if d is not None else child / 10
            return min(child, ndv)
        if isinstance(p, L.Join):
            return self._join_rows(p)
        kids = p.children()
        return sum(self.rows(c) for c in kids) if kids else DEFAULT_ROWS

    def _scan_rows(self, p: L.FileScan) -> float:
        key = ("rows", p.fmt, p.paths)
        if key not in self._files:
            self._files[key] = self._count_rows(p)
        return self._files[key]

    def _count_rows(self, p: L.FileScan) -> float:
        from pyspk.sql.io.scan import _files
        try:
            files = _files(list(p.paths))
            if p.fmt == "parquet":
                from pyspk.sql.io.parquet_meta import file_stats
                return float(sum(file_stats(f).num_rows for f in files))
            return sum(os.path.getsize(f) for f in files) / _BYTES_PER_TEXT_ROW
        except (OSError, ValueError):
            return DEFAULT_ROWS

    def _join_rows(self, p: L.Join) -> float:
        from pyspk.sql.optimizer.joins import split_join_condition
        left, right = self.rows(p.left), self.rows(p.right)
        lk, rk, residual = split_join_condition(p.condition, p.left.output, p.right.output)
        inner = self.equi_join_rows(p.left, p.right, lk, rk) * self.selectivity(residual, p)
        if p.join_type in ("left_semi", "left_anti", "left_anti_null_aware"):
            return left / 2
        if p.join_type == "left":
            return max(left, inner)
        if p.join_type == "right":
            return max(right, inner)
        if p.join_type == "full":
            return max(left + right, inner)
        return inner

    def equi_join_rows(self, left: L.LogicalPlan, right: L.LogicalPlan,
                       lkeys: list[Expression], rkeys: list[Expression]) -> float:
        """|L|·|R| divided by, for each key pair, the larger distinct-value count."""
        nl, nr = self.rows(left), self.rows(right)
        if not lkeys:
            return nl * nr
        denominator = 1.0
        for a, b in zip(lkeys, rkeys):
            da = self.ndv(left, a.expr_id) if isinstance(a, AttributeReference) else None
            db = self.ndv(right, b.expr_id) if isinstance(b, AttributeReference) else None
            denominator *= max(da if da is not None else nl, db if db is not None else nr)
        return nl * nr / min(denominator, max(nl, nr))

    def ndv(self, plan: L.LogicalPlan, expr_id: int) -> float | None:
        """An upper bound on the distinct values of attribute ``expr_id`` in ``plan``'s output."""
        key = (id(plan), expr_id)
        if key not in self._ndv:
            self._keep.append(plan)
            found = self._base_ndv(plan, expr_id)
            self._ndv[key] = None if found is None else min(found, self.rows(plan))
        return self._ndv[key]

    def _base_ndv(self, p: L.LogicalPlan, expr_id: int) -> float | None:
        found = _origin(p, expr_id)
        if isinstance(found, L.Aggregate):
            return self.rows(found)
        if found is None:
            return None
        return self._scan_ndv(*found)

    def _range_ndv(self, p: L.LogicalPlan, expr_id: int) -> float | None:
        """Distinct values bounded by an integral column's value range (None when unknown: a
        row count says nothing about how often one value of a string column repeats)."""
        found = _origin(p, expr_id)
        if not isinstance(found, tuple):
            return None
        scan, a = found
        if not isinstance(a.data_type, _RANGED):
            return None
        return self._scan_ndv(scan, a) if self._column_bounds(scan, a.name) is not None else None

    def _scan_ndv(self, p: L.FileScan, a: AttributeReference) -> float:
        total = self._scan_rows(p)
        bounds = self._column_bounds(p, a.name)
        if bounds is not None and isinstance(a.data_type, _RANGED):
            lo, hi = (_number(v) for v in bounds)
            if lo is not None and hi is not None:
                return min(total, hi - lo + 1)
        return total

    def _column_bounds(self, p: L.FileScan, name: str) -> tuple[Any, Any] | None:
        key = ("bounds", p.fmt, p.paths, p.partition_attrs, name)
        if key not in self._files:
            self._files[key] = self._read_bounds(p, name)
        return self._files[key]

    def _read_bounds(self, p: L.FileScan, name: str) -> tuple[Any, Any] | None:
        if p.fmt != "parquet" or p.partition_attrs:
            return None
        from pyspk.sql.io.parquet_meta import file_stats
        from pyspk.sql.io.scan import _files
        lo = hi = None
        try:
            for f in _files(list(p.paths)):
                for g in file_stats(f).groups:
                    st = g.columns.get(name)
                    if st is None or st.min is None:
                        return None
                    lo = st.min if lo is None or st.min < lo else lo
                    hi = st.max if hi is None or st.max > hi else hi
        except (OSError, TypeError, ValueError):
            return None
        return (lo, hi) if lo is not None else None

    def selectivity(self, e: Expression | None, plan: L.LogicalPlan) -> float:
        """The fraction of ``plan``'s rows estimated to pass ``e``."""
        if e is None:
            return 1.0
        if isinstance(e, P.And):
            return self.selectivity(e.left, plan) * self.selectivity(e.right, plan)
        if isinstance(e, P.Or):
            a, b = self.selectivity(e.left, plan), self.selectivity(e.right, plan)
            return min(1.0, a + b - a * b)
        if isinstance(e, P.Not):
            return max(0.0, 1.0 - self.selectivity(e.child, plan))
        if isinstance(e, P.IsNotNull):
            return 1.0
        if isinstance(e, P.IsNull):
            return 0.05
        if isinstance(e, P.EqualTo):
            attr = _attr_vs_literal(e)
            if attr is None:
                return _EQ_SELECTIVITY
            d = self._range_ndv(plan, attr[0].expr_id)
            return max(1.0 / d, 1e-6) if d else _EQ_SELECTIVITY
        if isinstance(e, P.In):
            one = self.selectivity(P.EqualTo(e.value, e.items[0]), plan) if e.items else 0.0
            return min(1.0, one * len(e.items))
        if isinstance(e, (P.LessThan, P.LessThanOrEqual, P.GreaterThan, P.GreaterThanOrEqual)):
            return self._range_selectivity(e, plan)
        if isinstance(e, (P.Like, P.RLike)):
            return _LIKE_SELECTIVITY
        return _OTHER_SELECTIVITY

    def _range_selectivity(self, e: Expression, plan: L.LogicalPlan) -> float:
        found = _attr_vs_literal(e)
        if found is None:
            return _RANGE_SELECTIVITY
        attr, value, attr_left = found
        found = _origin(plan, attr.expr_id)
        bounds = self._column_bounds(found[0], found[1].name) if isinstance(found, tuple) else None
        v = _number(value)
        if bounds is None or v is None:
            return _RANGE_SELECTIVITY
        lo, hi = (_number(b) for b in bounds)
        if lo is None or hi is None or hi <= lo:
            return _RANGE_SELECTIVITY
        below = min(1.0, max(0.0, (v - lo) / (hi - lo)))
        less = isinstance(e, (P.LessThan, P.LessThanOrEqual))
        return max(below if less == attr_left else 1.0 - below, 0.001)


def and_list(filters: tuple[Expression, ...]) -> Expression | None:
    out: Expression | None = None
    for f in filters:
        out = f if out is None else P.And(out, f)
    return out


def _attr_vs_literal(e: Expression) -> tuple[AttributeReference, Any, bool] | None:
    left, right = getattr(e, "left", None), getattr(e, "right", None)
    if isinstance(left, AttributeReference) and isinstance(right, Literal):
        return left, right.value, True
    if isinstance(right, AttributeReference) and isinstance(left, Literal):
        return right, left.value, False
    return None


def _origin(p: L.LogicalPlan, expr_id: int) -> tuple[L.FileScan, AttributeReference] | L.Aggregate | None:
    """The scanned column an attribute is (through renames), or the aggregate computing it."""
    while True:
        if isinstance(p, L.FileScan):
            return next(((p, a) for a in p.attrs if a.expr_id == expr_id), None)
        if isinstance(p, L.Aggregate):
            return p if any(a.expr_id == expr_id for a in p.output) else None
        if isinstance(p, L.Project):
            match = next((e for e in p.project_list if e.expr_id == expr_id), None) \
                if all(hasattr(e, "expr_id") for e in p.project_list) else None
            if isinstance(match, Alias) and isinstance(match.child, AttributeReference):
                expr_id = match.child.expr_id
            elif not isinstance(match, AttributeReference):
                return None
            p = p.child
            continue
        kids = [c for c in p.children() if any(a.expr_id == expr_id for a in c.output)]
        if not kids:
            return None
        p = kids[0]


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float, decimal.Decimal)):
        return float(v)
    if isinstance(v, datetime.datetime):
        return v.timestamp()
    if isinstance(v, datetime.date):
        return float(v.toordinal())
    return None
