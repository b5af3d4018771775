"""DataSketches functions: estimates and merges checked against exact answers on small inputs
(where the sketches are exact), and Spark's default arguments in column names."""
from __future__ import annotations

import pytest

from pyspk.sql import functions as F


@pytest.fixture(scope="module")
def nums(spark):
    return spark.createDataFrame([(i % 7, float(i)) for i in range(50)], ["k", "v"])


def test_hll_and_theta_count_distinct(nums):
    row = nums.agg(F.hll_sketch_estimate(F.hll_sketch_agg("k")),
                   F.theta_sketch_estimate(F.theta_sketch_agg("k", 15))).first()
    assert tuple(row) == (7, 7)
    assert nums.agg(F.hll_sketch_estimate(F.hll_sketch_agg("k"))).columns == [
        "hll_sketch_estimate(hll_sketch_agg(k, 12))"]


def test_set_operations_on_sketches(spark):
    a = spark.createDataFrame([(i,) for i in range(0, 10)], ["x"]).agg(F.theta_sketch_agg("x").alias("s"))
    b = spark.createDataFrame([(i,) for i in range(5, 20)], ["x"]).agg(F.theta_sketch_agg("x").alias("s"))
    pair = a.select(F.col("s").alias("a")).crossJoin(b.select(F.col("s").alias("b")))
    row = pair.select(F.theta_sketch_estimate(F.theta_union("a", "b")),
                      F.theta_sketch_estimate(F.theta_intersection("a", "b")),
                      F.theta_sketch_estimate(F.theta_difference("a", "b"))).first()
    assert tuple(row) == (20, 5, 5)
    both = a.union(b)
    assert both.agg(F.theta_sketch_estimate(F.theta_union_agg("s"))).first()[0] == 20
    assert both.agg(F.theta_sketch_estimate(F.theta_intersection_agg("s"))).first()[0] == 5
    h = spark.createDataFrame([(i,) for i in range(30)], ["x"]).agg(F.hll_sketch_agg("x").alias("s"))
    assert h.union(h).agg(F.hll_sketch_estimate(F.hll_union_agg("s"))).first()[0] == 30


def test_kll_quantiles_and_ranks(spark):
    df = spark.createDataFrame([(float(i),) for i in range(1, 6)], ["v"])
    s = df.agg(F.kll_sketch_agg_double("v").alias("s"))
    row = s.select(F.kll_sketch_get_quantile_double("s", F.lit(0.5)),
                   F.kll_sketch_get_rank_double("s", F.lit(3.0)),
                   F.kll_sketch_get_n_double("s")).first()
    assert tuple(row) == (3.0, 0.6, 5)
    merged = s.select(F.kll_sketch_merge_double("s", "s").alias("m"))
    assert merged.select(F.kll_sketch_get_n_double("m")).first()[0] == 10


def test_tuple_sketch_summaries(spark):
    df = spark.createDataFrame([(1, 10), (2, 20), (2, 30)], ["key", "value"])
    agg = df.agg(F.tuple_sketch_agg_integer("key", "value").alias("s"))
    row = agg.select(F.tuple_sketch_estimate_integer("s"), F.tuple_sketch_summary_integer("s"),
                     F.tuple_sketch_summary_integer("s", "max")).first()
    assert tuple(row) == (2.0, 60, 50)
    mx = df.agg(F.tuple_sketch_agg_integer("key", "value", 12, "max").alias("s"))
    assert mx.select(F.tuple_sketch_summary_integer("s")).first()[0] == 40
    assert agg.select(F.tuple_sketch_summary_integer("s")).columns == [
        "tuple_sketch_summary_integer(s, sum)"]
