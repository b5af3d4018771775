"""CASE WHEN, IF, COALESCE, NULLIF and friends."""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql._arrow_types import to_arrow_type
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, to_array
from pyspk.sql.expressions.cast import Cast
from pyspk.sql.expressions import coercion as C
from pyspk.sql.expressions.lazy_eval import all_rows, eager_or_selective, scatter, split


def common_type(exprs: list[Expression], what: str) -> T.DataType:
    """The type every branch is cast to; raises when branches cannot agree."""
    dt: T.DataType = T.NullType()
    for e in exprs:
        nt = C.tightest_common_type(dt, e.data_type)
        if nt is None:
            nt = C.comparison_type(dt, e.data_type)
            if C.is_string(dt) or C.is_string(e.data_type):
                nt = T.StringType()
        if nt is None:
            raise AnalysisException(
                f"[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve \"{what}\" due to data type "
                f"mismatch: Input to `{what}` should all be the same type. SQLSTATE: 42K09",
                errorClass="DATATYPE_MISMATCH.DATA_DIFF_TYPES")
        dt = nt
    return dt


def _cast(e: Expression, dt: T.DataType) -> Expression:
    return e if e.data_type == dt else Cast(e, dt, implicit=True)


def _choose(cond: ArrowValue, a: ArrowValue, b: ArrowValue, n: int) -> ArrowValue:
    if isinstance(cond, pa.Scalar) and isinstance(a, pa.Scalar) and isinstance(b, pa.Scalar):
        return a if cond.as_py() else b
    cond = pc.fill_null(to_array(cond, n), False)
    return pc.if_else(cond, a, b)


@dataclass(frozen=True)
class CaseWhen(Expression):
    """``CASE WHEN c1 THEN v1 … ELSE e END``."""

    conditions: tuple[Expression, ...]
    values: tuple[Expression, ...]
    else_value: Expression | None = None

    @property
    def data_type(self) -> T.DataType:
        return self.values[0].data_type

    @property
    def nullable(self) -> bool:
        return self.else_value is None or any(v.nullable for v in self.values) or \
            self.else_value.nullable

    def sql(self) -> str:
        parts = " ".join(f"WHEN {c.sql()} THEN {v.sql()}" for c, v in zip(self.conditions, self.values))
        tail = f" ELSE {self.else_value.sql()}" if self.else_value is not None else ""
        return f"CASE {parts}{tail} END"

    def coerce(self) -> Expression:
        outs = list(self.values) + ([self.else_value] if self.else_value is not None else [])
        dt = common_type(outs, "CASE WHEN")
        if isinstance(dt, T.NullType):
            dt = T.NullType()
        return CaseWhen(tuple(_cast(c, T.BooleanType()) for c in self.conditions),
                        tuple(_cast(v, dt) for v in self.values),
                        _cast(self.else_value, dt) if self.else_value is not None else None)

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return eager_or_selective(lambda: self._eager(batch, ctx), lambda: self._selective(batch, ctx))

    def _eager(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        n = len(batch)
        out_type = to_arrow_type(self.data_type)
        result: ArrowValue = self.else_value.eval(batch, ctx) if self.else_value is not None \
            else pa.scalar(None, out_type)
        for c, v in reversed(list(zip(self.conditions, self.values))):
            result = _choose(c.eval(batch, ctx), v.eval(batch, ctx), result, n)
        return result

    def _selective(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        """Each condition over the rows no earlier branch took, each value over its rows only."""
        n = len(batch)
        out_type = to_arrow_type(self.data_type)
        idx, sub, parts = all_rows(n), batch, []
        for c, v in zip(self.conditions, self.values):
            if sub.num_rows == 0:
                break
            hit, miss = split(c.eval(sub, ctx), sub.num_rows)
            if len(hit):
                parts.append((pc.take(idx, hit), v.eval(sub.take(hit), ctx)))
            sub, idx = sub.take(miss), pc.take(idx, miss)
        if sub.num_rows:
            rest = self.else_value.eval(sub, ctx) if self.else_value is not None \
                else pa.scalar(None, out_type)
            parts.append((idx, rest))
        return scatter(n, parts, out_type)


@dataclass(frozen=True)
class If(Expression):
    """``if(cond, a, b)``."""

    predicate: Expression
    true_value: Expression
    false_value: Expression

    @property
    def data_type(self) -> T.DataType:
        return self.true_value.data_type

    def sql(self) -> str:
        return f"(IF({self.predicate.sql()}, {self.true_value.sql()}, {self.false_value.sql()}))"

    def coerce(self) -> Expression:
        dt = common_type([self.true_value, self.false_value], "if")
        return If(self.predicate, _cast(self.true_value, dt), _cast(self.false_value, dt))

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return eager_or_selective(
            lambda: _choose(self.predicate.eval(batch, ctx), self.true_value.eval(batch, ctx),
                            self.false_value.eval(batch, ctx), len(batch)),
            lambda: CaseWhen((self.predicate,), (self.true_value,),
                             self.false_value)._selective(batch, ctx))


@dataclass(frozen=True)
class Coalesce(Expression):
    """The first non-null argument."""

    args: tuple[Expression, ...]

    @property
    def data_type(self) -> T.DataType:
        return self.args[0].data_type

    @property
    def nullable(self) -> bool:
        return all(a.nullable for a in self.args)

    def sql(self) -> str:
        return f"coalesce({', '.join(a.sql() for a in self.args)})"

    def coerce(self) -> Expression:
        dt = common_type(list(self.args), "coalesce")
        return Coalesce(tuple(_cast(a, dt) for a in self.args))

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return eager_or_selective(lambda: self._eager(batch, ctx), lambda: self._selective(batch, ctx))

    def _eager(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        vals = [a.eval(batch, ctx) for a in self.args]
        if all(isinstance(v, pa.Scalar) for v in vals):
            return next((v for v in vals if v.is_valid), vals[-1])
        return pc.coalesce(*vals)

    def _selective(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        """Each argument over the rows every earlier argument left NULL."""
        n = len(batch)
        out_type = to_arrow_type(self.data_type)
        idx, sub, parts = all_rows(n), batch, []
        for a in self.args:
            if sub.num_rows == 0:
                break
            vals = to_array(a.eval(sub, ctx), sub.num_rows)
            found, missing = split(pc.is_valid(vals), sub.num_rows)
            if len(found):
                parts.append((pc.take(idx, found), pc.take(vals, found)))
            sub, idx = sub.take(missing), pc.take(idx, missing)
        if len(idx):
            parts.append((idx, pa.scalar(None, out_type)))
        return scatter(n, parts, out_type)


@dataclass(frozen=True)
class NullIf(Expression):
    """``nullif(a, b)``: NULL when ``a = b`` else ``a``."""

    left: Expression
    right: Expression

    @property
    def data_type(self) -> T.DataType:
        return self.left.data_type

    def coerce(self) -> Expression:
        dt = common_type([self.left, self.right], "nullif")
        return NullIf(_cast(self.left, dt), _cast(self.right, dt))

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        a = self.left.eval(batch, ctx)
        eq = pc.fill_null(pc.equal(a, self.right.eval(batch, ctx)), False)
        return _choose(eq, pa.scalar(None, a.type), a, len(batch))
