"""Hash aggregation and DISTINCT over a task's input batches within a memory budget. Input is
held until it passes the budget; from then on every row goes to one of ``BUCKETS`` files by a
hash of its grouping key, and the operator runs bucket by bucket. A group lives in one bucket, so
this is exact for every aggregate (also the ones finished in Python per group). A bucket still
over the budget is split again with another hash mix, up to ``MAX_DEPTH`` levels (a single huge
group cannot be split and is aggregated in memory).

The partial phase of a two-phase aggregation needs no files: it aggregates each budget-sized
chunk of its input on its own, since the final phase merges partial rows anyway."""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

import numpy as np
import pyarrow as pa

from pyspk.sql.execution import operators as ops
from pyspk.sql.execution.spill import (BUCKETS, MAX_DEPTH, BucketFiles, SpillScope, as_table,
                                       bucket_ids, chunks, hash_columns, key_hashes, nbytes)
from pyspk.sql.expressions.base import EvalContext, Expression

Hasher = Callable[[pa.Table], np.ndarray]


def bucketed(batches: Iterable[pa.RecordBatch], schema: pa.Schema, hasher: Hasher | None,
             budget: int, what: str, fn: Callable[[pa.Table], pa.Table],
             level: int = 0) -> Iterator[pa.Table]:
    """``fn`` over all of ``batches`` when they fit ``budget`` (or cannot be split: no
    ``hasher``), else ``fn`` over each hash bucket of rows, spilled to disk first."""
    it = iter(batches)
    held: list[pa.RecordBatch] = []
    size = 0
    for b in it:
        if not b.num_rows:
            continue
        held.append(b)
        size += nbytes(b)
        if size > budget and hasher is not None:
            break
    else:
        yield fn(as_table(held, schema))
        return
    scope = SpillScope(budget, what)
    try:
        files = BucketFiles(scope, schema, BUCKETS, f"bucket{level}")
        written = 0
        for group in _regroup(held, it, max(budget // 4, 1)):
            t = pa.Table.from_batches(group)
            files.write(t, bucket_ids(hasher(t), BUCKETS, level))
            written += nbytes(t)
        held = []
        scope.spilled(written, files.finish())
        for i in range(BUCKETS):
            t = files.read(i)
            if not t.num_rows:
                continue
            if nbytes(t) > budget and level + 1 < MAX_DEPTH:
                yield from bucketed(t.to_batches(), schema, hasher, budget, what, fn, level + 1)
            else:
                yield fn(t)
    finally:
        scope.close()


def _regroup(held: list[pa.RecordBatch], rest: Iterator[pa.RecordBatch],
             limit: int) -> Iterator[list[pa.RecordBatch]]:
    """The held batches, then the rest of the input, in groups of about ``limit`` bytes."""
    yield from chunks(held, limit)
    yield from chunks(rest, limit)


def aggregate(grouping: tuple[Expression, ...], aggregates: tuple[Expression, ...],
              ctx: EvalContext, schema: pa.Schema, global_: bool, partial: bool, budget: int,
              batches: Iterable[pa.RecordBatch]) -> Iterator[pa.Table]:
    """GROUP BY ``grouping`` over one partition's batches within ``budget``; ``partial`` marks
    the first phase of a two-phase aggregation (chunks aggregated independently)."""
    def run(t: pa.Table) -> pa.Table:
        if t.num_rows == 0 and not global_:
            return t
        return ops.hash_aggregate(t, grouping, aggregates, ctx)
    if partial and grouping:
        for group in chunks(batches, budget):
            yield run(pa.Table.from_batches(group))
        return
    hasher = (lambda t: key_hashes(t, grouping, ctx)) if grouping else None
    for t in bucketed(batches, schema, hasher, budget, "hash aggregation", run):
        if t.num_rows or global_:
            yield t


def distinct(keys: list[str], subset: bool, schema: pa.Schema, budget: int,
             batches: Iterable[pa.RecordBatch]) -> Iterator[pa.Table]:
    """DISTINCT (``subset``: dropDuplicates on ``keys``) within ``budget``."""
    def run(t: pa.Table) -> pa.Table:
        return ops.deduplicate(t, keys) if subset else ops.distinct_rows(t.select(keys))

    def hasher(t: pa.Table) -> np.ndarray:
        return hash_columns([t.column(k) for k in keys])
    yield from bucketed(batches, schema, hasher if keys else None, budget, "distinct rows", run)


__all__ = ["bucketed", "aggregate", "distinct"]
