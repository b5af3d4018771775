"""The driver's scheduler thread: owns the app-plane ROUTER, the executor slots and the task
sets; feeds task outcomes to the DAG scheduler. User threads talk to it only through
``call_soon_threadsafe``."""
from __future__ import annotations

import itertools
import logging
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from pyspk.conf import SparkConf, entries
from pyspk import errors
from pyspk.errors import PySparkException, PythonException, SparkException
from pyspk.protocol.app import (BarrierReply, BarrierSync, ExecutorHeartbeat, HeartbeatReply, KillTask, LaunchTask,
                                RegisteredExecutor, RegisterExecutor, RemoveBlocks, StatusUpdate,
                                StopExecutor)
from pyspk.rpc import sockets
from pyspk.rpc.loop import EventLoop
from pyspk.rpc.security import Security
from pyspk.scheduler.backend import BackendListener
from pyspk.scheduler.dag import DAGScheduler
from pyspk.scheduler.stages import Job, Stage, cached_block_ids, caches_in_stage
from pyspk.scheduler.status import StatusStore
from pyspk.scheduler.task_set import TaskSetManager, assign
from pyspk.serde import dumps

log = logging.getLogger("pyspk.scheduler.TaskSchedulerImpl")


@dataclass
class Slot:
    """One executor slot process as the driver knows it."""

    key: str
    identity: bytes
    executor_id: str
    host: str
    pid: int
    block_address: str
    busy: int | None = None
    last_seen: float = field(default_factory=time.monotonic)
    stage_keys: set[int] = field(default_factory=set)
    broadcasts: set[int] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    blocks: set[str] = field(default_factory=set)


@dataclass
class _TaskSetEntry:
    ts: TaskSetManager
    stage: Stage
    binary: bytes
    stage_key: int
    broadcast_ids: set[int]
    caches: bool


@dataclass
class _RunningTask:
    entry: _TaskSetEntry
    partition: int
    slot: str
    attempt: int


class DriverScheduler(BackendListener):
    """Task-level scheduling over executor slots, running on its own event-loop thread."""

    def __init__(self, conf: SparkConf, max_failures: int,
                 broadcast_source: Callable[[int], bytes | None],
                 file_source: Callable[[], list[tuple[str, bytes]]],
                 archive_formats: Callable[[], dict[str, str]]) -> None:
        self.conf = conf
        self.security = Security.from_conf(conf.get)
        self.host = conf.typed(entries.DRIVER_HOST)
        self.sock, self.port = sockets.bind_router(self.host, conf.typed(entries.DRIVER_PORT),
                                                   self.security, conf.typed(entries.RPC_MAX_SIZE))
        self.url = f"tcp://{self.host}:{self.port}"
        self.loop = EventLoop("dag-scheduler-event-loop")
        self.loop.add_socket(self.sock, self._on_message)
        self.status = StatusStore()
        self.dag = DAGScheduler(self, max_failures, self.status,
                                conf.typed(entries.DRIVER_MAX_RESULT),
                                (conf.typed(entries.BARRIER_CHECK_INTERVAL),
                                 conf.typed(entries.BARRIER_CHECK_FAILURES)))
        self.slots: dict[str, Slot] = {}
        self.dead_executors: set[str] = set()
        self.entries: list[_TaskSetEntry] = []
        self.tasks: dict[int, _RunningTask] = {}
        self.task_ids = itertools.count()
        self.stage_keys = itertools.count(1)
        self.broadcast_source = broadcast_source
        self.file_source = file_source
        self.archive_formats = archive_formats
        self.app_conf: dict[str, str] = {}
        self.network_timeout = conf.typed(entries.NETWORK_TIMEOUT)
        self.registered = threading.Condition()
        self.removed_reason = ""
        self.barrier_waits: dict[tuple[int, int], dict[int, tuple[bytes, int, str]]] = {}
        self.loop.call_every(2.0, self._check_heartbeats)

    def start(self, app_conf: dict[str, str]) -> None:
        self.app_conf = app_conf
        self.loop.start_thread()

    def stop(self) -> None:
        done = threading.Event()

        def _stop() -> None:
            for slot in self.slots.values():
                sockets.send(self.sock, StopExecutor(reason="driver stopped"), slot.identity)
            for job in list(self.dag.jobs.values()):
                self.dag.cancel_jobs(lambda j, job=job: j is job, "because SparkContext was shut down")
            done.set()
        self.loop.call_soon_threadsafe(_stop)
        done.wait(5)
        self.loop.stop()
        self.loop.join(5)
        sockets.close(self.sock)
        self.loop.close()

    # ---- user-thread API
    def run_job(self, job: Job) -> None:
        if self.removed_reason:
            raise SparkException(self.removed_reason, errorClass="SPARK_APPLICATION_REMOVED")
        self.loop.call_soon_threadsafe(self.dag.submit_job, job)

    def cancel(self, predicate: Callable[[Job], bool], reason: str) -> None:
        self.loop.call_soon_threadsafe(self.dag.cancel_jobs, predicate, reason)

    def remove_blocks(self, msg: RemoveBlocks, forget_broadcast: int | None = None) -> None:
        def _send() -> None:
            for slot in self.slots.values():
                if forget_broadcast is not None:
                    slot.broadcasts.discard(forget_broadcast)
                slot.blocks.difference_update(msg.block_ids)
                sockets.send(self.sock, msg, slot.identity)
        self.loop.call_soon_threadsafe(_send)

    def wait_for_slots(self, count: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        with self.registered:
            while len(self.slots) < count and time.monotonic() < deadline \
                    and not self.removed_reason:
                self.registered.wait(deadline - time.monotonic())
            return len(self.slots)

    def executor_slot_count(self) -> int:
        return len(self.slots)

    # ---- BackendListener
    def executor_lost(self, executor_id: str, reason: str) -> None:
        self.loop.call_soon_threadsafe(self._executor_lost, executor_id, reason)

    def application_removed(self, reason: str) -> None:
        self.loop.call_soon_threadsafe(self._application_removed, reason)

    def registered_slots(self) -> int:
        return len(self.slots)

    def _application_removed(self, reason: str) -> None:
        self.removed_reason = f"Application has been killed. Reason: {reason}"
        self.dag.cancel_jobs(lambda j: True, f"because the master removed the application ({reason})")
        with self.registered:
            self.registered.notify_all()

    # ---- TaskLauncher (scheduler thread)
    def submit_task_set(self, ts: TaskSetManager, stage: Stage, binary: bytes,
                        broadcast_ids: set[int]) -> None:
        self.entries.append(_TaskSetEntry(ts, stage, binary, next(self.stage_keys), broadcast_ids,
                                          caches_in_stage(stage.rdd)))
        self._revive()

    def kill_task_set(self, ts: TaskSetManager, reason: str) -> None:
        for tid, rt in list(self.tasks.items()):
            if rt.entry.ts is ts:
                slot = self.slots.get(rt.slot)
                if slot is not None:
                    sockets.send(self.sock, KillTask(task_id=tid, reason=reason), slot.identity)
        self.entries = [e for e in self.entries if e.ts is not ts or e.ts.running]

    def call_later(self, delay: float, fn: Callable[[], None]) -> None:
        self.loop.call_later(delay, fn)

    def executor_alive(self, executor_id: str) -> bool:
        return executor_id not in self.dead_executors

    def total_slots(self) -> int:
        return len(self.slots)

    def block_locations(self) -> dict[str, set[str]]:
        where: dict[str, set[str]] = {}
        for slot in self.slots.values():
            for b in slot.blocks:
                where.setdefault(b, set()).add(slot.key)
        return where

    # ---- messages
    def _on_message(self) -> None:
        identity, msg = sockets.receive(self.sock, "app", router=True)
        if msg is None or identity is None:
            return
        if isinstance(msg, StatusUpdate):
            self._status_update(identity, msg)
        elif isinstance(msg, ExecutorHeartbeat):
            slot = self.slots.get(identity.decode(errors="replace"))
            if slot is not None:
                slot.last_seen = time.monotonic()
            sockets.send(self.sock, HeartbeatReply(reregister=slot is None), identity)
        elif isinstance(msg, RegisterExecutor):
            self._register(identity, msg)
        elif isinstance(msg, BarrierSync):
            self._barrier_sync(identity, msg)
        else:
            log.warning("Driver ignored unexpected %s", type(msg).__name__)

    def _register(self, identity: bytes, msg: RegisterExecutor) -> None:
        key = identity.decode(errors="replace")
        if key != f"{msg.executor_id}/{msg.slot}" or msg.executor_id in self.dead_executors:
            sockets.send(self.sock, StopExecutor(reason="unknown or lost executor"), identity)
            return
        self.slots[key] = Slot(key, identity, msg.executor_id, msg.host, msg.pid, msg.block_address)
        sockets.send(self.sock, RegisteredExecutor(conf=self.app_conf), identity)
        log.info("Registered executor %s (pid %d) on %s", key, msg.pid, msg.host)
        with self.registered:
            self.registered.notify_all()
        self._revive()

    def _revive(self) -> None:
        free = [k for k, s in self.slots.items() if s.busy is None]
        if not free or not self.entries:
            return
        by_ts = {id(e.ts): e for e in self.entries}
        launches = assign(free, [e.ts for e in self.entries])
        addresses: dict[int, list[str]] = {}
        for ts_id in {id(ts) for _, ts, _ in launches if ts.barrier}:
            placed = sorted((p, self.slots[k].block_address.removeprefix("tcp://"))
                            for k, ts, p in launches if id(ts) == ts_id)
            addresses[ts_id] = [host for _, host in placed]
        for slot_key, ts, partition in launches:
            self._launch(self.slots[slot_key], by_ts[id(ts)], partition,
                         addresses.get(id(ts), []))

    def _launch(self, slot: Slot, entry: _TaskSetEntry, partition: int,
                barrier_addresses: list[str]) -> None:
        tid = next(self.task_ids)
        attempt = entry.ts.launched(tid, partition, slot.key)
        stage = entry.stage
        new_bids = [b for b in entry.broadcast_ids if b not in slot.broadcasts]
        blobs = []
        for b in new_bids:
            blob = self.broadcast_source(b)
            if blob is not None:
                blobs.append(blob)
                slot.broadcasts.add(b)
        new_bids = [b for b in new_bids if b in slot.broadcasts]
        files = [(n, d) for n, d in self.file_source() if n not in slot.files]
        slot.files.update(n for n, _ in files)
        first = entry.stage_key not in slot.stage_keys
        slot.stage_keys.add(entry.stage_key)
        msg = LaunchTask(task_id=tid, job_id=entry.ts.job_id, stage_id=stage.id,
                         stage_attempt=stage.attempt, partition=partition, attempt=attempt,
                         stage_key=entry.stage_key, stage_binary=entry.binary if first else None,
                         partition_data=dumps(stage.rdd.partitions[partition]),
                         broadcast_ids=new_bids, broadcasts=blobs,
                         file_names=[n for n, _ in files], files=[d for _, d in files],
                         archive_formats={n: f for n, f in self.archive_formats().items()
                                          if n in {name for name, _ in files}},
                         cached_blocks=self._remote_blocks(entry, partition, slot),
                         barrier_addresses=barrier_addresses,
                         properties=self._properties(entry))
        slot.busy = tid
        self.tasks[tid] = _RunningTask(entry, partition, slot.key, attempt)
        self.status.task_started(stage.id)
        sockets.send(self.sock, msg, slot.identity)

    def _remote_blocks(self, entry: _TaskSetEntry, partition: int, slot: Slot) -> dict[str, str]:
        """Block-server addresses of other slots holding cached blocks this task reads."""
        if not entry.caches:
            return {}
        found: dict[str, str] = {}
        for block_id in cached_block_ids(entry.stage.rdd, partition):
            if block_id in slot.blocks:
                return found
            for other in self.slots.values():
                if block_id in other.blocks:
                    found[block_id] = other.block_address
                    break
        return found

    def _properties(self, entry: _TaskSetEntry) -> dict[str, str]:
        job = self.dag.jobs.get(entry.ts.job_id)
        return dict(job.properties) if job is not None else {}

    def _status_update(self, identity: bytes, msg: StatusUpdate) -> None:
        key = identity.decode(errors="replace")
        slot = self.slots.get(key)
        rt = self.tasks.get(msg.task_id)
        if rt is not None and rt.slot != key:
            log.warning("Dropped a status update for task %d from %r, which is not running it",
                        msg.task_id, key)
            return
        self.tasks.pop(msg.task_id, None)
        if slot is not None:
            if slot.busy == msg.task_id:
                slot.busy = None
            slot.last_seen = time.monotonic()
            if msg.blocks:
                slot.blocks = set(msg.blocks)
        if rt is None:
            self._revive()
            return
        ts, stage = rt.entry.ts, rt.entry.stage
        ts.running.pop(msg.task_id, None)
        self.status.task_ended(stage.id, msg.state == "FINISHED", msg.metrics)
        if msg.state == "FINISHED":
            ts.finished.add(rt.partition)
            if not ts.zombie or stage.__class__.__name__ == "ResultStage":
                self.dag.task_succeeded(ts, stage, rt.partition, msg.result or b"", msg.accumulators)
        elif msg.fetch_failed:
            ts.finished.discard(rt.partition)
            self.dag.fetch_failed(ts, stage, int(msg.fetch_failed["shuffle_id"]),
                                  str(msg.fetch_failed["executor_id"]))
        elif msg.state == "KILLED" or ts.zombie:
            if not ts.zombie:
                ts.add_partitions([rt.partition])
        else:
            self._task_failed(rt, slot, msg)
        self._drop_finished_sets()
        self._revive()

    def _barrier_sync(self, identity: bytes, msg: BarrierSync) -> None:
        """Hold each barrier task's sync until every task of its attempt reached the same one."""
        rt = self.tasks.get(msg.task_id)
        if rt is None or rt.slot != identity.decode(errors="replace") or not rt.entry.ts.barrier:
            sockets.send(self.sock, BarrierReply(task_id=msg.task_id, epoch=msg.epoch,
                                                 error="not a running barrier task"), identity)
            return
        ts = rt.entry.ts
        arrived = self.barrier_waits.setdefault((id(ts), msg.epoch), {})
        arrived[rt.partition] = (identity, msg.task_id, msg.message)
        if len(arrived) == len(ts.partitions):
            del self.barrier_waits[(id(ts), msg.epoch)]
            messages = [arrived[p][2] for p in sorted(arrived)]
            for ident, tid, _ in arrived.values():
                sockets.send(self.sock, BarrierReply(task_id=tid, epoch=msg.epoch,
                                                     messages=messages), ident)

    def _barrier_broken(self, entry: _TaskSetEntry, reason: str, exc: BaseException,
                        counts: bool) -> None:
        """One task of a barrier attempt failed or was lost: end the attempt everywhere."""
        ts = entry.ts
        if ts.zombie:
            return
        ts.zombie = True
        for key in [k for k in self.barrier_waits if k[0] == id(ts)]:
            for ident, tid, _ in self.barrier_waits.pop(key).values():
                sockets.send(self.sock, BarrierReply(task_id=tid, epoch=key[1],
                                                     error=f"barrier broken: {reason}"), ident)
        self.kill_task_set(ts, "barrier stage attempt broken")
        self.dag.barrier_failed(entry.stage, ts, exc, counts)

    def _task_failed(self, rt: _RunningTask, slot: Slot | None, msg: StatusUpdate) -> None:
        ts, stage = rt.entry.ts, rt.entry.stage
        err = msg.error or {}
        where = f"({slot.host} executor {slot.executor_id})" if slot else "(unknown executor)"
        reason = err.get("traceback") or f"{err.get('class')}: {err.get('message')}"
        log.warning("Lost task %d.%d in stage %d.%d (TID %d) %s: %s", rt.partition, rt.attempt,
                    stage.id, stage.attempt, msg.task_id, where,
                    reason.strip().splitlines()[-1] if reason.strip() else "")
        if ts.barrier:
            context = (f"Job aborted due to stage failure: barrier stage "
                       f"{stage.id}.{stage.attempt} failed: task {rt.partition}.{rt.attempt} "
                       f"(TID {msg.task_id}) {where}")
            self._barrier_broken(rt.entry, reason.strip().splitlines()[-1] if reason.strip()
                                 else "task failed", task_exception(err, reason, context),
                                 counts=True)
            return
        ts.failures[rt.partition] += 1
        if ts.failures[rt.partition] >= ts.max_failures:
            context = (f"Job aborted due to stage failure: Task {rt.partition} in stage "
                       f"{stage.id}.{stage.attempt} failed {ts.failures[rt.partition]} times, most "
                       f"recent failure: Lost task {rt.partition}.{rt.attempt} in stage "
                       f"{stage.id}.{stage.attempt} (TID {msg.task_id}) {where}")
            exc = task_exception(err, reason, context)
            self.dag.task_failed_permanently(stage, str(exc), exc)
        else:
            ts.add_partitions([rt.partition])

    def _drop_finished_sets(self) -> None:
        self.entries = [e for e in self.entries
                        if not (e.ts.is_done() or (e.ts.zombie and not e.ts.running))]

    def _executor_lost(self, executor_id: str, reason: str) -> None:
        if executor_id in self.dead_executors:
            return
        self.dead_executors.add(executor_id)
        log.warning("Lost executor %s: %s", executor_id, reason)
        for key in [k for k, s in self.slots.items() if s.executor_id == executor_id]:
            del self.slots[key]
        for tid, rt in list(self.tasks.items()):
            if rt.slot.split("/")[0] == executor_id:
                del self.tasks[tid]
                rt.entry.ts.running.pop(tid, None)
                self.status.task_ended(rt.entry.stage.id, False)
                if rt.entry.ts.barrier:
                    self._barrier_broken(rt.entry, f"executor {executor_id} lost",
                                         SparkException(reason), counts=False)
                elif not rt.entry.ts.zombie:
                    self._task_lost_with_executor(rt, executor_id, reason)
        self.dag.executor_lost(executor_id)
        self._drop_finished_sets()
        self._revive()

    def _task_lost_with_executor(self, rt: _RunningTask, executor_id: str, reason: str) -> None:
        """A task whose executor process ended itself (an exit code, or a crash signal) counts as
        failed — the task may have caused it, e.g. a crashing UDF: Spark's ExecutorLostFailure
        caused by the app; a task whose executor was killed from outside or went silent is
        re-run without counting."""
        ts, stage = rt.entry.ts, rt.entry.stage
        if not _exit_caused_by_task(reason):
            ts.add_partitions([rt.partition])
            return
        ts.failures[rt.partition] += 1
        if ts.failures[rt.partition] < ts.max_failures:
            ts.add_partitions([rt.partition])
            return
        exc = SparkException(
            f"Job aborted due to stage failure: Task {rt.partition} in stage {stage.id}."
            f"{stage.attempt} failed {ts.failures[rt.partition]} times, most recent failure: "
            f"Lost task {rt.partition}.{rt.attempt} in stage {stage.id}.{stage.attempt} "
            f"(executor {executor_id} exited caused by one of the running tasks) "
            f"Reason: {reason}", errorClass="SPARK_JOB_ABORTED")
        self.dag.task_failed_permanently(stage, str(exc), exc)

    def _check_heartbeats(self) -> None:
        now = time.monotonic()
        for slot in list(self.slots.values()):
            if now - slot.last_seen > self.network_timeout:
                self._executor_lost(slot.executor_id,
                                    f"no heartbeat for {now - slot.last_seen:.0f} s")


_CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS, signal.SIGFPE, signal.SIGILL}


def _exit_caused_by_task(reason: str) -> bool:
    """Whether an executor loss reason ("executor process exited with code N") is the process
    ending itself: a non-negative exit code or death by a crash signal."""
    prefix = "executor process exited with code "
    if not reason.startswith(prefix):
        return False
    try:
        code = int(reason[len(prefix):].split()[0])
    except (ValueError, IndexError):
        return False
    return code >= 0 or -code in _CRASH_SIGNALS


def task_exception(error: dict[str, str], traceback_text: str,
                   context: str) -> PySparkException:
    """The exception a failed task's action raises. A pyspk error raised in the task (an ANSI
    arithmetic error, a cast, …) is rebuilt as its own class with its error class and SQLSTATE,
    from text fields only; any other failure is PySpark's "[PYTHON_EXCEPTION] An exception was
    thrown from the Python worker: <traceback> SQLSTATE: 38000", then where it happened."""
    cls = getattr(errors, error.get("class", ""), None)
    if isinstance(cls, type) and issubclass(cls, PySparkException) and "raw_message" in error:
        exc = cls(error["raw_message"], errorClass=error.get("error_class") or None,
                  sqlState=error.get("sql_state") or None)
        exc._stackTrace = f"{traceback_text.rstrip()}\n\n{context}"
        return exc
    return PythonException(
        "An exception was thrown from the Python worker: "
        f"{traceback_text.rstrip()}\n SQLSTATE: 38000\n\n{context}",
        errorClass="PYTHON_EXCEPTION", sqlState="38000", stackTrace=traceback_text)
