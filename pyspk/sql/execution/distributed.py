"""Run a plan as stages on the engine core: every operator yields an RDD of Arrow record batches
(columns named by attribute key). Narrow operators are ``mapPartitions``; aggregations (grouping
sets through an Expand of each row per set), joins, DISTINCT, INTERSECT/EXCEPT and windows
hash-partition their input through the Arrow shuffle into ``spark.sql.shuffle.partitions``
partitions (a window without PARTITION BY exchanges into one partition); with adaptive execution
the map stages run first and the reads are coalesced from their real output sizes (``adaptive``,
both sides of a join alike). Small join sides are broadcast. A global sort range-partitions its
input on sampled bounds and sorts each partition (``range_sort``); ``ORDER BY … LIMIT`` is a
per-partition top-n, a bare LIMIT/OFFSET a per-partition limit then a collect in partition order.
``repartition``/``repartitionByRange``/``coalesce`` make real partitions (``partitioning``).
Python functions (UDFs in expressions, mapInPandas/mapInArrow/applyInPandas) run in tasks.
CSV/JSON/text scans run as tasks over files or line-aligned byte ranges (``text_scan``). The
rest (ORC and Hive-partitioned non-Parquet scans, …) runs on the driver over the collected
child, as Spark runs a plan over a local relation."""
from __future__ import annotations

import dataclasses
import functools
import logging
import os
from typing import Any, Callable, Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.accumulators import AccumulatorParam
from pyspk.sql.execution import operators as ops
from pyspk.sql.execution.adaptive import ShuffleSettings, coalesce_ranges, node_key
from pyspk.sql.expressions.base import EvalContext, Expression
from pyspk.sql.plan import logical as L

log = logging.getLogger(__name__)

BROADCAST_BYTES = 10 * 1024 * 1024
_TARGET_SPLIT_ROWS = 1_000_000


def _ensure_functions() -> None:
    """Executors resolve scalar functions by name: make sure the tables are loaded."""
    import pyspk.sql.expressions.registry  # noqa: F401


def _table(batches: Iterable[pa.RecordBatch], names: list[str], types: list[pa.DataType]) -> pa.Table:
    bs = list(batches)
    if not bs:
        return pa.table({n: pa.array([], t) for n, t in zip(names, types)}) if names else \
            ops.one_row_table().slice(0, 0)
    return pa.Table.from_batches(bs)


def _batches(table: pa.Table) -> list[pa.RecordBatch]:
    return table.combine_chunks().to_batches() or [pa.RecordBatch.from_pylist([], table.schema)]


def _apply(fn: Callable[[pa.Table], pa.Table], names: list[str], types: list[pa.DataType],
           it: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    _ensure_functions()
    for b in it:
        out = fn(pa.Table.from_batches([b]))
        yield from _batches(out)


def _project(exprs: tuple, ctx: EvalContext, t: pa.Table) -> pa.Table:
    return ops.project(t, exprs, ctx)


def _filter(cond: Expression, ctx: EvalContext, t: pa.Table) -> pa.Table:
    return ops.filter_rows(t, cond, ctx)


def _hash_ids(exprs: tuple, n: int, ctx: EvalContext, batch: pa.RecordBatch) -> pa.Array:
    """Partition id of each row: Spark's ``pmod(hash(keys), n)`` (so ``spark_partition_id()``
    after an exchange agrees with Spark) when every key type has a vectorised Murmur3, else a
    pandas hash of the key values modulo ``n``."""
    import pandas as pd
    from pyspk.sql.execution.partitioning import hash_partition_ids, vectorised
    _ensure_functions()
    t = pa.Table.from_batches([batch])
    if n == 1 or not exprs:
        return pa.array([0] * batch.num_rows, pa.int32())
    columns = [ops.evaluate_column(e, t, ctx) for e in exprs]
    columns = [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in columns]
    if all(vectorised(c.type) for c in columns):
        return pa.array(hash_partition_ids(columns, [e.data_type for e in exprs], n))
    cols = {}
    for i, col in enumerate(columns):
        if pa.types.is_integer(col.type) or pa.types.is_boolean(col.type):
            # pandas turns integers with NULLs into floats, which hash differently: hash the
            # validity and the values with NULLs zeroed, the same in every batch.
            cols[f"v{i}"] = pc.is_valid(col).to_pandas()
            col = pc.fill_null(col, pa.scalar(False if pa.types.is_boolean(col.type) else 0, col.type))
        cols[f"k{i}"] = col.to_pandas()
    frame = pd.DataFrame(cols)
    hashed = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    return pa.array((hashed % n).astype("int32"))


def _murmur_ids(exprs: tuple, n: int, ctx: EvalContext, batch: pa.RecordBatch) -> pa.Array:
    """Spark's HashPartitioning of user repartitioning: ``pmod(hash(exprs), n)``."""
    from pyspk.sql.execution.partitioning import hash_partition_ids
    _ensure_functions()
    t = pa.Table.from_batches([batch])
    cols = [ops.evaluate_column(e, t, ctx) for e in exprs]
    cols = [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in cols]
    return pa.array(hash_partition_ids(cols, [e.data_type for e in exprs], n))


_TAG = "__pyspk_partition"


def _round_robin_tag(n: int, names: list[str], types: list[pa.DataType], index: int,
                     it: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """One input partition with each row's round-robin target partition as an extra column."""
    from pyspk.sql.execution.partitioning import round_robin_ids, round_robin_start
    t = _table(list(it), names, types).combine_chunks()
    if t.num_rows:
        ids = round_robin_ids(t, round_robin_start(index, n), n)
        yield from _batches(t.append_column(_TAG, pa.array(ids)))


def _tagged_ids(batch: pa.RecordBatch) -> pa.Array:
    return batch.column(_TAG)


def _untag(names: list[str], batch: pa.RecordBatch) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([batch.column(n) for n in names], names=names)


def _limit_partition(n: int, it: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """At most the first ``n`` rows of a partition (Spark's LocalLimit)."""
    left = n
    for b in it:
        if left <= 0:
            return
        if b.num_rows:
            yield b.slice(0, left)
            left -= min(left, b.num_rows)


def _keep_batches(it: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    return (b for b in it if b.num_rows)


def _map_partition(p: L.MapPartitions, ctx: EvalContext, names: list[str],
                   types: list[pa.DataType], it: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """A Python batch function over one partition, in the task."""
    from pyspk.sql.execution.python_udf import run_map_partitions
    _ensure_functions()
    t = _table(list(it), names, types)
    if t.num_rows:
        yield from _batches(run_map_partitions(p, t, ctx))


def _cogroup_pair(p: L.CoGroupMap, pair: tuple[pa.Table, pa.Table]) -> list[pa.RecordBatch]:
    from pyspk.sql.execution.python_udf import run_cogroup
    _ensure_functions()
    left, right = pair
    if not left.num_rows and not right.num_rows:
        return []
    return _batches(run_cogroup(p, left, right))


def _one_table(names: list[str], types: list[pa.DataType], it: Iterator[pa.RecordBatch]) -> Iterator[pa.Table]:
    yield _table(list(it), names, types)


def _agg_partition(grouping: tuple, aggregates: tuple, ctx: EvalContext, names: list[str],
                   types: list[pa.DataType], global_: bool, partial: bool, memory: int | None,
                   it: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    from pyspk.sql.execution.spill import task_budget
    from pyspk.sql.execution.spill_agg import aggregate
    _ensure_functions()
    schema = pa.schema(list(zip(names, types)))
    for out in aggregate(grouping, aggregates, ctx, schema, global_, partial, task_budget(memory), it):
        yield from _batches(out)


def _window_partition(exprs: tuple, ctx: EvalContext, names: list[str], types: list[pa.DataType],
                      it: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    from pyspk.sql.execution.window import window
    _ensure_functions()
    t = _table(list(it), names, types)
    if t.num_rows:
        yield from _batches(window(t, exprs, ctx))


def _dedup_partition(keys: list[str], subset: bool, names: list[str], types: list[pa.DataType],
                     memory: int | None, it: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    from pyspk.sql.execution.spill import task_budget
    from pyspk.sql.execution.spill_agg import distinct
    schema = pa.schema(list(zip(names, types)))
    for out in distinct(keys, subset, schema, task_budget(memory), it):
        if out.num_rows:
            yield from _batches(out)


def _join_partitions(join_type: str, lk: tuple, rk: tuple, residual: Any, ctx: EvalContext,
                     schemas: tuple[pa.Schema, pa.Schema], memory: int | None,
                     left: Iterator[pa.RecordBatch], right: Iterator[pa.RecordBatch]
                     ) -> Iterator[pa.RecordBatch]:
    from pyspk.sql.execution.spill import task_budget
    from pyspk.sql.execution.spill_join import shuffle_join
    _ensure_functions()
    for out in shuffle_join(join_type, lk, rk, residual, ctx, schemas, task_budget(memory),
                            left, right):
        if out.num_rows:
            yield from _batches(out)


def _set_partitions(op: str, is_all: bool, schemas: tuple[pa.Schema, pa.Schema],
                    memory: int | None, left: Iterator[pa.RecordBatch],
                    right: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    from pyspk.sql.execution.spill import task_budget
    from pyspk.sql.execution.spill_setops import set_partitions
    for out in set_partitions(op, is_all, schemas, task_budget(memory), left, right):
        if out.num_rows:
            yield from out.combine_chunks().to_batches()


def _broadcast_join(join_type: str, lk: tuple, rk: tuple, residual: Any, ctx: EvalContext,
                    right: pa.Table, memory: int | None, it: Iterator[pa.RecordBatch]
                    ) -> Iterator[pa.RecordBatch]:
    from pyspk.sql.execution.spill import task_budget
    from pyspk.sql.execution.spill_join import probe_in_chunks
    _ensure_functions()
    # Budget-sized chunks of the partition (one in the common case), not one join per batch:
    # the broadcast side is hashed once per chunk.
    for out in probe_in_chunks(join_type, lk, rk, residual, ctx, right, task_budget(memory), it):
        if out.num_rows:
            yield from _batches(out)


def _sort_partition(order: tuple, ctx: EvalContext, schema: pa.Schema, memory: int | None,
                    it: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Sort one partition, spilling sorted runs past the task's budget."""
    from pyspk.sql.execution.spill import task_budget
    from pyspk.sql.execution.spill_sort import external_sort
    _ensure_functions()
    yield from external_sort(order, ctx, task_budget(memory), it)


def _read_split(scan: L.FileScan, split: list[tuple[str, list[int]]]) -> Iterator[pa.RecordBatch]:
    from pyspk.sql._arrow_types import normalize_array, to_arrow_type
    from pyspk.sql.io.scan import read_parquet_groups
    _ensure_functions()
    ctx = EvalContext()
    names = [a.name for a in scan.attrs]
    types = [to_arrow_type(a.data_type) for a in scan.attrs]
    for path, groups in split:
        t = read_parquet_groups(path, groups, names, types)
        cols = [normalize_array(t.column(a.name)) for a in scan.attrs]
        out = pa.Table.from_arrays(cols, names=[a.key for a in scan.attrs])
        for f in scan.filters:
            out = ops.filter_rows(out, f, ctx)
        yield from _batches(out)


class DistributedExecutor:
    """Maps plans onto RDD stages of the session's SparkContext."""

    broadcast_bytes: int = BROADCAST_BYTES

    def __init__(self, sc: Any, ctx: EvalContext, local: Any, shuffle: ShuffleSettings,
                 parallelism: int, operator_memory: int | None = None) -> None:
        self.sc = sc
        self.ctx = ctx
        self.local = local
        self.shuffle = shuffle
        self.partitions = shuffle.partitions
        self.parallelism = max(1, parallelism)
        # Partitions read by each operator's adaptive (coalesced) shuffle read, by node_key.
        self.coalesced_reads: dict[tuple, int] = {}
        self.memory = operator_memory
        """``spark.pyspk.sql.operatorMemoryBytes`` if set: the per-task budget of spilling
        operators; None lets each executor derive it from its memory (``spill.task_budget``)."""

    def execute(self, plan: L.LogicalPlan) -> pa.Table:
        names, types = _schema(plan)
        return _table(self.rdd(plan).collect(), names, types)

    def rdd(self, p: L.LogicalPlan) -> Any:
        method = getattr(self, "_" + type(p).__name__, None)
        return method(p) if method is not None else self._on_driver(p)

    def _from_table(self, table: pa.Table, parts: int = 1) -> Any:
        n = table.num_rows
        parts = max(1, min(parts, n // 10_000 + 1))
        step = -(-n // parts) if n else 1
        slices = [table.slice(i, step).combine_chunks() for i in range(0, max(n, 1), step)]
        batches = [b for s in slices for b in _batches(s)]
        return self.sc.parallelize(batches, max(1, min(parts, len(batches))))

    def _on_driver(self, p: L.LogicalPlan) -> Any:
        """Run ``p`` in the driver over its collected inputs."""
        kids = {id(c): self.execute(c) for c in p.children()}

        def sub(c: L.LogicalPlan) -> L.LogicalPlan:
            return L.LocalRelation(tuple(c.output), kids[id(c)]) if id(c) in kids else c
        local_plan = p.map_children(sub)
        return self._from_table(self.local.execute(local_plan))

    def _FileScan(self, p: L.FileScan) -> Any:
        if p.fmt in ("csv", "json", "text") and not p.partition_attrs and "__schema__" in dict(p.options):
            from pyspk.sql.execution.text_scan import MAX_PARTITION_BYTES, text_scan_rdd
            return text_scan_rdd(self.sc, p, self.sc.defaultParallelism, MAX_PARTITION_BYTES)
        if p.fmt != "parquet" or p.partition_attrs:
            return self._on_driver(p)
        from pyspk.sql.io.parquet_meta import file_stats, surviving_groups
        from pyspk.sql.io.scan import _files
        units: list[tuple[str, list[int], int]] = []
        for f in _files(list(p.paths)):
            groups = file_stats(f).groups
            # Row groups whose statistics rule out the pushed-down filters are never read.
            units.extend((f, [g], groups[g].num_rows) for g in surviving_groups(f, p.filters))
        if not units:
            return self._from_table(ops.empty_table(p.attrs))
        total = sum(u[2] for u in units) or 1
        n = max(1, min(len(units), self.parallelism * 2, total // _TARGET_SPLIT_ROWS + 1))
        splits: list[list[tuple[str, list[int]]]] = [[] for _ in range(n)]
        for i, (f, g, _) in enumerate(units):
            splits[i % n].append((f, g))
        return self.sc.parallelize(splits, n).flatMap(functools.partial(_read_split, p))

    def _CachedRelation(self, p: L.CachedRelation) -> Any:
        """The child's batches persisted in the executors' block managers at the DataFrame's
        storage level, computed by the first job that needs them and reused by later ones."""
        if "rdd" not in p.store:
            if "table" in p.store:
                return self._from_table(p.store["table"], self.parallelism)
            from pyspk.storagelevel import StorageLevel
            p.store["rdd"] = self.rdd(p.child).persist(
                p.store.get("level") or StorageLevel.MEMORY_AND_DISK_DESER)
        return p.store["rdd"]

    def _Range(self, p: L.Range) -> Any:
        n = max(1, p.num_partitions)
        count = max(0, -(-(p.end - p.start) // p.step)) if p.step else 0
        # Slice i holds elements [i * count // n, (i + 1) * count // n), as Spark's Range.
        spans = [(p.start + (i * count // n) * p.step, p.start + ((i + 1) * count // n) * p.step,
                  p.step) for i in range(n)]
        return self.sc.parallelize(spans, n).map(functools.partial(_range_batch, p.attr.key))

    def _LocalRelation(self, p: L.LocalRelation) -> Any:
        """Rows sliced as Spark's LocalTableScan: min(rows, default parallelism) partitions."""
        table = self.local.execute(p)
        n = max(1, min(table.num_rows, max(p.num_partitions, self.parallelism)))
        bounds = [i * table.num_rows // n for i in range(n + 1)]
        slices = [table.slice(lo, hi - lo) for lo, hi in zip(bounds, bounds[1:])]
        return self.sc.parallelize([_batches(t)[0] if t.num_rows else
                                    pa.RecordBatch.from_pylist([], t.schema) for t in
                                    (s.combine_chunks() for s in slices)], n)

    def _RDDRelation(self, p: L.RDDRelation) -> Any:
        names = [a.name for a in p.attrs]
        return p.rdd.map(functools.partial(_rename_batch, names, [a.key for a in p.attrs]))

    def _CollectMetrics(self, p: L.CollectMetrics) -> Any:
        """Each task aggregates its partition partially as its rows pass through and adds the
        partial row to an accumulator; the observation finishes the aggregation when read."""
        split = two_phase(L.Aggregate((), p.metrics, p.child))
        if split is None:
            return self._on_driver(p)
        partial, final = split
        acc = self.sc.accumulator([], _TableList())
        names, types = _schema(p.child)
        local = self.local

        def finish() -> pa.Table:
            pn, pt = _schema(partial)
            source = L.LocalRelation(tuple(partial.output), _table(acc.value, pn, pt))
            return local.execute(dataclasses.replace(final, child=source))
        p.sink.defer(p.metrics, finish)
        return self.rdd(p.child).mapPartitions(functools.partial(
            _observe_partition, partial.grouping, partial.aggregates, self.ctx, names, types, acc))

    def _SubqueryAlias(self, p: L.SubqueryAlias) -> Any:
        return self.rdd(p.child)

    def _Project(self, p: L.Project) -> Any:
        names, types = _schema(p)
        fn = functools.partial(_project, p.project_list, self.ctx)
        return self.rdd(p.child).mapPartitions(functools.partial(_apply, fn, names, types))

    def _Generate(self, p: L.Generate) -> Any:
        from pyspk.sql.execution.local import generate
        names, types = _schema(p)
        fn = functools.partial(generate, p, self.ctx)
        return self.rdd(p.child).mapPartitions(functools.partial(_apply, fn, names, types))

    def _Filter(self, p: L.Filter) -> Any:
        names, types = _schema(p)
        fn = functools.partial(_filter, p.condition, self.ctx)
        return self.rdd(p.child).mapPartitions(functools.partial(_apply, fn, names, types))

    def _shuffle(self, sides: list[tuple[Any, Callable[[pa.RecordBatch], Any]]], n: int,
                 adaptive: bool = True, node: L.LogicalPlan | None = None) -> list[Any]:
        """Exchange each (RDD, row → partition id function) into ``n`` partitions. With
        adaptive coalescing the map stages run now and every side reads the same ranges of
        reduce partitions, planned from their summed output sizes (co-partitioned sides stay
        co-partitioned)."""
        from pyspk.rdd.dependency import ArrowShuffleDependency
        from pyspk.rdd.kinds import ArrowShuffledRDD
        deps = [ArrowShuffleDependency(rdd, n, ids, self.sc._new_shuffle_id(), "exchange")
                for rdd, ids in sides]
        if not (adaptive and self.shuffle.coalesce) or n == 1:
            return [ArrowShuffledRDD(d) for d in deps]
        sizes = [sum(col) for col in zip(*self.sc._run_map_stages(deps))]
        ranges = coalesce_ranges(sizes, self.shuffle)
        if node is not None:
            self.coalesced_reads[node_key(node)] = len(ranges)
        log.debug("adaptive read of %d shuffle partitions as %d", n, len(ranges))
        return [ArrowShuffledRDD(d, ranges) for d in deps]

    def _hash_exchange(self, sides: list[tuple[L.LogicalPlan, tuple]], n: int,
                       node: L.LogicalPlan | None = None) -> list[Any]:
        return self._shuffle([(self.rdd(c), functools.partial(_hash_ids, keys, n, self.ctx))
                              for c, keys in sides], n, node=node)

    def _exchange(self, child: L.LogicalPlan, keys: tuple, n: int,
                  node: L.LogicalPlan | None = None) -> Any:
        return self._hash_exchange([(child, keys)], n, node)[0]

    def _Aggregate(self, p: L.Aggregate) -> Any:
        if p.grouping_sets is not None:
            return self._grouping_sets(p)
        n = self.partitions if p.grouping else 1
        split = two_phase(p)
        if split is not None:
            partial, final = split
            pn, pt = _schema(partial)
            pre = self.rdd(p.child).mapPartitions(functools.partial(
                _agg_partition, partial.grouping, partial.aggregates, self.ctx, *_schema(p.child),
                not p.grouping, True, self.memory))
            keys = tuple(final.grouping)
            shuffled = self._shuffle([(pre, functools.partial(_hash_ids, keys, n, self.ctx))], n,
                                     node=p)[0]
            return shuffled.mapPartitions(functools.partial(
                _agg_partition, final.grouping, final.aggregates, self.ctx, pn, pt, not p.grouping,
                False, self.memory))
        names, types = _schema(p.child)
        shuffled = self._exchange(p.child, p.grouping, n, p)
        return shuffled.mapPartitions(functools.partial(
            _agg_partition, p.grouping, p.aggregates, self.ctx, names, types, not p.grouping,
            False, self.memory))

    def _grouping_sets(self, p: L.Aggregate) -> Any:
        from pyspk.sql.execution.grouping_sets import project_sets, split_grouping_sets
        expand, inner, projections = split_grouping_sets(p)
        names, types = _schema(p)
        fn = functools.partial(project_sets, inner.grouping[-1].key, projections, self.ctx)
        return self.rdd(inner).mapPartitions(functools.partial(_apply, fn, names, types))

    def _Expand(self, p: Any) -> Any:
        from pyspk.sql.execution.grouping_sets import expand_rows
        names, types = _schema(p)
        fn = functools.partial(expand_rows, p, self.ctx)
        return self.rdd(p.child).mapPartitions(functools.partial(_apply, fn, names, types))

    def _Join(self, p: L.Join) -> Any:
        from pyspk.sql.optimizer.joins import split_join_condition
        lk, rk, residual = split_join_condition(p.condition, p.left.output, p.right.output)
        if p.join_type in ("inner", "left", "left_semi", "left_anti", "cross",
                           "left_anti_null_aware") and \
                (not lk or _small(p.right, self.broadcast_bytes)):
            right = self.execute(p.right)
            return self.rdd(p.left).mapPartitions(functools.partial(
                _broadcast_join, p.join_type, tuple(lk), tuple(rk), residual, self.ctx, right,
                self.memory))
        if not lk or p.join_type == "left_anti_null_aware":
            return self._on_driver(p)
        ln, lt = _schema(p.left)
        rn, rt = _schema(p.right)
        schemas = (pa.schema(list(zip(ln, lt))), pa.schema(list(zip(rn, rt))))
        left, right = self._hash_exchange([(p.left, tuple(lk)), (p.right, tuple(rk))],
                                          self.partitions, p)
        return left._zip_partitions(right, functools.partial(
            _join_partitions, p.join_type, tuple(lk), tuple(rk), residual, self.ctx, schemas,
            self.memory))

    def _range_exchange(self, child: Any, order: tuple, n: int, upper_inclusive: bool = False,
                        min_rows: int | None = None, adaptive: bool = True,
                        node: L.LogicalPlan | None = None) -> Any:
        """Range-partition ``child`` into up to ``n`` partitions on bounds sampled from it."""
        from pyspk.sql.execution import range_sort as R
        inputs = child.getNumPartitions()
        per = -(-3 * min(R.SAMPLE_PER_PARTITION * n, 1_000_000) // max(1, inputs))
        samples = child.mapPartitionsWithIndex(
            functools.partial(R.sample_partition, order, self.ctx, per)).collect()
        bounds = R.range_bounds(samples, order, n, R.MIN_ROWS_PER_PARTITION if min_rows is None
                                else min_rows)
        parts = 1 if bounds is None else bounds.num_rows + 1
        ids = functools.partial(R.range_ids, order, self.ctx, bounds,
                                upper_inclusive=upper_inclusive)
        return self._shuffle([(child, ids)], parts, adaptive, node)[0]

    def _Sort(self, p: L.Sort) -> Any:
        from pyspk.sql.execution import range_sort as R
        schema = pa.schema(list(zip(*_schema(p.child))))
        child = self.rdd(p.child)
        if p.is_global:
            child = self._range_exchange(child, p.order, self.partitions, node=p)
        return child.mapPartitions(functools.partial(_sort_partition, p.order, self.ctx, schema,
                                                     self.memory))

    def _Limit(self, p: L.Limit) -> Any:
        if isinstance(p.child, L.OffsetRows):
            return self._collect_limit(p.child.child, p.child.n, p.n)
        if not isinstance(p.child, L.Sort):
            return self._collect_limit(p.child, 0, p.n)
        from pyspk.sql.execution import range_sort as R
        sort = p.child
        names, types = _schema(sort.child)
        schema = pa.schema(list(zip(names, types)))
        tops = self.rdd(sort.child).mapPartitions(
            functools.partial(R.top_n, sort.order, self.ctx, schema, p.n))
        merged = R.merge_top_n(_table(tops.collect(), names, types), sort.order, self.ctx, p.n)
        return self._from_table(merged)

    def _OffsetRows(self, p: L.OffsetRows) -> Any:
        if isinstance(p.child, L.Limit) and not isinstance(p.child.child, L.Sort):
            return self._collect_limit(p.child.child, p.n, max(0, p.child.n - p.n))
        return self._collect_limit(p.child, p.n, None)

    def _collect_limit(self, child: L.LogicalPlan, offset: int, limit: int | None) -> Any:
        """Rows ``[offset, offset + limit)`` of ``child`` in partition order, as Spark's
        CollectLimit/GlobalLimit: each task keeps at most ``offset + limit`` rows, partitions are
        read in order until enough rows arrived (more partitions per round, as ``take``)."""
        names, types = _schema(child)
        rdd = self.rdd(child)
        if limit is not None:
            rdd = rdd.mapPartitions(functools.partial(_limit_partition, offset + limit))
        wanted = None if limit is None else offset + limit
        batches: list[pa.RecordBatch] = []
        total, scanned, parts = 0, 0, rdd.getNumPartitions()
        step = 1
        while scanned < parts and (wanted is None or total < wanted):
            ids = list(range(scanned, min(parts, scanned + (parts if wanted is None else step))))
            got = self.sc.runJob(rdd, _keep_batches, ids)
            batches.extend(got)
            total += sum(b.num_rows for b in got)
            scanned += len(ids)
            step *= 4
        table = _table(batches, names, types)
        end = table.num_rows if limit is None else offset + limit
        return self._from_table(table.slice(min(offset, table.num_rows),
                                            max(0, min(end, table.num_rows) - offset)))

    def _Repartition(self, p: L.Repartition) -> Any:
        """Real partitions as Spark makes them: coalesce(n) merges neighbouring partitions,
        repartition(n) deals rows round robin, repartition(cols) hash-partitions by Murmur3,
        repartitionByRange range-partitions; only a partition count the user did not give is
        coalesced adaptively."""
        child = self.rdd(p.child)
        if not p.shuffle:
            return child.coalesce(max(1, p.num_partitions or 1))
        n = max(1, p.num_partitions or self.partitions)
        adaptive = p.num_partitions is None
        if p.by_range:
            from pyspk.sql.expressions.base import SortOrder
            order = tuple(e if isinstance(e, SortOrder) else SortOrder(e, True)
                          for e in p.partition_exprs)
            return self._range_exchange(child, order, n, True, 1, adaptive, p)
        if p.partition_exprs:
            ids = functools.partial(_murmur_ids, p.partition_exprs, n, self.ctx)
            return self._shuffle([(child, ids)], n, adaptive, p)[0]
        names, types = _schema(p.child)
        tagged = child.mapPartitionsWithIndex(functools.partial(_round_robin_tag, n, names, types))
        shuffled = self._shuffle([(tagged, _tagged_ids)], n, adaptive=False)[0]
        return shuffled.map(functools.partial(_untag, names))

    def _MapPartitions(self, p: L.MapPartitions) -> Any:
        """mapInPandas / mapInArrow per partition in tasks; grouped maps (applyInPandas,
        applyInArrow) after a hash exchange on the grouping keys."""
        if p.child is None:
            return self._on_driver(p)
        names, types = _schema(p.child)
        if p.grouping:
            child = self._exchange(p.child, tuple(p.grouping), self.partitions, p)
        else:
            child = self.rdd(p.child)
        return child.mapPartitions(functools.partial(_map_partition, p, self.ctx, names, types))

    def _CoGroupMap(self, p: L.CoGroupMap) -> Any:
        """cogroup().applyInPandas: both sides hash-exchanged on their keys (the right side's
        keys cast to the left's types so equal keys meet), then the function per pair of
        co-partitioned partitions, in tasks."""
        from pyspk.sql.expressions.cast import Cast
        rkeys = tuple(r if r.data_type == lk.data_type else Cast(r, lk.data_type, implicit=True)
                      for lk, r in zip(p.left_keys, p.right_keys))
        ln, lt = _schema(p.left)
        rn, rt = _schema(p.right)
        left, right = self._hash_exchange([(p.left, tuple(p.left_keys)), (p.right, rkeys)],
                                          self.partitions, p)
        left = left.mapPartitions(functools.partial(_one_table, ln, lt))
        right = right.mapPartitions(functools.partial(_one_table, rn, rt))
        return left.zip(right).flatMap(functools.partial(_cogroup_pair, p))

    def _SetOperation(self, p: L.SetOperation) -> Any:
        """INTERSECT / EXCEPT [ALL]: both sides hash-partitioned on all their columns, then the
        set operation per pair of co-partitioned partitions."""
        if not p.left.output:
            return self._on_driver(p)
        ln, lt = _schema(p.left)
        rn, rt = _schema(p.right)
        left, right = self._hash_exchange([(p.left, tuple(p.left.output)),
                                           (p.right, tuple(p.right.output))], self.partitions, p)
        schemas = (pa.schema(list(zip(ln, lt))), pa.schema(list(zip(rn, rt))))
        return left._zip_partitions(right, functools.partial(
            _set_partitions, p.op, p.is_all, schemas, self.memory))

    def _Window(self, p: L.Window) -> Any:
        first = p.window_exprs[0]
        spec = (first.child if hasattr(first, "child") else first).spec
        names, types = _schema(p.child)
        # Without PARTITION BY every row goes to one partition, as Spark's AllTuples distribution.
        n = self.partitions if spec.partition else 1
        shuffled = self._exchange(p.child, tuple(spec.partition), n, p)
        return shuffled.mapPartitions(functools.partial(_window_partition, p.window_exprs, self.ctx,
                                                        names, types))

    def _Deduplicate(self, p: L.Deduplicate) -> Any:
        keys = tuple(p.keys) if p.keys else tuple(p.child.output)
        names, types = _schema(p.child)
        shuffled = self._exchange(p.child, keys, self.partitions, p)
        return shuffled.mapPartitions(functools.partial(
            _dedup_partition, [a.key for a in keys], bool(p.keys), names, types, self.memory))

    def _Union(self, p: L.Union) -> Any:
        names = [a.key for a in p.output]
        out = None
        for c in p.inputs:
            cn = [a.key for a in c.output]
            r = self.rdd(c).map(functools.partial(_rename_batch, cn, names))
            out = r if out is None else out.union(r)
        return out


class _TableList(AccumulatorParam):
    """Accumulates partial-aggregate record batches from tasks."""

    def zero(self, value: list) -> list:
        return []

    def addInPlace(self, value1: list, value2: list) -> list:
        value1.extend(value2)
        return value1


def _observe_partition(grouping: tuple, aggregates: tuple, ctx: EvalContext, names: list[str],
                       types: list[pa.DataType], acc: Any,
                       it: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    batches = list(it)
    partials = _agg_partition(grouping, aggregates, ctx, names, types, True, True, None, iter(batches))
    acc.add([b for b in partials if b.num_rows])
    yield from batches


def two_phase(p: L.Aggregate) -> tuple[L.Aggregate, L.Aggregate] | None:
    """Split an aggregation of sums, counts, minima and maxima into a per-partition partial
    aggregation and a final one over the partial results, so exchanges carry one row per group
    and partition instead of every input row."""
    from pyspk.sql.expressions import aggregates as A
    from pyspk.sql.expressions.base import Alias, AttributeReference
    from pyspk.sql.expressions.cast import Cast
    from pyspk.sql.execution.operators import _agg_slots
    from pyspk.sql.expressions.arithmetic import Divide
    from pyspk.sql.expressions.base import Literal
    from pyspk.sql.expressions.conditional import NullIf
    from pyspk.sql import types as T
    slots = _agg_slots(p.aggregates)
    if not slots or any(type(s) not in (A.Sum, A.Min, A.Max, A.Count, A.Avg) or s.distinct or
                        (isinstance(s, A.Count) and s.extra) for s in slots):
        return None
    g_alias = [Alias(g, f"__g{i}") for i, g in enumerate(p.grouping)]
    s_alias: list[Alias] = []
    merged: dict[Expression, Expression] = {}
    for j, s in enumerate(slots):
        if isinstance(s, A.Avg):
            total = Alias(A.Sum(s.input_expression()), f"__p{j}s")
            count = Alias(A.Count(s.child), f"__p{j}c")
            s_alias += [total, count]
            n = NullIf(A.Sum(count.to_attribute()), Literal(0, T.LongType()))
            num = A.Sum(total.to_attribute())
            den = n if isinstance(num.data_type, T.DecimalType) else Cast(n, T.DoubleType(), implicit=True)
            merged[s] = Cast(Divide(num, den), s.data_type, implicit=True)
            continue
        a = Alias(s, f"__p{j}")
        s_alias.append(a)
        attr = a.to_attribute()
        fn = A.Min(attr) if isinstance(s, A.Min) else A.Max(attr) if isinstance(s, A.Max) else A.Sum(attr)
        merged[s] = fn if fn.data_type == s.data_type else Cast(fn, s.data_type, implicit=True)
    partial = L.Aggregate(tuple(p.grouping), tuple(g_alias + s_alias), p.child)
    g_attr = {g: a.to_attribute() for g, a in zip(p.grouping, g_alias)}
    for g, a in g_attr.items():
        merged.setdefault(g, a)
        if isinstance(g, Alias):
            merged.setdefault(g.to_attribute(), a)
            merged.setdefault(g.child, a)

    def rewrite(e: Expression) -> Expression:
        if e in merged:
            return merged[e]
        return e.map_children(rewrite)

    final_aggs = tuple(Alias(rewrite(e.child), e.name, e.expr_id) if isinstance(e, Alias) else
                       (Alias(merged[e], e.name, e.expr_id) if isinstance(e, AttributeReference) and e in merged
                        else rewrite(e)) for e in p.aggregates)
    final = L.Aggregate(tuple(g_attr[g] for g in p.grouping), final_aggs, partial)
    return partial, final


def _range_batch(key: str, span: tuple[int, int, int]) -> pa.RecordBatch:
    import numpy as np
    lo, hi, step = span
    values = np.arange(lo, hi, step, dtype=np.int64) if (hi - lo) * step > 0 else np.array([], np.int64)
    return pa.RecordBatch.from_arrays([pa.array(values)], names=[key])


def _rename_batch(src: list[str], dst: list[str], b: pa.RecordBatch) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([b.column(n) for n in src], names=dst)


def _schema(p: L.LogicalPlan) -> tuple[list[str], list[pa.DataType]]:
    from pyspk.sql._arrow_types import to_arrow_type
    return [a.key for a in p.output], [to_arrow_type(a.data_type) for a in p.output]


def _scan_bytes(scan: L.FileScan) -> int:
    """Bytes a scan reads: for Parquet, the compressed chunks of the columns it keeps."""
    from pyspk.sql.io.scan import _files
    files = _files(list(scan.paths))
    if scan.fmt != "parquet":
        return sum(os.path.getsize(f) for f in files)
    import pyarrow.parquet as pq
    wanted = {a.name for a in scan.attrs}
    total = 0
    for f in files:
        md = pq.ParquetFile(f).metadata
        for g in range(md.num_row_groups):
            rg = md.row_group(g)
            total += sum(rg.column(c).total_compressed_size for c in range(rg.num_columns)
                         if rg.column(c).path_in_schema in wanted)
    return total


def _small(p: L.LogicalPlan, limit: int = BROADCAST_BYTES) -> bool:
    """Below the broadcast threshold (``spark.sql.autoBroadcastJoinThreshold``; -1 turns broadcasts
    off), judged by the bytes of the files it reads."""
    if limit < 0:
        return False
    size = 0
    for node in p.walk():
        if isinstance(node, L.FileScan):
            size += _scan_bytes(node)
        elif isinstance(node, L.LocalRelation):
            size += node.data.nbytes
    return size <= limit



