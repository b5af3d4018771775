"""States of workers, applications, executors and the master, each with its legal transitions.

Spark's names, so the web UI and ``/json`` read the same as Spark's.
"""
from __future__ import annotations

from enum import StrEnum

from pyspk.errors import PySparkRuntimeError


class WorkerState(StrEnum):
    """``UNKNOWN`` (recovered from disk) ─► ``ALIVE`` ─► ``DEAD``; ``UNKNOWN`` ─► ``DEAD``."""

    ALIVE = "ALIVE"
    DEAD = "DEAD"
    UNKNOWN = "UNKNOWN"


class ApplicationState(StrEnum):
    """``WAITING`` ─► ``RUNNING``; ``UNKNOWN`` (recovered) ─► ``WAITING``/``RUNNING``; any live
    state ─► ``FINISHED``/``FAILED``/``KILLED``."""

    WAITING = "WAITING"
    RUNNING = "RUNNING"
    FINISHED = "FINISHED"
    FAILED = "FAILED"
    KILLED = "KILLED"
    UNKNOWN = "UNKNOWN"


class ExecutorState(StrEnum):
    """``LAUNCHING`` ─► ``RUNNING`` ─► ``EXITED``/``FAILED``/``KILLED``/``LOST``; a launching
    executor may end directly."""

    LAUNCHING = "LAUNCHING"
    RUNNING = "RUNNING"
    EXITED = "EXITED"
    FAILED = "FAILED"
    KILLED = "KILLED"
    LOST = "LOST"

    @property
    def finished(self) -> bool:
        return self in _EXECUTOR_FINISHED


class RecoveryState(StrEnum):
    """The master: ``RECOVERING`` (read its state from disk, waits for peers) ─► ``ALIVE``."""

    RECOVERING = "RECOVERING"
    ALIVE = "ALIVE"


_EXECUTOR_FINISHED = frozenset({ExecutorState.EXITED, ExecutorState.FAILED, ExecutorState.KILLED,
                                ExecutorState.LOST})
_APP_DONE = frozenset({ApplicationState.FINISHED, ApplicationState.FAILED, ApplicationState.KILLED})

TRANSITIONS: dict[type[StrEnum], dict[StrEnum, frozenset[StrEnum]]] = {
    WorkerState: {
        WorkerState.UNKNOWN: frozenset({WorkerState.ALIVE, WorkerState.DEAD}),
        WorkerState.ALIVE: frozenset({WorkerState.DEAD}),
        WorkerState.DEAD: frozenset(),
    },
    ApplicationState: {
        ApplicationState.UNKNOWN: frozenset({ApplicationState.WAITING, ApplicationState.RUNNING}) | _APP_DONE,
        ApplicationState.WAITING: frozenset({ApplicationState.RUNNING}) | _APP_DONE,
        ApplicationState.RUNNING: _APP_DONE,
        ApplicationState.FINISHED: frozenset(),
        ApplicationState.FAILED: frozenset(),
        ApplicationState.KILLED: frozenset(),
    },
    ExecutorState: {
        ExecutorState.LAUNCHING: frozenset({ExecutorState.RUNNING}) | _EXECUTOR_FINISHED,
        ExecutorState.RUNNING: _EXECUTOR_FINISHED,
        ExecutorState.EXITED: frozenset(),
        ExecutorState.FAILED: frozenset(),
        ExecutorState.KILLED: frozenset(),
        ExecutorState.LOST: frozenset(),
    },
    RecoveryState: {
        RecoveryState.RECOVERING: frozenset({RecoveryState.ALIVE}),
        RecoveryState.ALIVE: frozenset(),
    },
}


def transition(current: StrEnum, new: StrEnum) -> StrEnum:
    """``new`` if the move from ``current`` is legal (or a no-op); raises otherwise."""
    if new == current or new in TRANSITIONS[type(current)][current]:
        return new
    raise PySparkRuntimeError(f"Illegal {type(current).__name__} transition {current} -> {new}",
                              errorClass="INTERNAL_ERROR")
