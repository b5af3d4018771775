"""Run an optimised logical plan to an Arrow table, operator by operator.

Each operator is one of the pure table functions of ``operators``/``join``/``window``; this module
only walks the plan. Output columns are named by attribute key; ``collect`` renames them.
"""
from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql._arrow_types import normalize_array, to_arrow_type
from pyspk.sql.execution import key_filter, operators as ops
from pyspk.sql.execution.join import hash_join
from pyspk.sql.execution.window import window
from pyspk.sql.expressions.base import AttributeReference, EvalContext
from pyspk.sql.io.scan import pruned_row_groups
from pyspk.sql.optimizer.joins import split_join_condition
from pyspk.sql.plan import logical as L

log = logging.getLogger(__name__)

Scanner = Callable[[L.FileScan], pa.Table]
_MORSEL_MIN_ROWS = 500_000


def _row_local(p: L.LogicalPlan) -> bool:
    """True when each row's result depends on that row only (no ids, randomness or UDF state)."""
    from pyspk.sql.expressions.subquery import ScalarSubquery
    return all(e.deterministic and not any(isinstance(x, ScalarSubquery) for x in e.walk())
               for e in p.expressions())


class LocalExecutor:
    """Evaluates plans in this process on Arrow tables."""

    def __init__(self, ctx: EvalContext, scan: Scanner, rdd_source: Callable[[L.RDDRelation], pa.Table]) -> None:
        self.ctx = ctx
        self.scan = scan
        self.rdd_source = rdd_source
        self._scan_memo: dict[tuple, pa.ChunkedArray] = {}
        self.threads = max(1, os.cpu_count() or 1)

    def execute(self, plan: L.LogicalPlan) -> pa.Table:
        method = getattr(self, "_" + type(plan).__name__, None)
        if method is None:
            raise TypeError(f"no physical operator for {type(plan).__name__}")
        return method(plan)

    def _LocalRelation(self, p: L.LocalRelation) -> pa.Table:
        if not p.attrs:
            return pa.table({ops.ONE_ROW_COLUMN: pa.nulls(p.data.num_rows, pa.int8())})
        return p.data.rename_columns([a.key for a in p.attrs])

    def _RDDRelation(self, p: L.RDDRelation) -> pa.Table:
        return self.rdd_source(p).rename_columns([a.key for a in p.attrs])

    def _OneRowRelation(self, p: L.OneRowRelation) -> pa.Table:
        return ops.one_row_table()

    def _Range(self, p: L.Range) -> pa.Table:
        return pa.table({p.attr.key: pa.array(np.arange(p.start, p.end, p.step, dtype=np.int64))})

    def _FileScan(self, p: L.FileScan) -> pa.Table:
        groups = pruned_row_groups(p)
        cols = [self._scan_column(p, a.name, groups) for a in p.attrs]
        out = pa.Table.from_arrays(cols, names=[a.key for a in p.attrs]) if cols else \
            pa.table({ops.ONE_ROW_COLUMN: pa.nulls(self.scan(p).num_rows, pa.int8())})
        safe, rest = ops.split_safe_conjuncts(p.filters)
        if safe is not None:
            # One mask for the conjuncts that cannot raise: the columns are copied once.
            out = self._morsels(out, lambda t: ops.filter_rows(t, safe, self.ctx),
                                safe.deterministic)
        for f in rest:
            out = ops.filter_rows(out, f, self.ctx)
        return out

    def _scan_column(self, p: L.FileScan, name: str, groups: tuple | None) -> pa.ChunkedArray:
        """A decoded column, shared by every scan of the same files (and surviving row groups)
        within one query (as Spark reuses an exchange that appears twice in a plan)."""
        base = (p.fmt, p.paths, p.options, groups)
        if base + (name,) not in self._scan_memo:
            import dataclasses
            wanted = [a for a in p.attrs if base + (a.name,) not in self._scan_memo]
            # Only the filters' row-group pruning happens in the scan: rows are filtered above,
            # so scans of the same files and groups share decoded columns.
            table = self.scan(dataclasses.replace(p, attrs=tuple(wanted),
                                                  filters=p.filters if groups is not None else ()))
            for a in wanted:
                self._scan_memo[base + (a.name,)] = normalize_array(table.column(a.name))
        return self._scan_memo[base + (name,)]

    def _SubqueryAlias(self, p: L.SubqueryAlias) -> pa.Table:
        return self.execute(p.child)

    def _Project(self, p: L.Project) -> pa.Table:
        child = self.execute(p.child)
        if all(isinstance(e, AttributeReference) for e in p.project_list):
            return child.select([e.key for e in p.project_list])  # type: ignore[union-attr]
        return self._morsels(child, lambda t: ops.project(t, p.project_list, self.ctx),
                             _row_local(p))

    def _Filter(self, p: L.Filter) -> pa.Table:
        return self._morsels(self.execute(p.child),
                             lambda t: ops.filter_rows(t, p.condition, self.ctx), _row_local(p))

    def _morsels(self, table: pa.Table, fn: Callable[[pa.Table], pa.Table], row_local: bool) -> pa.Table:
        """Apply a row-wise operator to slices of a large table on all cores (Arrow kernels
        release the GIL), keeping row order."""
        n = table.num_rows
        if n < _MORSEL_MIN_ROWS or self.threads < 2 or not row_local:
            return fn(table)
        k = self.threads * 2
        step = -(-n // k)
        slices = [table.slice(i, step) for i in range(0, n, step)]
        with ThreadPoolExecutor(self.threads) as pool:
            parts = list(pool.map(fn, slices))
        return pa.concat_tables(parts)

    def _Aggregate(self, p: L.Aggregate) -> pa.Table:
        child = self.execute(p.child)
        if p.grouping_sets is None:
            return ops.hash_aggregate(child, p.grouping, p.aggregates, self.ctx)
        from pyspk.sql.execution.grouping_sets import grouping_sets_aggregate
        return grouping_sets_aggregate(child, p, self.ctx)

    def _Join(self, p: L.Join) -> pa.Table:
        lk, rk, residual = split_join_condition(p.condition, p.left.output, p.right.output)
        left, right = key_filter.join_inputs(self, p, lk, rk)
        return hash_join(left, right, p.join_type, lk, rk, residual, self.ctx)

    def _Sort(self, p: L.Sort) -> pa.Table:
        return ops.sort(self.execute(p.child), p.order, self.ctx)

    def _Limit(self, p: L.Limit) -> pa.Table:
        if isinstance(p.child, L.Sort) and p.n < 10_000:
            child = self.execute(p.child.child)
            idx = ops.sort_indices(child, p.child.order, self.ctx)
            return child.take(idx[:p.n])
        return ops.limit(self.execute(p.child), p.n)

    def _OffsetRows(self, p: L.OffsetRows) -> pa.Table:
        t = self.execute(p.child)
        return t.slice(min(p.n, t.num_rows))

    def _Union(self, p: L.Union) -> pa.Table:
        names = [a.key for a in p.output]
        tables = [self.execute(c).select([a.key for a in c.output]) if c.output else self.execute(c)
                  for c in p.inputs]
        return ops.concat(tables, names)

    def _SetOperation(self, p: L.SetOperation) -> pa.Table:
        from pyspk.sql.execution.setops import set_operation
        left = self.execute(p.left).select([a.key for a in p.left.output])
        right = self.execute(p.right).select([a.key for a in p.right.output])
        return set_operation(left, right.rename_columns(left.column_names), p.op, p.is_all)

    def _Deduplicate(self, p: L.Deduplicate) -> pa.Table:
        t = self.execute(p.child)
        keys = [a.key for a in p.keys] if p.keys else [a.key for a in p.child.output]
        if not p.keys:
            return ops.distinct_rows(t.select(keys))
        return ops.deduplicate(t, keys)

    def _Window(self, p: L.Window) -> pa.Table:
        return window(self.execute(p.child), p.window_exprs, self.ctx)

    def _Generate(self, p: L.Generate) -> pa.Table:
        return generate(p, self.ctx, self.execute(p.child))

    def _Repartition(self, p: L.Repartition) -> pa.Table:
        return self.execute(p.child)

    def _Sample(self, p: L.Sample) -> pa.Table:
        t = self.execute(p.child)
        rng = np.random.default_rng(p.seed)
        if p.with_replacement:
            counts = rng.poisson(p.fraction, t.num_rows)
            return t.take(pa.array(np.repeat(np.arange(t.num_rows), counts)))
        draws = rng.random(t.num_rows)
        return t.filter(pa.array((draws >= p.lower) & (draws < p.lower + p.fraction)))

    def _CollectMetrics(self, p: L.CollectMetrics) -> pa.Table:
        table = self.execute(p.child)
        source = L.LocalRelation(tuple(p.child.output), table)
        p.sink.record(p.metrics, self.execute(L.Aggregate((), p.metrics, source)))
        return table

    def _CachedRelation(self, p: L.CachedRelation) -> pa.Table:
        if "table" in p.store:
            return p.store["table"]
        if "rdd" in p.store:
            batches = p.store["rdd"].collect()
            return pa.Table.from_batches(batches) if batches else self.execute(p.child).slice(0, 0)
        p.store["table"] = self.execute(p.child)
        return p.store["table"]

    def _MapPartitions(self, p: L.MapPartitions) -> pa.Table:
        from pyspk.sql.execution.python_udf import run_map_partitions
        child = self.execute(p.child) if p.child is not None else None
        return run_map_partitions(p, child, self.ctx)

    def _CoGroupMap(self, p: L.CoGroupMap) -> pa.Table:
        from pyspk.sql.execution.python_udf import run_cogroup
        return run_cogroup(p, self.execute(p.left), self.execute(p.right))


def generate(p: L.Generate, ctx: EvalContext, t: pa.Table) -> pa.Table:
    """explode/posexplode/inline over the rows of ``t`` (row by row independent, so it runs on
    any slice of the child: the driver's whole table or a task's batch)."""
    from pyspk.sql.expressions.generators import Explode
    gen: Explode = p.generator  # type: ignore[assignment]
    arr = ops.evaluate_column(gen.child, t, ctx)
    if gen.inline:
        return ops.explode(t, arr, p.outer, False, p.keep_child, [a.key for a in p.gen_output],
                           False, inline=True)
    return ops.explode(t, arr, p.outer or gen.outer, gen.position, p.keep_child,
                       [a.key for a in p.gen_output], gen.is_map)


def column_types_match(table: pa.Table, plan: L.LogicalPlan) -> pa.Table:
    """Cast columns whose Arrow type drifted (e.g. from a Python function) to the plan's types."""
    cols = []
    for a, col in zip(plan.output, table.columns):
        want = to_arrow_type(a.data_type)
        cols.append(col if col.type == want else pc.cast(col, want))
    return pa.Table.from_arrays(cols, names=table.column_names) if cols else table
