"""Garbage thrown at the driver's scheduler port and at executors' block servers is logged and
dropped; the application keeps working and nothing is unpickled."""
from __future__ import annotations

import operator
import pickle
import time

import zmq

from pyspk import SparkConf, SparkContext

GARBAGE = [
    [b"\x00"],
    [b"PYSPK/1"],
    [b"PYSPK/0", b"StatusUpdate", b"{}"],
    [b"PYSPK/1", b"LaunchTask", b"{not json"],
    [b"PYSPK/1", b"RegisterWorker", b"{}"],
    [b"PYSPK/1", b"StatusUpdate", b'{"task_id": 0, "state": "FINISHED"}'],
    [b"PYSPK/1", b"FetchShuffleBlocks",
     b'{"request_id": 1, "shuffle_id": 999, "map_index": 0, "start": 0, "end": 1}'],
    [pickle.dumps(object())],
]


def _throw(address: str) -> None:
    sock = zmq.Context.instance().socket(zmq.DEALER)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(address)
    for frames in GARBAGE:
        sock.send_multipart(frames)
    sock.close()


def test_driver_and_block_servers_survive_garbage() -> None:
    conf = SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("garbage")
    with SparkContext(conf=conf) as sc:
        pairs = sc.parallelize(range(1000), 4).map(lambda x: (x % 7, 1))
        assert sum(pairs.reduceByKey(operator.add).values().collect()) == 1000
        deadline = time.monotonic() + 60
        while len(sc._scheduler.slots) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)  # on a loaded machine the second slot may register after the job
        before = set(sc._scheduler.slots)
        assert len(before) == 2
        _throw(sc._scheduler.url)
        for slot in list(sc._scheduler.slots.values()):
            _throw(slot.block_address)
        assert sum(pairs.reduceByKey(operator.add, 3).values().collect()) == 1000
        assert set(sc._scheduler.slots) == before, "an executor slot was lost to garbage"


def test_status_update_from_a_peer_not_running_the_task_is_ignored() -> None:
    import threading
    import time

    from pyspk.protocol.app import StatusUpdate
    from pyspk.rpc import sockets
    from pyspk.rpc.security import Security
    conf = SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("forged")
    with SparkContext(conf=conf) as sc:
        result: list = []
        job = threading.Thread(target=lambda: result.extend(
            sc.parallelize([1], 1).map(lambda x: (time.sleep(1.5), x)[1]).collect()))
        job.start()
        deadline = time.monotonic() + 10
        while not sc._scheduler.tasks and time.monotonic() < deadline:
            time.sleep(0.01)
        tid = next(iter(sc._scheduler.tasks))
        forger = sockets.connect_dealer(sc._scheduler.url, b"0/0-forged", Security(), 1 << 20)
        sockets.send(forger, StatusUpdate(task_id=tid, state="FINISHED",
                                          result=pickle.dumps(["forged"])))
        job.join(20)
        forger.close(linger=0)
        assert result == [1]
