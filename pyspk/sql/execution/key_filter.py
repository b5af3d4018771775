"""Runtime key filters for joins against aggregates (Spark's InjectRuntimeFilter, exact here).

In ``small ⋈ (SELECT k, agg(..) FROM big GROUP BY k)`` only the groups whose key occurs on the
small side can matter. The small side runs first; its distinct keys then filter the aggregate's
input below the GROUP BY, so ``big`` is aggregated over the few rows that can join (TPC-H q02,
q17, q20 join a handful of parts to an aggregate over every part). Groups are computed whole,
so results are unchanged: rows of the aggregate side whose key is absent from the other side
could never match in an inner, left outer, semi or anti join with that side streaming.
"""
from __future__ import annotations

from typing import Any, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql.execution import operators as ops
from pyspk.sql.expressions.base import Alias, AttributeReference, EvalContext, Expression
from pyspk.sql.plan import logical as L

MAX_KEYS = 200_000
JOIN_TYPES = ("inner", "left", "left_semi", "left_anti")


def _source(p: L.LogicalPlan, expr_id: int) -> int | None:
    """The child attribute an output attribute of a Project passes through (None if computed)."""
    assert isinstance(p, L.Project)
    for e in p.project_list:
        if isinstance(e, AttributeReference) and e.expr_id == expr_id:
            return expr_id
        if isinstance(e, Alias) and e.expr_id == expr_id and isinstance(e.child, AttributeReference):
            return e.child.expr_id
    return None


def _grouping_source(p: L.Aggregate, expr_id: int) -> int | None:
    """The input attribute an aggregate's output attribute groups by (None if not a key)."""
    keys = {g.expr_id for g in p.grouping if isinstance(g, AttributeReference)}
    for e, a in zip(p.aggregates, p.output):
        if a.expr_id == expr_id:
            inner = e.child if isinstance(e, Alias) else e
            if isinstance(inner, AttributeReference) and inner.expr_id in keys:
                return inner.expr_id
    return None


def reaches_aggregate(p: L.LogicalPlan, expr_id: int) -> bool:
    """True when attribute ``expr_id`` of ``p`` is, through projections and filters, a grouping
    key of an aggregate (so a key filter can go below it)."""
    while True:
        if isinstance(p, L.Aggregate):
            return p.grouping_sets is None and bool(p.grouping) and \
                _grouping_source(p, expr_id) is not None
        if isinstance(p, L.Project):
            src = _source(p, expr_id)
            if src is None:
                return False
            expr_id, p = src, p.child
        elif isinstance(p, (L.SubqueryAlias, L.Filter)):
            p = p.children()[0]
        else:
            return False


def key_values(table: pa.Table, key: Expression, ctx: EvalContext) -> pa.Array | None:
    """The distinct non-null values of ``key`` over ``table`` (None when there are too many
    for a filter to pay off)."""
    values = pc.unique(ops.evaluate_column(key, table, ctx))
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    values = values.drop_null()
    return values if len(values) <= MAX_KEYS else None


def execute_restricted(executor: Any, p: L.LogicalPlan, expr_id: int, values: pa.Array) -> pa.Table:
    """``p``'s rows whose attribute ``expr_id`` is one of ``values``, filtering as deep as the
    aggregate's input."""
    ctx = executor.ctx
    if isinstance(p, L.Aggregate):
        src = _grouping_source(p, expr_id)
        if src is not None and p.grouping_sets is None:
            child = execute_restricted(executor, p.child, src, values)
            return ops.hash_aggregate(child, p.grouping, p.aggregates, ctx)
    elif isinstance(p, L.Project):
        src = _source(p, expr_id)
        if src is not None:
            child = execute_restricted(executor, p.child, src, values)
            if all(isinstance(e, AttributeReference) for e in p.project_list):
                return child.select([e.key for e in p.project_list])  # type: ignore[union-attr]
            return ops.project(child, p.project_list, ctx)
    elif isinstance(p, L.SubqueryAlias):
        return execute_restricted(executor, p.child, expr_id, values)
    elif isinstance(p, L.Filter):
        return ops.filter_rows(execute_restricted(executor, p.child, expr_id, values), p.condition, ctx)
    table = executor.execute(p)
    key = next(a.key for a in p.output if a.expr_id == expr_id)
    col = table.column(key)
    try:
        wanted = values.cast(col.type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return table
    return table.filter(pc.is_in(col, value_set=wanted))


def restrictable_key(join_type: str, right: L.LogicalPlan, rkeys: Sequence[Expression]) -> int | None:
    """Index of a right-side join key a runtime filter can restrict, if any."""
    if join_type not in JOIN_TYPES:
        return None
    for i, k in enumerate(rkeys):
        if isinstance(k, AttributeReference) and reaches_aggregate(right, k.expr_id):
            return i
    return None


def join_inputs(executor: Any, p: L.Join, lkeys: Sequence[Expression],
                rkeys: Sequence[Expression]) -> tuple[pa.Table, pa.Table]:
    """Both inputs of join ``p``; an aggregate side restricted to the other side's keys when
    one can be (the other side runs first)."""
    ctx = executor.ctx
    if p.join_type == "inner" and restrictable_key("inner", p.right, rkeys) is None:
        j = restrictable_key("inner", p.left, lkeys)
        if j is not None:
            right = executor.execute(p.right)
            values = key_values(right, rkeys[j], ctx)
            left = executor.execute(p.left) if values is None else \
                execute_restricted(executor, p.left, lkeys[j].expr_id, values)  # type: ignore[union-attr]
            return left, right
    left = executor.execute(p.left)
    i = restrictable_key(p.join_type, p.right, rkeys)
    values = key_values(left, lkeys[i], ctx) if i is not None else None
    right = executor.execute(p.right) if values is None else \
        execute_restricted(executor, p.right, rkeys[i].expr_id, values)  # type: ignore[index,union-attr]
    return left, right
