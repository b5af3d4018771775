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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-pyspark", action="store_true", default=False,
                     help="run the tests that compare with a real PySpark install")
    parser.addoption("--pyspark-python", default=None,
                     help="python of a venv with pyspark==4.3.0 (else $PYSPARK_REF_PYTHON)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-pyspark"):
        return
    skip = pytest.mark.skip(reason="compares with PySpark: opt in with --run-pyspark")
    for item in items:
        if "pyspark" in item.keywords:
            item.add_marker(skip)
