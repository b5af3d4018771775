"""What the spilling SQL operators share: the per-task memory budget, a task's spill directory
(deleted when the task ends, also on failure), spill accounting (an INFO line in Spark's style and
the task metrics ``memoryBytesSpilled``/``diskBytesSpilled``), row hashing into buckets and hash
buckets of Arrow rows written as IPC files.

A task's operator memory is Spark's unified execution memory of one task: executor memory ×
``spark.memory.fraction`` ÷ concurrent tasks (``pyspk.executor.environment.task_memory``);
``spark.pyspk.sql.operatorMemoryBytes`` overrides it (tests use a few MiB to force spills). An
operator holds at most a quarter of it as input (``task_budget``)."""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import uuid
from typing import Iterable, Iterator, Sequence

import numpy as np
import pyarrow as pa

from pyspk.sql.execution import operators as ops
from pyspk.sql.expressions.base import EvalContext, Expression

log = logging.getLogger("pyspk.sql.execution.spill")

OPERATOR_MEMORY_KEY = "spark.pyspk.sql.operatorMemoryBytes"
DRIVER_BUDGET = 1 << 30
"""Budget outside an executor (operators called on the driver), as ``spark.driver.memory``'s default."""
WORKING_FACTOR = 4
"""Arrow operators need about twice their input again as working space (a sorted copy,
evaluated expressions, hash tables, the output), and the task's shuffle writer buffers its
output beside them: an operator holds a quarter of the task's memory as input."""
BUCKETS = 16
"""Hash buckets a spilling aggregation or join splits its input into (per level)."""
MAX_DEPTH = 3
"""Levels of re-bucketing of a bucket still over the budget (a skewed key cannot be split)."""
_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93)


def task_budget(override: int | None) -> int:
    """Bytes of input one operator of this task may hold before it spills: the task's execution
    memory (``override``, else ``spark.pyspk.sql.operatorMemoryBytes`` in the executor's conf,
    else derived from the executor's memory) ÷ ``WORKING_FACTOR``."""
    memory = int(override) if override else 0
    if not memory:
        from pyspk.executor import environment
        try:
            env = environment.get()
        except RuntimeError:
            env = None
        configured = env.conf.get(OPERATOR_MEMORY_KEY) if env is not None else None
        memory = int(configured) if configured else (env.task_memory if env is not None else 0)
    return max(1, (memory or DRIVER_BUDGET) // WORKING_FACTOR)


def nbytes(data: pa.Table | pa.RecordBatch) -> int:
    """Bytes of Arrow buffers ``data`` references (slices count their own part)."""
    return int(data.nbytes)


class SpillScope:
    """The spill files of one operator in one task: a private directory under the executor's
    spill dir (``spark.local.dir``), removed by ``close`` and, as a safety net, when the task ends."""

    def __init__(self, budget: int, what: str) -> None:
        self.budget = budget
        self.what = what
        self.spills = 0
        self._dir: str | None = None

    @property
    def directory(self) -> str:
        if self._dir is None:
            self._dir = _new_spill_dir()
            from pyspk.taskcontext import TaskContext
            tc = TaskContext.get()
            if tc is not None:
                tc.addTaskCompletionListener(lambda _tc: self.close())
        return self._dir

    def path(self, name: str) -> str:
        return os.path.join(self.directory, name)

    def spilled(self, memory_bytes: int, disk_bytes: int) -> None:
        """Account one spill of ``memory_bytes`` held rows written as ``disk_bytes``."""
        from pyspk.taskcontext import TaskContext
        self.spills += 1
        tc = TaskContext.get()
        task = f"Task {tc.partitionId()} (TID {tc.taskAttemptId()})" if tc is not None else "Driver"
        log.info("%s spilling %s of %.1f MiB to disk (%d time%s so far)", task, self.what,
                 memory_bytes / (1 << 20), self.spills, "" if self.spills == 1 else "s")
        if tc is not None:
            tc.add_metric("memoryBytesSpilled", memory_bytes)
            tc.add_metric("diskBytesSpilled", disk_bytes)

    def close(self) -> None:
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None


def _new_spill_dir() -> str:
    from pyspk.executor import environment
    try:
        base = environment.get().dirs.spill
    except RuntimeError:
        base = tempfile.gettempdir()
    path = os.path.join(base, f"sql-{uuid.uuid4().hex[:12]}")
    os.makedirs(path, exist_ok=True)
    return path


def hash_columns(cols: Sequence[pa.Array | pa.ChunkedArray]) -> np.ndarray:
    """A 64-bit hash of each row of ``cols`` (equal values hash equally in every batch)."""
    import pandas as pd
    n = len(cols[0]) if cols else 0
    if not cols:
        return np.zeros(n, dtype=np.uint64)
    frame = {}
    for i, col in enumerate(cols):
        if isinstance(col, pa.ChunkedArray):
            col = col.combine_chunks()
        if pa.types.is_integer(col.type) or pa.types.is_boolean(col.type):
            import pyarrow.compute as pc
            frame[f"v{i}"] = pc.is_valid(col).to_numpy(zero_copy_only=False)
            col = pc.fill_null(col, pa.scalar(False if pa.types.is_boolean(col.type) else 0, col.type))
        frame[f"k{i}"] = col.to_pandas()
    return pd.util.hash_pandas_object(pd.DataFrame(frame), index=False).to_numpy()


def bucket_ids(hashes: np.ndarray, buckets: int, level: int) -> np.ndarray:
    """Bucket of each hash at a re-bucketing ``level``: the hash is remixed with a per-level
    constant so the bits the exchange used (``hash % partitions``) do not decide the bucket."""
    with np.errstate(over="ignore"):
        mixed = (hashes ^ (hashes >> np.uint64(29))) * np.uint64(_MIX[level % len(_MIX)])
    return ((mixed >> np.uint64(32)) % np.uint64(buckets)).astype(np.int32)


def key_hashes(table: pa.Table, keys: Sequence[Expression], ctx: EvalContext,
               types: Sequence[pa.DataType] | None = None) -> np.ndarray:
    """Row hashes of ``keys`` evaluated over ``table``, cast to ``types`` when given (so the
    two sides of a join hash equal keys equally)."""
    cols = [ops.evaluate_column(k, table, ctx) for k in keys]
    if types is not None:
        cols = [c if c.type == t else c.cast(t) for c, t in zip(cols, types)]
    return hash_columns(cols)


class BucketFiles:
    """``n`` Arrow IPC stream files, one per hash bucket, appended to batch by batch."""

    def __init__(self, scope: SpillScope, schema: pa.Schema, n: int, tag: str) -> None:
        self.scope = scope
        self.schema = schema
        self.paths = [scope.path(f"{tag}-{i}.arrow") for i in range(n)]
        self._writers: list[pa.ipc.RecordBatchStreamWriter | None] = [None] * n
        self._sinks: list = [None] * n
        self.rows = [0] * n

    def write(self, table: pa.Table, ids: np.ndarray) -> None:
        """Append the rows of ``table`` to the buckets ``ids`` names."""
        if table.num_rows == 0:
            return
        from pyspk.shuffle.arrow_io import split_by_partition
        batch = table.combine_chunks().to_batches()[0]
        for b, part in split_by_partition(batch, pa.array(ids), len(self.paths)):
            if self._writers[b] is None:
                self._sinks[b] = pa.OSFile(self.paths[b], "wb")
                self._writers[b] = pa.ipc.new_stream(self._sinks[b], batch.schema)
            self._writers[b].write_batch(part)
            self.rows[b] += part.num_rows

    def finish(self) -> int:
        """Close every file; the bytes written."""
        total = 0
        for i, w in enumerate(self._writers):
            if w is not None:
                w.close()
                self._sinks[i].close()
                total += os.path.getsize(self.paths[i])
        self._writers = [None] * len(self.paths)
        return total

    def size(self, i: int) -> int:
        return os.path.getsize(self.paths[i]) if self.rows[i] else 0

    def read(self, i: int) -> pa.Table:
        """Bucket ``i`` as one table (its file is deleted once read)."""
        if not self.rows[i]:
            return self.schema.empty_table()
        with pa.OSFile(self.paths[i], "rb") as f:
            table = pa.ipc.open_stream(f).read_all()
        os.unlink(self.paths[i])
        return table


def chunks(batches: Iterable[pa.RecordBatch], limit: int) -> Iterator[list[pa.RecordBatch]]:
    """Consecutive groups of ``batches`` holding about ``limit`` bytes each."""
    group: list[pa.RecordBatch] = []
    held = 0
    for b in batches:
        if not b.num_rows:
            continue
        group.append(b)
        held += nbytes(b)
        if held >= limit:
            yield group
            group, held = [], 0
    if group:
        yield group


def take_until(it: Iterator[pa.RecordBatch], limit: int) -> tuple[list[pa.RecordBatch], int]:
    """Batches from ``it`` until they hold more than ``limit`` bytes (or ``it`` ends), and
    their size."""
    held: list[pa.RecordBatch] = []
    size = 0
    for b in it:
        if b.num_rows:
            held.append(b)
            size += nbytes(b)
            if size > limit:
                break
    return held, size


def as_table(batches: list[pa.RecordBatch], schema: pa.Schema) -> pa.Table:
    """``batches`` as one table (of ``schema`` when there are none)."""
    return pa.Table.from_batches(batches) if batches else schema.empty_table()


__all__ = ["OPERATOR_MEMORY_KEY", "task_budget", "SpillScope", "BucketFiles", "hash_columns",
           "bucket_ids", "key_hashes", "chunks", "take_until", "as_table", "nbytes"]
