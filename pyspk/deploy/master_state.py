"""The master's state machine: takes received messages and clock ticks with ``now``, returns
commands (messages to send, "persist the state"). No sockets, no clock of its own.

It registers workers and applications, allocates executors with ``allocation``, replaces lost
executors, drops silent workers and applications, and completes recovery after a restart.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Callable

from pyspk.deploy.allocation import AppDemand, FreeWorker, schedule_executors
from pyspk.deploy.model import AppDescription, AppInfo, ExecutorInfo, WorkerInfo
from pyspk.deploy.states import (TRANSITIONS, ApplicationState, ExecutorState, RecoveryState,
                                 WorkerState)
from pyspk.deploy.urls import APP_ID
from pyspk.protocol.base import Message
from pyspk.protocol import cluster as m

log = logging.getLogger("pyspk.deploy.Master")


@dataclass(frozen=True)
class Send:
    """Send ``msg`` to the ROUTER peer ``peer``."""

    peer: bytes
    msg: Message


@dataclass(frozen=True)
class Persist:
    """The recoverable state changed: write ``MasterState.recovery_snapshot()``."""


Command = Send | Persist


@dataclass(frozen=True)
class MasterConfig:
    """The master's settings (from ``spark.worker.timeout``, ``spark.deploy.*``)."""

    master_url: str
    webui_url: str = ""
    worker_timeout: float = 60.0
    app_timeout: float = 60.0
    spread_out: bool = True
    max_executor_retries: int = 10
    default_cores: int | None = None
    retained_applications: int = 200
    dead_worker_persistence: int = 15


class MasterState:
    """All the master knows; ``handle``/``tick`` are its only inputs."""

    def __init__(self, config: MasterConfig, now: float,
                 recovered: dict[str, Any] | None = None) -> None:
        self.config = config
        self.workers: dict[str, WorkerInfo] = {}
        self.apps: dict[str, AppInfo] = {}
        self.waiting: list[str] = []
        self.completed: list[AppInfo] = []
        self.next_app_number = 0
        self.state = RecoveryState.ALIVE
        self.recovery_deadline = 0.0
        if recovered and (recovered.get("workers") or recovered.get("apps")):
            self._load(recovered, now)
        self._handlers: dict[type, Callable[[bytes, Any, float], list[Command]]] = {
            m.RegisterWorker: self._register_worker,
            m.ReregisterWorker: self._reregister_worker,
            m.WorkerHeartbeat: self._worker_heartbeat,
            m.WorkerStopped: self._worker_stopped,
            m.ExecutorStateChanged: self._executor_state_changed,
            m.RegisterApplication: self._register_application,
            m.ApplicationHeartbeat: self._app_heartbeat,
            m.UnregisterApplication: self._unregister_application,
        }

    # ---- inputs
    def handle(self, peer: bytes, msg: Message, now: float) -> list[Command]:
        """Commands in answer to ``msg`` from ``peer``; messages a master does not take are ignored."""
        handler = self._handlers.get(type(msg))
        if handler is None:
            log.warning("Ignoring %s: not a message for the master", msg.op())
            return []
        return handler(peer, msg, now)

    def tick(self, now: float) -> list[Command]:
        """Time-driven work: silent workers and applications, the end of recovery."""
        out: list[Command] = []
        if self.state == RecoveryState.RECOVERING:
            unknown = [w for w in self.workers.values() if w.state == WorkerState.UNKNOWN] + \
                      [a for a in self.apps.values() if a.state == ApplicationState.UNKNOWN]
            if not unknown or now >= self.recovery_deadline:
                out += self._complete_recovery(now)
            return out
        for w in list(self.workers.values()):
            if w.state == WorkerState.ALIVE and now - w.last_heartbeat > self.config.worker_timeout:
                log.warning("Removing worker %s on %s:%d because we got no heartbeat in %d seconds",
                            w.worker_id, w.host, w.port, int(self.config.worker_timeout))
                out += self._remove_worker(w, now, "no heartbeat")
            elif (w.state == WorkerState.DEAD and now - w.last_heartbeat >
                  self.config.worker_timeout * (self.config.dead_worker_persistence + 1)):
                del self.workers[w.worker_id]
        for app in list(self.apps.values()):
            if app.live and now - app.last_heartbeat > self.config.app_timeout:
                log.warning("Removing application %s: its driver has been silent for %d seconds",
                            app.app_id, int(self.config.app_timeout))
                out += self._remove_app(app, ApplicationState.FINISHED, now, "driver disappeared")
        return out

    def peer_disconnected(self, peer: bytes, now: float) -> list[Command]:
        """The connection ``peer`` spoke on closed. A driver's closing means it is gone (as
        Spark's master treats a disconnected driver); workers reconnect by themselves and are
        judged by their heartbeats."""
        app = next((a for a in self.apps.values() if a.live and a.peer == peer), None)
        if app is None:
            return []
        log.info("Application %s's driver disconnected; removing it", app.app_id)
        return self._remove_app(app, ApplicationState.FINISHED, now, "driver disconnected")

    # ---- views
    def alive_workers(self) -> list[WorkerInfo]:
        return [w for w in self.workers.values() if w.state == WorkerState.ALIVE]

    def to_json(self, now: float) -> dict[str, Any]:
        """Spark's master ``/json`` document."""
        alive = self.alive_workers()
        return {
            "url": self.config.master_url,
            "workers": [w.to_json() for w in self.workers.values()],
            "aliveworkers": len(alive),
            "cores": sum(w.cores for w in alive), "coresused": sum(w.cores_used for w in alive),
            "memory": sum(w.memory_mb for w in alive),
            "memoryused": sum(w.memory_used for w in alive),
            "resources": [], "resourcesused": [],
            "activeapps": [a.to_json(now) for a in self.apps.values()],
            "completedapps": [a.to_json(now) for a in self.completed],
            "activedrivers": [], "completeddrivers": [],
            "status": str(self.state),
        }

    def recovery_snapshot(self) -> dict[str, Any]:
        """What FILESYSTEM recovery writes: live workers and applications with their executors."""
        return {
            "next_app_number": self.next_app_number,
            "workers": [{"id": w.worker_id, "host": w.host, "port": w.port, "cores": w.cores,
                         "memory_mb": w.memory_mb, "webui_url": w.webui_url}
                        for w in self.workers.values() if w.state != WorkerState.DEAD],
            "apps": [{"id": a.app_id, "desc": a.desc.to_json(), "submit_time": a.submit_time,
                      "next_executor_id": a.next_executor_id, "executor_limit": a.executor_limit,
                      "executors": [{"id": e.executor_id, "worker_id": e.worker_id, "cores": e.cores,
                                     "memory_mb": e.memory_mb} for e in a.executors.values()]}
                     for a in self.apps.values() if a.live],
        }

    # ---- workers
    def _register_worker(self, peer: bytes, msg: m.RegisterWorker, now: float) -> list[Command]:
        old = self.workers.get(msg.worker_id)
        if old is not None and old.state != WorkerState.DEAD:
            if (old.host, old.port) == (msg.host, msg.port):
                old.peer, old.last_heartbeat = peer, now  # a retried registration
                return [self._registered(peer)]
            log.warning("Refusing worker %s: duplicate worker ID", msg.worker_id)
            return [Send(peer, m.RegisterWorkerFailed(message="Duplicate worker ID"))]
        self._add_worker(peer, msg, now)
        log.info("Registering worker %s:%d with %d cores, %d MiB RAM", msg.host, msg.port,
                 msg.cores, msg.memory_mb)
        return [self._registered(peer), Persist(), *self._schedule(now)]

    def _reregister_worker(self, peer: bytes, msg: m.ReregisterWorker, now: float) -> list[Command]:
        w = self.workers.get(msg.worker_id)
        if w is None or w.state == WorkerState.DEAD:
            w = self._add_worker(peer, msg, now)
        else:
            w.peer, w.last_heartbeat = peer, now
            w.move(WorkerState.ALIVE)
        log.info("Worker %s re-registered with %d executor(s)", w.worker_id, len(msg.executors))
        out: list[Command] = [self._registered(peer)]
        reported = set()
        for e in msg.executors:
            app_id, exec_id = str(e.get("app_id")), str(e.get("executor_id"))
            reported.add(f"{app_id}/{exec_id}")
            app = self.apps.get(app_id)
            known = app.executors.get(exec_id) if app is not None and app.live else None
            if known is not None and known.worker_id == w.worker_id:
                w.executors[known.full_id] = known
                if known.state == ExecutorState.LAUNCHING:
                    known.move(ExecutorState.RUNNING)
            else:
                out.append(Send(peer, m.KillExecutor(app_id=app_id, executor_id=exec_id)))
        for app in self.apps.values():
            for e in list(app.executors.values()):
                if e.worker_id == w.worker_id and e.full_id not in reported:
                    out += self._executor_gone(app, e, ExecutorState.LOST,
                                               "executor missing after worker re-registration", None)
        return out + [Persist(), *self._schedule(now)]

    def _add_worker(self, peer: bytes, msg: m.RegisterWorker | m.ReregisterWorker,
                    now: float) -> WorkerInfo:
        w = WorkerInfo(worker_id=msg.worker_id, host=msg.host, port=msg.port, cores=msg.cores,
                       memory_mb=msg.memory_mb, webui_url=msg.webui_url, peer=peer,
                       last_heartbeat=now)
        self.workers[w.worker_id] = w
        return w

    def _registered(self, peer: bytes) -> Send:
        return Send(peer, m.RegisteredWorker(master_url=self.config.master_url,
                                             master_webui_url=self.config.webui_url))

    def _worker_heartbeat(self, peer: bytes, msg: m.WorkerHeartbeat, now: float) -> list[Command]:
        w = self.workers.get(msg.worker_id)
        if w is None or w.state != WorkerState.ALIVE:
            log.info("Got heartbeat from unregistered worker %s. Asking it to re-register.",
                     msg.worker_id)
            return [Send(peer, m.ReconnectWorker(master_url=self.config.master_url))]
        w.last_heartbeat, w.peer = now, peer
        return []

    def _worker_stopped(self, peer: bytes, msg: m.WorkerStopped, now: float) -> list[Command]:
        w = self.workers.get(msg.worker_id)
        if w is None or w.state == WorkerState.DEAD or w.peer != peer:
            return []
        log.info("Worker %s on %s:%d is stopping; removing it", w.worker_id, w.host, w.port)
        return self._remove_worker(w, now, "worker stopped")

    def _remove_worker(self, w: WorkerInfo, now: float, reason: str) -> list[Command]:
        w.move(WorkerState.DEAD)
        out: list[Command] = []
        for e in list(w.executors.values()):
            app = self.apps.get(e.app_id)
            if app is not None:
                out += self._executor_gone(app, e, ExecutorState.LOST, f"worker lost: {reason}",
                                           None, worker_lost=True)
        w.executors.clear()
        return out + [Persist(), *self._schedule(now)]

    # ---- executors
    def _executor_state_changed(self, peer: bytes, msg: m.ExecutorStateChanged,
                                now: float) -> list[Command]:
        app = self.apps.get(msg.app_id)
        e = app.executors.get(msg.executor_id) if app is not None else None
        if app is None or e is None:
            log.info("Got status update for unknown executor %s/%s", msg.app_id, msg.executor_id)
            return []
        try:
            state = ExecutorState(msg.state)
        except ValueError:
            log.warning("Ignoring executor state %r from worker", msg.state)
            return []
        if not state.finished:
            if state not in TRANSITIONS[ExecutorState][e.state]:
                return []
            e.move(state)
            if state == ExecutorState.RUNNING:
                app.retry_count = 0
            return [Send(app.peer, m.ExecutorUpdated(executor_id=e.executor_id, state=str(state),
                                                     message=msg.message,
                                                     exit_status=msg.exit_status))]
        log.info("Removing executor %s because it is %s", e.full_id, state)
        out = self._executor_gone(app, e, state, msg.message, msg.exit_status)
        if msg.exit_status == 0:
            # only its driver stops an executor normally: it is released, not to be replaced
            app.executor_limit = len(app.executors)
        else:
            app.retry_count += 1
            limit = self.config.max_executor_retries
            if (limit >= 0 and app.retry_count >= limit and
                    not any(x.state == ExecutorState.RUNNING for x in app.executors.values())):
                log.error("Application %s with ID %s failed %d times; removing it",
                          app.desc.name, app.app_id, app.retry_count)
                return out + self._remove_app(app, ApplicationState.FAILED, now,
                                              f"executors failed {app.retry_count} times in a row")
        return out + [Persist(), *self._schedule(now)]

    def _executor_gone(self, app: AppInfo, e: ExecutorInfo, state: ExecutorState, message: str,
                       exit_status: int | None, worker_lost: bool = False) -> list[Command]:
        e.move(state)
        app.executors.pop(e.executor_id, None)
        w = self.workers.get(e.worker_id)
        if w is not None:
            w.executors.pop(e.full_id, None)
        return [Send(app.peer, m.ExecutorUpdated(executor_id=e.executor_id, state=str(state),
                                                 message=message, exit_status=exit_status,
                                                 worker_lost=worker_lost))]

    # ---- applications
    def _register_application(self, peer: bytes, msg: m.RegisterApplication,
                              now: float) -> list[Command]:
        if msg.app_id and not APP_ID.fullmatch(msg.app_id):
            log.warning("Refusing to register an application under the id %r", msg.app_id[:80])
            return [Send(peer, m.ApplicationRemoved(message="invalid application id"))]
        if msg.app_id:
            app = self.apps.get(msg.app_id)
        else:  # a retried registration from the same client
            app = next((a for a in self.apps.values() if a.peer == peer), None)
        if app is not None and app.live:
            app.peer, app.last_heartbeat = peer, now
            self._acknowledge(app)
            log.info("Application %s re-registered", app.app_id)
        else:
            desc = AppDescription(
                name=msg.name, user=msg.user,
                cores_max=msg.cores_max if msg.cores_max > 0 else self.config.default_cores,
                executor_cores=msg.executor_cores if msg.executor_cores > 0 else None,
                executor_memory_mb=msg.executor_memory_mb, driver_url=msg.driver_url,
                env=dict(msg.env))
            app_id = msg.app_id or self._new_app_id(now)
            app = AppInfo(app_id=app_id, desc=desc, peer=peer, submit_time=now, last_heartbeat=now)
            self.apps[app_id] = app
            self.waiting.append(app_id)
            log.info("Registered app %s with ID %s", desc.name, app_id)
        out = self._schedule(now)
        return out + [Send(peer, m.RegisteredApplication(app_id=app.app_id,
                                                         master_url=self.config.master_url)),
                      Persist()]

    def _app_heartbeat(self, peer: bytes, msg: m.ApplicationHeartbeat, now: float) -> list[Command]:
        app = self.apps.get(msg.app_id)
        if app is None or not app.live:
            return [Send(peer, m.ReconnectApplication(master_url=self.config.master_url))]
        app.peer, app.last_heartbeat = peer, now
        if app.state == ApplicationState.UNKNOWN:
            self._acknowledge(app)
        return []

    def _acknowledge(self, app: AppInfo) -> None:
        if app.state == ApplicationState.UNKNOWN:
            app.move(ApplicationState.RUNNING if app.executors else ApplicationState.WAITING)

    def _unregister_application(self, peer: bytes, msg: m.UnregisterApplication,
                                now: float) -> list[Command]:
        app = self.apps.get(msg.app_id)
        if app is None or not app.live:
            return []
        log.info("Received unregister request from application %s", app.app_id)
        return self._remove_app(app, ApplicationState.FINISHED, now, "application finished")

    def _remove_app(self, app: AppInfo, state: ApplicationState, now: float,
                    reason: str) -> list[Command]:
        log.info("Removing app %s (%s)", app.app_id, reason)
        out: list[Command] = []
        for e in list(app.executors.values()):
            w = self.workers.get(e.worker_id)
            if w is not None:
                w.executors.pop(e.full_id, None)
                if w.state == WorkerState.ALIVE:
                    out.append(Send(w.peer, m.KillExecutor(app_id=app.app_id,
                                                           executor_id=e.executor_id)))
            e.move(ExecutorState.KILLED)
        app.executors.clear()
        app.move(state)
        app.end_time = now
        del self.apps[app.app_id]
        if app.app_id in self.waiting:
            self.waiting.remove(app.app_id)
        self.completed.append(app)
        del self.completed[:-self.config.retained_applications]
        out += [Send(w.peer, m.ApplicationFinished(app_id=app.app_id)) for w in self.alive_workers()]
        if state != ApplicationState.FINISHED:
            out.append(Send(app.peer, m.ApplicationRemoved(message=f"{state}: {reason}")))
        return out + [Persist(), *self._schedule(now)]

    def _new_app_id(self, now: float) -> str:
        stamp = time.strftime("%Y%m%d%H%M%S", time.localtime(now))
        app_id = f"app-{stamp}-{self.next_app_number:04d}"
        self.next_app_number += 1
        return app_id

    # ---- allocation
    def _schedule(self, now: float) -> list[Command]:
        """Launch executors for waiting applications, first come first served."""
        if self.state != RecoveryState.ALIVE:
            return []
        out: list[Command] = []
        for app_id in list(self.waiting):
            app = self.apps.get(app_id)
            if app is None or app.state not in (ApplicationState.WAITING, ApplicationState.RUNNING):
                continue
            min_cores = app.desc.executor_cores or 1
            if app.cores_left < min_cores:
                continue
            free = [FreeWorker(w.worker_id, w.cores_free, w.memory_free) for w in self.alive_workers()]
            demand = AppDemand(cores_left=app.cores_left, executor_cores=app.desc.executor_cores,
                               memory_mb=app.desc.executor_memory_mb,
                               executor_limit=app.executor_limit,
                               executors_now=len(app.executors))
            for worker_id, cores in schedule_executors(free, demand, self.config.spread_out):
                out += self._launch(app, self.workers[worker_id], cores)
            if not app.executors and not app.warned_unfit and self.alive_workers() and not any(
                    w.cores >= min_cores and w.memory_mb >= app.desc.executor_memory_mb
                    for w in self.alive_workers()):
                app.warned_unfit = True
                log.warning("App %s requires more resource than any of Workers could have "
                            "(%d core(s), %d MiB per executor).", app.app_id, min_cores,
                            app.desc.executor_memory_mb)
        return out

    def _launch(self, app: AppInfo, w: WorkerInfo, cores: int) -> list[Command]:
        e = ExecutorInfo(app_id=app.app_id, executor_id=str(app.next_executor_id),
                         worker_id=w.worker_id, cores=cores, memory_mb=app.desc.executor_memory_mb)
        app.next_executor_id += 1
        app.executors[e.executor_id] = e
        w.executors[e.full_id] = e
        if app.state == ApplicationState.WAITING:
            app.move(ApplicationState.RUNNING)
        log.info("Launching executor %s on worker %s", e.full_id, w.worker_id)
        return [Send(w.peer, m.LaunchExecutor(app_id=app.app_id, executor_id=e.executor_id,
                                              app_name=app.desc.name, cores=cores,
                                              memory_mb=e.memory_mb, driver_url=app.desc.driver_url,
                                              env=dict(app.desc.env))),
                Send(app.peer, m.ExecutorAdded(executor_id=e.executor_id, worker_id=w.worker_id,
                                               host_port=f"{w.host}:{w.port}", cores=cores,
                                               memory_mb=e.memory_mb))]

    # ---- recovery
    def _load(self, snap: dict[str, Any], now: float) -> None:
        self.state = RecoveryState.RECOVERING
        self.recovery_deadline = now + self.config.worker_timeout
        self.next_app_number = int(snap.get("next_app_number", 0))
        for d in snap.get("workers", []):
            w = WorkerInfo(worker_id=d["id"], host=d["host"], port=int(d["port"]),
                           cores=int(d["cores"]), memory_mb=int(d["memory_mb"]),
                           webui_url=d.get("webui_url", ""), peer=d["id"].encode(),
                           last_heartbeat=now, state=WorkerState.UNKNOWN)
            self.workers[w.worker_id] = w
        for d in snap.get("apps", []):
            app = AppInfo(app_id=d["id"], desc=AppDescription.from_json(d["desc"]), peer=b"",
                          submit_time=float(d["submit_time"]), last_heartbeat=now,
                          state=ApplicationState.UNKNOWN,
                          next_executor_id=int(d.get("next_executor_id", 0)),
                          executor_limit=d.get("executor_limit"))
            for e in d.get("executors", []):
                if e["worker_id"] in self.workers:
                    info = ExecutorInfo(app_id=app.app_id, executor_id=str(e["id"]),
                                        worker_id=e["worker_id"], cores=int(e["cores"]),
                                        memory_mb=int(e["memory_mb"]))
                    app.executors[info.executor_id] = info
                    self.workers[info.worker_id].executors[info.full_id] = info
            self.apps[app.app_id] = app
            self.waiting.append(app.app_id)
        log.info("Recovering %d worker(s) and %d application(s) from disk",
                 len(self.workers), len(self.apps))

    def _complete_recovery(self, now: float) -> list[Command]:
        out: list[Command] = []
        for w in list(self.workers.values()):
            if w.state == WorkerState.UNKNOWN:
                out += self._remove_worker(w, now, "worker did not come back after master recovery")
        for app in list(self.apps.values()):
            if app.state == ApplicationState.UNKNOWN:
                out += self._remove_app(app, ApplicationState.FINISHED, now,
                                        "driver did not come back after master recovery")
        self.state = RecoveryState.ALIVE
        log.info("Recovery complete - resuming operations!")
        return [c for c in out if not isinstance(c, Send) or c.peer] + [Persist(),
                                                                         *self._schedule(now)]
