"""``RDD.histogram``: counts per bucket, with evenly spaced or given bucket edges."""
from __future__ import annotations

import bisect
from typing import Any, Iterator

from pyspk.errors import PySparkTypeError, PySparkValueError


def _is_nan(x: Any) -> bool:
    return isinstance(x, float) and x != x


def histogram(rdd: Any, buckets: int | list) -> tuple[list, list]:
    """(bucket edges, counts); the last bucket includes its upper edge."""
    given: Any = None
    if isinstance(buckets, int):
        if buckets < 1:
            raise PySparkValueError("buckets should be greater than 1",
                                    errorClass="INVALID_BUCKET_COUNT")
        filtered = rdd.filter(lambda x: x is not None and not _is_nan(x))

        def minmax(a: tuple, b: tuple) -> tuple:
            return min(a[0], b[0]), max(a[1], b[1])
        try:
            lo, hi = filtered.map(lambda x: (x, x)).reduce(minmax)
        except ValueError:
            raise PySparkValueError("can not generate buckets from empty RDD",
                                    errorClass="EMPTY_RDD") from None
        except TypeError:
            raise PySparkTypeError("Can not generate buckets with non-number in RDD",
                                   errorClass="NOT_NUMBER") from None
        if lo == hi or buckets == 1:
            edges = [lo, hi]
        else:
            inc = (hi - lo) / buckets
            edges = [lo + i * inc for i in range(buckets)] + [hi]
            if isinstance(lo, int) and isinstance(hi, int) and (hi - lo) % buckets == 0:
                inc = (hi - lo) // buckets
                edges = [lo + i * inc for i in range(buckets)] + [hi]
    else:
        given = buckets
        edges = list(buckets)
        if len(edges) < 2:
            raise PySparkValueError("buckets should have more than one value",
                                    errorClass="INVALID_BUCKET_COUNT")
        if any(e is None or _is_nan(e) for e in edges):
            raise PySparkValueError("can not have None or NaN in buckets",
                                    errorClass="INVALID_BUCKET_VALUE")
        if sorted(edges) != edges:
            raise PySparkValueError("buckets should be sorted", errorClass="NOT_SORTED")
        if len(set(edges)) != len(edges):
            raise PySparkValueError("buckets should not contain duplicated values",
                                    errorClass="DUPLICATED_VALUES")
    lo, hi = edges[0], edges[-1]
    n = len(edges) - 1

    def count(iterator: Iterator[Any]) -> Iterator[list]:
        counts = [0] * n
        for x in iterator:
            if x is None or _is_nan(x) or x < lo or x > hi:
                continue
            i = n - 1 if x == hi else bisect.bisect_right(edges, x) - 1
            counts[i] += 1
        yield counts

    totals = rdd.mapPartitions(count).reduce(lambda a, b: [i + j for i, j in zip(a, b)])
    return (given if not isinstance(buckets, int) else edges), totals
