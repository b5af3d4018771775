"""Event-time windows (window, session_window, window_time) against values recorded from
PySpark 4.3 (session time zone UTC). The PySpark calls are the ones written in each test."""
from __future__ import annotations

import datetime as dt

import pytest

from pyspk.errors import AnalysisException
from pyspk.sql import SparkSession
from pyspk.sql import functions as F


def T(*a: int) -> dt.datetime:
    return dt.datetime(*a)


@pytest.fixture(scope="module")
def spark() -> SparkSession:
    s = SparkSession.builder.master("local[2]").getOrCreate()
    s.conf.set("spark.sql.session.timeZone", "UTC")
    return s


@pytest.fixture(scope="module")
def df(spark):
    return spark.createDataFrame(
        [(T(2016, 3, 11, 9, 0, 7), 1), (T(2016, 3, 11, 9, 0, 2), 2), (None, 3),
         (T(1969, 12, 31, 23, 59, 55), 4)], "ts timestamp, v int")


def _pairs(rows, field="window"):
    return [((r[field].start, r[field].end), r.v) for r in rows]


def test_tumbling_window_drops_null_times(df) -> None:
    # df.select(F.window("ts", "5 seconds"), "v")
    out = df.select(F.window("ts", "5 seconds"), "v")
    assert out.columns == ["window", "v"]
    assert out.schema.simpleString() == "struct<window:struct<start:timestamp,end:timestamp>,v:int>"
    assert _pairs(out.collect()) == [
        ((T(2016, 3, 11, 9, 0, 5), T(2016, 3, 11, 9, 0, 10)), 1),
        ((T(2016, 3, 11, 9, 0), T(2016, 3, 11, 9, 0, 5)), 2),
        ((T(1969, 12, 31, 23, 59, 55), T(1970, 1, 1)), 4)]


def test_sliding_window_expands_rows_latest_first(df) -> None:
    # df.select(F.window("ts", "10 seconds", "4 seconds"), "v")
    got = _pairs(df.select(F.window("ts", "10 seconds", "4 seconds"), "v").collect())
    assert got == [
        ((T(2016, 3, 11, 9, 0, 4), T(2016, 3, 11, 9, 0, 14)), 1),
        ((T(2016, 3, 11, 9, 0), T(2016, 3, 11, 9, 0, 10)), 1),
        ((T(2016, 3, 11, 9, 0), T(2016, 3, 11, 9, 0, 10)), 2),
        ((T(2016, 3, 11, 8, 59, 56), T(2016, 3, 11, 9, 0, 6)), 2),
        ((T(1969, 12, 31, 23, 59, 52), T(1970, 1, 1, 0, 0, 2)), 4),
        ((T(1969, 12, 31, 23, 59, 48), T(1969, 12, 31, 23, 59, 58)), 4)]


def test_sliding_window_with_start_time(df) -> None:
    # df.select(F.window("ts", "10 seconds", "5 seconds", "2 seconds").alias("w"), "v")
    out = df.select(F.window("ts", "10 seconds", "5 seconds", "2 seconds").alias("w"), "v")
    assert out.columns == ["w", "v"]
    assert _pairs(out.collect(), "w") == [
        ((T(2016, 3, 11, 9, 0, 7), T(2016, 3, 11, 9, 0, 17)), 1),
        ((T(2016, 3, 11, 9, 0, 2), T(2016, 3, 11, 9, 0, 12)), 1),
        ((T(2016, 3, 11, 9, 0, 2), T(2016, 3, 11, 9, 0, 12)), 2),
        ((T(2016, 3, 11, 8, 59, 57), T(2016, 3, 11, 9, 0, 7)), 2),
        ((T(1969, 12, 31, 23, 59, 52), T(1970, 1, 1, 0, 0, 2)), 4),
        ((T(1969, 12, 31, 23, 59, 47), T(1969, 12, 31, 23, 59, 57)), 4)]


def test_day_and_week_windows(df) -> None:
    # df.select(F.window("ts", "1 day")); df.select(F.window("ts", "1 week", "1 day", "12 hours"))
    days = [r.window for r in df.select(F.window("ts", "1 day")).collect()]
    assert [(w.start, w.end) for w in days] == [(T(2016, 3, 11), T(2016, 3, 12))] * 2 + [
        (T(1969, 12, 31), T(1970, 1, 1))]
    weeks = [r.window for r in df.select(F.window("ts", "1 week", "1 day", "12 hours")).limit(3).collect()]
    assert [(w.start, w.end) for w in weeks] == [(T(2016, 3, 10, 12), T(2016, 3, 17, 12)),
                                                 (T(2016, 3, 9, 12), T(2016, 3, 16, 12)),
                                                 (T(2016, 3, 8, 12), T(2016, 3, 15, 12))]


def test_group_by_window_and_window_time(df) -> None:
    # df.groupBy(F.window("ts", "5 seconds")).agg(F.sum("v").alias("s"))
    agg = df.groupBy(F.window("ts", "5 seconds")).agg(F.sum("v").alias("s"))
    rows = agg.orderBy("window").collect()
    assert [((r.window.start, r.window.end), r.s) for r in rows] == [
        ((T(1969, 12, 31, 23, 59, 55), T(1970, 1, 1)), 4),
        ((T(2016, 3, 11, 9, 0), T(2016, 3, 11, 9, 0, 5)), 2),
        ((T(2016, 3, 11, 9, 0, 5), T(2016, 3, 11, 9, 0, 10)), 1)]
    # w.select(F.window_time("window"), "s").orderBy("s")
    wt = agg.select(F.window_time("window"), "s").orderBy("s")
    assert wt.columns == ["window_time(window)", "s"]
    assert [r[0] for r in wt.collect()] == [T(2016, 3, 11, 9, 0, 9, 999999),
                                           T(2016, 3, 11, 9, 0, 4, 999999),
                                           T(1969, 12, 31, 23, 59, 59, 999999)]


def test_window_in_sql(spark) -> None:
    # spark.sql("select window(ts, '10 seconds', '5 seconds').start as s from values (...) as t(ts)")
    q = ("select window(ts, '10 seconds', '5 seconds').start as s "
         "from values (timestamp'2016-03-11 09:00:07') as t(ts)")
    assert [r.s for r in spark.sql(q).collect()] == [T(2016, 3, 11, 9, 0, 5), T(2016, 3, 11, 9, 0)]
    q = ("select count(*) as n, window(ts, '5 seconds') from values "
         "(timestamp'2016-03-11 09:00:07'), (timestamp'2016-03-11 09:00:08') as t(ts) "
         "group by window(ts, '5 seconds')")
    out = spark.sql(q)
    assert out.columns == ["n", "window"]
    r = out.collect()[0]
    assert (r.n, r.window.start, r.window.end) == (2, T(2016, 3, 11, 9, 0, 5), T(2016, 3, 11, 9, 0, 10))


def test_session_window_per_row_and_merged(spark, df) -> None:
    # df.select(F.session_window("ts", "5 seconds"), "v")
    out = df.select(F.session_window("ts", "5 seconds"), "v")
    assert out.columns == ["session_window", "v"]
    assert _pairs(out.collect(), "session_window") == [
        ((T(2016, 3, 11, 9, 0, 7), T(2016, 3, 11, 9, 0, 12)), 1),
        ((T(2016, 3, 11, 9, 0, 2), T(2016, 3, 11, 9, 0, 7)), 2),
        ((T(1969, 12, 31, 23, 59, 55), T(1970, 1, 1)), 4)]
    # df.groupBy(F.session_window("ts", "5 seconds")).agg(F.sum("v")).orderBy("session_window")
    rows = df.groupBy(F.session_window("ts", "5 seconds")).agg(F.sum("v")).orderBy(
        "session_window").collect()
    assert [((r[0].start, r[0].end), r[1]) for r in rows] == [
        ((T(1969, 12, 31, 23, 59, 55), T(1970, 1, 1)), 4),
        ((T(2016, 3, 11, 9, 0, 2), T(2016, 3, 11, 9, 0, 12)), 3)]


def test_session_window_per_key_and_touching_sessions(spark) -> None:
    d2 = spark.createDataFrame([("a", T(2020, 1, 1, 0, 0, 0)), ("a", T(2020, 1, 1, 0, 0, 3)),
                                ("a", T(2020, 1, 1, 0, 0, 10)), ("b", T(2020, 1, 1, 0, 0, 4))],
                               "k string, ts timestamp")
    # d2.groupBy("k", F.session_window("ts", "5 seconds")).agg(F.count("*").alias("n"))
    rows = d2.groupBy("k", F.session_window("ts", "5 seconds")).agg(F.count("*").alias("n")) \
        .orderBy("k", "session_window").collect()
    assert [(r.k, r.session_window.start, r.session_window.end, r.n) for r in rows] == [
        ("a", T(2020, 1, 1), T(2020, 1, 1, 0, 0, 8), 2),
        ("a", T(2020, 1, 1, 0, 0, 10), T(2020, 1, 1, 0, 0, 15), 1),
        ("b", T(2020, 1, 1, 0, 0, 4), T(2020, 1, 1, 0, 0, 9), 1)]
    rows = d2.groupBy(F.session_window("ts", "5 seconds")).agg(F.count("*").alias("n")) \
        .orderBy("session_window").collect()
    assert [(r[0].start, r[0].end, r.n) for r in rows] == [
        (T(2020, 1, 1), T(2020, 1, 1, 0, 0, 9), 3), (T(2020, 1, 1, 0, 0, 10), T(2020, 1, 1, 0, 0, 15), 1)]
    # a row starting exactly at the previous session's end joins it (0s, 5s, 11s; gap 5s)
    d3 = spark.createDataFrame([(T(2020, 1, 1, 0, 0, 0),), (T(2020, 1, 1, 0, 0, 5),),
                                (T(2020, 1, 1, 0, 0, 11),)], "ts timestamp")
    out = d3.groupBy(F.session_window("ts", "5 seconds")).count().orderBy("session_window")
    assert out.columns == ["session_window", "count"]
    assert [(r[0].start, r[0].end, r[1]) for r in out.collect()] == [
        (T(2020, 1, 1), T(2020, 1, 1, 0, 0, 10), 2), (T(2020, 1, 1, 0, 0, 11), T(2020, 1, 1, 0, 0, 16), 1)]


@pytest.mark.parametrize("make, match", [
    (lambda df: df.select(F.window("ts", "5 seconds", "10 seconds")), "PARAMETER_CONSTRAINT"),
    (lambda df: df.select(F.window("v", "5 seconds")), "UNEXPECTED_INPUT_TYPE"),
    (lambda df: df.select(F.window("ts", "5 seconds", "5 seconds", "6 seconds")), "PARAMETER_CONSTRAINT"),
    (lambda df: df.select(F.window("ts", "5 seconds"), F.window("ts", "6 seconds")),
     "Multiple time/session window expressions"),
    (lambda df: df.select(F.window("ts", "5 parsecs")), "INVALID_INTERVAL_FORMAT"),
])
def test_window_errors(df, make, match) -> None:
    with pytest.raises(AnalysisException, match=match):
        make(df).collect()


def test_string_times_and_non_nullable_window_struct(spark) -> None:
    # df = spark.createDataFrame([('2016-03-11 09:00:07', 1)], ['dt', 'v'])
    # df.groupBy(sf.session_window('dt', '5 seconds')).agg(sf.sum('v')).printSchema()
    d = spark.createDataFrame([("2016-03-11 09:00:07", 1)], ["dt", "v"])
    for fn, name in ((F.session_window, "session_window"), (F.window, "window")):
        out = d.groupBy(fn("dt", "5 seconds")).agg(F.sum("v"))
        field = out.schema.fields[0]
        assert (field.name, field.nullable) == (name, False)
    r = d.groupBy(F.session_window("dt", "5 seconds")).agg(F.sum("v")).collect()[0]
    assert (r[0].start, r[0].end, r[1]) == (T(2016, 3, 11, 9, 0, 7), T(2016, 3, 11, 9, 0, 12), 1)
