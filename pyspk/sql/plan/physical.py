"""The physical plan of an optimised logical plan, as ``explain()`` shows it: Spark's operator names
and argument strings, with the exchanges and broadcasts the distributed executor inserts.

The description follows the executors' own decisions (two-phase aggregation, broadcast of small
join sides, range-partitioned global sorts, top-n for ``ORDER BY … LIMIT``); when a plan runs in
the driver (``spark.pyspk.sql.distributed=auto`` with small inputs) it has no exchanges."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from pyspk.sql import types as T
from pyspk.sql.expressions.base import Alias, AttributeReference, Expression, SortOrder
from pyspk.sql.plan import logical as L


@dataclass
class PhysicalNode:
    """One operator: its Spark name, the argument string ``simple`` mode prints after the name, the
    ``formatted`` mode's detail lines, and its inputs."""

    name: str
    args: str = ""
    output: list[AttributeReference] = field(default_factory=list)
    details: list[tuple[str, str]] = field(default_factory=list)
    children: list["PhysicalNode"] = field(default_factory=list)


@dataclass(frozen=True)
class _Shown(Expression):
    """A sub-expression already rendered (attributes with their ids), for Spark-style strings."""

    text: str

    @property
    def data_type(self) -> T.DataType:
        return T.NullType()

    def sql(self) -> str:
        return self.text


def attr_string(a: AttributeReference) -> str:
    """``name#id``, with Spark's ``L`` suffix on bigint attributes."""
    return a.key + ("L" if isinstance(a.data_type, T.LongType) else "")


def shown(e: Expression) -> str:
    """An expression as Spark's plans print it: attributes as ``name#id``, aliases with their id."""
    if isinstance(e, AttributeReference):
        return attr_string(e)
    if isinstance(e, Alias):
        suffix = "L" if isinstance(e.data_type, T.LongType) else ""
        return f"{shown(e.child)} AS {e.name}#{e.expr_id}{suffix}"
    if isinstance(e, SortOrder):
        d = "ASC" if e.ascending else "DESC"
        return f"{shown(e.child)} {d} NULLS {'FIRST' if e.effective_nulls_first else 'LAST'}"
    try:
        return e.map_children(lambda c: _Shown(shown(c))).sql()
    except Exception:
        return e.sql()


def _list(exprs: Any) -> str:
    return "[" + ", ".join(shown(e) for e in exprs) + "]"


def _keys(attrs: Any) -> str:
    return "[" + ", ".join(attr_string(a) for a in attrs) + "]"


class PhysicalPlanner:
    """Builds PhysicalNodes; ``distributed`` says whether exchanges exist at all."""

    def __init__(self, distributed: bool, partitions: int, adaptive: bool,
                 broadcast_bytes: int, final: dict[tuple, int] | None = None) -> None:
        self.distributed = distributed
        self.broadcast_bytes = broadcast_bytes
        self.partitions = partitions
        self.adaptive = adaptive
        # After an adaptive run: partitions read per operator whose shuffle read was coalesced
        # (keys from execution.adaptive.node_key); None before the plan ran.
        self.final = final
        self._plan_ids = itertools.count(1)
        self._stage_ids = itertools.count()
        self._current: L.LogicalPlan | None = None

    def plan(self, p: L.LogicalPlan) -> PhysicalNode:
        root = self.node(p)
        if isinstance(p, L.Limit) and not isinstance(p.child, L.Sort):
            root = PhysicalNode("CollectLimit", str(p.n), list(p.output),
                                [("Arguments", str(p.n))], root.children[0].children)
        if self.distributed and self.adaptive:
            args = f"isFinalPlan={'true' if self.final is not None else 'false'}"
            root = PhysicalNode("AdaptiveSparkPlan", args, root.output, [("Arguments", args)],
                                [root])
        return root

    def node(self, p: L.LogicalPlan) -> PhysicalNode:
        outer, self._current = self._current, p
        try:
            method = getattr(self, "_" + type(p).__name__, None)
            if method is not None:
                return method(p)
            kids = [self.node(c) for c in p.children()]
            return PhysicalNode(p.node_name(), p.arg_string(), list(p.output), [], kids)
        finally:
            self._current = outer

    def _adaptive_read(self, exchange: PhysicalNode) -> PhysicalNode:
        """After an adaptive run, an exchange of the operator being planned whose read was
        coalesced shows as Spark's ``AQEShuffleRead coalesced`` over its query stage."""
        from pyspk.sql.execution.adaptive import node_key
        if self.final is None or self._current is None or \
                node_key(self._current) not in self.final:
            return exchange
        stage_id = str(next(self._stage_ids))
        stage = PhysicalNode("ShuffleQueryStage", stage_id, exchange.output,
                             [("Arguments", stage_id)], [exchange])
        return PhysicalNode("AQEShuffleRead", "coalesced", exchange.output,
                            [("Arguments", "coalesced")], [stage])

    def _exchange(self, child: PhysicalNode, partitioning: str) -> PhysicalNode:
        if not self.distributed:
            return child
        args = f"{partitioning}, ENSURE_REQUIREMENTS, [plan_id={next(self._plan_ids)}]"
        return self._adaptive_read(PhysicalNode(
            "Exchange", args, child.output, [("Input", _keys(child.output)), ("Arguments", args)],
            [child]))

    def _hash(self, keys: Any) -> str:
        if not keys:
            return "SinglePartition"
        return f"hashpartitioning({', '.join(shown(k) for k in keys)}, {self.partitions})"

    # -- leaves --------------------------------------------------------------------------------
    def _LocalRelation(self, p: L.LocalRelation) -> PhysicalNode:
        return PhysicalNode("LocalTableScan", _keys(p.attrs), list(p.attrs),
                            [("Arguments", _keys(p.attrs))])

    def _RDDRelation(self, p: L.RDDRelation) -> PhysicalNode:
        return PhysicalNode("Scan ExistingRDD", _keys(p.attrs), list(p.attrs),
                            [("Arguments", _keys(p.attrs))])

    def _OneRowRelation(self, p: L.OneRowRelation) -> PhysicalNode:
        return PhysicalNode("Scan OneRowRelation", "[]", [], [])

    def _Range(self, p: L.Range) -> PhysicalNode:
        return PhysicalNode("Range", p.arg_string(), list(p.output), [("Arguments", p.arg_string())])

    def _FileScan(self, p: L.FileScan) -> PhysicalNode:
        fmt = {"parquet": "Parquet", "orc": "ORC", "csv": "CSV", "json": "JSON", "text": "Text"}.get(
            p.fmt, p.fmt)
        roots = sorted({path.rsplit("/", 1)[0] if "." in path.rsplit("/", 1)[-1] else path
                        for path in p.paths})
        location = f"InMemoryFileIndex({len(roots)} paths)[" + ", ".join(
            "file:" + r for r in roots[:3]) + (", ..." if len(roots) > 3 else "") + "]"
        filters = _list(p.filters)
        schema = "struct<" + ",".join(f"{a.name}:{a.data_type.simpleString()}" for a in p.attrs
                                      if a.name not in p.partition_attrs) + ">"
        part_filters = [f for f in p.filters if p.partition_attrs and
                        {a.name for a in _walk(f) if isinstance(a, AttributeReference)}
                        <= set(p.partition_attrs)]
        detail = [("Batched", "true"), ("Location", location),
                  ("PartitionFilters", _list(part_filters)), ("PushedFilters", filters),
                  ("ReadSchema", schema)]
        args = (f"{p.fmt} {_keys(p.attrs)} Batched: true, DataFilters: {filters}, Format: {fmt}, "
                f"Location: {location}, PartitionFilters: {_list(part_filters)}, PushedFilters: "
                f"{filters}, ReadSchema: {schema}")
        return PhysicalNode("FileScan", args, list(p.attrs), [("Output", _keys(p.attrs))] + detail)

    def _CachedRelation(self, p: L.CachedRelation) -> PhysicalNode:
        inner = self.node(p.child)
        level = "StorageLevel(disk, memory, deserialized, 1 replicas)"
        rel = PhysicalNode("InMemoryRelation", f"{_keys(p.output)}, {level}", list(p.output),
                           [("Arguments", f"{_keys(p.output)}, {level}")], [inner])
        return PhysicalNode("InMemoryTableScan", _keys(p.output), list(p.output), [], [rel])

    # -- narrow operators ----------------------------------------------------------------------
    def _SubqueryAlias(self, p: L.SubqueryAlias) -> PhysicalNode:
        return self.node(p.child)

    def _Project(self, p: L.Project) -> PhysicalNode:
        child = self.node(p.child)
        return PhysicalNode("Project", _list(p.project_list), list(p.output),
                            [("Input", _keys(child.output))], [child])

    def _Filter(self, p: L.Filter) -> PhysicalNode:
        child = self.node(p.child)
        cond = shown(p.condition)
        return PhysicalNode("Filter", cond, list(p.output), [("Input", _keys(child.output)),
                                                             ("Condition ", cond)], [child])

    def _Generate(self, p: L.Generate) -> PhysicalNode:
        child = self.node(p.child)
        args = (f"{shown(p.generator)}, {_keys(p.child.output) if p.keep_child else '[]'}, "
                f"{str(p.outer).lower()}, {_keys(p.gen_output)}")
        return PhysicalNode("Generate", args, list(p.output), [("Input", _keys(child.output)),
                                                               ("Arguments", args)], [child])

    def _Sample(self, p: L.Sample) -> PhysicalNode:
        child = self.node(p.child)
        args = f"{p.lower}, {p.lower + p.fraction}, {str(p.with_replacement).lower()}, {p.seed}"
        return PhysicalNode("Sample", args, list(p.output), [("Arguments", args)], [child])

    def _MapPartitions(self, p: L.MapPartitions) -> PhysicalNode:
        kids = [self.node(p.child)] if p.child is not None else []
        name = {"pandas": "MapInPandas", "arrow": "MapInArrow"}.get(p.kind, "FlatMapGroupsInPandas")
        return PhysicalNode(name, _keys(p.attrs), list(p.attrs), [("Output", _keys(p.attrs))], kids)

    def _CoGroupMap(self, p: L.CoGroupMap) -> PhysicalNode:
        left = self._exchange(self.node(p.left), self._hash(p.left_keys))
        right = self._exchange(self.node(p.right), self._hash(p.right_keys))
        args = (f"[{', '.join(shown(k) for k in p.left_keys)}], "
                f"[{', '.join(shown(k) for k in p.right_keys)}], {_keys(p.attrs)}")
        name = "FlatMapCoGroupsInArrow" if p.kind == "arrow" else "FlatMapCoGroupsInPandas"
        return PhysicalNode(name, args, list(p.attrs),
                            [("Output", _keys(p.attrs))], [left, right])

    def _Union(self, p: L.Union) -> PhysicalNode:
        return PhysicalNode("Union", "", list(p.output), [], [self.node(c) for c in p.inputs])

    def _Repartition(self, p: L.Repartition) -> PhysicalNode:
        child = self.node(p.child)
        n = p.num_partitions or self.partitions
        if not p.shuffle:
            return PhysicalNode("Coalesce", str(n), list(p.output), [("Arguments", str(n))], [child])
        if p.by_range:
            part = f"rangepartitioning({', '.join(shown(e) for e in p.partition_exprs)}, {n})"
        elif p.partition_exprs:
            part = f"hashpartitioning({', '.join(shown(e) for e in p.partition_exprs)}, {n})"
        else:
            part = f"RoundRobinPartitioning({n})"
        # A count the user did not give may be coalesced adaptively (Spark's REPARTITION_BY_COL).
        origin = "REPARTITION_BY_NUM" if p.num_partitions else "REPARTITION_BY_COL"
        args = f"{part}, {origin}, [plan_id={next(self._plan_ids)}]"
        return self._adaptive_read(PhysicalNode("Exchange", args, list(p.output),
                                                [("Arguments", args)], [child]))

    # -- operators with exchanges --------------------------------------------------------------
    def _Aggregate(self, p: L.Aggregate) -> PhysicalNode:
        from pyspk.sql.execution.distributed import two_phase
        child = self.node(p.child)
        if p.grouping_sets is not None:
            child = PhysicalNode("Expand", f"{len(p.grouping_sets)} grouping sets", child.output, [],
                                 [child])
        split = two_phase(p) if self.distributed and p.grouping_sets is None else None
        if split is not None:
            partial, final = split
            pre = self._hash_aggregate(partial.grouping, partial.aggregates, child, "partial_")
            ex = self._exchange(pre, self._hash(p.grouping))
            return self._hash_aggregate(p.grouping, p.aggregates, ex, "", list(p.output))
        ex = self._exchange(child, self._hash(p.grouping))
        return self._hash_aggregate(p.grouping, p.aggregates, ex, "", list(p.output))

    def _hash_aggregate(self, grouping: Any, aggregates: Any, child: PhysicalNode, prefix: str,
                        output: list | None = None) -> PhysicalNode:
        from pyspk.sql.expressions.aggregates import AggregateFunction
        funcs = []
        for a in aggregates:
            for e in _walk(a):
                if isinstance(e, AggregateFunction):
                    funcs.append(prefix + shown(e))
        keys = "[" + ", ".join(attr_string(g.to_attribute()) if isinstance(g, Alias) else shown(g)
                               for g in grouping) + "]"
        out = output if output is not None else [_attr(a) for a in aggregates]
        args = f"(keys={keys}, functions=[{', '.join(funcs)}], output={_keys(out)})"
        details = [("Input", _keys(child.output)), ("Keys", keys),
                   ("Functions", "[" + ", ".join(funcs) + "]"), ("Results", _list(aggregates))]
        return PhysicalNode("HashAggregate", args, out, details, [child])

    def _Deduplicate(self, p: L.Deduplicate) -> PhysicalNode:
        child = self.node(p.child)
        keys = list(p.keys) or list(p.child.output)
        pre = PhysicalNode("HashAggregate", f"(keys={_keys(keys)}, functions=[])", list(p.output),
                           [("Keys", _keys(keys))], [child])
        if not self.distributed:
            return pre
        ex = self._exchange(pre, self._hash(keys))
        return PhysicalNode("HashAggregate", f"(keys={_keys(keys)}, functions=[])", list(p.output),
                            [("Keys", _keys(keys))], [ex])

    def _Join(self, p: L.Join) -> PhysicalNode:
        from pyspk.sql.execution.distributed import _small
        from pyspk.sql.optimizer.joins import split_join_condition
        lk, rk, residual = split_join_condition(p.condition, p.left.output, p.right.output)
        left, right = self.node(p.left), self.node(p.right)
        jt = {"inner": "Inner", "left": "LeftOuter", "right": "RightOuter", "full": "FullOuter",
              "left_semi": "LeftSemi", "left_anti": "LeftAnti", "cross": "Cross",
              "left_anti_null_aware": "LeftAnti"}.get(p.join_type, p.join_type)
        cond = shown(residual) if residual is not None else None
        details = [("Left keys", _list(lk)), ("Right keys", _list(rk)), ("Join type", jt),
                   ("Join condition", cond or "None")]
        broadcast = p.join_type in ("inner", "left", "left_semi", "left_anti", "cross",
                                    "left_anti_null_aware") and (not lk or _small(p.right, self.broadcast_bytes))
        if not lk:
            name = "BroadcastNestedLoopJoin" if broadcast else "CartesianProduct"
            args = f"BuildRight, {jt}" + (f", {cond}" if cond else "")
            if broadcast and self.distributed:
                right = PhysicalNode("BroadcastExchange", "IdentityBroadcastMode", right.output,
                                     [], [right])
            return PhysicalNode(name, args, list(p.output), details, [left, right])
        args = f"{_list(lk)}, {_list(rk)}, {jt}, BuildRight" + (f", {cond}" if cond else "")
        if broadcast:
            if self.distributed:
                mode = (f"HashedRelationBroadcastMode(List({', '.join(shown(k) for k in rk)}),false)"
                        f", [plan_id={next(self._plan_ids)}]")
                right = PhysicalNode("BroadcastExchange", mode, right.output, [("Arguments", mode)],
                                     [right])
            return PhysicalNode("BroadcastHashJoin", args + ", false", list(p.output), details,
                                [left, right])
        left = self._exchange(left, self._hash(lk))
        right = self._exchange(right, self._hash(rk))
        return PhysicalNode("ShuffledHashJoin", args, list(p.output), details, [left, right])

    def _Sort(self, p: L.Sort) -> PhysicalNode:
        child = self.node(p.child)
        order = _list(p.order)
        if p.is_global:
            child = self._exchange(child, f"rangepartitioning({', '.join(shown(o) for o in p.order)}"
                                          f", {self.partitions})")
        args = f"{order}, {str(p.is_global).lower()}, 0"
        return PhysicalNode("Sort", args, list(p.output), [("Input", _keys(child.output)),
                                                           ("Arguments", args)], [child])

    def _Limit(self, p: L.Limit) -> PhysicalNode:
        if isinstance(p.child, L.Sort):
            child = self.node(p.child.child)
            args = f"(limit={p.n}, orderBy={_list(p.child.order)}, output={_keys(p.output)})"
            return PhysicalNode("TakeOrderedAndProject", args, list(p.output),
                                [("Input", _keys(child.output)), ("Arguments", args)], [child])
        child = self.node(p.child)
        local = PhysicalNode("LocalLimit", str(p.n), list(p.output), [("Arguments", str(p.n))],
                             [child])
        single = self._exchange(local, "SinglePartition")
        return PhysicalNode("GlobalLimit", f"{p.n}, 0", list(p.output), [("Arguments", f"{p.n}, 0")],
                            [single])

    def _OffsetRows(self, p: L.OffsetRows) -> PhysicalNode:
        child = self._exchange(self.node(p.child), "SinglePartition")
        return PhysicalNode("GlobalLimit", f"-1, {p.n}", list(p.output), [("Arguments", f"-1, {p.n}")],
                            [child])

    def _Window(self, p: L.Window) -> PhysicalNode:
        child = self.node(p.child)
        first = p.window_exprs[0]
        spec = (first.child if hasattr(first, "child") else first).spec
        ex = self._exchange(child, self._hash(spec.partition))
        order = list(spec.partition) + list(spec.order)
        sort_args = "[" + ", ".join(
            (shown(o) if isinstance(o, SortOrder) else f"{shown(o)} ASC NULLS FIRST") for o in order
        ) + "], false, 0"
        sort = PhysicalNode("Sort", sort_args, ex.output, [("Arguments", sort_args)], [ex])
        args = (f"{_list(p.window_exprs)}, {_list(spec.partition)}, {_list(spec.order)}")
        return PhysicalNode("Window", args, list(p.output), [("Arguments", args)], [sort])

    def _SetOperation(self, p: L.SetOperation) -> PhysicalNode:
        left, right = self.node(p.left), self.node(p.right)
        left = self._exchange(left, self._hash(p.left.output))
        right = self._exchange(right, self._hash(p.right.output))
        name = {"intersect": "Intersect", "except": "Except"}.get(p.op, p.op.title())
        name += "All" if p.is_all else ""
        return PhysicalNode(name, "", list(p.output), [], [left, right])


def _attr(e: Expression) -> AttributeReference:
    return L.named_to_attribute(e)


def _walk(e: Expression):
    yield e
    for c in e.children():
        yield from _walk(c)
