"""Physical operators as pure functions over Arrow tables whose columns are named by attribute
key (``name#id``). They are what a task runs over one partition's record batches."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql._arrow_types import to_arrow_type
from pyspk.sql.expressions import aggregates as A
from pyspk.sql.expressions import decimal_int64 as DI
from pyspk.sql.execution.subexpr import eliminate
from pyspk.sql.expressions.base import (
    Alias, AttributeReference, EvalContext, Expression, Literal, SortOrder, to_array,
)

ONE_ROW_COLUMN = "__one_row"


def empty_table(attrs: Sequence[AttributeReference]) -> pa.Table:
    return pa.table({a.key: pa.array([], to_arrow_type(a.data_type)) for a in attrs}) if attrs \
        else pa.table({ONE_ROW_COLUMN: pa.array([], pa.int8())})


def one_row_table() -> pa.Table:
    return pa.table({ONE_ROW_COLUMN: pa.array([0], pa.int8())})


def evaluate_column(e: Expression, table: pa.Table, ctx: EvalContext) -> pa.ChunkedArray | pa.Array:
    """Evaluate ``e`` to a full column of ``table``'s length with the expression's Arrow type."""
    v = to_array(e.eval(table, ctx), table.num_rows)
    want = to_arrow_type(e.data_type)
    if v.type != want:
        v = v.cast(want)
    return v


def project(table: pa.Table, exprs: Sequence[Expression], ctx: EvalContext) -> pa.Table:
    """Evaluate a select list; output columns are named by the items' attribute keys."""
    from pyspk.sql.plan.logical import named_to_attribute
    if not exprs:
        return pa.table({ONE_ROW_COLUMN: pa.nulls(table.num_rows, pa.int8())})
    cols, names = [], []
    table, shared = eliminate(table, exprs, ctx)
    for e in exprs:
        names.append(named_to_attribute(e).key)
        cols.append(evaluate_column(shared(e), table, ctx))
    return pa.Table.from_arrays(cols, names=names)


def filter_rows(table: pa.Table, cond: Expression, ctx: EvalContext) -> pa.Table:
    """Keep rows where ``cond`` is true (NULL counts as false)."""
    mask = cond.eval(table, ctx)
    if isinstance(mask, pa.Scalar):
        return table if mask.as_py() else table.slice(0, 0)
    return table.filter(pc.fill_null(mask, False))


def _cannot_raise(e: Expression) -> bool:
    from pyspk.sql.expressions import predicates as P
    safe = (AttributeReference, Literal, P.BinaryComparison, P.And, P.Or, P.Not, P.In, P.IsNull,
            P.IsNotNull, P.Like)
    return all(isinstance(x, safe) for x in e.walk())


def split_safe_conjuncts(conds: Sequence[Expression]) -> tuple[Expression | None, list[Expression]]:
    """The leading conjuncts that cannot raise (comparisons of columns and literals, IN, LIKE,
    null tests) combined into one condition, and the rest in order. Filtering by the combined
    condition at once is equivalent; a conjunct that can raise (ANSI casts, division) still
    sees only the rows that passed the ones before it, as Spark's short-circuit AND."""
    from pyspk.sql.expressions.predicates import And
    n = 0
    while n < len(conds) and _cannot_raise(conds[n]):
        n += 1
    combined: Expression | None = None
    for c in conds[:n]:
        combined = c if combined is None else And(combined, c)
    return combined, list(conds[n:])


def sort_indices(table: pa.Table, order: Sequence[SortOrder], ctx: EvalContext) -> pa.Array:
    """Row order for ``ORDER BY``, honouring each key's direction and null placement (NaN above
    every number, as Spark)."""
    from pyspk.sql.execution.range_sort import key_sort_indices, sort_keys
    return key_sort_indices(sort_keys(table, order, ctx), order)


def sort(table: pa.Table, order: Sequence[SortOrder], ctx: EvalContext) -> pa.Table:
    return table.take(sort_indices(table, order, ctx))


def _agg_slots(aggregates: Sequence[Expression]) -> list[A.AggregateFunction]:
    slots: dict[A.AggregateFunction, None] = {}
    for e in aggregates:
        for x in e.walk():
            if isinstance(x, A.AggregateFunction):
                slots.setdefault(x, None)
    return list(slots)


def hash_aggregate(table: pa.Table, grouping: Sequence[Expression],
                   aggregates: Sequence[Expression], ctx: EvalContext) -> pa.Table:
    """GROUP BY ``grouping`` computing ``aggregates`` (expressions over aggregate functions)."""
    slots = _agg_slots(aggregates)
    evaluated = list(grouping)
    for s in slots:
        if not getattr(s, "gathers_rows", False):
            inp = s.input_expression()
            evaluated.extend(e for e in (inp if isinstance(inp, tuple) else (inp,)) if e is not None)
    table, shared = eliminate(table, evaluated, ctx)
    inputs: dict[str, pa.ChunkedArray] = {}
    key_names = []
    for i, g in enumerate(grouping):
        name = f"g{i}"
        inputs[name] = evaluate_column(shared(g), table, ctx)
        key_names.append(name)
    specs = []
    slot_cols: list[list[str]] = []
    row_inputs: dict[int, list] = {}
    for j, s in enumerate(slots):
        col = f"a{j}"
        if getattr(s, "gathers_rows", False):
            # Python-finished aggregates collect row numbers; values are gathered afterwards
            # (Arrow's list aggregation takes only flat types).
            row_inputs[j] = [evaluate_column(a, table, ctx) for a in s.args]
            inputs[col] = pa.array(np.arange(table.num_rows, dtype=np.int64))
            specs.append((col, "list", None))
            slot_cols.append([f"{col}_list"])
            continue
        inp = s.input_expression()
        for i, e in enumerate(inp if isinstance(inp, tuple) else (inp,)):
            name = col if i == 0 else f"{col}_{i}"
            inputs[name] = evaluate_column(shared(e), table, ctx) if e is not None else \
                pa.nulls(table.num_rows, pa.int8())
        names = []
        for arrow_col, fn, opts in s.arrow_aggs(col):
            specs.append((arrow_col, fn, opts))
            names.append(f"{arrow_col}_{fn}")
        slot_cols.append(names)
    ordered = any(fn in ("first", "last", "list") for _, fn, _ in specs)
    keys = key_names
    if not keys and any(fn in ("list", "distinct") for _, fn, _ in specs):
        # Arrow has no keyless "list"/"distinct": group everything under one constant key.
        inputs["__k"] = pa.array(np.zeros(table.num_rows, dtype=np.int8))
        keys = ["__k"]
    if not inputs:
        inputs["__dummy"] = pa.nulls(table.num_rows, pa.int8())
    restore = _decimals_as_int64(inputs, specs)
    keys, structs = _flatten_struct_keys(inputs, keys)
    tmp = pa.table(inputs)
    grouped = tmp.group_by(keys, use_threads=not ordered).aggregate(specs)
    grouped = _restore_decimals(grouped, restore)
    if structs:
        grouped = _rebuild_struct_keys(grouped, structs)
    if not key_names and grouped.num_rows == 0:
        grouped = _empty_global(specs)
    env_cols: dict[str, pa.ChunkedArray] = {}
    for i, g in enumerate(grouping):
        env_cols[f"g{i}"] = grouped.column(f"g{i}")
    results: dict[A.AggregateFunction, pa.ChunkedArray] = {}
    for j, (s, names) in enumerate(zip(slots, slot_cols)):
        if j in row_inputs:
            results[s] = s.finish_rows(grouped.column(names[0]), row_inputs[j])
        else:
            results[s] = s.finish([grouped.column(n) for n in names])
    return _final_projection(grouped.num_rows, grouping, aggregates, env_cols, results, ctx)


_INT64_SAFE_AGGS = ("sum", "min", "max", "count")


def _decimals_as_int64(inputs: dict, specs: list) -> dict[str, pa.DataType]:
    """Replace decimal inputs aggregated only by sum/min/max/count with their unscaled int64
    values (Arrow's int64 hash kernels are far faster than decimal128's) when no sum can overflow.
    Returns the output columns to turn back into decimals, with their decimal types."""
    fns: dict[str, set] = {}
    for col, fn, _ in specs:
        fns.setdefault(col, set()).add(fn)
    restore: dict[str, pa.DataType] = {}
    for col, used in fns.items():
        v = inputs.get(col)
        if v is None or not pa.types.is_decimal128(v.type) or not used <= set(_INT64_SAFE_AGGS):
            continue
        ints = DI.unscaled(v)
        if ints is None or ("sum" in used and not DI.sum_fits(ints)):
            continue
        inputs[col] = ints
        for fn in used:
            if fn == "sum":
                restore[f"{col}_sum"] = pa.decimal128(38, v.type.scale)
            elif fn in ("min", "max"):
                restore[f"{col}_{fn}"] = v.type
    return restore


def _restore_decimals(grouped: pa.Table, restore: dict[str, pa.DataType]) -> pa.Table:
    for name, target in restore.items():
        i = grouped.column_names.index(name)
        grouped = grouped.set_column(i, name, DI.to_decimal(grouped.column(i), target))
    return grouped


def _flatten_struct_keys(inputs: dict[str, Any], keys: list[str]
                         ) -> tuple[list[str], dict[str, tuple[pa.DataType, list[str]]]]:
    """Arrow cannot group by a struct: group by its fields plus its validity instead."""
    flat_keys: list[str] = []
    structs: dict[str, tuple[pa.DataType, list[str]]] = {}
    for name in keys:
        col = inputs[name]
        if not pa.types.is_struct(col.type):
            flat_keys.append(name)
            continue
        arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        parts = [f"{name}__f{k}" for k in range(col.type.num_fields)]
        for k, part in enumerate(parts):
            inputs[part] = pc.struct_field(arr, [k])
        inputs[f"{name}__valid"] = pc.is_valid(arr)
        del inputs[name]
        structs[name] = (col.type, parts)
        flat_keys.extend(parts + [f"{name}__valid"])
    return flat_keys, structs


def _rebuild_struct_keys(grouped: pa.Table, structs: dict[str, tuple[pa.DataType, list[str]]]
                         ) -> pa.Table:
    for name, (typ, parts) in structs.items():
        fields = [grouped.column(p).combine_chunks() for p in parts]
        valid = grouped.column(f"{name}__valid").combine_chunks()
        rebuilt = pa.StructArray.from_arrays(fields, fields=list(typ), mask=pc.invert(valid))
        drop = set(parts) | {f"{name}__valid"}
        keep = [c for c in grouped.column_names if c not in drop]
        grouped = grouped.select(keep).append_column(name, rebuilt)
    return grouped


def _empty_global(specs: list) -> pa.Table:
    cols = {}
    for col, fn, _ in specs:
        if fn in ("count", "count_distinct"):
            cols[f"{col}_{fn}"] = pa.array([0], pa.int64())
        else:
            cols[f"{col}_{fn}"] = pa.array([None])
    return pa.table(cols) if cols else pa.table({"__dummy": pa.array([None])})


def _final_projection(n: int, grouping: Sequence[Expression], aggregates: Sequence[Expression],
                      groups: dict, results: dict, ctx: EvalContext) -> pa.Table:
    from pyspk.sql.plan.logical import named_to_attribute
    env = {}
    replacements: dict[Expression, AttributeReference] = {}
    for i, g in enumerate(grouping):
        attr = AttributeReference(f"g{i}", g.data_type, True)
        env[attr.key] = groups[f"g{i}"]
        replacements[g] = attr
        if isinstance(g, Alias):
            replacements.setdefault(g.child, attr)
            replacements.setdefault(g.to_attribute(), attr)
    for j, (s, col) in enumerate(results.items()):
        attr = AttributeReference(f"r{j}", s.data_type, True)
        env[attr.key] = col
        replacements[s] = attr
    if not env:
        env["__n"] = pa.nulls(n, pa.int8())
    env_table = pa.table(env)

    def rewrite(x: Expression) -> Expression:
        if x in replacements:
            return replacements[x]
        if isinstance(x, A.Grouping):
            return Literal(0, x.data_type)
        return x.map_children(rewrite)

    cols, names = [], []
    for e in aggregates:
        body = e.child if isinstance(e, Alias) else e
        cols.append(evaluate_column(rewrite(body), env_table, ctx))
        names.append(named_to_attribute(e).key)
    return pa.Table.from_arrays(cols, names=names) if cols else pa.table(
        {ONE_ROW_COLUMN: pa.nulls(n, pa.int8())})


def limit(table: pa.Table, n: int) -> pa.Table:
    return table.slice(0, n)


def concat(tables: Sequence[pa.Table], names: Sequence[str]) -> pa.Table:
    """UNION ALL: rename each input's columns positionally and concatenate."""
    renamed = [t.rename_columns(list(names)) for t in tables]
    if not renamed:
        return pa.table({})
    schema = renamed[0].schema
    return pa.concat_tables([t.cast(schema) if t.schema != schema else t for t in renamed])


def distinct_rows(table: pa.Table) -> pa.Table:
    """One row per distinct combination of all columns (NULLs equal), first occurrence order."""
    if table.num_rows == 0:
        return table
    idx = pa.array(np.arange(table.num_rows))
    tmp = table.append_column("__row", idx)
    keys = [c for c in table.column_names]
    first = tmp.group_by(keys, use_threads=False).aggregate([("__row", "min")])
    rows = pc.sort_indices(first.column("__row_min"))
    return table.take(pc.take(first.column("__row_min"), rows))


def deduplicate(table: pa.Table, keys: Sequence[str]) -> pa.Table:
    """Keep the first row of each distinct combination of ``keys``."""
    if table.num_rows == 0:
        return table
    tmp = pa.table({**{k: table.column(k) for k in keys},
                    "__row": pa.array(np.arange(table.num_rows))})
    first = tmp.group_by(list(keys), use_threads=False).aggregate([("__row", "min")])
    rows = first.column("__row_min")
    return table.take(rows.take(pc.sort_indices(rows)))


def explode(table: pa.Table, generated: pa.ChunkedArray | pa.Array, outer: bool,
            position: bool, keep: bool, names: Sequence[str], is_map: bool,
            inline: bool = False) -> pa.Table:
    """Repeat each input row once per element of its list (or map entry); ``inline`` spreads
    struct elements into one column per field (even a single field)."""
    arr = generated.combine_chunks() if isinstance(generated, pa.ChunkedArray) else generated
    if outer:
        lengths = pc.fill_null(pc.list_value_length(arr), 0)
        empty = pc.equal(lengths, 0)
        arr = pc.if_else(empty, pa.scalar([None], arr.type), arr) if not is_map else arr
    parents = pc.list_parent_indices(arr)
    flat = pc.list_flatten(arr)
    cols: dict[str, pa.Array] = {}
    if keep:
        base = table.take(parents)
        cols.update({n: base.column(n) for n in table.column_names if n != ONE_ROW_COLUMN})
    values = []
    if position:
        offsets = pc.list_value_length(arr).to_numpy(zero_copy_only=False)
        offsets = np.nan_to_num(offsets).astype(np.int64)
        pos = np.concatenate([np.arange(k) for k in offsets]) if len(offsets) else np.array([], np.int64)
        values.append(pa.array(pos.astype(np.int32)))
    if is_map:
        values.append(flat.field(0))
        values.append(flat.field(1))
    elif pa.types.is_struct(flat.type) and (inline or len(names) - int(position) > 1):
        values.extend(flat.field(i) for i in range(flat.type.num_fields))
    else:
        values.append(flat)
    for n, v in zip(names, values):
        cols[n] = v
    if not cols:
        cols[ONE_ROW_COLUMN] = pa.nulls(len(parents), pa.int8())
    return pa.table(cols)
