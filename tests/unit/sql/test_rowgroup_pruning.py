"""Parquet row-group pruning: the scan reads only groups whose statistics allow a match, and the
answers equal those of an unpruned read (checked against Python over the same rows)."""
from __future__ import annotations

import datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pyspk.sql import types as T
from pyspk.sql.expressions import predicates as P
from pyspk.sql.expressions.base import AttributeReference, Literal
from pyspk.sql.io import parquet_meta as M
from pyspk.sql.io.scan import file_scan_plan, pruned_row_groups


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    path = tmp_path_factory.mktemp("prune") / "t.parquet"
    n = 400
    table = pa.table({
        "id": pa.array(range(n), pa.int64()),
        "s": pa.array([f"k{i // 100}" for i in range(n)]),
        "d": pa.array([datetime.date(2020, 1, 1) + datetime.timedelta(days=i // 100 * 40)
                       for i in range(n)]),
        "x": pa.array([None if i < 100 else float(i) for i in range(n)]),
        "n": pa.array([None if i >= 300 else i for i in range(n)], pa.int32()),
    })
    pq.write_table(table, path, row_group_size=100)
    return str(path), table


def _attr(name: str, dt: T.DataType) -> AttributeReference:
    return AttributeReference(name, dt, True)


ID, S, D, N = (_attr("id", T.LongType()), _attr("s", T.StringType()), _attr("d", T.DateType()),
               _attr("n", T.IntegerType()))


@pytest.mark.parametrize("cond,expected", [
    (P.LessThan(ID, Literal(150, T.LongType())), [0, 1]),
    (P.GreaterThanOrEqual(ID, Literal(300, T.LongType())), [3]),
    (P.LessThan(Literal(299, T.LongType()), ID), [3]),
    (P.LessThan(Literal(298, T.LongType()), ID), [2, 3]),
    (P.EqualTo(S, Literal("k2", T.StringType())), [2]),
    (P.In(S, (Literal("k0", T.StringType()), Literal("k3", T.StringType()))), [0, 3]),
    (P.GreaterThan(D, Literal(datetime.date(2020, 3, 1), T.DateType())), [2, 3]),
    (P.Or(P.EqualTo(ID, Literal(5, T.LongType())), P.EqualTo(ID, Literal(399, T.LongType()))), [0, 3]),
    (P.And(P.GreaterThan(ID, Literal(50, T.LongType())), P.LessThan(ID, Literal(120, T.LongType()))), [0, 1]),
    (P.IsNull(N), [3]),
    (P.IsNotNull(N), [0, 1, 2]),
    (P.EqualTo(ID, Literal(None, T.LongType())), []),
    (P.EqualTo(ID, Literal(1000, T.LongType())), []),
])
def test_surviving_groups(data, cond, expected):
    path, _ = data
    assert M.surviving_groups(path, [cond]) == expected


def test_undecidable_predicates_keep_every_group(data):
    path, _ = data
    x = _attr("x", T.DoubleType())
    # floats may hold NaN, which Parquet statistics leave out: never pruned.
    assert M.surviving_groups(path, [P.GreaterThan(x, Literal(1e9, T.DoubleType()))]) == [0, 1, 2, 3]
    assert M.surviving_groups(path, [P.Like(S, Literal("%9", T.StringType()))]) == [0, 1, 2, 3]


def test_scan_reads_only_surviving_groups_and_answers_match(spark, data):
    path, table = data
    df = spark.read.parquet(path).filter("id >= 250 and s <> 'zzz'")
    scan = file_scan_plan("parquet", [path], None, {})
    import dataclasses
    pruned = dataclasses.replace(scan, filters=(P.GreaterThanOrEqual(
        scan.attrs[0], Literal(250, T.LongType())),))
    assert pruned_row_groups(pruned) == ((path, (2, 3)),)
    got = sorted(r.id for r in df.collect())
    assert got == list(range(250, 400))
    assert spark.read.parquet(path).filter("id < 0").count() == 0
    assert spark.read.parquet(path).filter("n is null").count() == 100


def test_distributed_scan_prunes_the_same(spark, data):
    path, _ = data
    spark.conf.set("spark.pyspk.sql.distributed", "true")
    try:
        assert sorted(r.id for r in spark.read.parquet(path).filter("id >= 390").collect()) == \
            list(range(390, 400))
        assert spark.read.parquet(path).filter("id > 1000").collect() == []
    finally:
        spark.conf.unset("spark.pyspk.sql.distributed")
