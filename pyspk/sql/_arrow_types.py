"""Map Spark SQL types to Arrow types and back, and convert Python rows to and from Arrow.

``TIMESTAMP`` values (instants) are stored as tz-naive ``timestamp[us]`` holding UTC, and
``TIMESTAMP_NTZ`` values as the same type holding a wall clock; Python datetimes for
``TIMESTAMP`` are in the process's local zone, as PySpark hands them out; intervals of days to seconds as ``duration[us]``; year-month
intervals as ``int32`` months.
"""
from __future__ import annotations

import datetime
import decimal
from typing import Any, Iterable

import pyarrow as pa

from pyspk.sql import types as T


def to_arrow_type(dt: T.DataType) -> pa.DataType:
    """The Arrow type that stores values of ``dt``."""
    simple = _TO_ARROW.get(type(dt))
    if simple is not None:
        return simple
    if isinstance(dt, T.DecimalType):
        return pa.decimal128(dt.precision, dt.scale)
    if isinstance(dt, T.ArrayType):
        return pa.list_(to_arrow_type(dt.elementType))
    if isinstance(dt, T.MapType):
        return pa.map_(to_arrow_type(dt.keyType), to_arrow_type(dt.valueType))
    if isinstance(dt, T.StructType):
        # Arrow fields stay nullable: Spark's nullability is a plan property, and Arrow would
        # refuse to combine arrays that differ only in it.
        return pa.struct([pa.field(f.name, to_arrow_type(f.dataType), True) for f in dt.fields])
    if isinstance(dt, (T.CharType, T.VarcharType)):
        return pa.string()
    if isinstance(dt, T.DayTimeIntervalType):
        return pa.duration("us")
    if isinstance(dt, T.YearMonthIntervalType):
        return pa.int32()
    raise TypeError(f"no Arrow type for {dt!r}")


_TO_ARROW: dict[type, pa.DataType] = {
    T.NullType: pa.null(), T.StringType: pa.string(), T.BinaryType: pa.binary(),
    T.BooleanType: pa.bool_(), T.DateType: pa.date32(), T.TimestampType: pa.timestamp("us"),
    T.TimestampNTZType: pa.timestamp("us"), T.DoubleType: pa.float64(), T.FloatType: pa.float32(),
    T.ByteType: pa.int8(), T.ShortType: pa.int16(), T.IntegerType: pa.int32(),
    T.LongType: pa.int64(), T.VariantType: pa.string(),
    T.CalendarIntervalType: pa.month_day_nano_interval(),
}


def from_arrow_type(at: pa.DataType) -> T.DataType:
    """The Spark type of an Arrow column (as Spark reads Parquet/Arrow data)."""
    if pa.types.is_null(at):
        return T.NullType()
    if pa.types.is_boolean(at):
        return T.BooleanType()
    if pa.types.is_int8(at) or pa.types.is_uint8(at):
        return T.ByteType() if pa.types.is_int8(at) else T.ShortType()
    if pa.types.is_int16(at):
        return T.ShortType()
    if pa.types.is_int32(at) or pa.types.is_uint16(at):
        return T.IntegerType()
    if pa.types.is_integer(at):
        return T.LongType()
    if pa.types.is_float16(at) or pa.types.is_float32(at):
        return T.FloatType()
    if pa.types.is_float64(at):
        return T.DoubleType()
    if pa.types.is_decimal(at):
        return T.DecimalType(min(at.precision, 38), at.scale)
    if pa.types.is_string(at) or pa.types.is_large_string(at) or pa.types.is_string_view(at):
        return T.StringType()
    if pa.types.is_binary(at) or pa.types.is_large_binary(at) or pa.types.is_fixed_size_binary(at) \
            or pa.types.is_binary_view(at):
        return T.BinaryType()
    if pa.types.is_date(at):
        return T.DateType()
    if pa.types.is_timestamp(at):
        return T.TimestampType() if at.tz is not None else T.TimestampNTZType()
    if pa.types.is_duration(at):
        return T.DayTimeIntervalType()
    if pa.types.is_list(at) or pa.types.is_large_list(at) or pa.types.is_fixed_size_list(at) \
            or pa.types.is_list_view(at):
        return T.ArrayType(from_arrow_type(at.value_type), True)
    if pa.types.is_map(at):
        return T.MapType(from_arrow_type(at.key_type), from_arrow_type(at.item_type), True)
    if pa.types.is_struct(at):
        return T.StructType([T.StructField(at.field(i).name, from_arrow_type(at.field(i).type),
                                           at.field(i).nullable) for i in range(at.num_fields)])
    if pa.types.is_dictionary(at):
        return from_arrow_type(at.value_type)
    raise TypeError(f"unsupported Arrow type {at}")


def from_arrow_schema(schema: pa.Schema) -> T.StructType:
    """A StructType for an Arrow schema (every field nullable, as Spark reads files)."""
    return T.StructType([T.StructField(f.name, from_arrow_type(f.type), True) for f in schema])


def normalize_array(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Cast an Arrow column read from outside to the canonical storage type of its Spark type."""
    want = to_arrow_type(from_arrow_type(arr.type))
    if arr.type == want:
        return arr
    if pa.types.is_timestamp(arr.type) and arr.type.tz is not None:
        arr = arr.cast(pa.timestamp(arr.type.unit))
    if pa.types.is_dictionary(arr.type):
        arr = arr.cast(arr.type.value_type)
    return arr.cast(want)


def python_to_arrow_value(value: Any, dt: T.DataType) -> Any:
    """A Python value (Row, dict, list, …) in the shape ``pa.array`` expects for ``dt``."""
    if value is None:
        return None
    if isinstance(dt, T.StructType):
        if isinstance(value, dict):
            return {f.name: python_to_arrow_value(value.get(f.name), f.dataType) for f in dt.fields}
        if isinstance(value, T.Row) and hasattr(value, "__fields__"):
            d = value.asDict()
            return {f.name: python_to_arrow_value(d.get(f.name), f.dataType) for f in dt.fields}
        if isinstance(value, (tuple, list)):
            return {f.name: python_to_arrow_value(v, f.dataType) for f, v in zip(dt.fields, value)}
        return {f.name: python_to_arrow_value(getattr(value, f.name, None), f.dataType)
                for f in dt.fields}
    if isinstance(dt, T.ArrayType):
        return [python_to_arrow_value(v, dt.elementType) for v in value]
    if isinstance(dt, T.MapType):
        return [(python_to_arrow_value(k, dt.keyType), python_to_arrow_value(v, dt.valueType))
                for k, v in value.items()]
    if isinstance(dt, (T.FloatType, T.DoubleType)) and isinstance(value, (int, decimal.Decimal)) \
            and not isinstance(value, bool):
        return float(value)
    if isinstance(dt, T.DecimalType) and isinstance(value, (int, float)):
        return decimal.Decimal(value)
    if isinstance(dt, T.TimestampType) and isinstance(value, datetime.datetime):
        if value.tzinfo is None and _local_is_utc():
            return value
        return value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    if isinstance(dt, T.DateType) and isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(dt, T.StringType) and not isinstance(value, str):
        return ("true" if value else "false") if isinstance(value, bool) else str(value)
    if isinstance(dt, T.YearMonthIntervalType):
        return int(value)
    return value


def column_from_python(values: Iterable[Any], dt: T.DataType) -> pa.Array:
    """An Arrow array of ``dt`` built from Python values."""
    at = to_arrow_type(dt)
    simple = not isinstance(dt, (T.StructType, T.ArrayType, T.MapType, T.FloatType, T.DoubleType,
                                 T.DecimalType, T.TimestampType, T.DateType,
                                 T.YearMonthIntervalType))
    vals = list(values) if simple else [python_to_arrow_value(v, dt) for v in values]
    try:
        return pa.array(vals, type=at)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        if not simple:
            raise
        # A STRING column inferred by widening mixed values (1 and "a") holds their text.
        return pa.array([python_to_arrow_value(v, dt) for v in vals], type=at)


def arrow_column_to_python(arr: pa.Array | pa.ChunkedArray, dt: T.DataType) -> list[Any]:
    """Python values of a column as PySpark's ``collect`` returns them (Rows, dicts, lists)."""
    if isinstance(dt, T.TimestampType) and not _local_is_utc():
        from pyspk.sql.expressions.tz import process_time_zone, utc_to_local
        arr = utc_to_local(arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr,
                           process_time_zone())
    values = arr.to_pylist()
    if _plain(dt):
        return values
    return [python_from_arrow_value(v, dt) for v in values]


def _local_is_utc() -> bool:
    """Whether this process's local zone is UTC (then UTC storage is already Python-local)."""
    from pyspk.sql.expressions.tz import is_utc, process_time_zone
    return is_utc(process_time_zone())


def _plain(dt: T.DataType) -> bool:
    return not isinstance(dt, (T.StructType, T.ArrayType, T.MapType, T.YearMonthIntervalType))


def python_from_arrow_value(v: Any, dt: T.DataType) -> Any:
    """One value from ``to_pylist`` shaped as PySpark returns it."""
    if v is None:
        return None
    if isinstance(dt, T.StructType):
        return T._make_row(dt.names, [python_from_arrow_value(v.get(f.name) if isinstance(v, dict)
                                                              else None, f.dataType)
                                      for f in dt.fields])
    if isinstance(dt, T.ArrayType):
        return [python_from_arrow_value(x, dt.elementType) for x in v]
    if isinstance(dt, T.MapType):
        return {python_from_arrow_value(k, dt.keyType): python_from_arrow_value(x, dt.valueType)
                for k, x in v}
    return v
