"""Comparisons, boolean logic (three-valued), null tests, IN and LIKE."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, Literal, to_array
from pyspk.sql.expressions.lazy_eval import eager_or_selective
from pyspk.sql.expressions.cast import Cast, sql_type_name
from pyspk.sql.expressions import coercion as C


def _cast_to(e: Expression, dt: T.DataType) -> Expression:
    return e if e.data_type == dt else Cast(e, dt, implicit=True)


def _type_mismatch(expr: Expression, lt: T.DataType, rt: T.DataType) -> AnalysisException:
    return AnalysisException(
        f"[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] Cannot resolve \"{expr.sql()}\" due to data type "
        f"mismatch: the left and right operands of the binary operator have incompatible types "
        f"(\"{sql_type_name(lt)}\" and \"{sql_type_name(rt)}\"). SQLSTATE: 42K09",
        errorClass="DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES")


@dataclass(frozen=True)
class BinaryComparison(Expression):
    """``left op right`` producing a boolean."""

    left: Expression
    right: Expression
    symbol = "="
    kernel = "equal"

    @property
    def data_type(self) -> T.DataType:
        return T.BooleanType()

    def sql(self) -> str:
        return f"({self.left.sql()} {self.symbol} {self.right.sql()})"

    def coerce(self) -> Expression:
        lt, rt = self.left.data_type, self.right.data_type
        if lt == rt:
            return self
        common = C.comparison_type(lt, rt)
        if common is None:
            raise _type_mismatch(self, lt, rt)
        return type(self)(_cast_to(self.left, common), _cast_to(self.right, common))

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        lv = self.left.eval(batch, ctx)
        rv = self.right.eval(batch, ctx)
        if pa.types.is_null(lv.type) or pa.types.is_null(rv.type):
            n = len(batch) if not (isinstance(lv, pa.Scalar) and isinstance(rv, pa.Scalar)) else None
            return pa.scalar(None, pa.bool_()) if n is None else pa.nulls(n, pa.bool_())
        if pa.types.is_floating(lv.type) and self.kernel in ("equal", "not_equal"):
            return _nan_aware_equal(lv, rv, self.kernel)
        return getattr(pc, self.kernel)(lv, rv)


def _nan_aware_equal(lv: ArrowValue, rv: ArrowValue, kernel: str) -> ArrowValue:
    """Spark treats NaN = NaN as true."""
    eq = pc.or_kleene(pc.equal(lv, rv), pc.and_kleene(pc.is_nan(lv), pc.is_nan(rv)))
    return eq if kernel == "equal" else pc.invert(eq)


@dataclass(frozen=True)
class EqualTo(BinaryComparison):
    symbol = "="
    kernel = "equal"


@dataclass(frozen=True)
class LessThan(BinaryComparison):
    symbol = "<"
    kernel = "less"


@dataclass(frozen=True)
class LessThanOrEqual(BinaryComparison):
    symbol = "<="
    kernel = "less_equal"


@dataclass(frozen=True)
class GreaterThan(BinaryComparison):
    symbol = ">"
    kernel = "greater"


@dataclass(frozen=True)
class GreaterThanOrEqual(BinaryComparison):
    symbol = ">="
    kernel = "greater_equal"


@dataclass(frozen=True)
class EqualNullSafe(BinaryComparison):
    """``a <=> b``: NULL equals NULL, never returns NULL."""

    symbol = "<=>"

    @property
    def nullable(self) -> bool:
        return False

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        lv = self.left.eval(batch, ctx)
        rv = self.right.eval(batch, ctx)
        ln, rn = pc.is_null(lv), pc.is_null(rv)
        if pa.types.is_null(lv.type) or pa.types.is_null(rv.type):
            return pc.and_(ln, rn)
        eq = pc.fill_null(pc.equal(lv, rv), False)
        return pc.or_(pc.and_(ln, rn), eq)


@dataclass(frozen=True)
class And(Expression):
    """Three-valued ``a AND b``."""

    left: Expression
    right: Expression

    @property
    def data_type(self) -> T.DataType:
        return T.BooleanType()

    def sql(self) -> str:
        return f"({self.left.sql()} AND {self.right.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return eager_or_selective(
            lambda: pc.and_kleene(_bool(self.left.eval(batch, ctx)), _bool(self.right.eval(batch, ctx))),
            lambda: _short_circuit(self.left, self.right, False, batch, ctx))


@dataclass(frozen=True)
class Or(Expression):
    """Three-valued ``a OR b``."""

    left: Expression
    right: Expression

    @property
    def data_type(self) -> T.DataType:
        return T.BooleanType()

    def sql(self) -> str:
        return f"({self.left.sql()} OR {self.right.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return eager_or_selective(
            lambda: pc.or_kleene(_bool(self.left.eval(batch, ctx)), _bool(self.right.eval(batch, ctx))),
            lambda: _short_circuit(self.left, self.right, True, batch, ctx))


def _short_circuit(left: Expression, right: Expression, decided_by: bool, batch: pa.Table,
                   ctx: EvalContext) -> ArrowValue:
    """AND (``decided_by`` False) / OR (True) with the right side evaluated only on the rows the
    left side does not decide, as Spark does."""
    from pyspk.sql.expressions.lazy_eval import all_rows, scatter, split
    n = len(batch)
    lv = to_array(_bool(left.eval(batch, ctx)), n)
    decided, rest = split(pc.equal(lv, pa.scalar(decided_by)), n)
    parts = [(decided, pa.scalar(decided_by))]
    if len(rest):
        rv = to_array(_bool(right.eval(batch.take(rest), ctx)), len(rest))
        combine = pc.or_kleene if decided_by else pc.and_kleene
        parts.append((pc.take(all_rows(n), rest), combine(pc.take(lv, rest), rv)))
    return scatter(n, parts, pa.bool_())


def _bool(v: ArrowValue) -> ArrowValue:
    return v if v.type == pa.bool_() else v.cast(pa.bool_())


@dataclass(frozen=True)
class Not(Expression):
    """``NOT a``."""

    child: Expression

    @property
    def data_type(self) -> T.DataType:
        return T.BooleanType()

    def sql(self) -> str:
        return f"(NOT {self.child.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return pc.invert(_bool(self.child.eval(batch, ctx)))


@dataclass(frozen=True)
class IsNull(Expression):
    """``a IS NULL``."""

    child: Expression

    @property
    def data_type(self) -> T.DataType:
        return T.BooleanType()

    @property
    def nullable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"({self.child.sql()} IS NULL)"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return pc.is_null(self.child.eval(batch, ctx))


@dataclass(frozen=True)
class IsNotNull(Expression):
    """``a IS NOT NULL``."""

    child: Expression

    @property
    def data_type(self) -> T.DataType:
        return T.BooleanType()

    @property
    def nullable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"({self.child.sql()} IS NOT NULL)"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return pc.is_valid(self.child.eval(batch, ctx))


@dataclass(frozen=True)
class In(Expression):
    """``a IN (v1, v2, …)`` with SQL null semantics (no match and a NULL in the list → NULL)."""

    value: Expression
    items: tuple[Expression, ...]

    @property
    def data_type(self) -> T.DataType:
        return T.BooleanType()

    def sql(self) -> str:
        return f"({self.value.sql()} IN ({', '.join(i.sql() for i in self.items)}))"

    def coerce(self) -> Expression:
        common = self.value.data_type
        for it in self.items:
            nt = C.comparison_type(common, it.data_type)
            if nt is None:
                raise _type_mismatch(self, common, it.data_type)
            common = nt
        return In(_cast_to(self.value, common), tuple(_cast_to(i, common) for i in self.items))

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        v = self.value.eval(batch, ctx)
        if all(isinstance(i, Literal) for i in self.items):
            vals = [i.eval(batch, ctx) for i in self.items]
            non_null = [x for x in vals if x.is_valid]
            has_null = len(non_null) < len(vals)
            if pa.types.is_null(v.type):
                return pa.scalar(None, pa.bool_()) if isinstance(v, pa.Scalar) else \
                    pa.nulls(len(v), pa.bool_())
            value_set = pa.array([x.as_py() for x in non_null], v.type)
            hit = pc.is_in(v, value_set=value_set, skip_nulls=True)
            hit = pc.if_else(pc.is_null(v), pa.scalar(None, pa.bool_()), hit)
            if has_null:
                hit = pc.if_else(hit, True, pa.scalar(None, pa.bool_()))
            return hit
        out: ArrowValue = pa.scalar(False)
        for it in self.items:
            out = pc.or_kleene(out, pc.equal(v, it.eval(batch, ctx)))
        return out


def like_to_regex(pattern: str, escape: str = "\\") -> str:
    """Translate a SQL LIKE pattern to an anchored regular expression."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return "^" + "".join(out) + "$"


@dataclass(frozen=True)
class Like(Expression):
    """``a LIKE pattern`` (``ILIKE`` when ``case_insensitive``)."""

    child: Expression
    pattern: Expression
    escape: str = "\\"
    case_insensitive: bool = False

    @property
    def data_type(self) -> T.DataType:
        return T.BooleanType()

    def sql(self) -> str:
        op = "ILIKE" if self.case_insensitive else "LIKE"
        return f"{self.child.sql()} {op} {self.pattern.sql()}"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        v = self.child.eval(batch, ctx)
        if isinstance(self.pattern, Literal):
            pat = self.pattern.value
            if pat is None:
                return pa.nulls(len(v), pa.bool_()) if not isinstance(v, pa.Scalar) else \
                    pa.scalar(None, pa.bool_())
            if self.escape == "\\" and not any(c in pat for c in "_\\"):
                core = pat.strip("%")
                if "%" not in core:
                    if pat.startswith("%") and pat.endswith("%") and len(pat) >= 2:
                        return pc.match_substring(v, core, ignore_case=self.case_insensitive)
                    if pat.endswith("%") and not pat.startswith("%"):
                        return pc.starts_with(v, core, ignore_case=self.case_insensitive)
                    if pat.startswith("%") and not pat.endswith("%"):
                        return pc.ends_with(v, core, ignore_case=self.case_insensitive)
            return pc.match_substring_regex(v, like_to_regex(pat, self.escape),
                                            ignore_case=self.case_insensitive)
        pats = self.pattern.eval(batch, ctx)
        vals = v.to_pylist() if not isinstance(v, pa.Scalar) else [v.as_py()] * len(pats)
        ps = pats.to_pylist() if not isinstance(pats, pa.Scalar) else [pats.as_py()] * len(vals)
        flags = re.IGNORECASE | re.DOTALL if self.case_insensitive else re.DOTALL
        return pa.array([None if a is None or p is None else
                         re.match(like_to_regex(p, self.escape), a, flags) is not None
                         for a, p in zip(vals, ps)], pa.bool_())


@dataclass(frozen=True)
class RLike(Expression):
    """``a RLIKE regex``: true when the regex matches anywhere in ``a``."""

    child: Expression
    pattern: Expression

    @property
    def data_type(self) -> T.DataType:
        return T.BooleanType()

    def sql(self) -> str:
        return f"RLIKE({self.child.sql()}, {self.pattern.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        v = self.child.eval(batch, ctx)
        if isinstance(self.pattern, Literal):
            return pc.match_substring_regex(v, self.pattern.value)
        pats = self.pattern.eval(batch, ctx).to_pylist()
        vals = v.to_pylist()
        return pa.array([None if a is None or p is None else re.search(p, a) is not None
                         for a, p in zip(vals, pats)], pa.bool_())
