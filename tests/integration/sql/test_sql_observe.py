"""DataFrame.observe with Observation, in the driver and in distributed tasks.

Expected metrics and errors recorded from PySpark 4.3.0."""
from __future__ import annotations

import pytest

from pyspk.errors import AnalysisException, PySparkAssertionError, PySparkValueError
from pyspk.sql import Observation, SparkSession
from pyspk.sql import functions as F


@pytest.fixture(scope="module", params=["false", "true"], ids=["driver", "distributed"])
def spark(request):
    session = SparkSession.builder.master("local[2]").appName("observe").getOrCreate()
    session.conf.set("spark.pyspk.sql.distributed", request.param)
    yield session
    session.conf.unset("spark.pyspk.sql.distributed")


def test_metrics_see_every_row_reaching_the_observation(spark):
    obs = Observation("my")
    observed = spark.range(10).observe(obs, F.count(F.lit(1)).alias("rows"), F.max("id").alias("mx"),
                                       F.sum(F.col("id") * 2))
    assert observed.where("id > 3").count() == 6
    assert obs.get == {"rows": 10, "mx": 9, "sum((id * 2))": 90}


def test_metrics_over_partitions_and_a_shuffle(spark):
    obs = Observation()
    spark.range(0, 1000, 1, 4).observe(obs, F.avg("id").alias("a"), F.min("id").alias("lo")) \
        .groupBy((F.col("id") % 3).alias("m")).count().collect()
    assert obs.get == {"a": 499.5, "lo": 0}


def test_observe_errors(spark):
    df = spark.range(3)
    with pytest.raises(PySparkValueError) as e:
        df.observe(Observation("x"))
    assert e.value.getErrorClass() == "CANNOT_BE_EMPTY"
    with pytest.raises(AnalysisException) as e:
        df.observe(Observation("y"), F.col("id"))
    assert e.value.getErrorClass() == "INVALID_OBSERVED_METRICS.NON_AGGREGATE_FUNC_ARG_IS_ATTRIBUTE"
    used = Observation("z")
    df.observe(used, F.count("id"))
    with pytest.raises(PySparkAssertionError) as e:
        df.observe(used, F.count("id"))
    assert e.value.getErrorClass() == "REUSE_OBSERVATION"
    assert df.observe("named", F.count(F.lit(1)).alias("c")).collect()[0].id == 0
