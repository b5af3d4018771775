"""Dependencies between RDDs: narrow ones stay inside a stage, shuffle ones cut stages.

A shuffle dependency knows how its map side writes (pickled (key, value) records bucketed by a
partition function, or Arrow batches bucketed by a vectorised partition-id function) and gives
the scheduler a picklable map runner.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from pyspk.executor import environment
from pyspk.shuffle import writer
from pyspk.shuffle.map_status import MapStatus
from pyspk.taskcontext import TaskContext


@dataclass
class NarrowDependency:
    """A child partition reads a bounded set of parent partitions."""

    rdd: Any
    one_to_one: bool = False


class ShuffleDependency:
    """Records of ``rdd`` are redistributed into ``num_partitions`` reduce partitions."""

    def __init__(self, rdd: Any, num_partitions: int, partition_func: Callable[[Any], int],
                 shuffle_id: int, name: str = "") -> None:
        self.rdd = rdd
        self.num_partitions = num_partitions
        self.partition_func = partition_func
        self.shuffle_id = shuffle_id
        self.name = name

    def map_runner(self) -> "PickledMapRunner":
        return PickledMapRunner(self.rdd, self.shuffle_id, self.num_partitions, self.partition_func)


class ArrowShuffleDependency(ShuffleDependency):
    """Arrow record batches of ``rdd`` split by ``partition_ids(batch)`` (one id per row)."""

    def map_runner(self) -> "ArrowMapRunner":
        return ArrowMapRunner(self.rdd, self.shuffle_id, self.num_partitions, self.partition_func)


@dataclass
class PickledMapRunner:
    """Runs in the executor: computes the parent partition and writes its shuffle output as
    pickled record batches."""

    rdd: Any
    shuffle_id: int
    num_partitions: int
    partition_func: Callable[[Any], Any]

    write = staticmethod(writer.write_pickled)

    def run(self, split: Any, tc: TaskContext) -> MapStatus:
        env = environment.get()
        data_path, index_path = env.dirs.map_output(self.shuffle_id, split.index)
        offsets = self.write(self.rdd.iterator(split, tc), self.num_partitions,
                             self.partition_func, data_path, index_path, env.dirs.spill,
                             env.memory_limit // 2)
        return _status(env, split.index, data_path, offsets)


@dataclass
class ArrowMapRunner(PickledMapRunner):
    """The same for Arrow record batches, written as IPC streams."""

    write = staticmethod(writer.write_arrow)


def _status(env: environment.ExecutorEnvironment, map_index: int, data_path: str,
            offsets) -> MapStatus:
    return MapStatus(map_index=map_index, executor_id=env.executor_id, host=env.host,
                     block_address=env.block_address, data_path=data_path, offsets=offsets)
