"""The spilling operators called directly with budgets of a few KiB: they spill (files appear
while they run, and are gone afterwards) and give exactly the rows of the in-memory operators
and of an independent computation."""
from __future__ import annotations

import functools
import logging
import math
import os
import tempfile

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pyspk.conf import SparkConf
from pyspk.executor.environment import task_memory
from pyspk.sql import types as T
from pyspk.sql.execution import operators as ops
from pyspk.sql.execution.join import hash_join
from pyspk.sql.execution.spill import WORKING_FACTOR, hash_columns, task_budget
from pyspk.sql.execution.spill_agg import aggregate, bucketed, distinct
from pyspk.sql.execution.spill_join import shuffle_join
from pyspk.sql.execution.spill_sort import external_sort
from pyspk.sql.expressions import aggregates as A
from pyspk.sql.expressions.base import Alias, AttributeReference, EvalContext, SortOrder

CTX = EvalContext()
K = AttributeReference("k", T.LongType())
G = AttributeReference("g", T.StringType())
V = AttributeReference("v", T.DoubleType())
I = AttributeReference("i", T.LongType())


def _table(n: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    k = rng.integers(0, n // 4, n)
    v = rng.normal(size=n)
    v[rng.random(n) < 0.02] = np.nan
    g = np.array([f"g{x:03d}" for x in rng.integers(0, 300, n)], dtype=object)
    return pa.table({K.key: pa.array(k, mask=rng.random(n) < 0.05),
                     G.key: pa.array(g, mask=rng.random(n) < 0.05),
                     V.key: pa.array(v, mask=rng.random(n) < 0.05),
                     I.key: pa.array(np.arange(n) + seed * 10_000_000)})


def _batches(t: pa.Table, rows: int = 2000) -> list[pa.RecordBatch]:
    return t.combine_chunks().to_batches(max_chunksize=rows)


@pytest.fixture()
def spill_root(tmp_path, monkeypatch):
    """Spill directories outside an executor go under the temp dir: point it at tmp_path."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _files(root) -> list[str]:
    return [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs]


def _drain_watching(gen, root) -> tuple[list, int]:
    """All items of ``gen`` and the most spill files seen while it ran."""
    out, most = [], 0
    for item in gen:
        most = max(most, len(_files(root)))
        out.append(item)
    return out, most


def test_budget_is_spark_unified_memory_per_task() -> None:
    conf = SparkConf(loadDefaults=False).set("spark.master", "spark://h:7077") \
        .set("spark.executor.memory", "4g")
    assert task_memory(conf, 2) == int(4096 * 0.6 / 2 * (1 << 20))
    conf.set("spark.memory.fraction", "0.5")
    assert task_memory(conf, 4) == 512 << 20
    local = SparkConf(loadDefaults=False).set("spark.master", "local[4]") \
        .set("spark.driver.memory", "2g").set("spark.executor.memory", "64g")
    assert task_memory(local, 1) == int(2048 * 0.6 / 4 * (1 << 20))
    assert task_budget(3 << 20) == (3 << 20) // WORKING_FACTOR


def _spark_cmp(order):
    """A Python comparison of rows (dicts) under Spark's sort semantics: NULL placement per
    key, NaN larger than every number."""
    def cmp(a, b):
        for o in order:
            x, y = a[o.child.key], b[o.child.key]
            if x is None or y is None:
                if x is None and y is None:
                    continue
                return (-1 if x is None else 1) * (1 if o.effective_nulls_first else -1)
            kx = (1, 0.0) if isinstance(x, float) and math.isnan(x) else (0, x)
            ky = (1, 0.0) if isinstance(y, float) and math.isnan(y) else (0, y)
            if kx != ky:
                return (-1 if kx < ky else 1) * (1 if o.ascending else -1)
        return 0
    return functools.cmp_to_key(cmp)


@pytest.mark.parametrize("order", [
    (SortOrder(G, False), SortOrder(V, True, False), SortOrder(I)),
    (SortOrder(V, False), SortOrder(I, False)),
    (SortOrder(K, True, False), SortOrder(I)),
])
def test_external_sort_spills_and_matches_in_memory_sort(spill_root, order, caplog) -> None:
    t = _table(30_000, 1)
    with caplog.at_level(logging.INFO, logger="pyspk.sql.execution.spill"):
        out, most = _drain_watching(external_sort(order, CTX, 60_000, _batches(t)), spill_root)
    assert "Driver spilling sort data of 0.1 MiB to disk (1 time so far)" in caplog.messages
    got = pa.Table.from_batches(out)
    in_memory = pa.Table.from_batches(list(external_sort(order, CTX, 1 << 40, _batches(t))))
    assert most > 3, "sorted runs were written"
    assert _files(spill_root) == []
    assert got.column(I.key).to_pylist() == in_memory.column(I.key).to_pylist()
    # Independently: Python's sort with Spark's comparison (the last key is unique).
    rows = sorted(t.to_pylist(), key=_spark_cmp(order))
    assert got.column(I.key).to_pylist() == [r[I.key] for r in rows]


def test_external_sort_without_spill_writes_nothing(spill_root) -> None:
    t = _table(1000, 2)
    out, most = _drain_watching(external_sort((SortOrder(I, False),), CTX, 1 << 30, _batches(t)),
                                spill_root)
    assert most == 0
    assert pa.Table.from_batches(out).column(I.key).to_pylist() == \
        sorted(t.column(I.key).to_pylist(), reverse=True)


def _sorted_rows(t: pa.Table) -> list[tuple]:
    cols = [c.to_pylist() for c in t.columns]
    return sorted(zip(*cols), key=lambda r: tuple((x is None, repr(x)) for x in r))


def test_aggregate_buckets_match_in_memory_for_every_aggregate(spill_root) -> None:
    t = _table(40_000, 3)
    aggs = (Alias(G, "g"), Alias(A.Count(V), "c"), Alias(A.Sum(K), "s"), Alias(A.Max(V), "m"),
            Alias(A.CollectList(I), "l"))
    schema = t.schema
    out, most = _drain_watching(aggregate((G,), aggs, CTX, schema, False, False, 50_000,
                                          _batches(t)), spill_root)
    got = pa.concat_tables(out)
    want = ops.hash_aggregate(t, (G,), aggs, CTX)
    assert most > 0 and _files(spill_root) == []
    norm = lambda tab: tab.set_column(4, tab.schema.field(4).name,  # noqa: E731
                                      pa.array([sorted(x) for x in tab.column(4).to_pylist()]))
    assert _sorted_rows(norm(got)) == _sorted_rows(norm(want))
    # Independently, with Python: non-NULL values per group (the NULL group included).
    counts: dict = {}
    for g, v in zip(t.column(G.key).to_pylist(), t.column(V.key).to_pylist()):
        counts[g] = counts.get(g, 0) + (v is not None)
    assert dict(zip(got.column(0).to_pylist(), got.column(1).to_pylist())) == counts


def test_partial_aggregate_chunks_without_files(spill_root) -> None:
    t = _table(20_000, 4)
    aggs = (Alias(G, "g"), Alias(A.Count(V), "c"))
    out, most = _drain_watching(aggregate((G,), aggs, CTX, t.schema, False, True, 50_000,
                                          _batches(t)), spill_root)
    assert most == 0 and len(out) > 1
    merged = pa.concat_tables(out).rename_columns(["g", "c"]).group_by("g").aggregate([("c", "sum")])
    assert dict(zip(merged.column("g").to_pylist(), merged.column("c_sum").to_pylist())) == \
        dict(zip(*[c.to_pylist() for c in ops.hash_aggregate(t, (G,), aggs, CTX).columns]))


def test_distinct_and_bucketed_rebucket_deeply(spill_root) -> None:
    t = _table(30_000, 5)
    out, most = _drain_watching(distinct([G.key, K.key], False, t.schema, 20_000, _batches(t)),
                                spill_root)
    got = pa.concat_tables(out)
    assert most > 0 and _files(spill_root) == []
    assert got.num_rows == len({(g, k) for g, k in zip(t.column(G.key).to_pylist(),
                                                        t.column(K.key).to_pylist())})
    # A bucket still over the budget is split again (a tiny budget forces every level).
    counted = list(bucketed(_batches(t), t.schema,
                            lambda x: hash_columns([x.column(K.key)]),
                            2_000, "test", lambda x: x.group_by(K.key).aggregate([])))
    keys = pa.concat_tables(counted).column(K.key).to_pylist()
    assert sorted(keys, key=lambda x: (x is None, x)) == \
        sorted(set(t.column(K.key).to_pylist()), key=lambda x: (x is None, x))
    assert _files(spill_root) == []


@pytest.mark.parametrize("how", ["inner", "left", "right", "full", "left_semi", "left_anti"])
@pytest.mark.parametrize("budget", [30_000, 1 << 40])
def test_grace_hash_join_matches_in_memory_join(spill_root, how, budget) -> None:
    left = _table(12_000, 6).select([K.key, I.key])
    rk = AttributeReference("rk", T.IntegerType())
    rv = AttributeReference("rv", T.LongType())
    rng = np.random.default_rng(7)
    right = pa.table({rk.key: pa.array(rng.integers(0, 4000, 9000).astype(np.int32),
                                       mask=rng.random(9000) < 0.05),
                      rv.key: pa.array(np.arange(9000))})
    schemas = (left.schema, right.schema)
    out, most = _drain_watching(shuffle_join(how, (K,), (rk,), None, CTX, schemas, budget,
                                             _batches(left, 1000), _batches(right, 1000)),
                                spill_root)
    got = pa.concat_tables(out) if out else left.slice(0, 0)
    want = hash_join(left, right, how, (K,), (rk,), None, CTX)
    assert (most > 0) == (budget < 1 << 20) and _files(spill_root) == []
    assert _sorted_rows(got) == _sorted_rows(want)
    # Independently: matched pair count of the inner join from key multiplicities.
    lc = pc.value_counts(left.column(K.key).drop_null()).to_pylist()
    rc = dict((d["values"], d["counts"]) for d in
              pc.value_counts(right.column(rk.key).drop_null()).to_pylist())
    pairs = sum(d["counts"] * rc.get(d["values"], 0) for d in lc)
    if how == "inner":
        assert got.num_rows == pairs


@pytest.mark.parametrize("how", ["inner", "left", "full", "left_semi", "left_anti"])
def test_residual_is_checked_in_bounded_slices_of_pairs(monkeypatch, how) -> None:
    from pyspk.sql.execution import join as J
    from pyspk.sql.expressions.base import Literal
    from pyspk.sql.expressions.predicates import GreaterThan
    left = _table(3_000, 8).select([K.key, I.key])
    rk = AttributeReference("rk", T.LongType())
    rv = AttributeReference("rv", T.LongType())
    right = pa.table({rk.key: pa.array(np.arange(2_000) % 500), rv.key: pa.array(np.arange(2_000) * 7)})
    for residual in (GreaterThan(rv, I), Literal(True, T.BooleanType())):
        whole = hash_join(left, right, how, (K,), (rk,), residual, CTX)
        monkeypatch.setattr(J, "_RESIDUAL_PAIRS", 97)
        sliced = hash_join(left, right, how, (K,), (rk,), residual, CTX)
        monkeypatch.undo()
        assert _sorted_rows(sliced) == _sorted_rows(whole)
    if how == "left_semi":
        pairs = {(k, i) for k, i in zip(left.column(K.key).to_pylist(), left.column(I.key).to_pylist())
                 if k is not None and k < 500 and any(v > i for v in (k * 7, (k + 500) * 7,
                                                                     (k + 1000) * 7, (k + 1500) * 7))}
        got = hash_join(left, right, how, (K,), (rk,), GreaterThan(rv, I), CTX)
        assert set(zip(got.column(K.key).to_pylist(), got.column(I.key).to_pylist())) == pairs
