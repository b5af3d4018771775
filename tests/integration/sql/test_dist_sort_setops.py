"""Set operations through hash exchanges: INTERSECT / EXCEPT [ALL] and UNION DISTINCT give the
same rows distributed as driver-local and as Python's multiset arithmetic, NULLs included, also
when integer keys carry NULLs in some files only (their hash must not depend on that)."""
from __future__ import annotations

import collections

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pyspk.sql import SparkSession


@pytest.fixture(scope="module")
def spark():
    s = SparkSession.builder.master("local[2]").appName("dist-setops-it").getOrCreate()
    return s


@pytest.fixture(scope="module")
def views(spark, tmp_path_factory):
    base = tmp_path_factory.mktemp("dset")
    (base / "l").mkdir()
    (base / "r").mkdir()
    # Integer keys with NULLs in one file and none in the other.
    pq.write_table(pa.table({"a": pa.array([1, 2, 3, None] * 3000, pa.int64()),
                             "b": pa.array(["x", None, "y", "x"] * 3000)}), base / "l" / "p0.parquet")
    pq.write_table(pa.table({"a": pa.array([1, 2, 5] * 3000, pa.int64()),
                             "b": pa.array(["x", "z", None] * 3000)}), base / "l" / "p1.parquet")
    pq.write_table(pa.table({"a": pa.array([1, None, 5, 7] * 500, pa.int64()),
                             "b": pa.array(["x", "x", None, "q"] * 500)}), base / "r" / "p0.parquet")
    spark.read.parquet(str(base / "l")).createOrReplaceTempView("dset_l")
    spark.read.parquet(str(base / "r")).createOrReplaceTempView("dset_r")
    left = [(r.a, r.b) for r in spark.table("dset_l").collect()]
    right = [(r.a, r.b) for r in spark.table("dset_r").collect()]
    return collections.Counter(left), collections.Counter(right)


def _both(spark, sql):
    out = {}
    for mode in ("true", "false"):
        spark.conf.set("spark.pyspk.sql.distributed", mode)
        out[mode] = collections.Counter((r.a, r.b) for r in spark.sql(sql).collect())
    spark.conf.unset("spark.pyspk.sql.distributed")
    return out["true"], out["false"]


@pytest.mark.parametrize("op", ["INTERSECT", "INTERSECT ALL", "EXCEPT", "EXCEPT ALL", "UNION"])
def test_set_operations_match_local_and_python(spark, views, op):
    lc, rc = views
    dist, local = _both(spark, f"SELECT a, b FROM dset_l {op} SELECT a, b FROM dset_r")
    expect = {
        "INTERSECT": collections.Counter(set(lc) & set(rc)),
        "INTERSECT ALL": lc & rc,
        "EXCEPT": collections.Counter(set(lc) - set(rc)),
        "EXCEPT ALL": lc - rc,
        "UNION": collections.Counter(set(lc) | set(rc)),
    }[op]
    assert dist == local == expect
