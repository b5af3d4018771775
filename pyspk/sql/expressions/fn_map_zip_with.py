"""``map_zip_with(m1, m2, (k, v1, v2) -> …)``: merge two maps key by key.

The keys are m1's in order followed by m2's new ones; the positions of each key in both maps are
found per row (matching keys has no Arrow kernel), then the lambda runs once, vectorised, over all
the merged entries.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql import types as T
from pyspk.sql._arrow_types import to_arrow_type
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, to_array
from pyspk.sql.expressions.higher_order import LambdaFunction, _flat_env


def _entries(m: pa.Array) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """Keys, values and per-row start offsets of a map column."""
    offsets = m.offsets.to_numpy()
    return m.keys, m.items, offsets


@dataclass(frozen=True)
class MapZipWith(Expression):
    """The merged map; a row is NULL when either input map is."""

    left: Expression
    right: Expression
    fn: LambdaFunction

    @property
    def data_type(self) -> T.DataType:
        return T.MapType(self.left.data_type.keyType, self.fn.data_type, True)

    def sql(self) -> str:
        return f"map_zip_with({self.left.sql()}, {self.right.sql()}, {self.fn.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        n = batch.num_rows
        lm, rm = (to_array(e.eval(batch, ctx), n) for e in (self.left, self.right))
        lm = lm.combine_chunks() if isinstance(lm, pa.ChunkedArray) else lm
        rm = rm.combine_chunks() if isinstance(rm, pa.ChunkedArray) else rm
        lkeys, lvals, loff = _entries(lm)
        rkeys, rvals, roff = _entries(rm)
        lk, rk = lkeys.to_pylist(), rkeys.to_pylist()
        null_row = pc.or_(pc.is_null(lm), pc.is_null(rm)).to_numpy(zero_copy_only=False)
        parents, keys, li, ri, lengths = [], [], [], [], np.zeros(n, np.int64)
        for row in range(n):
            if null_row[row]:
                continue
            left = {lk[j]: j for j in range(loff[row], loff[row + 1])}
            right = {rk[j]: j for j in range(roff[row], roff[row + 1])}
            merged = list(left) + [k for k in right if k not in left]
            lengths[row] = len(merged)
            for k in merged:
                parents.append(row)
                keys.append(k)
                li.append(left.get(k, -1))
                ri.append(right.get(k, -1))
        li_a, ri_a = np.array(li, np.int64), np.array(ri, np.int64)
        v1 = lvals.take(pa.array(np.maximum(li_a, 0))) if len(lvals) else pa.nulls(len(li), lvals.type)
        v2 = rvals.take(pa.array(np.maximum(ri_a, 0))) if len(rvals) else pa.nulls(len(ri), rvals.type)
        v1 = pc.if_else(pa.array(li_a >= 0), v1, pa.scalar(None, v1.type)) if len(li) else v1
        v2 = pc.if_else(pa.array(ri_a >= 0), v2, pa.scalar(None, v2.type)) if len(ri) else v2
        key_arr = pa.array(keys, lkeys.type)
        p = self.fn.params
        env = _flat_env(batch, pa.array(parents, pa.int64()), self.fn.body) \
            .append_column(p[0].key, key_arr).append_column(p[1].key, v1) \
            .append_column(p[2].key, v2)
        out = to_array(self.fn.body.eval(env, ctx), len(keys))
        out = out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
        result = pa.MapArray.from_arrays(pa.array(offsets), key_arr,
                                         out.cast(to_arrow_type(self.fn.data_type)))
        if null_row.any():
            result = pc.if_else(pa.array(null_row), pa.scalar(None, result.type), result)
        return result
