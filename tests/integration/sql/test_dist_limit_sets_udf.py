"""Distributed LIMIT/OFFSET (per-partition limit, then partitions collected in order), grouping
sets (Expand, then the two-phase aggregation) and Python functions evaluated in executor tasks.
Expected rows were computed independently (Python) or recorded from PySpark 4.3.0."""
from __future__ import annotations

import os

import pandas as pd
import pyarrow as pa
import pytest

import pyspk.sql.functions as F
from pyspk.sql import Row, SparkSession
from pyspk.sql import types as T
from pyspk.taskcontext import TaskContext


@pytest.fixture(scope="module")
def spark():
    s = SparkSession.builder.master("local[2]").appName("dist-limit-sets-udf").getOrCreate()
    yield s
    s.conf.unset("spark.pyspk.sql.distributed")


@pytest.fixture
def dist(spark):
    spark.conf.set("spark.pyspk.sql.distributed", "true")
    yield
    spark.conf.unset("spark.pyspk.sql.distributed")


def test_limit_and_offset_keep_partition_order(spark, dist):
    assert [r.id for r in spark.range(0, 100, 1, 4).limit(7).collect()] == list(range(7))
    assert [r.id for r in spark.range(0, 100, 1, 4).offset(95).collect()] == [95, 96, 97, 98, 99]
    multiples = spark.range(0, 100, 1, 4).filter("id % 3 = 0")
    assert [r.id for r in multiples.limit(10).offset(4).collect()] == [12, 15, 18, 21, 24, 27]
    assert spark.range(0, 100, 1, 4).limit(0).collect() == []
    assert spark.range(0, 10, 1, 4).limit(50).count() == 10


def test_limit_reads_only_the_partitions_it_needs(spark, dist):
    seen = spark.sparkContext.accumulator(0)

    def touch(pdfs):
        for pdf in pdfs:
            seen.add(1)
            yield pdf
    df = spark.range(0, 8000, 1, 8).mapInPandas(touch, "id long")
    assert [r.id for r in df.limit(3).collect()] == [0, 1, 2]
    assert seen.value == 1


def _gs(spark):
    return spark.range(0, 100).select((F.col("id") % 3).alias("a"), (F.col("id") % 2).alias("b"),
                                      "id")


def _expected_rollup():
    rows = [(i % 3, i % 2, i) for i in range(100)]
    out = {}
    for a, b, i in rows:
        for key, gid in (((a, b), 0), ((a, None), 1), ((None, None), 3)):
            out.setdefault((key, gid), 0)
            out[(key, gid)] += i
    return sorted(((k[0], k[1], s, gid) for (k, gid), s in out.items()), key=repr)


def test_rollup_and_cube_run_distributed(spark, dist):
    df = _gs(spark)
    got = df.rollup("a", "b").agg(F.sum("id").alias("s"), F.grouping_id().alias("gid")).collect()
    assert sorted((tuple(r) for r in got), key=repr) == _expected_rollup()
    cube = sorted((tuple(r) for r in df.cube("a", "b").agg(
        F.count("*").alias("c"), F.max("id").alias("m")).collect()), key=repr)
    # PySpark 4.3.0
    assert cube == [(0, 0, 17, 96), (0, 1, 17, 99), (0, None, 34, 99), (1, 0, 16, 94),
                    (1, 1, 17, 97), (1, None, 33, 97), (2, 0, 17, 98), (2, 1, 16, 95),
                    (2, None, 33, 98), (None, 0, 50, 98), (None, 1, 50, 99),
                    (None, None, 100, 99)]


def test_grouping_sets_in_sql_with_expressions(spark, dist):
    _gs(spark).createOrReplaceTempView("gs_t")
    got = spark.sql("SELECT a + 1 AS a1, grouping(a) AS g, count(DISTINCT b) AS nb, sum(id) AS s "
                    "FROM gs_t GROUP BY ROLLUP(a)").collect()
    expect = {(a + 1, 0, 2, sum(i for i in range(100) if i % 3 == a)) for a in range(3)}
    expect.add((None, 1, 2, sum(range(100))))
    assert {tuple(r) for r in got} == expect


def _task_info(x):
    tc = TaskContext.get()
    return f"{tc.partitionId()}:{os.getpid()}" if tc is not None else "driver"


def test_udfs_run_in_executor_tasks(spark):
    """In the default (auto) mode a plan with a Python UDF runs in tasks: TaskContext works and
    the function does not run in the driver process."""
    info = F.udf(_task_info, T.StringType())
    rows = spark.range(0, 10).select("id", info("id").alias("t")).collect()
    parts = {r.t.split(":")[0] for r in rows}
    pids = {int(r.t.split(":")[1]) for r in rows}
    assert parts == {"0", "1"} and os.getpid() not in pids


def test_pandas_udf_and_batch_functions_run_in_tasks(spark):
    @F.pandas_udf("long")
    def part(s: pd.Series) -> pd.Series:
        return pd.Series([TaskContext.get().partitionId()] * len(s))

    got = spark.range(0, 10).select("id", part("id").alias("p")).collect()
    assert [r.p for r in got] == [0] * 5 + [1] * 5

    def tag(batches):
        for b in batches:
            yield b.assign(p=TaskContext.get().partitionId(), pid=os.getpid())
    out = spark.range(0, 10).mapInPandas(tag, "id long, p int, pid long").collect()
    assert sorted((r.id, r.p) for r in out) == [(i, i // 5) for i in range(10)]
    assert os.getpid() not in {r.pid for r in out}

    def arrow_double(batches):
        for b in batches:
            yield pa.RecordBatch.from_arrays([pa.compute.multiply(b.column(0), 2)], ["d"])
    assert sorted(r.d for r in spark.range(0, 6).mapInArrow(arrow_double, "d long").collect()) \
        == [0, 2, 4, 6, 8, 10]


def test_apply_in_pandas_groups_are_whole_after_the_exchange(spark):
    df = spark.range(0, 1000).select((F.col("id") % 7).alias("k"), "id")

    def summarise(pdf: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({"k": [pdf.k.iloc[0]], "n": [len(pdf)], "s": [pdf.id.sum()],
                             "in_task": [TaskContext.get() is not None]})
    got = df.groupBy("k").applyInPandas(summarise, "k long, n long, s long, in_task boolean")
    assert sorted(tuple(r) for r in got.collect()) == sorted(
        (k, len(range(k, 1000, 7)), sum(range(k, 1000, 7)), True) for k in range(7))


def test_a_udf_crashing_its_process_fails_the_query_not_the_driver(spark):
    def crash(x):
        os._exit(3)
    spark.sparkContext.setLocalProperty("spark.task.maxFailures", None)
    with pytest.raises(Exception):
        spark.range(0, 4).select(F.udf(crash, T.LongType())("id")).collect()
    assert spark.range(0, 3).select(F.udf(lambda x: x * 2, T.LongType())("id").alias("d")) \
        .collect() == [Row(d=0), Row(d=2), Row(d=4)]


def test_cogroup_apply_in_pandas_runs_in_tasks(spark):
    left = spark.createDataFrame([(i % 5, i) for i in range(40)], "k long, v long")
    right = spark.createDataFrame([(k, k * 10) for k in (1, 2, 3, 7)], "k long, w long")

    def merge(key, lpdf, rpdf):
        return pd.DataFrame({"k": [key[0]], "n": [len(lpdf)], "sv": [int(lpdf.v.sum())],
                             "sw": [int(rpdf.w.sum())],
                             "in_task": [TaskContext.get() is not None]})
    out = left.groupby("k").cogroup(right.groupby("k")).applyInPandas(
        merge, "k long, n long, sv long, sw long, in_task boolean")
    expect = {(k, sum(1 for i in range(40) if i % 5 == k), sum(i for i in range(40) if i % 5 == k),
               k * 10 if k in (1, 2, 3, 7) else 0, True) for k in (0, 1, 2, 3, 4, 7)}
    assert {tuple(r) for r in out.collect()} == expect

    def by_expression(lpdf, rpdf):
        return pd.DataFrame({"cols": [",".join(lpdf.columns) + "|" + ",".join(rpdf.columns)],
                             "rows": [len(lpdf) + len(rpdf)]})
    shaped = left.groupby((F.col("k") % 2).alias("parity")).cogroup(
        right.groupby((F.col("k") % 2).alias("parity"))).applyInPandas(
        by_expression, "cols string, rows long")
    assert sorted(tuple(r) for r in shaped.collect()) == [("k,v|k,w", 16 + 3), ("k,v|k,w", 24 + 1)]


def test_explode_of_udf_output_runs_in_tasks(spark):
    parts = F.udf(lambda x: [int(x), TaskContext.get().partitionId()], T.ArrayType(T.LongType()))
    got = spark.range(0, 4).select("id", F.explode(parts("id")).alias("v")).collect()
    assert sorted((r.id, r.v) for r in got) == sorted(
        [(i, i) for i in range(4)] + [(i, i // 2) for i in range(4)])


def test_grouped_maps_take_keys_iterators_and_expression_groups(spark):
    from typing import Iterator
    df = spark.createDataFrame([(1, 1.0), (1, 2.0), (2, 3.0), (2, 5.0), (2, 10.0)], ("id", "v"))

    def keyed_sum(key, pdf):
        return pd.DataFrame([key + (pdf.v.sum(),)])
    got = df.groupby(df.id, F.ceil(df.v / 2)).applyInPandas(
        keyed_sum, "id long, c long, v double").collect()
    assert sorted(tuple(r) for r in got) == [(1, 1, 3.0), (2, 2, 3.0), (2, 3, 5.0), (2, 5, 10.0)]

    def big(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for b in batches:
            yield b[b.v > 2.0][["v"]]
    assert sorted(r.v for r in df.groupby("id").applyInPandas(big, "v double").collect()) == \
        [3.0, 5.0, 10.0]

    other = spark.createDataFrame([(1, "x"), (2, "y")], ("id", "w"))

    def sizes(key, left, right):
        return pa.Table.from_pydict({"key": [key[0].as_py()], "left": [left.num_rows],
                                     "right": [right.num_rows]})
    out = df.groupby("id").cogroup(other.groupby("id")).applyInArrow(
        sizes, "key long, left long, right long").collect()
    assert sorted(tuple(r) for r in out) == [(1, 2, 1), (2, 3, 1)]
