"""Scan filters: conjuncts that cannot raise are applied as one mask; one that can raise only
sees rows passing the conjuncts before it (Spark's short-circuit AND)."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from pyspk.sql import types as T
from pyspk.sql.execution.operators import split_safe_conjuncts
from pyspk.sql.expressions.arithmetic import Divide
from pyspk.sql.expressions.base import AttributeReference, Literal
from pyspk.sql.expressions.predicates import EqualTo, GreaterThan, IsNotNull, Not


def test_split_keeps_raising_conjuncts_in_order():
    x = AttributeReference("x", T.LongType())
    a, b = GreaterThan(x, Literal(1, T.LongType())), IsNotNull(x)
    risky = GreaterThan(Divide(Literal(10, T.LongType()), x), Literal(1.0, T.DoubleType()))
    combined, rest = split_safe_conjuncts([a, b, risky, Not(EqualTo(x, Literal(3, T.LongType())))])
    assert combined is not None and set(combined.children()) == {a, b}
    assert rest[0] == risky and len(rest) == 2
    assert split_safe_conjuncts([risky, a]) == (None, [risky, a])


def test_guarded_division_in_a_scan_filter_does_not_raise(spark, tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"x": pa.array([0, 2, 5, 20, None], pa.int64())}), path)
    spark.conf.set("spark.pyspk.sql.distributed", "false")
    rows = spark.read.parquet(str(path)).where("x <> 0 and 10 / x > 1 and x < 100").collect()
    assert sorted(r.x for r in rows) == [2, 5]
    assert spark.read.parquet(str(path)).where("x > 1 and x < 10").count() == 2
