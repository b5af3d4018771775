"""Operations on RDDs of (key, value) pairs: partitioning, aggregation by key, joins, sorting."""
from __future__ import annotations

import operator
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from pyspk.executor import environment
from pyspk.rdd.partitioner import Partitioner, RangeBounds
from pyspk.serde.hashing import portable_hash
from pyspk.shuffle.external import Aggregator, ExternalMerger, ExternalSorter, identity

if TYPE_CHECKING:
    from pyspk.rdd.rdd import RDD


def _merger(agg: Aggregator) -> ExternalMerger:
    try:
        env = environment.get()
        return ExternalMerger(agg, env.memory_limit, env.dirs.spill)
    except RuntimeError:
        return ExternalMerger(agg, 1 << 62)


def _sorter() -> ExternalSorter:
    try:
        env = environment.get()
        return ExternalSorter(env.memory_limit, env.dirs.spill)
    except RuntimeError:
        return ExternalSorter(1 << 62)


class PairOps:
    """Key-value operations, as PySpark's ``RDD`` offers them."""

    def keys(self) -> "RDD":
        return self.map(lambda kv: kv[0])

    def values(self) -> "RDD":
        return self.map(lambda kv: kv[1])

    def mapValues(self, f: Callable[[Any], Any]) -> "RDD":
        return self.map(lambda kv: (kv[0], f(kv[1])), preservesPartitioning=True)

    def flatMapValues(self, f: Callable[[Any], Iterable[Any]]) -> "RDD":
        return self.flatMap(lambda kv: ((kv[0], x) for x in f(kv[1])), preservesPartitioning=True)

    def _defaultReducePartitions(self) -> int:
        if self.ctx._conf.contains("spark.default.parallelism"):
            return self.ctx.defaultParallelism
        return self.getNumPartitions()

    def partitionBy(self, numPartitions: int | None,
                    partitionFunc: Callable[[Any], int] = portable_hash) -> "RDD":
        from pyspk.rdd.dependency import ShuffleDependency
        from pyspk.rdd.kinds import ShuffledRDD
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()
        partitioner = Partitioner(numPartitions, partitionFunc)
        if self.partitioner == partitioner:
            return self
        dep = ShuffleDependency(self, numPartitions, partitionFunc, self.ctx._new_shuffle_id(),
                                self._call_site("partitionBy"))
        rdd = ShuffledRDD(dep)
        rdd.partitioner = partitioner
        return rdd

    def combineByKey(self, createCombiner: Callable[[Any], Any],
                     mergeValue: Callable[[Any, Any], Any],
                     mergeCombiners: Callable[[Any, Any], Any],
                     numPartitions: int | None = None,
                     partitionFunc: Callable[[Any], int] = portable_hash) -> "RDD":
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()
        agg = Aggregator(createCombiner, mergeValue, mergeCombiners)

        def combine_locally(iterator: Iterator[Any]) -> Iterator[Any]:
            merger = _merger(agg)
            merger.mergeValues(iterator)
            return merger.items()

        def merge_combiners(iterator: Iterator[Any]) -> Iterator[Any]:
            merger = _merger(agg)
            merger.mergeCombiners(iterator)
            return merger.items()

        combined = self.mapPartitions(combine_locally, preservesPartitioning=True)
        shuffled = combined.partitionBy(numPartitions, partitionFunc)
        return shuffled.mapPartitions(merge_combiners, preservesPartitioning=True)

    def reduceByKey(self, func: Callable[[Any, Any], Any], numPartitions: int | None = None,
                    partitionFunc: Callable[[Any], int] = portable_hash) -> "RDD":
        return self.combineByKey(identity, func, func, numPartitions, partitionFunc)

    def reduceByKeyLocally(self, func: Callable[[Any, Any], Any]) -> dict:
        def reduce_partition(iterator: Iterator[Any]) -> Iterator[dict]:
            m: dict = {}
            for k, v in iterator:
                m[k] = func(m[k], v) if k in m else v
            yield m

        def merge(m1: dict, m2: dict) -> dict:
            for k, v in m2.items():
                m1[k] = func(m1[k], v) if k in m1 else v
            return m1
        return self.mapPartitions(reduce_partition).reduce(merge)

    def foldByKey(self, zeroValue: Any, func: Callable[[Any, Any], Any],
                  numPartitions: int | None = None,
                  partitionFunc: Callable[[Any], int] = portable_hash) -> "RDD":
        import copy
        return self.combineByKey(lambda v: func(copy.deepcopy(zeroValue), v), func, func,
                                 numPartitions, partitionFunc)

    def aggregateByKey(self, zeroValue: Any, seqFunc: Callable[[Any, Any], Any],
                       combFunc: Callable[[Any, Any], Any], numPartitions: int | None = None,
                       partitionFunc: Callable[[Any], int] = portable_hash) -> "RDD":
        import copy
        return self.combineByKey(lambda v: seqFunc(copy.deepcopy(zeroValue), v), seqFunc,
                                 combFunc, numPartitions, partitionFunc)

    def groupByKey(self, numPartitions: int | None = None,
                   partitionFunc: Callable[[Any], int] = portable_hash) -> "RDD":
        from pyspk.rdd.resultiterable import ResultIterable

        def create(v: Any) -> list:
            return [v]

        def merge_value(xs: list, v: Any) -> list:
            xs.append(v)
            return xs

        def merge_combiners(a: list, b: list) -> list:
            a.extend(b)
            return a
        return self.combineByKey(create, merge_value, merge_combiners, numPartitions,
                                 partitionFunc).mapValues(ResultIterable)

    def countByKey(self) -> dict:
        return self.map(lambda kv: kv[0]).countByValue()

    def collectAsMap(self) -> dict:
        return dict(self.collect())

    def lookup(self, key: Any) -> list:
        values = self.filter(lambda kv: kv[0] == key).values()
        if self.partitioner is not None:
            return values._run_job(list, [self.partitioner(key)], "lookup")[0]
        return values.collect()

    def sortByKey(self, ascending: bool = True, numPartitions: int | None = None,
                  keyfunc: Callable[[Any], Any] = identity) -> "RDD":
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()

        def sort_partition(iterator: Iterator[Any]) -> Iterator[Any]:
            return _sorter().sorted(iterator, key=_sort_key(keyfunc), reverse=not ascending)

        if numPartitions == 1:
            if self.getNumPartitions() > 1:
                self = self.coalesce(1)
            return self.mapPartitions(sort_partition, True)
        size = self.count()
        if size == 0:
            return self
        max_sample = numPartitions * 20.0
        fraction = min(max_sample / max(size, 1), 1.0)
        samples = self.sample(False, fraction, 1).map(lambda kv: kv[0]).collect()
        samples = sorted(samples, key=keyfunc)
        bounds = [keyfunc(samples[int(len(samples) * (i + 1) / numPartitions)])
                  for i in range(numPartitions - 1)] if samples else []
        partition_func = RangeBounds(bounds, ascending, None if keyfunc is identity else keyfunc,
                                     numPartitions)
        return (self.partitionBy(numPartitions, partition_func)
                .mapPartitions(sort_partition, True))

    def repartitionAndSortWithinPartitions(
            self, numPartitions: int | None = None,
            partitionFunc: Callable[[Any], int] = portable_hash, ascending: bool = True,
            keyfunc: Callable[[Any], Any] = identity) -> "RDD":
        if numPartitions is None:
            numPartitions = self._defaultReducePartitions()

        def sort_partition(iterator: Iterator[Any]) -> Iterator[Any]:
            return _sorter().sorted(iterator, key=_sort_key(keyfunc), reverse=not ascending)
        return self.partitionBy(numPartitions, partitionFunc).mapPartitions(sort_partition, True)

    # ---- joins
    def cogroup(self, other: "RDD", numPartitions: int | None = None) -> "RDD":
        return _cogroup([self, other], numPartitions)

    def groupWith(self, other: "RDD", *others: "RDD") -> "RDD":
        return _cogroup([self, other, *others], None)

    def join(self, other: "RDD", numPartitions: int | None = None) -> "RDD":
        return _join(self, other, numPartitions, lambda vs, ws: [(v, w) for v in vs for w in ws])

    def leftOuterJoin(self, other: "RDD", numPartitions: int | None = None) -> "RDD":
        return _join(self, other, numPartitions,
                     lambda vs, ws: [(v, w) for v in vs for w in (ws or [None])])

    def rightOuterJoin(self, other: "RDD", numPartitions: int | None = None) -> "RDD":
        return _join(self, other, numPartitions,
                     lambda vs, ws: [(v, w) for v in (vs or [None]) for w in ws])

    def fullOuterJoin(self, other: "RDD", numPartitions: int | None = None) -> "RDD":
        return _join(self, other, numPartitions,
                     lambda vs, ws: [(v, w) for v in (vs or [None]) for w in (ws or [None])])

    def subtractByKey(self, other: "RDD", numPartitions: int | None = None) -> "RDD":
        def keep(pair: tuple) -> bool:
            vs, ws = pair[1]
            return bool(vs) and not ws
        return (_tagged_union([self, other], numPartitions)
                .filter(keep).flatMapValues(lambda vw: vw[0]))


def _sort_key(keyfunc: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Sort key of (key, value) records; the C-level itemgetter when keys sort as they are."""
    if keyfunc is identity:
        return operator.itemgetter(0)
    return lambda kv: keyfunc(kv[0])


def _tagged_union(rdds: list, numPartitions: int | None) -> Any:
    """Values of each RDD tagged with its position, grouped by key into per-RDD lists."""
    n = len(rdds)
    tagged = [r.map(lambda kv, i=i: (kv[0], (i, kv[1]))) for i, r in enumerate(rdds)]
    union = tagged[0]
    for t in tagged[1:]:
        union = union.union(t)
    if numPartitions is None:
        numPartitions = union._defaultReducePartitions()

    def create(iv: tuple) -> list:
        acc: list = [[] for _ in range(n)]
        acc[iv[0]].append(iv[1])
        return acc

    def merge_value(acc: list, iv: tuple) -> list:
        acc[iv[0]].append(iv[1])
        return acc

    def merge_combiners(a: list, b: list) -> list:
        for i in range(n):
            a[i].extend(b[i])
        return a
    return union.combineByKey(create, merge_value, merge_combiners, numPartitions)


def _cogroup(rdds: list, numPartitions: int | None) -> Any:
    from pyspk.rdd.resultiterable import ResultIterable
    return _tagged_union(rdds, numPartitions).mapValues(
        lambda lists: tuple(ResultIterable(x) for x in lists))


def _join(a: Any, b: Any, numPartitions: int | None,
          pairs: Callable[[list, list], list]) -> Any:
    def emit(kv: tuple) -> Iterator[tuple]:
        vs, ws = kv[1]
        for pair in pairs(vs, ws):
            yield kv[0], pair
    return _tagged_union([a, b], numPartitions).flatMap(emit, preservesPartitioning=True)
