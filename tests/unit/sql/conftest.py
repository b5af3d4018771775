"""A local[2] session shared by the SQL unit tests."""
from __future__ import annotations

import pytest

from pyspk.sql import SparkSession


@pytest.fixture(scope="module")
def spark():
    session = SparkSession.builder.master("local[2]").appName("sql-unit").getOrCreate()
    yield session
