"""SQL queries whose ``show()`` output must equal what PySpark 4.3 printed for them
(``sql/expected.txt`` was recorded once with the reference PySpark; data in ``sql/setup.sql``)."""
from __future__ import annotations

import pathlib
import re

import pytest

from pyspk.sql import SparkSession

HERE = pathlib.Path(__file__).parent / "sql"


def _cases() -> list[tuple[str, str]]:
    text = (HERE / "expected.txt").read_text()
    blocks = re.split(r"^-- query \d+\n", text, flags=re.M)[1:]
    out = []
    for b in blocks:
        query, _, result = b.partition("\n-- result\n")
        out.append((query.strip(), result.rstrip("\n") + "\n"))
    return out


@pytest.fixture(scope="module")
def spark():
    s = SparkSession.builder.master("local[2]").appName("golden").getOrCreate()
    for stmt in (HERE / "setup.sql").read_text().split(";"):
        if stmt.strip():
            s.sql(stmt)
    return s


@pytest.mark.parametrize("query,expected", _cases(), ids=lambda v: v[:40] if isinstance(v, str) else None)
def test_show_output_matches_pyspark(spark, query, expected):
    got = spark.sql(query)._show_string(20, 20, False)
    assert got.rstrip("\n") + "\n" == expected
