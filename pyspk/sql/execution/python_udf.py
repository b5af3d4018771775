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
