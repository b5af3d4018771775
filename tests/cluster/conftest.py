"""Fixtures of the cluster tests: every process a test starts is killed by pid at its end."""
from __future__ import annotations

from pathlib import Path

import pytest

from cluster_support import Processes, SbinCluster


@pytest.fixture
def procs(tmp_path: Path):
    p = Processes(tmp_path)
    yield p
    p.kill_all()


@pytest.fixture
def sbin(tmp_path: Path):
    c = SbinCluster(tmp_path)
    yield c
    c.kill_all()
