"""``StatusTracker``: read-only progress of jobs and stages, as PySpark's."""
from __future__ import annotations

from pyspk.scheduler.status import SparkJobInfo, SparkStageInfo, StatusStore

__all__ = ["StatusTracker", "SparkJobInfo", "SparkStageInfo"]


class StatusTracker:
    """Low-level status of the driver's jobs and stages."""

    def __init__(self, store: StatusStore) -> None:
        self._store = store

    def getJobIdsForGroup(self, jobGroup: str | None = None) -> list[int]:
        return self._store.job_ids(jobGroup)

    def getActiveStageIds(self) -> list[int]:
        return self._store.active_stage_ids()

    def getActiveJobsIds(self) -> list[int]:
        return self._store.job_ids(None, "RUNNING")

    def getJobInfo(self, jobId: int) -> SparkJobInfo | None:
        return self._store.job_info(jobId)

    def getStageInfo(self, stageId: int) -> SparkStageInfo | None:
        return self._store.stage_info(stageId)
