"""A task scheduled away from the slot caching its partition reads the block from that slot's
block server instead of recomputing it."""
from __future__ import annotations

import os
import threading
import time

from pyspk import SparkConf, SparkContext


def test_cached_partition_is_read_remotely_not_recomputed() -> None:
    conf = SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("blocks")
    with SparkContext(conf=conf) as sc:
        computed = sc.accumulator(0)

        def tracked(x):
            computed.add(1)
            return x
        cached = sc.parallelize(range(100), 1).map(tracked).cache()
        holder_pid = cached.mapPartitions(lambda it: [(sum(it), os.getpid())]).collect()[0][1]
        assert computed.value == 100
        holder = [s for s in sc._scheduler.slots.values() if s.pid == holder_pid][0]
        assert "rdd_%d_0" % cached.id() in holder.blocks

        occupier = threading.Thread(target=lambda: sc.parallelize([0], 1).map(
            lambda _: time.sleep(2)).collect())
        occupier.start()
        deadline = time.monotonic() + 10
        while holder.busy is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert holder.busy is not None, "the occupying task did not land on the holder"
        total, pid = cached.mapPartitions(lambda it: [(sum(it), os.getpid())]).collect()[0]
        occupier.join()
        assert pid != holder_pid
        assert total == sum(range(100))
        assert computed.value == 100, "the partition was recomputed instead of fetched"
