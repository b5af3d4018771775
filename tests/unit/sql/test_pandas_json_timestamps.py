"""TIMESTAMPs through pandas and to_json in a non-UTC session time zone (process zone UTC).

Expected values recorded from PySpark 4.3.0 with spark.sql.session.timeZone=America/Los_Angeles."""
from __future__ import annotations

import datetime as dt
import decimal

import pandas as pd
import pytest

from pyspk.sql import functions as F


@pytest.fixture()
def la(spark, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
    yield spark
    spark.conf.unset("spark.sql.session.timeZone")


def test_to_pandas_gives_session_wall_clock(la):
    df = la.createDataFrame([(dt.datetime(2024, 3, 10, 1, 30),)], "ts timestamp")
    pdf = df.toPandas()
    assert str(pdf["ts"].dtype) == "datetime64[us]"
    assert pdf["ts"][0] == pd.Timestamp("2024-03-09 17:30:00")


def test_naive_pandas_datetimes_are_session_wall_clocks(la):
    sdf = la.createDataFrame(pd.DataFrame({"ts": pd.to_datetime(["2024-03-09 17:30:00"])}))
    assert sdf.schema["ts"].dataType.simpleString() == "timestamp"
    assert sdf.select(F.date_format("ts", "yyyy-MM-dd HH:mm")).collect()[0][0] == "2024-03-09 17:30"
    assert sdf.collect()[0].ts == dt.datetime(2024, 3, 10, 1, 30)


def test_to_json_offsets_and_exact_decimals(la):
    df = la.createDataFrame([(dt.datetime(2024, 3, 10, 1, 30), decimal.Decimal("1.50"), None)],
                            "ts timestamp, dec decimal(10,2), x double")
    assert df.select(F.to_json(F.struct("*"))).collect()[0][0] == \
        '{"ts":"2024-03-09T17:30:00.000-08:00","dec":1.50}'
    ntz = la.createDataFrame([(dt.datetime(2024, 3, 10, 1, 30),)], "t timestamp_ntz")
    assert ntz.select(F.to_json(F.struct("t"))).collect()[0][0] == '{"t":"2024-03-10T01:30:00.000"}'
