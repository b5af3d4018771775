"""The DAG scheduler: turns jobs into stages, submits missing parents first, tracks map outputs
and recovers from lost executors and fetch failures by resubmitting stages. Runs only on the
driver's scheduler thread."""
from __future__ import annotations

import itertools
import logging
from typing import Any, Callable, Protocol

from pyspk import accumulators as accumulator_registry
from pyspk import broadcast
from pyspk.conf.units import format_mib
from pyspk.errors import PySparkPicklingError, SparkException
from pyspk.scheduler.map_outputs import MapOutputTracker
from pyspk.scheduler.stages import (Job, ResultStage, ShuffleMapStage, Stage, StageClosure,
                                    caches_in_stage, is_barrier_stage, preferred_slots,
                                    shuffle_deps_of)
from pyspk.scheduler.status import StatusStore
from pyspk.scheduler.task_set import TaskSetManager
from pyspk.serde import dumps_closure, loads

log = logging.getLogger("pyspk.scheduler.DAGScheduler")

MAX_STAGE_ATTEMPTS = 4


class TaskLauncher(Protocol):
    def submit_task_set(self, ts: TaskSetManager, stage: Stage, binary: bytes,
                        broadcast_ids: set[int]) -> None: ...
    def kill_task_set(self, ts: TaskSetManager, reason: str) -> None: ...
    def call_later(self, delay: float, fn: Callable[[], None]) -> None: ...
    def executor_alive(self, executor_id: str) -> bool: ...
    def total_slots(self) -> int: ...
    def block_locations(self) -> dict[str, set[str]]: ...


class DAGScheduler:
    """Stage-level state of every active job."""

    def __init__(self, launcher: TaskLauncher, max_failures: int, status: StatusStore,
                 max_result_bytes: int = 0,
                 barrier_check: tuple[float, int] = (0.5, 40)) -> None:
        self.launcher = launcher
        self.barrier_check = barrier_check
        self.max_result_bytes = max_result_bytes
        self.max_failures = max_failures
        self.status = status
        self.tracker = MapOutputTracker()
        self.stage_ids = itertools.count()
        self.jobs: dict[int, Job] = {}
        self.shuffle_stages: dict[int, ShuffleMapStage] = {}
        self.waiting: set[Stage] = set()
        self.running: dict[Stage, TaskSetManager] = {}
        self.map_jobs: dict[int, list[Job]] = {}

    # ---- jobs
    def submit_job(self, job: Job) -> None:
        self.jobs[job.id] = job
        if job.map_dep is not None:
            self._submit_map_job(job)
            return
        try:
            parents = self._parent_stages(job.rdd, job.id)
            stage = ResultStage(id=next(self.stage_ids), rdd=job.rdd, parents=parents,
                                name=job.name, first_job=job.id, runner=job.runner,
                                partitions=list(job.partitions))
        except Exception as e:
            self._fail_job(job, e)
            return
        stage.jobs.add(job.id)
        job.final_stage = stage
        self.status.job_started(job, self._all_stages(stage))
        if not job.partitions:
            self._finish_job(job)
            return
        self._submit_stage(stage)

    def _submit_map_job(self, job: Job) -> None:
        """Run only the map side of ``job.map_dep``: the driver then plans the reduce side from
        the real map output sizes (adaptive query execution)."""
        try:
            stage = self._shuffle_stage(job.map_dep, job.id)
        except Exception as e:
            self._fail_job(job, e)
            return
        self.status.job_started(job, self._all_stages(stage))
        self.map_jobs.setdefault(stage.shuffle_id, []).append(job)
        if stage.rdd.partitions:
            self._submit_stage(stage)
        else:
            self._map_stage_done(stage.shuffle_id, stage.dep.num_partitions)

    def _map_stage_done(self, shuffle_id: int, num_reduce: int) -> None:
        sizes = [0] * num_reduce
        for status in self.tracker.statuses(shuffle_id):
            for r, size in enumerate(status.sizes()):
                sizes[r] += size
        for job in self.map_jobs.pop(shuffle_id, []):
            if job.id in self.jobs:
                job.map_sizes = sizes
                self._finish_job(job)

    def cancel_jobs(self, predicate: Callable[[Job], bool], reason: str) -> None:
        for job in [j for j in self.jobs.values() if predicate(j)]:
            self._fail_job(job, SparkException(f"Job {job.id} cancelled {reason}",
                                               errorClass="SPARK_JOB_CANCELLED"))

    def _all_stages(self, stage: Stage) -> list[Stage]:
        out, stack, seen = [], [stage], set()
        while stack:
            s = stack.pop()
            if s.id in seen:
                continue
            seen.add(s.id)
            out.append(s)
            stack.extend(s.parents)
        return out

    def _parent_stages(self, rdd: Any, job_id: int) -> list[ShuffleMapStage]:
        return [self._shuffle_stage(dep, job_id) for dep in shuffle_deps_of(rdd)]

    def _shuffle_stage(self, dep: Any, job_id: int) -> ShuffleMapStage:
        stage = self.shuffle_stages.get(dep.shuffle_id)
        if stage is None:
            parents = self._parent_stages(dep.rdd, job_id)
            stage = ShuffleMapStage(id=next(self.stage_ids), rdd=dep.rdd, parents=parents,
                                    name=getattr(dep, "name", None) or f"shuffle {dep.shuffle_id}",
                                    first_job=job_id, dep=dep)
            self.shuffle_stages[dep.shuffle_id] = stage
            self.tracker.register_shuffle(dep.shuffle_id, len(dep.rdd.partitions))
        stage.jobs.add(job_id)
        return stage

    # ---- stage submission
    def _submit_stage(self, stage: Stage) -> None:
        if stage in self.waiting or stage in self.running:
            return
        missing = [p for p in stage.parents if not self.tracker.is_available(p.shuffle_id)]
        if not missing:
            self._submit_tasks(stage)
            return
        for parent in missing:
            self._submit_stage(parent)
        self.waiting.add(stage)

    def _missing_partitions(self, stage: Stage) -> list[int]:
        if isinstance(stage, ShuffleMapStage):
            return self.tracker.missing(stage.shuffle_id)
        job = self.jobs.get(stage.first_job)
        return [p for p in stage.partitions if job is not None and p not in job.results]

    def _submit_tasks(self, stage: Stage) -> None:
        parts = self._missing_partitions(stage)
        if not parts:
            self._stage_finished(stage)
            return
        barrier = is_barrier_stage(stage.rdd)
        if barrier and len(parts) > self.launcher.total_slots():
            stage.slot_checks += 1
            if stage.slot_checks < self.barrier_check[1]:
                self.launcher.call_later(self.barrier_check[0], lambda: self._resubmit(stage))
                return
            self._abort_stage(stage, SparkException(
                "[SPARK-24819]: Barrier execution mode does not allow run a barrier stage that "
                "requires more slots than the total number of slots in the cluster currently. "
                "Please init a new cluster with more resources(e.g. CPU, GPU) or repartition "
                "the input RDD(s) to reduce the number of slots required to run this barrier "
                f"stage. (stage {stage.id} needs {len(parts)} slots, the cluster has "
                f"{self.launcher.total_slots()})", errorClass="BARRIER_SLOTS_EXCEEDED"))
            return
        stage.attempt += 1
        runner = stage.dep.map_runner() if isinstance(stage, ShuffleMapStage) else stage.runner
        locations = {dep.shuffle_id: self.tracker.statuses(dep.shuffle_id)
                     for dep in shuffle_deps_of(stage.rdd)}
        closure = StageClosure(run=runner.run, shuffle_locations=locations,
                               caches=caches_in_stage(stage.rdd))
        try:
            with broadcast.collecting_ids() as bids:
                binary = dumps_closure(closure)
        except PySparkPicklingError as e:
            self._abort_stage(stage, e)
            return
        blocks = self.launcher.block_locations()
        priority = min(stage.jobs) if stage.jobs else stage.first_job
        ts = TaskSetManager(job_id=priority, stage_id=stage.id, stage_attempt=stage.attempt,
                            priority=priority, partitions=parts, max_failures=self.max_failures,
                            preferred={p: preferred_slots(stage.rdd, p, blocks) for p in parts}
                            if blocks else {}, barrier=barrier)
        self.running[stage] = ts
        self.status.stage_submitted(stage, len(parts))
        self.launcher.submit_task_set(ts, stage, binary, set(bids))

    def _stage_finished(self, stage: Stage) -> None:
        self.running.pop(stage, None)
        self.status.stage_completed(stage)
        if isinstance(stage, ShuffleMapStage):
            if stage.shuffle_id in self.map_jobs:
                self._map_stage_done(stage.shuffle_id, stage.dep.num_partitions)
            for waiting in sorted(self.waiting, key=lambda s: s.id):
                if all(self.tracker.is_available(p.shuffle_id) for p in waiting.parents):
                    self.waiting.discard(waiting)
                    self._submit_stage(waiting)

    # ---- task outcomes
    def task_succeeded(self, ts: TaskSetManager, stage: Stage, partition: int, result: bytes,
                       accumulators: bytes | None) -> None:
        if isinstance(stage, ResultStage):
            job = self.jobs.get(stage.first_job)
            if job is not None and partition not in job.results:
                job.result_bytes += len(result)
                if self.max_result_bytes and job.result_bytes > self.max_result_bytes:
                    self._abort_stage(stage, SparkException(
                        f"Job aborted due to stage failure: Total size of serialized results of "
                        f"{len(job.results) + 1} tasks ({format_mib(job.result_bytes)}) is bigger "
                        f"than spark.driver.maxResultSize ({format_mib(self.max_result_bytes)})",
                        errorClass="SPARK_JOB_ABORTED"))
                    return
                job.results[partition] = result
                if accumulators:
                    accumulator_registry.merge_updates(loads(accumulators))
                if len(job.results) == len(job.partitions):
                    self._finish_job(job)
                    self.running.pop(stage, None)
                    self.status.stage_completed(stage)
            return
        status = loads(result)
        if accumulators:
            accumulator_registry.merge_updates(loads(accumulators))
        if self.launcher.executor_alive(status.executor_id):
            self.tracker.register(stage.shuffle_id, status)
        if self.running.get(stage) is ts and ts.is_done():
            if self.tracker.is_available(stage.shuffle_id):
                self._stage_finished(stage)
            else:
                self.running.pop(stage, None)
                self._submit_stage(stage)

    def task_failed_permanently(self, stage: Stage, message: str, exc: BaseException) -> None:
        self._abort_stage(stage, exc)

    def barrier_failed(self, stage: Stage, ts: TaskSetManager, exc: BaseException,
                       counts: bool) -> None:
        """A barrier stage's attempt broke: every task re-runs in a new attempt, or the stage
        aborts once its failures reach the task failure limit."""
        if self.running.get(stage) is ts:
            self.running.pop(stage, None)
        if counts:
            stage.barrier_failures += 1
            if stage.barrier_failures >= self.max_failures:
                self._abort_stage(stage, exc)
                return
        if isinstance(stage, ResultStage):
            job = self.jobs.get(stage.first_job)
            if job is not None:
                for p in stage.partitions:
                    job.results.pop(p, None)
        else:
            self.tracker.outputs[stage.shuffle_id] = [None] * stage.num_partitions
        log.warning("Resubmitting every task of barrier stage %d (%s)", stage.id, stage.name)
        self.launcher.call_later(0.05, lambda: self._resubmit(stage))

    def fetch_failed(self, ts: TaskSetManager, stage: Stage, shuffle_id: int,
                     executor_id: str) -> None:
        if self.running.get(stage) is ts:
            ts.zombie = True
            self.running.pop(stage, None)
            self.launcher.kill_task_set(ts, "stage resubmitted after a fetch failure")
            stage.fetch_failures += 1
        self.tracker.remove_executor(executor_id)
        if stage.fetch_failures > MAX_STAGE_ATTEMPTS:
            self._abort_stage(stage, SparkException(
                f"{stage.name} (stage {stage.id}) has failed the maximum allowable number of "
                f"times: {MAX_STAGE_ATTEMPTS}. Most recent failure reason: fetch failure of "
                f"shuffle {shuffle_id} from executor {executor_id}"))
            return
        log.warning("Resubmitting stage %d (%s) and its parents after a fetch failure from "
                    "executor %s", stage.id, stage.name, executor_id)
        self.launcher.call_later(0.2, lambda: self._resubmit(stage))

    def _resubmit(self, stage: Stage) -> None:
        if any(job_id in self.jobs for job_id in stage.jobs):
            self._submit_stage(stage)

    def executor_lost(self, executor_id: str) -> None:
        lost = self.tracker.remove_executor(executor_id)
        for stage, ts in list(self.running.items()):
            if isinstance(stage, ShuffleMapStage) and stage.shuffle_id in lost:
                ts.add_partitions(lost[stage.shuffle_id])

    # ---- endings
    def _abort_stage(self, stage: Stage, exc: BaseException) -> None:
        ts = self.running.pop(stage, None)
        if ts is not None:
            ts.zombie = True
            self.launcher.kill_task_set(ts, "stage aborted")
        self.status.stage_completed(stage, failed=True)
        for job_id in sorted(stage.jobs):
            job = self.jobs.get(job_id)
            if job is not None:
                self._fail_job(job, exc)

    def _fail_job(self, job: Job, exc: BaseException) -> None:
        job.error = exc
        self._cleanup_job(job)
        job.done.set()

    def _finish_job(self, job: Job) -> None:
        self._cleanup_job(job)
        job.done.set()

    def _cleanup_job(self, job: Job) -> None:
        self.jobs.pop(job.id, None)
        self.status.job_ended(job)
        for stage in list(self.running) + list(self.waiting):
            stage.jobs.discard(job.id)
            if not stage.jobs:
                ts = self.running.pop(stage, None)
                if ts is not None:
                    ts.zombie = True
                    self.launcher.kill_task_set(ts, "job ended")
                self.waiting.discard(stage)
                self.status.stage_completed(stage, failed=job.error is not None)
