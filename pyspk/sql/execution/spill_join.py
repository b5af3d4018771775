"""Shuffle hash join of two co-partitioned inputs within a memory budget. The build (right) side
is read first; if it fits half the budget, the probe (left) side streams through in chunks for
joins whose output rows each follow from one left row (inner, cross, left outer, semi, anti);
right and full outer joins also hold the left side when it fits. Otherwise it is a grace hash
join: both sides are written to ``BUCKETS`` files by a hash of their join keys (cast to the left
keys' types, so equal keys meet) and each pair of buckets is joined on its own — every key lives
in one bucket pair, so outer, semi and anti joins stay exact. A pair still over the budget is
split again with another hash mix, up to ``MAX_DEPTH`` levels."""
from __future__ import annotations

from typing import Any, Iterable, Iterator

import pyarrow as pa

from pyspk.sql.execution.join import hash_join
from pyspk.sql.execution.spill import (BUCKETS, MAX_DEPTH, BucketFiles, SpillScope, as_table,
                                       bucket_ids, chunks, key_hashes, nbytes, take_until)
from pyspk.sql.expressions.base import EvalContext, Expression

STREAMED = ("inner", "cross", "left", "left_semi", "left_anti", "left_anti_null_aware")
"""Join types whose output rows each depend on one left row and the whole right side."""


def probe_in_chunks(join_type: str, lk: tuple[Expression, ...], rk: tuple[Expression, ...],
                    residual: Any, ctx: EvalContext, right: pa.Table, budget: int,
                    left: Iterable[pa.RecordBatch]) -> Iterator[pa.Table]:
    """Join budget-sized chunks of ``left`` with all of ``right`` (a ``STREAMED`` join type)."""
    for group in chunks(left, max(1, budget // 2)):
        yield hash_join(pa.Table.from_batches(group), right, join_type, lk, rk, residual, ctx)


def shuffle_join(join_type: str, lk: tuple[Expression, ...], rk: tuple[Expression, ...],
                 residual: Any, ctx: EvalContext, schemas: tuple[pa.Schema, pa.Schema],
                 budget: int, left: Iterable[pa.RecordBatch], right: Iterable[pa.RecordBatch],
                 level: int = 0) -> Iterator[pa.Table]:
    """Join one pair of co-partitioned inputs (equi-keys ``lk``/``rk``) within ``budget``."""
    lschema, rschema = schemas
    half = max(1, budget // 2)
    rit, lit = iter(right), iter(left)
    rheld, rsize = take_until(rit, half)
    if rsize <= half:
        rtable = as_table(rheld, rschema)
        if join_type in STREAMED:
            yield from probe_in_chunks(join_type, lk, rk, residual, ctx, rtable, budget, lit)
            return
        lheld, lsize = take_until(lit, half)
        if lsize <= half:
            yield hash_join(as_table(lheld, lschema), rtable, join_type, lk, rk, residual, ctx)
            return
        rheld = rtable.to_batches()
    else:
        lheld = []
    yield from _grace(join_type, lk, rk, residual, ctx, schemas, budget, lheld, lit, rheld, rit,
                      level)


def _grace(join_type: str, lk: tuple[Expression, ...], rk: tuple[Expression, ...], residual: Any,
           ctx: EvalContext, schemas: tuple[pa.Schema, pa.Schema], budget: int,
           lheld: list[pa.RecordBatch], lit: Iterator[pa.RecordBatch],
           rheld: list[pa.RecordBatch], rit: Iterator[pa.RecordBatch],
           level: int) -> Iterator[pa.Table]:
    from pyspk.sql._arrow_types import to_arrow_type
    types = [to_arrow_type(k.data_type) for k in lk]
    scope = SpillScope(budget, "hash join build and probe sides")
    try:
        sides = []
        written = disk = 0
        for tag, held, rest, keys, schema in (("left", lheld, lit, lk, schemas[0]),
                                              ("right", rheld, rit, rk, schemas[1])):
            files = BucketFiles(scope, schema, BUCKETS, f"{tag}{level}")
            for part in (held, rest):
                for group in chunks(part, max(1, budget // 4)):
                    t = pa.Table.from_batches(group)
                    files.write(t, bucket_ids(key_hashes(t, keys, ctx, types), BUCKETS, level))
                    written += nbytes(t)
            disk += files.finish()
            sides.append(files)
        del lheld, rheld
        scope.spilled(written, disk)
        lfiles, rfiles = sides
        for i in range(BUCKETS):
            lt, rt = lfiles.read(i), rfiles.read(i)
            if not lt.num_rows and (not rt.num_rows or join_type not in ("right", "full")):
                continue
            if not rt.num_rows and join_type in ("inner", "cross", "left_semi", "right"):
                continue
            if nbytes(lt) + nbytes(rt) > budget and level + 1 < MAX_DEPTH:
                yield from shuffle_join(join_type, lk, rk, residual, ctx, schemas, budget,
                                        lt.to_batches(), rt.to_batches(), level + 1)
            else:
                yield hash_join(lt, rt, join_type, lk, rk, residual, ctx)
    finally:
        scope.close()


__all__ = ["STREAMED", "probe_in_chunks", "shuffle_join"]
