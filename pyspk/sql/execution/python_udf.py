"""Run Python batch functions (mapInPandas, mapInArrow, applyInPandas) over a child's rows."""
from __future__ import annotations

from typing import Any, Iterator

import pyarrow as pa

from pyspk.sql._arrow_types import to_arrow_type
from pyspk.sql.expressions.base import AttributeReference, EvalContext
from pyspk.sql.plan import logical as L


def _user_table(child: pa.Table, plan: L.MapPartitions) -> pa.Table:
    return child.rename_columns([a.name for a in plan.child.output])


def _conform(table: pa.Table, attrs: tuple[AttributeReference, ...]) -> pa.Table:
    cols = []
    for a in attrs:
        want = to_arrow_type(a.data_type)
        col = table.column(a.name) if a.name in table.column_names else \
            table.column(len(cols)) if len(cols) < table.num_columns else pa.nulls(table.num_rows, want)
        cols.append(col if col.type == want else col.cast(want))
    return pa.Table.from_arrays(cols, names=[a.key for a in attrs])


def run_map_partitions(plan: L.MapPartitions, child: pa.Table | None, ctx: EvalContext) -> pa.Table:
    table = _user_table(child, plan)
    outputs: list[pa.Table] = []
    if plan.kind == "pandas":
        def batches() -> Iterator[Any]:
            yield table.to_pandas()
        for pdf in plan.func(batches()):
            outputs.append(pa.Table.from_pandas(pdf, preserve_index=False))
    elif plan.kind == "arrow":
        for rb in plan.func(iter(table.to_batches() or [pa.RecordBatch.from_pylist([], table.schema)])):
            outputs.append(pa.Table.from_batches([rb]))
    else:
        keys = [g.name for g in plan.grouping]
        groups = table.group_by(keys, use_threads=False).aggregate([]) if keys else None
        import pyarrow.compute as pc
        rows = range(groups.num_rows) if groups is not None else [None]
        for i in rows:
            mask = None
            if groups is not None:
                for k in keys:
                    v = groups.column(k)[i]
                    cond = pc.is_null(table.column(k)) if not v.is_valid else pc.equal(table.column(k), v)
                    mask = cond if mask is None else pc.and_(mask, cond)
            part = table.filter(mask) if mask is not None else table
            if plan.kind == "grouped_pandas":
                out = plan.func(part.to_pandas())
                outputs.append(pa.Table.from_pandas(out, preserve_index=False))
            else:
                outputs.append(plan.func(part))
    if not outputs:
        return pa.table({a.key: pa.array([], to_arrow_type(a.data_type)) for a in plan.attrs})
    return pa.concat_tables([_conform(t, plan.attrs) for t in outputs])


def _groups(table: pa.Table, keys: list[str]) -> dict[tuple, pa.Table]:
    """Rows of ``table`` per distinct value of ``keys`` (NULL is a value), found with one Arrow
    hash aggregation of row indices."""
    if not keys:
        return {(): table}
    import numpy as np
    indexed = table.append_column("__row", pa.array(np.arange(table.num_rows, dtype=np.int64)))
    grouped = indexed.group_by(keys, use_threads=False).aggregate([("__row", "list")])
    key_rows = zip(*(grouped.column(k).to_pylist() for k in keys))
    return {tuple(k): table.take(rows) for k, rows in
            zip(key_rows, grouped.column("__row_list").to_pylist())}


def _user_frame(table: pa.Table, side: L.LogicalPlan) -> Any:
    """A group as the user sees it: pandas, user column names, without added key columns."""
    keep = [a for a in side.output if not a.name.startswith("__cogroup_key")]
    return table.select([a.key for a in keep]).rename_columns([a.name for a in keep]).to_pandas()


def run_cogroup(plan: L.CoGroupMap, left: pa.Table, right: pa.Table) -> pa.Table:
    """The function over each pair of equal-key groups of ``left`` and ``right`` (columns named
    by attribute key), as pandas DataFrames with the user's column names."""
    lgroups = _groups(left, [k.key for k in plan.left_keys])
    rgroups = _groups(right, [k.key for k in plan.right_keys])
    func = plan.func
    with_key = getattr(getattr(func, "__code__", None), "co_argcount", 2) == 3
    outputs = []
    for key in sorted(set(lgroups) | set(rgroups), key=repr):
        lpdf = _user_frame(lgroups.get(key, left.slice(0, 0)), plan.left)
        rpdf = _user_frame(rgroups.get(key, right.slice(0, 0)), plan.right)
        out = func(key, lpdf, rpdf) if with_key else func(lpdf, rpdf)
        outputs.append(pa.Table.from_pandas(out, preserve_index=False))
    if not outputs:
        return pa.table({a.key: pa.array([], to_arrow_type(a.data_type)) for a in plan.attrs})
    return pa.concat_tables([_conform(t, plan.attrs) for t in outputs])
