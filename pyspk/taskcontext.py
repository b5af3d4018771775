"""``TaskContext``: what a running task knows about itself (stage, partition, attempt)."""
from __future__ import annotations

import threading
from typing import Any

_current = threading.local()


class TaskContext:
    """Information about the task running in this thread; ``TaskContext.get()`` is None on the
    driver."""

    def __init__(self, stage_id: int, stage_attempt: int, partition_id: int, attempt_number: int,
                 task_attempt_id: int, properties: dict[str, str], cpus: int = 1) -> None:
        self._stage_id = stage_id
        self._stage_attempt = stage_attempt
        self._partition_id = partition_id
        self._attempt_number = attempt_number
        self._task_attempt_id = task_attempt_id
        self._properties = properties
        self._cpus = cpus
        self._completion_callbacks: list = []
        self.shuffle_locations: dict[int, Any] = {}
        self.remote_blocks: dict[str, str] = {}

    @classmethod
    def get(cls) -> "TaskContext | None":
        return getattr(_current, "ctx", None)

    @classmethod
    def _set(cls, ctx: "TaskContext | None") -> None:
        _current.ctx = ctx

    def stageId(self) -> int:
        return self._stage_id

    def partitionId(self) -> int:
        return self._partition_id

    def attemptNumber(self) -> int:
        return self._attempt_number

    def taskAttemptId(self) -> int:
        return self._task_attempt_id

    def getLocalProperty(self, key: str) -> str | None:
        return self._properties.get(key)

    def cpus(self) -> int:
        return self._cpus

    def resources(self) -> dict[str, Any]:
        return {}

    def addTaskCompletionListener(self, fn) -> None:
        """Run ``fn(context)`` when the task ends, success or failure (internal resource cleanup)."""
        self._completion_callbacks.append(fn)

    def _complete(self) -> None:
        for fn in reversed(self._completion_callbacks):
            fn(self)
        self._completion_callbacks.clear()

