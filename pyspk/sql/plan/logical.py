"""Logical plan nodes. Frozen dataclasses; children and expressions are found generically so that
analyzer and optimizer rules are small functions over immutable trees."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import pyarrow as pa

from pyspk.sql._tree import children_of, map_children_of
from pyspk.sql import types as T
from pyspk.sql.expressions.base import (
    Alias, AttributeReference, Expression, SortOrder, new_id,
)


class LogicalPlan:
    """Base of logical operators."""

    def children(self) -> list["LogicalPlan"]:
        return children_of(self, LogicalPlan)

    def map_children(self, fn: Callable[["LogicalPlan"], "LogicalPlan"]) -> "LogicalPlan":
        return map_children_of(self, LogicalPlan, fn)

    def expressions(self) -> list[Expression]:
        return children_of(self, Expression)

    def map_expressions(self, fn: Callable[[Expression], Expression]) -> "LogicalPlan":
        return map_children_of(self, Expression, fn)

    def transform_up(self, fn: Callable[["LogicalPlan"], "LogicalPlan"]) -> "LogicalPlan":
        return fn(self.map_children(lambda c: c.transform_up(fn)))

    def transform_down(self, fn: Callable[["LogicalPlan"], "LogicalPlan"]) -> "LogicalPlan":
        return fn(self).map_children(lambda c: c.transform_down(fn))

    def walk(self) -> Iterator["LogicalPlan"]:
        yield self
        for c in self.children():
            yield from c.walk()

    @property
    def output(self) -> list[AttributeReference]:
        return self.children()[0].output

    @property
    def resolved(self) -> bool:
        return all(e.resolved for e in self.expressions()) and all(c.resolved for c in self.children())

    def schema(self) -> T.StructType:
        return T.StructType([T.StructField(a.name, a.data_type, a.nullable, _unfreeze(a.metadata))
                             for a in self.output])

    def node_name(self) -> str:
        return type(self).__name__

    def arg_string(self) -> str:
        return ", ".join(e.sql() for e in self.expressions())

    def tree_string(self, depth: int = 0) -> str:
        pad = "" if depth == 0 else "   " * (depth - 1) + "+- "
        line = f"{pad}{self.node_name()} {self.arg_string()}".rstrip()
        return "\n".join([line] + [c.tree_string(depth + 1) for c in self.children()])


@dataclass(frozen=True)
class LocalRelation(LogicalPlan):
    """In-memory rows (an Arrow table whose columns line up with ``attrs``)."""

    attrs: tuple[AttributeReference, ...]
    data: pa.Table = field(compare=False, hash=False)
    num_partitions: int = 1

    @property
    def output(self) -> list[AttributeReference]:
        return list(self.attrs)

    def arg_string(self) -> str:
        return "[" + ", ".join(a.key for a in self.attrs) + "]"


@dataclass(frozen=True)
class RDDRelation(LogicalPlan):
    """Rows of an RDD of Arrow record batches (a DataFrame built from an RDD)."""

    attrs: tuple[AttributeReference, ...]
    rdd: Any = field(compare=False, hash=False)

    @property
    def output(self) -> list[AttributeReference]:
        return list(self.attrs)


@dataclass(frozen=True)
class Range(LogicalPlan):
    """``spark.range(start, end, step)`` producing one ``id`` column."""

    start: int
    end: int
    step: int
    num_partitions: int
    attr: AttributeReference

    @property
    def output(self) -> list[AttributeReference]:
        return [self.attr]

    def arg_string(self) -> str:
        return f"({self.start}, {self.end}, step={self.step}, splits={self.num_partitions})"


@dataclass(frozen=True)
class FileScan(LogicalPlan):
    """Files of one format; ``filters`` are conjuncts pushed into the scan for pruning."""

    fmt: str
    paths: tuple[str, ...]
    attrs: tuple[AttributeReference, ...]
    options: tuple[tuple[str, str], ...] = ()
    filters: tuple[Expression, ...] = ()
    partition_attrs: tuple[str, ...] = ()

    @property
    def output(self) -> list[AttributeReference]:
        return list(self.attrs)

    def arg_string(self) -> str:
        cols = ",".join(a.key for a in self.attrs)
        return f"{self.fmt} [{cols}] {list(self.paths)}"


@dataclass(frozen=True)
class UnresolvedRelation(LogicalPlan):
    """A table or view name from SQL, looked up in the catalog by the analyzer."""

    parts: tuple[str, ...]
    origin: tuple[int, int] | None = field(default=None, compare=False, hash=False)

    @property
    def output(self) -> list[AttributeReference]:
        return []

    @property
    def resolved(self) -> bool:
        return False


@dataclass(frozen=True)
class OneRowRelation(LogicalPlan):
    """The single empty row a ``SELECT`` without ``FROM`` reads."""

    @property
    def output(self) -> list[AttributeReference]:
        return []


@dataclass(frozen=True)
class Project(LogicalPlan):
    project_list: tuple[Expression, ...]
    child: LogicalPlan

    @property
    def output(self) -> list[AttributeReference]:
        return [named_to_attribute(e) for e in self.project_list]

    @property
    def resolved(self) -> bool:
        return all(isinstance(e, (Alias, AttributeReference)) for e in self.project_list) and \
            super().resolved


@dataclass(frozen=True)
class Filter(LogicalPlan):
    condition: Expression
    child: LogicalPlan


@dataclass(frozen=True)
class Aggregate(LogicalPlan):
    grouping: tuple[Expression, ...]
    aggregates: tuple[Expression, ...]
    child: LogicalPlan
    grouping_sets: tuple[tuple[int, ...], ...] | None = None

    @property
    def output(self) -> list[AttributeReference]:
        return [named_to_attribute(e) for e in self.aggregates]

    @property
    def resolved(self) -> bool:
        return all(isinstance(e, (Alias, AttributeReference)) for e in self.aggregates) and \
            super().resolved


@dataclass(frozen=True)
class Join(LogicalPlan):
    left: LogicalPlan
    right: LogicalPlan
    join_type: str = "inner"
    condition: Expression | None = None
    using: tuple[str, ...] | None = None

    @property
    def output(self) -> list[AttributeReference]:
        lo, ro = self.left.output, self.right.output
        jt = self.join_type
        if jt in ("left_semi", "left_anti"):
            return lo
        if jt in ("left",):
            return lo + [a.with_nullable(True) for a in ro]
        if jt == "right":
            return [a.with_nullable(True) for a in lo] + ro
        if jt == "full":
            return [a.with_nullable(True) for a in lo] + [a.with_nullable(True) for a in ro]
        return lo + ro

    def arg_string(self) -> str:
        return f"{self.join_type.title().replace('_', '')}" + (
            f", {self.condition.sql()}" if self.condition is not None else "")


@dataclass(frozen=True)
class Sort(LogicalPlan):
    order: tuple[SortOrder, ...]
    is_global: bool
    child: LogicalPlan


@dataclass(frozen=True)
class Limit(LogicalPlan):
    n: int
    child: LogicalPlan

    def arg_string(self) -> str:
        return str(self.n)


@dataclass(frozen=True)
class OffsetRows(LogicalPlan):
    n: int
    child: LogicalPlan

    def node_name(self) -> str:
        return "Offset"

    def arg_string(self) -> str:
        return str(self.n)


@dataclass(frozen=True)
class SubqueryAlias(LogicalPlan):
    alias: str
    child: LogicalPlan

    @property
    def output(self) -> list[AttributeReference]:
        return [a.with_qualifier((self.alias,)) for a in self.child.output]

    def arg_string(self) -> str:
        return self.alias


@dataclass(frozen=True)
class Union(LogicalPlan):
    """Positional UNION ALL of children (resolution of by-name unions happens before)."""

    inputs: tuple[LogicalPlan, ...]

    @property
    def resolved(self) -> bool:
        if not all(c.resolved for c in self.inputs):
            return False
        first = [a.data_type for a in self.inputs[0].output]
        return all([a.data_type for a in c.output] == first for c in self.inputs[1:])

    @property
    def output(self) -> list[AttributeReference]:
        first = self.inputs[0].output
        nullable = [any(c.output[i].nullable for c in self.inputs) for i in range(len(first))]
        return [a.with_nullable(n) for a, n in zip(first, nullable)]


@dataclass(frozen=True)
class SetOperation(LogicalPlan):
    """INTERSECT / EXCEPT, with or without ALL."""

    left: LogicalPlan
    right: LogicalPlan
    op: str = "intersect"
    is_all: bool = False

    @property
    def output(self) -> list[AttributeReference]:
        return self.left.output

    def arg_string(self) -> str:
        return f"{self.op}{' all' if self.is_all else ''}"


@dataclass(frozen=True)
class Deduplicate(LogicalPlan):
    """Keep the first row of each distinct combination of ``keys`` (all columns if empty)."""

    keys: tuple[AttributeReference, ...]
    child: LogicalPlan


@dataclass(frozen=True)
class Window(LogicalPlan):
    """Adds window expression columns (all sharing one partition/order spec) to the child."""

    window_exprs: tuple[Expression, ...]
    child: LogicalPlan

    @property
    def output(self) -> list[AttributeReference]:
        return self.child.output + [named_to_attribute(e) for e in self.window_exprs]


@dataclass(frozen=True)
class Generate(LogicalPlan):
    """explode/posexplode/inline: each input row becomes zero or more rows."""

    generator: Expression
    outer: bool
    gen_output: tuple[AttributeReference, ...]
    child: LogicalPlan
    keep_child: bool = True

    @property
    def output(self) -> list[AttributeReference]:
        base = self.child.output if self.keep_child else []
        return base + list(self.gen_output)


@dataclass(frozen=True)
class Repartition(LogicalPlan):
    num_partitions: int | None
    partition_exprs: tuple[Expression, ...]
    shuffle: bool
    child: LogicalPlan
    by_range: bool = False


@dataclass(frozen=True)
class Sample(LogicalPlan):
    fraction: float
    with_replacement: bool
    seed: int
    child: LogicalPlan
    lower: float = 0.0


@dataclass(frozen=True)
class MapPartitions(LogicalPlan):
    """A Python function over batches (mapInPandas / mapInArrow / applyInPandas) with a schema."""

    func: Any = field(compare=False, hash=False)
    attrs: tuple[AttributeReference, ...] = ()
    child: LogicalPlan | None = None
    kind: str = "arrow"
    grouping: tuple[Expression, ...] = ()

    @property
    def output(self) -> list[AttributeReference]:
        return list(self.attrs)


@dataclass(frozen=True)
class CoGroupMap(LogicalPlan):
    """``cogroup(...).applyInPandas`` / ``applyInArrow`` (``kind`` "pandas" / "arrow"): a Python
    function over each pair of groups, one from each side, with equal grouping keys (a side
    without the key gives an empty group)."""

    func: Any = field(compare=False, hash=False)
    attrs: tuple[AttributeReference, ...] = ()
    left: LogicalPlan | None = None
    right: LogicalPlan | None = None
    left_keys: tuple[Expression, ...] = ()
    right_keys: tuple[Expression, ...] = ()
    kind: str = "pandas"

    @property
    def output(self) -> list[AttributeReference]:
        return list(self.attrs)


@dataclass(frozen=True)
class CollectMetrics(LogicalPlan):
    """``df.observe``: aggregates ``metrics`` over the rows flowing through and hands the result
    to ``sink`` (an ``Observation``); its rows pass through unchanged."""

    name: str
    metrics: tuple[Expression, ...]
    child: LogicalPlan
    sink: Any = field(default=None, compare=False, hash=False)

    def arg_string(self) -> str:
        return f"{self.name}, [" + ", ".join(e.sql() for e in self.metrics) + "]"


@dataclass(frozen=True)
class CachedRelation(LogicalPlan):
    """A plan whose result is kept after first computation (``cache``/``persist``)."""

    child: LogicalPlan
    store: dict = field(default_factory=dict, compare=False, hash=False)
    level: str = "MEMORY_AND_DISK"

    def release(self, blocking: bool = False) -> None:
        """Forget the computed rows (their blocks unpersisted); the next read computes them."""
        rdd = self.store.pop("rdd", None)
        if rdd is not None:
            rdd.unpersist(blocking)
        self.store.pop("table", None)


def _unfreeze(meta: tuple) -> dict:
    import json
    return {k: json.loads(v) for k, v in meta}


def freeze_metadata(meta: dict | None) -> tuple:
    """Metadata as a hashable tuple (values JSON-encoded) for frozen expression nodes."""
    import json
    return tuple(sorted((k, json.dumps(v, sort_keys=True)) for k, v in (meta or {}).items()))


def named_to_attribute(e: Expression) -> AttributeReference:
    """The output attribute a select-list item produces."""
    if isinstance(e, AttributeReference):
        return e
    if isinstance(e, Alias):
        return e.to_attribute()
    return AttributeReference(e.sql(), e.data_type, e.nullable, new_id())
