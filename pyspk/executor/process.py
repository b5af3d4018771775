"""One executor slot process: registers with the driver, runs its tasks one at a time on the
task thread, heartbeats, and serves its blocks."""
from __future__ import annotations

import logging
import os
import threading
import time

import psutil

from pyspk import broadcast
from pyspk.conf import SparkConf, entries
from pyspk.executor import environment
from pyspk.executor.runner import TaskRunner
from pyspk.errors import PySparkRuntimeError
from pyspk.protocol.app import (BarrierReply, BarrierSync, ExecutorHeartbeat, HeartbeatReply, KillTask, LaunchTask,
                                RegisteredExecutor, RegisterExecutor, RemoveBlocks, StatusUpdate,
                                StopExecutor)
from pyspk.rpc import sockets
from pyspk.rpc.loop import EventLoop
from pyspk.rpc.security import Security
from pyspk.shuffle import reader
from pyspk.storage import block_manager
from pyspk.storage.block_manager import BlockManager
from pyspk.storage.block_server import BlockServer
from pyspk.storage.dirs import ExecutorDirs

log = logging.getLogger("pyspk.executor.Executor")

MEMORY_FRACTION = 0.6


class ExecutorProcess:
    """State and event handlers of one slot; ``run`` returns the process exit code."""

    def __init__(self, driver_url: str, executor_id: str, slot: int, app_id: str, host: str,
                 work_dir: str, cores: int = 1) -> None:
        self.executor_id = executor_id
        self.slot = slot
        self.cores = cores
        self.app_id = app_id
        self.host = host
        secret = os.environ.get("PYSPK_AUTH_SECRET")
        self.security = Security.from_secret(secret)
        self.dirs = ExecutorDirs(os.path.join(work_dir, f"slot-{slot}"))
        for sub in ("blocks", "spill", "files"):
            os.makedirs(os.path.join(self.dirs.root, sub), exist_ok=True)
        self.loop = EventLoop(f"executor-{executor_id}-{slot}")
        self.blocks = BlockManager(self.dirs.blocks, 256 << 20)
        block_manager.install(self.blocks)
        self.block_server = BlockServer(host, self.dirs, self.blocks, self.security, 1 << 31)
        self.sock = sockets.connect_dealer(driver_url, f"{executor_id}/{slot}".encode(),
                                           self.security, 1 << 31)
        self.tasks = TaskRunner(self.dirs.files, self._task_done, self.barrier_sync)
        self.barrier_waits: dict[tuple[int, int], list] = {}
        self.conf: SparkConf | None = None
        self.exit_code = 0
        self.last_driver_contact = time.monotonic()
        self.network_timeout = 120.0

    def run(self) -> int:
        self.block_server.start()
        self.loop.add_socket(self.sock, self._on_message)
        self._register()
        self.loop.call_every(1.0, self._check_driver)
        io_thread = threading.Thread(target=self._serve, name="executor-io", daemon=True)
        io_thread.start()
        try:
            self.tasks.run_forever()
        finally:
            self.loop.stop()
            io_thread.join(5)
            self.block_server.stop()
            sockets.close(self.sock)
            self.dirs.remove_all()
        return self.exit_code

    def _serve(self) -> None:
        try:
            self.loop.run()
        finally:
            self.tasks.submit(None)

    def _register(self) -> None:
        sockets.send(self.sock, RegisterExecutor(
            executor_id=self.executor_id, slot=self.slot, app_id=self.app_id, host=self.host,
            pid=os.getpid(), block_address=self.block_server.address))

    def _on_message(self) -> None:
        _, msg = sockets.receive(self.sock, "app", router=False)
        if msg is None:
            return
        self.last_driver_contact = time.monotonic()
        if isinstance(msg, LaunchTask):
            self.tasks.submit(msg)
        elif isinstance(msg, RegisteredExecutor):
            self._configure(msg.conf)
        elif isinstance(msg, KillTask):
            self.tasks.kill(msg.task_id, msg.reason)
        elif isinstance(msg, RemoveBlocks):
            self._remove(msg)
        elif isinstance(msg, BarrierReply):
            wait = self.barrier_waits.pop((msg.task_id, msg.epoch), None)
            if wait is not None:
                wait.append(msg)
                wait[0].set()
        elif isinstance(msg, HeartbeatReply):
            if msg.reregister:
                self._register()
        elif isinstance(msg, StopExecutor):
            self.loop.stop()

    def _configure(self, values: dict[str, str]) -> None:
        conf = SparkConf(loadDefaults=False).setAll(values.items())
        self.conf = conf
        self.network_timeout = conf.typed(entries.NETWORK_TIMEOUT)
        slots = max(1, conf.typed(entries.EXECUTOR_CORES))
        budget = int(conf.typed(entries.EXECUTOR_MEMORY) * MEMORY_FRACTION / slots)
        self.blocks.memory_budget = budget
        reader_settings = reader.FetchSettings(
            host=self.host, read_host_local=conf.typed(entries.SHUFFLE_READ_HOST_LOCAL),
            security=self.security, max_in_flight=conf.typed(entries.REDUCER_MAX_IN_FLIGHT),
            max_retries=conf.typed(entries.SHUFFLE_MAX_RETRIES),
            retry_wait=conf.typed(entries.SHUFFLE_RETRY_WAIT),
            timeout=conf.typed(entries.SHUFFLE_CONNECTION_TIMEOUT))
        environment.configure(conf, self.dirs, reader_settings, self.executor_id, self.host,
                              self.block_server.address, self.cores)
        heartbeat = conf.typed(entries.EXECUTOR_HEARTBEAT)
        self.loop.call_every(heartbeat, self._heartbeat)
        modules = [m.strip() for m in conf.typed(entries.EXECUTOR_PRELOAD).split(",") if m.strip()]
        threading.Thread(target=_preload, args=(modules,), name="preload", daemon=True).start()

    def _remove(self, msg: RemoveBlocks) -> None:
        for block_id in msg.block_ids:
            if block_id.startswith("rdd_") and block_id.count("_") == 1:
                self.blocks.remove_rdd(int(block_id[4:]))
            else:
                self.blocks.remove(block_id)
        for bid in msg.broadcast_ids:
            broadcast.remove_from_executor(bid)
        for sid in msg.shuffle_ids:
            self.dirs.remove_shuffle(sid)

    def barrier_sync(self, task_id: int, epoch: int, message: str) -> list[str]:
        """Called on the task thread: block until every task of the barrier stage reached this
        sync point; their messages in partition order."""
        wait: list = [threading.Event()]
        self.barrier_waits[(task_id, epoch)] = wait
        self.loop.call_soon_threadsafe(
            sockets.send, self.sock, BarrierSync(task_id=task_id, epoch=epoch, message=message))
        while not wait[0].wait(1.0):
            pass
        reply: BarrierReply = wait[1]
        if reply.error:
            raise PySparkRuntimeError(reply.error, errorClass="BARRIER_BROKEN")
        return list(reply.messages)

    def _task_done(self, update: StatusUpdate) -> None:
        self.loop.call_soon_threadsafe(sockets.send, self.sock, update)

    def _heartbeat(self) -> None:
        sockets.send(self.sock, ExecutorHeartbeat(
            executor_id=self.executor_id, slot=self.slot, running=self.tasks.running_ids(),
            rss_bytes=psutil.Process().memory_info().rss))

    def _check_driver(self) -> None:
        if time.monotonic() - self.last_driver_contact > self.network_timeout:
            log.error("No word from the driver for %.0f s; exiting", self.network_timeout)
            self.exit_code = 1
            self.loop.stop()



def _preload(modules: list[str]) -> None:
    """Import ``modules`` now, while the slot is idle; a module that fails is left for the task
    that needs it to report."""
    import importlib
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as e:
            log.debug("Preloading %s failed: %s", name, e)
