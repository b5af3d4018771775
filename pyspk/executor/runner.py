"""Running one task inside an executor slot: unpickle the stage closure and the partition, call
it, and turn the outcome into a StatusUpdate (failures as text, never pickled exceptions)."""
from __future__ import annotations

import collections
import ctypes
import os
import sys
import threading
import time
import traceback
from typing import Any, Callable

from pyspk import accumulators, broadcast
from pyspk.errors import FetchFailedError, TaskKilledError
from pyspk.files import SparkFiles
from pyspk.protocol.app import LaunchTask, StatusUpdate
from pyspk.serde import dumps, loads
from pyspk.storage import block_manager
from pyspk.taskcontext import TaskContext

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
        os.replace(path + ".tmp", path)
        if path.endswith((".py", ".zip", ".egg", ".whl")) and path not in sys.path:
            sys.path.insert(1, path if not path.endswith(".py") else files_dir)
    SparkFiles._set_root(files_dir)


def run_task(msg: LaunchTask, stages: StageCache, files_dir: str) -> StatusUpdate:
    """Execute ``msg`` to completion and describe the outcome."""
    start = time.perf_counter()
    ctx = TaskContext(msg.stage_id, msg.stage_attempt, msg.partition, msg.attempt, msg.task_id,
                      msg.properties)
    try:
        install_resources(msg, files_dir)
        stage = stages.get(msg)
        ctx.shuffle_locations = stage.shuffle_locations
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
                            metrics={"duration": time.perf_counter() - start})
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
        return StatusUpdate(task_id=msg.task_id, state="FAILED",
                            error={"class": type(e).__name__, "message": str(e),
                                   "traceback": traceback.format_exc()})
    finally:
        accumulators.task_registry().clear()


class TaskThread:
    """The one thread of a slot that runs Python task code; ``kill`` raises TaskKilledError
    inside it."""

    def __init__(self, files_dir: str, on_done: Callable[[StatusUpdate], None]) -> None:
        self.files_dir = files_dir
        self.on_done = on_done
        self.stages = StageCache()
        self.queue: collections.deque[LaunchTask] = collections.deque()
        self.cond = threading.Condition()
        self.running: int | None = None
        self.thread = threading.Thread(target=self._loop, name="task-runner", daemon=True)
        self.thread.start()

    def submit(self, msg: LaunchTask) -> None:
        with self.cond:
            self.queue.append(msg)
            self.cond.notify()

    def kill(self, task_id: int, reason: str) -> bool:
        with self.cond:
            for msg in list(self.queue):
                if msg.task_id == task_id:
                    self.queue.remove(msg)
                    self.on_done(StatusUpdate(task_id=task_id, state="KILLED",
                                              error={"class": "TaskKilled", "message": reason,
                                                     "traceback": ""}))
                    return True
            if self.running == task_id:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(self.thread.ident), ctypes.py_object(TaskKilledError))
                return True
        return False

    def running_ids(self) -> list[int]:
        with self.cond:
            return ([self.running] if self.running is not None else []) + \
                   [m.task_id for m in self.queue]

    def _loop(self) -> None:
        while True:
            with self.cond:
                while not self.queue:
                    self.cond.wait()
                msg = self.queue.popleft()
                self.running = msg.task_id
            try:
                update = run_task(msg, self.stages, self.files_dir)
            except TaskKilledError:
                update = StatusUpdate(task_id=msg.task_id, state="KILLED",
                                      error={"class": "TaskKilled", "message": "killed",
                                             "traceback": ""})
            with self.cond:
                self.running = None
            self.on_done(update)
