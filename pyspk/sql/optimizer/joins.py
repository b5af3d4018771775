"""Join helpers: split a join condition into equi-keys and a residual, and reorder a group of
inner joins by estimated size so every join has a condition when one exists (cartesian products
go last)."""
from __future__ import annotations

from typing import Sequence

from pyspk.sql.expressions.base import AttributeReference, Expression
from pyspk.sql.expressions.predicates import EqualTo, Or
from pyspk.sql.optimizer.expr_utils import and_all, conjuncts, ids, refs
from pyspk.sql.optimizer.statistics import Estimator
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


def _column_order(plan: L.LogicalPlan) -> L.LogicalPlan | None:
    """The join under a Project that only restores column order after a reorder, else None."""
    if isinstance(plan, L.Project) and all(isinstance(e, AttributeReference) for e in plan.project_list) \
            and ids(plan.project_list) == ids(plan.child.output) and is_inner_join_group(plan.child):
        return plan.child
    return None


def is_inner_join_group(plan: L.LogicalPlan) -> bool:
    """True for an inner/cross join (possibly under a column-order Project) that
    ``flatten_inner_joins`` can take apart."""
    if isinstance(plan, L.Join):
        return plan.join_type in ("inner", "cross")
    return _column_order(plan) is not None


def flatten_inner_joins(plan: L.LogicalPlan) -> tuple[list[L.LogicalPlan], list[Expression]]:
    """Leaves and conjuncts of a tree of inner/cross joins (and filters directly over them)."""
    if isinstance(plan, L.Join) and plan.join_type in ("inner", "cross"):
        ll, lc = flatten_inner_joins(plan.left)
        rl, rc = flatten_inner_joins(plan.right)
        return ll + rl, lc + rc + conjuncts(plan.condition)
    if isinstance(plan, L.Filter) and is_inner_join_group(plan.child):
        leaves, conds = flatten_inner_joins(plan.child)
        return leaves, conds + conjuncts(plan.condition)
    inner = _column_order(plan)
    if inner is not None:
        return flatten_inner_joins(inner)
    return [plan], []


def reorder_joins(leaves: list[L.LogicalPlan], conds: list[Expression],
                  output: Sequence[AttributeReference] | None = None) -> L.LogicalPlan:
    """A join tree over ``leaves`` ordered by estimated size, each conjunct placed as low as
    possible.

    Greedy operator ordering: repeatedly join the two inputs connected by an equi-condition whose
    estimated result is smallest (selective dimensions meet their fact table first and
    intermediate results stay small), the larger input streamed and the smaller one built.
    Inputs with no join condition between them are crossed only when nothing else is left, as
    Spark's ReorderJoin defers cartesian products. With ``output``, a projection restores that
    column order when the new tree's differs."""
    est = Estimator()
    pending = list(conds) + derive_leaf_predicates(conds, leaves)
    items: list[L.LogicalPlan] = []
    for leaf in leaves:
        leaf, pending = _apply_local(leaf, pending)
        items.append(leaf)
    while len(items) > 1:
        i, j = _next_pair(items, pending, est)
        a, b = items[i], items[j]
        both = ids(a.output) | ids(b.output)
        here = [c for c in pending if refs(c) <= both]
        pending = [c for c in pending if not refs(c) <= both]
        left, right = (a, b) if est.rows(a) >= est.rows(b) else (b, a)
        joined = L.Join(left, right, "inner" if here else "cross", and_all(here))
        items = items[:i] + [joined] + [x for k, x in enumerate(items) if k > i and k != j]
    current = items[0]
    if pending:
        current = L.Filter(and_all(pending), current)
    if output is not None and [a.expr_id for a in current.output] != [a.expr_id for a in output]:
        current = L.Project(tuple(output), current)
    return current


def derive_leaf_predicates(conds: list[Expression], leaves: list[L.LogicalPlan]) -> list[Expression]:
    """Single-input filters implied by OR conditions spanning several inputs, as Spark extracts
    them for push-down: from ``(a1 AND b1) OR (a2 AND b2)`` with a* on one input, ``a1 OR a2``
    is true of every joined row, so that input can be filtered by it before joining (the
    condition itself stays)."""
    out: list[Expression] = []
    for c in conds:
        if not isinstance(c, Or) or not c.deterministic:
            continue
        disjuncts = _disjuncts(c)
        for leaf in leaves:
            own = ids(leaf.output)
            if refs(c) <= own:
                continue
            parts = []
            for d in disjuncts:
                mine = [x for x in conjuncts(d) if refs(x) and refs(x) <= own]
                if not mine:
                    break
                parts.append(and_all(mine))
            else:
                derived = parts[0]
                for p in parts[1:]:
                    derived = Or(derived, p)
                if derived not in conds and derived not in out:
                    out.append(derived)
    return out


def _disjuncts(e: Expression) -> list[Expression]:
    if isinstance(e, Or):
        return _disjuncts(e.left) + _disjuncts(e.right)
    return [e]


def _next_pair(items: list[L.LogicalPlan], pending: list[Expression], est: Estimator
               ) -> tuple[int, int]:
    best: tuple[float, int, int] | None = None
    attrs = [x.output for x in items]
    outputs = [ids(a) for a in attrs]
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            equi = [c for c in pending if _is_equi_between(c, outputs[i], outputs[j])]
            if not equi:
                continue
            lk, rk, _ = split_join_condition(and_all(equi), attrs[i], attrs[j])
            size = est.equi_join_rows(items[i], items[j], lk, rk)
            if best is None or size < best[0]:
                best = (size, i, j)
    if best is not None:
        return best[1], best[2]
    smallest = sorted(range(len(items)), key=lambda k: (est.rows(items[k]), k))[:2]
    return min(smallest), max(smallest)


def _apply_local(plan: L.LogicalPlan, pending: list[Expression]
                 ) -> tuple[L.LogicalPlan, list[Expression]]:
    own = ids(plan.output)
    local = [c for c in pending if refs(c) and refs(c) <= own]
    if not local:
        return plan, pending
    rest = [c for c in pending if not (refs(c) and refs(c) <= own)]
    from pyspk.sql.optimizer.pushdown import push  # pushdown builds on this module
    return push(L.Filter(and_all(local), plan)), rest


def _is_equi_between(c: Expression, a: set[int], b: set[int]) -> bool:
    if not isinstance(c, EqualTo):
        return False
    l, r = refs(c.left), refs(c.right)
    return bool(l and r) and ((l <= a and r <= b) or (l <= b and r <= a))
