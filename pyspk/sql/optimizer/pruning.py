"""Column pruning: each operator asks its children only for the columns it and the operators
above it use, so projections drop unused items and scans read only needed columns. Operators
that compare whole rows (set operations, DISTINCT, unions, Python batch functions, caches) keep
their children's full output."""
from __future__ import annotations

import dataclasses

from pyspk.sql.expressions.base import AttributeReference, Expression
from pyspk.sql.plan import logical as L

_WHOLE_ROW = (L.Union, L.SetOperation, L.MapPartitions, L.CoGroupMap, L.CachedRelation,
              L.CollectMetrics,
              L.Repartition)


def _refs(exprs: list[Expression]) -> set[int]:
    return {x.expr_id for e in exprs for x in e.walk() if isinstance(x, AttributeReference)}


def _all(p: L.LogicalPlan) -> set[int]:
    return {a.expr_id for a in p.output}


def prune(p: L.LogicalPlan, required: set[int]) -> L.LogicalPlan:
    """``p`` producing at least the ``required`` attribute ids, everything else trimmed below."""
    if isinstance(p, L.Project):
        items = tuple(e for e, a in zip(p.project_list, p.output) if a.expr_id in required)
        items = items or p.project_list[:1]
        return L.Project(items, prune(p.child, _refs(list(items))))
    if isinstance(p, L.FileScan):
        need = required | _refs(list(p.filters))
        keep = tuple(a for a in p.attrs if a.expr_id in need) or p.attrs[:1]
        return dataclasses.replace(p, attrs=keep) if len(keep) != len(p.attrs) else p
    if isinstance(p, L.Aggregate):
        return dataclasses.replace(p, child=_narrow(prune(p.child, _refs(p.expressions())), _refs(p.expressions())))
    if isinstance(p, L.Join):
        need = required | _refs(p.expressions())
        return dataclasses.replace(p, left=_narrow(prune(p.left, need), need),
                                   right=_narrow(prune(p.right, need), need))
    if isinstance(p, L.Deduplicate):
        need = _all(p.child) if not p.keys else required | _refs(list(p.keys))
        return p.map_children(lambda c: prune(c, need))
    if isinstance(p, _WHOLE_ROW):
        return p.map_children(lambda c: prune(c, _all(c)))
    need = required | _refs(p.expressions())
    if isinstance(p, (L.Window, L.Generate)):
        need |= _all(p.children()[0])
    return p.map_children(lambda c: prune(c, need))


def _narrow(child: L.LogicalPlan, used: set[int]) -> L.LogicalPlan:
    keep = [a for a in child.output if a.expr_id in used]
    if len(keep) == len(child.output) or not keep:
        return child
    return L.Project(tuple(keep), child)


def prune_columns(plan: L.LogicalPlan) -> L.LogicalPlan:
    """The rule."""
    return prune(plan, _all(plan))
