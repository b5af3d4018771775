"""``CAST(x AS type)`` and ``try_cast`` with Spark's conversions on Arrow arrays."""
from __future__ import annotations

import decimal
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.errors import (ArithmeticException, DateTimeException, NumberFormatException,
                          SparkRuntimeException)
from pyspk.sql import types as T
from pyspk.sql._arrow_types import to_arrow_type
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, _java_double
from pyspk.sql.expressions.base import to_array
from pyspk.sql.expressions.coercion import is_integral, is_numeric, is_string
from pyspk.sql.expressions.datetime_parse import parse_dates, parse_timestamps
from pyspk.sql.expressions.tz import local_to_utc, utc_to_local

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
        return cast_value(v, self.child.data_type, self.to, ansi=ctx.ansi and not self.try_,
                          try_=self.try_, tz=ctx.time_zone)


def implicit_cast(e: Expression, dt: T.DataType) -> Expression:
    """A cast the analyzer inserts for type coercion (invisible in generated column names)."""
    return e if e.data_type == dt else Cast(e, dt, implicit=True)


_DATETIMES = (T.DateType, T.TimestampType, T.TimestampNTZType)


def cast_value(v: ArrowValue, src: T.DataType, dst: T.DataType, ansi: bool = True,
               try_: bool = False, tz: str = "UTC") -> ArrowValue:
    """Cast an Arrow array or scalar from Spark type ``src`` to ``dst``.

    ``ansi``: impossible conversions raise Spark's errors; ``try_``: they give NULL; neither
    (legacy): strings that do not parse give NULL and numbers wrap or saturate as on the JVM.
    ``tz`` is the session time zone, used between ``TIMESTAMP`` and wall-clock values.
    """
    if src == dst:
        return v
    target = to_arrow_type(dst)
    if isinstance(src, T.NullType):
        return pa.scalar(None, target) if isinstance(v, pa.Scalar) else pa.nulls(len(v), target)
    if isinstance(dst, T.VariantType):
        return _to_variant(v, src)
    if isinstance(src, _DATETIMES) or isinstance(dst, _DATETIMES):
        return _cast_datetime(v, src, dst, target, ansi, tz)
    if is_string(dst):
        return _to_string(v, src, tz)
    if is_string(src):
        return _from_string(v, dst, target, ansi)
    if isinstance(dst, T.DecimalType) and is_numeric(src):
        return _to_decimal(v, src, dst, target, ansi)
    if is_integral(dst) and is_numeric(src):
        return _to_integral(v, src, dst, target, ansi, try_)
    try:
        if isinstance(dst, T.BooleanType) and is_numeric(src):
            return pc.not_equal(v, pa.scalar(0, v.type))
        if is_numeric(dst) and isinstance(src, T.BooleanType):
            return v.cast(pa.int8()).cast(target)
        if ansi:
            return v.cast(target)
        return _unsafe_numeric(v, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        if not ansi:
            return _unsafe_numeric(v, target)
        raise SparkRuntimeException(str(e), errorClass="CAST_INVALID_INPUT") from None


def _sql_value(x, dt: T.DataType) -> str:
    """A value as Spark's error messages print it: ``3000000000L``, ``1.0E20D``, ``127S``."""
    if isinstance(dt, (T.DoubleType, T.FloatType)):
        text = _java_double(float(x))
        return text if text in ("NaN", "Infinity", "-Infinity") else \
            text + ("D" if isinstance(dt, T.DoubleType) else "F")
    suffix = {T.LongType: "L", T.ShortType: "S", T.ByteType: "Y"}.get(type(dt), "")
    if isinstance(dt, T.DecimalType):
        return f"{x}BD"
    return f"{x}{suffix}"


def cast_overflow(x, src: T.DataType, dst: T.DataType) -> ArithmeticException:
    """Spark's ``CAST_OVERFLOW`` for one value."""
    value = _sql_value(x, src)
    return ArithmeticException(
        f"[CAST_OVERFLOW] The value {value} of the type \"{sql_type_name(src)}\" cannot be cast "
        f"to \"{sql_type_name(dst)}\" due to an overflow. Use `try_cast` to tolerate overflow "
        f"and return NULL instead. SQLSTATE: 22003", errorClass="CAST_OVERFLOW",
        messageParameters={"value": value, "sourceType": f'"{sql_type_name(src)}"',
                           "targetType": f'"{sql_type_name(dst)}"',
                           "ansiConfig": '"spark.sql.ansi.enabled"'})


def decimal_out_of_range(x, precision: int, scale: int) -> ArithmeticException:
    """Spark's ``NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION`` for a value too wide for a decimal."""
    return ArithmeticException(
        f"[NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION]  {x} cannot be represented as "
        f"Decimal({precision}, {scale}). If necessary set \"spark.sql.ansi.enabled\" to \"false\" "
        f"to bypass this error, and return NULL instead. SQLSTATE: 22003",
        errorClass="NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION",
        messageParameters={"value": str(x), "precision": str(precision), "scale": str(scale),
                           "config": '"spark.sql.ansi.enabled"'})


_INT_RANGE = {T.ByteType: (-2 ** 7, 2 ** 7 - 1), T.ShortType: (-2 ** 15, 2 ** 15 - 1),
              T.IntegerType: (-2 ** 31, 2 ** 31 - 1), T.LongType: (-2 ** 63, 2 ** 63 - 1)}


def _to_integral(v: ArrowValue, src: T.DataType, dst: T.DataType, target: pa.DataType,
                 ansi: bool, try_: bool) -> ArrowValue:
    """Numbers to an integral type: truncation toward zero; out of range raises (ANSI), gives
    NULL (try) or wraps/saturates as the JVM's conversions do (legacy)."""
    lo, hi = _INT_RANGE[type(dst)]
    if isinstance(src, (T.FloatType, T.DoubleType)):
        f = v.cast(pa.float64())
        bad = pc.or_(pc.is_nan(f), pc.or_(pc.greater_equal(f, float(hi) + 1),
                                          pc.less_equal(f, float(lo) - 1)))
        whole = pc.trunc(f)
    elif isinstance(src, T.DecimalType):
        whole = _decimal_trunc(v, src).cast(pa.decimal128(38, 0))
        bad = pc.or_(pc.greater(whole, pa.scalar(decimal.Decimal(hi), pa.decimal128(38, 0))),
                     pc.less(whole, pa.scalar(decimal.Decimal(lo), pa.decimal128(38, 0))))
    else:
        whole = v
        bad = pc.or_(pc.greater(v, hi), pc.less(v, lo)) if not _fits(src, dst) else None
    if bad is not None:
        if isinstance(bad, pa.Scalar):
            any_bad = bool(bad.as_py())
        else:
            any_bad = bool(pc.any(bad).as_py())
        if any_bad:
            if ansi:
                first = v.as_py() if isinstance(bad, pa.Scalar) else \
                    pc.filter(v, pc.fill_null(bad, False))[0].as_py()
                raise cast_overflow(first, src, dst)
            if try_:
                return pc.if_else(bad, pa.scalar(None, target), _wrap_cast(whole, src, dst, target))
    return _wrap_cast(whole, src, dst, target)


def _fits(src: T.DataType, dst: T.DataType) -> bool:
    s, d = _INT_RANGE.get(type(src)), _INT_RANGE[type(dst)]
    return s is not None and d[0] <= s[0] and s[1] <= d[1]


def _decimal_trunc(v: ArrowValue, src: T.DecimalType) -> ArrowValue:
    """A decimal's integral part (toward zero) as a decimal of scale 0."""
    return v.cast(pa.decimal128(src.precision, src.scale)).cast(
        pa.decimal128(max(src.precision - src.scale, 1), 0), safe=False) if src.scale else v


def _wrap_cast(whole: ArrowValue, src: T.DataType, dst: T.DataType, target: pa.DataType):
    """The JVM's narrowing: doubles saturate to int/long (NaN is 0) then wrap to byte/short;
    integers wrap."""
    if isinstance(src, (T.FloatType, T.DoubleType)):
        f = pc.if_else(pc.is_nan(whole), 0.0, whole)
        wide = pa.int64() if isinstance(dst, T.LongType) else pa.int32()
        lo, hi = _INT_RANGE[T.LongType if isinstance(dst, T.LongType) else T.IntegerType]
        f = pc.min_element_wise(pc.max_element_wise(f, float(lo)), float(hi))
        sat = pc.if_else(pc.greater_equal(f, float(hi)), pa.scalar(hi, wide),
                         f.cast(wide, safe=False))
        return sat.cast(target, safe=False)
    if isinstance(src, T.DecimalType):
        as_int = whole.cast(pa.decimal128(38, 0)) if not isinstance(whole, pa.Scalar) else whole
        try:
            return as_int.cast(pa.int64()).cast(target, safe=False)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return _unsafe_numeric(as_int, target)
    return whole.cast(target, safe=False)


def _to_decimal(v: ArrowValue, src: T.DataType, dst: T.DecimalType, target: pa.DataType,
                ansi: bool) -> ArrowValue:
    """Numbers to a decimal, rounding half away from zero; too wide: error (ANSI) or NULL."""
    if isinstance(src, (T.FloatType, T.DoubleType)):
        f = v.cast(pa.float64())
        finite = pc.is_finite(f)
        rounded = pc.round(pc.if_else(finite, f, 0.0), dst.scale,
                           round_mode="half_towards_infinity")
        limit = 10.0 ** (dst.precision - dst.scale)
        bad = pc.or_(pc.invert(finite), pc.greater_equal(pc.abs(rounded), limit))
        out = pc.if_else(bad, 0.0, rounded).cast(target, safe=False)
    elif is_integral(src):
        whole = v.cast(pa.int64())
        digits = dst.precision - dst.scale
        if digits >= 19:
            return whole.cast(pa.decimal128(38, 0)).cast(target)
        limit = 10 ** digits
        bad = pc.or_(pc.greater_equal(whole, limit), pc.less_equal(whole, -limit))
        out = pc.if_else(bad, 0, whole).cast(pa.decimal128(38, 0)).cast(target)
    elif isinstance(src, T.DecimalType):
        rounded = pc.round(v, dst.scale, round_mode="half_towards_infinity") \
            if dst.scale < src.scale else v
        rt = rounded.type
        digits = dst.precision - dst.scale
        if rt.precision - rt.scale <= digits:
            return rounded.cast(target)
        limit = pa.scalar(decimal.Decimal(10) ** digits, pa.decimal128(rt.precision, rt.scale))
        bad = pc.greater_equal(pc.abs(rounded), limit)
        out = pc.if_else(bad, pa.scalar(0, rt), rounded).cast(target, safe=False)
    else:
        return v.cast(target)
    return _null_or_raise_out_of_range(v, bad, out, dst, ansi)


def _null_or_raise_out_of_range(v: ArrowValue, bad: ArrowValue, out: ArrowValue,
                                dst: T.DecimalType, ansi: bool) -> ArrowValue:
    if isinstance(bad, pa.Scalar):
        if bad.as_py():
            if ansi:
                raise decimal_out_of_range(_plain_number(v.as_py()), dst.precision, dst.scale)
            return pa.scalar(None, out.type)
        return out
    bad = pc.fill_null(bad, False)
    if pc.any(bad).as_py():
        if ansi:
            raise decimal_out_of_range(_plain_number(pc.filter(v, bad)[0].as_py()),
                                       dst.precision, dst.scale)
        return pc.if_else(bad, pa.scalar(None, out.type), out)
    return out


def _plain_number(x) -> str:
    if isinstance(x, float):
        return format(decimal.Decimal(repr(x)), "f")
    return format(x, "f") if isinstance(x, decimal.Decimal) else str(x)


def _cast_datetime(v: ArrowValue, src: T.DataType, dst: T.DataType, target: pa.DataType,
                   ansi: bool, tz: str) -> ArrowValue:
    """Casts from or to DATE/TIMESTAMP/TIMESTAMP_NTZ; TIMESTAMP values are UTC instants shown
    and read as wall clocks of the session zone ``tz``."""
    ts, ntz = isinstance(src, T.TimestampType), isinstance(src, T.TimestampNTZType)
    if is_string(src):
        if isinstance(dst, T.DateType):
            out = parse_dates(v)
        else:
            out = parse_timestamps(v, tz if isinstance(dst, T.TimestampType) else None)
        return _check_invalid(v, out, dst, ansi, DateTimeException)
    if is_string(dst):
        if isinstance(src, T.DateType):
            return v.cast(pa.string())
        return format_timestamps(utc_to_local(v, tz) if ts else v)
    if isinstance(dst, T.DateType):
        if ts or ntz:
            wall = utc_to_local(v, tz) if ts else v
            return wall.cast(pa.date32(), safe=False)
    if isinstance(dst, (T.TimestampType, T.TimestampNTZType)):
        to_ts = isinstance(dst, T.TimestampType)
        if isinstance(src, T.DateType):
            wall = v.cast(pa.timestamp("us"))
            return local_to_utc(wall, tz) if to_ts else wall
        if ts and not to_ts:
            return utc_to_local(v, tz)
        if ntz and to_ts:
            return local_to_utc(v, tz)
        if is_numeric(src):
            if is_integral(src):
                return pc.multiply_checked(v.cast(pa.int64()), 1_000_000).cast(target)
            micros = pc.trunc(pc.multiply(v.cast(pa.float64()), 1e6))
            return micros.cast(pa.int64()).cast(target)
    if ts and is_numeric(dst):
        micros = v.cast(pa.int64())
        if isinstance(dst, (T.DoubleType, T.FloatType)):
            return pc.divide(micros.cast(pa.float64()), 1e6).cast(target)
        seconds = _floor_div(micros, 1_000_000)
        return cast_value(seconds, T.LongType(), dst, ansi)
    if ansi:
        return v.cast(target)
    return _unsafe_numeric(v, target)


def _floor_div(x: ArrowValue, d: int) -> ArrowValue:
    """Integer division rounding toward negative infinity (Java's ``Math.floorDiv``)."""
    q = pc.divide(x, d)
    fix = pc.and_(pc.less(x, 0), pc.not_equal(pc.multiply(q, d), x))
    return pc.if_else(fix, pc.subtract(q, 1), q)


def format_timestamps(wall: ArrowValue) -> ArrowValue:
    """Wall clocks as Spark prints them: ``2024-01-01 10:00:00`` plus a trimmed fraction."""
    text = pc.strftime(wall, "%Y-%m-%d %H:%M:%S")
    return pc.replace_substring_regex(text, r"\.?0+$", "")


def _to_variant(v: ArrowValue, src: T.DataType) -> ArrowValue:
    """Values of any type as VARIANT (canonical JSON text); strings become JSON strings."""
    from pyspk.sql._arrow_types import arrow_column_to_python
    from pyspk.sql.expressions.fn_variant import encode, python_to_variant
    arr = pa.array([v.as_py()], v.type) if isinstance(v, pa.Scalar) else to_array(v, 1)
    out = pa.array([None if x is None else encode(python_to_variant(x))
                    for x in arrow_column_to_python(arr, src)], pa.string())
    return out[0] if isinstance(v, pa.Scalar) else out


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
        return _check_invalid(v, out, dst, ansi, SparkRuntimeException)
    if is_integral(dst):
        out = _safe_parse(trimmed, target, lambda a: _parse_int(a, target, ansi))
        return _check_invalid(v, out, dst, ansi)
    if isinstance(dst, T.DecimalType):
        return _string_to_decimal(v, trimmed, dst, target, ansi)
    if isinstance(dst, T.BinaryType):
        return v.cast(pa.binary())
    out = _safe_parse(trimmed, target, lambda a: a.cast(target))
    return _check_invalid(v, out, dst, ansi)


_DECIMAL_TEXT = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"


def _string_to_decimal(v: ArrowValue, trimmed: ArrowValue, dst: T.DecimalType,
                       target: pa.DataType, ansi: bool) -> ArrowValue:
    """Decimal text rounded half-up to the scale; malformed: CAST_INVALID_INPUT, too wide:
    NUMERIC_VALUE_OUT_OF_RANGE (ANSI) or NULL. Parsed once per distinct string."""
    scalar = isinstance(trimmed, pa.Scalar)
    arr = pa.array([trimmed.as_py()], pa.string()) if scalar else to_array(trimmed, 1)
    ok = pc.match_substring_regex(arr, _DECIMAL_TEXT)
    text = pc.if_else(ok, arr, pa.scalar(None, pa.string()))
    uniq = pc.unique(text)
    quantum = decimal.Decimal(1).scaleb(-dst.scale)
    limit = decimal.Decimal(10) ** (dst.precision - dst.scale)
    parsed, wide = [], []
    for u in uniq.to_pylist():
        d = None if u is None else decimal.Decimal(u).quantize(quantum, decimal.ROUND_HALF_UP)
        too_wide = d is not None and abs(d) >= limit
        parsed.append(None if too_wide else d)
        wide.append(too_wide)
    idx = pc.index_in(text, uniq)
    out = pa.array(parsed, target).take(idx)
    if any(wide) and ansi:
        bad = pc.fill_null(pa.array(wide).take(idx), False)
        raise decimal_out_of_range(pc.filter(arr, bad)[0].as_py(), dst.precision, dst.scale)
    original = pa.array([v.as_py()], pa.string()) if scalar else v
    out = _check_invalid(original, out, dst, ansi)
    return out[0] if scalar else out


def _parse_int(a: ArrowValue, target: pa.DataType, ansi: bool = False) -> ArrowValue:
    """Integer text; outside ANSI a fraction is dropped (``'12.5'`` is 12), under ANSI it is
    malformed."""
    ok = pc.match_substring_regex(a, r"^[+-]?\d+$" if ansi else r"^[+-]?\d+(\.\d*)?$")
    whole = pc.replace_substring_regex(pc.replace_substring_regex(a, r"\.\d*$", ""), r"^\+", "")
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


def _check_invalid(src: ArrowValue, out: ArrowValue, dst: T.DataType, ansi: bool,
                   error: type = NumberFormatException) -> ArrowValue:
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
        raise error(
            f"[CAST_INVALID_INPUT] The value '{first}' of the type \"STRING\" cannot be cast to "
            f"\"{sql_type_name(dst)}\" because it is malformed. Correct the value as per the "
            f"syntax, or change its target type. Use `try_cast` to tolerate malformed input and "
            f"return NULL instead. SQLSTATE: 22018",
            errorClass="CAST_INVALID_INPUT",
            messageParameters={"expression": f"'{first}'", "sourceType": '"STRING"',
                               "targetType": f'"{sql_type_name(dst)}"'})
    return out


def _java_float(x: float) -> str:
    """Java's ``Float.toString``: the shortest digits that identify the float32 value."""
    return _java_double(float(str(np.float32(x))))


def _to_string(v: ArrowValue, src: T.DataType, tz: str = "UTC") -> ArrowValue:
    from pyspk.sql.expressions.display import format_value
    from pyspk.sql.expressions.tz import py_utc_to_local
    if isinstance(src, (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.StringType,
                        T.DateType, T.DecimalType)):
        return v.cast(pa.string())
    if isinstance(src, T.BooleanType):
        return pc.if_else(v, "true", "false")
    if isinstance(src, T.BinaryType):  # bytes read as UTF-8 (invalid sequences replaced)
        try:
            return v.cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            if isinstance(v, pa.Scalar):
                return pa.scalar(None if not v.is_valid else v.as_py().decode("utf-8", "replace"),
                                 pa.string())
            return pa.array([None if x is None else x.decode("utf-8", "replace")
                             for x in v.to_pylist()], pa.string())
    if isinstance(src, (T.DoubleType, T.FloatType)):
        fmt = _java_float if isinstance(src, T.FloatType) else _java_double
        if isinstance(v, pa.Scalar):
            return pa.scalar(None if not v.is_valid else fmt(v.as_py()), pa.string())
        return pa.array([None if x is None else fmt(x) for x in v.to_pylist()], pa.string())
    shift = (lambda d: py_utc_to_local(d, tz))
    if isinstance(v, pa.Scalar):
        return pa.scalar(format_value(v.as_py(), src, shift) if v.is_valid else None, pa.string())
    return pa.array([None if x is None else format_value(x, src, shift) for x in v.to_pylist()],
                    pa.string())
