"""Limit push-down: a limit over a projection is applied below it, so fewer rows are computed."""
from __future__ import annotations

from pyspk.sql.plan import logical as L


def push_down_limits(plan: L.LogicalPlan) -> L.LogicalPlan:
    """``Limit(n, Project(x))`` → ``Project(Limit(n, x))`` when the projection is deterministic."""
    def fn(p: L.LogicalPlan) -> L.LogicalPlan:
        if isinstance(p, L.Limit) and isinstance(p.child, L.Project) and \
                all(e.deterministic for e in p.child.project_list) and \
                not any(type(x).__name__ in ("WindowExpression",) or hasattr(x, "arrow_aggs")
                        for e in p.child.project_list for x in e.walk()):
            return L.Project(p.child.project_list, L.Limit(p.n, p.child.child))
        return p
    return plan.transform_up(fn)
