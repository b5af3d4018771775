"""make_interval / try_make_interval: CalendarInterval values printed as Spark prints them
(recorded from PySpark 4.3), and struct literals with nested arrays stay hashable after folding."""
from __future__ import annotations

from pyspk.sql import functions as F


def test_make_interval_show(spark):
    df = spark.createDataFrame([[100, 11, 1, 1, 12, 30, 1.001001]],
                               ["year", "month", "week", "day", "hour", "min", "sec"])
    out = df.select(F.make_interval(df.year, df.month, "week", df.day, df.hour)) \
        ._show_string(truncate=False)
    assert out.splitlines()[1] == "|make_interval(year, month, week, day, hour, 0, 0)|"
    assert out.splitlines()[3] == "|100 years 11 months 8 days 12 hours              |"
    full = df.select(F.try_make_interval("year", "month", "week", "day", "hour", "min", "sec")
                     .alias("i"))._show_string(truncate=False)
    assert "100 years 11 months 8 days 12 hours 30 minutes 1.001001 seconds" in full
    zero = spark.sql("SELECT make_interval(0, 0, 0, 0, 0, 0, 0) AS i")._show_string()
    assert "0 seconds" in zero


def test_folded_struct_with_array_is_hashable(spark):
    df = spark.sql("SELECT NAMED_STRUCT('a', 1, 'c', ARRAY(NAMED_STRUCT('c', 3, 'd', 4), "
                   "NAMED_STRUCT('c', 5, 'd', 6))) AS s")
    assert [tuple(r) for r in df.select(F.inline("s.c")).collect()] == [(3, 4), (5, 6)]
