"""Predicate push-down: move filter conjuncts as close to the data as they can go — through
projections and aliases, into the sides of joins (inner joins are flattened and reordered so
that conditions become join keys), below aggregates on grouping columns, and into file scans."""
from __future__ import annotations

import dataclasses

from pyspk.sql.expressions.base import AttributeReference, Expression
from pyspk.sql.optimizer.expr_utils import alias_map, and_all, conjuncts, ids, refs, substitute
from pyspk.sql.optimizer.joins import flatten_inner_joins, is_inner_join_group, reorder_joins
from pyspk.sql.plan import logical as L


def _deterministic(e: Expression) -> bool:
    return e.deterministic


def _with_filter(plan: L.LogicalPlan, preds: list[Expression]) -> L.LogicalPlan:
    cond = and_all(preds)
    return plan if cond is None else push(L.Filter(cond, plan))


def push(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Push the filter at the root of ``plan`` down as far as it goes; recurse below."""
    if not isinstance(plan, L.Filter):
        if isinstance(plan, L.Join) and plan.join_type in _SEMI and is_inner_join_group(plan.left):
            moved = _push_semi_join(plan)
            if moved is not None:
                return push(moved)
        if isinstance(plan, L.Join) and plan.join_type in ("inner", "cross"):
            leaves, conds = flatten_inner_joins(plan)
            return reorder_joins([push_down_filters(x) for x in leaves], conds, plan.output) \
                if len(leaves) > 2 or conds else plan.map_children(push_down_filters)
        return plan.map_children(push_down_filters)
    cond, child = plan.condition, plan.child
    preds = conjuncts(cond)
    if not all(_deterministic(p) for p in preds):
        return L.Filter(cond, push_down_filters(child))
    if isinstance(child, L.Filter):
        return push(L.Filter(and_all(preds + conjuncts(child.condition)), child.child))
    if isinstance(child, L.SubqueryAlias):
        return L.SubqueryAlias(child.alias, push(L.Filter(cond, child.child)))
    if isinstance(child, L.Project) and all(e.deterministic for e in child.project_list) and \
            not _has_window_or_agg(child):
        mapping = alias_map(child.project_list)
        moved = [substitute(p, mapping) for p in preds]
        return L.Project(child.project_list, push(L.Filter(and_all(moved), child.child)))
    if isinstance(child, L.Join):
        return _push_into_join(preds, child)
    if isinstance(child, L.Aggregate) and child.grouping_sets is None:
        group_ids = {g.expr_id for g in child.grouping if isinstance(g, AttributeReference)}
        out_to_in = {}
        for e, a in zip(child.aggregates, child.output):
            if isinstance(e, AttributeReference) and e.expr_id in group_ids:
                out_to_in[a.expr_id] = e
            elif hasattr(e, "child") and isinstance(getattr(e, "child"), AttributeReference) and \
                    e.child.expr_id in group_ids:
                out_to_in[a.expr_id] = e.child
        below = [p for p in preds if refs(p) and refs(p) <= set(out_to_in)]
        above = [p for p in preds if p not in below]
        if below:
            moved = [substitute(p, out_to_in) for p in below]
            new_child = dataclasses.replace(child, child=push(L.Filter(and_all(moved), child.child)))
            return _wrap(above, new_child)
        return L.Filter(cond, push_down_filters(child))
    if isinstance(child, L.Union):
        pushed = []
        for inp in child.inputs:
            mapping = {a.expr_id: b for a, b in zip(child.output, inp.output)}
            pushed.append(push(L.Filter(and_all(substitute(p, mapping) for p in preds), inp)))
        return L.Union(tuple(pushed))
    if isinstance(child, L.FileScan):
        return dataclasses.replace(child, filters=child.filters + tuple(preds))
    return L.Filter(cond, push_down_filters(child))


def _wrap(preds: list[Expression], plan: L.LogicalPlan) -> L.LogicalPlan:
    cond = and_all(preds)
    return plan if cond is None else L.Filter(cond, plan)


def _has_window_or_agg(p: L.Project) -> bool:
    from pyspk.sql.expressions.aggregates import AggregateFunction
    from pyspk.sql.expressions.window import WindowExpression
    return any(isinstance(x, (AggregateFunction, WindowExpression))
               for e in p.project_list for x in e.walk())


def _push_into_join(preds: list[Expression], join: L.Join) -> L.LogicalPlan:
    jt = join.join_type
    if jt in ("inner", "cross"):
        leaves, conds = flatten_inner_joins(join)
        return reorder_joins([push_down_filters(x) for x in leaves], conds + preds, join.output)
    lids, rids = ids(join.left.output), ids(join.right.output)
    left_only = [p for p in preds if refs(p) and refs(p) <= lids]
    right_only = [p for p in preds if refs(p) and refs(p) <= rids]
    rest = [p for p in preds if p not in left_only and p not in right_only]
    new_left, new_right = join.left, join.right
    if jt in ("left", "left_semi", "left_anti", "left_anti_null_aware"):
        new_left = _with_filter(join.left, left_only)
        rest += right_only
    elif jt == "right":
        new_right = _with_filter(join.right, right_only)
        rest += left_only
    else:
        rest += left_only + right_only
    new_join = dataclasses.replace(join, left=push_down_filters(new_left),
                                   right=push_down_filters(new_right))
    if jt in _SEMI and is_inner_join_group(new_join.left):
        moved = _push_semi_join(new_join)
        if moved is not None:
            return _wrap(rest, moved)
    if jt in ("left", "left_semi", "left_anti") and join.condition is not None:
        right_conds = [c for c in conjuncts(join.condition) if refs(c) and refs(c) <= rids]
        other = [c for c in conjuncts(join.condition) if c not in right_conds]
        if right_conds:
            new_join = dataclasses.replace(new_join, right=_with_filter(new_join.right, right_conds),
                                           condition=and_all(other))
    return _wrap(rest, new_join)


_SEMI = ("left_semi", "left_anti", "left_anti_null_aware")


def _push_semi_join(join: L.Join) -> L.LogicalPlan | None:
    """A semi/anti join whose condition reads one input of an inner-join tree is applied to that
    input before the joins (fewer rows to join), as Spark pushes a left semi join down."""
    if not any(isinstance(n, (L.Aggregate, L.Limit)) for n in join.right.walk()):
        # Without statistics, only a subquery that aggregates is assumed selective enough to
        # be worth joining before the other inputs (TPC-H q18's IN (… GROUP BY … HAVING)).
        return None
    leaves, conds = flatten_inner_joins(join.left)
    left_ids = ids(join.left.output)
    needed = refs(join.condition) & left_ids if join.condition is not None else set()
    for i, leaf in enumerate(leaves):
        if needed and needed <= ids(leaf.output) and len(leaves) > 1:
            leaves = list(leaves)
            leaves[i] = dataclasses.replace(join, left=leaf)
            return reorder_joins(leaves, conds, join.left.output)
    return None


def push_down_filters(plan: L.LogicalPlan) -> L.LogicalPlan:
    """The rule: push every filter of the plan down."""
    return push(plan)
