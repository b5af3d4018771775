"""Plans over files run as stages on local[2] executors: exchanges, shuffle and broadcast joins,
and the same answers as driver-local execution."""
from __future__ import annotations

import pytest

import pyspk.sql.functions as F
from pyspk.sql import SparkSession


@pytest.fixture(scope="module")
def spark():
    return SparkSession.builder.master("local[2]").appName("dist-it").getOrCreate()


@pytest.fixture(scope="module")
def paths(spark, tmp_path_factory):
    base = tmp_path_factory.mktemp("dist")
    big = spark.range(0, 200_000).select(F.col("id"), (F.col("id") % 97).alias("k"),
                                         (F.col("id") * 0.5).alias("v"))
    big.write.parquet(str(base / "big"))
    small = spark.range(0, 97).select(F.col("id").alias("k"), F.concat(F.lit("name"), F.col("id").cast("string")).alias("name"))
    small.write.parquet(str(base / "small"))
    return str(base / "big"), str(base / "small")


def _both(spark, build):
    out = {}
    for mode in ("true", "false"):
        spark.conf.set("spark.pyspk.sql.distributed", mode)
        out[mode] = build().collect()
    spark.conf.unset("spark.pyspk.sql.distributed")
    return out["true"], out["false"]


def test_group_by_through_exchange(spark, paths):
    big = lambda: spark.read.parquet(paths[0]).groupBy("k").agg(F.count("*").alias("c"), F.sum("v").alias("s")).orderBy("k")
    dist, local = _both(spark, big)
    assert dist == local and len(dist) == 97 and sum(r.c for r in dist) == 200_000


def test_joins_broadcast_and_shuffle(spark, paths):
    def q():
        b = spark.read.parquet(paths[0])
        s = spark.read.parquet(paths[1])
        return b.join(s, "k").groupBy("name").agg(F.count("*").alias("c")).orderBy("name")
    dist, local = _both(spark, q)
    assert dist == local and len(dist) == 97

    def full():
        b = spark.read.parquet(paths[0]).where("id < 1000")
        s = spark.read.parquet(paths[1])
        return b.join(s, "k", "full").agg(F.count("*").alias("c"))
    dist, local = _both(spark, full)
    assert dist == local == [dist[0]] and dist[0].c == 1000


def test_global_aggregate_and_sort_limit(spark, paths):
    q = lambda: spark.read.parquet(paths[0]).where(F.col("k") == 3).orderBy(F.desc("id")).limit(3)
    dist, local = _both(spark, q)
    largest = max(i for i in range(199_000, 200_000) if i % 97 == 3)
    assert dist == local and [r.id for r in dist] == [largest, largest - 97, largest - 194]


def test_window_and_distinct_through_exchanges(spark, paths):
    from pyspk.sql import Window

    def win():
        w = Window.partitionBy("k").orderBy(F.desc("id"))
        return (spark.read.parquet(paths[0]).where("id < 5000")
                .select("k", "id", F.row_number().over(w).alias("rn")).where("rn = 1").orderBy("k"))
    dist, local = _both(spark, win)
    assert dist == local and len(dist) == 97

    q = lambda: spark.read.parquet(paths[0]).select("k").distinct().orderBy("k")
    dist, local = _both(spark, q)
    assert dist == local and [r.k for r in dist] == list(range(97))


def test_task_errors_surface_as_sql_errors(spark, paths):
    from pyspk.errors import ArithmeticException
    spark.conf.set("spark.pyspk.sql.distributed", "true")
    try:
        with pytest.raises(ArithmeticException) as info:
            spark.read.parquet(paths[0]).select((F.col("id") / (F.col("k") - F.col("k"))).alias("x")).collect()
        assert info.value.getErrorClass() == "DIVIDE_BY_ZERO"
    finally:
        spark.conf.unset("spark.pyspk.sql.distributed")


def test_rdd_of_a_distributed_plan(spark, paths):
    spark.conf.set("spark.pyspk.sql.distributed", "true")
    try:
        rdd = spark.read.parquet(paths[0]).where("k = 5").rdd
        assert rdd.getNumPartitions() >= 1 and rdd.map(lambda r: r.k).distinct().collect() == [5]
    finally:
        spark.conf.unset("spark.pyspk.sql.distributed")
