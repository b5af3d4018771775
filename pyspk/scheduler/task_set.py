"""Task sets (the tasks of one stage attempt), their retry bookkeeping, and the pure function
that assigns pending tasks to free slots."""
from __future__ import annotations

import collections
from dataclasses import dataclass, field
from typing import Iterable


@dataclass
class TaskSetManager:
    """Pending, running and finished partitions of one stage attempt."""

    job_id: int
    stage_id: int
    stage_attempt: int
    priority: int
    partitions: list[int]
    max_failures: int
    preferred: dict[int, set[str]] = field(default_factory=dict)
    pending: collections.deque = field(default_factory=collections.deque)
    running: dict[int, tuple[int, str]] = field(default_factory=dict)
    finished: set[int] = field(default_factory=set)
    failures: collections.Counter = field(default_factory=collections.Counter)
    attempts: collections.Counter = field(default_factory=collections.Counter)
    zombie: bool = False
    barrier: bool = False

    def __post_init__(self) -> None:
        self.pending.extend(self.partitions)

    def add_partitions(self, parts: Iterable[int]) -> None:
        """Queue partitions again (lost or failed); ``partitions`` stays free of duplicates and
        ``finished`` a subset of it, so ``is_done`` can compare sizes."""
        for p in parts:
            if p not in self.partitions:
                self.partitions.append(p)
            self.finished.discard(p)
            if p not in self.pending and p not in {q for q, _ in self.running.values()}:
                self.pending.append(p)

    def take(self, slot: str) -> int | None:
        """A pending partition for ``slot``, preferring ones whose data is cached there."""
        if not self.pending or self.zombie:
            return None
        if self.preferred:
            for p in self.pending:
                if slot in self.preferred.get(p, ()):
                    self.pending.remove(p)
                    return p
        return self.pending.popleft()

    def launched(self, task_id: int, partition: int, slot: str) -> int:
        """Record a launch; returns the attempt number of that partition."""
        self.running[task_id] = (partition, slot)
        attempt = self.attempts[partition]
        self.attempts[partition] += 1
        return attempt

    def is_done(self) -> bool:
        return not self.pending and not self.running and len(self.finished) == len(self.partitions)


def assign(free_slots: list[str], task_sets: list[TaskSetManager]) -> list[tuple[str, TaskSetManager, int]]:
    """Pair free slots with pending tasks: task sets in priority order (earlier jobs, then
    earlier stages first); within a set, tasks whose cached data is on the slot first. A barrier
    set launches all its tasks at once or waits until enough slots are free."""
    launches = []
    free = list(free_slots)
    ordered = sorted((ts for ts in task_sets if ts.pending and not ts.zombie),
                     key=lambda ts: (ts.priority, ts.stage_id))
    for ts in ordered:
        if ts.barrier and len(free) >= len(ts.pending):
            while ts.pending:
                launches.append((free.pop(0), ts, ts.pending.popleft()))
    ordered = [ts for ts in ordered if not ts.barrier]
    for slot in free:
        for ts in ordered:
            p = ts.take(slot)
            if p is not None:
                launches.append((slot, ts, p))
                break
    return launches
