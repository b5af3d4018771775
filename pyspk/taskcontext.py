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
        self.metrics: dict[str, float] = {}
        """Task metrics reported with the task's status (e.g. ``memoryBytesSpilled``)."""

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

    def add_metric(self, name: str, value: float) -> None:
        """Add ``value`` to the task metric ``name`` (reported to the driver when the task ends)."""
        self.metrics[name] = self.metrics.get(name, 0) + value

    def _complete(self) -> None:
        for fn in reversed(self._completion_callbacks):
            fn(self)
        self._completion_callbacks.clear()



class BarrierTaskInfo:
    """Where one task of a barrier stage runs."""

    def __init__(self, address: str) -> None:
        self.address = address

    def __repr__(self) -> str:
        return f"BarrierTaskInfo(address={self.address!r})"


class BarrierTaskContext(TaskContext):
    """The context of a task in a barrier stage: all its tasks run at once and can wait for
    each other (``barrier``) or exchange a message (``allGather``)."""

    def __init__(self, *args: Any, sync: Any = None, addresses: list[str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync = sync
        self._addresses = list(addresses or [])
        self._epoch = 0

    @classmethod
    def get(cls) -> "BarrierTaskContext":
        ctx = TaskContext.get()
        if not isinstance(ctx, BarrierTaskContext):
            from pyspk.errors import PySparkRuntimeError
            raise PySparkRuntimeError("It is not in a barrier stage",
                                      errorClass="NOT_IN_BARRIER_STAGE")
        return ctx

    def barrier(self) -> None:
        """Wait until every task of the stage has called ``barrier()`` as many times."""
        self.allGather("")

    def allGather(self, message: str = "") -> list[str]:
        """Every task's ``message`` at this sync point, in partition order."""
        if not isinstance(message, str):
            from pyspk.errors import PySparkTypeError
            raise PySparkTypeError("Argument `message` should be a str",
                                   errorClass="NOT_STR",
                                   messageParameters={"arg_name": "message",
                                                      "arg_type": type(message).__name__})
        epoch = self._epoch
        self._epoch += 1
        return self._sync(self._task_attempt_id, epoch, message)

    def getTaskInfos(self) -> list[BarrierTaskInfo]:
        return [BarrierTaskInfo(a) for a in self._addresses]
