"""Element-wise and partition-wise transformations, sampling, set operations and
repartitioning (PySpark's names, arguments and laziness)."""
from __future__ import annotations

import random as _random
from itertools import chain
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from pyspk.errors import PySparkValueError
from pyspk.rdd.sampling import BernoulliSampler, PoissonSampler, RandomSplitSampler, \
    StratifiedSampler

if TYPE_CHECKING:
    from pyspk.rdd.rdd import RDD


class Transforms:
    """Narrow transformations and the shuffles they imply."""

    def map(self, f: Callable[[Any], Any], preservesPartitioning: bool = False) -> "RDD":
        def func(_: int, iterator: Iterator[Any]) -> Iterator[Any]:
            return map(f, iterator)
        return self.mapPartitionsWithIndex(func, preservesPartitioning)

    def flatMap(self, f: Callable[[Any], Iterable[Any]], preservesPartitioning: bool = False) -> "RDD":
        def func(_: int, iterator: Iterator[Any]) -> Iterator[Any]:
            return chain.from_iterable(map(f, iterator))
        return self.mapPartitionsWithIndex(func, preservesPartitioning)

    def filter(self, f: Callable[[Any], bool]) -> "RDD":
        def func(_: int, iterator: Iterator[Any]) -> Iterator[Any]:
            return filter(f, iterator)
        return self.mapPartitionsWithIndex(func, True)

    def mapPartitions(self, f: Callable[[Iterator[Any]], Iterable[Any]],
                      preservesPartitioning: bool = False) -> "RDD":
        def func(_: int, iterator: Iterator[Any]) -> Iterable[Any]:
            return f(iterator)
        return self.mapPartitionsWithIndex(func, preservesPartitioning)

    def mapPartitionsWithIndex(self, f: Callable[[int, Iterator[Any]], Iterable[Any]],
                               preservesPartitioning: bool = False) -> "RDD":
        from pyspk.rdd.kinds import PipelinedRDD
        return PipelinedRDD(self, f, preservesPartitioning)

    def mapPartitionsWithSplit(self, f: Callable[[int, Iterator[Any]], Iterable[Any]],
                               preservesPartitioning: bool = False) -> "RDD":
        return self.mapPartitionsWithIndex(f, preservesPartitioning)

    def glom(self) -> "RDD":
        def func(_: int, iterator: Iterator[Any]) -> Iterator[list]:
            yield list(iterator)
        return self.mapPartitionsWithIndex(func)

    def keyBy(self, f: Callable[[Any], Any]) -> "RDD":
        return self.map(lambda x: (f(x), x))

    def distinct(self, numPartitions: int | None = None) -> "RDD":
        return (self.map(lambda x: (x, None))
                .reduceByKey(lambda x, _: x, numPartitions)
                .map(lambda x: x[0]))

    def sample(self, withReplacement: bool, fraction: float, seed: int | None = None) -> "RDD":
        if fraction < 0:
            raise PySparkValueError(f"Fraction must be nonnegative, got {fraction}",
                                    errorClass="VALUE_NOT_NON_NEGATIVE")
        if seed is None:
            seed = _random.randint(0, 2 ** 63 - 1)
        sampler = PoissonSampler(fraction, seed) if withReplacement else \
            BernoulliSampler(fraction, seed)
        return self.mapPartitionsWithIndex(sampler.func, True)

    def sampleByKey(self, withReplacement: bool, fractions: dict,
                    seed: int | None = None) -> "RDD":
        for fraction in fractions.values():
            if fraction < 0.0:
                raise PySparkValueError(f"Negative fraction value: {fraction}",
                                        errorClass="VALUE_NOT_NON_NEGATIVE")
        if seed is None:
            seed = _random.randint(0, 2 ** 63 - 1)
        return self.mapPartitionsWithIndex(
            StratifiedSampler(withReplacement, dict(fractions), seed).func, True)

    def randomSplit(self, weights: list[float], seed: int | None = None) -> list["RDD"]:
        if any(w < 0 for w in weights):
            raise PySparkValueError("Weights must be nonnegative", errorClass="VALUE_NOT_POSITIVE")
        total = float(sum(weights))
        if total <= 0:
            raise PySparkValueError("Sum of weights must be positive",
                                    errorClass="VALUE_NOT_POSITIVE")
        cuts = [0.0]
        for w in weights:
            cuts.append(cuts[-1] + w / total)
        if seed is None:
            seed = _random.randint(0, 2 ** 32 - 1)
        return [self.mapPartitionsWithIndex(RandomSplitSampler(lb, ub, seed).func, True)
                for lb, ub in zip(cuts, cuts[1:])]

    def union(self, other: "RDD") -> "RDD":
        from pyspk.rdd.kinds import UnionRDD
        return UnionRDD(self.ctx, [self, other])

    def __add__(self, other: "RDD") -> "RDD":
        return self.union(other)

    def intersection(self, other: "RDD") -> "RDD":
        return (self.map(lambda v: (v, None))
                .cogroup(other.map(lambda v: (v, None)))
                .filter(lambda kv: bool(kv[1][0]) and bool(kv[1][1]))
                .keys())

    def subtract(self, other: "RDD", numPartitions: int | None = None) -> "RDD":
        return self.map(lambda x: (x, True)).subtractByKey(
            other.map(lambda x: (x, True)), numPartitions).keys()

    def cartesian(self, other: "RDD") -> "RDD":
        from pyspk.rdd.kinds import CartesianRDD
        return CartesianRDD(self, other)

    def zip(self, other: "RDD") -> "RDD":
        from pyspk.rdd.kinds import ZippedRDD
        if self.getNumPartitions() != other.getNumPartitions():
            raise PySparkValueError("Can only zip with RDD which has the same number of "
                                    "partitions", errorClass="DIFFERENT_PARTITION_COUNTS")
        return ZippedRDD(self, other)

    def _zip_partitions(self, other: "RDD",
                        func: Callable[[Iterator[Any], Iterator[Any]], Iterable[Any]]) -> "RDD":
        """``func`` over the i-th partitions of both RDDs together (equal partition counts)."""
        from pyspk.rdd.kinds import ZippedPartitionsRDD
        if self.getNumPartitions() != other.getNumPartitions():
            raise PySparkValueError("Can only zip partitions of RDDs with the same number of "
                                    "partitions", errorClass="DIFFERENT_PARTITION_COUNTS")
        return ZippedPartitionsRDD(self, other, func)

    def zipWithIndex(self) -> "RDD":
        starts = [0]
        if self.getNumPartitions() > 1:
            counts = self.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
            for c in counts[:-1]:
                starts.append(starts[-1] + c)

        def func(k: int, iterator: Iterator[Any]) -> Iterator[tuple[Any, int]]:
            for i, v in enumerate(iterator, starts[k]):
                yield v, i
        return self.mapPartitionsWithIndex(func)

    def zipWithUniqueId(self) -> "RDD":
        n = self.getNumPartitions()

        def func(k: int, iterator: Iterator[Any]) -> Iterator[tuple[Any, int]]:
            for i, v in enumerate(iterator):
                yield v, i * n + k
        return self.mapPartitionsWithIndex(func)

    def groupBy(self, f: Callable[[Any], Any], numPartitions: int | None = None,
                partitionFunc: Callable[[Any], int] | None = None) -> "RDD":
        from pyspk.serde.hashing import portable_hash
        return self.map(lambda x: (f(x), x)).groupByKey(numPartitions,
                                                         partitionFunc or portable_hash)

    def sortBy(self, keyfunc: Callable[[Any], Any], ascending: bool = True,
               numPartitions: int | None = None) -> "RDD":
        return self.keyBy(keyfunc).sortByKey(ascending, numPartitions).values()

    def repartition(self, numPartitions: int) -> "RDD":
        return self.coalesce(numPartitions, shuffle=True)

    def coalesce(self, numPartitions: int, shuffle: bool = False) -> "RDD":
        if numPartitions <= 0:
            raise PySparkValueError(f"Number of partitions ({numPartitions}) must be positive.",
                                    errorClass="VALUE_NOT_POSITIVE")
        if shuffle:
            def spread(index: int, iterator: Iterator[Any]) -> Iterator[tuple[int, Any]]:
                position = _random.Random(index).randint(0, numPartitions - 1)
                for x in iterator:
                    position += 1
                    yield position % numPartitions, x
            return (self.mapPartitionsWithIndex(spread)
                    .partitionBy(numPartitions, lambda k: k).values())
        from pyspk.rdd.kinds import CoalescedRDD
        return CoalescedRDD(self, numPartitions)

    def barrier(self) -> Any:
        """Run the next map of this RDD as a barrier stage (all tasks at once, with
        ``BarrierTaskContext`` for synchronisation)."""
        from pyspk.rdd.barrier import RDDBarrier
        return RDDBarrier(self)

    def _is_barrier(self) -> bool:
        return bool(getattr(self, "_barrier", False))

    def pipe(self, command: str, env: dict[str, str] | None = None,
             checkCode: bool = False) -> "RDD":
        from pyspk.rdd.piping import pipe_partition
        return self.mapPartitions(lambda it: pipe_partition(it, command, env or {}, checkCode))

    def _arrow_shuffle(self, num_partitions: int,
                       partition_ids: Callable[[Any], Any]) -> "RDD":
        """Redistribute an RDD of ``pyarrow.RecordBatch`` by a per-row partition id function."""
        from pyspk.rdd.dependency import ArrowShuffleDependency
        from pyspk.rdd.kinds import ArrowShuffledRDD
        dep = ArrowShuffleDependency(self, num_partitions, partition_ids,
                                     self.ctx._new_shuffle_id(), "exchange")
        return ArrowShuffledRDD(dep)

