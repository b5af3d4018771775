"""Translate sqlglot query trees (SELECT, set operations, CTEs, VALUES, joins, LATERAL VIEW)
into unresolved logical plans; the analyzer resolves them like DataFrame plans."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from pyspk.errors import ParseException
from pyspk.sql.expressions.base import (
    Alias, AttributeReference, Expression, Literal, SortOrder, UnresolvedAttribute, UnresolvedFunction,
    UnresolvedStar,
)
from pyspk.sql.expressions.aggregates import is_aggregate
from pyspk.sql.expressions.generators import Explode
from pyspk.sql.expressions.multi_alias import MultiAlias
from pyspk.sql.plan import logical as L
from pyspk.sql.sql_exprs import ExprConverter

_JOIN_KINDS = {("", ""): "inner", ("", "inner"): "inner", ("left", ""): "left",
               ("left", "outer"): "left", ("right", ""): "right", ("right", "outer"): "right",
               ("full", ""): "full", ("full", "outer"): "full", ("", "cross"): "cross",
               ("left", "semi"): "left_semi", ("left", "anti"): "left_anti",
               ("", "semi"): "left_semi", ("", "anti"): "left_anti"}


class QueryConverter:
    """Builds plans; CTE names shadow catalog names within their query."""

    def __init__(self, session: Any, params: dict | None = None, positional: list | None = None) -> None:
        self.session = session
        self.ctes: list[dict[str, L.LogicalPlan]] = []
        self.exprs = ExprConverter(self.query, params, positional)

    def query(self, e: exp.Expression) -> L.LogicalPlan:
        with_ = e.args.get("with_") or e.args.get("with")
        scope: dict[str, L.LogicalPlan] = {}
        if with_ is not None:
            self.ctes.append(scope)
            for cte in with_.expressions:
                plan = self.query(cte.this)
                cols = cte.args.get("alias").columns if cte.args.get("alias") is not None else []
                if cols:
                    plan = _rename(plan, [c.name for c in cols])
                scope[cte.alias.lower()] = plan
        try:
            return self._query_body(e)
        finally:
            if with_ is not None:
                self.ctes.pop()

    def _query_body(self, e: exp.Expression) -> L.LogicalPlan:
        if isinstance(e, exp.Select):
            return self._select(e)
        if isinstance(e, exp.Subquery):
            return self._wrap_modifiers(e, self.query(e.this))
        if isinstance(e, (exp.Union, exp.Intersect, exp.Except)):
            left, right = self.query(e.this), self.query(e.expression)
            distinct = e.args.get("distinct", True)
            if isinstance(e, exp.Union):
                plan: L.LogicalPlan = L.Union((left, right))
                if distinct:
                    plan = L.Deduplicate((), plan)
            else:
                op = "intersect" if isinstance(e, exp.Intersect) else "except"
                plan = L.SetOperation(left, right, op, not distinct)
            return self._wrap_modifiers(e, plan)
        if isinstance(e, exp.Values):
            return self._values(e)
        if isinstance(e, exp.Table):
            return self._table(e)
        raise ParseException(f"[UNSUPPORTED_FEATURE] unsupported query: {e.sql('spark')[:80]}",
                             errorClass="UNSUPPORTED_FEATURE")

    def _wrap_modifiers(self, e: exp.Expression, plan: L.LogicalPlan) -> L.LogicalPlan:
        order = e.args.get("order")
        if order is not None:
            items = None
            if any(isinstance(o.this, exp.Literal) and not o.this.is_string for o in order.expressions):
                items = [UnresolvedAttribute((a.name,)) for a in self.session._analyze(plan).output]
            plan = L.Sort(tuple(self._order_item(o, items) for o in order.expressions), True, plan)
        offset = e.args.get("offset")
        if offset is not None:
            plan = L.OffsetRows(int(offset.expression.this), plan)
        limit = e.args.get("limit")
        if limit is not None:
            plan = L.Limit(int(self._const(limit.expression)), plan)
        return plan

    def _const(self, e: exp.Expression) -> Any:
        v = self.exprs(e)
        if isinstance(v, Literal):
            return v.value
        raise ParseException("LIMIT must be a constant", errorClass="INVALID_LIMIT_LIKE_EXPRESSION")

    # -- FROM ------------------------------------------------------------------------------------
    def _table(self, e: exp.Table) -> L.LogicalPlan:
        if isinstance(e.this, exp.Func) or isinstance(e.this, exp.Anonymous):
            return self._table_function(e)
        name = e.name
        parts = tuple(p.name for p in e.parts)
        plan: L.LogicalPlan | None = None
        if len(parts) == 1:
            for scope in reversed(self.ctes):
                if name.lower() in scope:
                    plan = scope[name.lower()]
                    break
        if plan is None:
            from pyspk.sql.sql_exprs import sql_origin
            plan = L.UnresolvedRelation(parts, origin=sql_origin(e.parts[0]))
        else:
            plan = _fresh(plan)
            plan = L.SubqueryAlias(name, plan)
        alias = e.args.get("alias")
        if alias is not None and alias.name:
            plan = L.SubqueryAlias(alias.name, plan)
            if alias.columns:
                plan = L.SubqueryAlias(alias.name, _rename(plan, [c.name for c in alias.columns]))
        return plan

    def _table_function(self, e: exp.Table) -> L.LogicalPlan:
        fn = e.this
        name = (fn.name if isinstance(fn, exp.Anonymous) else fn.sql_name()).lower()
        args = [self.exprs(a) for a in (fn.expressions if isinstance(fn, exp.Anonymous) else
                                        [fn.args.get(k) for k in fn.arg_types if fn.args.get(k) is not None])]
        if name == "range":
            vals = [a.value for a in args]
            df = self.session.range(*vals)
            plan = df._plan
        else:
            raise ParseException(f"[UNRESOLVED_ROUTINE] table function {name} not supported",
                                 errorClass="UNRESOLVED_ROUTINE")
        alias = e.args.get("alias")
        return L.SubqueryAlias(alias.name, plan) if alias is not None and alias.name else plan

    def _from_item(self, e: exp.Expression) -> L.LogicalPlan:
        if isinstance(e, exp.Table):
            return self._table(e)
        if isinstance(e, exp.Subquery):
            plan = self.query(e.this)
            plan = self._wrap_modifiers(e, plan) if e.args.get("order") or e.args.get("limit") else plan
            alias = e.args.get("alias")
            if alias is not None and alias.name:
                if alias.columns:
                    plan = _rename(plan, [c.name for c in alias.columns])
                plan = L.SubqueryAlias(alias.name, plan)
            return plan
        if isinstance(e, exp.Values):
            return self._values(e)
        if isinstance(e, exp.Lateral):
            raise ParseException("LATERAL subqueries are not supported", errorClass="UNSUPPORTED_FEATURE")
        return self.query(e)

    def _values(self, e: exp.Values) -> L.LogicalPlan:
        rows = []
        for tup in e.expressions:
            items = tup.expressions if isinstance(tup, exp.Tuple) else [tup]
            rows.append([self.exprs(x) for x in items])
        alias = e.args.get("alias")
        n = len(rows[0]) if rows else 0
        names = [c.name for c in alias.columns] if alias is not None and alias.columns else \
            [f"col{i + 1}" for i in range(n)]
        plans = [L.Project(tuple(Alias(v, nm) for v, nm in zip(r, names)), L.OneRowRelation())
                 for r in rows]
        plan: L.LogicalPlan = plans[0] if len(plans) == 1 else L.Union(tuple(plans))
        if alias is not None and alias.name:
            plan = L.SubqueryAlias(alias.name, plan)
        return plan

    def _joins(self, plan: L.LogicalPlan, joins: list[exp.Join]) -> L.LogicalPlan:
        for j in joins:
            right = self._from_item(j.this)
            side = (j.args.get("side") or "").lower()
            kind = (j.args.get("kind") or "").lower()
            jt = _JOIN_KINDS.get((side, kind), "inner")
            on = j.args.get("on")
            using = j.args.get("using")
            if using:
                from pyspk.sql.dataframe import DataFrame
                from pyspk.sql.join_api import build_join
                left_df = DataFrame(self.session._analyze(plan), self.session)
                right_df = DataFrame(self.session._analyze(right), self.session)
                plan = build_join(left_df, right_df, [u.name for u in using], jt)
                continue
            cond = self.exprs(on) if on is not None else None
            if cond is None and jt == "inner":
                jt = "cross"
            plan = L.Join(plan, right, jt, cond)
        return plan

    # -- SELECT ----------------------------------------------------------------------------------
    def _select(self, e: exp.Select) -> L.LogicalPlan:
        from_ = e.args.get("from_") or e.args.get("from")
        for w in (e.args.get("windows") or []):
            self.exprs.windows[w.name] = w
        plan: L.LogicalPlan = self._from_item(from_.this) if from_ is not None else L.OneRowRelation()
        plan = self._joins(plan, e.args.get("joins") or [])
        for lat in e.args.get("laterals") or []:
            plan = self._lateral(plan, lat)
        where = e.args.get("where")
        if where is not None:
            plan = L.Filter(self.exprs(where.this), plan)
        items = [self.exprs(x) for x in e.expressions]
        group = e.args.get("group")
        having = e.args.get("having")
        is_agg = group is not None or having is not None or any(is_aggregate(i) for i in items)
        if is_agg:
            plan = self._aggregate(plan, items, group, having)
        else:
            plan = L.Project(tuple(items), plan)
        if e.args.get("distinct") is not None:
            plan = L.Deduplicate((), plan)
        order = e.args.get("order")
        if order is not None:
            plan = L.Sort(tuple(self._order_item(o, items) for o in order.expressions), True, plan)
        offset = e.args.get("offset")
        if offset is not None:
            plan = L.OffsetRows(int(self._const(offset.expression)), plan)
        limit = e.args.get("limit")
        if limit is not None:
            plan = L.Limit(int(self._const(limit.expression)), plan)
        return plan

    def _order_item(self, o: exp.Ordered, items: list[Expression] | None) -> SortOrder:
        so = self.exprs(o)
        if isinstance(so.child, Literal) and isinstance(so.child.value, int) and items:
            return SortOrder(Ordinal(so.child.value), so.ascending, so.nulls_first)
        return so

    def _aggregate(self, plan: L.LogicalPlan, items: list[Expression], group: Any,
                   having: Any) -> L.LogicalPlan:
        grouping: list[Expression] = []
        sets = None
        if group is not None:
            for g in group.expressions:
                if isinstance(g, (exp.Rollup, exp.Cube)):
                    group.set("rollup" if isinstance(g, exp.Rollup) else "cube",
                              (group.args.get("rollup" if isinstance(g, exp.Rollup) else "cube") or []) + [g])
                    continue
                ge = self.exprs(g)
                if isinstance(ge, Literal) and isinstance(ge.value, int):
                    target = items[ge.value - 1]
                    ge = target.child if isinstance(target, Alias) else target
                grouping.append(self._group_ref(ge, items))
            rollup = group.args.get("rollup")
            cube = group.args.get("cube")
            gsets = group.args.get("grouping_sets")
            if rollup:
                cols = [self._group_ref(self.exprs(x), items) for r in rollup for x in r.expressions]
                base = len(grouping)
                grouping += cols
                sets = [tuple(range(base)) + tuple(range(base, base + i))
                        for i in range(len(cols), -1, -1)]
            elif cube:
                from itertools import combinations
                cols = [self._group_ref(self.exprs(x), items) for c in cube for x in c.expressions]
                base = len(grouping)
                grouping += cols
                n = len(cols)
                sets = [tuple(range(base)) + tuple(base + i for i in c)
                        for k in range(n, -1, -1) for c in combinations(range(n), k)]
            elif gsets:
                sets = []
                for gs in gsets:
                    for s in gs.expressions:
                        members = s.expressions if isinstance(s, exp.Tuple) else [s]
                        idx = []
                        for m in members:
                            me = self._group_ref(self.exprs(m), items)
                            if me not in grouping:
                                grouping.append(me)
                            idx.append(grouping.index(me))
                        sets.append(tuple(idx))
        outputs = list(items)
        agg: L.LogicalPlan = L.Aggregate(tuple(grouping), tuple(outputs), plan,
                                         tuple(sets) if sets is not None else None)
        if having is None:
            return agg
        cond = self.exprs(having.this)
        hidden: list[Alias] = []

        def lift(x: Expression) -> Expression:
            from pyspk.sql.expressions.base import UnresolvedFunction as UF
            if isinstance(x, UF) and _is_agg_name(x.name):
                al = Alias(x, f"__having_{len(hidden)}")
                hidden.append(al)
                return UnresolvedAttribute((al.name,))
            if isinstance(x, UnresolvedAttribute):
                for it in items:
                    if isinstance(it, Alias) and it.name.lower() == x.name.lower():
                        return x
                return x
            return x.map_children(lift)

        lifted = lift(cond)
        agg = L.Aggregate(tuple(grouping), tuple(outputs) + tuple(hidden), plan,
                          tuple(sets) if sets is not None else None)
        filtered = L.Filter(lifted, agg)
        if not hidden:
            return filtered
        return _project_out(filtered, len(outputs))

    def _group_ref(self, ge: Expression, items: list[Expression]) -> Expression:
        if isinstance(ge, UnresolvedAttribute) and len(ge.parts) == 1:
            for it in items:
                if isinstance(it, Alias) and it.name.lower() == ge.parts[0].lower() and \
                        not _matches_input_name(it):
                    return it.child
        return ge

    def _lateral(self, plan: L.LogicalPlan, lat: exp.Lateral) -> L.LogicalPlan:
        gen = self.exprs(lat.this)
        if isinstance(gen, UnresolvedFunction):
            outer = bool(lat.args.get("outer"))
            kw = {"position": gen.name.startswith("posexplode"), "outer": outer or gen.name.endswith("_outer"),
                  "inline": gen.name.startswith("inline")}
            gen = Explode(gen.args[0], **kw)
        alias = lat.args.get("alias")
        names = tuple(c.name for c in alias.columns) if alias is not None else ()
        item: Expression = MultiAlias(gen, names) if names else gen
        out = L.Project((UnresolvedStar(), item), plan)
        return L.SubqueryAlias(alias.name, out) if alias is not None and alias.name else out


_AGG_NAMES = {"grouping", "grouping_id", "sum", "count", "avg", "mean", "min", "max", "first", "last", "collect_list",
              "collect_set", "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp",
              "var_pop", "approx_count_distinct", "count_if", "bool_and", "bool_or", "every",
              "some", "any", "median", "percentile_approx", "percentile", "any_value", "std"}


def _is_agg_name(name: str) -> bool:
    from pyspk.sql.expressions.py_aggregates import PY_AGGREGATES
    return name.lower() in _AGG_NAMES or name.lower() in PY_AGGREGATES


def _matches_input_name(al: Alias) -> bool:
    return isinstance(al.child, UnresolvedAttribute) and al.child.parts[-1].lower() == al.name.lower()


def _project_out(plan: L.LogicalPlan, n: int) -> L.LogicalPlan:
    """Keep the first ``n`` output columns of ``plan`` (once resolved)."""
    return L.Project((_FirstColumns(n),), plan)


@dataclass(frozen=True)
class _FirstColumns(Expression):
    """Select-list placeholder meaning "the first n input columns" (hides HAVING helpers)."""

    n: int

    @property
    def resolved(self) -> bool:
        return False

    def sql(self) -> str:
        return f"first_columns({self.n})"


@dataclass(frozen=True)
class Ordinal(Expression):
    """``ORDER BY 2``: the query's second output column (bound by the analyzer)."""

    position: int

    @property
    def resolved(self) -> bool:
        return False

    def sql(self) -> str:
        return str(self.position)


def _rename(plan: L.LogicalPlan, names: list[str]) -> L.LogicalPlan:
    return L.Project((_Renamed(tuple(names)),), plan)


@dataclass(frozen=True)
class _Renamed(Expression):
    """Select-list placeholder: every input column, renamed positionally."""

    names: tuple[str, ...]

    @property
    def resolved(self) -> bool:
        return False

    def sql(self) -> str:
        return f"renamed({', '.join(self.names)})"


def _fresh(plan: L.LogicalPlan) -> L.LogicalPlan:
    """A CTE used twice gets distinct attribute ids each time (resolved by the analyzer)."""
    return L.Project((_Renamed(()),), plan)


def expand_placeholders(items: tuple[Expression, ...], inputs: list[AttributeReference]
                        ) -> tuple[Expression, ...] | None:
    """Expand ``_FirstColumns``/``_Renamed`` placeholders against resolved inputs."""
    if len(items) == 1 and isinstance(items[0], _FirstColumns):
        return tuple(inputs[:items[0].n])
    if len(items) == 1 and isinstance(items[0], _Renamed):
        names = items[0].names or tuple(a.name for a in inputs)
        return tuple(Alias(a, n) for a, n in zip(inputs, names))
    return None

