"""Joins over Arrow tables: equi-keys matched with Acero's hash join on (key, row id) tables, any
residual condition applied to the candidate pairs, then the join type decides which rows and
null-extensions make the output."""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql.expressions.base import AttributeReference, EvalContext, Expression
from pyspk.sql.execution.operators import ONE_ROW_COLUMN, evaluate_column


_ORDERED_PAIRS_LIMIT = 1_000_000
_RESIDUAL_PAIRS = 4_000_000


def _match_pairs(left: pa.Table, right: pa.Table, lkeys: Sequence[Expression],
                 rkeys: Sequence[Expression], ctx: EvalContext) -> tuple[np.ndarray, np.ndarray]:
    if not lkeys:
        nl, nr = left.num_rows, right.num_rows
        return np.repeat(np.arange(nl), nr), np.tile(np.arange(nr), nl)
    lt = pa.table({**{f"k{i}": evaluate_column(k, left, ctx) for i, k in enumerate(lkeys)},
                   "__li": pa.array(np.arange(left.num_rows, dtype=np.int64))})
    rt = pa.table({**{f"k{i}": evaluate_column(k, right, ctx) for i, k in enumerate(rkeys)},
                   "__ri": pa.array(np.arange(right.num_rows, dtype=np.int64))})
    names = [f"k{i}" for i in range(len(lkeys))]
    for n in names:
        if lt.column(n).type != rt.column(n).type:
            rt = rt.set_column(rt.column_names.index(n), n, rt.column(n).cast(lt.column(n).type))
    # Acero builds its hash table on the right input: build on the smaller side.
    joined = lt.join(rt, keys=names, join_type="inner", use_threads=True) \
        if lt.num_rows >= rt.num_rows else rt.join(lt, keys=names, join_type="inner", use_threads=True)
    return (joined.column("__li").to_numpy(), joined.column("__ri").to_numpy())


def _combine(left: pa.Table, right: pa.Table) -> pa.Table:
    cols = {n: left.column(n) for n in left.column_names if n != ONE_ROW_COLUMN}
    cols.update({n: right.column(n) for n in right.column_names if n != ONE_ROW_COLUMN})
    if not cols:
        return pa.table({ONE_ROW_COLUMN: pa.nulls(left.num_rows, pa.int8())})
    return pa.table(cols)


def _columns(table: pa.Table, names: set[str]) -> pa.Table:
    keep = [n for n in table.column_names if n in names]
    return table.select(keep) if keep else pa.table({ONE_ROW_COLUMN: pa.nulls(table.num_rows, pa.int8())})


def _null_rows(table: pa.Table, n: int) -> pa.Table:
    return pa.table({c: pa.nulls(n, table.column(c).type) for c in table.column_names}) \
        if table.num_columns else pa.table({ONE_ROW_COLUMN: pa.nulls(n, pa.int8())})


def _residual_holds(left: pa.Table, right: pa.Table, li: np.ndarray, ri: np.ndarray,
                    residual: Expression, ctx: EvalContext) -> np.ndarray:
    """Whether each candidate pair satisfies ``residual``, evaluated over only the columns it
    reads and ``_RESIDUAL_PAIRS`` pairs at a time, so keys with many matches (a semi join of
    a table with itself) do not materialise every column of every pair at once."""
    used = {a.key for a in residual.walk() if isinstance(a, AttributeReference)}
    lsub, rsub = _columns(left, used), _columns(right, used)
    keep = np.empty(len(li), dtype=bool)
    for lo in range(0, len(li), _RESIDUAL_PAIRS):
        hi = min(len(li), lo + _RESIDUAL_PAIRS)
        mask = residual.eval(_combine(lsub.take(li[lo:hi]), rsub.take(ri[lo:hi])), ctx)
        if isinstance(mask, pa.Scalar):
            keep[lo:hi] = bool(mask.as_py())
        else:
            keep[lo:hi] = pc.fill_null(mask, False).to_numpy(zero_copy_only=False)
    return keep


def hash_join(left: pa.Table, right: pa.Table, join_type: str, lkeys: Sequence[Expression],
              rkeys: Sequence[Expression], residual: Expression | None,
              ctx: EvalContext) -> pa.Table:
    """Join two tables; ``join_type`` is Spark's (inner, left, right, full, left_semi, left_anti,
    cross, left_anti_null_aware)."""
    li, ri = _match_pairs(left, right, lkeys, rkeys, ctx)
    if residual is not None and len(li):
        keep = _residual_holds(left, right, li, ri, residual, ctx)
        li, ri = li[keep], ri[keep]
    if len(li) <= _ORDERED_PAIRS_LIMIT:
        # Keep the left side's row order (as Spark's streamed side does) for small results.
        order = np.argsort(li, kind="stable")
        li, ri = li[order], ri[order]
    if join_type in ("inner", "cross"):
        return _combine(left.take(li), right.take(ri))
    if join_type == "left_semi":
        return left.take(np.unique(li))
    if join_type in ("left_anti", "left_anti_null_aware"):
        keep = np.ones(left.num_rows, dtype=bool)
        keep[li] = False
        if join_type == "left_anti_null_aware":
            return _null_aware_anti(left, right, lkeys, rkeys, keep, ctx)
        return left.take(np.nonzero(keep)[0])
    parts = [_combine(left.take(li), right.take(ri))]
    if join_type in ("left", "full"):
        unmatched = np.ones(left.num_rows, dtype=bool)
        unmatched[li] = False
        idx = np.nonzero(unmatched)[0]
        if len(idx):
            parts.append(_combine(left.take(idx), _null_rows(right, len(idx))))
    if join_type in ("right", "full"):
        unmatched = np.ones(right.num_rows, dtype=bool)
        unmatched[ri] = False
        idx = np.nonzero(unmatched)[0]
        if len(idx):
            parts.append(_combine(_null_rows(left, len(idx)), right.take(idx)))
    schema = parts[0].schema
    return pa.concat_tables([p.select(schema.names).cast(schema) for p in parts])


def _null_aware_anti(left: pa.Table, right: pa.Table, lkeys: Sequence[Expression],
                     rkeys: Sequence[Expression], keep: np.ndarray, ctx: EvalContext) -> pa.Table:
    """``NOT IN``: no row survives if the subquery has a NULL; a NULL probe never survives."""
    if right.num_rows == 0:
        return left
    for k in rkeys:
        if evaluate_column(k, right, ctx).null_count:
            return left.slice(0, 0)
    for k in lkeys:
        col = evaluate_column(k, left, ctx)
        if col.null_count:
            keep &= pc.is_valid(col).to_numpy(zero_copy_only=False)
    return left.take(np.nonzero(keep)[0])
