"""Actions: operations that run a job and bring a result to the driver."""
from __future__ import annotations

import heapq
import itertools
import math
import operator
import random as _random
import sys
from collections import defaultdict
from functools import reduce as _reduce
from typing import Any, Callable, Iterator

from pyspk.errors import PySparkTypeError, PySparkValueError
from pyspk.rdd.stats import StatCounter


class Actions:
    """Actions of ``RDD``."""

    def collect(self) -> list:
        parts = self._run_job(list, None, "collect")
        return list(itertools.chain.from_iterable(parts))

    def collectWithJobGroup(self, groupId: str, description: str,
                            interruptOnCancel: bool = False) -> list:
        self.ctx.setJobGroup(groupId, description, interruptOnCancel)
        return self.collect()

    def count(self) -> int:
        return sum(self._run_job(lambda it: sum(1 for _ in it), None, "count"))

    def countApprox(self, timeout: int, confidence: float = 0.95) -> int:
        return self.count()

    def foreach(self, f: Callable[[Any], None]) -> None:
        def run(iterator: Iterator[Any]) -> None:
            for x in iterator:
                f(x)
        self._run_job(run, None, "foreach")

    def foreachPartition(self, f: Callable[[Iterator[Any]], None]) -> None:
        def run(iterator: Iterator[Any]) -> None:
            r = f(iterator)
            if r is not None:
                for _ in r:
                    pass
        self._run_job(run, None, "foreachPartition")

    def reduce(self, f: Callable[[Any, Any], Any]) -> Any:
        sentinel = _Empty

        def run(iterator: Iterator[Any]) -> Any:
            it = iter(iterator)
            first = next(it, sentinel)
            return sentinel if first is sentinel else _reduce(f, it, first)
        vals = [v for v in self._run_job(run, None, "reduce") if v is not sentinel]
        if vals:
            return _reduce(f, vals)
        raise ValueError("Can not reduce() empty RDD")

    def treeReduce(self, f: Callable[[Any, Any], Any], depth: int = 2) -> Any:
        if depth < 1:
            raise PySparkValueError(f"Depth cannot be smaller than 1 but got {depth}.",
                                    errorClass="INVALID_DEPTH")
        zero = (None, True)

        def op(x: tuple, y: tuple) -> tuple:
            if x[1]:
                return y
            if y[1]:
                return x
            return f(x[0], y[0]), False
        reduced = self.map(lambda x: (x, False)).treeAggregate(zero, op, op, depth)
        if reduced[1]:
            raise ValueError("Cannot reduce empty RDD.")
        return reduced[0]

    def fold(self, zeroValue: Any, op: Callable[[Any, Any], Any]) -> Any:
        return self.aggregate(zeroValue, op, op)

    def aggregate(self, zeroValue: Any, seqOp: Callable[[Any, Any], Any],
                  combOp: Callable[[Any, Any], Any]) -> Any:
        import copy

        def run(iterator: Iterator[Any]) -> Any:
            acc = copy.deepcopy(zeroValue)
            for x in iterator:
                acc = seqOp(acc, x)
            return acc
        return _reduce(combOp, self._run_job(run, None, "aggregate"), zeroValue)

    def treeAggregate(self, zeroValue: Any, seqOp: Callable[[Any, Any], Any],
                      combOp: Callable[[Any, Any], Any], depth: int = 2) -> Any:
        import copy
        if depth < 1:
            raise PySparkValueError(f"Depth cannot be smaller than 1 but got {depth}.",
                                    errorClass="INVALID_DEPTH")
        if self.getNumPartitions() == 0:
            return zeroValue

        def agg_partition(iterator: Iterator[Any]) -> Iterator[Any]:
            acc = copy.deepcopy(zeroValue)
            for x in iterator:
                acc = seqOp(acc, x)
            yield acc

        partial = self.mapPartitions(agg_partition)
        num = partial.getNumPartitions()
        scale = max(int(num ** (1.0 / depth) + 0.5), 2)
        while num > scale + num / scale:
            num //= scale
            cur = num

            def key_by(i: int, iterator: Iterator[Any], cur: int = cur) -> Iterator[Any]:
                for x in iterator:
                    yield i % cur, x
            partial = (partial.mapPartitionsWithIndex(key_by)
                       .reduceByKey(combOp, cur).values())
        return partial.fold(zeroValue, combOp)

    def max(self, key: Callable[[Any], Any] | None = None) -> Any:
        return self.reduce(max if key is None else (lambda a, b: max(a, b, key=key)))

    def min(self, key: Callable[[Any], Any] | None = None) -> Any:
        return self.reduce(min if key is None else (lambda a, b: min(a, b, key=key)))

    def sum(self) -> Any:
        return self.mapPartitions(lambda it: [sum(it)]).fold(0, operator.add)

    def stats(self) -> StatCounter:
        return self.mapPartitions(lambda it: [StatCounter(it)]).reduce(
            lambda a, b: a.mergeStats(b))

    def mean(self) -> float:
        return self.stats().mean()

    def variance(self) -> float:
        return self.stats().variance()

    def stdev(self) -> float:
        return self.stats().stdev()

    def sampleStdev(self) -> float:
        return self.stats().sampleStdev()

    def sampleVariance(self) -> float:
        return self.stats().sampleVariance()

    def sumApprox(self, timeout: int, confidence: float = 0.95) -> Any:
        from pyspk.rdd.approx import BoundedFloat
        s = float(self.sum())
        return BoundedFloat(s, confidence, s, s)

    def meanApprox(self, timeout: int, confidence: float = 0.95) -> Any:
        from pyspk.rdd.approx import BoundedFloat
        m = float(self.mean())
        return BoundedFloat(m, confidence, m, m)

    def histogram(self, buckets: int | list) -> tuple[list, list]:
        from pyspk.rdd.histogram import histogram
        return histogram(self, buckets)

    def countByValue(self) -> dict:
        def count_partition(iterator: Iterator[Any]) -> Iterator[dict]:
            counts: dict = defaultdict(int)
            for x in iterator:
                counts[x] += 1
            yield counts

        def merge(m1: dict, m2: dict) -> dict:
            for k, v in m2.items():
                m1[k] += v
            return m1
        return self.mapPartitions(count_partition).reduce(merge)

    def take(self, num: int) -> list:
        items: list = []
        total = self.getNumPartitions()
        scanned = 0
        while len(items) < num and scanned < total:
            to_try = 1
            if scanned > 0:
                if not items:
                    to_try = scanned * 4
                else:
                    to_try = int(1.5 * num * scanned / len(items)) - scanned
                    to_try = min(max(to_try, 1), scanned * 4)
            left = num - len(items)

            def take_up_to(iterator: Iterator[Any], left: int = left) -> list:
                return list(itertools.islice(iterator, left))
            parts = range(scanned, min(scanned + to_try, total))
            for res in self._run_job(take_up_to, parts, "take"):
                items.extend(res)
            scanned += to_try
        return items[:num]

    def first(self) -> Any:
        rs = self.take(1)
        if rs:
            return rs[0]
        raise ValueError("RDD is empty")

    def isEmpty(self) -> bool:
        return self.getNumPartitions() == 0 or len(self.take(1)) == 0

    def top(self, num: int, key: Callable[[Any], Any] | None = None) -> list:
        def top_partition(iterator: Iterator[Any]) -> Iterator[list]:
            yield heapq.nlargest(num, iterator, key=key)
        return self.mapPartitions(top_partition).reduce(
            lambda a, b: heapq.nlargest(num, a + b, key=key))

    def takeOrdered(self, num: int, key: Callable[[Any], Any] | None = None) -> list:
        if num < 0:
            raise PySparkValueError(f"top N cannot be negative: {num}",
                                    errorClass="VALUE_NOT_POSITIVE")
        if num == 0 or self.getNumPartitions() == 0:
            return []

        def small(iterator: Iterator[Any]) -> Iterator[list]:
            yield heapq.nsmallest(num, iterator, key=key)
        return self.mapPartitions(small).reduce(
            lambda a, b: heapq.nsmallest(num, a + b, key=key))

    def takeSample(self, withReplacement: bool, num: int, seed: int | None = None) -> list:
        if num < 0:
            raise PySparkValueError("Sample size cannot be negative.",
                                    errorClass="VALUE_NOT_POSITIVE")
        if num > sys.maxsize - int(10 * (sys.maxsize ** 0.5)):
            raise ValueError("Sample size cannot be greater than %d." % sys.maxsize)
        if num == 0 or self.getNumPartitions() == 0:
            return []
        initial = self.count()
        if initial == 0:
            return []
        rng = _random.Random(seed)
        if not withReplacement and num >= initial:
            samples = self.collect()
            rng.shuffle(samples)
            return samples
        fraction = _sample_fraction(num, initial, withReplacement)
        samples = self.sample(withReplacement, fraction, seed).collect()
        while len(samples) < num:
            seed = rng.randint(0, sys.maxsize)
            samples = self.sample(withReplacement, fraction, seed).collect()
        rng.shuffle(samples)
        return samples[:num]

    def countApproxDistinct(self, relativeSD: float = 0.05) -> int:
        """Distinct elements; pyspk counts them exactly, which is within any error bound."""
        if relativeSD < 0.000017:
            raise PySparkValueError("relativeSD should be greater than 0.000017",
                                    errorClass="VALUE_NOT_GREATER_THAN")
        return self.distinct().count()

    def toLocalIterator(self, prefetchPartitions: bool = False) -> Iterator[Any]:
        for p in range(self.getNumPartitions()):
            yield from self._run_job(list, [p], "toLocalIterator")[0]

    def __iter__(self) -> Iterator[Any]:
        raise PySparkTypeError("'RDD' object is not iterable; use collect() or "
                               "toLocalIterator()", errorClass="NOT_ITERABLE")


class _EmptyMarker:
    def __reduce__(self) -> str:
        return "_Empty"


_Empty = _EmptyMarker()


def _sample_fraction(num: int, total: int, with_replacement: bool) -> float:
    """A sampling fraction that yields at least ``num`` items with high probability."""
    fraction = float(num) / total
    if with_replacement:
        bound = 9 if num < 12 else 5
        return fraction + bound * (fraction / total) ** 0.5
    gamma = -math.log(0.00005) / total
    return min(1.0, fraction + gamma + (gamma * gamma + 2 * gamma * fraction) ** 0.5)
