"""The master daemon: a ROUTER socket, a clock and a web UI around ``MasterState``."""
from __future__ import annotations

import concurrent.futures
import ipaddress
import logging
import socket
import time
from typing import Any

import zmq

from pyspk.conf import SparkConf, entries
from pyspk.conf import deploy_entries as deploy_conf
from pyspk.errors import ConfigError, ProtocolError
from pyspk.deploy.master_state import MasterConfig, MasterState, Persist, Send
from pyspk.deploy.monitor import watch_socket
from pyspk.deploy.recovery import FileSystemPersistence
from pyspk.deploy.transport import try_send
from pyspk.deploy.urls import MAX_MESSAGE_BYTES
from pyspk.deploy.webui import StatusServer, page, table
from pyspk.rpc import sockets
from pyspk.rpc.envelope import decode
from pyspk.rpc.loop import EventLoop
from pyspk.rpc.security import Security

log = logging.getLogger("pyspk.deploy.Master")


class Master:
    """A running master: ``start()`` serves in a thread, ``run()`` in the caller's thread."""

    def __init__(self, conf: SparkConf, host: str = "127.0.0.1", port: int = 7077,
                 webui_port: int = 8080) -> None:
        self.conf = conf
        self.host = host
        self.security = Security.from_conf(conf.get)
        self.sock, self.port = sockets.bind_router(host, port, self.security, MAX_MESSAGE_BYTES)
        self.url = f"spark://{host}:{self.port}"
        self.loop = EventLoop("master")
        self.loop.add_socket(self.sock, self._on_readable)
        self._peer_fds: dict[bytes, int] = {}
        self._monitor = watch_socket(self.loop, self.sock, "Master", self._on_disconnect)
        self.persistence = _persistence(conf)
        recovered = self.persistence.read() if self.persistence else None
        timeout = conf.typed(entries.WORKER_TIMEOUT)
        self.webui = StatusServer(host, webui_port, self.snapshot, render_master)
        self.webui_url = f"http://{host}:{self.webui.port}"
        config = MasterConfig(
            master_url=self.url, webui_url=self.webui_url, worker_timeout=timeout,
            app_timeout=conf.typed(deploy_conf.APP_TIMEOUT) or timeout,
            spread_out=conf.typed(entries.SPREAD_OUT),
            max_executor_retries=conf.typed(entries.MAX_EXECUTOR_RETRIES),
            default_cores=conf.typed(deploy_conf.DEFAULT_CORES),
            retained_applications=conf.typed(deploy_conf.RETAINED_APPLICATIONS),
            dead_worker_persistence=conf.typed(deploy_conf.DEAD_WORKER_PERSISTENCE))
        self.state = MasterState(config, time.time(), recovered)
        self.loop.call_every(min(1.0, timeout / 4), self._tick)
        log.info("Starting Spark master at %s", self.url)
        log.info("Bound MasterWebUI to %s, and started at %s", host, self.webui_url)
        if not self.security.enabled and not is_loopback(host):
            log.warning("*" * 78)
            log.warning("The master binds %s, reachable from other hosts, WITHOUT authentication. "
                        "Anyone who can connect can run code on this cluster's workers. Set "
                        "spark.authenticate=true and spark.authenticate.secret.", host)
            log.warning("*" * 78)

    def start(self) -> "Master":
        self.webui.start()
        self.loop.start_thread()
        return self

    def run(self) -> None:
        """Serve until ``stop()`` (from a signal handler or another thread)."""
        self.webui.start()
        try:
            self.loop.run()
        finally:
            self._close()

    def stop(self) -> None:
        self.loop.stop()
        if self.loop.thread is not None and not self.loop.in_loop_thread():
            if self.loop.join(5.0):
                self._close()

    def snapshot(self) -> dict[str, Any]:
        """The ``/json`` document, built on the loop thread (safe from any thread)."""
        fut: concurrent.futures.Future[dict[str, Any]] = concurrent.futures.Future()

        def build() -> None:
            try:
                fut.set_result(self.state.to_json(time.time()))
            except Exception as e:
                fut.set_exception(e)
        self.loop.call_soon_threadsafe(build)
        return fut.result(timeout=5.0)

    def _close(self) -> None:
        self.webui.stop()
        self.loop.remove_socket(self._monitor)
        sockets.close(self._monitor)
        sockets.close(self.sock)
        self.loop.close()

    def _on_readable(self) -> None:
        while self.sock.getsockopt(zmq.EVENTS) & zmq.POLLIN:
            frames = self.sock.recv_multipart(copy=False)
            peer = frames[0].bytes
            try:
                self._peer_fds[peer] = frames[0].get(zmq.SRCFD)
            except zmq.ZMQError:  # a libzmq without ZMQ_SRCFD: heartbeats alone judge drivers
                pass
            try:
                msg = decode(frames[1:], "cluster")
            except ProtocolError as e:
                log.warning("Dropped a malformed message from %r: %s", peer, e)
                continue
            except Exception as e:  # a message must never take the master down
                log.warning("Dropped an undecodable message from %r: %s: %s", peer,
                            type(e).__name__, e)
                continue
            self._execute(self.state.handle(peer, msg, time.time()))

    def _on_disconnect(self, fd: int) -> None:
        """A connection closed: the peers last heard on it may be gone (a driver that died)."""
        for peer in [p for p, f in self._peer_fds.items() if f == fd]:
            del self._peer_fds[peer]
            self._execute(self.state.peer_disconnected(peer, time.time()))

    def _tick(self) -> None:
        self._execute(self.state.tick(time.time()))

    def _execute(self, commands: list[Send | Persist]) -> None:
        persist = False
        for c in commands:
            if isinstance(c, Persist):
                persist = True
            elif c.peer:
                try_send(self.sock, c.msg, c.peer)
        if persist and self.persistence is not None:
            self.persistence.write(self.state.recovery_snapshot())


def _persistence(conf: SparkConf) -> FileSystemPersistence | None:
    mode = str(conf.typed(entries.RECOVERY_MODE) or "NONE").upper()
    if mode == "NONE":
        return None
    if mode != "FILESYSTEM":
        raise ConfigError(f"spark.deploy.recoveryMode {mode!r} is not supported (NONE, FILESYSTEM)",
                          errorClass="INVALID_CONF_VALUE")
    directory = conf.typed(entries.RECOVERY_DIR)
    if not directory:
        raise ConfigError("spark.deploy.recoveryMode=FILESYSTEM needs spark.deploy.recoveryDirectory",
                          errorClass="INVALID_CONF_VALUE")
    log.info("Persisting recovery state to directory %s", directory)
    return FileSystemPersistence(directory)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names only this machine (127.0.0.0/8, ::1, localhost)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback
                       for info in socket.getaddrinfo(host, None))
        except (OSError, ValueError):
            return False


def render_master(state: dict[str, Any]) -> str:
    """The master's HTML page: summary, workers, running and completed applications."""
    summary = (f"<ul><li><b>URL:</b> {state['url']}</li>"
               f"<li><b>Alive Workers:</b> {state['aliveworkers']}</li>"
               f"<li><b>Cores in use:</b> {state['cores']} Total, {state['coresused']} Used</li>"
               f"<li><b>Memory in use:</b> {state['memory']} MiB Total, {state['memoryused']} MiB Used</li>"
               f"<li><b>Applications:</b> {len(state['activeapps'])} Running, "
               f"{len(state['completedapps'])} Completed</li>"
               f"<li><b>Status:</b> {state['status']}</li></ul>")
    workers = table(["Worker Id", "Address", "State", "Cores", "Memory", "Last Heartbeat"],
                    [[w["id"], f"{w['host']}:{w['port']}", w["state"],
                      f"{w['cores']} ({w['coresused']} Used)",
                      f"{w['memory']} MiB ({w['memoryused']} MiB Used)",
                      time.strftime("%Y/%m/%d %H:%M:%S", time.localtime(w["lastheartbeat"] / 1000))]
                     for w in state["workers"]])

    def apps(rows: list[dict[str, Any]]) -> str:
        return table(["Application ID", "Name", "Cores", "Memory per Executor", "Submitted Time",
                      "User", "State", "Duration"],
                     [[a["id"], a["name"], a["cores"], f"{a['memoryperexecutor']} MiB",
                       a["submitdate"], a["user"], a["state"], f"{a['duration'] / 1000:.1f} s"]
                      for a in rows])
    return page(f"Spark Master at {state['url']}",
                summary + "<h3>Workers</h3>" + workers + "<h3>Running Applications</h3>" +
                apps(state["activeapps"]) + "<h3>Completed Applications</h3>" +
                apps(state["completedapps"]))
