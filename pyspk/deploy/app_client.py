"""The driver's client of the master: registers the application, learns which executors it was
granted and which it lost, heartbeats, and unregisters at the end. Tasks never pass here."""
from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass, field
from typing import Callable

import zmq

from pyspk.deploy.states import ExecutorState
from pyspk.deploy.transport import dispatch_from_master, try_send
from pyspk.deploy.urls import MAX_MESSAGE_BYTES, master_address
from pyspk.errors import PySparkRuntimeError
from pyspk.protocol import cluster as m
from pyspk.protocol.base import Message
from pyspk.rpc import sockets
from pyspk.rpc.loop import EventLoop
from pyspk.rpc.security import Security

log = logging.getLogger("pyspk.deploy.StandaloneAppClient")

UNREGISTER_LINGER_MS = 1000


@dataclass(frozen=True)
class ApplicationRequest:
    """What the driver asks the master for. ``cores_max``/``executor_cores`` 0: unset."""

    name: str
    user: str
    cores_max: int
    executor_cores: int
    executor_memory_mb: int
    driver_url: str
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class AppClientListener:
    """Callbacks, run on the client's thread."""

    executor_added: Callable[[str, str, int], None] = lambda executor_id, host_port, cores: None
    executor_removed: Callable[[str, str], None] = lambda executor_id, reason: None
    application_removed: Callable[[str], None] = lambda reason: None


class AppClient:
    """Talks to one master for one application on a thread of its own."""

    def __init__(self, master_url: str, request: ApplicationRequest, security: Security,
                 listener: AppClientListener, heartbeat_interval: float = 1.0) -> None:
        self.master_url = master_url
        self.request = request
        self.listener = listener
        self.app_id = ""
        self.executors: dict[str, int] = {}
        self.removed_reason: str | None = None
        self._registered = threading.Event()
        self._lock = threading.Lock()
        identity = f"app-client-{uuid.uuid4().hex}".encode()
        self.dealer = sockets.connect_dealer(master_address(master_url), identity, security,
                                             MAX_MESSAGE_BYTES)
        self.loop = EventLoop("app-client")
        self.loop.add_socket(self.dealer, self._on_master)
        self._heartbeat_interval = heartbeat_interval
        self._handlers: dict[type, Callable[[Message], None]] = {
            m.RegisteredApplication: self._on_registered,
            m.ExecutorAdded: self._on_executor_added,
            m.ExecutorUpdated: self._on_executor_updated,
            m.ApplicationRemoved: self._on_removed,
            m.ReconnectApplication: self._on_reconnect,
        }

    def start(self, timeout: float) -> str:
        """Register and return the application id; raises if no master answers in ``timeout``."""
        self.loop.start_thread()
        self.loop.call_soon_threadsafe(self._try_register, 0.5)
        self.loop.call_soon_threadsafe(
            lambda: self.loop.call_every(self._heartbeat_interval, self._heartbeat))
        if not self._registered.wait(timeout):
            self._close(linger_ms=0)
            raise PySparkRuntimeError(
                f"All masters are unresponsive! Giving up. (no answer from {self.master_url} "
                f"in {timeout:.0f} s)", errorClass="MASTER_UNREACHABLE")
        return self.app_id

    def stop(self) -> None:
        """Unregister the application (its executors are killed) and close."""
        if self.app_id and self.removed_reason is None:
            self.loop.call_soon_threadsafe(
                lambda: try_send(self.dealer, m.UnregisterApplication(app_id=self.app_id)))
        self._close(linger_ms=UNREGISTER_LINGER_MS)

    def _close(self, linger_ms: int) -> None:
        self.loop.stop()
        self.loop.join(5.0)
        try:
            self.dealer.close(linger=linger_ms)
        except zmq.ZMQError:
            pass
        self.loop.close()

    def _registration(self) -> m.RegisterApplication:
        r = self.request
        return m.RegisterApplication(name=r.name, user=r.user, cores_max=r.cores_max,
                                     executor_cores=r.executor_cores,
                                     executor_memory_mb=r.executor_memory_mb,
                                     driver_url=r.driver_url, env=dict(r.env), app_id=self.app_id)

    def _try_register(self, delay: float) -> None:
        if self._registered.is_set():
            return
        log.info("Connecting to master %s...", self.master_url)
        try_send(self.dealer, self._registration())
        self.loop.call_later(delay, lambda: self._try_register(min(delay * 2, 5.0)))

    def _heartbeat(self) -> None:
        if self.app_id and self.removed_reason is None:
            try_send(self.dealer, m.ApplicationHeartbeat(app_id=self.app_id))

    def _on_master(self) -> None:
        dispatch_from_master(self.dealer, self._handlers, log)

    def _on_registered(self, msg: m.RegisteredApplication) -> None:
        if not self._registered.is_set():
            log.info("Connected to Spark cluster with app ID %s", msg.app_id)
        self.app_id = msg.app_id
        self._registered.set()

    def _on_executor_added(self, msg: m.ExecutorAdded) -> None:
        log.info("Granted executor ID %s/%s on hostPort %s with %d core(s), %d MiB RAM",
                 self.app_id, msg.executor_id, msg.host_port, msg.cores, msg.memory_mb)
        with self._lock:
            self.executors[msg.executor_id] = msg.cores
        self.listener.executor_added(msg.executor_id, msg.host_port, msg.cores)

    def _on_executor_updated(self, msg: m.ExecutorUpdated) -> None:
        try:
            state = ExecutorState(msg.state)
        except ValueError:
            return
        log.info("Executor updated: %s/%s is now %s (%s)", self.app_id, msg.executor_id, state,
                 msg.message)
        if not state.finished:
            return
        with self._lock:
            known = self.executors.pop(msg.executor_id, None) is not None
        if known:
            self.listener.executor_removed(msg.executor_id, msg.message or str(state))

    def _on_removed(self, msg: m.ApplicationRemoved) -> None:
        log.error("Master removed our application: %s", msg.message)
        self.removed_reason = msg.message
        with self._lock:
            lost = list(self.executors)
            self.executors.clear()
        for executor_id in lost:
            self.listener.executor_removed(executor_id, f"Application removed: {msg.message}")
        self.listener.application_removed(msg.message)

    def _on_reconnect(self, msg: m.ReconnectApplication) -> None:
        log.info("Master %s asks this application to re-register", msg.master_url)
        try_send(self.dealer, self._registration())
