"""Distributed SQL with a tiny per-task operator memory (spark.pyspk.sql.operatorMemoryBytes):
sorts, aggregations, DISTINCT and shuffle joins of every type spill to disk in the executors
(the stage metrics and the 4040 REST API count the bytes), leave no spill files behind, and give exactly the rows of an unlimited run and of an
independent computation in Python."""
from __future__ import annotations

import json
import os
import urllib.request

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pyspk.sql import SparkSession

TINY = str(2 << 20)
"""2 MiB of operator memory per task: operators hold 0.5 MiB of input."""
N_FACT, N_DIM = 120_000, 60_000


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    base = tmp_path_factory.mktemp("spilldata")
    rng = np.random.default_rng(11)
    k = rng.integers(0, 40_000, N_FACT)
    fact = pa.table({
        "id": pa.array(np.arange(N_FACT)),
        "k": pa.array(k, mask=rng.random(N_FACT) < 0.03),
        "g": pa.array([f"group-{x:04d}" for x in rng.integers(0, 2_000, N_FACT)]),
        "v": pa.array(rng.normal(size=N_FACT).round(6)),
    })
    dk = rng.integers(20_000, 60_000, N_DIM)
    dim = pa.table({"dk": pa.array(dk, mask=rng.random(N_DIM) < 0.03),
                    "w": pa.array(np.arange(N_DIM) * 3)})
    pq.write_table(fact, str(base / "fact.parquet"), row_group_size=10_000)
    pq.write_table(dim, str(base / "dim.parquet"), row_group_size=10_000)
    return base, fact.to_pylist(), dim.to_pylist()


@pytest.fixture(scope="module")
def spark(data, tmp_path_factory):
    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()
    local = tmp_path_factory.mktemp("spill-local")
    s = (SparkSession.builder.master("local[2]").appName("sql-spill")
         .config("spark.local.dir", str(local))
         .config("spark.pyspk.sql.distributed", "true")
         .getOrCreate())
    base = data[0]
    s.read.parquet(str(base / "fact.parquet")).createOrReplaceTempView("fact")
    s.read.parquet(str(base / "dim.parquet")).createOrReplaceTempView("dim")
    s._spill_local_dir = str(local)
    yield s
    s.stop()


@pytest.fixture()
def no_broadcast(spark):
    """Every equi-join goes through the shuffle."""
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "-1")
    yield
    spark.conf.unset("spark.sql.autoBroadcastJoinThreshold")


def _spill_files(spark) -> list[str]:
    found = []
    for d, _, files in os.walk(spark._spill_local_dir):
        if "spill" in os.path.relpath(d, spark._spill_local_dir).split(os.sep):
            found += [os.path.join(d, f) for f in files]
    return found


def _run(spark, sql: str, budget: str | None) -> tuple[list, int]:
    """The rows of ``sql`` and the bytes its stages spilled to disk."""
    status = spark.sparkContext._scheduler.status
    before = {s.stage_id for s in status.stages()}
    if budget is None:
        spark.conf.unset("spark.pyspk.sql.operatorMemoryBytes")
    else:
        spark.conf.set("spark.pyspk.sql.operatorMemoryBytes", budget)
    try:
        rows = [tuple(r) for r in spark.sql(sql).collect()]
    finally:
        spark.conf.unset("spark.pyspk.sql.operatorMemoryBytes")
    spilled = sum(s.disk_bytes_spilled for s in status.stages() if s.stage_id not in before)
    assert _spill_files(spark) == [], "spill files must be gone when the tasks end"
    return rows, spilled


def _key(row: tuple) -> tuple:
    return tuple((x is None, x) for x in row)


def test_sort_spills_and_keeps_order(spark, data):
    sql = "SELECT id, g, v FROM fact ORDER BY g DESC, v, id"
    rows, spilled = _run(spark, sql, TINY)
    unlimited, none = _run(spark, sql, None)
    assert spilled > 0 and none == 0
    expected = sorted(((r["id"], r["g"], r["v"]) for r in data[1]), key=lambda r: (r[2], r[0]))
    expected.sort(key=lambda r: r[1], reverse=True)
    assert rows == expected == unlimited


def test_aggregate_spills_with_python_finished_aggregates(spark, data):
    sql = ("SELECT g, count(*) AS c, sum(k) AS s, count(DISTINCT k) AS d, "
           "collect_list(id) AS ids FROM fact GROUP BY g")
    rows, spilled = _run(spark, sql, TINY)
    unlimited, _ = _run(spark, sql, None)
    rows, unlimited = ([r[:4] + (sorted(r[4]),) for r in x] for x in (rows, unlimited))
    assert spilled > 0
    groups: dict = {}
    for r in data[1]:
        groups.setdefault(r["g"], []).append(r)
    expected = [(g, len(rs), sum(r["k"] for r in rs if r["k"] is not None),
                 len({r["k"] for r in rs if r["k"] is not None}), sorted(r["id"] for r in rs))
                for g, rs in groups.items()]
    assert sorted(rows) == sorted(expected) == sorted(unlimited)


def test_distinct_spills(spark, data):
    sql = "SELECT DISTINCT k, g FROM fact"
    rows, spilled = _run(spark, sql, str(1 << 20))
    assert spilled > 0
    assert sorted(rows, key=_key) == sorted({(r["k"], r["g"]) for r in data[1]}, key=_key)


def _expected_join(how: str, fact: list[dict], dim: list[dict]) -> list[tuple]:
    by_key: dict = {}
    for d in dim:
        if d["dk"] is not None:
            by_key.setdefault(d["dk"], []).append(d)
    out, matched = [], set()
    for f in fact:
        ms = by_key.get(f["k"], []) if f["k"] is not None else []
        if how == "left_semi":
            out += [(f["id"], f["k"])] if ms else []
            continue
        if how == "left_anti":
            out += [] if ms else [(f["id"], f["k"])]
            continue
        for d in ms:
            matched.add(id(d))
            out.append((f["id"], f["k"], d["dk"], d["w"]))
        if not ms and how in ("left", "full"):
            out.append((f["id"], f["k"], None, None))
    if how in ("right", "full"):
        out += [(None, None, d["dk"], d["w"]) for d in dim if id(d) not in matched]
    return out


@pytest.mark.parametrize("how", ["inner", "left", "right", "full", "left_semi", "left_anti"])
def test_shuffle_joins_spill_and_stay_exact(spark, data, no_broadcast, how):
    kind = {"left_semi": "LEFT SEMI", "left_anti": "LEFT ANTI"}.get(how, how.upper())
    cols = "f.id, f.k" if how.startswith("left_") else "f.id, f.k, d.dk, d.w"
    sql = f"SELECT {cols} FROM fact f {kind} JOIN dim d ON f.k = d.dk"
    rows, spilled = _run(spark, sql, str(512 << 10))
    unlimited, none = _run(spark, sql, None)
    assert spilled > 0 and none == 0
    expected = sorted(_expected_join(how, data[1], data[2]), key=_key)
    assert sorted(rows, key=_key) == expected == sorted(unlimited, key=_key)


def test_rest_api_reports_spilled_bytes(spark):
    _run(spark, "SELECT g, count(DISTINCT id) FROM fact GROUP BY g", TINY)
    url = spark.sparkContext.uiWebUrl
    app = spark.sparkContext.applicationId
    with urllib.request.urlopen(f"{url}/api/v1/applications/{app}/stages", timeout=10) as r:
        stages = json.load(r)
    assert all("memoryBytesSpilled" in s and "diskBytesSpilled" in s for s in stages)
    assert sum(s["diskBytesSpilled"] for s in stages) > 0
    assert sum(s["memoryBytesSpilled"] for s in stages) > 0


@pytest.mark.parametrize("op", ["INTERSECT", "INTERSECT ALL", "EXCEPT", "EXCEPT ALL"])
def test_set_operations_spill_and_stay_exact(spark, data, op):
    sql = f"SELECT k FROM fact {op} SELECT dk FROM dim"
    rows, spilled = _run(spark, sql, str(256 << 10))
    assert spilled > 0
    from collections import Counter
    left = Counter(r["k"] for r in data[1])
    right = Counter(d["dk"] for d in data[2])
    if op == "INTERSECT":
        expected = [(k,) for k in left if k in right]
    elif op == "INTERSECT ALL":
        expected = [(k,) for k in left for _ in range(min(left[k], right.get(k, 0)))]
    elif op == "EXCEPT":
        expected = [(k,) for k in left if k not in right]
    else:
        expected = [(k,) for k in left for _ in range(max(0, left[k] - right.get(k, 0)))]
    assert sorted(rows, key=_key) == sorted(expected, key=_key)
