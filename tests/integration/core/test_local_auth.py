"""With spark.authenticate every local link is CurveZMQ: jobs run, and a peer without the
secret can neither register as an executor nor fetch blocks."""
from __future__ import annotations

import operator
import time

from pyspk import SparkConf, SparkContext
from pyspk.protocol.app import FetchShuffleBlocks, RegisterExecutor
from pyspk.rpc import sockets
from pyspk.rpc.security import Security


def test_authenticated_local_mode() -> None:
    conf = (SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("auth")
            .set("spark.authenticate", "true").set("spark.authenticate.secret", "s3cr3t"))
    with SparkContext(conf=conf) as sc:
        pairs = sc.parallelize(range(100), 4).map(lambda x: (x % 3, x))
        assert dict(pairs.reduceByKey(operator.add).collect()) == {
            k: sum(x for x in range(100) if x % 3 == k) for k in range(3)}
        for secret in (None, "wrong"):
            intruder = sockets.connect_dealer(sc._scheduler.url, b"9/0",
                                              Security.from_secret(secret), 1 << 20)
            sockets.send(intruder, RegisterExecutor(executor_id="9", slot=0, app_id="x",
                                                    host="127.0.0.1", pid=1,
                                                    block_address="tcp://127.0.0.1:1"))
            slot = next(iter(sc._scheduler.slots.values()))
            fetcher = sockets.connect_dealer(slot.block_address, None,
                                             Security.from_secret(secret), 1 << 20)
            sockets.send(fetcher, FetchShuffleBlocks(request_id=1, shuffle_id=0, map_index=0,
                                                     start=0, end=1))
            time.sleep(0.5)
            assert not fetcher.poll(300), "a peer without the secret got a block answer"
            assert "9/0" not in sc._scheduler.slots
            intruder.close(linger=0)
            fetcher.close(linger=0)
        assert sc.parallelize(range(10)).sum() == 45
