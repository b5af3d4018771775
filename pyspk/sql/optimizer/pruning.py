"""Column pruning: scans read only the columns some operator uses, and join/aggregate inputs are
narrowed to the columns used above them. Attribute ids are unique per plan, so "used" is the set of
ids referenced anywhere plus the plan's output (and every column of operators that compare whole
rows: set operations, DISTINCT, unions, Python functions)."""
from __future__ import annotations

import dataclasses

from pyspk.sql.expressions.base import AttributeReference
from pyspk.sql.plan import logical as L

_LEAVES = (L.LocalRelation, L.RDDRelation, L.Range)
_WHOLE_ROW = (L.Union, L.SetOperation, L.MapPartitions, L.CachedRelation)


def used_ids(plan: L.LogicalPlan) -> set[int]:
    used = {a.expr_id for a in plan.output}
    for node in plan.walk():
        exprs = node.filters if isinstance(node, L.FileScan) else \
            () if isinstance(node, _LEAVES) else node.expressions()
        for e in exprs:
            used |= {x.expr_id for x in e.walk() if isinstance(x, AttributeReference)}
        if isinstance(node, _WHOLE_ROW) or (isinstance(node, L.Deduplicate) and not node.keys):
            for c in node.children():
                used |= {a.expr_id for a in c.output}
    return used


def _narrow(child: L.LogicalPlan, used: set[int]) -> L.LogicalPlan:
    keep = [a for a in child.output if a.expr_id in used]
    if len(keep) == len(child.output) or not keep:
        return child
    return L.Project(tuple(keep), child)


def prune_columns(plan: L.LogicalPlan) -> L.LogicalPlan:
    """The rule."""
    used = used_ids(plan)

    def fn(p: L.LogicalPlan) -> L.LogicalPlan:
        if isinstance(p, L.FileScan):
            keep = tuple(a for a in p.attrs if a.expr_id in used or
                         any(a.expr_id in {x.expr_id for x in f.walk()
                                           if isinstance(x, AttributeReference)} for f in p.filters))
            if not keep and p.attrs:
                keep = p.attrs[:1]
            return dataclasses.replace(p, attrs=keep) if len(keep) != len(p.attrs) else p
        if isinstance(p, L.Join):
            return dataclasses.replace(p, left=_narrow(p.left, used), right=_narrow(p.right, used))
        if isinstance(p, L.Aggregate):
            return dataclasses.replace(p, child=_narrow(p.child, used))
        return p

    return plan.transform_up(fn)
