"""Job and stage progress as the status tracker and the console progress bar see it. Written by
the scheduler thread, read by any thread."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class SparkJobInfo(NamedTuple):
    jobId: int
    stageIds: list[int]
    status: str


class SparkStageInfo(NamedTuple):
    stageId: int
    currentAttemptId: int
    name: str
    numTasks: int
    numActiveTasks: int
    numCompletedTasks: int
    numFailedTasks: int
    submissionTime: float


@dataclass
class _Stage:
    stage_id: int
    name: str
    attempt: int = 0
    num_tasks: int = 0
    active: int = 0
    completed: int = 0
    failed: int = 0
    submitted: float = field(default_factory=time.time)
    done: bool = False
    finished_at: float | None = None
    stage_failed: bool = False
    memory_spilled: int = 0
    disk_spilled: int = 0


@dataclass
class _Job:
    job_id: int
    name: str
    stage_ids: list[int]
    group: str | None
    status: str = "RUNNING"
    submitted: float = field(default_factory=time.time)
    finished_at: float | None = None


@dataclass(frozen=True)
class JobRecord:
    """A job as the application UI reports it."""

    job_id: int
    name: str
    group: str | None
    status: str
    stage_ids: list[int]
    submitted: float
    finished_at: float | None


@dataclass(frozen=True)
class StageRecord:
    """A stage attempt as the application UI reports it."""

    stage_id: int
    attempt: int
    name: str
    status: str
    num_tasks: int
    active: int
    completed: int
    failed: int
    submitted: float
    finished_at: float | None
    memory_bytes_spilled: int = 0
    disk_bytes_spilled: int = 0


class StatusStore:
    """Counters per job and stage, kept for the jobs of the current group and recent ones."""

    def __init__(self, keep: int = 1000) -> None:
        self._lock = threading.Lock()
        self._stages: dict[int, _Stage] = {}
        self._jobs: dict[int, _Job] = {}
        self._keep = keep

    def job_started(self, job: Any, stages: list[Any]) -> None:
        with self._lock:
            self._jobs[job.id] = _Job(job.id, job.name, sorted(s.id for s in stages), job.group)
            self._trim()

    def job_ended(self, job: Any) -> None:
        with self._lock:
            entry = self._jobs.get(job.id)
            if entry is not None:
                entry.status = "FAILED" if job.error else "SUCCEEDED"
                entry.finished_at = time.time()

    def stage_submitted(self, stage: Any, num_tasks: int) -> None:
        with self._lock:
            self._stages[stage.id] = _Stage(stage.id, stage.name, stage.attempt, num_tasks)

    def stage_completed(self, stage: Any, failed: bool = False) -> None:
        with self._lock:
            s = self._stages.get(stage.id)
            if s is not None and not s.done:
                s.done = True
                s.active = 0
                s.finished_at = time.time()
                s.stage_failed = failed

    def task_started(self, stage_id: int) -> None:
        with self._lock:
            s = self._stages.get(stage_id)
            if s is not None:
                s.active += 1

    def task_ended(self, stage_id: int, succeeded: bool,
                   metrics: dict[str, float] | None = None) -> None:
        with self._lock:
            s = self._stages.get(stage_id)
            if s is not None:
                s.active = max(0, s.active - 1)
                s.memory_spilled += int((metrics or {}).get("memoryBytesSpilled", 0))
                s.disk_spilled += int((metrics or {}).get("diskBytesSpilled", 0))
                if succeeded:
                    s.completed += 1
                else:
                    s.failed += 1

    def _trim(self) -> None:
        while len(self._jobs) > self._keep:
            self._jobs.pop(next(iter(self._jobs)))
        while len(self._stages) > self._keep:
            self._stages.pop(next(iter(self._stages)))

    # ---- reads (StatusTracker)
    def job_ids(self, group: str | None, status: str | None = None) -> list[int]:
        with self._lock:
            return [j.job_id for j in self._jobs.values()
                    if (group is None or j.group == group) and (status is None or j.status == status)]

    def job_info(self, job_id: int) -> SparkJobInfo | None:
        with self._lock:
            j = self._jobs.get(job_id)
            return None if j is None else SparkJobInfo(job_id, list(j.stage_ids), j.status)

    def jobs(self) -> list[JobRecord]:
        with self._lock:
            return [JobRecord(j.job_id, j.name, j.group, j.status, list(j.stage_ids),
                              j.submitted, j.finished_at) for j in self._jobs.values()]

    def stages(self) -> list[StageRecord]:
        with self._lock:
            return [StageRecord(s.stage_id, s.attempt, s.name,
                                "FAILED" if s.stage_failed else "COMPLETE" if s.done else "ACTIVE",
                                s.num_tasks, s.active, s.completed, s.failed, s.submitted,
                                s.finished_at, s.memory_spilled, s.disk_spilled)
                    for s in self._stages.values()]

    def active_stage_ids(self) -> list[int]:
        with self._lock:
            return sorted(s.stage_id for s in self._stages.values() if not s.done)

    def stage_info(self, stage_id: int) -> SparkStageInfo | None:
        with self._lock:
            s = self._stages.get(stage_id)
            if s is None:
                return None
            return SparkStageInfo(s.stage_id, s.attempt, s.name, s.num_tasks, s.active,
                                  s.completed, s.failed, s.submitted)
