"""Aggregations and sorts past ``spark.python.worker.memory`` spill to disk and still give exact
answers (the limit here is far below any executor's resident size, so every check spills)."""
from __future__ import annotations

import operator

import pytest

from pyspk import SparkConf, SparkContext


@pytest.fixture(scope="module")
def tight():
    conf = (SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("spill")
            .set("spark.python.worker.memory", "1m"))
    ctx = SparkContext(conf=conf)
    yield ctx
    ctx.stop()


def test_group_and_reduce_under_a_tiny_memory_limit(tight: SparkContext) -> None:
    n = 300_000
    pairs = tight.parallelize(range(n), 4).map(lambda x: (x % 20_011, x))
    sums = dict(pairs.reduceByKey(operator.add, 3).collect())
    assert len(sums) == 20_011
    assert sum(sums.values()) == n * (n - 1) // 2
    sizes = pairs.groupByKey(3).mapValues(len).values().collect()
    assert sum(sizes) == n and max(sizes) - min(sizes) <= 1


def test_sort_under_a_tiny_memory_limit(tight: SparkContext) -> None:
    data = tight.parallelize(range(200_000), 4).map(lambda x: ((x * 7919) % 200_003, x))
    keys = data.sortByKey(numPartitions=3).keys().collect()
    assert keys == sorted((x * 7919) % 200_003 for x in range(200_000))
