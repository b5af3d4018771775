"""The analyzer: binds names to attributes, looks up tables and functions, expands ``*``, applies
Spark's type coercion and raises ``AnalysisException`` (with Spark's error classes) before any job
runs. Input: a logical plan whose leaves may be unresolved; output: a fully resolved plan."""
from __future__ import annotations

import dataclasses
from typing import Callable, Sequence

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql.expressions import aggregates as A
from pyspk.sql.expressions.base import (
    origin_suffix,
    Alias, AttributeReference, Expression, OuterReference, SortOrder, UnresolvedAttribute,
    UnresolvedFunction, UnresolvedStar,
)
from pyspk.sql.expressions.cast import Cast
from pyspk.sql.expressions.coercion import tightest_common_type
from pyspk.sql.expressions.fn_collection import GetField
from pyspk.sql.expressions.registry import build_function
from pyspk.sql.expressions.subquery import Exists, InSubquery, ScalarSubquery
from pyspk.sql.expressions.window import WindowExpression
from pyspk.sql.expressions.multi_alias import MultiAlias
from pyspk.sql.expressions.higher_order import HigherOrder, LambdaFunction, bind
from pyspk.sql.analyzer_time_windows import rewrite_time_windows
from pyspk.sql.analyzer_rewrites import rewrite_aggregate, rewrite_project
from pyspk.sql.plan import logical as L

Lookup = Callable[[tuple[str, ...]], "L.LogicalPlan | None"]


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def unresolved_column(name: str, candidates: Sequence[AttributeReference],
                      origin: tuple[int, int] | None = None) -> AnalysisException:
    """Spark's UNRESOLVED_COLUMN error with up to five suggestions, closest first (and the
    position in the SQL text when the name came from one)."""
    from pyspk.sql.expressions.base import origin_suffix
    where = origin_suffix(origin)
    # Spark strips a qualifier every candidate shares when the name itself is unqualified.
    quals = {tuple(a.qualifier or ()) for a in candidates}
    keep = 0 if len(name.split(".")) == 1 and len(quals) == 1 else 1
    names = []
    for a in candidates:
        q = f"`{a.qualifier[-1]}`." if a.qualifier and keep else ""
        names.append(f"{q}`{a.name}`")
    names = sorted(dict.fromkeys(names), key=lambda s: _levenshtein(s.replace("`", "").split(".")[-1],
                                                                    name.split(".")[-1]))[:5]
    col = ".".join(f"`{p}`" for p in name.split("."))
    if names:
        return AnalysisException(
            f"[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with "
            f"name {col} cannot be resolved. Did you mean one of the following? "
            f"[{', '.join(names)}]. SQLSTATE: 42703{where}",
            errorClass="UNRESOLVED_COLUMN.WITH_SUGGESTION",
            messageParameters={"objectName": col, "proposal": ", ".join(names)}, sqlState="42703")
    return AnalysisException(
        f"[UNRESOLVED_COLUMN.WITHOUT_SUGGESTION] A column, variable, or function parameter with "
        f"name {col} cannot be resolved.  SQLSTATE: 42703{where}",
        errorClass="UNRESOLVED_COLUMN.WITHOUT_SUGGESTION",
        messageParameters={"objectName": col}, sqlState="42703")


def resolve_name(parts: tuple[str, ...], attrs: Sequence[AttributeReference],
                 case_sensitive: bool = False) -> Expression | None:
    """Bind ``a``, ``t.a`` or ``a.field`` to one of ``attrs`` (None if nothing matches)."""
    def eq(x: str, y: str) -> bool:
        return x == y if case_sensitive else x.lower() == y.lower()

    candidates: list[tuple[AttributeReference, tuple[str, ...]]] = []
    if len(parts) >= 2:
        for a in attrs:
            if a.qualifier and eq(a.qualifier[-1], parts[-2 if len(parts) == 2 else 0]) and \
                    eq(a.name, parts[1 if len(parts) > 2 else 1]):
                candidates.append((a, parts[2:] if len(parts) > 2 else ()))
        if len(parts) == 2 and not candidates:
            pass
    if not candidates:
        for a in attrs:
            if eq(a.name, parts[0]):
                candidates.append((a, parts[1:]))
    if not candidates:
        full = ".".join(parts)
        for a in attrs:
            if eq(a.name, full):
                candidates.append((a, ()))
    if not candidates:
        return None
    uniq = {c[0].expr_id: c for c in candidates}
    if len(uniq) > 1:
        names = ", ".join(f"`{'.'.join(c[0].qualifier + (c[0].name,))}`" for c in uniq.values())
        raise AnalysisException(
            f"[AMBIGUOUS_REFERENCE] Reference `{'.'.join(parts)}` is ambiguous, could be: [{names}]."
            f" SQLSTATE: 42704", errorClass="AMBIGUOUS_REFERENCE",
            messageParameters={"name": f"`{'.'.join(parts)}`", "referenceNames": f"[{names}]"})
    attr, rest = next(iter(uniq.values()))
    out: Expression = attr
    for field in rest:
        out = GetField(out, field)
    return out


class Analyzer:
    """Resolves plans against a catalog lookup function."""

    def __init__(self, lookup: Lookup, case_sensitive: bool = False) -> None:
        self.lookup = lookup
        self.case_sensitive = case_sensitive

    def analyze(self, plan: L.LogicalPlan,
                outer: tuple[list[AttributeReference], ...] = ()) -> L.LogicalPlan:
        """Resolve ``plan``; its root is always checked, resolved subtrees are kept as they are."""
        return self._resolve(plan, outer)

    def _analyze_child(self, plan: L.LogicalPlan, outer: tuple) -> L.LogicalPlan:
        if plan.resolved and not _has_unresolved_subquery(plan):
            return plan
        return self._resolve(plan, outer)

    def _resolve(self, plan: L.LogicalPlan, outer: tuple) -> L.LogicalPlan:
        if isinstance(plan, L.UnresolvedRelation):
            return self._relation(plan)
        plan = plan.map_children(lambda c: self._analyze_child(c, outer))
        if isinstance(plan, L.Join):
            plan = _dedup_join(plan)
        if isinstance(plan, L.Sort):
            return self._sort(plan, outer)
        inputs = [a for c in plan.children() for a in c.output]
        plan = plan.map_expressions(lambda e: self.resolve_expression(e, inputs, outer))
        plan = rewrite_time_windows(plan)
        if isinstance(plan, L.Project):
            from pyspk.sql.sql_query import expand_placeholders
            expanded = expand_placeholders(plan.project_list, inputs)
            if expanded is not None:
                plan = L.Project(expanded, plan.child)
        if isinstance(plan, (L.Project, L.Aggregate)):
            items = self.expand_stars(plan.project_list if isinstance(plan, L.Project)
                                      else plan.aggregates, inputs)
            named = tuple(ensure_named(e) for e in items)
            plan = dataclasses.replace(plan, project_list=named) if isinstance(plan, L.Project) \
                else dataclasses.replace(plan, aggregates=named)
        if isinstance(plan, L.Aggregate):
            check_aggregate(plan)
            plan = rewrite_aggregate(plan)
        elif isinstance(plan, L.Project):
            plan = rewrite_project(plan)
            if isinstance(plan, L.Aggregate):
                check_aggregate(plan)
        if isinstance(plan, L.Union):
            plan = widen_union(plan)
        if isinstance(plan, L.Filter) and plan.condition.data_type != T.BooleanType():
            plan = L.Filter(Cast(plan.condition, T.BooleanType(), implicit=True), plan.child)
        return plan

    def _relation(self, plan: L.UnresolvedRelation) -> L.LogicalPlan:
        found = self.lookup(plan.parts)
        if found is None:
            name = ".".join(f"`{p}`" for p in plan.parts)
            raise AnalysisException(
                f"[TABLE_OR_VIEW_NOT_FOUND] The table or view {name} cannot be found. Verify the "
                "spelling and correctness of the schema and catalog.\nIf you did not qualify the "
                "name with a schema, verify the current_schema() output, or qualify the name with "
                "the correct schema and catalog.\nTo tolerate the error on drop use DROP VIEW IF "
                "EXISTS or DROP TABLE IF EXISTS. SQLSTATE: 42P01" + origin_suffix(plan.origin),
                errorClass="TABLE_OR_VIEW_NOT_FOUND", messageParameters={"relationName": name})
        fresh = L.Project(tuple(Alias(a, a.name) for a in found.output), found)
        return L.SubqueryAlias(plan.parts[-1], fresh)

    def _sort(self, plan: L.Sort, outer: tuple) -> L.LogicalPlan:
        from pyspk.sql.sql_query import Ordinal
        child = plan.child
        inputs = child.output
        if any(isinstance(o.child, Ordinal) for o in plan.order if isinstance(o, SortOrder)):
            plan = L.Sort(tuple(dataclasses.replace(o, child=inputs[o.child.position - 1])
                                if isinstance(o, SortOrder) and isinstance(o.child, Ordinal) else o
                                for o in plan.order), plan.is_global, child)
        try:
            order = tuple(self.resolve_expression(o, inputs, outer, allow_outer=False)
                          for o in plan.order)
            return L.Sort(order, plan.is_global, child)
        except AnalysisException as first_error:
            if isinstance(child, L.Project):
                below = child.child.output
                try:
                    order = tuple(self.resolve_expression(o, inputs + below, outer, allow_outer=False)
                                  for o in plan.order)
                except AnalysisException:
                    raise first_error from None
                present = {a.expr_id for a in inputs}
                missing = [a for o in order for a in o.walk()
                           if isinstance(a, AttributeReference) and a.expr_id not in present]
                missing = list({a.expr_id: a for a in missing}.values())
                widened = L.Project(child.project_list + tuple(missing), child.child)
                return L.Project(tuple(inputs), L.Sort(order, plan.is_global, widened))
            if isinstance(child, L.Aggregate):
                return self._sort_over_aggregate(plan, child, outer, first_error)
            raise

    def _sort_over_aggregate(self, plan: L.Sort, agg: L.Aggregate, outer: tuple,
                             error: AnalysisException) -> L.LogicalPlan:
        out = agg.output
        below = agg.child.output
        extra: list[Alias] = []
        by_sql = {(e.child.sql() if isinstance(e, Alias) else e.sql()): a
                  for e, a in zip(agg.aggregates, out)}
        new_order = []
        for o in plan.order:
            try:
                new_order.append(self.resolve_expression(o, out, outer, allow_outer=False))
                continue
            except AnalysisException:
                pass
            r = self.resolve_expression(o, below, outer, allow_outer=False)
            key = r.child.sql()
            if key in by_sql:
                new_order.append(dataclasses.replace(r, child=by_sql[key]))
                continue
            al = Alias(r.child, key)
            extra.append(al)
            new_order.append(dataclasses.replace(r, child=al.to_attribute()))
        widened = dataclasses.replace(agg, aggregates=agg.aggregates + tuple(extra))
        return L.Project(tuple(out), L.Sort(tuple(new_order), plan.is_global, widened))

    def expand_stars(self, items: Sequence[Expression],
                     inputs: list[AttributeReference]) -> list[Expression]:
        out: list[Expression] = []
        for e in items:
            if isinstance(e, UnresolvedStar):
                if e.target is None:
                    out.extend(inputs)
                elif e.target[0] == "__regex__":
                    import re
                    out.extend(a for a in inputs if re.fullmatch(e.target[1], a.name))
                else:
                    q = e.target[-1].lower()
                    matched = [a for a in inputs if a.qualifier and a.qualifier[-1].lower() == q]
                    if not matched:
                        struct = resolve_name(e.target, inputs, self.case_sensitive)
                        if struct is not None and isinstance(struct.data_type, T.StructType):
                            matched = [Alias(GetField(struct, f.name), f.name)
                                       for f in struct.data_type.fields]
                    if not matched:
                        raise AnalysisException(
                            f"[CANNOT_RESOLVE_STAR_EXPAND] Cannot resolve `{'.'.join(e.target)}`.* "
                            f"given input columns {', '.join('`' + a.name + '`' for a in inputs)}."
                            " SQLSTATE: 42704", errorClass="CANNOT_RESOLVE_STAR_EXPAND")
                    out.extend(matched)
            else:
                out.append(e)
        return out

    def resolve_expression(self, e: Expression, inputs: list[AttributeReference],
                           outer: tuple = (), allow_outer: bool = True) -> Expression:
        """Bind names and functions in ``e`` against ``inputs`` (then enclosing query scopes)."""
        def visit(x: Expression) -> Expression:
            if isinstance(x, UnresolvedAttribute):
                found = None if x.plan_id == -1 else resolve_name(x.parts, inputs, self.case_sensitive)
                if found is not None:
                    return found
                if allow_outer:
                    for scope in outer:
                        found = resolve_name(x.parts, scope, self.case_sensitive)
                        if isinstance(found, AttributeReference):
                            return OuterReference(found)
                raise unresolved_column(x.name, inputs, x.origin)
            if isinstance(x, UnresolvedStar):
                return x
            if isinstance(x, (ScalarSubquery, Exists)):
                return dataclasses.replace(x, plan=self.analyze(x.plan, (inputs,) + tuple(outer)))
            if isinstance(x, InSubquery):
                vals = tuple(visit(v) for v in x.values)
                sub = self.analyze(x.plan, (inputs,) + tuple(outer))
                return dataclasses.replace(x, values=vals, plan=sub)
            if isinstance(x, UnresolvedFunction) and any(isinstance(a, LambdaFunction) for a in x.args):
                return resolve_higher_order(x, visit)
            x = x.map_children(visit)
            if isinstance(x, UnresolvedFunction):
                if x.is_star or any(isinstance(a, UnresolvedStar) for a in x.args):
                    if x.name.lower() == "count":
                        return build_function(dataclasses.replace(x, is_star=True), [])
                    args = self.expand_stars(x.args, inputs)
                else:
                    args = list(x.args)
                built = build_function(x, args)
                return coerce(built)
            return coerce(x)

        return visit(e)


def resolve_higher_order(f: UnresolvedFunction, visit: Callable[[Expression], Expression]) -> Expression:
    """Type a higher-order function's lambda parameters from its inputs, then resolve the body."""
    name = f.name.lower()
    args = [a if isinstance(a, LambdaFunction) else visit(a) for a in f.args]
    src = args[0].data_type

    def typed(fn: LambdaFunction, types: list[T.DataType]) -> LambdaFunction:
        bound = bind(fn, types)
        return LambdaFunction(visit(bound.body), bound.params)

    if name in ("transform", "filter", "exists", "forall"):
        fn = typed(args[1], [src.elementType, T.IntegerType()])
        return HigherOrder(name, (args[0], fn))
    if name in ("aggregate", "reduce"):
        zero = args[1]
        merge = typed(args[2], [zero.data_type, src.elementType])
        if merge.data_type != zero.data_type:
            zero = Cast(zero, merge.data_type, implicit=True)
            merge = typed(args[2], [merge.data_type, src.elementType])
        if len(args) > 3:
            finish = args[3]
        else:
            from pyspk.sql.expressions.higher_order import fresh_variable
            v = fresh_variable("x", merge.params[0].sql_name)
            finish = LambdaFunction(v, (v,))
        rest = [typed(finish, [merge.data_type])]
        return HigherOrder("aggregate", (args[0], zero, merge, *rest))
    if name == "array_sort":
        fn = typed(args[1], [src.elementType, src.elementType])
        return HigherOrder(name, (args[0], fn))
    if name == "zip_with":
        fn = typed(args[2], [src.elementType, args[1].data_type.elementType])
        return HigherOrder(name, (args[0], args[1], fn))
    if name in ("map_filter", "transform_keys", "transform_values"):
        fn = typed(args[1], [src.keyType, src.valueType])
        return HigherOrder(name, (args[0], fn))
    if name == "map_zip_with":
        from pyspk.sql.expressions.fn_map_zip_with import MapZipWith
        fn = typed(args[2], [src.keyType, src.valueType, args[1].data_type.valueType])
        return MapZipWith(args[0], args[1], fn)
    raise AnalysisException(f"[UNRESOLVED_ROUTINE] `{f.name}` does not take a lambda function.",
                            errorClass="UNRESOLVED_ROUTINE")


def coerce(e: Expression) -> Expression:
    """Apply a node's own coercion (casts to common types) once its children are resolved."""
    fn = getattr(e, "coerce", None)
    if fn is not None and all(c.resolved for c in e.children()):
        return fn()
    return e


def ensure_named(e: Expression) -> Expression:
    """Select-list items get a name: attributes keep theirs, others get Spark's auto alias."""
    if isinstance(e, (AttributeReference, Alias, MultiAlias)):
        return e
    if isinstance(e, GetField) and e.field is not None:
        return Alias(e, e.sql() if e.named_by_path else e.field)
    if isinstance(e, Cast) and not e.implicit and isinstance(e.child, AttributeReference):
        return Alias(e, e.child.name)
    return Alias(e, e.sql())


def check_aggregate(plan: L.Aggregate) -> None:
    """Every non-aggregated column in the select list must be a grouping expression."""
    group_ids = {a.expr_id for g in plan.grouping for a in g.walk() if isinstance(a, AttributeReference)}
    group_sql = {g.sql() for g in plan.grouping}

    def check(x: Expression) -> None:
        if isinstance(x, (A.AggregateFunction, WindowExpression, A.Grouping)):
            return
        if x.sql() in group_sql:
            return
        if isinstance(x, AttributeReference) and x.expr_id not in group_ids:
            raise AnalysisException(
                f"[MISSING_AGGREGATION] The non-aggregating expression \"{x.name}\" is based on "
                f"columns which are not participating in the GROUP BY clause.\nAdd the columns or "
                f"the expression to the GROUP BY, aggregate the expression, or use "
                f"\"any_value({x.name})\" if you do not care which of the values within a group is "
                f"returned. SQLSTATE: 42803", errorClass="MISSING_AGGREGATION",
                messageParameters={"expression": f'"{x.name}"', "expressionAnyValue":
                                   f'"any_value({x.name})"'})
        for c in x.children():
            check(c)

    for e in plan.aggregates:
        check(e.child if isinstance(e, Alias) else e)


def widen_union(plan: L.Union) -> L.LogicalPlan:
    """Cast every input of a union to the columns' common types."""
    outs = [c.output for c in plan.inputs]
    n = len(outs[0])
    for o in outs[1:]:
        if len(o) != n:
            raise AnalysisException(
                f"[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same "
                f"number of columns, but the first input has {n} columns and the second input has "
                f"{len(o)} columns. SQLSTATE: 42826", errorClass="NUM_COLUMNS_MISMATCH")
    types = []
    for i in range(n):
        dt: T.DataType | None = outs[0][i].data_type
        for o in outs[1:]:
            dt = tightest_common_type(dt, o[i].data_type) if dt is not None else None
            if dt is None:
                dt = T.StringType()
        types.append(dt)
    inputs = []
    for c, o in zip(plan.inputs, outs):
        if all(a.data_type == t for a, t in zip(o, types)):
            inputs.append(c)
        else:
            inputs.append(L.Project(tuple(a if a.data_type == t else Alias(Cast(a, t, implicit=True), a.name)
                                          for a, t in zip(o, types)), c))
    return L.Union(tuple(inputs))


def _dedup_join(plan: L.Join) -> L.Join:
    left_ids = {a.expr_id for a in plan.left.output}
    clash = [a for a in plan.right.output if a.expr_id in left_ids]
    if not clash:
        return plan
    right = L.Project(tuple(Alias(a, a.name) for a in plan.right.output), plan.right)
    qualifier = plan.right.output[0].qualifier if plan.right.output else ()
    if qualifier:
        right = L.SubqueryAlias(qualifier[-1], right)
    return dataclasses.replace(plan, right=right)


def _has_unresolved_subquery(plan: L.LogicalPlan) -> bool:
    for node in plan.walk():
        for e in node.expressions():
            for x in e.walk():
                if isinstance(x, (ScalarSubquery, InSubquery, Exists)) and not x.plan.resolved:
                    return True
    return False

