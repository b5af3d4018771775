"""CASE/IF/COALESCE/AND/OR evaluate a part only for the rows that reach it (ANSI errors in
branches no row takes are not raised). Expected rows recorded from PySpark 4.3.0."""
from __future__ import annotations

import pytest

from pyspk.errors import ArithmeticException


@pytest.fixture(scope="module")
def t(spark):
    spark.createDataFrame([(1, 0), (4, 2), (None, 0), (5, None)], "a int, b int") \
        .createOrReplaceTempView("lazy_t")


@pytest.mark.parametrize("query, rows", [
    ("SELECT CASE WHEN b = 0 THEN NULL ELSE a / b END FROM lazy_t", [None, 2.0, None, None]),
    ("SELECT IF(b = 0, -1, a div b) FROM lazy_t", [-1, 2, -1, None]),
    ("SELECT b <> 0 AND a / b > 1 FROM lazy_t", [False, True, False, None]),
    ("SELECT b = 0 OR a / b > 1 FROM lazy_t", [True, True, True, None]),
    ("SELECT CASE WHEN b = 0 THEN 'z' WHEN a / b > 1 THEN 'big' ELSE 'small' END FROM lazy_t",
     ["z", "big", "z", "small"]),
    ("SELECT CAST(CASE WHEN a = 1 THEN 'x' ELSE '7' END AS INT) FROM lazy_t WHERE a <> 1", [7, 7]),
    ("SELECT count(*) FROM lazy_t WHERE b <> 0 AND a / b >= 2", [1]),
])
def test_untaken_branches_raise_nothing(spark, t, query, rows):
    assert [r[0] for r in spark.sql(query).collect()] == rows


@pytest.mark.parametrize("query", [
    "SELECT coalesce(a, 10 / b) FROM lazy_t",
    "SELECT CASE WHEN a > 100 THEN 1 ELSE a / b END FROM lazy_t",
])
def test_taken_branches_still_raise(spark, t, query):
    with pytest.raises(ArithmeticException) as e:
        spark.sql(query).collect()
    assert e.value.getErrorClass() == "DIVIDE_BY_ZERO"


def test_sql_sort_array_and_array_sort_are_different_functions(spark):
    # sqlglot reads both as ArraySort; Spark's names and NULL placement (recorded from PySpark 4.3).
    df = spark.sql("SELECT sort_array(array(3, 1, NULL, 2)), array_sort(array(3, 1, NULL, 2)), "
                   "sort_array(array(3, 1, NULL, 2), false)")
    assert df.columns[0] == "sort_array(array(3, 1, NULL, 2), true)"
    assert df.columns[2] == "sort_array(array(3, 1, NULL, 2), false)"
    assert tuple(df.collect()[0]) == ([None, 1, 2, 3], [1, 2, 3, None], [3, 2, 1, None])


def test_array_sort_with_a_comparator(spark):
    from pyspk.errors import SparkRuntimeException
    from pyspk.sql import functions as F
    # Results recorded from PySpark 4.3 (consistent comparators; an inconsistent one, e.g. one
    # calling NULL equal to everything, is order-dependent in Spark's TimSort too).
    assert spark.sql("SELECT array_sort(array('bc', 'a', 'ddd'), (l, r) -> length(l) - length(r))"
                     ).collect()[0][0] == ["a", "bc", "ddd"]
    assert spark.sql("SELECT array_sort(array(3, 1, 2), (l, r) -> CASE WHEN l < r THEN 1 "
                     "WHEN l > r THEN -1 ELSE 0 END)").collect()[0][0] == [3, 2, 1]
    df = spark.createDataFrame([([2, 1, 3],), ([],), (None,), ([5, 5, 4],)], "a array<int>")
    got = df.select(F.array_sort("a", lambda x, y: (y - x).cast("int"))).collect()
    assert [r[0] for r in got] == [[3, 2, 1], [], None, [5, 5, 4]]
    with pytest.raises(SparkRuntimeException) as e:
        spark.sql("SELECT array_sort(array(3, 1, 2), (l, r) -> CAST(NULL AS INT))").collect()
    assert e.value.getErrorClass() == "COMPARATOR_RETURNS_NULL"
