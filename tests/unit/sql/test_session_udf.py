from __future__ import annotations

import pytest

import pyspk.sql.functions as F
from pyspk.errors import AnalysisException
from pyspk.sql import Row, SparkSession
from pyspk.sql import types as T


def test_builder_returns_the_active_session(spark):
    assert SparkSession.builder.getOrCreate() is spark
    assert SparkSession.getActiveSession() is spark
    assert spark.sparkContext is not None


def test_runtime_conf(spark):
    spark.conf.set("spark.sql.shuffle.partitions", 4)
    assert spark.conf.get("spark.sql.shuffle.partitions") == "4"
    assert spark.conf.get("spark.sql.ansi.enabled") == "true"
    assert spark.conf.get("missing.key", "d") == "d"
    with pytest.raises(Exception) as info:
        spark.conf.get("missing.key")
    assert "SQL_CONF_NOT_FOUND" in str(info.value)


def test_python_udf_and_registration(spark):
    plus = F.udf(lambda x: x + 1, T.LongType())
    df = spark.range(3)
    assert [r[0] for r in df.select(plus("id")).collect()] == [1, 2, 3]
    spark.udf.register("twice", lambda x: x * 2, T.LongType())
    assert spark.sql("SELECT twice(21) AS v").collect() == [Row(v=42)]


def test_pandas_udf_and_map_in_pandas(spark):
    @F.pandas_udf("double")
    def half(s):
        return s / 2

    df = spark.createDataFrame([(1,), (4,)], ["x"])
    assert [r[0] for r in df.select(half("x")).collect()] == [0.5, 2.0]

    def keep_big(batches):
        for pdf in batches:
            yield pdf[pdf.x > 1]

    assert df.mapInPandas(keep_big, "x long").collect() == [Row(x=4)]
    grouped = df.groupBy("x").applyInPandas(lambda pdf: pdf.assign(x=pdf.x * 10), "x long")
    assert sorted(r.x for r in grouped.collect()) == [10, 40]


def test_temp_and_global_views(spark):
    spark.range(2).createOrReplaceTempView("r2")
    assert spark.table("r2").count() == 2
    spark.range(3).createOrReplaceGlobalTempView("g3")
    assert spark.sql("SELECT count(*) AS c FROM global_temp.g3").collect() == [Row(c=3)]
    assert "r2" in [t.name for t in spark.catalog.listTables()]
    assert spark.catalog.dropTempView("r2")
    with pytest.raises(AnalysisException):
        spark.table("r2")


def test_cache_keeps_results(spark):
    # UDFs run in executors (as in Spark): count their calls with an accumulator.
    calls = spark.sparkContext.accumulator(0)

    def tracked(x):
        calls.add(1)
        return x

    df = spark.range(3).select(F.udf(tracked, T.LongType())("id").alias("v")).cache()
    df.count()
    df.count()
    assert calls.value == 3


def test_dataframes_over_rdds(spark):
    rdd = spark.sparkContext.parallelize([(i, f"k{i % 3}") for i in range(10)], 3)
    df = spark.createDataFrame(rdd, ["id", "k"])
    assert df.dtypes == [("id", "bigint"), ("k", "string")]
    assert df.groupBy("k").count().orderBy("k").collect()[0] == Row(k="k0", count=4)
    assert rdd.toDF(["x", "y"]).where("x > 7").count() == 2
    assert sorted(r.id for r in df.rdd.collect()) == list(range(10))
