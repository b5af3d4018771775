"""A shared local[2] context for the core integration tests."""
from __future__ import annotations

import pytest

from pyspk import SparkConf, SparkContext


@pytest.fixture(scope="module")
def sc():
    conf = SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("core-tests")
    ctx = SparkContext(conf=conf)
    yield ctx
    ctx.stop()
