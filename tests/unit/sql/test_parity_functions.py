"""Parity of pyspk.sql.functions with PySpark: column-valued patterns, maps, assertions, calls."""
from __future__ import annotations

import pytest

from pyspk.errors.captured import SparkRuntimeException
from pyspk.sql import SparkSession
from pyspk.sql import functions as sf


@pytest.fixture(scope="module")
def spark() -> SparkSession:
    return SparkSession.builder.master("local[2]").getOrCreate()


def test_pattern_from_column_runs_per_row(spark: SparkSession) -> None:
    df = spark.createDataFrame([("1a 2b", r"\d"), ("xy", r"\d"), ("a-b", "-"), (None, "x")],
                               ["s", "p"])
    got = df.select(sf.regexp_like("s", "p").alias("m"), sf.regexp_replace("s", sf.col("p"), sf.lit("_"))
                    .alias("r"), sf.split("s", sf.col("p")).alias("sp")).collect()
    assert [r.m for r in got] == [True, False, True, None]
    assert [r.r for r in got] == ["_a _b", "xy", "a_b", None]
    assert got[2].sp == ["a", "b"]


def test_regexp_names(spark: SparkSession) -> None:
    df = spark.createDataFrame([("a", "a")], ["s", "p"])
    assert df.select(sf.regexp("s", "p"), sf.regexp_like("s", "p")).columns == [
        "REGEXP(s, p)", "REGEXP_LIKE(s, p)"]


def test_map_keys_and_values(spark: SparkSession) -> None:
    df = spark.sql("SELECT map(1, 'a', 2, 'b') AS m UNION ALL SELECT NULL")
    rows = df.select(sf.map_keys("m").alias("k"), sf.map_values("m").alias("v")).collect()
    assert [(r.k, r.v) for r in rows] == [([1, 2], ["a", "b"]), (None, None)]


def test_assert_true_and_raise_error(spark: SparkSession) -> None:
    df = spark.createDataFrame([(0, 1)], ["a", "b"])
    out = df.select(sf.assert_true(df.a < df.b))
    assert out.columns == ["assert_true((a < b), '(a < b)' is not true!)"]
    assert out.collect()[0][0] is None
    with pytest.raises(SparkRuntimeException, match="USER_RAISED_EXCEPTION"):
        df.select(sf.assert_true(df.a > df.b, "bad")).collect()
    with pytest.raises(SparkRuntimeException, match="boom"):
        df.select(sf.raise_error("boom")).collect()


def test_call_function_btrim_every(spark: SparkSession) -> None:
    df = spark.createDataFrame([("SSparkSQLS", "SL")], ["a", "b"])
    assert df.select(sf.btrim(df.a, df.b)).collect()[0][0] == "parkSQ"
    assert df.select(sf.call_function("upper", "a")).collect()[0][0] == "SSPARKSQLS"
    assert df.select(sf.every(sf.lit(True))).columns == ["every(true)"]
    assert df.select(sf.hex("b")).collect()[0][0] == "534C"


def test_omitted_arguments_take_spark_defaults(spark: SparkSession) -> None:
    df = spark.createDataFrame([("Spark SQL", "SQL")], ["a", "b"])
    out = df.select(sf.substr("a", sf.lit(7)), sf.locate("SQL", "a"), sf.make_ym_interval())
    assert out.columns == ["substr(a, 7, 2147483647)", "locate(SQL, a, 1)", "make_ym_interval(0, 0)"]
    assert out.collect()[0][:2] == ("SQL", 7)
    sql = spark.sql("SELECT overlay('abcdef', 'XY', 2), str_to_map('a:1,b:2')")
    assert sql.columns == ["overlay(abcdef, XY, 2, -1)", "str_to_map(a:1,b:2, ,, :)"]
    assert sql.collect()[0][0] == "aXYdef"


def test_hash_and_names(spark: SparkSession) -> None:
    df = spark.createDataFrame([("ABC",)], ["s"])
    assert df.select(sf.hash("s")).collect()[0][0] == spark.sql("SELECT hash('ABC')").collect()[0][0]
    assert spark.range(1).select(sf.csc("id"), sf.sec("id")).columns == ["CSC(id)", "SEC(id)"]


def test_trim_sign_positive_power_names(spark: SparkSession) -> None:
    df = spark.range(1)
    cols = df.select(sf.trim(sf.lit("*a*"), sf.lit("*")), sf.ltrim(sf.lit("xa"), sf.lit("x")),
                     sf.sign(sf.lit(-5)), sf.signum(sf.lit(2)), sf.positive("id"),
                     sf.pow("id", 2)).columns
    assert cols == ["TRIM(BOTH * FROM *a*)", "TRIM(LEADING x FROM xa)", "sign(-5)", "SIGNUM(2)",
                    "(+ id)", "POWER(id, 2)"]


def test_trim_characters_from_column_and_std_name(spark: SparkSession) -> None:
    df = spark.createDataFrame([("**Spark*", "*")], ["value", "t"])
    assert df.select(sf.ltrim("value", "t")).collect()[0][0] == "Spark*"
    assert spark.range(3).select(sf.std("id")).columns == ["std(id)"]


def test_nvl_family_keeps_names(spark: SparkSession) -> None:
    df = spark.createDataFrame([(None, 8, 6), (1, 9, 9)], "a int, b int, c int")
    out = df.select(sf.nvl(df.a, df.b), sf.ifnull("a", sf.lit(7)), sf.nvl2(df.a, df.b, df.c))
    assert out.columns == ["nvl(a, b)", "ifnull(a, 7)", "nvl2(a, b, c)"]
    assert [tuple(r) for r in out.collect()] == [(8, 7, 6), (1, 1, 9)]


def test_reverse_arrays_and_strings(spark: SparkSession) -> None:
    df = spark.createDataFrame([([2, 1, 3], "abc"), (None, None)], ["a", "s"])
    rows = df.select(sf.reverse("a"), sf.reverse("s")).collect()
    assert [tuple(r) for r in rows] == [([3, 1, 2], "cba"), (None, None)]
