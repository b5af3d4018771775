"""Boolean simplification: pull conjuncts shared by every branch of an OR out of it,
``(a AND b) OR (a AND c)`` → ``a AND (b OR c)``, so join keys hidden in ORs become usable."""
from __future__ import annotations

from functools import reduce

from pyspk.sql.expressions.base import Expression
from pyspk.sql.expressions.predicates import And, Or
from pyspk.sql.optimizer.expr_utils import and_all, conjuncts
from pyspk.sql.plan import logical as L


def disjuncts(e: Expression) -> list[Expression]:
    if isinstance(e, Or):
        return disjuncts(e.left) + disjuncts(e.right)
    return [e]


def factor_or(e: Expression) -> Expression:
    """``e`` with common conjuncts of OR branches factored out (recursively)."""
    if isinstance(e, And):
        return And(factor_or(e.left), factor_or(e.right))
    if not isinstance(e, Or):
        return e
    branches = [conjuncts(factor_or(d)) for d in disjuncts(e)]
    common = [c for c in branches[0] if all(c in b for b in branches[1:])]
    if not common:
        return e
    rests = [[c for c in b if c not in common] for b in branches]
    if any(not r for r in rests):
        return and_all(common)  # one branch is exactly the common part: the OR is implied
    rest = reduce(Or, [and_all(r) for r in rests])
    return and_all(common + [rest])


def simplify_booleans(plan: L.LogicalPlan) -> L.LogicalPlan:
    """The rule: factor ORs in filter and join conditions."""
    def fn(p: L.LogicalPlan) -> L.LogicalPlan:
        if isinstance(p, L.Filter):
            return L.Filter(factor_or(p.condition), p.child)
        if isinstance(p, L.Join) and p.condition is not None:
            import dataclasses
            return dataclasses.replace(p, condition=factor_or(p.condition))
        return p
    return plan.transform_up(fn)
