"""Analyzer rewrites of select lists: aggregates without GROUP BY become an Aggregate, window
expressions move into Window operators, and a generator (explode) becomes a Generate."""
from __future__ import annotations

import dataclasses

from pyspk.errors import AnalysisException
from pyspk.sql.expressions.aggregates import AggregateFunction, is_aggregate
from pyspk.sql.expressions.base import Alias, AttributeReference, Expression, new_id
from pyspk.sql.expressions.generators import Explode
from pyspk.sql.expressions.multi_alias import MultiAlias
from pyspk.sql.expressions.window import WindowExpression
from pyspk.sql.plan import logical as L


def _windows(items: tuple[Expression, ...]) -> list[WindowExpression]:
    found: dict[WindowExpression, None] = {}
    for e in items:
        for x in e.walk():
            if isinstance(x, WindowExpression):
                found.setdefault(x, None)
    return list(found)


def add_windows(items: tuple[Expression, ...], child: L.LogicalPlan
                ) -> tuple[tuple[Expression, ...], L.LogicalPlan]:
    """Move window expressions of ``items`` into Window nodes over ``child``."""
    wins = _windows(items)
    if not wins:
        return items, child
    groups: dict[tuple, list[Alias]] = {}
    mapping: dict[Expression, Expression] = {}
    for w in wins:
        al = Alias(w, w.sql())
        mapping[w] = al.to_attribute()
        groups.setdefault((w.spec.partition, w.spec.order), []).append(al)
    plan = child
    for aliases in groups.values():
        plan = L.Window(tuple(aliases), plan)
    new_items = tuple(_replace_keep_alias(e, mapping) for e in items)
    return new_items, plan


def _replace_keep_alias(e: Expression, mapping: dict[Expression, Expression]) -> Expression:
    if isinstance(e, Alias):
        inner = mapping.get(e.child)
        if inner is not None:
            return dataclasses.replace(e, child=inner)
        return dataclasses.replace(e, child=_sub(e.child, mapping))
    if e in mapping:
        return Alias(mapping[e], e.sql())
    return _sub(e, mapping)


def _sub(e: Expression, mapping: dict[Expression, Expression]) -> Expression:
    if e in mapping:
        return mapping[e]
    return e.map_children(lambda c: _sub(c, mapping))


def rewrite_project(plan: L.Project) -> L.LogicalPlan:
    """A resolved Project that holds aggregates, windows or a generator, as proper operators."""
    items = plan.project_list
    gens = [x for e in items for x in e.walk() if isinstance(x, Explode)]
    if gens:
        return _generate(plan, gens)
    if any(is_aggregate(e) for e in items):
        return rewrite_aggregate(L.Aggregate((), items, plan.child))
    if _windows(items):
        new_items, child = add_windows(items, plan.child)
        return L.Project(new_items, child)
    return plan


def rewrite_aggregate(plan: L.Aggregate) -> L.LogicalPlan:
    """Windows over an aggregate's results are evaluated above it."""
    wins = _windows(plan.aggregates)
    if not wins:
        return plan
    hidden: list[Alias] = []
    agg_map: dict[Expression, Expression] = {}
    for w in wins:
        for x in w.walk():
            if isinstance(x, AggregateFunction) and x not in agg_map:
                al = Alias(x, x.sql())
                hidden.append(al)
                agg_map[x] = al.to_attribute()
    for e in plan.aggregates:
        if isinstance(e, Alias) and e.child in agg_map:
            agg_map[e.child] = e.to_attribute()
    for g in plan.grouping:
        if isinstance(g, AttributeReference):
            agg_map.setdefault(g, g)
    plain = [e for e in plan.aggregates if not _windows((e,))]
    agg = dataclasses.replace(plan, aggregates=tuple(plain) + tuple(hidden))
    windowed_items = []
    for e in plan.aggregates:
        if _windows((e,)):
            windowed_items.append(_sub(e, agg_map))
        else:
            windowed_items.append(e.to_attribute() if isinstance(e, Alias) else e)
    new_items, child = add_windows(tuple(windowed_items), agg)
    return L.Project(new_items, child)


def _generate(plan: L.Project, gens: list[Explode]) -> L.LogicalPlan:
    if len(gens) > 1:
        raise AnalysisException(
            "[UNSUPPORTED_GENERATOR.MULTI_GENERATOR] The generator is not supported: only one "
            "generator allowed per SELECT clause but found 2. SQLSTATE: 42K0E",
            errorClass="UNSUPPORTED_GENERATOR.MULTI_GENERATOR")
    gen = gens[0]
    names = [f.name for f in gen.element_schema().fields]
    holder = next(e for e in plan.project_list if any(x is gen or x == gen for x in e.walk()))
    if isinstance(holder, MultiAlias):
        names = list(holder.names)
    elif isinstance(holder, Alias) and holder.name != gen.sql():
        # an explicit alias; Spark's automatic one is the generator's own column names
        names = [holder.name] if len(names) == 1 else names
    attrs = tuple(AttributeReference(n, f.dataType, f.nullable or gen.outer, new_id())
                  for n, f in zip(names, gen.element_schema().fields))
    generate = L.Generate(gen, gen.outer, attrs, plan.child)
    items: list[Expression] = []
    for e in plan.project_list:
        if e is holder:
            items.extend(attrs)
        else:
            items.append(e)
    return L.Project(tuple(items), generate)
