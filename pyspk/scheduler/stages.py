"""Stages and jobs: the lineage of the final RDD cut at shuffle dependencies.

The scheduler sees RDDs only through their ``id()``, ``partitions``, ``dependencies`` and
(for shuffle dependencies) ``shuffle_id``, ``num_partitions`` and ``map_runner()``.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Iterator


@dataclass(eq=False)
class Stage:
    """A set of tasks running the same closure over the partitions of ``rdd``."""

    id: int
    rdd: Any
    parents: list["ShuffleMapStage"]
    name: str
    first_job: int
    attempt: int = -1
    fetch_failures: int = 0
    barrier_failures: int = 0
    slot_checks: int = 0
    jobs: set[int] = field(default_factory=set)

    @property
    def num_partitions(self) -> int:
        return len(self.rdd.partitions)


@dataclass(eq=False)
class ShuffleMapStage(Stage):
    """Writes the shuffle output of ``dep`` (one map task per partition of ``rdd``)."""

    dep: Any = None

    @property
    def shuffle_id(self) -> int:
        return self.dep.shuffle_id


@dataclass(eq=False)
class ResultStage(Stage):
    """Computes the action's function on the requested partitions of ``rdd``."""

    runner: Any = None
    partitions: list[int] = field(default_factory=list)


@dataclass(eq=False)
class Job:
    """One action: its final stage, per-partition raw results and the waiting caller."""

    id: int
    rdd: Any
    runner: Any
    partitions: list[int]
    name: str
    properties: dict[str, str]
    results: dict[int, bytes] = field(default_factory=dict)
    result_bytes: int = 0
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)
    final_stage: ResultStage | None = None
    submitted: float = field(default_factory=time.time)
    # A map-stage job (Spark's ``submitMapStage``): runs only the map side of this shuffle
    # dependency and ends with ``map_sizes``, the bytes of each reduce partition over all maps.
    map_dep: Any = None
    map_sizes: list[int] | None = None

    @property
    def group(self) -> str | None:
        return self.properties.get("spark.jobGroup.id")


@dataclass(frozen=True)
class StageClosure:
    """What an executor runs for every task of a stage attempt: ``run(split, context)`` and the
    map output locations of the shuffles the stage reads."""

    run: Any
    shuffle_locations: dict[int, list]
    caches: bool


def shuffle_deps_of(rdd: Any) -> list[Any]:
    """Shuffle dependencies reachable from ``rdd`` through narrow dependencies only."""
    found, seen, stack = [], set(), [rdd]
    while stack:
        r = stack.pop()
        if r.id() in seen:
            continue
        seen.add(r.id())
        if getattr(r, "_checkpointed_rdd", None) is not None:
            stack.append(r._checkpointed_rdd)
            continue
        for dep in r.dependencies:
            if getattr(dep, "shuffle_id", None) is not None:
                found.append(dep)
            else:
                stack.append(dep.rdd)
    return found


def stage_rdds(rdd: Any) -> Iterator[Any]:
    """Every RDD computed inside the stage that ends at ``rdd`` (narrow dependencies only)."""
    seen, stack = set(), [rdd]
    while stack:
        r = stack.pop()
        if r.id() in seen:
            continue
        seen.add(r.id())
        yield r
        stack.extend(d.rdd for d in r.dependencies if getattr(d, "shuffle_id", None) is None)


def caches_in_stage(rdd: Any) -> bool:
    """Whether any RDD computed inside this stage is persisted."""
    return any(getattr(r, "is_persisted", lambda: False)() for r in stage_rdds(rdd))


def cached_block_ids(rdd: Any, partition: int) -> list[str]:
    """Ids of the persisted blocks this task would read first, following one-to-one
    dependencies down from the stage's RDD."""
    r, ids = rdd, []
    while True:
        if getattr(r, "is_persisted", lambda: False)():
            ids.append(f"rdd_{r.id()}_{partition}")
        deps = r.dependencies
        if len(deps) != 1 or not getattr(deps[0], "one_to_one", False):
            return ids
        r = deps[0].rdd


def preferred_slots(rdd: Any, partition: int, blocks: dict[str, set[str]]) -> set[str]:
    """Slots holding a cached block this task would read."""
    for block_id in cached_block_ids(rdd, partition):
        where = blocks.get(block_id)
        if where:
            return where
    return set()


def is_barrier_stage(rdd: Any) -> bool:
    """Whether an RDD computed inside this stage came from ``RDD.barrier()``."""
    return any(getattr(r, "_barrier", False) for r in stage_rdds(rdd))
