"""Window functions over an Arrow table: sort by (partition, order) keys once, then compute each
function per partition with vectorised NumPy/pandas operations."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql._arrow_types import to_arrow_type
from pyspk.sql.expressions import aggregates as A
from pyspk.sql.expressions import window as W
from pyspk.sql.expressions.base import Alias, AttributeReference, EvalContext, Expression, SortOrder
from pyspk.sql.types import LongType
from pyspk.sql.execution.operators import evaluate_column, hash_aggregate, sort_indices
from pyspk.sql.plan.logical import named_to_attribute


def _changes(cols: list[pa.ChunkedArray], n: int) -> np.ndarray:
    """Boolean per row: true where any of ``cols`` differs from the previous row (row 0: true)."""
    flags = np.zeros(n, dtype=bool)
    if n:
        flags[0] = True
    for c in cols:
        vals = c.to_pandas() if not isinstance(c, pd.Series) else c
        arr = pd.Series(vals).reset_index(drop=True)
        prev = arr.shift(1)
        diff = ~((arr == prev) | (arr.isna() & prev.isna()))
        flags |= diff.to_numpy(dtype=bool)
    return flags


def window(table: pa.Table, exprs: Sequence[Expression], ctx: EvalContext) -> pa.Table:
    """Append one column per window expression (all sharing one partition/order spec)."""
    first = exprs[0].child if isinstance(exprs[0], Alias) else exprs[0]
    spec: W.WindowSpecDefinition = first.spec
    order = [SortOrder(p) for p in spec.partition] + list(spec.order)
    idx = sort_indices(table, order, ctx) if order else pa.array(np.arange(table.num_rows))
    sorted_t = table.take(idx)
    n = sorted_t.num_rows
    part_cols = [evaluate_column(p, sorted_t, ctx) for p in spec.partition]
    order_cols = [evaluate_column(o.child, sorted_t, ctx) for o in spec.order]
    part_start = _changes(part_cols, n) if part_cols else (np.arange(n) == 0)
    pid = np.cumsum(part_start) - 1
    peer_start = part_start | (_changes(order_cols, n) if order_cols else np.zeros(n, bool))
    out = sorted_t
    for e in exprs:
        w = e.child if isinstance(e, Alias) else e
        col = _compute(w.function, w.spec, sorted_t, pid, part_start, peer_start, ctx)
        want = to_arrow_type(w.data_type)
        col = col if col.type == want else col.cast(want)
        out = out.append_column(named_to_attribute(e).key, col)
    return out


def _positions(pid: np.ndarray, part_start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(pid)
    starts = np.nonzero(part_start)[0]
    start_of = starts[pid] if n else np.array([], dtype=np.int64)
    sizes = np.diff(np.append(starts, n))
    return np.arange(n) - start_of, sizes[pid] if n else np.array([], dtype=np.int64)


def _compute(fn: Expression, spec: W.WindowSpecDefinition, t: pa.Table, pid: np.ndarray,
             part_start: np.ndarray, peer_start: np.ndarray, ctx: EvalContext) -> pa.Array:
    n = t.num_rows
    partitioned = getattr(fn, "evaluate_partitioned", None)
    if partitioned is not None:
        return partitioned(t, pid, part_start, ctx)
    pos, size = _positions(pid, part_start)
    if isinstance(fn, W.RowNumber):
        return pa.array(pos + 1, pa.int32())
    if isinstance(fn, W.Rank):
        peer_idx = np.maximum.accumulate(np.where(peer_start, np.arange(n), 0)) if n else pos
        start_of = np.arange(n) - pos
        rank = peer_idx - start_of + 1
        if fn.fn == "rank":
            return pa.array(rank, pa.int32())
        if fn.fn == "dense_rank":
            dense = pd.Series(peer_start.astype(np.int64)).groupby(pid).cumsum().to_numpy()
            return pa.array(dense, pa.int32())
        if fn.fn == "percent_rank":
            return pa.array(np.where(size > 1, (rank - 1) / np.maximum(size - 1, 1), 0.0))
        peer_end = _peer_end(peer_start, n)
        return pa.array((peer_end - start_of + 1) / size)
    if isinstance(fn, W.NTile):
        k = fn.buckets
        base, extra = size // k, size % k
        big = extra * (base + 1)
        bucket = np.where(pos < big, pos // np.maximum(base + 1, 1),
                          extra + (pos - big) // np.maximum(base, 1))
        return pa.array(bucket + 1, pa.int32())
    if isinstance(fn, W.Offset):
        values = evaluate_column(fn.child, t, ctx)
        shift = fn.offset if fn.fn == "lag" else -fn.offset
        src = np.arange(n) - shift
        valid = (src >= 0) & (src < n)
        src_c = np.clip(src, 0, max(n - 1, 0))
        valid &= pid[src_c] == pid if n else valid
        taken = values.take(pa.array(src_c)) if n else values
        default = evaluate_column(fn.default, t, ctx) if fn.default is not None else \
            pa.nulls(n, values.type)
        return pc.if_else(pa.array(valid), taken, default)
    if isinstance(fn, W.NthValue):
        values = evaluate_column(fn.child, t, ctx)
        start_of = np.arange(n) - pos
        src = start_of + fn.n - 1
        frame = spec.effective_frame(fn)
        limit = _peer_end(peer_start, n) if frame.kind == "range" and frame.upper == 0 else \
            start_of + size - 1
        ok = src <= limit
        taken = values.take(pa.array(np.clip(src, 0, max(n - 1, 0)))) if n else values
        return pc.if_else(pa.array(ok), taken, pa.nulls(n, values.type))
    if isinstance(fn, A.AggregateFunction):
        return _aggregate_over(fn, spec, t, pid, part_start, peer_start, ctx)
    raise TypeError(f"{fn.sql()} is not a window function")


def _peer_end(peer_start: np.ndarray, n: int) -> np.ndarray:
    starts = np.nonzero(peer_start)[0]
    ends = np.append(starts[1:], n) - 1
    group = np.cumsum(peer_start) - 1
    return ends[group]


def _aggregate_over(fn: A.AggregateFunction, spec: W.WindowSpecDefinition, t: pa.Table,
                    pid: np.ndarray, part_start: np.ndarray, peer_start: np.ndarray,
                    ctx: EvalContext) -> pa.Array:
    n = t.num_rows
    frame = spec.effective_frame(fn)
    pos, size = _positions(pid, part_start)
    start_of = np.arange(n) - pos
    if frame.lower <= W.UNBOUNDED_PRECEDING and frame.upper >= W.UNBOUNDED_FOLLOWING:
        lo, hi = start_of, start_of + size - 1
    elif frame.kind == "range" and frame.lower <= W.UNBOUNDED_PRECEDING and frame.upper == 0:
        lo, hi = start_of, _peer_end(peer_start, n)
    elif frame.kind == "rows":
        lo = start_of if frame.lower <= W.UNBOUNDED_PRECEDING else \
            np.maximum(np.arange(n) + frame.lower, start_of)
        hi = start_of + size - 1 if frame.upper >= W.UNBOUNDED_FOLLOWING else \
            np.minimum(np.arange(n) + frame.upper, start_of + size - 1)
    else:
        lo, hi = _range_bounds(spec, t, frame, start_of, size, ctx)
    # Each row's frame is [lo, hi]; evaluate the aggregate per distinct frame.
    frame_key = pa.table({"lo": pa.array(lo), "hi": pa.array(hi)})
    uniq = frame_key.group_by(["lo", "hi"]).aggregate([])
    los, his = uniq.column("lo").to_numpy(), uniq.column("hi").to_numpy()
    if len(los) == 0:
        return pa.nulls(0, to_arrow_type(fn.data_type))
    lengths = np.maximum(his - los + 1, 0)
    rows = np.concatenate([np.arange(a, a + k) for a, k in zip(los, lengths)]) \
        if lengths.sum() else np.array([], dtype=np.int64)
    gid = np.repeat(np.arange(len(los)), lengths)
    expanded = t.take(pa.array(rows, pa.int64())).append_column("__gid", pa.array(gid, pa.int64()))
    gattr = AttributeReference("__gid", LongType())
    expanded = expanded.rename_columns(expanded.column_names[:-1] + [gattr.key])
    result_alias = Alias(fn, "v")
    agg = hash_aggregate(expanded, [gattr], [gattr, result_alias], ctx)
    by_gid = dict(zip(agg.column(0).to_pylist(), range(agg.num_rows)))
    per_frame = pa.table({"lo": uniq.column("lo"), "hi": uniq.column("hi"),
                          "v": agg.column(1).take(pa.array(
                              [by_gid.get(g, 0) for g in range(len(los))])) if agg.num_rows
                          else pa.nulls(len(los), to_arrow_type(fn.data_type))})
    rows_t = pa.table({"lo": pa.array(lo), "hi": pa.array(hi),
                       "__r": pa.array(np.arange(n))}).join(per_frame, keys=["lo", "hi"])
    rows_t = rows_t.sort_by("__r")
    col = rows_t.column("v")
    if isinstance(fn, A.Count):
        return pc.fill_null(col, 0)
    return col


def _range_bounds(spec, t, frame, start_of, size, ctx):
    key = evaluate_column(spec.order[0].child, t, ctx).to_numpy(zero_copy_only=False).astype(float)
    n = len(key)
    lo = np.empty(n, dtype=np.int64)
    hi = np.empty(n, dtype=np.int64)
    asc = spec.order[0].ascending
    for i in range(n):
        s, e = start_of[i], start_of[i] + size[i]
        seg = key[s:e] if asc else -key[s:e]
        v = key[i] if asc else -key[i]
        lo[i] = s if frame.lower <= W.UNBOUNDED_PRECEDING else s + np.searchsorted(seg, v + frame.lower, "left")
        hi[i] = e - 1 if frame.upper >= W.UNBOUNDED_FOLLOWING else s + np.searchsorted(seg, v + frame.upper, "right") - 1
    return lo, hi
