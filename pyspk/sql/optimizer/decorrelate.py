"""Rewrite subquery predicates into joins: EXISTS/IN → semi join, NOT EXISTS → anti join,
NOT IN → null-aware anti join, correlated scalar subqueries → left join with the subquery
aggregated by its correlation keys. Uncorrelated scalar subqueries stay (run once, first)."""
from __future__ import annotations

import dataclasses

from pyspk.sql.expressions.base import (
    Alias, AttributeReference, Expression, OuterReference,
)
from pyspk.sql.expressions.predicates import EqualTo, Not
from pyspk.sql.expressions.subquery import Exists, InSubquery, ScalarSubquery
from pyspk.sql.optimizer.expr_utils import and_all, conjuncts, has_outer
from pyspk.sql.plan import logical as L


def _strip_outer(e: Expression) -> Expression:
    return e.transform_up(lambda x: x.attr if isinstance(x, OuterReference) else x)


def inner_attrs(e: Expression) -> list[AttributeReference]:
    """Attributes of the subquery itself in ``e`` (outer references excluded)."""
    if isinstance(e, OuterReference):
        return []
    if isinstance(e, AttributeReference):
        return [e]
    return [a for c in e.children() for a in inner_attrs(c)]


def pull_correlated(plan: L.LogicalPlan) -> tuple[L.LogicalPlan, list[Expression]]:
    """Remove predicates referring to outer queries from ``plan``; return them (outer refs kept)."""
    if isinstance(plan, L.Filter):
        child, preds = pull_correlated(plan.child)
        inner = [c for c in conjuncts(plan.condition) if not has_outer(c)]
        outer = [c for c in conjuncts(plan.condition) if has_outer(c)]
        cond = and_all(inner)
        return (L.Filter(cond, child) if cond is not None else child), preds + outer
    if isinstance(plan, L.SubqueryAlias):
        child, preds = pull_correlated(plan.child)
        return L.SubqueryAlias(plan.alias, child), preds
    if isinstance(plan, L.Project):
        child, preds = pull_correlated(plan.child)
        if not preds:
            return plan if child is plan.child else L.Project(plan.project_list, child), preds
        have = {a.expr_id for a in plan.output}
        needed = [a for p in preds for a in inner_attrs(p) if a.expr_id not in have]
        needed = list({a.expr_id: a for a in needed}.values())
        return L.Project(plan.project_list + tuple(needed), child), preds
    if isinstance(plan, L.Aggregate):
        child, preds = pull_correlated(plan.child)
        if not preds:
            return plan if child is plan.child else dataclasses.replace(plan, child=child), preds
        keys = [a for p in preds for a in inner_attrs(p)]
        keys = list({a.expr_id: a for a in keys}.values())
        return dataclasses.replace(plan, grouping=plan.grouping + tuple(keys),
                                   aggregates=plan.aggregates + tuple(keys), child=child), preds
    if isinstance(plan, L.Sort):
        child, preds = pull_correlated(plan.child)
        return (L.Sort(plan.order, plan.is_global, child) if preds else plan), preds
    return plan, []


def _rewrite_filter(f: L.Filter) -> L.LogicalPlan:
    child = f.child
    keep: list[Expression] = []
    original = child.output
    for c in conjuncts(f.condition):
        negated = isinstance(c, Not) and isinstance(c.child, (Exists, InSubquery))
        core = c.child if negated else c
        if isinstance(core, Exists):
            sub, preds = pull_correlated(rewrite_subqueries(core.plan))
            cond = and_all(_strip_outer(p) for p in preds)
            child = L.Join(child, sub, "left_anti" if negated else "left_semi", cond)
            continue
        if isinstance(core, InSubquery):
            sub, preds = pull_correlated(rewrite_subqueries(core.plan))
            out = sub.output
            eqs = [EqualTo(v, o) for v, o in zip(core.values, out)]
            from pyspk.sql.analyzer import coerce
            eqs = [coerce(e) for e in eqs]
            cond = and_all(eqs + [_strip_outer(p) for p in preds])
            if negated:
                jt = "left_anti" if preds else "left_anti_null_aware"
            else:
                jt = "left_semi"
            child = L.Join(child, sub, jt, cond)
            continue
        scalars = [x for x in c.walk() if isinstance(x, ScalarSubquery)]
        for s in scalars:
            sub_plan = rewrite_subqueries(s.plan)
            sub, preds = pull_correlated(sub_plan)
            if not preds:
                if sub is not s.plan:
                    c = _replace(c, s, dataclasses.replace(s, plan=sub))
                continue
            value = sub.output[0]
            child = L.Join(child, sub, "left", and_all(_strip_outer(p) for p in preds))
            c = _replace(c, s, value)
        keep.append(c)
    cond = and_all(keep)
    out: L.LogicalPlan = L.Filter(cond, child) if cond is not None else child
    if [a.expr_id for a in out.output] != [a.expr_id for a in original]:
        out = L.Project(tuple(original), out)
    return out


def _rewrite_project(p: L.Project) -> L.LogicalPlan:
    """Correlated scalar subqueries in a select list become left joins with their aggregate."""
    child = p.child
    items = []
    for e in p.project_list:
        for s in [x for x in e.walk() if isinstance(x, ScalarSubquery)]:
            sub, preds = pull_correlated(rewrite_subqueries(s.plan))
            if not preds:
                if sub is not s.plan:
                    e = _replace(e, s, dataclasses.replace(s, plan=sub))
                continue
            child = L.Join(child, sub, "left", and_all(_strip_outer(x) for x in preds))
            e = _replace(e, s, sub.output[0])
        items.append(e)
    return L.Project(tuple(items), child)


def _replace(e: Expression, target: Expression, new: Expression) -> Expression:
    return e.transform_up(lambda x: new if x is target or x == target else x)


def _has_subquery(e: Expression) -> bool:
    return any(isinstance(x, (Exists, InSubquery, ScalarSubquery)) for x in e.walk())


def _rewrite_nested_scalars(p: L.LogicalPlan) -> L.LogicalPlan:
    def fn(x: Expression) -> Expression:
        if isinstance(x, ScalarSubquery):
            return dataclasses.replace(x, plan=rewrite_subqueries(x.plan))
        return x
    return p.map_expressions(lambda e: e.transform_up(fn))


def rewrite_subqueries(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Apply the rewrite to every Filter holding subquery predicates."""
    def fn(p: L.LogicalPlan) -> L.LogicalPlan:
        if isinstance(p, L.Filter) and _has_subquery(p.condition):
            return _rewrite_filter(p)
        if isinstance(p, L.Project) and any(_has_subquery(e) for e in p.project_list):
            return _rewrite_project(p)
        if any(_has_subquery(e) for e in p.expressions()):
            return _rewrite_nested_scalars(p)
        return p
    return plan.transform_up(fn)


__all__ = ["rewrite_subqueries", "pull_correlated", "Alias"]
