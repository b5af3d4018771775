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
        outputs.extend(_grouped_map(plan, child, table, ctx))
    if not outputs:
        return pa.table({a.key: pa.array([], to_arrow_type(a.data_type)) for a in plan.attrs})
    return pa.concat_tables([_conform(t, plan.attrs) for t in outputs])


def _takes_key(func: Any, arity: int) -> bool:
    return getattr(getattr(func, "__code__", None), "co_argcount", arity - 1) == arity


def _grouped_map(plan: L.MapPartitions, child: pa.Table, table: pa.Table,
                 ctx: EvalContext) -> Iterator[pa.Table]:
    """applyInPandas / applyInArrow: the function once per group of the grouping expressions'
    values, given the group (and, for a two-argument function, the key tuple)."""
    from pyspk.sql.execution.operators import evaluate_column
    names = [f"__key{i}" for i in range(len(plan.grouping))]
    keyed = table
    for n, g in zip(names, plan.grouping):
        keyed = keyed.append_column(n, evaluate_column(g, child, ctx))
    with_key = _takes_key(plan.func, 2)
    iterator = _takes_iterator(plan.func)
    key_types = [keyed.schema.field(n).type for n in names]
    for key, part in _groups(keyed, names).items():
        part = part.drop_columns(names)
        if plan.kind == "grouped_pandas":
            data: Any = part.to_pandas()
            user_key: tuple = key
        else:
            data = part
            user_key = tuple(pa.scalar(k, t) for k, t in zip(key, key_types))
        if iterator:
            data = iter([data] if plan.kind == "grouped_pandas" else
                        part.to_batches() or [pa.RecordBatch.from_pylist([], part.schema)])
        out = plan.func(user_key, data) if with_key else plan.func(data)
        if not iterator:
            out = [out]
        for item in out:
            if isinstance(item, pa.Table):
                yield item
            elif isinstance(item, pa.RecordBatch):
                yield pa.Table.from_batches([item])
            else:
                yield pa.Table.from_pandas(item, preserve_index=False)


def _takes_iterator(func: Any) -> bool:
    """Whether a grouped map function is declared (by type hints) over an iterator of
    batches rather than one whole group."""
    import inspect
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return False
    hint = params[-1].annotation if params else inspect.Parameter.empty
    return "Iterator" in str(hint) or "Iterable" in str(hint)


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


def _user_group(table: pa.Table, side: L.LogicalPlan, arrow: bool) -> Any:
    """A group as the user sees it: pandas (or Arrow), user column names, without added key
    columns."""
    keep = [a for a in side.output if not a.name.startswith("__cogroup_key")]
    out = table.select([a.key for a in keep]).rename_columns([a.name for a in keep])
    return out if arrow else out.to_pandas()


def run_cogroup(plan: L.CoGroupMap, left: pa.Table, right: pa.Table) -> pa.Table:
    """The function over each pair of equal-key groups of ``left`` and ``right`` (columns named
    by attribute key), as pandas DataFrames (or Arrow tables) with the user's column names."""
    lgroups = _groups(left, [k.key for k in plan.left_keys])
    rgroups = _groups(right, [k.key for k in plan.right_keys])
    func = plan.func
    arrow = plan.kind == "arrow"
    with_key = _takes_key(func, 3)
    key_types = [left.schema.field(k.key).type for k in plan.left_keys]
    outputs = []
    for key in sorted(set(lgroups) | set(rgroups), key=repr):
        lpart = _user_group(lgroups.get(key, left.slice(0, 0)), plan.left, arrow)
        rpart = _user_group(rgroups.get(key, right.slice(0, 0)), plan.right, arrow)
        user_key = tuple(pa.scalar(k, t) for k, t in zip(key, key_types)) if arrow else key
        out = func(user_key, lpart, rpart) if with_key else func(lpart, rpart)
        outputs.append(out if isinstance(out, pa.Table) else
                       pa.Table.from_pandas(out, preserve_index=False))
    if not outputs:
        return pa.table({a.key: pa.array([], to_arrow_type(a.data_type)) for a in plan.attrs})
    return pa.concat_tables([_conform(t, plan.attrs) for t in outputs])
