"""Running one task inside an executor slot: unpickle the stage closure and the partition, call
it, and turn the outcome into a StatusUpdate (failures as text, never pickled exceptions)."""
from __future__ import annotations

import collections
import os
import shutil
import signal
import sys
import threading
import time
import traceback
from typing import Any, Callable

from pyspk import accumulators, broadcast
from pyspk.errors import FetchFailedError, PySparkException, TaskKilledError
from pyspk.files import SparkFiles
from pyspk.protocol.app import LaunchTask, StatusUpdate
from pyspk.serde import dumps, loads
from pyspk.storage import block_manager
from pyspk.taskcontext import BarrierTaskContext, TaskContext

STAGE_CACHE_SIZE = 16


class StageCache:
    """Unpickled stage closures by stage key, most recent kept."""

    def __init__(self) -> None:
        self._items: collections.OrderedDict[int, Any] = collections.OrderedDict()

    def get(self, msg: LaunchTask) -> Any:
        """The stage closure, with the accumulators it holds reset to zero for this task."""
        entry = self._items.get(msg.stage_key)
        if entry is None:
            if msg.stage_binary is None:
                raise RuntimeError(f"stage {msg.stage_id} closure was never sent to this executor")
            accumulators.task_registry().clear()
            stage = loads(msg.stage_binary)
            entry = (stage, list(accumulators.task_registry().values()))
            self._items[msg.stage_key] = entry
            while len(self._items) > STAGE_CACHE_SIZE:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(msg.stage_key)
        accumulators.reset_for_task(entry[1])
        return entry[0]


def install_resources(msg: LaunchTask, files_dir: str) -> None:
    """Store the broadcast values and files that came with a task."""
    for bid, blob in zip(msg.broadcast_ids, msg.broadcasts):
        broadcast.install_on_executor(bid, blob)
    for name, data in zip(msg.file_names, msg.files):
        path = os.path.join(files_dir, os.path.basename(name))
        with open(path + ".tmp", "wb") as f:
            f.write(data)
        if name in msg.archive_formats:
            shutil.unpack_archive(path + ".tmp", path, msg.archive_formats[name])
            os.unlink(path + ".tmp")
            continue
        os.replace(path + ".tmp", path)
        if path.endswith((".py", ".zip", ".egg", ".whl")) and path not in sys.path:
            sys.path.insert(1, path if not path.endswith(".py") else files_dir)
    SparkFiles._set_root(files_dir)


def run_task(msg: LaunchTask, stages: StageCache, files_dir: str,
             barrier_sync: Callable[[int, int, str], list[str]] | None = None) -> StatusUpdate:
    """Execute ``msg`` to completion and describe the outcome."""
    start = time.perf_counter()
    if msg.barrier_addresses:
        ctx: TaskContext = BarrierTaskContext(
            msg.stage_id, msg.stage_attempt, msg.partition, msg.attempt, msg.task_id,
            msg.properties, sync=barrier_sync, addresses=msg.barrier_addresses)
    else:
        ctx = TaskContext(msg.stage_id, msg.stage_attempt, msg.partition, msg.attempt,
                          msg.task_id, msg.properties)
    try:
        install_resources(msg, files_dir)
        stage = stages.get(msg)
        ctx.shuffle_locations = stage.shuffle_locations
        ctx.remote_blocks = msg.cached_blocks
        split = loads(msg.partition_data)
        TaskContext._set(ctx)
        try:
            value = stage.run(split, ctx)
        finally:
            ctx._complete()
            TaskContext._set(None)
        updates = accumulators.drain_task_updates()
        bm = block_manager.current()
        return StatusUpdate(task_id=msg.task_id, state="FINISHED", result=dumps(value),
                            accumulators=dumps(updates) if updates else None,
                            blocks=bm.block_ids() if bm is not None and stage.caches else [],
                            metrics={**ctx.metrics, "duration": time.perf_counter() - start})
    except FetchFailedError as e:
        return StatusUpdate(task_id=msg.task_id, state="FAILED",
                            error={"class": "FetchFailed", "message": str(e),
                                   "traceback": traceback.format_exc()},
                            fetch_failed={"shuffle_id": e.shuffle_id, "map_index": e.map_index,
                                          "executor_id": e.executor_id})
    except TaskKilledError as e:
        return StatusUpdate(task_id=msg.task_id, state="KILLED",
                            error={"class": "TaskKilled", "message": str(e), "traceback": ""})
    except BaseException as e:
        error = {"class": type(e).__name__, "message": str(e),
                 "traceback": traceback.format_exc()}
        if isinstance(e, PySparkException):
            error.update(error_class=e.getErrorClass() or "", sql_state=e.getSqlState() or "",
                         raw_message=e._message)
        return StatusUpdate(task_id=msg.task_id, state="FAILED", error=error)
    finally:
        accumulators.task_registry().clear()


class TaskRunner:
    """Runs Python task code on the process's main thread, one task at a time. ``kill`` (from
    the I/O thread) interrupts the running task with a signal, so even a task blocked in a
    system call ends promptly, as a killed PySpark worker does."""

    KILL_SIGNAL = signal.SIGUSR2

    def __init__(self, files_dir: str, on_done: Callable[[StatusUpdate], None],
                 barrier_sync: Callable[[int, int, str], list[str]]) -> None:
        self.files_dir = files_dir
        self.on_done = on_done
        self.barrier_sync = barrier_sync
        self.stages = StageCache()
        self.queue: collections.deque[LaunchTask | None] = collections.deque()
        self.cond = threading.Condition()
        self.running: int | None = None
        self.kill_requested: int | None = None
        self.main_ident = threading.main_thread().ident
        signal.signal(self.KILL_SIGNAL, self._on_kill_signal)

    def _on_kill_signal(self, signum: int, frame: Any) -> None:
        if self.kill_requested is not None and self.kill_requested == self.running:
            self.kill_requested = None
            raise TaskKilledError("task killed by the driver", errorClass="TASK_KILLED")

    def submit(self, msg: LaunchTask | None) -> None:
        """Queue a task; ``None`` ends ``run_forever``."""
        with self.cond:
            self.queue.append(msg)
            self.cond.notify()

    def kill(self, task_id: int, reason: str) -> None:
        with self.cond:
            for msg in list(self.queue):
                if msg is not None and msg.task_id == task_id:
                    self.queue.remove(msg)
                    self.on_done(StatusUpdate(task_id=task_id, state="KILLED",
                                              error={"class": "TaskKilled", "message": reason,
                                                     "traceback": ""}))
                    return
            if self.running == task_id:
                self.kill_requested = task_id
                signal.pthread_kill(self.main_ident, self.KILL_SIGNAL)

    def running_ids(self) -> list[int]:
        with self.cond:
            return ([self.running] if self.running is not None else []) + \
                   [m.task_id for m in self.queue if m is not None]

    def run_forever(self) -> None:
        while True:
            with self.cond:
                while not self.queue:
                    self.cond.wait()
                msg = self.queue.popleft()
                if msg is None:
                    return
                self.running = msg.task_id
            try:
                update = run_task(msg, self.stages, self.files_dir, self.barrier_sync)
            except TaskKilledError:
                update = StatusUpdate(task_id=msg.task_id, state="KILLED",
                                      error={"class": "TaskKilled", "message": "killed",
                                             "traceback": ""})
            with self.cond:
                self.running = None
                self.kill_requested = None
            self.on_done(update)
