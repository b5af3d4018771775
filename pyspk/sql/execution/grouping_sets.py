"""ROLLUP / CUBE / GROUPING SETS. On the driver: one hash aggregation per grouping set, the
columns left out of a set shown as NULL, results concatenated. Distributed: an Expand of every
row once per set (keys NULL where the set leaves them out, plus the set's index), the ordinary
two-phase aggregation grouped by the expanded keys and index, then each set's projection."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pyspk.sql import types as T
from pyspk.sql.execution.operators import _agg_slots, evaluate_column, hash_aggregate
from pyspk.sql.expressions.aggregates import AggregateFunction, Grouping
from pyspk.sql.expressions.base import Alias, AttributeReference, EvalContext, Expression, Literal
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


# ---- distributed: Expand, then the ordinary (two-phase) aggregation, then one projection per set


@dataclass(frozen=True)
class Expand(L.LogicalPlan):
    """Each child row once per grouping set: the child's columns, the grouping expressions'
    values (NULL where the set leaves them out) as ``keys`` and the set's index as ``gid``."""

    sets: tuple[tuple[int, ...], ...]
    grouping: tuple[Expression, ...]
    keys: tuple[AttributeReference, ...]
    gid: AttributeReference
    child: L.LogicalPlan

    @property
    def output(self) -> list[AttributeReference]:
        return list(self.child.output) + list(self.keys) + [self.gid]


def expand_rows(p: Expand, ctx: EvalContext, table: pa.Table) -> pa.Table:
    """Expand one batch of child rows (columns named by attribute key)."""
    from pyspk.sql._arrow_types import to_arrow_type
    values = [evaluate_column(g, table, ctx) for g in p.grouping]
    parts = []
    for i, members in enumerate(p.sets):
        cols = dict(zip(table.column_names, table.columns))
        for j, (k, v) in enumerate(zip(p.keys, values)):
            cols[k.key] = v if j in members else pa.nulls(table.num_rows, to_arrow_type(k.data_type))
        cols[p.gid.key] = pa.array(np.full(table.num_rows, i, np.int32))
        parts.append(pa.table(cols))
    return pa.concat_tables(parts)


def split_grouping_sets(plan: L.Aggregate) -> tuple[Expand, L.Aggregate, list[tuple[Expression, ...]]]:
    """The Expand, the plain aggregation over it (grouped by the expanded keys and the set
    index, computing every aggregate function once) and, per set, the projection of that
    aggregation's rows onto ``plan``'s output."""
    sets = tuple(plan.grouping_sets or ())
    keys = tuple(AttributeReference(f"__gs{j}", g.data_type, True) for j, g in enumerate(plan.grouping))
    gid = AttributeReference("__gid", T.IntegerType(), False)
    expand = Expand(sets, tuple(plan.grouping), keys, gid, plan.child)
    slots = _agg_slots(plan.aggregates)
    slot_alias = [Alias(s, f"__ga{k}") for k, s in enumerate(slots)]
    inner = L.Aggregate(keys + (gid,), keys + (gid,) + tuple(slot_alias), expand)
    slot_attr = {s: a.to_attribute() for s, a in zip(slots, slot_alias)}
    projections = []
    for members in sets:
        present = {g: keys[j] if j in members else Literal(None, g.data_type)
                   for j, g in enumerate(plan.grouping)}

        def rewrite(e: Expression, members: set[int] = set(members),
                    present: dict = present) -> Expression:
            if isinstance(e, Grouping):
                return Literal(e.value(plan.grouping, members), e.data_type)
            if e in slot_attr:
                return slot_attr[e]
            if e in present:
                return present[e]
            return e.map_children(rewrite)

        projections.append(tuple(
            Alias(rewrite(e.child), e.name, e.expr_id) if isinstance(e, Alias) else
            Alias(rewrite(e), e.name, e.expr_id) for e in plan.aggregates))
    return expand, inner, projections


def project_sets(gid: str, projections: list[tuple[Expression, ...]], ctx: EvalContext,
                 table: pa.Table) -> pa.Table:
    """Rows of the aggregation over an Expand projected onto the output, each through its
    grouping set's projection."""
    from pyspk.sql.execution.operators import project
    ids = table.column(gid).to_numpy()
    parts = [project(table.filter(pa.array(ids == i)), exprs, ctx)
             for i, exprs in enumerate(projections) if (ids == i).any()]
    if not parts:
        return project(table.slice(0, 0), projections[0], ctx)
    return pa.concat_tables([t.cast(parts[0].schema) for t in parts])
