"""Spark 4 semantics recorded from PySpark 4.3.0: ANSI overflow/division/cast errors, NULL rules,
integer division, decimal results and rounding, and datetime functions under non-UTC session
time zones (around DST changes), with ANSI on and off."""
from __future__ import annotations

import datetime  # noqa: F401  (the recorded reprs name datetime values)
import decimal  # noqa: F401

import pytest

from pyspk.errors import PySparkException
from spark4_semantics_expected import EXPECTED


@pytest.mark.parametrize("name,conf,sql,expected", EXPECTED, ids=[e[0] for e in EXPECTED])
def test_same_result_as_pyspark(spark, monkeypatch, name, conf, sql, expected):
    monkeypatch.setenv("TZ", "UTC")
    for k, v in conf.items():
        spark.conf.set(k, v)
    try:
        kind, want = expected
        if kind == "error":
            with pytest.raises(PySparkException) as info:
                spark.sql(sql).collect()
            assert info.value.getCondition() == want
        else:
            assert repr([tuple(r) for r in spark.sql(sql).collect()]) == want
    finally:
        for k in conf:
            spark.conf.unset(k)


def test_show_prints_session_wall_clock(spark, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
    try:
        df = spark.sql("SELECT timestamp'2024-03-10 02:30:00' AS t")
        assert df.collect()[0][0] == datetime.datetime(2024, 3, 10, 10, 30)
        assert df._show_string() == ("+-------------------+\n|                  t|\n"
                                     "+-------------------+\n|2024-03-10 03:30:00|\n"
                                     "+-------------------+\n")
    finally:
        spark.conf.unset("spark.sql.session.timeZone")


def test_dataframe_api_uses_session_zone(spark, monkeypatch):
    from pyspk.sql import functions as F
    monkeypatch.setenv("TZ", "UTC")
    spark.conf.set("spark.sql.session.timeZone", "Asia/Kolkata")
    try:
        df = spark.createDataFrame([(datetime.datetime(2024, 1, 1, 0, 0),)], ["t"])
        row = df.select(F.hour("t"), F.date_format("t", "yyyy-MM-dd HH:mm"),
                        F.unix_timestamp("t"), F.from_unixtime(F.lit(0))).first()
        assert tuple(row) == (5, "2024-01-01 05:30", 1704067200, "1970-01-01 05:30:00")
    finally:
        spark.conf.unset("spark.sql.session.timeZone")
