"""TPC-H queries at SF1 through spark.sql, checked against PySpark's answers (skipped when the
generated data is absent: TPCHGEN=... bash ../shared/bench/gen_tpch.sh 1 benchmarks/data/sf1)."""
from __future__ import annotations

import json
import math
import pathlib

import pytest

from pyspk.sql import SparkSession

REPO = pathlib.Path(__file__).resolve().parents[3]
DATA = REPO / "benchmarks" / "data" / "sf1"
BENCH = REPO.parent / "shared" / "bench"
TABLES = ["customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"]

pytestmark = pytest.mark.skipif(not (DATA / "lineitem.parquet").exists() or not BENCH.exists(),
                                reason="TPC-H SF1 data or the shared bench kit is missing")


@pytest.fixture(scope="module", params=["true", "false"], ids=["distributed", "local"])
def spark(request):
    s = SparkSession.builder.master("local[2]").appName("tpch-it").getOrCreate()
    s.conf.set("spark.pyspk.sql.distributed", request.param)
    for t in TABLES:
        s.read.parquet(str(DATA / f"{t}.parquet")).createOrReplaceTempView(t)
    yield s


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-6)
    return str(a) == str(b)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("query", ["q01", "q03", "q06", "q13", "q17", "q22"])
def test_query_matches_reference(spark, query):
    rows = spark.sql((BENCH / "queries" / f"{query}.sql").read_text()).collect()
    expected = json.loads((BENCH / "reference_rows_sf1" / f"{query}.json").read_text())["rows"]
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected):
        assert all(_same(float(g) if hasattr(g, "as_tuple") else (str(g) if hasattr(g, "isoformat") else g), w)
                   for g, w in zip(got, want)), (got, want)
