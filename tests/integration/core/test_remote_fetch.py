"""Shuffle blocks fetched through executors' block servers (host-local disk reads turned off),
including a fetch from an executor killed mid-job: FetchFailed comes fast, the map stage is
recomputed, and the answer is unchanged."""
from __future__ import annotations

import operator
import os
import signal
import threading
import time

import pytest

from pyspk import SparkConf, SparkContext


@pytest.fixture()
def remote_sc():
    conf = (SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("remote-fetch")
            .set("spark.shuffle.readHostLocalDisk", "false")
            .set("spark.reducer.maxSizeInFlight", "1k"))
    sc = SparkContext(conf=conf)
    yield sc
    sc.stop()


def test_shuffles_through_block_servers(remote_sc: SparkContext) -> None:
    pairs = remote_sc.parallelize(range(20_000), 6).map(lambda x: (x % 101, x))
    assert dict(pairs.reduceByKey(operator.add, 4).collect()) == {
        k: sum(range(k, 20_000, 101)) for k in range(101)}
    keys = pairs.sortByKey(numPartitions=3).keys().collect()
    assert keys == sorted(x % 101 for x in range(20_000))
    joined = pairs.join(pairs.mapValues(lambda v: -v), 5).count()
    assert joined == sum(len(range(k, 20_000, 101)) ** 2 for k in range(101))


def _slow(kv):
    time.sleep(0.05)
    return kv


def test_fetch_from_a_killed_executor_recomputes_its_outputs(remote_sc: SparkContext) -> None:
    pairs = remote_sc.parallelize(range(3000), 8).map(lambda x: (x % 23, 1))
    reduced = pairs.reduceByKey(operator.add, 8).map(_slow).map(_slow)
    tracker = remote_sc.statusTracker()

    def kill_in_reduce_stage() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            infos = [tracker.getStageInfo(i) for i in tracker.getActiveStageIds()]
            if any(i and i.name.startswith("collect") and i.numCompletedTasks >= 1 for i in infos):
                break
            time.sleep(0.01)
        os.kill(sorted(remote_sc._backend.pids().items())[0][1], signal.SIGKILL)
    killer = threading.Thread(target=kill_in_reduce_stage, daemon=True)
    killer.start()
    started = time.monotonic()
    result = dict(reduced.collect())
    killer.join(5)
    assert result == {k: len(range(k, 3000, 23)) for k in range(23)}
    assert time.monotonic() - started < 30, "a dead block server must fail fetches fast"
    assert any(s.attempt >= 1 for s in remote_sc._scheduler.dag.shuffle_stages.values())
