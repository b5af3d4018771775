"""describe/summary as one aggregation and Spark 4's NULL for undefined sample statistics.

Expected values recorded from PySpark 4.3.0."""
from __future__ import annotations

import math

from pyspk.sql import Row
from pyspk.sql import functions as F


def test_sample_statistics_of_one_value_are_null(spark):
    df = spark.createDataFrame([(1.0,)], "v double")
    row = df.select(F.stddev("v"), F.variance("v"), F.stddev_pop("v"), F.skewness("v"),
                    F.kurtosis("v"), F.corr("v", "v"), F.covar_samp("v", "v")).collect()[0]
    assert tuple(row) == (None, None, 0.0, None, None, None, None)
    two = spark.createDataFrame([(1.0,), (1.0,)], "v double")
    assert tuple(two.select(F.stddev("v"), F.skewness("v"), F.corr("v", "v"),
                            F.covar_samp("v", "v")).collect()[0]) == (0.0, None, None, 0.0)


def test_summary_and_describe(spark):
    df = spark.createDataFrame([(1, "a", 2.0), (2, "b", None)], "id INT, s STRING, v DOUBLE")
    assert df.summary().collect() == [
        Row(summary="count", id="2", s="2", v="1"),
        Row(summary="mean", id="1.5", s=None, v="2.0"),
        Row(summary="stddev", id="0.7071067811865476", s=None, v=None),
        Row(summary="min", id="1", s="a", v="2.0"),
        Row(summary="25%", id="1", s=None, v="2.0"),
        Row(summary="50%", id="1", s=None, v="2.0"),
        Row(summary="75%", id="2", s=None, v="2.0"),
        Row(summary="max", id="2", s="b", v="2.0")]
    assert [r.summary for r in df.describe().collect()] == ["count", "mean", "stddev", "min", "max"]


def test_stat_corr_and_cov_read_null_as_zero(spark):
    df = spark.createDataFrame([(1, 2.0), (1, 4.0), (1, None), (3, 7.0)], "x int, y double")
    assert math.isclose(df.stat.corr("x", "y"), 0.8372183582789213)
    assert math.isclose(df.stat.cov("x", "y"), 2.5)
    const = spark.createDataFrame([(1, 1.0), (1, 2.0)], "x int, y double")
    assert math.isnan(const.stat.corr("x", "y")) and const.stat.cov("x", "y") == 0.0
