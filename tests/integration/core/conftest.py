"""Contexts for the core integration tests: every test using ``sc`` runs on local[2] (executor
processes spawned by the driver) and on local-cluster (a real master and two workers)."""
from __future__ import annotations

import pytest

from pyspk import SparkConf, SparkContext


@pytest.fixture(scope="module", params=["local[2]", "local-cluster[2,1,1024]"])
def sc(request):
    conf = SparkConf(loadDefaults=False).setMaster(request.param).setAppName("core-tests")
    ctx = SparkContext(conf=conf)
    yield ctx
    ctx.stop()
