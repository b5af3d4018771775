"""Each optimizer rule on small input plans, checked against the plan it should produce."""
from __future__ import annotations

import pyarrow as pa

from pyspk.sql import types as T
from pyspk.sql.expressions.arithmetic import Add
from pyspk.sql.expressions.base import Alias, AttributeReference, Literal, OuterReference
from pyspk.sql.expressions.predicates import And, EqualTo, GreaterThan, Or
from pyspk.sql.expressions.subquery import Exists
from pyspk.sql.optimizer.boolean_simplification import factor_or, simplify_booleans
from pyspk.sql.optimizer.constant_folding import fold_constants, fold_expression
from pyspk.sql.optimizer.decorrelate import rewrite_subqueries
from pyspk.sql.optimizer.joins import reorder_joins, split_join_condition
from pyspk.sql.optimizer.limits import push_down_limits
from pyspk.sql.optimizer.pruning import prune_columns
from pyspk.sql.optimizer.pushdown import push_down_filters
from pyspk.sql.plan import logical as L


def attr(name: str) -> AttributeReference:
    return AttributeReference(name, T.LongType())


def relation(*attrs: AttributeReference) -> L.LocalRelation:
    return L.LocalRelation(tuple(attrs), pa.table({a.name: pa.array([], pa.int64()) for a in attrs}))


def lit(v: int) -> Literal:
    return Literal(v, T.LongType())


def test_constant_folding_evaluates_literal_subtrees():
    a = attr("a")
    e = GreaterThan(a, Add(lit(1), lit(2)))
    assert fold_expression(e) == GreaterThan(a, lit(3))


def test_constant_folding_drops_always_true_filters():
    rel = relation(attr("a"))
    plan = L.Filter(EqualTo(lit(1), lit(1)), rel)
    assert fold_constants(plan) == rel


def test_factor_or_pulls_out_common_conjuncts():
    a, b, c = attr("a"), attr("b"), attr("c")
    key = EqualTo(a, b)
    e = Or(And(key, GreaterThan(c, lit(1))), And(key, GreaterThan(c, lit(5))))
    assert factor_or(e) == And(key, Or(GreaterThan(c, lit(1)), GreaterThan(c, lit(5))))
    plan = L.Filter(e, relation(a, b, c))
    assert simplify_booleans(plan).condition == factor_or(e)


def test_push_down_through_project_and_into_scan():
    a, b = attr("a"), attr("b")
    scan = L.FileScan("parquet", ("/x",), (a, b))
    al = Alias(a, "x")
    plan = L.Filter(GreaterThan(al.to_attribute(), lit(1)), L.Project((al,), scan))
    out = push_down_filters(plan)
    assert isinstance(out, L.Project)
    assert out.child.filters == (GreaterThan(a, lit(1)),)


def test_push_down_turns_cross_join_filter_into_join_condition():
    a, b = attr("a"), attr("b")
    left, right = relation(a), relation(b)
    plan = L.Filter(And(EqualTo(a, b), GreaterThan(a, lit(3))), L.Join(left, right, "cross"))
    out = push_down_filters(plan)
    assert isinstance(out, L.Join) and out.join_type == "inner"
    assert out.condition == EqualTo(a, b)
    assert out.left == L.Filter(GreaterThan(a, lit(3)), left)


def test_reorder_joins_defers_cartesian_products():
    a, b, c = attr("a"), attr("b"), attr("c")
    ra, rb, rc = relation(a), relation(b), relation(c)
    out = reorder_joins([ra, rb, rc], [EqualTo(a, c), EqualTo(c, b)])
    assert out.left.right == rc and out.right == rb
    assert out.join_type == "inner" and out.left.join_type == "inner"


def test_split_join_condition():
    a, b, c = attr("a"), attr("b"), attr("c")
    lk, rk, rest = split_join_condition(And(EqualTo(b, a), GreaterThan(a, c)), [a], [b, c])
    assert lk == [a] and rk == [b] and rest == GreaterThan(a, c)


def test_exists_becomes_semi_join():
    a, b = attr("a"), attr("b")
    outer, inner = relation(a), relation(b)
    sub = L.Filter(EqualTo(b, OuterReference(a)), inner)
    plan = L.Filter(Exists(sub), outer)
    out = rewrite_subqueries(plan)
    assert out == L.Join(outer, inner, "left_semi", EqualTo(b, a))


def test_column_pruning_narrows_scans():
    a, b, c = attr("a"), attr("b"), attr("c")
    scan = L.FileScan("parquet", ("/x",), (a, b, c))
    out = prune_columns(L.Project((a,), scan))
    assert out.child.attrs == (a,)


def test_limit_pushed_below_projection():
    a = attr("a")
    rel = relation(a)
    al = Alias(Add(a, lit(1)), "x")
    out = push_down_limits(L.Limit(5, L.Project((al,), rel)))
    assert out == L.Project((al,), L.Limit(5, rel))


def test_two_phase_aggregation_split():
    from pyspk.sql.execution.distributed import two_phase
    from pyspk.sql.expressions import aggregates as A
    k, v = attr("k"), attr("v")
    agg = L.Aggregate((k,), (k, Alias(A.Sum(v), "s"), Alias(A.Avg(v), "a")), relation(k, v))
    partial, final = two_phase(agg)
    assert [a.name for a in partial.output] == ["__g0", "__p0", "__p1s", "__p1c"]
    assert final.child is partial and [a.name for a in final.output] == ["k", "s", "a"]
    assert two_phase(L.Aggregate((k,), (Alias(A.Sum(v, True), "d"),), relation(k, v))) is None


def test_semi_join_with_aggregating_subquery_pushed_to_its_input():
    a, b, k = attr("a"), attr("b"), attr("k")
    ra, rb, rk = relation(a), relation(b), relation(k)
    sub = L.Aggregate((k,), (k,), rk)
    plan = L.Join(L.Join(ra, rb, "inner", EqualTo(a, b)), sub, "left_semi", EqualTo(a, k))
    out = push_down_filters(plan)
    assert out.join_type == "inner" and out.left.join_type == "left_semi" and out.left.left == ra


def test_two_phase_keeps_aliased_grouping_keys():
    from pyspk.sql.execution.distributed import two_phase
    from pyspk.sql.expressions import aggregates as A
    k, v = attr("k"), attr("v")
    g = Alias(k, "bk")
    agg = L.Aggregate((g,), (g, Alias(A.Sum(v), "s")), relation(k, v))
    partial, final = two_phase(agg)
    produced = {a.expr_id for a in partial.output}
    needed = {x.expr_id for e in final.expressions() for x in e.walk() if isinstance(x, AttributeReference)}
    assert needed <= produced
