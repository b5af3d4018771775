"""ROLLUP / CUBE / GROUPING SETS: one hash aggregation per grouping set, the columns left out of a
set shown as NULL, results concatenated."""
from __future__ import annotations

import pyarrow as pa

from pyspk.sql.execution.operators import hash_aggregate
from pyspk.sql.expressions.aggregates import AggregateFunction, Grouping
from pyspk.sql.expressions.base import Alias, EvalContext, Expression, Literal
from pyspk.sql.plan import logical as L


def grouping_sets_aggregate(table: pa.Table, plan: L.Aggregate, ctx: EvalContext) -> pa.Table:
    parts = []
    for members in plan.grouping_sets or ():
        keep = [plan.grouping[i] for i in members]
        absent = {g: Literal(None, g.data_type) for i, g in enumerate(plan.grouping) if i not in members}

        def blank(e: Expression, members: set[int] = set(members)) -> Expression:
            if isinstance(e, Grouping):
                return Literal(e.value(plan.grouping, members), e.data_type)
            if isinstance(e, AggregateFunction):
                return e  # aggregates read the original column values
            if e in absent:
                return absent[e]
            return e.map_children(blank)

        aggs = [Alias(blank(e.child), e.name, e.expr_id) if isinstance(e, Alias) else
                (Alias(absent[e], e.name, e.expr_id) if e in absent else e)
                for e in plan.aggregates]
        parts.append(hash_aggregate(table, keep, aggs, ctx))
    schema = parts[0].schema
    return pa.concat_tables([p.cast(schema) for p in parts])
