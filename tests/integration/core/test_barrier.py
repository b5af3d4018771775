"""Barrier execution mode: all tasks of the stage run at once, synchronise, exchange messages,
and a failure re-runs every task of the stage."""
from __future__ import annotations

import os

import pytest

from pyspk import BarrierTaskContext, SparkConf, SparkContext


def _ctx(master: str) -> SparkContext:
    conf = (SparkConf(loadDefaults=False).setMaster(master).setAppName("barrier")
            .set("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "6"))
    return SparkContext(conf=conf)


def test_barrier_sync_all_gather_and_task_infos() -> None:
    with _ctx("local[2]") as sc:
        def run(it):
            ctx = BarrierTaskContext.get()
            ctx.barrier()
            first = ctx.allGather(f"p{ctx.partitionId()}")
            second = ctx.allGather(str(sum(it)))
            return [(ctx.partitionId(), first, second, len(ctx.getTaskInfos()))]
        out = sc.parallelize(range(10), 2).barrier().mapPartitions(run).collect()
        assert out == [(0, ["p0", "p1"], ["10", "35"], 2), (1, ["p0", "p1"], ["10", "35"], 2)]
        assert sc.parallelize(range(4), 2).barrier().mapPartitions(lambda it: it) \
            .map(lambda x: x + 1).sum() == 10
        with pytest.raises(Exception, match="SPARK-24819"):
            sc.parallelize(range(9), 3).barrier().mapPartitions(lambda it: it).collect()
        with pytest.raises(Exception, match="not in a barrier stage"):
            sc.parallelize([1], 1).map(lambda _: BarrierTaskContext.get()).collect()


def test_a_failed_barrier_task_reruns_the_whole_stage(tmp_path) -> None:
    log = str(tmp_path / "runs")
    marker = str(tmp_path / "failed-once")

    def run(it):
        ctx = BarrierTaskContext.get()
        with open(log, "a") as f:
            f.write(f"{ctx.partitionId()}\n")
        ctx.barrier()
        if ctx.partitionId() == 1 and not os.path.exists(marker):
            open(marker, "w").close()
            raise RuntimeError("first attempt fails")
        ctx.barrier()
        return [sum(it)]
    with _ctx("local[2,3]") as sc:
        assert sc.parallelize(range(10), 2).barrier().mapPartitions(run).collect() == [10, 35]
    runs = open(log).read().split()
    assert sorted(runs) == ["0", "0", "1", "1"], "every task of the stage must run again"


def test_barrier_failure_without_retries_fails_the_job(tmp_path) -> None:
    def run(it):
        BarrierTaskContext.get().barrier()
        raise ValueError("boom in barrier")
    with _ctx("local[2]") as sc:
        with pytest.raises(Exception, match="boom in barrier"):
            sc.parallelize(range(4), 2).barrier().mapPartitions(run).collect()
        assert sc.parallelize(range(4), 2).sum() == 6
