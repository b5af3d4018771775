from __future__ import annotations

import pytest

from pyspk.errors import AnalysisException, ParseException
from pyspk.sql import Row


@pytest.fixture(scope="module")
def t(spark):
    df = spark.createDataFrame([(1, "a", 10.0), (2, "b", 20.0), (3, "a", 30.0)], ["id", "k", "v"])
    df.createOrReplaceTempView("t")
    return df


def test_group_order(spark, t):
    rows = spark.sql("select k, sum(v) s, count(*) from t group by k order by k").collect()
    assert rows == [Row(k="a", s=40.0, **{"count(1)": 2}), Row(k="b", s=20.0, **{"count(1)": 1})]


def test_subqueries(spark, t):
    assert [r.id for r in spark.sql("select id from t where id in (select id from t where v > 15) order by id").collect()] == [2, 3]
    assert [r.id for r in spark.sql("select id from t a where exists (select 1 from t b where b.k = a.k and b.id <> a.id) order by id").collect()] == [1, 3]
    assert spark.sql("select max(v) - (select min(v) from t) d from t").collect() == [Row(d=20.0)]
    rows = spark.sql("select id from t a where v > (select avg(v) from t b where b.k = a.k)").collect()
    assert rows == [Row(id=3)]


def test_having_cte_union(spark, t):
    assert spark.sql("select k from t group by k having sum(v) > 25").collect() == [Row(k="a")]
    q = "with x as (select id from t where id < 3) select count(*) c from x a join x b on a.id = b.id"
    assert spark.sql(q).collect() == [Row(c=2)]
    assert spark.sql("select 1 as a union select 1 union all select 2").count() == 2


def test_literals_and_intervals(spark):
    row = spark.sql("select date '2020-01-31' + interval '1' month as d, 7 div 2 as q, 1/2 as h, "
                    "cast('12' as int) + 1 as c, 'x' || 'y' as s").collect()[0]
    assert str(row.d) == "2020-02-29" and row.q == 3 and row.h == 0.5 and row.c == 13 and row.s == "xy"


def test_decimal_arithmetic_types(spark):
    df = spark.sql("select cast(1.5 as decimal(15,2)) * (1 - cast(0.1 as decimal(15,2))) as x")
    assert df.schema["x"].dataType.simpleString() == "decimal(32,4)"


def test_parse_error(spark):
    with pytest.raises(ParseException) as info:
        spark.sql("selec 1 from")
    assert info.value.getErrorClass() == "PARSE_SYNTAX_ERROR"


def test_table_not_found(spark):
    with pytest.raises(AnalysisException) as info:
        spark.sql("select * from nope")
    assert info.value.getErrorClass() == "TABLE_OR_VIEW_NOT_FOUND"


def test_window_sql(spark, t):
    rows = spark.sql("select id, rank() over (partition by k order by v desc) r from t order by id").collect()
    assert [r.r for r in rows] == [2, 1, 1]


def test_ansi_divide_by_zero(spark):
    from pyspk.errors import ArithmeticException
    with pytest.raises(ArithmeticException):
        spark.sql("select 1 / 0").collect()


def test_hash_matches_spark_murmur3(spark):
    # Values printed by PySpark 4.3 for the same expressions.
    row = spark.sql("select hash(1), hash('abc'), hash('abcde'), hash(1.5D), hash(date '2020-01-01'), "
                    "hash(1, 'x', null), hash(cast(1.25 as decimal(5,2))), hash(array(1,2))").collect()[0]
    assert tuple(row) == (-559580957, 1322437556, 814637928, 1290763749, -725858435, -1305545736,
                          1910520950, -222940379)


def test_correlated_subqueries_in_select_and_dataframe_api(spark):
    import pyspk.sql.functions as F
    t1 = spark.createDataFrame([(0, 1), (1, 2)], ["c1", "c2"])
    t2 = spark.createDataFrame([(0, 3), (0, 4)], ["c1", "c2"])
    t1.createOrReplaceTempView("t1")
    t2.createOrReplaceTempView("t2")
    q = "select c1, (select max(c2) from t2 where t2.c1 = t1.c1) m from t1 order by c1"
    assert spark.sql(q).collect() == [Row(c1=0, m=4), Row(c1=1, m=None)]
    inner = t2.where(F.col("c1") == F.col("c1").outer())
    assert t1.where(inner.exists()).collect() == [Row(c1=0, c2=1)]
    m = inner.select(F.max("c2")).scalar().alias("m")
    assert t1.select("c1", m).orderBy("c1").collect() == [Row(c1=0, m=4), Row(c1=1, m=None)]
