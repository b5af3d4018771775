"""The concrete lineage nodes: collections, fused Python pipelines, unions, shuffles,
coalesces, zips, cartesian products and checkpoints."""
from __future__ import annotations

import os
from typing import Any, Callable, Iterator

from pyspk.executor import environment
from pyspk.rdd.dependency import NarrowDependency, ShuffleDependency
from pyspk.rdd.partitions import DataSplit, FilesSplit, GroupSplit, PairSplit, ParentSplit, \
    ReduceSplit, Split
from pyspk.rdd.rdd import RDD
from pyspk.serde import iter_records, read_batches
from pyspk.shuffle.reader import fetch_segments
from pyspk.taskcontext import TaskContext


class ParallelCollectionRDD(RDD):
    """A local collection cut into slices, each shipped with its task."""

    def __init__(self, ctx: Any, slices: list[Any]) -> None:
        super().__init__(ctx)
        self._slices = slices

    def _compute_partitions(self) -> list[Split]:
        return [DataSplit(i, s) for i, s in enumerate(self._slices)]

    def __getstate__(self) -> dict:
        state = super().__getstate__()
        state["_slices"] = None
        return state

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        return iter(split.data)  # type: ignore[attr-defined]


class EmptyRDD(RDD):
    """An RDD with no partitions."""

    def _compute_partitions(self) -> list[Split]:
        return []


class PipelinedRDD(RDD):
    """``func(partition_index, iterator)`` over one parent; chains of these fuse into one
    function so a stage runs as a single pass of generators."""

    def __init__(self, prev: RDD, func: Callable[[int, Iterator[Any]], Iterator[Any]],
                 preservesPartitioning: bool = False, is_barrier: bool = False) -> None:
        self._barrier = is_barrier or (isinstance(prev, PipelinedRDD) and prev._barrier
                                       and prev._is_pipelinable())
        if isinstance(prev, PipelinedRDD) and prev._is_pipelinable():
            prev_func = prev.func

            def fused(index: int, iterator: Iterator[Any]) -> Iterator[Any]:
                return func(index, prev_func(index, iterator))
            self.func = fused
            parent = prev._prev
        else:
            self.func = func
            parent = prev
        super().__init__(prev.ctx, [NarrowDependency(parent, one_to_one=True)])
        self._prev = parent
        self.preservesPartitioning = preservesPartitioning
        self.partitioner = prev.partitioner if preservesPartitioning else None

    def _is_pipelinable(self) -> bool:
        return not (self.is_persisted() or self._checkpointed_rdd is not None
                    or self._checkpoint_requested)

    def _compute_partitions(self) -> list[Split]:
        return self._prev.partitions

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        return iter(self.func(split.index, self._prev.iterator(split, tc)))

    def __repr__(self) -> str:
        return f"{self._name or 'PythonRDD'}[{self._id}] at {self._describe()}"


class UnionRDD(RDD):
    """Partitions of several RDDs one after another."""

    def __init__(self, ctx: Any, rdds: list[RDD]) -> None:
        super().__init__(ctx, [NarrowDependency(r) for r in rdds])
        self._rdds = rdds
        parts = {r.partitioner for r in rdds}
        if len(parts) == 1 and None not in parts and \
                sum(r.getNumPartitions() for r in rdds) == rdds[0].getNumPartitions():
            self.partitioner = rdds[0].partitioner

    def _compute_partitions(self) -> list[Split]:
        out: list[Split] = []
        for i, r in enumerate(self._rdds):
            for s in r.partitions:
                out.append(ParentSplit(len(out), i, s))
        return out

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        return self._rdds[split.parent].iterator(split.parent_split, tc)  # type: ignore


class ShuffledRDD(RDD):
    """The reduce side of a shuffle: partition i holds every record the map side bucketed to i,
    or, given ``ranges``, the reduce partitions ``[start, end)`` of ``ranges[i]`` (the coalesced
    read adaptive query execution plans from map output sizes)."""

    def __init__(self, dep: ShuffleDependency,
                 ranges: list[tuple[int, int]] | None = None) -> None:
        super().__init__(dep.rdd.ctx, [dep])
        self._shuffle_id = dep.shuffle_id
        self._num_partitions = dep.num_partitions
        self._ranges = ranges

    def _deps_for_pickle(self) -> list:
        return []

    def _compute_partitions(self) -> list[Split]:
        if self._ranges is not None:
            return [ReduceSplit(i, start, end) for i, (start, end) in enumerate(self._ranges)]
        return [ReduceSplit(i, i, i + 1) for i in range(self._num_partitions)]

    def _segments(self, split: Split, tc: TaskContext) -> Iterator[bytes]:
        statuses = tc.shuffle_locations[self._shuffle_id]
        return fetch_segments(statuses, self._shuffle_id, split.start, split.end,  # type: ignore
                              environment.get().fetch)

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        for segment in self._segments(split, tc):
            yield from iter_records(read_batches(segment))


class ArrowShuffledRDD(ShuffledRDD):
    """Reduce side of an Arrow shuffle: yields ``pyarrow.RecordBatch`` objects."""

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        from pyspk.shuffle.arrow_io import coalesce_batches, read_framed
        return coalesce_batches(b for segment in self._segments(split, tc)
                                for b in read_framed(segment))


class CoalescedRDD(RDD):
    """Fewer partitions, each reading a contiguous group of parent partitions."""

    def __init__(self, prev: RDD, num_partitions: int) -> None:
        super().__init__(prev.ctx, [NarrowDependency(prev)])
        self._prev = prev
        self._n = num_partitions

    def _compute_partitions(self) -> list[Split]:
        parents = self._prev.partitions
        n = max(1, min(self._n, len(parents)))
        total = len(parents)
        return [GroupSplit(i, tuple(parents[i * total // n:(i + 1) * total // n]))
                for i in range(n)]

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        for p in split.parents:  # type: ignore[attr-defined]
            yield from self._prev.iterator(p, tc)


class ZippedRDD(RDD):
    """Pairs of the i-th records of two RDDs with equal partition counts."""

    def __init__(self, left: RDD, right: RDD) -> None:
        super().__init__(left.ctx, [NarrowDependency(left), NarrowDependency(right)])
        self._left, self._right = left, right

    def _compute_partitions(self) -> list[Split]:
        return [PairSplit(i, a, b) for i, (a, b) in
                enumerate(zip(self._left.partitions, self._right.partitions))]

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        from pyspk.errors import PySparkValueError
        left = self._left.iterator(split.left, tc)  # type: ignore[attr-defined]
        right = self._right.iterator(split.right, tc)  # type: ignore[attr-defined]
        sentinel = object()
        while True:
            a, b = next(left, sentinel), next(right, sentinel)
            if a is sentinel and b is sentinel:
                return
            if a is sentinel or b is sentinel:
                raise PySparkValueError("Can only zip RDDs with same number of elements in each "
                                        "partition", errorClass="DIFFERENT_PARTITION_SIZES")
            yield (a, b)


class ZippedPartitionsRDD(ZippedRDD):
    """``func(left_partition, right_partition)`` over partitions of two RDDs with equal partition
    counts (any number of records each): the co-partitioned sides of a shuffle join."""

    def __init__(self, left: RDD, right: RDD,
                 func: Callable[[Iterator[Any], Iterator[Any]], Iterator[Any]]) -> None:
        super().__init__(left, right)
        self._func = func

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        return iter(self._func(self._left.iterator(split.left, tc),  # type: ignore[attr-defined]
                               self._right.iterator(split.right, tc)))  # type: ignore


class CartesianRDD(RDD):
    """Every pair (a, b) with a from the first RDD and b from the second."""

    def __init__(self, left: RDD, right: RDD) -> None:
        super().__init__(left.ctx, [NarrowDependency(left), NarrowDependency(right)])
        self._left, self._right = left, right

    def _compute_partitions(self) -> list[Split]:
        rp = self._right.partitions
        return [PairSplit(i * len(rp) + j, a, b)
                for i, a in enumerate(self._left.partitions) for j, b in enumerate(rp)]

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        right = list(self._right.iterator(split.right, tc))  # type: ignore[attr-defined]
        for a in self._left.iterator(split.left, tc):  # type: ignore[attr-defined]
            for b in right:
                yield (a, b)


class CheckpointRDD(RDD):
    """Partitions saved by ``checkpoint()``, one pickled file per partition."""

    def __init__(self, ctx: Any, directory: str, num_partitions: int) -> None:
        super().__init__(ctx)
        self.directory = directory
        self._n = num_partitions

    def _compute_partitions(self) -> list[Split]:
        return [FilesSplit(i, (os.path.join(self.directory, f"part-{i:05d}"),))
                for i in range(self._n)]

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        for path in split.paths:  # type: ignore[attr-defined]
            with open(path, "rb") as f:
                yield from iter_records(read_batches(f.read()))
