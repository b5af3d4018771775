"""Runtime key filters: joins against an aggregate give the same rows when the aggregate only
sees the keys of the other side."""
from __future__ import annotations

import pytest

from pyspk.sql.execution import key_filter, operators


@pytest.fixture(scope="module")
def views(spark):
    spark.createDataFrame([(k % 50, k, None if k % 7 == 0 else float(k)) for k in range(2000)],
                          "k int, v int, x double").createOrReplaceTempView("big")
    spark.createDataFrame([(1, "a"), (3, "b"), (3, "c"), (None, "n"), (99, "z")],
                          "k int, name string").createOrReplaceTempView("small")
    return spark


def _expected():
    sums, cnt = {}, {}
    for k in range(2000):
        sums[k % 50] = sums.get(k % 50, 0) + k
        cnt[k % 50] = cnt.get(k % 50, 0) + (0 if k % 7 == 0 else 1)
    return sums, cnt


@pytest.mark.parametrize("how", ["inner", "left"])
def test_join_with_aggregate_matches_unfiltered_answer(views, monkeypatch, how):
    seen = []
    real = operators.hash_aggregate

    def spy(table, *a, **kw):
        seen.append(table.num_rows)
        return real(table, *a, **kw)
    monkeypatch.setattr(operators, "hash_aggregate", spy)
    monkeypatch.setattr(key_filter.ops, "hash_aggregate", spy)
    views.conf.set("spark.pyspk.sql.distributed", "false")
    rows = views.sql(f"""select s.k, s.name, g.total, g.n from small s {how} join
                         (select k, sum(v) as total, count(x) as n from big group by k) g
                         on s.k = g.k order by s.name""").collect()
    sums, cnt = _expected()
    want = [(k, name, sums.get(k), cnt.get(k)) for k, name in
            [(1, "a"), (3, "b"), (3, "c"), (None, "n"), (99, "z")]]
    if how == "inner":
        want = [w for w in want if w[2] is not None]
    else:
        want = [w if w[0] is not None and w[0] in sums else (w[0], w[1], None, None) for w in want]
    assert [tuple(r) for r in rows] == want
    # Only rows with k in {1, 3} (40 each) reached the aggregate, not all 2000.
    assert seen and max(seen) == 80


def test_semi_and_anti_joins_against_aggregates(views):
    views.conf.set("spark.pyspk.sql.distributed", "false")
    semi = views.sql("""select name from small s where s.k in
                        (select k from big group by k having sum(v) > 39000) order by name""")
    anti = views.sql("""select name from small s where not exists
                        (select 1 from (select k, max(v) m from big group by k) g
                         where g.k = s.k and g.m > 1950) order by name""")
    sums, _ = _expected()
    assert [r.name for r in semi.collect()] == sorted(
        n for k, n in [(1, "a"), (3, "b"), (3, "c")] if sums[k] > 39000)
    maxes = {k: max(v for v in range(2000) if v % 50 == k) for k in range(50)}
    assert [r.name for r in anti.collect()] == sorted(
        n for k, n in [(1, "a"), (3, "b"), (3, "c"), (None, "n"), (99, "z")]
        if not (k is not None and k in maxes and maxes[k] > 1950))
