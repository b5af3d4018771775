"""Which workers get which executors of an application: a pure function, Spark's
``scheduleExecutorsOnWorkers``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class FreeWorker:
    """A live worker's spare resources as the master sees them."""

    worker_id: str
    cores_free: int
    memory_free_mb: int


@dataclass(frozen=True)
class AppDemand:
    """What an application still wants. ``executor_cores`` None: one executor per worker with all
    the cores it can give. ``executor_limit`` bounds the app's executor count (None: no bound)."""

    cores_left: int
    executor_cores: int | None
    memory_mb: int
    executor_limit: int | None = None
    executors_now: int = 0


def schedule_executors(workers: Sequence[FreeWorker], demand: AppDemand,
                       spread_out: bool) -> list[tuple[str, int]]:
    """Executors to launch as ``(worker_id, cores)``, one entry per executor.

    Spreading out takes one executor's worth of cores from each usable worker in turn (workers
    with most free cores first); otherwise it fills each worker before moving to the next."""
    min_cores = demand.executor_cores or 1
    one_per_worker = demand.executor_cores is None
    usable = sorted((w for w in workers
                     if w.memory_free_mb >= demand.memory_mb and w.cores_free >= min_cores),
                    key=lambda w: (-w.cores_free, w.worker_id))
    assigned_cores = [0] * len(usable)
    assigned_execs = [0] * len(usable)
    to_assign = min(demand.cores_left, sum(w.cores_free for w in usable))

    def can_launch(pos: int) -> bool:
        w = usable[pos]
        if to_assign < min_cores or w.cores_free - assigned_cores[pos] < min_cores:
            return False
        if one_per_worker and assigned_execs[pos] > 0:
            return True
        enough_memory = w.memory_free_mb - assigned_execs[pos] * demand.memory_mb >= demand.memory_mb
        under_limit = (demand.executor_limit is None
                       or sum(assigned_execs) + demand.executors_now < demand.executor_limit)
        return enough_memory and under_limit

    free = [p for p in range(len(usable)) if can_launch(p)]
    while free:
        for pos in free:
            while can_launch(pos):
                to_assign -= min_cores
                assigned_cores[pos] += min_cores
                assigned_execs[pos] = 1 if one_per_worker else assigned_execs[pos] + 1
                if spread_out:
                    break
        free = [p for p in free if can_launch(p)]
    launches: list[tuple[str, int]] = []
    for pos, w in enumerate(usable):
        if not assigned_cores[pos]:
            continue
        if one_per_worker:
            launches.append((w.worker_id, assigned_cores[pos]))
        else:
            launches.extend((w.worker_id, min_cores) for _ in range(assigned_cores[pos] // min_cores))
    return launches
