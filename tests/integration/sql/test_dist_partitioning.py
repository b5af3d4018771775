"""Distributed execution makes the partitions Spark makes: ``spark.sql.shuffle.partitions``
exchanges, adaptive coalescing of their reads, and repartition/repartitionByRange/coalesce.
Expected ``spark_partition_id()`` values were recorded from PySpark 4.3.0 on local[2]."""
from __future__ import annotations

import pytest

import pyspk.sql.functions as F
from pyspk.sql import Row, SparkSession


_KEYS = ("spark.pyspk.sql.distributed", "spark.sql.adaptive.enabled",
         "spark.sql.adaptive.advisoryPartitionSizeInBytes",
         "spark.sql.adaptive.coalescePartitions.minPartitionSize", "spark.sql.shuffle.partitions")


@pytest.fixture(scope="module")
def spark():
    s = SparkSession.builder.master("local[2]").appName("dist-partitioning").getOrCreate()
    for key in _KEYS:  # the session may be shared with earlier test modules
        s.conf.unset(key)
    s.conf.set("spark.pyspk.sql.distributed", "true")
    yield s
    for key in _KEYS:
        s.conf.unset(key)


@pytest.fixture
def aqe_off(spark):
    spark.conf.set("spark.sql.adaptive.enabled", "false")
    yield
    spark.conf.unset("spark.sql.adaptive.enabled")


def _pids(df, key="id"):
    """spark_partition_id() of each row, in order of ``key``."""
    return [r[1] for r in sorted((r[0], r[1]) for r in
                                 df.select(F.col(key), F.spark_partition_id()).collect())]


def _frame(spark):
    return spark.range(0, 12).select(
        F.col("id"), (F.col("id") % 4).alias("k"),
        F.concat(F.lit("s"), (F.col("id") % 5).cast("string")).alias("s"))


# ---- repartition / repartitionByRange / coalesce (values from PySpark 4.3.0)


def test_round_robin_repartition_matches_spark(spark):
    assert _pids(spark.range(0, 20).repartition(4)) == \
        [3, 2, 3, 1, 1, 0, 1, 2, 2, 0, 2, 2, 1, 0, 3, 1, 3, 2, 0, 1]
    assert _pids(spark.range(0, 20, 1, 6).repartition(3)) == \
        [0, 2, 1, 1, 0, 2, 0, 2, 1, 2, 1, 0, 2, 0, 2, 1, 0, 2, 1, 2]
    assert spark.range(0, 20).repartition(7).rdd.getNumPartitions() == 7


def test_hash_repartition_matches_spark(spark):
    assert _pids(spark.range(0, 20).repartition(3, "id")) == \
        [1, 2, 2, 0, 2, 2, 0, 0, 2, 2, 2, 0, 1, 1, 1, 2, 0, 2, 1, 1]
    df = _frame(spark)
    assert _pids(df.repartition(4, "s")) == [1, 3, 0, 1, 2, 1, 3, 0, 1, 2, 1, 3]
    assert _pids(df.repartition(5, "k", "s")) == [3, 4, 1, 3, 4, 1, 3, 0, 1, 1, 1, 0]
    assert sorted(df.repartition(5, "k", "s").collect()) == sorted(df.collect())


def test_repartition_by_columns_is_coalesced_adaptively(spark):
    df = _frame(spark)
    assert df.repartition("k").rdd.getNumPartitions() == 1
    assert _pids(df.repartition("k")) == [0] * 12


def test_repartition_by_columns_without_aqe_uses_shuffle_partitions(spark, aqe_off):
    df = _frame(spark)
    assert df.repartition("k").rdd.getNumPartitions() == 200
    assert _pids(df.repartition("k")) == [5, 69, 128, 107] * 3


def test_repartition_by_range_and_coalesce_match_spark(spark):
    assert _pids(spark.range(0, 20).repartitionByRange(3, "id")) == [0] * 7 + [1] * 7 + [2] * 6
    assert _pids(spark.range(0, 20, 1, 6).coalesce(2)) == [0] * 10 + [1] * 10
    assert spark.range(0, 20, 1, 6).coalesce(2).rdd.getNumPartitions() == 2
    desc = spark.range(0, 20).repartitionByRange(2, F.col("id").desc())
    assert _pids(desc) == [1] * 10 + [0] * 10


def test_local_rows_are_sliced_like_spark(spark):
    df = spark.createDataFrame([(i,) for i in range(10)], "id long")
    assert _pids(df) == [0] * 5 + [1] * 5


# ---- shuffle partitions and adaptive coalescing


def _agg(spark):
    return spark.range(0, 1000).groupBy((F.col("id") % 10).alias("k")).agg(F.count("*").alias("c"))


def test_aggregation_without_aqe_has_shuffle_partitions(spark, aqe_off):
    g = _agg(spark)
    assert g.rdd.getNumPartitions() == 200
    # PySpark 4.3.0, AQE off: pmod(murmur3(k), 200).
    assert sorted(tuple(r) for r in g.select("k", F.spark_partition_id()).collect()) == \
        [(0, 5), (1, 69), (2, 128), (3, 107), (4, 140), (5, 68), (6, 45), (7, 11), (8, 116),
         (9, 49)]
    spark.conf.set("spark.sql.shuffle.partitions", "7")
    try:
        assert _agg(spark).rdd.getNumPartitions() == 7
    finally:
        spark.conf.unset("spark.sql.shuffle.partitions")


def test_aggregation_with_aqe_is_coalesced(spark):
    g = _agg(spark)
    assert g.rdd.getNumPartitions() == 1
    assert sorted(g.collect()) == [Row(k=k, c=100) for k in range(10)]


def _coalesce_small(spark):
    spark.conf.set("spark.sql.adaptive.advisoryPartitionSizeInBytes", "2k")
    spark.conf.set("spark.sql.adaptive.coalescePartitions.minPartitionSize", "1")


def test_coalesced_reads_follow_map_output_sizes(spark):
    """A small advisory size splits the same exchange into more, contiguous reads; the
    answer does not change."""
    df = spark.range(0, 20_000).select((F.col("id") % 500).alias("k"), F.col("id"))
    expected = sorted((k, sum(range(k, 20_000, 500))) for k in range(500))
    whole = df.groupBy("k").agg(F.sum("id").alias("s"))
    assert whole.rdd.getNumPartitions() == 1
    _coalesce_small(spark)
    try:
        split = df.groupBy("k").agg(F.sum("id").alias("s"))
        n = split.rdd.getNumPartitions()
        assert 2 < n < 200
        assert sorted(tuple(r) for r in split.collect()) == expected
        pids = {r[0] for r in split.select(F.spark_partition_id()).collect()}
        assert pids == set(range(n))
    finally:
        spark.conf.unset("spark.sql.adaptive.advisoryPartitionSizeInBytes")
        spark.conf.unset("spark.sql.adaptive.coalescePartitions.minPartitionSize")


def test_shuffle_join_sides_are_coalesced_alike(spark):
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "-1")
    _coalesce_small(spark)
    try:
        left = spark.range(0, 5000).select((F.col("id") % 1000).alias("a"), "id")
        right = spark.range(0, 1000).select(F.col("id").alias("b"), (F.col("id") * 2).alias("w"))
        out = left.join(right, left.a == right.b).agg(F.count("*").alias("c"),
                                                      F.sum("w").alias("s")).collect()
        assert out == [Row(c=5000, s=5 * sum(2 * i for i in range(1000)))]
    finally:
        spark.conf.unset("spark.sql.adaptive.advisoryPartitionSizeInBytes")
        spark.conf.unset("spark.sql.adaptive.coalescePartitions.minPartitionSize")
        spark.conf.unset("spark.sql.autoBroadcastJoinThreshold")


def test_explain_shows_the_final_adaptive_plan_after_a_run(spark, capsys):
    g = _agg(spark)
    g.explain()
    before = capsys.readouterr().out
    assert "AdaptiveSparkPlan isFinalPlan=false" in before and "AQEShuffleRead" not in before
    g.collect()
    g.explain()
    after = capsys.readouterr().out.splitlines()
    assert after[1] == "AdaptiveSparkPlan isFinalPlan=true"
    read = next(i for i, line in enumerate(after) if "AQEShuffleRead coalesced" in line)
    assert "ShuffleQueryStage 0" in after[read + 1] and "Exchange hashpartitioning" in after[read + 2]
