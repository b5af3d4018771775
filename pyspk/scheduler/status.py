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


class StatusStore:
    """Counters per job and stage, kept for the jobs of the current group and recent ones."""

    def __init__(self, keep: int = 1000) -> None:
        self._lock = threading.Lock()
        self._stages: dict[int, _Stage] = {}
        self._jobs: dict[int, tuple[list[int], str, str | None]] = {}
        self._keep = keep

    def job_started(self, job: Any, stages: list[Any]) -> None:
        with self._lock:
            self._jobs[job.id] = ([s.id for s in stages], "RUNNING", job.group)
            self._trim()

    def job_ended(self, job: Any) -> None:
        with self._lock:
            ids, _, group = self._jobs.get(job.id, ([], "", None))
            self._jobs[job.id] = (ids, "FAILED" if job.error else "SUCCEEDED", group)

    def stage_submitted(self, stage: Any, num_tasks: int) -> None:
        with self._lock:
            self._stages[stage.id] = _Stage(stage.id, stage.name, stage.attempt, num_tasks)

    def stage_completed(self, stage: Any, failed: bool = False) -> None:
        with self._lock:
            s = self._stages.get(stage.id)
            if s is not None:
                s.done = True
                s.active = 0

    def task_started(self, stage_id: int) -> None:
        with self._lock:
            s = self._stages.get(stage_id)
            if s is not None:
                s.active += 1

    def task_ended(self, stage_id: int, succeeded: bool) -> None:
        with self._lock:
            s = self._stages.get(stage_id)
            if s is not None:
                s.active = max(0, s.active - 1)
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
            return [j for j, (_, st, g) in self._jobs.items()
                    if (group is None or g == group) and (status is None or st == status)]

    def job_info(self, job_id: int) -> SparkJobInfo | None:
        with self._lock:
            entry = self._jobs.get(job_id)
            return None if entry is None else SparkJobInfo(job_id, list(entry[0]), entry[1])

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
