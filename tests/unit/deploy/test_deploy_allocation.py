"""Spark's executor placement, as tables of (workers, demand, spread out) -> executors."""
from __future__ import annotations

import pytest

from pyspk.deploy.allocation import AppDemand, FreeWorker, schedule_executors

W = FreeWorker


@pytest.mark.parametrize("workers, demand, spread, expected", [
    # executor cores unset: one executor per worker with all the cores it can give
    ([W("a", 4, 4096), W("b", 4, 4096)], AppDemand(1 << 30, None, 1024), True, [("a", 4), ("b", 4)]),
    # cores.max 4 spread over two workers
    ([W("a", 4, 4096), W("b", 4, 4096)], AppDemand(4, None, 1024), True, [("a", 2), ("b", 2)]),
    # cores.max 4, not spread: fill the first worker
    ([W("a", 4, 4096), W("b", 4, 4096)], AppDemand(4, None, 1024), False, [("a", 4)]),
    # executor cores 1, spread: round robin
    ([W("a", 2, 4096), W("b", 2, 4096)], AppDemand(3, 1, 512), True, [("a", 1), ("a", 1), ("b", 1)]),
    # executor cores 2 on 3-core workers: one executor each, a core left over
    ([W("a", 3, 4096), W("b", 3, 4096)], AppDemand(1 << 30, 2, 512), True, [("a", 2), ("b", 2)]),
    # memory bounds executors per worker
    ([W("a", 8, 1024)], AppDemand(1 << 30, 1, 512), True, [("a", 1), ("a", 1)]),
    # a worker without enough memory is skipped
    ([W("a", 8, 256), W("b", 2, 1024)], AppDemand(1 << 30, 1, 512), True, [("b", 1), ("b", 1)]),
    # no worker has an executor's worth of cores
    ([W("a", 1, 4096)], AppDemand(1 << 30, 2, 512), True, []),
    # the app needs fewer cores than one executor has: nothing
    ([W("a", 4, 4096)], AppDemand(1, 2, 512), True, []),
    # most free cores first
    ([W("a", 1, 4096), W("b", 3, 4096)], AppDemand(2, 1, 512), True, [("b", 1), ("a", 1)]),
    # executor limit
    ([W("a", 4, 4096), W("b", 4, 4096)], AppDemand(1 << 30, 1, 512, executor_limit=3), True,
     [("a", 1), ("a", 1), ("b", 1)]),
    ([], AppDemand(4, None, 512), True, []),
])
def test_schedule_executors(workers, demand, spread, expected):
    assert sorted(schedule_executors(workers, demand, spread)) == sorted(expected)


def test_spread_out_uses_every_worker_before_doubling_up():
    workers = [W(f"w{i}", 4, 8192) for i in range(4)]
    launched = schedule_executors(workers, AppDemand(4, 1, 512), spread_out=True)
    assert sorted(w for w, _ in launched) == ["w0", "w1", "w2", "w3"]
    packed = schedule_executors(workers, AppDemand(4, 1, 512), spread_out=False)
    assert [w for w, _ in packed] == ["w0"] * 4
