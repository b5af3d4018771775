"""Contexts for the core integration tests: every test using ``sc`` runs on local[2] (executor
processes spawned by the driver) and on local-cluster (a real master and two workers)."""
from __future__ import annotations

import pytest

from pyspk import SparkConf, SparkContext


@pytest.fixture(scope="module", autouse=True)
def _no_context_left_by_other_modules():
    """Other test modules may leave a session running (SQL tests share one with getOrCreate);
    these tests create their own contexts, and only one may run per process."""
    from pyspk.sql import SparkSession
    session = SparkSession.getActiveSession()
    if session is not None:
        session.stop()
    if SparkContext._active_spark_context is not None:
        SparkContext._active_spark_context.stop()


@pytest.fixture(scope="module", params=["local[2]", "local-cluster[2,1,1024]"])
def sc(request):
    conf = SparkConf(loadDefaults=False).setMaster(request.param).setAppName("core-tests")
    ctx = SparkContext(conf=conf)
    yield ctx
    ctx.stop()
