"""The interface between the driver's scheduler and whatever provides its executors."""
from __future__ import annotations

import abc


class BackendListener(abc.ABC):
    """Callbacks from a backend into the scheduler; safe to call from any thread."""

    @abc.abstractmethod
    def executor_lost(self, executor_id: str, reason: str) -> None:
        """The executor's processes are gone; its tasks and outputs must be recovered."""

    @abc.abstractmethod
    def application_removed(self, reason: str) -> None:
        """The cluster manager ended the application; every job must fail with ``reason``."""

    @abc.abstractmethod
    def registered_slots(self) -> int:
        """Task slots of the executors registered right now."""


class ExecutorBackend(abc.ABC):
    """Acquires executor processes that connect back to ``driver_url``."""

    @abc.abstractmethod
    def start(self, driver_url: str, listener: BackendListener) -> str:
        """Begin providing executors; returns the application id."""

    @abc.abstractmethod
    def stop(self) -> None:
        """Release every executor and wait for their processes to end."""

    @abc.abstractmethod
    def default_parallelism(self) -> int:
        """Partitions to use when the user gives none."""
