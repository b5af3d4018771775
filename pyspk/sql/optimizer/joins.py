"""Join helpers: split a join condition into equi-keys and a residual, and reorder a group of
inner joins so every join has a condition when one exists (cartesian products go last)."""
from __future__ import annotations

from typing import Sequence

from pyspk.sql.expressions.base import AttributeReference, Expression
from pyspk.sql.expressions.predicates import EqualTo
from pyspk.sql.optimizer.expr_utils import and_all, conjuncts, ids, refs
from pyspk.sql.plan import logical as L


def split_join_condition(cond: Expression | None, left: Sequence[AttributeReference],
                         right: Sequence[AttributeReference]
                         ) -> tuple[list[Expression], list[Expression], Expression | None]:
    """(left keys, right keys, residual) of ``cond`` for a join of ``left`` and ``right``."""
    lids, rids = ids(left), ids(right)
    lk: list[Expression] = []
    rk: list[Expression] = []
    rest: list[Expression] = []
    for c in conjuncts(cond):
        if isinstance(c, EqualTo):
            a, b = refs(c.left), refs(c.right)
            if a and b and a <= lids and b <= rids:
                lk.append(c.left)
                rk.append(c.right)
                continue
            if a and b and a <= rids and b <= lids:
                lk.append(c.right)
                rk.append(c.left)
                continue
        rest.append(c)
    return lk, rk, and_all(rest)


def flatten_inner_joins(plan: L.LogicalPlan) -> tuple[list[L.LogicalPlan], list[Expression]]:
    """Leaves and conjuncts of a tree of inner/cross joins (and filters directly over them)."""
    if isinstance(plan, L.Join) and plan.join_type in ("inner", "cross"):
        ll, lc = flatten_inner_joins(plan.left)
        rl, rc = flatten_inner_joins(plan.right)
        return ll + rl, lc + rc + conjuncts(plan.condition)
    if isinstance(plan, L.Filter) and isinstance(plan.child, L.Join) and \
            plan.child.join_type in ("inner", "cross"):
        leaves, conds = flatten_inner_joins(plan.child)
        return leaves, conds + conjuncts(plan.condition)
    return [plan], []


def reorder_joins(leaves: list[L.LogicalPlan], conds: list[Expression]) -> L.LogicalPlan:
    """A left-deep join tree over ``leaves`` placing each conjunct as low as possible.

    Keeps the written order except that a relation with no join condition to those already
    joined waits until one has (as Spark's ReorderJoin does)."""
    remaining = list(leaves)
    pending = list(conds)
    current = remaining.pop(0)
    cur_ids = ids(current.output)
    current, pending = _apply_local(current, pending)
    while remaining:
        pick = None
        for i, cand in enumerate(remaining):
            cids = ids(cand.output)
            if any(_is_equi_between(c, cur_ids, cids) for c in pending):
                pick = i
                break
        if pick is None:
            pick = 0
        cand = remaining.pop(pick)
        cand, pending = _apply_local(cand, pending)
        both = cur_ids | ids(cand.output)
        here = [c for c in pending if refs(c) <= both]
        pending = [c for c in pending if not refs(c) <= both]
        current = L.Join(current, cand, "inner" if here else "cross", and_all(here))
        cur_ids = both
    if pending:
        current = L.Filter(and_all(pending), current)
    return current


def _apply_local(plan: L.LogicalPlan, pending: list[Expression]
                 ) -> tuple[L.LogicalPlan, list[Expression]]:
    own = ids(plan.output)
    local = [c for c in pending if refs(c) and refs(c) <= own]
    if not local:
        return plan, pending
    rest = [c for c in pending if not (refs(c) and refs(c) <= own)]
    return L.Filter(and_all(local), plan), rest


def _is_equi_between(c: Expression, a: set[int], b: set[int]) -> bool:
    if not isinstance(c, EqualTo):
        return False
    l, r = refs(c.left), refs(c.right)
    return bool(l and r) and ((l <= a and r <= b) or (l <= b and r <= a))
