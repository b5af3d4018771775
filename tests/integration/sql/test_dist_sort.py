"""Distributed global sort: sampled range bounds, an Arrow range exchange and per-partition Arrow
sorts give the same order as driver-local execution and as Python's sorted(), NULLs and
descending keys included; ORDER BY … LIMIT is a per-partition top-n merged on the driver."""
from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest

import pyspk.sql.functions as F
from pyspk.sql import SparkSession
from pyspk.sql.execution import range_sort as R
from pyspk.sql.expressions.base import AttributeReference, EvalContext, SortOrder
from pyspk.sql import types as T


@pytest.fixture(scope="module")
def spark():
    return SparkSession.builder.master("local[2]").appName("dist-sort-it").getOrCreate()


@pytest.fixture(scope="module")
def path(spark, tmp_path_factory):
    rnd = random.Random(7)
    rows = [(rnd.choice([None, 1, 2, 3, 4]), rnd.choice([None, 1.5, -2.0, 7.0, 3.25]),
             rnd.choice([None, "a", "b", "zz", "c"]), i) for i in range(60_000)]
    out = str(tmp_path_factory.mktemp("dsort") / "t")
    spark.createDataFrame(rows, "a int, b double, c string, id long").write.parquet(out)
    return out


def _both(spark, build):
    out = {}
    for mode in ("true", "false"):
        spark.conf.set("spark.pyspk.sql.distributed", mode)
        out[mode] = build().collect()
    spark.conf.unset("spark.pyspk.sql.distributed")
    return out["true"], out["false"]


def _key(v, asc: bool, nulls_first: bool):
    """A sorted() key ordering one value as Spark does."""
    null_rank = 0 if (v is None) == nulls_first else 1
    return (null_rank, 0 if v is None else (v if asc else _Neg(v)))


class _Neg:
    def __init__(self, v):
        self.v = v

    def __lt__(self, other):
        return self.v > other.v

    def __eq__(self, other):
        return self.v == other.v


def test_multi_key_directions_and_nulls(spark, path):
    q = lambda: spark.read.parquet(path).orderBy(F.desc_nulls_last("a"), F.asc_nulls_last("b"),
                                                 F.desc("c"), "id")
    dist, local = _both(spark, q)
    expect = sorted(local, key=lambda r: (_key(r.a, False, False), _key(r.b, True, False),
                                          _key(r.c, False, False), r.id))
    assert dist == local == expect and len(dist) == 60_000


def test_sql_order_by_nulls_first_desc(spark, path):
    spark.read.parquet(path).createOrReplaceTempView("dsort_t")
    q = lambda: spark.sql("SELECT c, a, id FROM dsort_t WHERE id % 3 = 0 "
                          "ORDER BY c DESC NULLS FIRST, a NULLS LAST, id DESC")
    dist, local = _both(spark, q)
    expect = sorted(local, key=lambda r: (_key(r.c, False, True), _key(r.a, True, False), -r.id))
    assert dist == local == expect and len(dist) == 20_000


def test_order_by_limit_is_top_n(spark, path):
    q = lambda: spark.read.parquet(path).orderBy(F.desc("b"), "id").limit(7)
    dist, local = _both(spark, q)
    assert dist == local and [r.b for r in dist] == [7.0] * 7
    assert [r.id for r in dist] == sorted(r.id for r in dist)


def test_range_ids_split_into_ordered_partitions():
    ctx = EvalContext()
    a = AttributeReference("a", T.LongType(), True)
    order = (SortOrder(a, ascending=False, nulls_first=False),)
    rng = np.random.default_rng(1)
    values = rng.integers(0, 1000, 50_000).astype(object)
    values[::13] = None
    t = pa.table({a.key: pa.array(values, pa.int64())})
    samples = [(t.num_rows, R.sort_keys(t.slice(0, 2000), order, ctx))]
    bounds = R.range_bounds(samples, order, 4)
    assert bounds is not None and bounds.num_rows == 3
    ids = R.range_ids(order, ctx, bounds, t.to_batches()[0]).to_numpy()
    assert set(ids) == {0, 1, 2, 3}
    col = t.column(0).to_numpy(zero_copy_only=False)
    groups = [col[ids == p] for p in range(4)]
    # Descending, nulls last: every partition's values lie at or below the previous one's.
    for hi, lo in zip(groups, groups[1:]):
        hi_v = [v for v in hi if not np.isnan(v)]
        lo_v = [v for v in lo if not np.isnan(v)]
        assert not lo_v or not hi_v or min(hi_v) >= max(lo_v)
    assert np.isnan(groups[-1]).sum() == len(values[::13])


def test_window_without_partition_by(spark, path):
    from pyspk.sql import Window
    w = Window.orderBy(F.desc_nulls_last("b"), "id")
    q = lambda: (spark.read.parquet(path).where("id % 7 = 0")
                 .select("id", "b", F.row_number().over(w).alias("rn"), F.sum("a").over(w).alias("s"))
                 .orderBy("rn"))
    dist, local = _both(spark, q)
    expect = sorted(local, key=lambda r: (_key(r.b, False, False), r.id))
    assert dist == local == expect and [r.rn for r in dist] == list(range(1, len(dist) + 1))


@pytest.mark.parametrize("asc", [(True, True), (False, True), (True, False), (False, False)])
@pytest.mark.parametrize("nulls_first", [(True, True), (False, True), (True, False), (False, False)])
def test_range_ids_comparisons_agree_with_arrow_sort(monkeypatch, asc, nulls_first):
    ctx = EvalContext()
    rng = np.random.default_rng(3)
    n = 50_000
    a = AttributeReference("a", T.LongType(), True)
    s = AttributeReference("s", T.StringType(), True)
    av = rng.integers(0, 5, n).astype(object)
    av[rng.random(n) < 0.2] = None
    sv = rng.choice(np.array(["a", "b", "zz", "c"], object), n)
    sv[rng.random(n) < 0.2] = None
    t = pa.table({a.key: pa.array(list(av), pa.int64()), s.key: pa.array(list(sv))})
    order = tuple(SortOrder(x, ascending=o, nulls_first=f) for x, o, f in zip((a, s), asc, nulls_first))
    bounds = R.range_bounds([(n * 10, R.sort_keys(t.slice(0, 5000), order, ctx))], order, 8)
    fast = R.range_ids(order, ctx, bounds, t.to_batches()[0]).to_numpy()
    monkeypatch.setattr(R, "_comparable", lambda _t: False)
    slow = R.range_ids(order, ctx, bounds, t.to_batches()[0]).to_numpy()
    assert (fast == slow).all() and len(set(fast)) > 2


def test_nan_sorts_above_numbers(spark, tmp_path):
    rnd = random.Random(11)
    vals = [rnd.choice([None, float("nan"), -1.5, 0.0, 2.25, 1e300]) for _ in range(40_000)]
    spark.createDataFrame([(v, i) for i, v in enumerate(vals)], "x double, id long").write.parquet(
        str(tmp_path / "nan"))
    for desc in (True, False):
        col = F.desc("x") if desc else F.asc("x")
        dist, local = _both(spark, lambda: spark.read.parquet(str(tmp_path / "nan")).orderBy(col, "id"))
        rank = lambda v: (1 if desc else 0, 0) if v is None else \
            (0 if desc else 1, (-1 if desc else 1) * (float("inf") if v != v else v))
        expect = sorted(((r.x, r.id) for r in local), key=lambda p: (rank(p[0]), p[1]))
        got = [(r.x, r.id) for r in dist]
        assert [i for _, i in got] == [i for _, i in expect] == [r.id for r in local]
