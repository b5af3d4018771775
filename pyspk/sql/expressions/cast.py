"""``CAST(x AS type)`` and ``try_cast`` with Spark's conversions on Arrow arrays."""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.errors import NumberFormatException, SparkRuntimeException, ArithmeticException
from pyspk.sql import types as T
from pyspk.sql._arrow_types import to_arrow_type
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, _java_double
from pyspk.sql.expressions.coercion import is_integral, is_numeric, is_string

_SQL_TYPE_NAMES = {T.StringType: "STRING", T.IntegerType: "INT", T.LongType: "BIGINT",
                   T.ShortType: "SMALLINT", T.ByteType: "TINYINT", T.DoubleType: "DOUBLE",
                   T.FloatType: "FLOAT", T.BooleanType: "BOOLEAN", T.DateType: "DATE",
                   T.TimestampType: "TIMESTAMP", T.TimestampNTZType: "TIMESTAMP_NTZ",
                   T.BinaryType: "BINARY", T.NullType: "VOID"}


def sql_type_name(dt: T.DataType) -> str:
    """Upper-case SQL name of a type as Spark prints it in ``CAST(a AS INT)``."""
    name = _SQL_TYPE_NAMES.get(type(dt))
    if name:
        return name
    if isinstance(dt, T.DecimalType):
        return f"DECIMAL({dt.precision},{dt.scale})"
    if isinstance(dt, T.ArrayType):
        return f"ARRAY<{sql_type_name(dt.elementType)}>"
    if isinstance(dt, T.MapType):
        return f"MAP<{sql_type_name(dt.keyType)}, {sql_type_name(dt.valueType)}>"
    if isinstance(dt, T.StructType):
        return "STRUCT<" + ", ".join(f"{f.name}: {sql_type_name(f.dataType)}" for f in dt.fields) + ">"
    return dt.simpleString().upper()


@dataclass(frozen=True)
class Cast(Expression):
    """Convert ``child`` to ``to``; under ANSI an impossible conversion raises, ``try`` gives NULL."""

    child: Expression
    to: T.DataType
    try_: bool = False
    implicit: bool = False

    @property
    def data_type(self) -> T.DataType:
        return self.to

    @property
    def nullable(self) -> bool:
        return True if self.try_ else self.child.nullable

    def sql(self) -> str:
        if self.implicit:
            return self.child.sql()
        kw = "TRY_CAST" if self.try_ else "CAST"
        return f"{kw}({self.child.sql()} AS {sql_type_name(self.to)})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        v = self.child.eval(batch, ctx)
        return cast_value(v, self.child.data_type, self.to, ansi=ctx.ansi and not self.try_)


def implicit_cast(e: Expression, dt: T.DataType) -> Expression:
    """A cast the analyzer inserts for type coercion (invisible in generated column names)."""
    return e if e.data_type == dt else Cast(e, dt, implicit=True)


def cast_value(v: ArrowValue, src: T.DataType, dst: T.DataType, ansi: bool = True) -> ArrowValue:
    """Cast an Arrow array or scalar from Spark type ``src`` to ``dst``."""
    if src == dst:
        return v
    target = to_arrow_type(dst)
    if isinstance(src, T.NullType):
        return pa.scalar(None, target) if isinstance(v, pa.Scalar) else pa.nulls(len(v), target)
    if is_string(dst):
        return _to_string(v, src)
    try:
        if is_string(src):
            return _from_string(v, dst, target, ansi)
        if is_integral(dst) and isinstance(src, (T.FloatType, T.DoubleType, T.DecimalType)):
            if isinstance(src, T.DecimalType):
                v = v.cast(pa.decimal128(src.precision, src.scale)).cast(
                    pa.decimal128(max(src.precision - src.scale, 1), 0), safe=False) \
                    if src.scale else v
            else:
                v = pc.trunc(v)
            return v.cast(target, safe=ansi) if ansi else _unsafe_numeric(v, target)
        if isinstance(dst, T.DecimalType) and isinstance(src, (T.FloatType, T.DoubleType)):
            rounded = pc.round(v, dst.scale, round_mode="half_up")
            return rounded.cast(target, safe=False) if not ansi else rounded.cast(target)
        if isinstance(dst, T.DecimalType) and is_integral(src):
            return v.cast(pa.int64()).cast(pa.decimal128(38, 0)).cast(target)
        if isinstance(dst, T.DecimalType) and isinstance(src, T.DecimalType) and dst.scale < src.scale:
            return pc.round(v, dst.scale, round_mode="half_up").cast(target)
        if isinstance(dst, T.BooleanType) and is_numeric(src):
            return pc.not_equal(v, pa.scalar(0, v.type))
        if is_numeric(dst) and isinstance(src, T.BooleanType):
            return v.cast(pa.int8()).cast(target)
        if isinstance(dst, T.DateType) and isinstance(src, (T.TimestampType, T.TimestampNTZType)):
            return v.cast(pa.date32(), safe=False) if not isinstance(v, pa.Scalar) else \
                pa.scalar(v.as_py().date() if v.is_valid else None, pa.date32())
        if ansi:
            return v.cast(target)
        return _unsafe_numeric(v, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        if not ansi:
            return _unsafe_numeric(v, target)
        if "overflow" in str(e).lower() or "would" in str(e).lower():
            raise ArithmeticException(
                f"[CAST_OVERFLOW] The value of the type \"{sql_type_name(src)}\" cannot be cast "
                f"to \"{sql_type_name(dst)}\" due to an overflow. Use `try_cast` to tolerate "
                f"overflow and return NULL instead. SQLSTATE: 22003",
                errorClass="CAST_OVERFLOW") from None
        raise SparkRuntimeException(str(e), errorClass="CAST_INVALID_INPUT") from None


def _unsafe_numeric(v: ArrowValue, target: pa.DataType) -> ArrowValue:
    try:
        return v.cast(target, safe=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        arr = v if not isinstance(v, pa.Scalar) else pa.array([v.as_py()])
        return pa.nulls(len(arr), target) if not isinstance(v, pa.Scalar) else pa.scalar(None, target)


def _from_string(v: ArrowValue, dst: T.DataType, target: pa.DataType, ansi: bool) -> ArrowValue:
    trimmed = pc.utf8_trim_whitespace(v)
    if isinstance(dst, T.BooleanType):
        low = pc.utf8_lower(trimmed)
        true = pc.is_in(low, pa.array(["t", "true", "y", "yes", "1"]))
        false = pc.is_in(low, pa.array(["f", "false", "n", "no", "0"]))
        out = pc.if_else(true, True, pc.if_else(false, False, pa.scalar(None, pa.bool_())))
        return _check_invalid(v, out, dst, ansi)
    if isinstance(dst, (T.TimestampType, T.TimestampNTZType)):
        norm = pc.replace_substring_regex(trimmed, r"T", " ")
        full = pc.if_else(pc.match_substring_regex(norm, r"^\d{4}-\d{1,2}-\d{1,2}$"),
                          pc.binary_join_element_wise(norm, " 00:00:00", ""), norm)
        out = _safe_parse(full, target, lambda a: pc.strptime(a, "%Y-%m-%d %H:%M:%S", "us",
                                                               error_is_null=True)
                          if not isinstance(a, pa.Scalar) else a.cast(target))
        return _check_invalid(v, out, dst, ansi)
    if isinstance(dst, T.DateType):
        out = _safe_parse(trimmed, target, lambda a: pc.strptime(
            pc.utf8_slice_codeunits(a, 0, 10), "%Y-%m-%d", "s", error_is_null=True).cast(pa.date32()))
        return _check_invalid(v, out, dst, ansi)
    if is_integral(dst):
        out = _safe_parse(trimmed, target, lambda a: _parse_int(a, target))
        return _check_invalid(v, out, dst, ansi)
    if isinstance(dst, T.BinaryType):
        return v.cast(pa.binary())
    out = _safe_parse(trimmed, target, lambda a: a.cast(target))
    return _check_invalid(v, out, dst, ansi)


def _parse_int(a: ArrowValue, target: pa.DataType) -> ArrowValue:
    ok = pc.match_substring_regex(a, r"^[+-]?\d+(\.\d*)?$")
    whole = pc.replace_substring_regex(a, r"\.\d*$", "")
    masked = pc.if_else(ok, whole, pa.scalar(None, pa.string()))
    return masked.cast(target)


def _safe_parse(a: ArrowValue, target: pa.DataType, parse) -> ArrowValue:
    scalar = isinstance(a, pa.Scalar)
    arr = pa.array([a.as_py()], pa.string()) if scalar else a
    try:
        out = parse(arr)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        py = arr.to_pylist()
        vals = []
        for s in py:
            try:
                vals.append(parse(pa.array([s], pa.string()))[0].as_py() if s is not None else None)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                vals.append(None)
        out = pa.array(vals, target)
    return out[0] if scalar else out


def _check_invalid(src: ArrowValue, out: ArrowValue, dst: T.DataType, ansi: bool) -> ArrowValue:
    if not ansi:
        return out
    bad = pc.and_(pc.is_valid(src), pc.is_null(out))
    if isinstance(bad, pa.Scalar):
        first = src.as_py() if bad.as_py() else None
        has = bool(bad.as_py())
    else:
        has = pc.any(bad).as_py()
        first = pc.filter(src, bad)[0].as_py() if has else None
    if has:
        raise NumberFormatException(
            f"[CAST_INVALID_INPUT] The value '{first}' of the type \"STRING\" cannot be cast to "
            f"\"{sql_type_name(dst)}\" because it is malformed. Correct the value as per the "
            f"syntax, or change its target type. Use `try_cast` to tolerate malformed input and "
            f"return NULL instead. SQLSTATE: 22018",
            errorClass="CAST_INVALID_INPUT",
            messageParameters={"expression": f"'{first}'", "sourceType": '"STRING"',
                               "targetType": f'"{sql_type_name(dst)}"'})
    return out


def _to_string(v: ArrowValue, src: T.DataType) -> ArrowValue:
    from pyspk.sql.expressions.display import format_value
    if isinstance(src, (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.StringType,
                        T.DateType, T.DecimalType)):
        return v.cast(pa.string())
    if isinstance(src, T.BooleanType):
        return pc.if_else(v, "true", "false")
    if isinstance(src, (T.DoubleType, T.FloatType)):
        if isinstance(v, pa.Scalar):
            return pa.scalar(None if not v.is_valid else _java_double(v.as_py()), pa.string())
        return pa.array([None if x is None else _java_double(x) for x in v.to_pylist()], pa.string())
    if isinstance(v, pa.Scalar):
        return pa.scalar(format_value(v.as_py(), src) if v.is_valid else None, pa.string())
    return pa.array([None if x is None else format_value(x, src) for x in v.to_pylist()], pa.string())
