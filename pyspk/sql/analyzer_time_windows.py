"""Analyzer rewrite of event-time windows (Spark's TimeWindowing/SessionWindowing rules).

An operator using ``window(...)`` or ``session_window(...)`` gets the window as a column computed
below it, and the call is replaced by that column:

* tumbling window: a projection of the struct over the rows whose time is not NULL;
* sliding window: a ``Generate`` producing each row once per window holding its time;
* session window under a GROUP BY: a ``Window`` operator partitioned by the other grouping keys
  and sorted by time merges overlapping per-row sessions; elsewhere it is ``[time, time+gap)``.
"""
from __future__ import annotations

import dataclasses

from pyspk.errors import AnalysisException
from pyspk.sql.expressions.base import Alias, AttributeReference, Expression, SortOrder, new_id
from pyspk.sql.expressions.fn_time_window import SessionBounds, SessionWindow, SlidingWindows, TimeWindow
from pyspk.sql.expressions.generators import Explode
from pyspk.sql.expressions.predicates import IsNotNull
from pyspk.sql.expressions.window import WindowExpression, WindowSpecDefinition
from pyspk.sql.plan import logical as L


def _found(plan: L.LogicalPlan) -> list[Expression]:
    seen: dict[Expression, None] = {}
    for e in plan.expressions():
        for x in e.walk():
            if isinstance(x, (TimeWindow, SessionWindow)):
                seen.setdefault(x, None)
    return list(seen)


def _sub(e: Expression, old: Expression, new: Expression) -> Expression:
    if e == old:
        return new
    return e.map_children(lambda c: _sub(c, old, new))


def rewrite_time_windows(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Replace the window call of a resolved Project/Aggregate/Filter by a column of its child."""
    if not isinstance(plan, (L.Project, L.Aggregate, L.Filter)):
        return plan
    found = _found(plan)
    if not found:
        return plan
    if len(found) > 1:
        raise AnalysisException(
            "Multiple time/session window expressions would result in a cartesian product of rows, "
            "therefore they are currently not supported.", errorClass="MULTIPLE_TIME_WINDOWS")
    w = found[0]
    child = plan.child
    base = L.Filter(IsNotNull(w.time), child)
    name = "window" if isinstance(w, TimeWindow) else "session_window"
    if isinstance(w, TimeWindow) and not w.tumbling:
        attr = AttributeReference(name, w.data_type, False, new_id())
        new_child: L.LogicalPlan = L.Generate(Explode(SlidingWindows(w)), False, (attr,), base)
    elif isinstance(w, SessionWindow) and isinstance(plan, L.Aggregate):
        keys = tuple(g for g in plan.grouping if g != w)
        spec = WindowSpecDefinition(keys, (SortOrder(w.time),))
        al = Alias(WindowExpression(SessionBounds(w.time, w.gap_us), spec), name)
        new_child = L.Window((al,), base)
        attr = dataclasses.replace(al.to_attribute(), is_nullable=False)
    else:
        al = Alias(w, name)
        new_child = L.Project(tuple(child.output) + (al,), base)
        attr = al.to_attribute()
    plan = plan.map_expressions(lambda e: _sub(e, w, attr))
    return dataclasses.replace(plan, child=new_child)
