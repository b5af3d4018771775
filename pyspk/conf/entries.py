"""Every configuration key pyspk reads, declared once with its type, default and meaning.

Keys are Spark's; pyspk's own keys live under ``spark.pyspk.*``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from pyspk.conf.units import parse_bytes, parse_seconds


def _parse_bool(text: str) -> bool:
    low = str(text).strip().lower()
    if low in ("true", "1", "yes"):
        return True
    if low in ("false", "0", "no"):
        return False
    raise ValueError(f"not a boolean: {text!r}")


@dataclass(frozen=True)
class ConfigEntry:
    """One config key: how to parse it and what it defaults to."""

    key: str
    parse: Callable[[str], Any]
    default: Any
    doc: str


ENTRIES: dict[str, ConfigEntry] = {}


def _entry(key: str, parse: Callable[[str], Any], default: Any, doc: str) -> ConfigEntry:
    e = ConfigEntry(key, parse, default, doc)
    ENTRIES[key] = e
    return e


def _mib(text: str) -> int:
    return parse_bytes(text, "m")


APP_NAME = _entry("spark.app.name", str, None, "Application name.")
MASTER = _entry("spark.master", str, "local[*]", "Master URL.")
DRIVER_HOST = _entry("spark.driver.host", str, "127.0.0.1", "Address executors reach the driver at.")
DRIVER_PORT = _entry("spark.driver.port", int, 0, "Driver's RPC port (0: any free port).")
DRIVER_MEMORY = _entry("spark.driver.memory", _mib, 1024 << 20, "Driver memory.")
DRIVER_MAX_RESULT = _entry("spark.driver.maxResultSize", _mib, 1024 << 20,
                           "Largest total of task results an action may collect (0: unlimited).")
EXECUTOR_MEMORY = _entry("spark.executor.memory", _mib, 1024 << 20, "Memory of each executor.")
EXECUTOR_CORES = _entry("spark.executor.cores", int, 1, "Task slots of each executor.")
EXECUTOR_HEARTBEAT = _entry("spark.executor.heartbeatInterval", parse_seconds, 10.0,
                            "Executor to driver heartbeat period.")
NETWORK_TIMEOUT = _entry("spark.network.timeout", parse_seconds, 120.0,
                         "An executor silent this long is lost.")
TASK_MAX_FAILURES = _entry("spark.task.maxFailures", int, 4, "Attempts of a task before its job fails.")
DEFAULT_PARALLELISM = _entry("spark.default.parallelism", int, None, "Default partition count.")
LOCAL_DIR = _entry("spark.local.dir", str, None, "Scratch space for shuffle and spill files.")
PYTHON_WORKER_MEMORY = _entry("spark.python.worker.memory", _mib, 512 << 20,
                              "Memory an aggregation may use before it spills to disk.")
SHUFFLE_READ_HOST_LOCAL = _entry("spark.shuffle.readHostLocalDisk", _parse_bool, True,
                                 "Read shuffle blocks of same-host executors straight from disk.")
SHUFFLE_MAX_RETRIES = _entry("spark.shuffle.io.maxRetries", int, 3, "Retries of a block fetch.")
SHUFFLE_CONNECTION_TIMEOUT = _entry("spark.shuffle.io.connectionTimeout", parse_seconds, 120.0,
                                    "Wait for a block server's answer before retrying.")
SHUFFLE_RETRY_WAIT = _entry("spark.shuffle.io.retryWait", parse_seconds, 0.2,
                            "Wait between block fetch retries.")
REDUCER_MAX_IN_FLIGHT = _entry("spark.reducer.maxSizeInFlight", _mib, 48 << 20,
                               "Bytes of remote shuffle blocks requested at once by a reducer.")
RPC_MAX_SIZE = _entry("spark.rpc.message.maxSize", _mib, 1024 << 20,
                      "Largest application-plane message in bytes.")
AUTHENTICATE = _entry("spark.authenticate", _parse_bool, False, "Authenticate every link.")
AUTH_SECRET = _entry("spark.authenticate.secret", str, None, "Shared secret.")
AUTH_SECRET_FILE = _entry("spark.authenticate.secret.file", str, None, "File holding the secret.")
UI_ENABLED = _entry("spark.ui.enabled", _parse_bool, True, "Serve the application web UI.")
UI_PORT = _entry("spark.ui.port", int, 4040, "Port of the application web UI (next free if taken).")
SHOW_PROGRESS = _entry("spark.ui.showConsoleProgress", _parse_bool, False,
                       "Console progress bar on a terminal's stderr.")
LOG_LEVEL = _entry("spark.log.level", str, None, "Root log level set at context start.")
CHECKPOINT_DIR = _entry("spark.checkpoint.dir", str, None, "Default checkpoint directory.")
PYSPARK_PYTHON = _entry("spark.pyspark.python", str, None, "Python executable of executors.")
WORKER_TIMEOUT = _entry("spark.worker.timeout", parse_seconds, 60.0,
                        "A worker silent this long is dead.")
CORES_MAX = _entry("spark.cores.max", int, None, "Cores an application takes across the cluster.")
SPREAD_OUT = _entry("spark.deploy.spreadOut", _parse_bool, True, "Spread executors across workers.")
MAX_EXECUTOR_RETRIES = _entry("spark.deploy.maxExecutorRetries", int, 10,
                              "Executor failures in a row before an application is removed.")
RECOVERY_MODE = _entry("spark.deploy.recoveryMode", str, "NONE", "NONE or FILESYSTEM.")
RECOVERY_DIR = _entry("spark.deploy.recoveryDirectory", str, None, "Master's recovery state.")
EXECUTOR_START_TIMEOUT = _entry("spark.pyspk.executor.startTimeout", parse_seconds, 60.0,
                                "Wait for executors to register before a job fails.")
EXECUTOR_PRELOAD = _entry("spark.pyspk.executor.preloadModules", str, "pyspk.rdd",
                          "Comma-separated modules an idle executor imports in the background "
                          "after it registers, so the first task using them does not pay the "
                          "import (pyarrow is left out: it slows RDD-only start-up).")
BARRIER_CHECK_INTERVAL = _entry("spark.scheduler.barrier.maxConcurrentTasksCheck.interval",
                                parse_seconds, 0.5,
                                "Wait before re-checking that a barrier stage fits the slots "
                                "(shorter than Spark's 15 s: executors register after start-up).")
BARRIER_CHECK_FAILURES = _entry("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures",
                                int, 40, "Checks before a barrier stage that does not fit fails.")
SQL_SHUFFLE_PARTITIONS = _entry("spark.sql.shuffle.partitions", int, 200,
                                "Partitions of SQL shuffles.")


def lookup(key: str) -> ConfigEntry | None:
    """The declared entry of ``key``, or None for a key pyspk does not interpret."""
    return ENTRIES.get(key)
