"""Suite-wide fixtures."""
from __future__ import annotations

import logging

import pytest


@pytest.fixture(autouse=True)
def _pyspk_logs_reach_caplog():
    """A SparkContext routes pyspk's records to its own stderr handler without propagating;
    tests that inspect logs with ``caplog`` need them to reach the root logger too."""
    logger = logging.getLogger("pyspk")
    before = logger.propagate
    logger.propagate = True
    yield
    logger.propagate = before
