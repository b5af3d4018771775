"""Date/time column functions with literal arguments (zones incl. Java short ids, day names),
months_between rounding, date_part abbreviations and convert_timezone: results recorded from
PySpark 4.3 with the process and session in UTC."""
from __future__ import annotations

import datetime

from pyspk.sql import functions as F


def test_datetime_functions_match_pyspark(spark, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    df = spark.createDataFrame([(datetime.datetime(1997, 2, 28, 10, 30),
                                 datetime.date(1996, 10, 30))], ["t", "d"])
    row = df.select(F.from_utc_timestamp("t", "PST"), F.to_utc_timestamp("t", "JST"),
                    F.next_day("d", "Sun"), F.months_between("t", "d"),
                    F.months_between("t", "d", False), F.date_part(F.lit("d"), "t"),
                    F.convert_timezone(F.lit("Asia/Kolkata"), F.lit("UTC"),
                                       F.col("t").cast("timestamp_ntz")),
                    F.add_months("d", 3), F.date_add("d", 2)).first()
    assert tuple(row) == (datetime.datetime(1997, 2, 28, 2, 30),
                          datetime.datetime(1997, 2, 28, 1, 30), datetime.date(1996, 11, 3),
                          3.94959677, 3.9495967741935485, 28, datetime.datetime(1997, 2, 28, 5, 0),
                          datetime.date(1997, 1, 30), datetime.date(1996, 11, 1))


def test_month_ends_give_whole_months_and_interval_display(spark):
    row = spark.sql("SELECT months_between(timestamp'2024-03-31 10:00:00', "
                    "timestamp'2024-02-29 08:00:00') AS c").first()
    assert row.c == 1.0
    text = spark.sql("SELECT INTERVAL '2' YEAR AS a, INTERVAL '5' MONTH AS b")._show_string()
    assert "|INTERVAL '2' YEAR|INTERVAL '5' MONTH|" in text
