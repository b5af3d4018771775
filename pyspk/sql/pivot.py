"""``groupBy(...).pivot(col, values).agg(...)``: one aggregate column per pivot value, computed as
the aggregate over rows where the pivot column equals that value."""
from __future__ import annotations

from typing import Any

from pyspk.sql.expressions import aggregates as A
from pyspk.sql.expressions.base import Alias, Expression, Literal, UnresolvedFunction
from pyspk.sql.expressions.conditional import CaseWhen
from pyspk.sql.expressions.predicates import EqualNullSafe
from pyspk.sql.plan import logical as L


def pivot_plan(df: Any, grouping: list[Expression], pivot: tuple[Expression, list[Any]],
               items: list[Expression]) -> L.LogicalPlan:
    col, values = pivot
    outputs: list[Expression] = list(grouping)
    for v in values:
        cond = EqualNullSafe(col, Literal.of(v))
        for it in items:
            body = it.child if isinstance(it, Alias) else it
            masked = _mask(body, cond)
            label = "null" if v is None else str(v)
            name = label if len(items) == 1 else f"{label}_{it.name if isinstance(it, Alias) else body.sql()}"
            outputs.append(Alias(masked, name))
    return L.Aggregate(tuple(grouping), tuple(outputs), df._plan)


def _mask(e: Expression, cond: Expression) -> Expression:
    """Feed an aggregate only the rows of one pivot value."""
    if isinstance(e, UnresolvedFunction):
        if e.is_star or not e.args:
            return UnresolvedFunction(e.name, (CaseWhen((cond,), (Literal.of(1),)),), e.distinct)
        args = (CaseWhen((cond,), (e.args[0],)),) + tuple(e.args[1:])
        return UnresolvedFunction(e.name, args, e.distinct, False, e.filter, e.ignore_nulls)
    if isinstance(e, A.AggregateFunction):
        return e
    return e.map_children(lambda c: _mask(c, cond))
