"""What code running inside a task needs from its executor: the app's conf, scratch dirs,
shuffle fetch settings and the memory limit for spilling. Empty on the driver."""
from __future__ import annotations

from dataclasses import dataclass

from pyspk.conf import SparkConf, entries
from pyspk.shuffle.reader import FetchSettings
from pyspk.storage.dirs import ExecutorDirs


@dataclass
class ExecutorEnvironment:
    conf: SparkConf
    dirs: ExecutorDirs
    fetch: FetchSettings
    memory_limit: int
    executor_id: str
    host: str
    block_address: str


_env: ExecutorEnvironment | None = None


def configure(conf: SparkConf, dirs: ExecutorDirs, fetch: FetchSettings, executor_id: str,
              host: str, block_address: str) -> None:
    global _env
    _env = ExecutorEnvironment(conf, dirs, fetch, conf.typed(entries.PYTHON_WORKER_MEMORY),
                               executor_id, host, block_address)


def get() -> ExecutorEnvironment:
    """The executor environment; raises outside an executor."""
    if _env is None:
        raise RuntimeError("not inside a pyspk executor")
    return _env
