"""Cluster plane: what the master, the worker daemons and the drivers' application clients say.

Nothing here carries a closure or a pickle; every field is JSON. Memory is in MiB as Spark's
deploy messages count it. Grouped by direction.
"""
from __future__ import annotations

from pyspk.protocol.base import Message, register


class ClusterMessage(Message):
    plane = "cluster"


# ---- worker -> master
@register
class RegisterWorker(ClusterMessage):
    """A worker daemon offers its cores and memory; ``port`` is its own ROUTER port."""
    worker_id: str
    host: str
    port: int
    cores: int
    memory_mb: int
    webui_url: str


@register
class ReregisterWorker(ClusterMessage):
    """A worker answers ``ReconnectWorker`` (a restarted or partitioned master) with its
    running executors, each ``{"app_id", "executor_id", "cores", "memory_mb"}``."""
    worker_id: str
    host: str
    port: int
    cores: int
    memory_mb: int
    webui_url: str
    executors: list[dict[str, str | int]] = []


@register
class WorkerHeartbeat(ClusterMessage):
    worker_id: str


@register
class WorkerStopped(ClusterMessage):
    """The worker is shutting down (its executors are being killed): forget it now rather
    than after spark.worker.timeout."""
    worker_id: str


@register
class ExecutorStateChanged(ClusterMessage):
    """An executor process started (RUNNING) or ended (EXITED, FAILED, KILLED)."""
    app_id: str
    executor_id: str
    state: str
    message: str = ""
    exit_status: int | None = None


# ---- master -> worker
@register
class RegisteredWorker(ClusterMessage):
    master_url: str
    master_webui_url: str


@register
class RegisterWorkerFailed(ClusterMessage):
    message: str


@register
class ReconnectWorker(ClusterMessage):
    """The master does not know this worker (it restarted or declared it dead): re-register."""
    master_url: str


@register
class LaunchExecutor(ClusterMessage):
    """Start ``python -m pyspk.executor`` for an application with these resources."""
    app_id: str
    executor_id: str
    app_name: str
    cores: int
    memory_mb: int
    driver_url: str
    env: dict[str, str] = {}


@register
class KillExecutor(ClusterMessage):
    app_id: str
    executor_id: str


@register
class ApplicationFinished(ClusterMessage):
    """The application ended: kill whatever executors of it are left."""
    app_id: str


# ---- application client (driver) -> master
@register
class RegisterApplication(ClusterMessage):
    """A driver asks for executors. ``executor_cores`` 0 means "unset": one executor per
    worker with all the cores it can give (Spark's standalone default). ``cores_max`` 0 means
    unlimited. ``app_id`` is set when re-registering with a restarted master."""
    name: str
    user: str
    cores_max: int
    executor_cores: int
    executor_memory_mb: int
    driver_url: str
    env: dict[str, str] = {}
    app_id: str = ""


@register
class ApplicationHeartbeat(ClusterMessage):
    app_id: str


@register
class UnregisterApplication(ClusterMessage):
    app_id: str


# ---- master -> application client
@register
class RegisteredApplication(ClusterMessage):
    app_id: str
    master_url: str


@register
class ExecutorAdded(ClusterMessage):
    executor_id: str
    worker_id: str
    host_port: str
    cores: int
    memory_mb: int


@register
class ExecutorUpdated(ClusterMessage):
    """An executor changed state; a finished state (EXITED, FAILED, KILLED, LOST) means it is gone."""
    executor_id: str
    state: str
    message: str = ""
    exit_status: int | None = None
    worker_lost: bool = False


@register
class ApplicationRemoved(ClusterMessage):
    message: str


@register
class ReconnectApplication(ClusterMessage):
    """The master does not know this application (it restarted): register again."""
    master_url: str


# ---- anyone -> worker ROUTER
@register
class RequestWorkerState(ClusterMessage):
    """Ask a worker daemon what it runs (tools and tests)."""


@register
class WorkerStateResponse(ClusterMessage):
    worker_id: str
    master_url: str
    executors: list[dict[str, str | int]] = []
