"""What the master knows about workers, applications and executors: plain records, with their
JSON forms for the web UI and for FILESYSTEM recovery."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from pyspk.deploy.states import ApplicationState, ExecutorState, WorkerState, transition


@dataclass(frozen=True)
class AppDescription:
    """An application's request. ``cores_max``/``executor_cores`` None: unlimited/unset."""

    name: str
    user: str
    cores_max: int | None
    executor_cores: int | None
    executor_memory_mb: int
    driver_url: str
    env: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "user": self.user, "cores_max": self.cores_max,
                "executor_cores": self.executor_cores, "executor_memory_mb": self.executor_memory_mb,
                "driver_url": self.driver_url, "env": dict(self.env)}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> "AppDescription":
        return cls(name=str(d["name"]), user=str(d["user"]), cores_max=d["cores_max"],
                   executor_cores=d["executor_cores"], executor_memory_mb=int(d["executor_memory_mb"]),
                   driver_url=str(d["driver_url"]), env=dict(d.get("env", {})))


@dataclass
class ExecutorInfo:
    """One executor of an application on a worker."""

    app_id: str
    executor_id: str
    worker_id: str
    cores: int
    memory_mb: int
    state: ExecutorState = ExecutorState.LAUNCHING

    @property
    def full_id(self) -> str:
        return f"{self.app_id}/{self.executor_id}"

    def move(self, new: ExecutorState) -> None:
        self.state = transition(self.state, new)  # type: ignore[assignment]


@dataclass
class WorkerInfo:
    """A registered worker daemon; ``peer`` is its identity on the master's ROUTER."""

    worker_id: str
    host: str
    port: int
    cores: int
    memory_mb: int
    webui_url: str
    peer: bytes
    last_heartbeat: float
    state: WorkerState = WorkerState.ALIVE
    executors: dict[str, ExecutorInfo] = field(default_factory=dict)

    @property
    def cores_used(self) -> int:
        return sum(e.cores for e in self.executors.values())

    @property
    def memory_used(self) -> int:
        return sum(e.memory_mb for e in self.executors.values())

    @property
    def cores_free(self) -> int:
        return self.cores - self.cores_used

    @property
    def memory_free(self) -> int:
        return self.memory_mb - self.memory_used

    def move(self, new: WorkerState) -> None:
        self.state = transition(self.state, new)  # type: ignore[assignment]

    def to_json(self) -> dict[str, Any]:
        """Spark's ``/json`` worker fields."""
        return {"id": self.worker_id, "host": self.host, "port": self.port,
                "webuiaddress": self.webui_url, "cores": self.cores, "coresused": self.cores_used,
                "coresfree": self.cores_free, "memory": self.memory_mb, "memoryused": self.memory_used,
                "memoryfree": self.memory_free, "resources": {}, "resourcesused": {},
                "resourcesfree": {}, "state": str(self.state),
                "lastheartbeat": int(self.last_heartbeat * 1000)}


@dataclass
class AppInfo:
    """A registered application; ``peer`` is its client's identity on the master's ROUTER."""

    app_id: str
    desc: AppDescription
    peer: bytes
    submit_time: float
    last_heartbeat: float
    state: ApplicationState = ApplicationState.WAITING
    executors: dict[str, ExecutorInfo] = field(default_factory=dict)
    next_executor_id: int = 0
    retry_count: int = 0
    end_time: float | None = None
    warned_unfit: bool = False
    executor_limit: int | None = None

    @property
    def cores_granted(self) -> int:
        return sum(e.cores for e in self.executors.values())

    @property
    def cores_left(self) -> int:
        cap = self.desc.cores_max
        return (cap if cap is not None else 1 << 30) - self.cores_granted

    @property
    def live(self) -> bool:
        return self.state in (ApplicationState.WAITING, ApplicationState.RUNNING,
                              ApplicationState.UNKNOWN)

    def move(self, new: ApplicationState) -> None:
        self.state = transition(self.state, new)  # type: ignore[assignment]

    def to_json(self, now: float | None = None) -> dict[str, Any]:
        """Spark's ``/json`` application fields."""
        end = self.end_time if self.end_time is not None else (now or time.time())
        mem = self.desc.executor_memory_mb
        return {"id": self.app_id, "starttime": int(self.submit_time * 1000), "name": self.desc.name,
                "cores": self.cores_granted, "user": self.desc.user, "memoryperexecutor": mem,
                "memoryperslave": mem, "resourcesperexecutor": [], "resourcesperslave": [],
                "submitdate": time.strftime("%a %b %d %H:%M:%S %Z %Y", time.localtime(self.submit_time)),
                "state": str(self.state), "duration": int((end - self.submit_time) * 1000)}
