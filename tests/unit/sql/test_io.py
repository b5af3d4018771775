from __future__ import annotations

import os

import pytest

import pyspk.sql.functions as F
from pyspk.errors import AnalysisException
from pyspk.sql import Row


@pytest.fixture(scope="module")
def df(spark):
    return spark.createDataFrame([(1, "a", 1.5), (2, "b", None), (3, "a", 2.5)], ["id", "k", "v"])


def test_parquet_round_trip_and_modes(spark, df, tmp_path):
    path = str(tmp_path / "p")
    df.write.parquet(path)
    assert os.path.exists(os.path.join(path, "_SUCCESS"))
    assert sorted(spark.read.parquet(path).collect()) == sorted(df.collect())
    with pytest.raises(AnalysisException) as info:
        df.write.parquet(path)
    assert info.value.getErrorClass() == "PATH_ALREADY_EXISTS"
    df.write.mode("append").parquet(path)
    assert spark.read.parquet(path).count() == 6
    df.write.mode("overwrite").parquet(path)
    assert spark.read.parquet(path).count() == 3
    df.write.mode("ignore").parquet(path)
    assert spark.read.parquet(path).count() == 3


def test_partition_by_and_discovery(spark, df, tmp_path):
    path = str(tmp_path / "part")
    df.write.partitionBy("k").parquet(path)
    assert sorted(n for n in os.listdir(path) if not n.startswith(".")) == ["_SUCCESS", "k=a", "k=b"]
    back = spark.read.parquet(path)
    assert set(back.columns) == {"id", "v", "k"}
    assert back.where(F.col("k") == "a").count() == 2


def test_csv_options(spark, df, tmp_path):
    path = str(tmp_path / "c")
    df.write.option("header", True).csv(path)
    raw = spark.read.option("header", True).csv(path)
    assert raw.dtypes == [("id", "string"), ("k", "string"), ("v", "string")]
    typed = spark.read.csv(path, header=True, inferSchema=True)
    assert typed.dtypes == [("id", "int"), ("k", "string"), ("v", "double")]
    given = spark.read.schema("id LONG, k STRING, v DOUBLE").option("header", "true").csv(path)
    assert sorted(given.collect()) == sorted(df.collect())


def test_json_and_text(spark, df, tmp_path):
    path = str(tmp_path / "j")
    df.write.json(path)
    back = spark.read.json(path)
    assert back.columns == ["id", "k", "v"]
    assert sorted(back.collect()) == sorted(df.collect())
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": 1}\nnot json\n')
    rows = spark.read.json(str(bad)).collect()
    assert rows == [Row(_corrupt_record=None, a=1), Row(_corrupt_record="not json", a=None)]
    assert spark.read.option("mode", "DROPMALFORMED").json(str(bad)).count() == 1
    text = tmp_path / "t.txt"
    text.write_text("x\ny\n")
    assert spark.read.text(str(text)).collect() == [Row(value="x"), Row(value="y")]


def test_missing_path(spark, tmp_path):
    with pytest.raises(AnalysisException) as info:
        spark.read.parquet(str(tmp_path / "nope"))
    assert info.value.getErrorClass() == "PATH_NOT_FOUND"
