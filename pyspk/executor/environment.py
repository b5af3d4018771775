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
    task_memory: int = 0
    """Execution memory of one task: Spark's unified memory (executor memory ×
    ``spark.memory.fraction``) shared by the tasks that run at once (see ``task_memory``)."""


_env: ExecutorEnvironment | None = None


def task_memory(conf: SparkConf, cores: int) -> int:
    """Bytes one task may hold in SQL operators before they spill: executor memory ×
    ``spark.memory.fraction`` ÷ the tasks running at once. An executor of ``cores`` slots runs
    that many; in local mode every executor is one slot of the driver's JVM-equivalent, so the
    driver's memory is shared by the ``N`` of ``local[N]``, as in Spark."""
    from pyspk.master_url import parse_master
    fraction = float(conf.get("spark.memory.fraction", "0.6"))
    memory, tasks = conf.typed(entries.EXECUTOR_MEMORY), max(1, cores)
    try:
        master = parse_master(conf.get("spark.master", ""))
    except ValueError:
        master = None
    if master is not None and master.kind == "local":
        memory, tasks = conf.typed(entries.DRIVER_MEMORY), master.threads
    return int(memory * fraction / tasks)


def configure(conf: SparkConf, dirs: ExecutorDirs, fetch: FetchSettings, executor_id: str,
              host: str, block_address: str, cores: int = 1) -> None:
    global _env
    _env = ExecutorEnvironment(conf, dirs, fetch, conf.typed(entries.PYTHON_WORKER_MEMORY),
                               executor_id, host, block_address, task_memory(conf, cores))


def get() -> ExecutorEnvironment:
    """The executor environment; raises outside an executor."""
    if _env is None:
        raise RuntimeError("not inside a pyspk executor")
    return _env
