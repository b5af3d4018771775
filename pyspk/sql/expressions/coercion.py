"""Spark's implicit type coercion: widest common types, decimal precision rules and the casts the
analyzer inserts so that both sides of an operator agree."""
from __future__ import annotations

from pyspk.sql import types as T

MAX_PRECISION = 38
MIN_ADJUSTED_SCALE = 6

_INTEGRAL_RANK = {T.ByteType: 1, T.ShortType: 2, T.IntegerType: 3, T.LongType: 4}
_INTEGRAL_DECIMAL = {T.ByteType: T.DecimalType(3, 0), T.ShortType: T.DecimalType(5, 0),
                     T.IntegerType: T.DecimalType(10, 0), T.LongType: T.DecimalType(20, 0)}


def is_numeric(dt: T.DataType) -> bool:
    return isinstance(dt, T.NumericType)


def is_integral(dt: T.DataType) -> bool:
    return type(dt) in _INTEGRAL_RANK


def is_string(dt: T.DataType) -> bool:
    return isinstance(dt, (T.StringType, T.CharType, T.VarcharType))


def decimal_of(dt: T.DataType) -> T.DecimalType:
    """The decimal type that holds every value of an integral or decimal type."""
    if isinstance(dt, T.DecimalType):
        return dt
    return _INTEGRAL_DECIMAL[type(dt)]


def bounded_decimal(precision: int, scale: int) -> T.DecimalType:
    return T.DecimalType(min(precision, MAX_PRECISION), min(scale, MAX_PRECISION))


def adjust_precision_scale(precision: int, scale: int) -> T.DecimalType:
    """Spark's rule when a result needs more than 38 digits: keep integer digits, trim scale (≥6)."""
    if precision <= MAX_PRECISION:
        return T.DecimalType(precision, scale)
    int_digits = precision - scale
    min_scale = min(scale, MIN_ADJUSTED_SCALE)
    adjusted = max(MAX_PRECISION - int_digits, min_scale)
    return T.DecimalType(MAX_PRECISION, adjusted)


def wider_decimal(a: T.DecimalType, b: T.DecimalType) -> T.DecimalType:
    scale = max(a.scale, b.scale)
    rng = max(a.precision - a.scale, b.precision - b.scale)
    return bounded_decimal(rng + scale, scale)


def tightest_common_type(a: T.DataType, b: T.DataType) -> T.DataType | None:
    """The narrowest type both ``a`` and ``b`` convert to without losing values (None: none)."""
    if a == b:
        return a
    if isinstance(a, T.NullType):
        return b
    if isinstance(b, T.NullType):
        return a
    if is_integral(a) and is_integral(b):
        return a if _INTEGRAL_RANK[type(a)] >= _INTEGRAL_RANK[type(b)] else b
    if is_numeric(a) and is_numeric(b):
        if isinstance(a, (T.DoubleType, T.FloatType)) or isinstance(b, (T.DoubleType, T.FloatType)):
            if isinstance(a, T.FloatType) and isinstance(b, T.FloatType):
                return T.FloatType()
            if isinstance(a, T.FloatType) and is_integral(b) and _INTEGRAL_RANK[type(b)] <= 2:
                return T.FloatType()
            if isinstance(b, T.FloatType) and is_integral(a) and _INTEGRAL_RANK[type(a)] <= 2:
                return T.FloatType()
            return T.DoubleType()
        return wider_decimal(decimal_of(a), decimal_of(b))
    if isinstance(a, T.DateType) and isinstance(b, (T.TimestampType, T.TimestampNTZType)):
        return b
    if isinstance(b, T.DateType) and isinstance(a, (T.TimestampType, T.TimestampNTZType)):
        return a
    if isinstance(a, (T.TimestampType, T.TimestampNTZType)) and \
            isinstance(b, (T.TimestampType, T.TimestampNTZType)):
        return T.TimestampType()
    if is_string(a) and is_string(b):
        return T.StringType()
    if isinstance(a, T.ArrayType) and isinstance(b, T.ArrayType):
        el = tightest_common_type(a.elementType, b.elementType)
        return None if el is None else T.ArrayType(el, a.containsNull or b.containsNull)
    if isinstance(a, T.MapType) and isinstance(b, T.MapType):
        k = tightest_common_type(a.keyType, b.keyType)
        v = tightest_common_type(a.valueType, b.valueType)
        return None if k is None or v is None else T.MapType(k, v, True)
    if isinstance(a, T.StructType) and isinstance(b, T.StructType) and len(a) == len(b):
        fields = []
        for fa, fb in zip(a.fields, b.fields):
            t = tightest_common_type(fa.dataType, fb.dataType)
            if t is None or fa.name.lower() != fb.name.lower():
                return None
            fields.append(T.StructField(fa.name, t, fa.nullable or fb.nullable))
        return T.StructType(fields)
    return None


def comparison_type(a: T.DataType, b: T.DataType) -> T.DataType | None:
    """The type both sides of ``=``/``<`` are cast to (strings meet numbers/dates as in ANSI)."""
    common = tightest_common_type(a, b)
    if common is not None:
        return common
    if is_string(a) and is_numeric(b):
        return b if not is_integral(b) else T.LongType() if not isinstance(b, T.LongType) else b
    if is_string(b) and is_numeric(a):
        return a if not is_integral(a) else T.LongType() if not isinstance(a, T.LongType) else a
    if is_string(a) and isinstance(b, (T.DateType, T.TimestampType, T.TimestampNTZType)):
        return b
    if is_string(b) and isinstance(a, (T.DateType, T.TimestampType, T.TimestampNTZType)):
        return a
    if is_string(a) and isinstance(b, T.BooleanType):
        return b
    if is_string(b) and isinstance(a, T.BooleanType):
        return a
    return None


def arithmetic_operand_type(a: T.DataType, b: T.DataType) -> T.DataType | None:
    """The type both operands of ``+ - * %`` are brought to before the operation."""
    if is_string(a) and is_numeric(b):
        a = T.DoubleType() if not is_integral(b) else T.LongType()
    if is_string(b) and is_numeric(a):
        b = T.DoubleType() if not is_integral(a) else T.LongType()
    if is_string(a) and is_string(b):
        return T.DoubleType()
    if isinstance(a, T.NullType) and isinstance(b, T.NullType):
        return T.DoubleType()
    return tightest_common_type(a, b)


def decimal_add_type(a: T.DecimalType, b: T.DecimalType) -> T.DecimalType:
    scale = max(a.scale, b.scale)
    return adjust_precision_scale(max(a.precision - a.scale, b.precision - b.scale) + scale + 1, scale)


def decimal_multiply_type(a: T.DecimalType, b: T.DecimalType) -> T.DecimalType:
    return adjust_precision_scale(a.precision + b.precision + 1, a.scale + b.scale)


def decimal_divide_type(a: T.DecimalType, b: T.DecimalType) -> T.DecimalType:
    scale = max(MIN_ADJUSTED_SCALE, a.scale + b.precision + 1)
    precision = a.precision - a.scale + b.scale + scale
    return adjust_precision_scale(precision, scale)


def decimal_remainder_type(a: T.DecimalType, b: T.DecimalType) -> T.DecimalType:
    scale = max(a.scale, b.scale)
    return adjust_precision_scale(min(a.precision - a.scale, b.precision - b.scale) + scale, scale)


def literal_decimal(value: int) -> T.DecimalType:
    """The decimal type of an integer literal meeting a decimal: just as many digits as it has."""
    return T.DecimalType(max(len(str(abs(int(value)))), 1), 0)
