"""Spark SQL data types, ``StructType`` schemas and ``Row``, named and printed as PySpark's.

Each type knows its ``simpleString`` (``int``, ``array<string>``), its JSON form (the schema format
Spark writes into Parquet metadata) and its DDL form, so schemas round-trip through all three.
"""
from __future__ import annotations

import datetime
import decimal
import json
import re
from typing import Any, Iterable, Iterator

__all__ = [
    "DataType", "NullType", "StringType", "CharType", "VarcharType", "BinaryType", "BooleanType",
    "DateType", "TimestampType", "TimestampNTZType", "DecimalType", "DoubleType", "FloatType",
    "ByteType", "ShortType", "IntegerType", "LongType", "DayTimeIntervalType",
    "YearMonthIntervalType", "ArrayType", "MapType", "StructField", "StructType", "Row",
    "NumericType", "IntegralType", "FractionalType", "AtomicType", "VariantType",
    "CalendarIntervalType",
]


class DataType:
    """Base of every Spark SQL type."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __hash__(self) -> int:
        return hash(str(self))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, self.__class__) and self.__dict__ == other.__dict__

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    @classmethod
    def typeName(cls) -> str:
        return cls.__name__[:-4].lower()

    def simpleString(self) -> str:
        return self.typeName()

    def jsonValue(self) -> Any:
        return self.typeName()

    def json(self) -> str:
        return json.dumps(self.jsonValue(), separators=(",", ":"), sort_keys=True)

    def needConversion(self) -> bool:
        return False

    def toNullable(self) -> "DataType":
        """The same type with every nested field, element and value nullable."""
        return self

    def toInternal(self, obj: Any) -> Any:
        return obj

    def fromInternal(self, obj: Any) -> Any:
        return obj

    @classmethod
    def fromJson(cls, json_value: Any) -> "DataType":
        return _parse_datatype_json_value(json_value)

    @classmethod
    def fromDDL(cls, ddl: str) -> "DataType":
        from pyspk.sql._typeparse import parse_ddl_type
        return parse_ddl_type(ddl)


class DataTypeSingleton(type):
    """Metaclass making parameterless types singletons, as in PySpark."""

    _instances: dict[type, Any] = {}

    def __call__(cls) -> Any:  # type: ignore[override]
        if cls not in cls._instances:
            cls._instances[cls] = super().__call__()
        return cls._instances[cls]


class NullType(DataType, metaclass=DataTypeSingleton):
    """The type of a bare NULL."""

    @classmethod
    def typeName(cls) -> str:
        return "void"


class AtomicType(DataType):
    """Types that are not containers."""


class NumericType(AtomicType):
    """Numeric types."""


class IntegralType(NumericType, metaclass=DataTypeSingleton):
    """Integer types."""


class FractionalType(NumericType):
    """Floating point and decimal types."""


class StringType(AtomicType, metaclass=DataTypeSingleton):
    """UTF-8 strings."""


class CharType(AtomicType):
    """Fixed-length strings (``char(n)``)."""

    def __init__(self, length: int) -> None:
        self.length = length

    def simpleString(self) -> str:
        return f"char({self.length})"

    def jsonValue(self) -> str:
        return f"char({self.length})"

    def __repr__(self) -> str:
        return f"CharType({self.length})"


class VarcharType(AtomicType):
    """Bounded-length strings (``varchar(n)``)."""

    def __init__(self, length: int) -> None:
        self.length = length

    def simpleString(self) -> str:
        return f"varchar({self.length})"

    def jsonValue(self) -> str:
        return f"varchar({self.length})"

    def __repr__(self) -> str:
        return f"VarcharType({self.length})"


class BinaryType(AtomicType, metaclass=DataTypeSingleton):
    """Byte arrays."""


class BooleanType(AtomicType, metaclass=DataTypeSingleton):
    """Booleans."""


class DateType(AtomicType, metaclass=DataTypeSingleton):
    """Calendar dates (``datetime.date``)."""

    EPOCH_ORDINAL = datetime.datetime(1970, 1, 1).toordinal()

    def needConversion(self) -> bool:
        return True

    def toInternal(self, d: Any) -> Any:
        if d is not None:
            return d.toordinal() - self.EPOCH_ORDINAL
        return None

    def fromInternal(self, v: Any) -> Any:
        if v is not None:
            return datetime.date.fromordinal(v + self.EPOCH_ORDINAL)
        return None


class TimestampType(AtomicType, metaclass=DataTypeSingleton):
    """Instants, shown in the session time zone (``datetime.datetime``)."""


class TimestampNTZType(AtomicType, metaclass=DataTypeSingleton):
    """Wall-clock timestamps without a time zone."""

    @classmethod
    def typeName(cls) -> str:
        return "timestamp_ntz"

    def __repr__(self) -> str:
        return "TimestampNTZType()"


class DecimalType(FractionalType):
    """Fixed-point decimals of ``precision`` digits, ``scale`` of them after the point."""

    def __init__(self, precision: int = 10, scale: int = 0) -> None:
        self.precision = precision
        self.scale = scale
        self.hasPrecisionInfo = True

    def simpleString(self) -> str:
        return f"decimal({self.precision},{self.scale})"

    def jsonValue(self) -> str:
        return f"decimal({self.precision},{self.scale})"

    def __repr__(self) -> str:
        return f"DecimalType({self.precision},{self.scale})"


class DoubleType(FractionalType, metaclass=DataTypeSingleton):
    """64-bit floats."""


class FloatType(FractionalType, metaclass=DataTypeSingleton):
    """32-bit floats."""


class ByteType(IntegralType):
    """8-bit integers."""

    def simpleString(self) -> str:
        return "tinyint"


class ShortType(IntegralType):
    """16-bit integers."""

    def simpleString(self) -> str:
        return "smallint"


class IntegerType(IntegralType):
    """32-bit integers."""

    def simpleString(self) -> str:
        return "int"


class LongType(IntegralType):
    """64-bit integers."""

    def simpleString(self) -> str:
        return "bigint"


class VariantType(AtomicType, metaclass=DataTypeSingleton):
    """Semi-structured values."""


class CalendarIntervalType(AtomicType, metaclass=DataTypeSingleton):
    """Intervals of months, days and microseconds (``make_interval``)."""

    @classmethod
    def typeName(cls) -> str:
        return "interval"


_DT_FIELDS = {0: "day", 1: "hour", 2: "minute", 3: "second"}
_YM_FIELDS = {0: "year", 1: "month"}


class _IntervalType(AtomicType):
    """An interval from ``startField`` to ``endField`` of the subclass's field names."""

    _FIELD_NAMES: dict[int, str] = {}

    def __init__(self, startField: int = 0, endField: int | None = None) -> None:
        self.startField = startField
        self.endField = len(self._FIELD_NAMES) - 1 if endField is None else endField

    def _fields(self) -> str:
        s, e = self._FIELD_NAMES[self.startField], self._FIELD_NAMES[self.endField]
        return f"interval {s}" if s == e else f"interval {s} to {e}"

    def simpleString(self) -> str:
        return self._fields()

    def jsonValue(self) -> str:
        return self._fields()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.startField}, {self.endField})"


class DayTimeIntervalType(_IntervalType):
    """Intervals of days to seconds (``datetime.timedelta``)."""

    DAY, HOUR, MINUTE, SECOND = 0, 1, 2, 3
    _FIELD_NAMES = _DT_FIELDS


class YearMonthIntervalType(_IntervalType):
    """Intervals of years and months."""

    YEAR, MONTH = 0, 1
    _FIELD_NAMES = _YM_FIELDS


class ArrayType(DataType):
    """Arrays of ``elementType``."""

    def __init__(self, elementType: DataType, containsNull: bool = True) -> None:
        self.elementType = elementType
        self.containsNull = containsNull

    def simpleString(self) -> str:
        return f"array<{self.elementType.simpleString()}>"

    def jsonValue(self) -> dict:
        return {"type": "array", "elementType": self.elementType.jsonValue(),
                "containsNull": self.containsNull}

    def toNullable(self) -> "ArrayType":
        return ArrayType(self.elementType.toNullable(), True)

    def __repr__(self) -> str:
        return f"ArrayType({self.elementType!r}, {self.containsNull})"


class MapType(DataType):
    """Maps from ``keyType`` to ``valueType``."""

    def __init__(self, keyType: DataType, valueType: DataType, valueContainsNull: bool = True) -> None:
        self.keyType = keyType
        self.valueType = valueType
        self.valueContainsNull = valueContainsNull

    def simpleString(self) -> str:
        return f"map<{self.keyType.simpleString()},{self.valueType.simpleString()}>"

    def jsonValue(self) -> dict:
        return {"type": "map", "keyType": self.keyType.jsonValue(),
                "valueType": self.valueType.jsonValue(), "valueContainsNull": self.valueContainsNull}

    def toNullable(self) -> "MapType":
        return MapType(self.keyType.toNullable(), self.valueType.toNullable(), True)

    def __repr__(self) -> str:
        return f"MapType({self.keyType!r}, {self.valueType!r}, {self.valueContainsNull})"


class StructField(DataType):
    """One named field of a ``StructType``."""

    def __init__(self, name: str, dataType: DataType, nullable: bool = True,
                 metadata: dict | None = None) -> None:
        self.name = name
        self.dataType = dataType
        self.nullable = nullable
        self.metadata = metadata or {}

    def simpleString(self) -> str:
        return f"{self.name}:{self.dataType.simpleString()}"

    def jsonValue(self) -> dict:
        return {"name": self.name, "type": self.dataType.jsonValue(), "nullable": self.nullable,
                "metadata": self.metadata}

    def typeName(self) -> str:  # type: ignore[override]
        raise TypeError("StructField does not have typeName. Use typeName on its type explicitly "
                        "instead.")

    def __repr__(self) -> str:
        return f"StructField('{self.name}', {self.dataType!r}, {self.nullable})"


class StructType(DataType):
    """A schema: an ordered list of ``StructField``.

    >>> StructType([StructField("a", IntegerType())]).simpleString()
    'struct<a:int>'
    """

    def __init__(self, fields: list[StructField] | None = None) -> None:
        self.fields = list(fields or [])
        self.names = [f.name for f in self.fields]

    def add(self, field: str | StructField, data_type: str | DataType | None = None,
            nullable: bool = True, metadata: dict | None = None) -> "StructType":
        if isinstance(field, StructField):
            self.fields.append(field)
        else:
            if isinstance(data_type, str):
                data_type = _parse_datatype_string(data_type)
            self.fields.append(StructField(field, data_type, nullable, metadata))  # type: ignore[arg-type]
        self.names = [f.name for f in self.fields]
        return self

    def fieldNames(self) -> list[str]:
        return list(self.names)

    def __iter__(self) -> Iterator[StructField]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            for f in self.fields:
                if f.name == key:
                    return f
            raise KeyError(f"No StructField named {key}")
        if isinstance(key, int):
            return self.fields[key]
        if isinstance(key, slice):
            return StructType(self.fields[key])
        raise TypeError("StructType keys should be strings, integers or slices")

    def simpleString(self) -> str:
        return "struct<" + ",".join(f.simpleString() for f in self.fields) + ">"

    def jsonValue(self) -> dict:
        return {"type": "struct", "fields": [f.jsonValue() for f in self.fields]}

    def toNullable(self) -> "StructType":
        return StructType([StructField(f.name, f.dataType.toNullable(), True, f.metadata)
                           for f in self.fields])

    def __repr__(self) -> str:
        return "StructType([" + ", ".join(repr(f) for f in self.fields) + "])"

    def treeString(self, level: int | None = None) -> str:
        lines = ["root"]
        _tree_lines(self, 1, lines, level)
        return "\n".join(lines) + "\n"

    def toDDL(self) -> str:
        return ",".join(f"{_quote_ddl(f.name)} {_ddl_type(f.dataType)}"
                        + ("" if f.nullable else " NOT NULL") for f in self.fields)

    @classmethod
    def fromJson(cls, json_value: dict) -> "StructType":  # type: ignore[override]
        return StructType([StructField(f["name"], _parse_datatype_json_value(f["type"]),
                                       f.get("nullable", True), f.get("metadata"))
                           for f in json_value["fields"]])


def _quote_ddl(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else "`" + name.replace("`", "``") + "`"


def _ddl_type(dt: DataType) -> str:
    if isinstance(dt, StructType):
        return "STRUCT<" + ", ".join(f"{_quote_ddl(f.name)}: {_ddl_type(f.dataType)}"
                                     for f in dt.fields) + ">"
    if isinstance(dt, ArrayType):
        return f"ARRAY<{_ddl_type(dt.elementType)}>"
    if isinstance(dt, MapType):
        return f"MAP<{_ddl_type(dt.keyType)}, {_ddl_type(dt.valueType)}>"
    return dt.simpleString().upper()


def _tree_name(dt: DataType) -> str:
    """How printSchema names a type: ``long``, ``integer``, ``decimal(10,2)``, ``struct``."""
    if isinstance(dt, (StructType, ArrayType, MapType)):
        return dt.typeName()
    value = dt.jsonValue()
    return value if isinstance(value, str) else dt.typeName()


def _tree_lines(dt: DataType, depth: int, out: list[str], level: int | None) -> None:
    if level is not None and depth > level:
        return
    prefix = " |   " * (depth - 1) + " |-- "
    if isinstance(dt, StructType):
        for f in dt.fields:
            out.append(f"{prefix}{f.name}: {_tree_name(f.dataType)} "
                       f"(nullable = {str(f.nullable).lower()})")
            _tree_lines(f.dataType, depth + 1, out, level)
    elif isinstance(dt, ArrayType):
        el = dt.elementType
        name = _tree_name(el)
        out.append(f"{prefix}element: {name} (containsNull = {str(dt.containsNull).lower()})")
        _tree_lines(el, depth + 1, out, level)
    elif isinstance(dt, MapType):
        k, v = dt.keyType, dt.valueType
        kn, vn = _tree_name(k), _tree_name(v)
        out.append(f"{prefix}key: {kn}")
        _tree_lines(k, depth + 1, out, level)
        out.append(f"{prefix}value: {vn} (valueContainsNull = {str(dt.valueContainsNull).lower()})")
        _tree_lines(v, depth + 1, out, level)


_ATOMIC_BY_NAME: dict[str, DataType] = {
    t.typeName(): t() for t in (NullType, StringType, BinaryType, BooleanType, DateType,
                                TimestampType, TimestampNTZType, DoubleType, FloatType, ByteType,
                                ShortType, IntegerType, LongType, VariantType)
}


def _parse_datatype_json_value(value: Any) -> DataType:
    if isinstance(value, str):
        if value in _ATOMIC_BY_NAME:
            return _ATOMIC_BY_NAME[value]
        if value == "decimal":
            return DecimalType()
        m = re.fullmatch(r"decimal\(\s*(\d+)\s*,\s*(-?\d+)\s*\)", value)
        if m:
            return DecimalType(int(m.group(1)), int(m.group(2)))
        m = re.fullmatch(r"(char|varchar)\(\s*(\d+)\s*\)", value)
        if m:
            return (CharType if m.group(1) == "char" else VarcharType)(int(m.group(2)))
        m = re.fullmatch(r"interval (\w+)(?: to (\w+))?", value)
        if m:
            start, end = m.group(1), m.group(2) or m.group(1)
            if start in _YM_FIELDS.values():
                inv = {v: k for k, v in _YM_FIELDS.items()}
                return YearMonthIntervalType(inv[start], inv[end])
            inv = {v: k for k, v in _DT_FIELDS.items()}
            return DayTimeIntervalType(inv[start], inv[end])
        raise ValueError(f"Could not parse datatype: {value}")
    kind = value.get("type")
    if kind == "struct":
        return StructType.fromJson(value)
    if kind == "array":
        return ArrayType(_parse_datatype_json_value(value["elementType"]), value["containsNull"])
    if kind == "map":
        return MapType(_parse_datatype_json_value(value["keyType"]),
                       _parse_datatype_json_value(value["valueType"]), value["valueContainsNull"])
    raise ValueError(f"Could not parse datatype: {value}")


def _parse_datatype_json_string(text: str) -> DataType:
    return _parse_datatype_json_value(json.loads(text))


def _parse_datatype_string(text: str) -> DataType:
    from pyspk.sql._typeparse import parse_ddl_type
    return parse_ddl_type(text)


class Row(tuple):
    """A row of a DataFrame: a tuple whose fields can also be read by name.

    >>> row = Row(name="Alice", age=11)
    >>> row
    Row(name='Alice', age=11)
    >>> row.name, row["age"]
    ('Alice', 11)
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> "Row":
        if args and kwargs:
            raise ValueError("Can not use both args and kwargs to create Row")
        if kwargs:
            row = tuple.__new__(cls, list(kwargs.values()))
            row.__fields__ = list(kwargs.keys())
            return row
        return tuple.__new__(cls, args)

    def asDict(self, recursive: bool = False) -> dict[str, Any]:
        if not hasattr(self, "__fields__"):
            raise TypeError("Cannot convert a Row class into dict")
        if not recursive:
            return dict(zip(self.__fields__, self))

        def conv(obj: Any) -> Any:
            if isinstance(obj, Row):
                return obj.asDict(True)
            if isinstance(obj, list):
                return [conv(o) for o in obj]
            if isinstance(obj, dict):
                return {k: conv(v) for k, v in obj.items()}
            return obj

        return dict(zip(self.__fields__, (conv(o) for o in self)))

    def __contains__(self, item: Any) -> bool:
        if hasattr(self, "__fields__"):
            return item in self.__fields__
        return super().__contains__(item)

    def __call__(self, *args: Any) -> "Row":
        if len(args) > len(self):
            raise ValueError(f"Can not create Row with fields {self}, expected {len(self)} values "
                             f"but got {args}")
        return _make_row(list(self), list(args))

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, (int, slice)):
            return super().__getitem__(item)
        try:
            idx = self.__fields__.index(item)
        except (IndexError, AttributeError, ValueError):
            raise ValueError(item) from None
        return super().__getitem__(idx)

    def __getattr__(self, item: str) -> Any:
        if item.startswith("__"):
            raise AttributeError(item)
        try:
            idx = self.__fields__.index(item)
        except (IndexError, AttributeError, ValueError):
            raise AttributeError(item) from None
        return self[idx]

    def __setattr__(self, key: str, value: Any) -> None:
        if key != "__fields__":
            raise RuntimeError("Row is read-only")
        self.__dict__[key] = value

    def __reduce__(self) -> Any:
        if hasattr(self, "__fields__"):
            return (_make_row, (self.__fields__, tuple(self)))
        return tuple.__reduce__(self)

    def __repr__(self) -> str:
        if hasattr(self, "__fields__"):
            return "Row(" + ", ".join(f"{k}={v!r}" for k, v in zip(self.__fields__, tuple(self))) + ")"
        return "<Row(" + ", ".join(repr(f) for f in self) + ")>"


def _make_row(fields: list[str], values: Iterable[Any]) -> Row:
    row = Row(*values)
    row.__fields__ = list(fields)
    return row


def _infer_type(obj: Any) -> DataType:
    """The Spark type PySpark infers for a Python value."""
    if obj is None:
        return NullType()
    if isinstance(obj, bool):
        return BooleanType()
    if isinstance(obj, int):
        return LongType()
    if isinstance(obj, float):
        return DoubleType()
    if isinstance(obj, str):
        return StringType()
    if isinstance(obj, decimal.Decimal):
        return DecimalType(38, 18)
    if isinstance(obj, (bytes, bytearray)):
        return BinaryType()
    if isinstance(obj, datetime.datetime):
        return TimestampType()
    if isinstance(obj, datetime.date):
        return DateType()
    if isinstance(obj, datetime.timedelta):
        return DayTimeIntervalType()
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k is not None and v is not None:
                return MapType(_infer_type(k), _infer_type(v), True)
        return MapType(NullType(), NullType(), True)
    if isinstance(obj, tuple) and not isinstance(obj, Row):
        return StructType([StructField(f"_{i + 1}", _infer_type(v), True) for i, v in enumerate(obj)])
    if isinstance(obj, list):
        el: DataType = NullType()
        for v in obj:
            el = _merge_type(el, _infer_type(v))
        return ArrayType(el, True)
    if isinstance(obj, Row) and hasattr(obj, "__fields__"):
        return StructType([StructField(k, _infer_type(v), True) for k, v in zip(obj.__fields__, obj)])
    if isinstance(obj, Row):
        return StructType([StructField(f"_{i + 1}", _infer_type(v), True) for i, v in enumerate(obj)])
    if hasattr(obj, "__dict__") and not isinstance(obj, type):
        return StructType([StructField(k, _infer_type(v), True) for k, v in vars(obj).items()])
    raise TypeError(f"not supported type: {type(obj)}")


def _merge_type(a: DataType, b: DataType) -> DataType:
    """Combine two inferred types of one column (NULL widens to anything)."""
    if isinstance(a, NullType):
        return b
    if isinstance(b, NullType):
        return a
    # PySpark's widening: TIMESTAMP wins over TIMESTAMP_NTZ, STRING over any other atomic type.
    if {type(a), type(b)} == {TimestampType, TimestampNTZType}:
        return TimestampType()
    if isinstance(a, AtomicType) and isinstance(b, StringType):
        return b
    if isinstance(a, StringType) and isinstance(b, AtomicType):
        return a
    if type(a) is not type(b):
        raise TypeError(f"Can not merge type {type(a).__name__} and {type(b).__name__}")
    if isinstance(a, StructType) and isinstance(b, StructType):
        by_name = {f.name: f for f in b.fields}
        fields = [StructField(f.name, _merge_type(f.dataType, by_name[f.name].dataType)
                              if f.name in by_name else f.dataType, True) for f in a.fields]
        names = set(a.names)
        fields += [f for f in b.fields if f.name not in names]
        return StructType(fields)
    if isinstance(a, ArrayType) and isinstance(b, ArrayType):
        return ArrayType(_merge_type(a.elementType, b.elementType), True)
    if isinstance(a, MapType) and isinstance(b, MapType):
        return MapType(_merge_type(a.keyType, b.keyType), _merge_type(a.valueType, b.valueType), True)
    return a


_INT_RANGES = {ByteType: (-(1 << 7), (1 << 7) - 1), ShortType: (-(1 << 15), (1 << 15) - 1),
               IntegerType: (-(1 << 31), (1 << 31) - 1), LongType: (-(1 << 63), (1 << 63) - 1)}
_ACCEPTED: list[tuple[type, tuple[type, ...]]] = [
    (NullType, (type(None),)), (BooleanType, (bool,)), (IntegralType, (int,)),
    (FloatType, (float,)), (DoubleType, (float,)), (DecimalType, (decimal.Decimal,)),
    (StringType, (str,)), (CharType, (str,)), (VarcharType, (str,)),
    (BinaryType, (bytearray, bytes)), (DateType, (datetime.date, datetime.datetime)),
    (TimestampType, (datetime.datetime,)), (TimestampNTZType, (datetime.datetime,)),
    (DayTimeIntervalType, (datetime.timedelta,)), (ArrayType, (list, tuple)),
    (MapType, (dict,)), (StructType, (tuple, list, dict, Row)),
]


def _make_type_verifier(dataType: DataType, nullable: bool = True,
                        name: str | None = None) -> Any:
    """A function checking that a Python value fits ``dataType`` (createDataFrame's verifySchema).

    Raises ``PySparkTypeError`` for a value of the wrong Python type and ``PySparkValueError``
    for a value out of range, a NULL where none is allowed or a struct of the wrong length.
    """
    from pyspk.errors.base import PySparkTypeError, PySparkValueError
    where = f"field {name}" if name else "object"

    def value_error(condition: str, params: dict[str, str]) -> PySparkValueError:
        return PySparkValueError(errorClass=condition, messageParameters=params)

    def check_type(obj: Any) -> None:
        accepted = next((py for t, py in _ACCEPTED if isinstance(dataType, t)), None)
        if accepted is not None and not isinstance(obj, accepted):
            raise PySparkTypeError(errorClass="CANNOT_ACCEPT_OBJECT_IN_TYPE", messageParameters={
                "data_type": str(dataType), "obj_name": repr(obj), "obj_type": type(obj).__name__})
        if isinstance(dataType, IntegralType) and isinstance(obj, bool):
            raise PySparkTypeError(errorClass="CANNOT_ACCEPT_OBJECT_IN_TYPE", messageParameters={
                "data_type": str(dataType), "obj_name": repr(obj), "obj_type": "bool"})

    def check_value(obj: Any) -> None:
        bounds = _INT_RANGES.get(type(dataType))
        if bounds is not None and not bounds[0] <= obj <= bounds[1]:
            raise value_error("VALUE_OUT_OF_BOUNDS", {
                "arg_name": where, "lower_bound": str(bounds[0]),
                "upper_bound": str(bounds[1]), "actual": str(obj)})
        if isinstance(dataType, ArrayType):
            element = _make_type_verifier(dataType.elementType, dataType.containsNull,
                                          f"element in array {where}")
            for v in obj:
                element(v)
        elif isinstance(dataType, MapType):
            key = _make_type_verifier(dataType.keyType, False, f"key of map {where}")
            value = _make_type_verifier(dataType.valueType, dataType.valueContainsNull,
                                        f"value of map {where}")
            for k, v in obj.items():
                key(k)
                value(v)
        elif isinstance(dataType, StructType):
            check_struct(obj)

    def check_struct(obj: Any) -> None:
        fields = dataType.fields
        if isinstance(obj, dict):
            values = [obj.get(f.name) for f in fields]
        elif isinstance(obj, Row) and hasattr(obj, "__fields__"):
            values = [obj[f.name] if f.name in obj.__fields__ else None for f in fields]
        else:
            if len(obj) != len(fields):
                raise value_error("FIELD_STRUCT_LENGTH_MISMATCH", {
                    "object_length": str(len(obj)), "field_length": str(len(fields))})
            values = list(obj)
        for f, v in zip(fields, values):
            _make_type_verifier(f.dataType, f.nullable, f"{f.name}")(v)

    def verify(obj: Any) -> None:
        if obj is None:
            if nullable:
                return
            raise value_error("FIELD_NOT_NULLABLE", {"field_name": where})
        check_type(obj)
        check_value(obj)

    return verify
