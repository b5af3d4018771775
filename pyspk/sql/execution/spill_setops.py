"""INTERSECT / EXCEPT [ALL] of two co-partitioned inputs within a memory budget. Both sides are
held while they fit half the budget each; otherwise both are written to ``BUCKETS`` files by a
hash of all their columns (the right side's cast to the left's types, so equal rows meet) and the
set operation runs per bucket pair — equal rows share a bucket, so the result is exact."""
from __future__ import annotations

from typing import Iterable, Iterator

import pyarrow as pa

from pyspk.sql.execution.setops import set_operation
from pyspk.sql.execution.spill import (BUCKETS, BucketFiles, SpillScope, as_table, bucket_ids,
                                       chunks, hash_columns, nbytes, take_until)


def set_partitions(op: str, is_all: bool, schemas: tuple[pa.Schema, pa.Schema], budget: int,
                   left: Iterable[pa.RecordBatch], right: Iterable[pa.RecordBatch]
                   ) -> Iterator[pa.Table]:
    """``op`` (intersect/except) of one partition pair; right columns match left ones by position."""
    lschema, rschema = schemas
    half = max(1, budget // 2)
    lit, rit = iter(left), iter(right)
    lheld, lsize = take_until(lit, half)
    rheld, rsize = take_until(rit, half)
    if lsize <= half and rsize <= half:
        lt = as_table(lheld, lschema)
        yield set_operation(lt, as_table(rheld, rschema).rename_columns(lt.column_names), op, is_all)
        return
    types = list(lschema.types)
    scope = SpillScope(budget, "set operation inputs")
    try:
        sides = []
        written = disk = 0
        for tag, held, rest, schema in (("left", lheld, lit, lschema), ("right", rheld, rit, rschema)):
            files = BucketFiles(scope, schema, BUCKETS, tag)
            for part in (held, rest):
                for group in chunks(part, max(1, budget // 4)):
                    t = pa.Table.from_batches(group)
                    cols = [c if c.type == ty else c.cast(ty) for c, ty in zip(t.columns, types)]
                    files.write(t, bucket_ids(hash_columns(cols), BUCKETS, 0))
                    written += nbytes(t)
            disk += files.finish()
            sides.append(files)
        del lheld, rheld
        scope.spilled(written, disk)
        for i in range(BUCKETS):
            lt, rt = sides[0].read(i), sides[1].read(i)
            if lt.num_rows:
                yield set_operation(lt, rt.rename_columns(lt.column_names), op, is_all)
    finally:
        scope.close()


__all__ = ["set_partitions"]
