"""Config keys of the standalone cluster (master, workers, application client) beyond those in
``entries``; declared once here and registered with ``entries.lookup``."""
from __future__ import annotations

from typing import Any, Callable

from pyspk.conf.entries import ENTRIES, ConfigEntry
from pyspk.conf.units import parse_seconds


def _declare(key: str, parse: Callable[[str], Any], default: Any, doc: str) -> ConfigEntry:
    entry = ConfigEntry(key, parse, default, doc)
    ENTRIES[key] = entry
    return entry


DEFAULT_CORES = _declare("spark.deploy.defaultCores", int, None,
                         "Cores an application gets when it sets no spark.cores.max (unset: all).")
RETAINED_APPLICATIONS = _declare("spark.deploy.retainedApplications", int, 200,
                                 "Completed applications the master lists.")
DEAD_WORKER_PERSISTENCE = _declare("spark.dead.worker.persistence", int, 15,
                                   "Worker timeouts a dead worker stays listed.")
APP_TIMEOUT = _declare("spark.pyspk.deploy.appTimeout", parse_seconds, None,
                       "A driver silent this long loses its application (unset: "
                       "spark.worker.timeout).")
REGISTRATION_BACKOFF_MAX = _declare("spark.pyspk.worker.registrationBackoffMax", parse_seconds, 5.0,
                                    "Longest wait between a worker's registration attempts.")
MEMORY_CHECK_INTERVAL = _declare("spark.pyspk.worker.memoryCheckInterval", parse_seconds, 1.0,
                                 "How often a worker measures its executors' memory.")
EXECUTOR_MEMORY_OVERHEAD = _declare("spark.pyspk.worker.memoryOverheadFactor", float, 1.5,
                                    "An executor is killed when its processes' resident memory "
                                    "exceeds spark.executor.memory times this factor.")
APP_HEARTBEAT_INTERVAL = _declare("spark.pyspk.app.heartbeatInterval", parse_seconds, 1.0,
                                  "How often a driver tells the master it is alive.")
APP_REGISTRATION_TIMEOUT = _declare("spark.pyspk.app.registrationTimeout", parse_seconds, 60.0,
                                    "How long a driver waits for a master before giving up.")
EXECUTOR_START_GRACE = _declare("spark.pyspk.worker.executorStartGrace", parse_seconds, 1.0,
                                "An executor process alive this long counts as RUNNING; failures "
                                "before that count towards spark.deploy.maxExecutorRetries.")
