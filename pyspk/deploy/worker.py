"""The worker daemon: registers with the master (retrying with backoff), heartbeats, launches and
kills executor processes on the master's orders, reports how they end and enforces their memory.

It also binds a ROUTER of its own (answering ``RequestWorkerState``) and a status web UI.
"""
from __future__ import annotations

import concurrent.futures
import logging
import time
from pathlib import Path
from typing import Any

import zmq

from pyspk.conf import SparkConf, entries
from pyspk.conf import deploy_entries as deploy_conf
from pyspk.conf.environment import environ_copy
from pyspk.deploy.executor_runner import ExecutorRunner
from pyspk.deploy.monitor import watch_socket
from pyspk.deploy.states import ExecutorState
from pyspk.deploy.transport import dispatch_from_master, try_send
from pyspk.deploy.urls import MAX_MESSAGE_BYTES, is_path_part, master_address
from pyspk.deploy.webui import StatusServer, page, table
from pyspk.protocol import cluster as m
from pyspk.protocol.base import Message
from pyspk.rpc import sockets
from pyspk.rpc.loop import EventLoop
from pyspk.rpc.security import Security

log = logging.getLogger("pyspk.deploy.Worker")

RETAINED_FINISHED_EXECUTORS = 100
EXECUTOR_POLL_SECONDS = 0.1
STOP_LINGER_MS = 500
LOG_PAGE_BYTES = 1 << 20


def auth_secret(conf: SparkConf) -> str | None:
    """The shared secret executors get in ``PYSPK_AUTH_SECRET`` (None without authentication)."""
    if not conf.typed(entries.AUTHENTICATE):
        return None
    secret = conf.get("spark.authenticate.secret")
    path = conf.get("spark.authenticate.secret.file")
    if not secret and path:
        secret = Path(path).read_text().strip()
    return secret or None


class Worker:
    """A running worker daemon: ``start()`` serves in a thread, ``run()`` in the caller's."""

    def __init__(self, conf: SparkConf, master_url: str, cores: int, memory_mb: int,
                 work_dir: str | Path, host: str = "127.0.0.1", port: int = 0,
                 webui_port: int = 8081, local_dir: str | Path | None = None) -> None:
        self.conf = conf
        self.master_url = master_url
        self.cores, self.memory_mb, self.host = cores, memory_mb, host
        self.work_dir = Path(work_dir).resolve()
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.local_dir = Path(local_dir).resolve() if local_dir else None
        self.security = Security.from_conf(conf.get)
        self.secret = auth_secret(conf)
        self.router, self.port = sockets.bind_router(host, port, self.security, MAX_MESSAGE_BYTES)
        stamp = time.strftime("%Y%m%d%H%M%S")
        self.worker_id = f"worker-{stamp}-{host}-{self.port}"
        self.dealer = sockets.connect_dealer(master_address(master_url), self.worker_id.encode(),
                                             self.security, MAX_MESSAGE_BYTES)
        self.loop = EventLoop(f"worker-{self.port}")
        self.loop.add_socket(self.dealer, self._on_master)
        self.loop.add_socket(self.router, self._on_router)
        self._monitor = watch_socket(self.loop, self.router, "Worker")
        self.timeout = conf.typed(entries.WORKER_TIMEOUT)
        self.backoff_max = conf.typed(deploy_conf.REGISTRATION_BACKOFF_MAX)
        self.memory_factor = conf.typed(deploy_conf.EXECUTOR_MEMORY_OVERHEAD)
        self.start_grace = conf.typed(deploy_conf.EXECUTOR_START_GRACE)
        self.registered = False
        self.ever_registered = False
        self.failed = False
        self.master_webui_url = ""
        self.executors: dict[str, ExecutorRunner] = {}
        self.finished: list[ExecutorRunner] = []
        self.webui = StatusServer(host, webui_port, self.snapshot, render_worker,
                                  {"/logPage": self._log_page})
        self.webui_url = f"http://{host}:{self.webui.port}"
        self._handlers = {
            m.RegisteredWorker: self._registered,
            m.RegisterWorkerFailed: self._register_failed,
            m.ReconnectWorker: self._reconnect,
            m.LaunchExecutor: self._launch,
            m.KillExecutor: self._kill,
            m.ApplicationFinished: self._app_finished,
        }
        log.info("Starting Spark worker %s:%d with %d cores, %d MiB RAM", host, self.port, cores,
                 memory_mb)

    # ---- lifecycle
    def start(self) -> "Worker":
        self._begin()
        self.loop.start_thread()
        return self

    def run(self) -> None:
        """Serve until ``stop()``."""
        self._begin()
        try:
            self.loop.run()
        finally:
            self._shutdown()

    def stop(self) -> None:
        self.loop.stop()
        if self.loop.thread is not None and not self.loop.in_loop_thread():
            if self.loop.join(10.0):
                self._shutdown()

    def snapshot(self) -> dict[str, Any]:
        """Spark's worker ``/json`` document, built on the loop thread."""
        fut: concurrent.futures.Future[dict[str, Any]] = concurrent.futures.Future()
        self.loop.call_soon_threadsafe(lambda: fut.set_result(self._state_json()))
        return fut.result(timeout=5.0)

    def _begin(self) -> None:
        self.webui.start()
        self._try_register(0.5)
        self.loop.call_every(max(0.05, self.timeout / 4), self._heartbeat)
        self.loop.call_every(EXECUTOR_POLL_SECONDS, self._poll_executors)
        self.loop.call_every(self.conf.typed(deploy_conf.MEMORY_CHECK_INTERVAL), self._check_memory)

    def _shutdown(self) -> None:
        for r in list(self.executors.values()):
            r.kill_now()
        if self.registered:
            self._send(m.WorkerStopped(worker_id=self.worker_id))
        self.webui.stop()
        for s in (self._monitor, self.router):
            sockets.close(s)
        try:
            self.dealer.close(linger=STOP_LINGER_MS)
        except zmq.ZMQError:
            pass
        self.loop.close()

    # ---- registration and heartbeats
    def _try_register(self, delay: float) -> None:
        """Send a (re-)registration now and again after ``delay`` (doubling) until registered."""
        if self.registered:
            return
        log.info("Connecting to master %s...", self.master_url)
        self._send(self._registration())
        self.loop.call_later(delay, lambda: self._try_register(min(delay * 2, self.backoff_max)))

    def _registration(self) -> Message:
        common = dict(worker_id=self.worker_id, host=self.host, port=self.port, cores=self.cores,
                      memory_mb=self.memory_mb, webui_url=self.webui_url)
        if not self.ever_registered and not self.executors:
            return m.RegisterWorker(**common)
        return m.ReregisterWorker(executors=[
            {"app_id": r.app_id, "executor_id": r.executor_id, "cores": r.cores,
             "memory_mb": r.memory_mb} for r in self.executors.values()], **common)

    def _heartbeat(self) -> None:
        if self.registered:
            self._send(m.WorkerHeartbeat(worker_id=self.worker_id))

    def _registered(self, msg: m.RegisteredWorker) -> None:
        if not self.registered:
            log.info("Successfully registered with master %s", msg.master_url)
        self.registered = self.ever_registered = True
        self.master_webui_url = msg.master_webui_url

    def _register_failed(self, msg: m.RegisterWorkerFailed) -> None:
        log.error("Worker registration failed: %s", msg.message)
        self.failed = True
        self.loop.stop()

    def _reconnect(self, msg: m.ReconnectWorker) -> None:
        log.info("Master %s asks this worker to re-register", msg.master_url)
        was = self.registered
        self.registered = False
        if was:
            self._try_register(0.5)

    # ---- executors
    def _launch(self, msg: m.LaunchExecutor) -> None:
        if not (is_path_part(msg.app_id) and is_path_part(msg.executor_id)):
            log.warning("Refusing to launch executor %r of %r: not a valid id", msg.executor_id[:80],
                        msg.app_id[:80])
            self._send(m.ExecutorStateChanged(app_id=msg.app_id, executor_id=msg.executor_id,
                                              state=str(ExecutorState.FAILED),
                                              message="invalid application or executor id"))
            return
        runner = ExecutorRunner(app_id=msg.app_id, executor_id=msg.executor_id, app_name=msg.app_name,
                                cores=msg.cores, memory_mb=msg.memory_mb, driver_url=msg.driver_url,
                                host=self.host, work_dir=self.work_dir / msg.app_id / msg.executor_id,
                                scratch_dir=self._scratch_dir(msg.app_id, msg.executor_id),
                                env=dict(msg.env))
        log.info("Asked to launch executor %s for %s", runner.full_id, msg.app_name)
        self.executors[runner.full_id] = runner
        runner.start(environ_copy(), self.secret)

    def _scratch_dir(self, app_id: str, executor_id: str) -> Path:
        """Where an executor keeps shuffle files and blocks: under the local dir (Spark's
        ``SPARK_LOCAL_DIRS``) when there is one, else beside its logs."""
        if self.local_dir is not None:
            return self.local_dir / f"pyspk-{app_id}" / f"executor-{executor_id}"
        return self.work_dir / app_id / executor_id / "scratch"

    def _kill(self, msg: m.KillExecutor) -> None:
        runner = self.executors.get(f"{msg.app_id}/{msg.executor_id}")
        if runner is not None:
            runner.kill(ExecutorState.KILLED, "Killed by the master", time.time())

    def _app_finished(self, msg: m.ApplicationFinished) -> None:
        for r in list(self.executors.values()):
            if r.app_id == msg.app_id:
                r.kill(ExecutorState.KILLED, "Application finished", time.time())

    def _poll_executors(self) -> None:
        now = time.time()
        for key, r in list(self.executors.items()):
            if r.check_started(now, self.start_grace):
                self._send(m.ExecutorStateChanged(app_id=r.app_id, executor_id=r.executor_id,
                                                  state=str(r.state)))
            elif r.poll(now):
                del self.executors[key]
                self.finished.append(r)
                del self.finished[:-RETAINED_FINISHED_EXECUTORS]
                self._send(m.ExecutorStateChanged(app_id=r.app_id, executor_id=r.executor_id,
                                                  state=str(r.state), message=r.message,
                                                  exit_status=r.exit_status))

    def _check_memory(self) -> None:
        now = time.time()
        for r in self.executors.values():
            limit = int(r.memory_mb * self.memory_factor) << 20
            used = r.rss_bytes()
            if used > limit:
                log.warning("Executor %s uses %d MiB, over its limit of %d MiB; killing it",
                            r.full_id, used >> 20, limit >> 20)
                r.kill(ExecutorState.FAILED,
                       f"Executor exceeded its memory limit ({used >> 20} MiB > {limit >> 20} MiB)",
                       now)

    # ---- sockets
    def _send(self, msg: Message) -> None:
        try_send(self.dealer, msg)

    def _on_master(self) -> None:
        dispatch_from_master(self.dealer, self._handlers, log)

    def _on_router(self) -> None:
        while self.router.getsockopt(zmq.EVENTS) & zmq.POLLIN:
            peer, msg = sockets.receive(self.router, "cluster", router=True)
            if peer is not None and isinstance(msg, m.RequestWorkerState):
                try_send(self.router, m.WorkerStateResponse(
                    worker_id=self.worker_id, master_url=self.master_url,
                    executors=[{"app_id": r.app_id, "executor_id": r.executor_id,
                                "cores": r.cores, "memory_mb": r.memory_mb,
                                "state": str(r.state)} for r in self.executors.values()]), peer)
            elif msg is not None:
                log.warning("Ignoring %s on the worker port", msg.op())

    def _log_page(self, params: dict[str, str]) -> tuple[int, str, bytes]:
        """``/logPage?appId=…&executorId=…&logType=stdout|stderr``: the end of an executor's
        log (runs on the web UI's thread; reads only files under the work dir)."""
        app_id, executor_id = params.get("appId", ""), params.get("executorId", "")
        log_type = params.get("logType", "stdout")
        if not (is_path_part(app_id) and is_path_part(executor_id)) or log_type not in (
                "stdout", "stderr"):
            return 400, "text/plain", b"expected appId, executorId and logType=stdout|stderr"
        path = self.work_dir / app_id / executor_id / log_type
        try:
            with open(path, "rb") as f:
                f.seek(max(0, path.stat().st_size - LOG_PAGE_BYTES))
                return 200, "text/plain; charset=utf-8", f.read()
        except OSError:
            return 404, "text/plain", f"no {log_type} for executor {app_id}/{executor_id}".encode()

    def _state_json(self) -> dict[str, Any]:
        running = list(self.executors.values())
        return {"id": self.worker_id, "masterurl": self.master_url,
                "masterwebuiurl": self.master_webui_url, "cores": self.cores,
                "coresused": sum(r.cores for r in running), "memory": self.memory_mb,
                "memoryused": sum(r.memory_mb for r in running), "resources": {},
                "resourcesused": {}, "registered": self.registered,
                "executors": [r.to_json() for r in running],
                "finishedexecutors": [r.to_json() for r in self.finished]}


def render_worker(state: dict[str, Any]) -> str:
    """The worker's HTML page: its resources and its running and finished executors."""
    summary = (f"<ul><li><b>ID:</b> {state['id']}</li><li><b>Master URL:</b> {state['masterurl']}</li>"
               f"<li><b>Cores:</b> {state['cores']} ({state['coresused']} Used)</li>"
               f"<li><b>Memory:</b> {state['memory']} MiB ({state['memoryused']} MiB Used)</li></ul>")

    def execs(rows: list[dict[str, Any]]) -> str:
        return table(["ExecutorID", "State", "Cores", "Memory", "Application", "PID", "Logs"],
                     [[e["id"], e["state"], e["appdesc"]["cores"], f"{e['memory']} MiB",
                       f"{e['appid']} ({e['appdesc']['name']})", e["pid"],
                       f"/logPage/?appId={e['appid']}&executorId={e['id']}&logType=stderr"]
                      for e in rows])
    return page(f"Spark Worker at {state['id']}",
                summary + "<h3>Running Executors</h3>" + execs(state["executors"]) +
                "<h3>Finished Executors</h3>" + execs(state["finishedexecutors"]))
