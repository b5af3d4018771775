"""``GroupedData``: the result of ``groupBy``/``rollup``/``cube``, turned into a DataFrame by
``agg`` or one of the shortcuts (count, sum, avg, …), plus ``pivot`` and ``applyInPandas``."""
from __future__ import annotations

from typing import Any, Sequence

from pyspk.errors import PySparkTypeError
from pyspk.sql.column import Column, col_or_name
from pyspk.sql.expressions.base import Alias, Expression, UnresolvedAttribute, UnresolvedFunction
from pyspk.sql.plan import logical as L


class GroupedData:
    """A DataFrame grouped by some expressions, waiting for aggregates."""

    def __init__(self, df: Any, grouping: list[Expression],
                 grouping_sets: Sequence[Sequence[int]] | None = None,
                 pivot: tuple[Expression, list[Any]] | None = None) -> None:
        self._df = df
        self._grouping = grouping
        self._sets = grouping_sets
        self._pivot = pivot

    def agg(self, *exprs: Any) -> Any:
        if len(exprs) == 1 and isinstance(exprs[0], dict):
            items = []
            for name, fn in exprs[0].items():
                fname = {"mean": "avg"}.get(fn, fn)
                items.append(UnresolvedFunction(fname, (), is_star=True) if name == "*" else
                             UnresolvedFunction(fname, (UnresolvedAttribute((name,)),)))
        else:
            items = []
            for e in exprs:
                if not isinstance(e, Column):
                    raise PySparkTypeError("[NOT_COLUMN] Argument `exprs` should be a Column, got "
                                           f"{type(e).__name__}.", errorClass="NOT_COLUMN")
                items.append(e._expr)
        return self._aggregate(items)

    def _aggregate(self, items: list[Expression]) -> Any:
        if self._pivot is not None:
            from pyspk.sql.pivot import pivot_plan
            return self._df._new(pivot_plan(self._df, self._grouping, self._pivot, items))
        outputs = tuple(self._grouping) + tuple(items)
        sets = tuple(tuple(s) for s in self._sets) if self._sets is not None else None
        return self._df._new(L.Aggregate(tuple(self._grouping), outputs, self._df._plan, sets))

    def count(self) -> Any:
        return self._aggregate([Alias(UnresolvedFunction("count", (), is_star=True), "count")])

    def _numeric(self, fn: str, cols: tuple[str, ...]) -> Any:
        from pyspk.sql.expressions.coercion import is_numeric
        names = list(cols) or [a.name for a in self._df._plan.output if is_numeric(a.data_type)
                               and a.name not in {getattr(g, "name", None) for g in self._grouping}]
        items = [Alias(UnresolvedFunction(fn, (UnresolvedAttribute((c,)),)), f"{fn}({c})")
                 for c in names]
        return self._aggregate(items)

    def sum(self, *cols: str) -> Any:
        return self._numeric("sum", cols)

    def avg(self, *cols: str) -> Any:
        return self._numeric("avg", cols)

    mean = avg

    def max(self, *cols: str) -> Any:
        return self._numeric("max", cols)

    def min(self, *cols: str) -> Any:
        return self._numeric("min", cols)

    def pivot(self, pivot_col: str, values: list[Any] | None = None) -> "GroupedData":
        expr = col_or_name(pivot_col)
        if values is None:
            rows = self._df.select(Column(expr)).distinct().collect()
            values = sorted((r[0] for r in rows), key=lambda v: (v is None, v))
        return GroupedData(self._df, self._grouping, self._sets, (expr, list(values)))

    def applyInPandas(self, func: Any, schema: Any) -> Any:
        from pyspk.sql.pandas_api import apply_in_pandas
        return apply_in_pandas(self._df, self._grouping, func, schema)

    def applyInArrow(self, func: Any, schema: Any) -> Any:
        from pyspk.sql.pandas_api import apply_in_pandas
        return apply_in_pandas(self._df, self._grouping, func, schema, arrow=True)

    def cogroup(self, other: "GroupedData") -> Any:
        from pyspk.sql.pandas.group_ops import PandasCogroupedOps
        return PandasCogroupedOps(self, other)

    def __repr__(self) -> str:
        return f"GroupedData[grouping expressions: [{', '.join(g.sql() for g in self._grouping)}], " \
               f"value: [{', '.join(f'{n}: {t}' for n, t in self._df.dtypes)}], type: GroupBy]"
