from __future__ import annotations

import datetime
import decimal

import pytest

import pyspk.sql.functions as F
from pyspk.errors import AnalysisException
from pyspk.sql import Row, Window
from pyspk.sql import types as T


@pytest.fixture(scope="module")
def people(spark):
    return spark.createDataFrame([(1, "Alice", 30, 2.5), (2, "Bob", None, 1.5), (3, "Carol", 25, None)],
                                 ["id", "name", "age", "score"])


def test_create_and_schema(spark, people):
    assert people.columns == ["id", "name", "age", "score"]
    assert people.dtypes == [("id", "bigint"), ("name", "string"), ("age", "bigint"), ("score", "double")]
    df = spark.createDataFrame([Row(a=1, b="x")])
    assert df.collect() == [Row(a=1, b="x")]
    ddl = spark.createDataFrame([(1, "a")], "x INT, y STRING")
    assert ddl.schema["x"].dataType == T.IntegerType()


def test_select_filter_with_column(people):
    out = people.filter(F.col("age") > 26).select("name", (F.col("age") + 1).alias("next")).collect()
    assert out == [Row(name="Alice", next=31)]
    assert people.withColumn("k", F.lit(1)).columns[-1] == "k"
    assert people.withColumnRenamed("name", "n").columns[1] == "n"
    assert people.drop("score").columns == ["id", "name", "age"]


def test_auto_column_names(people):
    assert people.select(F.col("id") + 1, F.upper("name")).columns == ["(id + 1)", "upper(name)"]
    with pytest.raises(AnalysisException):
        people.select("id", F.count("*"))
    assert people.groupBy().agg(F.count("*")).columns == ["count(1)"]


def test_group_by_aggregates(spark):
    df = spark.createDataFrame([("a", 1), ("a", 2), ("b", 5)], ["k", "v"])
    rows = df.groupBy("k").agg(F.sum("v").alias("s"), F.avg("v"), F.max("v")).orderBy("k").collect()
    assert rows == [Row(k="a", s=3, **{"avg(v)": 1.5, "max(v)": 2}), Row(k="b", s=5, **{"avg(v)": 5.0, "max(v)": 5})]
    assert df.groupBy("k").count().orderBy("k").collect()[1]["count"] == 1


def test_joins(spark):
    a = spark.createDataFrame([(1, "x"), (2, "y")], ["id", "a"])
    b = spark.createDataFrame([(1, "p"), (3, "q")], ["id", "b"])
    assert a.join(b, "id").collect() == [Row(id=1, a="x", b="p")]
    left = a.join(b, "id", "left").orderBy("id").collect()
    assert left == [Row(id=1, a="x", b="p"), Row(id=2, a="y", b=None)]
    full = a.join(b, "id", "full").orderBy("id").collect()
    assert [r.id for r in full] == [1, 2, 3]
    assert a.join(b, a.id == b.id, "left_anti").collect() == [Row(id=2, a="y")]
    assert a.crossJoin(b).count() == 4


def test_sort_nulls(people):
    names = [r.name for r in people.orderBy(F.col("age").asc_nulls_last()).collect()]
    assert names == ["Carol", "Alice", "Bob"]
    names = [r.name for r in people.orderBy(F.desc("age")).collect()]
    assert names == ["Alice", "Carol", "Bob"]


def test_set_operations(spark):
    a = spark.createDataFrame([(1,), (2,), (2,)], ["x"])
    b = spark.createDataFrame([(2,), (3,)], ["x"])
    assert sorted(r.x for r in a.union(b).collect()) == [1, 2, 2, 2, 3]
    assert [r.x for r in a.intersect(b).collect()] == [2]
    assert [r.x for r in a.subtract(b).collect()] == [1]
    assert sorted(r.x for r in a.exceptAll(b).collect()) == [1, 2]
    assert a.distinct().count() == 2


def test_window_functions(spark):
    df = spark.createDataFrame([("a", 1), ("a", 3), ("b", 2), ("a", 2)], ["k", "v"])
    w = Window.partitionBy("k").orderBy("v")
    out = df.select("k", "v", F.row_number().over(w).alias("rn"), F.sum("v").over(w).alias("run"),
                    F.lag("v").over(w).alias("prev")).orderBy("k", "v").collect()
    assert [(r.rn, r.run, r.prev) for r in out] == [(1, 1, None), (2, 3, 1), (3, 6, 2), (1, 2, None)]


def test_explode_and_struct(spark):
    df = spark.createDataFrame([(1, [1, 2]), (2, [])], ["id", "xs"])
    assert [tuple(r) for r in df.select("id", F.explode("xs")).collect()] == [(1, 1), (1, 2)]
    s = df.select(F.struct("id", F.size("xs").alias("n")).alias("s")).collect()
    assert s[0].s == Row(id=1, n=2)


def test_types_round_trip(spark):
    row = (decimal.Decimal("1.25"), datetime.date(2020, 1, 2), datetime.datetime(2020, 1, 2, 3, 4, 5), True)
    df = spark.createDataFrame([row], "d decimal(5,2), dt date, ts timestamp, b boolean")
    assert df.collect()[0] == Row(d=decimal.Decimal("1.25"), dt=datetime.date(2020, 1, 2),
                                  ts=datetime.datetime(2020, 1, 2, 3, 4, 5), b=True)


def test_unresolved_column_error(people):
    with pytest.raises(AnalysisException) as info:
        people.select("nme")
    assert info.value.getErrorClass() == "UNRESOLVED_COLUMN.WITH_SUGGESTION"
    assert "`name`" in str(info.value)


def test_to_pandas_and_arrow(people):
    pdf = people.toPandas()
    assert list(pdf.columns) == ["id", "name", "age", "score"]
    assert people.toArrow().num_rows == 3


def test_na_functions(people):
    assert people.na.drop().count() == 1
    filled = people.na.fill(0).orderBy("id").collect()
    assert filled[1].age == 0 and filled[2].score == 0.0
