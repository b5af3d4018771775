"""Row-selective evaluation for conditional expressions.

Spark evaluates a CASE branch, an IF arm, a later COALESCE argument or the right side of AND/OR
only for the rows that reach it, so an error in a branch no row takes (ANSI division by zero,
overflow, a failing cast) is never raised. Conditional operators here evaluate eagerly over the
whole batch — vectorised and usually right — and only when that raises do they evaluate each
part again over just its own rows, which either succeeds or raises the error Spark would."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql.expressions.base import ArrowValue, to_array


def eager_or_selective(eager: Callable[[], ArrowValue], selective: Callable[[], ArrowValue]) -> ArrowValue:
    """``eager()``, or ``selective()`` when the eager pass raised (a kill is never swallowed)."""
    from pyspk.errors import TaskKilledError
    try:
        return eager()
    except TaskKilledError:
        raise
    except Exception:
        return selective()


def all_rows(n: int) -> pa.Array:
    return pa.array(np.arange(n, dtype=np.int64))


def scatter(n: int, parts: list[tuple[pa.Array, ArrowValue]], out_type: pa.DataType) -> pa.Array:
    """One array of ``n`` rows from values given for disjoint row-index sets covering every row."""
    if not parts:
        return pa.nulls(n, out_type)
    indices = pa.concat_arrays([_plain(p[0]).cast(pa.int64()) for p in parts])
    values = pa.concat_arrays([_plain(to_array(v, len(i))).cast(out_type) for i, v in parts])
    return pc.take(values, pc.sort_indices(indices))


def _plain(v: pa.Array | pa.ChunkedArray) -> pa.Array:
    return v.combine_chunks() if isinstance(v, pa.ChunkedArray) else v


def split(cond: ArrowValue, n: int) -> tuple[pa.Array, pa.Array]:
    """Row positions where ``cond`` is true, and where it is false or NULL."""
    mask = pc.fill_null(to_array(cond, n), False)
    if mask.type != pa.bool_():
        mask = mask.cast(pa.bool_())
    return (pc.indices_nonzero(mask).cast(pa.int64()),
            pc.indices_nonzero(pc.invert(mask)).cast(pa.int64()))
