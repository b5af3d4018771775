"""External sort of one partition's batches within a memory budget. Batches are held until they
pass the budget; then the held rows are sorted with Arrow and written as a sorted run (an Arrow
IPC file of the rows plus their evaluated sort keys). At the end the runs are merged vectorised:
each round takes the smallest "last loaded key" over the runs that still have unread batches as
a bound; every loaded row at or before the bound can be emitted (no unread row sorts before it),
so the loaded rows are sorted once with the bound among them and the prefix is emitted, the rest
carried to the next round, and the run that gave the bound loads its next batch. No per-row
Python heap; memory is one batch per run plus the carry."""
from __future__ import annotations

import os
from typing import Iterable, Iterator

import numpy as np
import pyarrow as pa

from pyspk.sql.execution.range_sort import key_sort_indices, sort_keys
from pyspk.sql.execution.spill import SpillScope, nbytes
from pyspk.sql.expressions.base import EvalContext, SortOrder

RUN_BATCHES = 32
"""A run is written as about this many batches, the unit the merge loads."""


def external_sort(order: tuple[SortOrder, ...], ctx: EvalContext, budget: int,
                  batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The rows of ``batches`` in ``order``, spilling sorted runs past ``budget`` bytes."""
    scope = SpillScope(budget, "sort data")
    runs: list[str] = []
    held: list[pa.RecordBatch] = []
    size = 0
    try:
        for b in batches:
            if not b.num_rows:
                continue
            held.append(b)
            size += nbytes(b)
            if size > budget:
                runs.append(_write_run(scope, held, order, ctx, len(runs), size))
                held, size = [], 0
        if not runs:
            if held:
                t = pa.Table.from_batches(held)
                yield from _out(t.take(key_sort_indices(sort_keys(t, order, ctx), order)))
            return
        if held:
            runs.append(_write_run(scope, held, order, ctx, len(runs), size))
            held = []
        yield from _merge(runs, order)
    finally:
        scope.close()


def _write_run(scope: SpillScope, held: list[pa.RecordBatch], order: tuple[SortOrder, ...],
               ctx: EvalContext, index: int, size: int) -> str:
    t = pa.Table.from_batches(held)
    keys = sort_keys(t, order, ctx)
    idx = key_sort_indices(keys, order)
    run = t.take(idx)
    for name in keys.column_names:
        run = run.append_column(f"__sort_{name}", keys.column(name).take(idx))
    path = scope.path(f"run-{index}.arrow")
    per = max(1024, -(-run.num_rows // RUN_BATCHES))
    with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, run.schema) as w:
        w.write_table(run.combine_chunks(), max_chunksize=per)
    scope.spilled(size, os.path.getsize(path))
    return path


class _Run:
    """A sorted run read one batch at a time."""

    def __init__(self, path: str) -> None:
        self._file = pa.OSFile(path, "rb")
        self._reader = pa.ipc.open_file(self._file)
        self._next = 0

    def load(self) -> pa.Table | None:
        while self._next < self._reader.num_record_batches:
            b = self._reader.get_batch(self._next)
            self._next += 1
            if b.num_rows:
                return pa.Table.from_batches([b])
        self._file.close()
        return None


def _keys(t: pa.Table, names: list[str]) -> pa.Table:
    return pa.table({n: t.column(f"__sort_{n}") for n in names})


def _merge(paths: list[str], order: tuple[SortOrder, ...]) -> Iterator[pa.RecordBatch]:
    runs = [_Run(p) for p in paths]
    loaded: list[pa.Table] = []
    last: dict[int, pa.Table] = {}
    for i, r in enumerate(runs):
        t = r.load()
        if t is not None:
            loaded.append(t)
            last[i] = t.slice(t.num_rows - 1, 1)
    schema = loaded[0].schema
    names = [n[len("__sort_"):] for n in schema.names if n.startswith("__sort_")]
    data = [n for n in schema.names if not n.startswith("__sort_")]
    carry = schema.empty_table()
    while True:
        pool = pa.concat_tables([carry] + loaded).combine_chunks() if loaded else carry
        if not last:
            yield from _out(pool.take(key_sort_indices(_keys(pool, names), order)).select(data))
            return
        active = sorted(last)
        bounds = pa.concat_tables([_keys(last[i], names) for i in active]).combine_chunks()
        smallest = active[int(key_sort_indices(bounds, order)[0].as_py())]
        bound = _keys(last[smallest], names)
        both = pa.concat_tables([_keys(pool, names), bound]).combine_chunks()
        tag = np.zeros(both.num_rows, dtype=np.int8)
        tag[-1] = 1
        idx = key_sort_indices(both, order, ("__tag", pa.array(tag))).to_numpy()
        cut = int(np.nonzero(idx == pool.num_rows)[0][0])
        yield from _out(pool.take(pa.array(idx[:cut])).select(data))
        carry = pool.take(pa.array(idx[cut + 1:]))
        t = runs[smallest].load()
        if t is None:
            del last[smallest]
            loaded = []
        else:
            last[smallest] = t.slice(t.num_rows - 1, 1)
            loaded = [t]


def _out(table: pa.Table) -> list[pa.RecordBatch]:
    return table.combine_chunks().to_batches() if table.num_rows else []


__all__ = ["external_sort"]
