"""Turn a resolved plan into its result table: optimise, run uncorrelated scalar subqueries
first (each once), then execute."""
from __future__ import annotations


import logging
from typing import Any

import pyarrow as pa

from pyspk.errors import SparkException
from pyspk.sql._arrow_types import arrow_column_to_python
from pyspk.sql.execution.local import LocalExecutor
from pyspk.sql.expressions.base import Expression, Literal
from pyspk.sql.expressions.decimal_int64 import forget as forget_decimal_conversions
from pyspk.sql.expressions.subquery import ScalarSubquery
from pyspk.sql.io.scan import scan
from pyspk.sql.optimizer import optimize
from pyspk.sql.plan import logical as L

log = logging.getLogger(__name__)


def _rdd_source(p: L.RDDRelation) -> pa.Table:
    batches = [b for b in p.rdd.collect()]
    if not batches:
        from pyspk.sql.execution.operators import empty_table
        return empty_table(p.attrs).rename_columns([a.name for a in p.attrs])
    return pa.Table.from_batches(batches)


def executor_for(session: Any) -> LocalExecutor:
    return LocalExecutor(session._eval_context(), scan, _rdd_source)


def materialize_scalar_subqueries(plan: L.LogicalPlan, run: Any) -> L.LogicalPlan:
    """Replace each uncorrelated scalar subquery by the literal it evaluates to."""
    cache: dict[int, Literal] = {}

    def expr_fn(x: Expression) -> Expression:
        if isinstance(x, ScalarSubquery):
            if x.sub_id not in cache:
                table = run(x.plan)
                if table.num_rows > 1:
                    raise SparkException(
                        "[SCALAR_SUBQUERY_TOO_MANY_ROWS] More than one row returned by a subquery "
                        "used as an expression. SQLSTATE: 21000",
                        errorClass="SCALAR_SUBQUERY_TOO_MANY_ROWS")
                attr = x.plan.output[0]
                value = arrow_column_to_python(table.column(0), attr.data_type)[0] \
                    if table.num_rows else None
                cache[x.sub_id] = Literal(_freeze(value), attr.data_type)
            return cache[x.sub_id]
        return x

    def plan_fn(p: L.LogicalPlan) -> L.LogicalPlan:
        return p.map_expressions(lambda e: e.transform_up(expr_fn))

    return plan.transform_up(plan_fn)


def _freeze(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(_freeze(x) for x in v)
    return v


_MIN_DISTRIBUTED_BYTES = 512 * 1024 * 1024


def _input_bytes(plan: L.LogicalPlan) -> int:
    """Bytes of the files a plan reads (whole files: a cheap upper bound); scans under a cached
    relation that already holds its rows read nothing."""
    import os
    from pyspk.sql.io.scan import _files
    if isinstance(plan, L.CachedRelation) and plan.store:
        return 0
    if isinstance(plan, L.FileScan):
        existing = [p for p in plan.paths if os.path.exists(p)]
        return sum(os.path.getsize(f) for f in _files(existing)) if existing else 0
    return sum(_input_bytes(c) for c in plan.children())


def _needs_tasks(plan: L.LogicalPlan) -> bool:
    """Whether the plan calls user Python code (UDFs, mapInPandas/applyInPandas, …) or asks
    which partition a row is in (``spark_partition_id()``): both only mean what they mean in
    Spark when evaluated inside tasks."""
    from pyspk.sql.expressions.scalar import ScalarFunction
    from pyspk.sql.udf import PythonUDF

    def in_task(x: Any) -> bool:
        return isinstance(x, PythonUDF) or \
            isinstance(x, ScalarFunction) and x.name == "spark_partition_id"
    return any(isinstance(n, (L.MapPartitions, L.CoGroupMap)) or
               any(in_task(x) for e in n.expressions() for x in e.walk())
               for n in plan.walk())


def _distributed(session: Any, plan: L.LogicalPlan) -> Any:
    """The distributed executor when this plan should run as stages on the cluster, else None.

    ``spark.pyspk.sql.distributed``: ``true``, ``false`` or ``auto`` (default: distribute plans
    that read RDDs, call user Python code — so it runs in executors, with ``TaskContext``, and a
    crash takes down an executor, not the driver — or ``spark_partition_id()``, or read at least
    ``spark.pyspk.sql.distributed.minBytes`` of files; other plans over in-memory rows or small
    files run on the driver, as Spark runs queries over local relations locally)."""
    mode = str(session.conf.get("spark.pyspk.sql.distributed", "auto")).lower()
    sc = session.sparkContext
    if mode == "false" or sc is None or getattr(sc, "_stopped", False):
        return None
    if mode == "auto":
        if any(isinstance(n, L.RDDRelation) for n in plan.walk()) or _needs_tasks(plan):
            pass
        elif not any(isinstance(n, L.FileScan) for n in plan.walk()):
            return None
        elif _input_bytes(plan) < int(session.conf.get("spark.pyspk.sql.distributed.minBytes",
                                                         str(_MIN_DISTRIBUTED_BYTES))):
            # Below this much input one process with multi-threaded Arrow kernels finishes
            # sooner than stages on executors (measured: TPC-H SF1 on 2 cores).
            return None
    return distributed_executor(session, executor_for(session))


def distributed_executor(session: Any, local: LocalExecutor) -> Any:
    """A distributed executor with the session's shuffle partitioning and adaptive settings."""
    from pyspk.sql.execution.adaptive import shuffle_settings
    from pyspk.sql.execution.distributed import DistributedExecutor
    parallelism = session._default_parallelism()
    executor = DistributedExecutor(session.sparkContext, session._eval_context(), local,
                                   shuffle_settings(session.conf.get, parallelism), parallelism,
                                   _operator_memory(session))
    executor.broadcast_bytes = broadcast_threshold(session)
    return executor


def broadcast_threshold(session: Any) -> int:
    """``spark.sql.autoBroadcastJoinThreshold`` in bytes (``10MB``-style sizes accepted)."""
    from pyspk.conf.units import parse_bytes
    text = str(session.conf.get("spark.sql.autoBroadcastJoinThreshold", "10485760")).strip()
    return -1 if text.startswith("-") else parse_bytes(text, "b")


def _operator_memory(session: Any) -> int | None:
    """``spark.pyspk.sql.operatorMemoryBytes`` from the session (tasks get it with the plan, so
    ``spark.conf.set`` applies), or None: executors derive their budget from their memory."""
    from pyspk.sql.execution.spill import OPERATOR_MEMORY_KEY
    value = session.conf.get(OPERATOR_MEMORY_KEY, None)
    return int(value) if value else None


def _batch_rows(out: list, batch: pa.RecordBatch) -> list:
    names = [a.name for a in out]
    cols = [arrow_column_to_python(batch.column(a.key), a.data_type) for a in out]
    from pyspk.sql.types import _make_row
    return [_make_row(names, vals) for vals in zip(*cols)]


def plan_batches_rdd(session: Any, plan: L.LogicalPlan) -> tuple[Any, list]:
    """An RDD of Arrow batches computing ``plan`` in tasks (columns named by the keys of the
    returned output attributes), for ``df.rdd`` and file writes."""
    local = executor_for(session)

    def run(p: L.LogicalPlan) -> pa.Table:
        return local.execute(fold(materialize_scalar_subqueries(optimize(p), run)))

    from pyspk.sql.optimizer.constant_folding import fold_constants as fold
    opt = fold(materialize_scalar_subqueries(optimize(plan), run))
    dist = distributed_executor(session, local)
    return dist.rdd(opt), list(opt.output)


def plan_rows_rdd(session: Any, plan: L.LogicalPlan) -> Any:
    """An RDD of Rows computing ``plan`` in tasks (``df.rdd``)."""
    import functools
    rdd, output = plan_batches_rdd(session, plan)
    return rdd.flatMap(functools.partial(_batch_rows, output))


def run_plan(session: Any, plan: L.LogicalPlan) -> pa.Table:
    """The result of ``plan`` as an Arrow table, columns positionally matching ``plan.output``."""
    executor = _distributed(session, plan) or executor_for(session)

    def run(p: L.LogicalPlan) -> pa.Table:
        opt = optimize(p)
        opt = materialize_scalar_subqueries(opt, run)
        from pyspk.sql.optimizer.constant_folding import fold_constants
        opt = fold_constants(opt)
        table = executor.execute(opt)
        keys = [a.key for a in p.output]
        if not keys:
            return table.select([]) if table.num_columns else table
        return table.select(_positions(table, opt, keys))

    try:
        result = run(plan)
    finally:
        forget_decimal_conversions()
    remember_adaptive_reads(session, plan, getattr(executor, "coalesced_reads", {}))
    return result


_REMEMBERED_PLANS = 32


def remember_adaptive_reads(session: Any, plan: L.LogicalPlan, reads: dict[tuple, int]) -> None:
    """Keep which operators' shuffle reads were coalesced in the last run of ``plan``, so a later
    ``explain()`` shows the final adaptive plan as Spark does (``isFinalPlan=true``)."""
    if not reads:
        return
    store = session.__dict__.setdefault("_adaptive_reads", {})
    store[id(plan)] = (plan, dict(reads))
    while len(store) > _REMEMBERED_PLANS:
        store.pop(next(iter(store)))


def adaptive_reads(session: Any, plan: L.LogicalPlan) -> dict[tuple, int] | None:
    """The coalesced reads of the last run of ``plan`` (None before it ran)."""
    entry = session.__dict__.get("_adaptive_reads", {}).get(id(plan))
    return entry[1] if entry is not None and entry[0] is plan else None


def _positions(table: pa.Table, opt: L.LogicalPlan, keys: list[str]) -> list[str]:
    names = table.column_names
    if all(k in names for k in keys):
        return keys
    by_pos = [a.key for a in opt.output]
    return [by_pos[i] if i < len(by_pos) and by_pos[i] in names else names[i]
            for i in range(len(keys))]



