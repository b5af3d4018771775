"""``hash``: Spark's Murmur3 (x86, 32-bit, seed 42) over each column's binary form, so hashes
match Spark's exactly."""
from __future__ import annotations

import datetime
import decimal
import struct

from dataclasses import dataclass

import pyarrow as pa

from pyspk.sql import types as T
from pyspk.sql._arrow_types import arrow_column_to_python
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, to_array

_M = 0xFFFFFFFF


def _rotl(x: int, r: int) -> int:
    return ((x << r) | (x >> (32 - r))) & _M


def _mix_k1(k1: int) -> int:
    k1 = (k1 * 0xCC9E2D51) & _M
    k1 = _rotl(k1, 15)
    return (k1 * 0x1B873593) & _M


def _mix_h1(h1: int, k1: int) -> int:
    h1 ^= k1
    h1 = _rotl(h1, 13)
    return (h1 * 5 + 0xE6546B64) & _M


def _fmix(h1: int, length: int) -> int:
    h1 ^= length
    h1 ^= h1 >> 16
    h1 = (h1 * 0x85EBCA6B) & _M
    h1 ^= h1 >> 13
    h1 = (h1 * 0xC2B2AE35) & _M
    return h1 ^ (h1 >> 16)


def hash_int(v: int, seed: int) -> int:
    return _fmix(_mix_h1(seed, _mix_k1(v & _M)), 4)


def hash_long(v: int, seed: int) -> int:
    v &= (1 << 64) - 1
    h1 = _mix_h1(seed, _mix_k1(v & _M))
    h1 = _mix_h1(h1, _mix_k1(v >> 32))
    return _fmix(h1, 8)


def hash_bytes(data: bytes, seed: int) -> int:
    """Spark's ``hashUnsafeBytes``: 4-byte little-endian words, then each tail byte alone."""
    h1 = seed
    aligned = len(data) - len(data) % 4
    for i in range(0, aligned, 4):
        h1 = _mix_h1(h1, _mix_k1(int.from_bytes(data[i:i + 4], "little")))
    for b in data[aligned:]:
        signed = b - 256 if b > 127 else b
        h1 = _mix_h1(h1, _mix_k1(signed & _M))
    return _fmix(h1, len(data))


def hash_value(v, dt: T.DataType, seed: int) -> int:
    if v is None:
        return seed
    if isinstance(dt, T.BooleanType):
        return hash_int(1 if v else 0, seed)
    if isinstance(dt, (T.ByteType, T.ShortType, T.IntegerType)):
        return hash_int(v, seed)
    if isinstance(dt, T.LongType):
        return hash_long(v, seed)
    if isinstance(dt, T.FloatType):
        f = 0.0 if v == 0 else v
        return hash_int(struct.unpack("<i", struct.pack("<f", f))[0], seed)
    if isinstance(dt, T.DoubleType):
        d = 0.0 if v == 0 else v
        return hash_long(struct.unpack("<q", struct.pack("<d", d))[0], seed)
    if isinstance(dt, T.DateType):
        return hash_int((v - datetime.date(1970, 1, 1)).days, seed)
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
        delta = v - datetime.datetime(1970, 1, 1)
        return hash_long(delta.days * 86_400_000_000 + delta.seconds * 1_000_000 + delta.microseconds, seed)
    if isinstance(dt, T.DecimalType) and dt.precision <= 18:
        return hash_long(int(decimal.Decimal(v).scaleb(dt.scale)), seed)
    if isinstance(dt, T.DecimalType):
        unscaled = int(decimal.Decimal(v).scaleb(dt.scale))
        return hash_bytes(unscaled.to_bytes((unscaled.bit_length() + 8) // 8, "big", signed=True), seed)
    if isinstance(dt, (T.StringType, T.CharType, T.VarcharType)):
        return hash_bytes(v.encode("utf-8"), seed)
    if isinstance(dt, T.BinaryType):
        return hash_bytes(bytes(v), seed)
    if isinstance(dt, T.ArrayType):
        for x in v:
            seed = hash_value(x, dt.elementType, seed)
        return seed
    if isinstance(dt, T.MapType):
        for k, x in (v.items() if isinstance(v, dict) else v):
            seed = hash_value(x, dt.valueType, hash_value(k, dt.keyType, seed))
        return seed
    if isinstance(dt, T.StructType):
        values = v.values() if isinstance(v, dict) else v
        for f, x in zip(dt.fields, values):
            seed = hash_value(x, f.dataType, seed)
        return seed
    return hash_bytes(str(v).encode("utf-8"), seed)


def _signed(h: int) -> int:
    return h - (1 << 32) if h & 0x80000000 else h


def murmur3_columns(cols: list[list], types: list[T.DataType], n: int) -> list[int]:
    out = []
    for i in range(n):
        h = 42
        for col, dt in zip(cols, types):
            h = hash_value(col[i], dt, h)
        out.append(_signed(h))
    return out


@dataclass(frozen=True)
class MurmurHash(Expression):
    """``hash(cols…)``: Spark's Murmur3 of the column values (seed 42)."""

    args: tuple[Expression, ...]

    @property
    def data_type(self) -> T.DataType:
        return T.IntegerType()

    @property
    def nullable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"hash({', '.join(a.sql() for a in self.args)})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        n = batch.num_rows
        cols = [arrow_column_to_python(to_array(a.eval(batch, ctx), n), a.data_type) for a in self.args]
        return pa.array(murmur3_columns(cols, [a.data_type for a in self.args], n), pa.int32())


@dataclass(frozen=True)
class ToCsv(Expression):
    """``to_csv(struct)``: the struct's fields as one CSV line."""

    child: Expression

    @property
    def data_type(self) -> T.DataType:
        return T.StringType()

    def sql(self) -> str:
        return f"to_csv({self.child.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        from pyspk.sql.expressions.display import format_value
        n = batch.num_rows
        rows = arrow_column_to_python(to_array(self.child.eval(batch, ctx), n), self.child.data_type)
        fields = self.child.data_type.fields
        return pa.array([None if r is None else ",".join("" if v is None else format_value(v, f.dataType)
                                                         for v, f in zip(r, fields)) for r in rows],
                        pa.string())


@dataclass(frozen=True)
class FromCsv(Expression):
    """``from_csv(line, schema)``: one CSV line parsed into a struct."""

    child: Expression
    schema: T.DataType

    @property
    def data_type(self) -> T.DataType:
        return self.schema

    def sql(self) -> str:
        return f"from_csv({self.child.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        import csv
        from pyspk.sql._arrow_types import column_from_python
        from pyspk.sql.expressions.cast import cast_value
        n = batch.num_rows
        lines = to_array(self.child.eval(batch, ctx), n).to_pylist()
        out = []
        for line in lines:
            if line is None:
                out.append(None)
                continue
            vals = next(csv.reader([line]))
            row = {}
            for f, v in zip(self.schema.fields, vals + [None] * len(self.schema.fields)):
                row[f.name] = None if v is None else cast_value(pa.scalar(v), T.StringType(), f.dataType,
                                                                  ansi=False).as_py()
            out.append(row)
        return column_from_python(out, self.schema)
