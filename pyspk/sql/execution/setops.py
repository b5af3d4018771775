"""INTERSECT [ALL] and EXCEPT [ALL] over Arrow tables (rows compared with NULLs equal)."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def _counts(table: pa.Table) -> pa.Table:
    keys = table.column_names
    tmp = table.append_column("__row", pa.array(np.arange(table.num_rows)))
    return tmp.group_by(keys, use_threads=False).aggregate([("__row", "min"), ("__row", "count")])


def set_operation(left: pa.Table, right: pa.Table, op: str, is_all: bool) -> pa.Table:
    """Rows of ``left`` also (``intersect``) or not (``except``) in ``right``."""
    keys = left.column_names
    lc = _counts(left)
    rc = _counts(right).rename_columns(keys + ["__rmin", "__rcount"])
    # Join on all columns treating NULL as a value: encode nulls with a validity key per column.
    lenc = _encode(lc, keys)
    renc = _encode(rc, keys)
    enc_keys = [f"__k{i}" for i in range(len(keys))] + [f"__v{i}" for i in range(len(keys))]
    joined = lenc.join(renc.select(enc_keys + ["__rcount"]), keys=enc_keys, join_type="left outer")
    rcount = pc.fill_null(joined.column("__rcount"), 0).to_numpy()
    lcount = joined.column("__row_count").to_numpy()
    first = joined.column("__row_min").to_numpy()
    if op == "intersect":
        times = np.minimum(lcount, rcount) if is_all else (rcount > 0).astype(np.int64)
    else:
        times = np.maximum(lcount - rcount, 0) if is_all else (rcount == 0).astype(np.int64)
    order = np.argsort(first, kind="stable")
    rows = np.repeat(first[order], times[order])
    return left.take(pa.array(rows, pa.int64()))


def _encode(t: pa.Table, keys: list[str]) -> pa.Table:
    cols = {}
    for i, k in enumerate(keys):
        col = t.column(k)
        cols[f"__v{i}"] = pc.is_valid(col)
        cols[f"__k{i}"] = pc.fill_null(col, _zero(col.type)) if col.null_count else col
    for n in t.column_names:
        if n not in keys:
            cols[n] = t.column(n)
    return pa.table(cols)


def _zero(t: pa.DataType) -> pa.Scalar:
    if pa.types.is_string(t):
        return pa.scalar("", t)
    if pa.types.is_boolean(t):
        return pa.scalar(False)
    if pa.types.is_date(t) or pa.types.is_timestamp(t):
        return pa.scalar(0, pa.int32() if pa.types.is_date32(t) else pa.int64()).cast(t)
    return pa.scalar(0, t)
