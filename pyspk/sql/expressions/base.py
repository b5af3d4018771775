"""The expression tree shared by the DataFrame API and SQL: nodes, names and Arrow evaluation.

Expressions are frozen dataclasses. Child expressions are found generically (any field holding an
``Expression`` or a tuple of them), so rules rewrite trees with ``transform`` without per-node code.
A resolved expression knows its ``data_type`` and evaluates over an Arrow table whose columns are
named by attribute key (``name#id``), returning an Arrow array or scalar.
"""
from __future__ import annotations

import dataclasses
import datetime
import decimal
import itertools
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import pyarrow as pa

from pyspk.sql._tree import children_of, map_children_of
from pyspk.sql import types as T
from pyspk.sql._arrow_types import column_from_python, to_arrow_type

_ids = itertools.count(1)


def new_id() -> int:
    """A fresh expression id, unique within the process."""
    return next(_ids)


@dataclass(frozen=True)
class EvalContext:
    """Session settings that change evaluation results."""

    ansi: bool = True
    time_zone: str = "UTC"


ArrowValue = Any  # pa.Array | pa.ChunkedArray | pa.Scalar

_context_provider: Callable[[], EvalContext] | None = None


def set_eval_context_provider(provider: Callable[[], EvalContext]) -> None:
    """Register how plan-time evaluation (constant folding) reads the active session's settings."""
    global _context_provider
    _context_provider = provider


def current_eval_context() -> EvalContext:
    """The active session's evaluation settings (ANSI mode, time zone); defaults without one."""
    if _context_provider is not None:
        try:
            return _context_provider()
        except LookupError:
            pass
    return EvalContext()


class Expression:
    """Base of every expression node."""

    def children(self) -> list["Expression"]:
        return children_of(self, Expression)

    def map_children(self, fn: Callable[["Expression"], "Expression"]) -> "Expression":
        return map_children_of(self, Expression, fn)

    def transform_up(self, fn: Callable[["Expression"], "Expression"]) -> "Expression":
        return fn(self.map_children(lambda c: c.transform_up(fn)))

    def transform_down(self, fn: Callable[["Expression"], "Expression"]) -> "Expression":
        return fn(self).map_children(lambda c: c.transform_down(fn))

    def walk(self) -> Iterator["Expression"]:
        yield self
        for c in self.children():
            yield from c.walk()

    def references(self) -> set[int]:
        return {e.expr_id for e in self.walk() if isinstance(e, AttributeReference)}

    @property
    def resolved(self) -> bool:
        return all(c.resolved for c in self.children())

    @property
    def foldable(self) -> bool:
        kids = self.children()
        return bool(kids) and all(c.foldable for c in kids) and self.deterministic

    @property
    def deterministic(self) -> bool:
        return all(c.deterministic for c in self.children())

    @property
    def data_type(self) -> T.DataType:
        raise TypeError(f"{type(self).__name__} has no type before analysis")

    @property
    def nullable(self) -> bool:
        return any(c.nullable for c in self.children())

    def sql(self) -> str:
        args = ", ".join(c.sql() for c in self.children())
        return f"{self.pretty_name()}({args})"

    def pretty_name(self) -> str:
        return type(self).__name__.lower()

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        raise TypeError(f"{type(self).__name__} cannot be evaluated")

    def __str__(self) -> str:
        return self.sql()


@dataclass(frozen=True)
class UnresolvedAttribute(Expression):
    """A column name (possibly qualified, ``t.a``) not yet bound to an input attribute."""

    parts: tuple[str, ...]
    plan_id: int | None = None
    origin: tuple[int, int] | None = field(default=None, compare=False, hash=False)

    @property
    def resolved(self) -> bool:
        return False

    def sql(self) -> str:
        return ".".join(_quote_if_needed(p) for p in self.parts)

    @property
    def name(self) -> str:
        return ".".join(self.parts)


def _quote_if_needed(part: str) -> str:
    if part.replace("_", "a").isalnum() and not part[:1].isdigit():
        return part
    return "`" + part.replace("`", "``") + "`"


@dataclass(frozen=True)
class UnresolvedStar(Expression):
    """``*`` or ``t.*`` in a select list."""

    target: tuple[str, ...] | None = None
    plan_id: int | None = None

    @property
    def resolved(self) -> bool:
        return False

    def sql(self) -> str:
        return ".".join(self.target) + ".*" if self.target else "*"


@dataclass(frozen=True)
class UnresolvedFunction(Expression):
    """A function call by name; the analyzer looks the name up in the function registry."""

    name: str
    args: tuple[Expression, ...]
    distinct: bool = False
    is_star: bool = False
    filter: Expression | None = None
    ignore_nulls: bool = False

    @property
    def resolved(self) -> bool:
        return False

    def sql(self) -> str:
        inner = ", ".join(a.sql() for a in self.args)
        return f"{self.name}({'DISTINCT ' if self.distinct else ''}{inner})"


@dataclass(frozen=True)
class AttributeReference(Expression):
    """An input column bound to the attribute that produces it (identified by ``expr_id``)."""

    name: str
    dtype: T.DataType
    is_nullable: bool = True
    expr_id: int = field(default_factory=new_id)
    qualifier: tuple[str, ...] = ()
    metadata: tuple = field(default=(), compare=False)

    @property
    def resolved(self) -> bool:
        return True

    @property
    def data_type(self) -> T.DataType:
        return self.dtype

    @property
    def nullable(self) -> bool:
        return self.is_nullable

    @property
    def foldable(self) -> bool:
        return False

    @property
    def key(self) -> str:
        return f"{self.name}#{self.expr_id}"

    def sql(self) -> str:
        return _quote_if_needed(self.name) if "." not in self.name else f"`{self.name}`"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return batch.column(self.key)

    def with_qualifier(self, q: tuple[str, ...]) -> "AttributeReference":
        return dataclasses.replace(self, qualifier=q)

    def with_name(self, name: str) -> "AttributeReference":
        return dataclasses.replace(self, name=name)

    def new_instance(self) -> "AttributeReference":
        return dataclasses.replace(self, expr_id=new_id())

    def with_nullable(self, nullable: bool) -> "AttributeReference":
        return dataclasses.replace(self, is_nullable=nullable)


@dataclass(frozen=True)
class OuterReference(Expression):
    """An attribute of an enclosing query used inside a correlated subquery."""

    attr: AttributeReference

    @property
    def data_type(self) -> T.DataType:
        return self.attr.data_type

    @property
    def foldable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"outer({self.attr.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return batch.column(self.attr.key)


@dataclass(frozen=True)
class Alias(Expression):
    """``child AS name``: names an output column and gives it a new attribute id."""

    child: Expression
    name: str
    expr_id: int = field(default_factory=new_id)
    metadata: tuple = ()

    @property
    def data_type(self) -> T.DataType:
        return self.child.data_type

    def sql(self) -> str:
        return f"{self.child.sql()} AS {_quote_if_needed(self.name)}"

    def to_attribute(self) -> AttributeReference:
        inherited = self.child.metadata if isinstance(self.child, AttributeReference) else ()
        return AttributeReference(self.name, self.child.data_type, self.child.nullable, self.expr_id,
                                  metadata=self.metadata or inherited)

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return self.child.eval(batch, ctx)


@dataclass(frozen=True)
class Literal(Expression):
    """A constant of a given type."""

    value: Any
    dtype: T.DataType

    @property
    def resolved(self) -> bool:
        return True

    @property
    def data_type(self) -> T.DataType:
        return self.dtype

    @property
    def nullable(self) -> bool:
        return self.value is None

    @property
    def foldable(self) -> bool:
        return True

    def sql(self) -> str:
        return literal_to_string(self.value, self.dtype)

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return literal_scalar(self.value, self.dtype)

    @staticmethod
    def of(value: Any) -> "Literal":
        return Literal(_freeze(value), infer_literal_type(value))


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _freeze(v)) for k, v in value.items())
    return value


def literal_scalar(value: Any, dt: T.DataType) -> pa.Scalar:
    """An Arrow scalar of ``dt`` holding a literal's value."""
    if isinstance(dt, T.NullType) or value is None:
        return pa.scalar(None, to_arrow_type(dt))
    if isinstance(dt, T.MapType):
        value = dict(value)
    elif isinstance(dt, T.ArrayType):
        value = list(value)
    return column_from_python([value], dt)[0]


def infer_literal_type(value: Any) -> T.DataType:
    """The type Spark gives a Python literal passed to ``lit``."""
    if value is None:
        return T.NullType()
    if isinstance(value, bool):
        return T.BooleanType()
    if isinstance(value, int):
        return T.IntegerType() if -(1 << 31) <= value < (1 << 31) else T.LongType()
    if isinstance(value, float):
        return T.DoubleType()
    if isinstance(value, decimal.Decimal):
        sign, digits, exp = value.as_tuple()
        scale = max(0, -int(exp))
        precision = max(len(digits), scale, 1)
        return T.DecimalType(min(precision, 38), scale)
    if isinstance(value, (list, tuple)):
        el: T.DataType = T.NullType()
        for v in value:
            el = T._merge_type(el, infer_literal_type(v))
        return T.ArrayType(el, True) if not isinstance(el, T.NullType) else T.ArrayType(T.NullType())
    return T._infer_type(value)


def literal_to_string(value: Any, dt: T.DataType) -> str:
    """How Spark prints a literal inside an auto-generated column name."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(dt, T.DoubleType):
        return _java_double(value)
    if isinstance(dt, T.FloatType):
        return _java_double(value)
    if isinstance(dt, T.DateType):
        return f"DATE '{value.isoformat()}'"
    if isinstance(dt, T.TimestampType):
        from pyspk.sql.expressions.display import format_timestamp
        from pyspk.sql.expressions.tz import py_process_to_session
        return f"TIMESTAMP '{format_timestamp(py_process_to_session(value))}'"
    if isinstance(dt, T.TimestampNTZType):
        from pyspk.sql.expressions.display import format_timestamp
        return f"TIMESTAMP_NTZ '{format_timestamp(value)}'"
    if isinstance(dt, T.ArrayType):
        return "array(" + ", ".join(literal_to_string(v, dt.elementType) for v in value) + ")"
    if isinstance(dt, T.DayTimeIntervalType) and isinstance(value, datetime.timedelta):
        return f"INTERVAL '{value}'"
    return str(value)


def _java_double(v: float) -> str:
    """Java's ``Double.toString``: ``1.0``, ``1.0E10``, ``NaN``, ``Infinity``."""
    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "Infinity" if v > 0 else "-Infinity"
    if v == 0 or 1e-3 <= abs(v) < 1e7:
        r = repr(float(v))
        return r if "e" not in r else format(v, "f")
    sign, digits, exp = decimal.Decimal(repr(float(v))).as_tuple()
    ds = "".join(map(str, digits)).rstrip("0") or "0"
    e10 = len(digits) - 1 + int(exp)
    return f"{'-' if sign else ''}{ds[0]}.{ds[1:] or '0'}E{e10}"


@dataclass(frozen=True)
class SortOrder(Expression):
    """A sort key: child, direction and where nulls go."""

    child: Expression
    ascending: bool = True
    nulls_first: bool | None = None

    @property
    def effective_nulls_first(self) -> bool:
        return self.ascending if self.nulls_first is None else self.nulls_first

    @property
    def data_type(self) -> T.DataType:
        return self.child.data_type

    def sql(self) -> str:
        d = "ASC" if self.ascending else "DESC"
        n = "NULLS FIRST" if self.effective_nulls_first else "NULLS LAST"
        return f"{self.child.sql()} {d} {n}"


def origin_suffix(origin: tuple[int, int] | None) -> str:
    """Spark's ``; line L pos P`` after an analysis error raised for SQL text."""
    return f"; line {origin[0]} pos {origin[1]}" if origin else ""


def is_scalar(v: ArrowValue) -> bool:
    return isinstance(v, pa.Scalar)


def to_array(v: ArrowValue, length: int) -> pa.Array | pa.ChunkedArray:
    """Broadcast a scalar result to a column of ``length`` rows."""
    if isinstance(v, pa.Scalar):
        if not v.is_valid:
            return pa.nulls(length, v.type)
        return pa.repeat(v, length)
    return v
