"""Distributed global sort, as Spark runs ``ORDER BY``: a small job samples the sort keys of every
partition, the driver picks range bounds for N partitions from the weighted sample, the Arrow
batches are exchanged by range-partition id and every partition is sorted with Arrow, so reading
the partitions in order gives the global order. ``ORDER BY … LIMIT n`` is a per-partition top-n
merged on the driver.

Range ids are computed without comparing values in Python: the bounds and a batch's keys are
sorted together with the same Arrow sort spec as the final sort (directions and null placement
included), and a row's partition is the number of bounds sorted before it."""
from __future__ import annotations

from typing import Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql.expressions.base import EvalContext, SortOrder, to_array

SAMPLE_PER_PARTITION = 20
"""Sampled keys per output partition, as Spark's ``RangePartitioner`` (``20 * N`` in all)."""
MIN_ROWS_PER_PARTITION = 10_000
"""Fewer rows than this per output partition are not worth an extra partition."""


def _ensure_functions() -> None:
    """Executors resolve scalar functions by name: make sure the tables are loaded."""
    import pyspk.sql.expressions.registry  # noqa: F401


def sort_keys(table: pa.Table, order: Sequence[SortOrder], ctx: EvalContext) -> pa.Table:
    """The evaluated sort keys of ``table``, one column ``k<i>`` per ``SortOrder``."""
    cols = [to_array(o.child.eval(table, ctx), table.num_rows) for o in order]
    return pa.table({f"k{i}": c for i, c in enumerate(cols)}) if cols else \
        pa.table({"k": pa.nulls(table.num_rows, pa.int8())})


def key_sort_indices(keys: pa.Table, order: Sequence[SortOrder],
                     extra: tuple[str, pa.Array] | None = None) -> pa.Array:
    """Row order of a table of sort keys (``sort_keys``) under ``order``; ``extra`` is a last,
    ascending tie-breaking column."""
    cols: dict[str, pa.Array] = {}
    spec: list[tuple[str, str]] = []
    for i, o in enumerate(order):
        col = keys.column(f"k{i}")
        cols[f"n{i}"] = pc.is_valid(col) if o.effective_nulls_first else pc.is_null(col)
        spec.append((f"n{i}", "ascending"))
        if not o.ascending and pa.types.is_floating(col.type):
            # Spark's NaN is larger than every number (first when descending); Arrow sorts it last.
            cols[f"nan{i}"] = pc.fill_null(pc.is_nan(col), False)
            spec.append((f"nan{i}", "descending"))
        cols[f"k{i}"] = col
        spec.append((f"k{i}", "ascending" if o.ascending else "descending"))
    if extra is not None:
        cols[extra[0]] = extra[1]
        spec.append((extra[0], "ascending"))
    if not spec:
        return pa.array(np.arange(keys.num_rows, dtype=np.int64))
    return pc.sort_indices(pa.table(cols), sort_keys=spec)


def sample_partition(order: tuple[SortOrder, ...], ctx: EvalContext, size: int, seed: int,
                     it: Iterator[pa.RecordBatch]) -> Iterator[tuple[int, pa.Table]]:
    """One partition's row count and up to ``size`` of its sort keys, drawn uniformly."""
    _ensure_functions()
    batches = [b for b in it if b.num_rows]
    if not batches:
        yield 0, None
        return
    t = pa.Table.from_batches(batches)
    rng = np.random.default_rng(seed)
    n = t.num_rows
    pick = np.sort(rng.choice(n, size, replace=False)) if n > size else np.arange(n)
    yield n, sort_keys(t.take(pa.array(pick)), order, ctx)


def range_bounds(samples: list[tuple[int, pa.Table | None]], order: Sequence[SortOrder],
                 max_partitions: int, min_rows: int = MIN_ROWS_PER_PARTITION) -> pa.Table | None:
    """Up to ``max_partitions - 1`` bounds (rows of sort keys) splitting the sampled keys into
    ranges of about equal weight (at least ``min_rows`` rows each); a partition's sample weighs
    its row count over its sample size. ``None`` when one partition suffices."""
    total = sum(n for n, _ in samples)
    parts = max(1, min(max_partitions, total // max(1, min_rows) + 1))
    kept = [(n, k) for n, k in samples if k is not None and k.num_rows]
    if parts == 1 or not kept:
        return None
    keys = pa.concat_tables([k for _, k in kept]).combine_chunks()
    weights = np.concatenate([np.full(k.num_rows, n / k.num_rows) for n, k in kept])
    idx = key_sort_indices(keys, order).to_numpy()
    cum = np.cumsum(weights[idx])
    targets = cum[-1] * np.arange(1, parts) / parts
    at = np.unique(np.minimum(np.searchsorted(cum, targets), len(idx) - 1))
    return keys.take(pa.array(idx[at]))


def _comparable(t: pa.DataType) -> bool:
    """Types whose Arrow comparisons order exactly as Arrow sorts them (floats are left out:
    NaN compares false with everything but sorts last)."""
    return (pa.types.is_integer(t) or pa.types.is_boolean(t) or pa.types.is_temporal(t) or
            pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t) or
            pa.types.is_decimal(t))


def _at_or_after(keys: pa.Table, order: Sequence[SortOrder], bound: dict[str, object]) -> np.ndarray:
    """Whether each row's key sorts at or after ``bound`` (a row of keys), compared
    lexicographically column by column with each key's direction and null placement."""
    result = np.ones(keys.num_rows, dtype=bool)
    for i in reversed(range(len(order))):
        o = order[i]
        col = keys.column(f"k{i}")
        b = bound[f"k{i}"]
        valid = pc.is_valid(col).to_numpy(zero_copy_only=False)
        if b is None:
            after = valid if o.effective_nulls_first else np.zeros(len(valid), bool)
            equal = ~valid
        else:
            cmp = pc.greater if o.ascending else pc.less
            after = pc.fill_null(cmp(col, pa.scalar(b, col.type)), False).to_numpy(zero_copy_only=False)
            if not o.effective_nulls_first:
                after = after | ~valid
            equal = pc.fill_null(pc.equal(col, pa.scalar(b, col.type)), False).to_numpy(
                zero_copy_only=False)
        result = after | (equal & result)
    return result


def range_ids(order: tuple[SortOrder, ...], ctx: EvalContext, bounds: pa.Table | None,
              batch: pa.RecordBatch, upper_inclusive: bool = False) -> pa.Array:
    """Range-partition id of each row of ``batch``: how many bounds sort before (or equal to)
    its key. With a few bounds of comparable types, one vectorised lexicographic comparison per
    bound; otherwise one Arrow sort of the bounds together with the batch's keys.
    ``upper_inclusive``: a key equal to a bound stays below it (Spark's RangePartitioner, which
    ``repartitionByRange`` uses)."""
    _ensure_functions()
    n = batch.num_rows
    if bounds is None or n == 0:
        return pa.array(np.zeros(n, dtype=np.int32))
    keys = sort_keys(pa.Table.from_batches([batch]), order, ctx)
    nb = bounds.num_rows
    if nb <= 16 and not upper_inclusive and all(_comparable(c.type) for c in keys.columns):
        ids = np.zeros(n, dtype=np.int32)
        for bound in bounds.to_pylist():
            ids += _at_or_after(keys, order, bound)
        return pa.array(ids)
    both = pa.concat_tables([bounds, keys.cast(bounds.schema)]).combine_chunks()
    first, second = (np.ones, np.zeros) if upper_inclusive else (np.zeros, np.ones)
    tag = pa.array(np.concatenate([first(nb, np.int8), second(n, np.int8)]))
    idx = key_sort_indices(both, order, ("tag", tag)).to_numpy()
    is_bound = idx < nb
    before = np.cumsum(is_bound)
    ids = np.empty(n, dtype=np.int32)
    ids[idx[~is_bound] - nb] = before[~is_bound]
    return pa.array(ids)


def _partition_table(schema: pa.Schema, it: Iterator[pa.RecordBatch]) -> pa.Table:
    batches = [b for b in it if b.num_rows]
    return pa.Table.from_batches(batches, schema) if batches else schema.empty_table()


def _out(table: pa.Table) -> list[pa.RecordBatch]:
    return table.combine_chunks().to_batches() if table.num_rows else []


def top_n(order: tuple[SortOrder, ...], ctx: EvalContext, schema: pa.Schema, n: int,
          it: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The first ``n`` rows of one partition in ``order``."""
    _ensure_functions()
    t = _partition_table(schema, it)
    if t.num_rows:
        idx = key_sort_indices(sort_keys(t, order, ctx), order)
        yield from _out(t.take(idx[:n]))


def merge_top_n(table: pa.Table, order: Sequence[SortOrder], ctx: EvalContext, n: int) -> pa.Table:
    """The first ``n`` rows of the union of per-partition top-n results."""
    _ensure_functions()
    return table.take(key_sort_indices(sort_keys(table, order, ctx), order)[:n])


__all__ = ["sort_keys", "key_sort_indices", "sample_partition", "range_bounds", "range_ids",
           "top_n", "merge_top_n"]
