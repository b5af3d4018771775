"""Executor loss in local mode: a real executor process is killed with SIGKILL mid-job; its
tasks re-run, its shuffle outputs are recomputed from lineage, and the answer is unchanged."""
from __future__ import annotations

import operator
import os
import signal
import threading
import time

import pytest

from pyspk import SparkConf, SparkContext


def _slow(kv):
    time.sleep(0.002)
    return kv


def _slower(kv):
    time.sleep(0.05)
    return kv


def _kill_when(sc: SparkContext, ready, victims: list[int]) -> threading.Thread:
    def run() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not ready():
            time.sleep(0.01)
        pid = sorted(sc._backend.pids().items())[0][1]
        os.kill(pid, signal.SIGKILL)
        victims.append(pid)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


@pytest.fixture()
def ctx():
    conf = SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("faults")
    sc = SparkContext(conf=conf)
    yield sc
    sc.stop()


def _stage_done(sc: SparkContext, min_completed: int) -> bool:
    tracker = sc.statusTracker()
    for sid in tracker.getActiveStageIds():
        info = tracker.getStageInfo(sid)
        if info and info.numCompletedTasks >= min_completed:
            return True
    return False


def test_executor_killed_during_map_stage(ctx: SparkContext) -> None:
    data = ctx.parallelize(range(4000), 16).map(lambda x: (x % 37, x)).map(_slow)
    victims: list[int] = []
    killer = _kill_when(ctx, lambda: _stage_done(ctx, 3), victims)
    result = dict(data.reduceByKey(operator.add, 4).collect())
    killer.join(5)
    assert victims, "the killer thread never found a running stage"
    expected = {k: sum(x for x in range(4000) if x % 37 == k) for k in range(37)}
    assert result == expected
    assert ctx._scheduler.dead_executors, "the scheduler never noticed the executor loss"


def test_executor_killed_during_reduce_stage_recomputes_shuffle(ctx: SparkContext) -> None:
    pairs = ctx.parallelize(range(3000), 8).map(lambda x: (x % 23, 1))
    reduced = pairs.reduceByKey(operator.add, 8).map(_slower).map(_slower)
    victims: list[int] = []
    tracker = ctx.statusTracker()

    def in_reduce_stage() -> bool:
        ids = tracker.getActiveStageIds()
        return bool(ids) and max(ids) > min(ids + [10 ** 9]) - 1 and _reduce_started(ids)

    def _reduce_started(ids: list[int]) -> bool:
        infos = [tracker.getStageInfo(i) for i in ids]
        return any(i and i.name.startswith("collect") and i.numCompletedTasks >= 1 for i in infos)

    killer = _kill_when(ctx, in_reduce_stage, victims)
    result = dict(reduced.collect())
    killer.join(5)
    assert victims
    assert result == {k: len([x for x in range(3000) if x % 23 == k]) for k in range(23)}
    assert ctx._scheduler.dead_executors
    map_stages = [s for s in ctx._scheduler.dag.shuffle_stages.values()]
    assert any(s.attempt >= 1 for s in map_stages), "lost map outputs were not recomputed"


def test_job_after_executor_loss_uses_replacement(ctx: SparkContext) -> None:
    before = dict(ctx._backend.pids())
    os.kill(sorted(before.values())[0], signal.SIGKILL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        now = ctx._backend.pids()
        if len(now) == 2 and set(now) != set(before):
            break
        time.sleep(0.05)
    assert ctx.parallelize(range(100), 4).sum() == 4950
    assert len(ctx._backend.pids()) == 2
