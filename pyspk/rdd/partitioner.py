"""``Partitioner``: maps a key to a reduce partition; equal partitioners mean co-partitioned
RDDs, which lets ``partitionBy`` and joins skip a shuffle."""
from __future__ import annotations

from bisect import bisect_left
from typing import Any, Callable


class Partitioner:
    """``partitionFunc(key) % numPartitions``."""

    def __init__(self, numPartitions: int, partitionFunc: Callable[[Any], int]) -> None:
        self.numPartitions = numPartitions
        self.partitionFunc = partitionFunc

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Partitioner) and self.numPartitions == other.numPartitions
                and self.partitionFunc == other.partitionFunc)

    def __hash__(self) -> int:
        return hash((self.numPartitions, id(self.partitionFunc)))

    def __call__(self, k: Any) -> int:
        return self.partitionFunc(k) % self.numPartitions


class RangeBounds:
    """Partition function of ``sortByKey``: the index of the first bound at or above the key."""

    def __init__(self, bounds: list[Any], ascending: bool, keyfunc: Callable[[Any], Any] | None,
                 num_partitions: int) -> None:
        self.bounds = bounds
        self.ascending = ascending
        self.keyfunc = keyfunc
        self.num_partitions = num_partitions

    def __call__(self, k: Any) -> int:
        p = bisect_left(self.bounds, self.keyfunc(k) if self.keyfunc is not None else k)
        return p if self.ascending else self.num_partitions - 1 - p
