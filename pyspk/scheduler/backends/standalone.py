"""Standalone mode (``spark://host:port`` and ``local-cluster[W,C,M]``): executors come from a
master's workers, asked for through the deploy application client."""
from __future__ import annotations

import getpass
import logging

from pyspk.conf import SparkConf, entries
from pyspk.conf import deploy_entries
from pyspk.deploy.app_client import AppClient, AppClientListener, ApplicationRequest
from pyspk.rpc.security import Security
from pyspk.scheduler.backend import BackendListener, ExecutorBackend

log = logging.getLogger("pyspk.scheduler.StandaloneSchedulerBackend")


def application_request(conf: SparkConf, driver_url: str) -> ApplicationRequest:
    """What to ask the master for, from the application's conf (Spark's keys)."""
    env = {"PYTHONHASHSEED": "0"}
    for key, value in conf.getAll():
        if key.startswith("spark.executorEnv."):
            env[key[len("spark.executorEnv."):]] = value
    python = conf.typed(entries.PYSPARK_PYTHON)
    if python:
        env.setdefault("PYSPARK_PYTHON", python)
    return ApplicationRequest(
        name=conf.get("spark.app.name") or "pyspk",
        user=_user(),
        cores_max=conf.typed(entries.CORES_MAX) or 0,
        executor_cores=conf.typed(entries.EXECUTOR_CORES) if conf.contains("spark.executor.cores") else 0,
        executor_memory_mb=conf.typed(entries.EXECUTOR_MEMORY) >> 20,
        driver_url=driver_url, env=env)


class StandaloneBackend(ExecutorBackend):
    """Registers the application with the master at ``master_url`` and reports lost executors."""

    def __init__(self, conf: SparkConf, master_url: str) -> None:
        self.conf = conf
        self.master_url = master_url
        self.client: AppClient | None = None
        self.listener: BackendListener | None = None

    def start(self, driver_url: str, listener: BackendListener) -> str:
        request = application_request(self.conf, driver_url)
        self.listener = listener
        callbacks = AppClientListener(executor_removed=listener.executor_lost,
                                      application_removed=self._removed)
        self.client = AppClient(self.master_url, request, Security.from_conf(self.conf.get),
                                callbacks, self.conf.typed(deploy_entries.APP_HEARTBEAT_INTERVAL))
        return self.client.start(self.conf.typed(deploy_entries.APP_REGISTRATION_TIMEOUT))

    def stop(self) -> None:
        if self.client is not None:
            self.client.stop()
            self.client = None

    def default_parallelism(self) -> int:
        configured = self.conf.typed(entries.DEFAULT_PARALLELISM)
        if configured:
            return configured
        return max(self.listener.registered_slots() if self.listener else 0, 2)

    def _removed(self, reason: str) -> None:
        log.error("Application has been killed. Reason: %s", reason)
        if self.listener is not None:
            self.listener.application_removed(reason)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
