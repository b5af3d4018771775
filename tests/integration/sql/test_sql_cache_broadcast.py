"""DataFrame caching in distributed plans and the broadcast-join threshold."""
from __future__ import annotations

import pytest

from pyspk.sql import SparkSession
from pyspk.sql import functions as F
from pyspk.storagelevel import StorageLevel


@pytest.fixture(scope="module")
def spark():
    session = SparkSession.builder.master("local[2]").appName("cache-broadcast").getOrCreate()
    session.conf.set("spark.pyspk.sql.distributed", "true")
    yield session
    session.conf.unset("spark.pyspk.sql.distributed")


def _counting(log_path):
    def fn(batches):
        with open(log_path, "a") as fh:
            fh.write("computed\n")
        yield from batches
    return fn


def test_cached_rows_are_computed_once_until_unpersisted(spark, tmp_path):
    log = tmp_path / "log"
    df = spark.range(0, 1000, 1, 4).mapInArrow(_counting(str(log)), "id long")
    cached = df.persist(StorageLevel.DISK_ONLY)
    assert cached.storageLevel == StorageLevel.DISK_ONLY
    assert cached.count() == 1000
    first = log.read_text().count("computed")
    assert first >= 1
    assert cached.agg(F.sum("id")).collect()[0][0] == sum(range(1000))
    assert cached.where("id % 2 = 0").count() == 500
    assert log.read_text().count("computed") == first, "cached rows were recomputed"
    cached.unpersist()
    assert cached.storageLevel == StorageLevel.NONE
    assert cached.count() == 1000
    assert log.read_text().count("computed") > first


def test_broadcast_threshold_switches_join_strategy(spark):
    from pyspk.sql.explain import explain_string
    big = spark.range(100).withColumn("k", F.col("id") % 7)
    small = spark.range(7).withColumnRenamed("id", "k2")
    joined = big.join(small, big.k == small.k2)
    assert "BroadcastHashJoin" in explain_string(joined, None, None)
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "-1")
    try:
        plan = explain_string(joined, None, None)
        assert "ShuffledHashJoin" in plan and "BroadcastExchange" not in plan
        assert joined.count() == 100
    finally:
        spark.conf.unset("spark.sql.autoBroadcastJoinThreshold")
