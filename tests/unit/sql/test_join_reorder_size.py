"""Join reordering by estimated size: selective inputs meet the big one first, the smaller side is
the build (right) side, and the written column order survives."""
from __future__ import annotations

import datetime

import pyarrow as pa
import pyarrow.parquet as pq

from pyspk.sql import types as T
from pyspk.sql.expressions.base import AttributeReference, Literal
from pyspk.sql.expressions.predicates import EqualTo, GreaterThanOrEqual, LessThan
from pyspk.sql.io.scan import file_scan_plan
from pyspk.sql.optimizer.joins import reorder_joins
from pyspk.sql.optimizer.statistics import Estimator
from pyspk.sql.plan import logical as L


def _rel(n: int, *names: str) -> tuple[L.LocalRelation, list[AttributeReference]]:
    attrs = [AttributeReference(x, T.LongType()) for x in names]
    data = pa.table({a.name: pa.array(range(n), pa.int64()) for a in attrs})
    return L.LocalRelation(tuple(attrs), data), attrs


def test_selective_dimension_joins_the_fact_table_first():
    fact, (k1, k2) = _rel(1000, "k1", "k2")
    big_dim, (d2,) = _rel(500, "d2")
    small_dim, (d1,) = _rel(10, "d1")
    out = reorder_joins([fact, big_dim, small_dim], [EqualTo(k2, d2), EqualTo(k1, d1)])
    # fact ⋈ small_dim is estimated at 10 rows: it is built on, big_dim (500) is streamed.
    assert out.left == big_dim and isinstance(out.right, L.Join)
    assert out.right.left == fact and out.right.right == small_dim
    assert out.right.condition == EqualTo(k1, d1) and out.condition == EqualTo(k2, d2)


def test_output_order_is_restored_by_a_projection():
    small, (a,) = _rel(5, "a")
    big, (b,) = _rel(100, "b")
    written = [a, b]
    out = reorder_joins([small, big], [EqualTo(a, b)], written)
    assert isinstance(out, L.Project) and [e.expr_id for e in out.project_list] == [a.expr_id, b.expr_id]
    join = out.child
    assert join.left == big and join.right == small


def test_cartesian_products_still_go_last():
    x, (a,) = _rel(3, "a")
    y, (b,) = _rel(1000, "b")
    z, (c,) = _rel(2, "c")
    out = reorder_joins([x, y, z], [EqualTo(a, b)])
    assert out.join_type == "cross" and out.left.join_type == "inner"


def test_parquet_footers_give_row_counts_and_range_selectivity(tmp_path):
    path = tmp_path / "f.parquet"
    days = [datetime.date(2000, 1, 1) + datetime.timedelta(days=i % 1000) for i in range(10_000)]
    pq.write_table(pa.table({"id": pa.array(range(10_000), pa.int64()), "d": pa.array(days)}),
                   path, row_group_size=2_000)
    scan = file_scan_plan("parquet", [str(path)], None, {})
    est = Estimator()
    assert est.rows(scan) == 10_000
    idattr, dattr = scan.attrs
    assert est.ndv(scan, idattr.expr_id) == 10_000
    assert est.ndv(scan, dattr.expr_id) == 1_000
    cut = Literal(datetime.date(2000, 1, 1) + datetime.timedelta(days=250), T.DateType())
    quarter = L.Filter(LessThan(dattr, cut), scan)
    assert 2_000 < Estimator().rows(quarter) < 3_000
    rest = L.Filter(GreaterThanOrEqual(dattr, cut), scan)
    assert 7_000 < Estimator().rows(rest) < 8_000
    eq = L.Filter(EqualTo(idattr, Literal(5, T.LongType())), scan)
    assert Estimator().rows(eq) == 1


def test_or_across_inputs_gives_each_input_an_implied_filter():
    from pyspk.sql.expressions.predicates import And, Or
    from pyspk.sql.optimizer.joins import derive_leaf_predicates
    x, (a,) = _rel(10, "a")
    y, (b,) = _rel(10, "b")
    lit = lambda v: Literal(v, T.LongType())  # noqa: E731
    cond = Or(And(EqualTo(a, lit(1)), EqualTo(b, lit(2))), And(EqualTo(a, lit(3)), EqualTo(b, lit(4))))
    derived = derive_leaf_predicates([cond], [x, y])
    assert derived == [Or(EqualTo(a, lit(1)), EqualTo(a, lit(3))),
                       Or(EqualTo(b, lit(2)), EqualTo(b, lit(4)))]
    # A disjunct saying nothing about an input implies nothing for it.
    partial = Or(EqualTo(a, lit(1)), EqualTo(b, lit(2)))
    assert derive_leaf_predicates([partial], [x, y]) == []
    out = reorder_joins([x, y], [cond])
    assert out.condition == cond
    assert {type(out.left), type(out.right)} == {L.Filter}
