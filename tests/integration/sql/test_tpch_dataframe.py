"""The DataFrame-API TPC-H programs of benchmarks/tpch_dataframe.py at SF1, in both execution
modes, against PySpark's answers (skipped when the data is absent)."""
from __future__ import annotations

import importlib.util
import json
import pathlib

import pytest

import pyspk.sql.functions as F
from pyspk.sql import SparkSession

REPO = pathlib.Path(__file__).resolve().parents[3]
DATA = REPO / "benchmarks" / "data" / "sf1"
REFERENCE = REPO.parent / "shared" / "bench" / "reference_rows_sf1"

pytestmark = pytest.mark.skipif(not (DATA / "lineitem.parquet").exists() or not REFERENCE.exists(),
                                reason="TPC-H SF1 data or reference answers are missing")


def _queries():
    spec = importlib.util.spec_from_file_location("tpch_dataframe", REPO / "benchmarks" / "tpch_dataframe.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module", params=["true", "false"], ids=["distributed", "local"])
def tables(request):
    spark = SparkSession.builder.master("local[2]").appName("tpch-df-it").getOrCreate()
    spark.conf.set("spark.pyspk.sql.distributed", request.param)
    return {t: spark.read.parquet(str(DATA / f"{t}.parquet")) for t in _queries().TABLES}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", ["q01", "q03", "q15", "q18", "q21"])
def test_dataframe_query_matches_reference(tables, name):
    mod = _queries()
    rows = [tuple(mod._plain(v) for v in r) for r in mod.QUERIES[name](tables, F).collect()]
    want = json.loads((REFERENCE / f"{name}.json").read_text())["rows"]
    assert len(rows) == len(want)
    assert all(all(mod._same(a, b) for a, b in zip(r, w)) for r, w in zip(rows, want))
