"""``xxhash64(cols…)``: Spark's 64-bit xxHash (seed 42) of the column values, vectorised.

Spark hashes each value's binary layout (ints/dates as 4 bytes, longs/timestamps/doubles as 8,
strings as UTF-8) with XXH64, the running hash of the previous column being the next seed; a NULL
leaves the hash unchanged. Fixed-width values are hashed with NumPy over whole columns;
variable-length ones are bucketed by byte length so each bucket is one matrix operation.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql import types as T
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, to_array

U = np.uint64
P1, P2, P3 = U(0x9E3779B185EBCA87), U(0xC2B2AE3D27D4EB4F), U(0x165667B19E3779F9)
P4, P5 = U(0x85EBCA77C2B2AE63), U(0x27D4EB2F165667C5)


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << U(r)) | (x >> U(64 - r))


def _fmix(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> U(33))
    h = h * P2
    h = h ^ (h >> U(29))
    h = h * P3
    return h ^ (h >> U(32))


def _round(acc: np.ndarray, lane: np.ndarray) -> np.ndarray:
    return _rotl(acc + lane * P2, 31) * P1


def hash_int(v: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """XXH64 of 4-byte values (``v`` as uint64 holding the unsigned 32-bit pattern)."""
    h = seed + P5 + U(4)
    h = h ^ ((v & U(0xFFFFFFFF)) * P1)
    return _fmix(_rotl(h, 23) * P2 + P3)


def hash_long(v: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """XXH64 of 8-byte values."""
    h = seed + P5 + U(8)
    h = h ^ (_rotl(v * P2, 31) * P1)
    return _fmix(_rotl(h, 27) * P1 + P4)


def hash_fixed_bytes(m: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """XXH64 of equally long byte strings, one per row of the uint8 matrix ``m``."""
    n, length = m.shape
    words = m[:, :length // 8 * 8].copy().view("<u8").astype(U) if length >= 8 else \
        np.zeros((n, 0), U)
    pos = 0
    if length >= 32:
        v1, v2, v3, v4 = seed + P1 + P2, seed + P2, seed.copy(), seed - P1
        while (pos + 4) * 8 <= length:
            v1 = _round(v1, words[:, pos])
            v2 = _round(v2, words[:, pos + 1])
            v3 = _round(v3, words[:, pos + 2])
            v4 = _round(v4, words[:, pos + 3])
            pos += 4
        h = _rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)
        for v in (v1, v2, v3, v4):
            h = (h ^ _round(U(0), v)) * P1 + P4
    else:
        h = seed + P5
    h = h + U(length)
    while pos < length // 8:
        h = _rotl(h ^ _round(U(0), words[:, pos]), 27) * P1 + P4
        pos += 1
    off = pos * 8
    if off + 4 <= length:
        four = m[:, off:off + 4].copy().view("<u4").astype(U)[:, 0]
        h = _rotl(h ^ (four * P1), 23) * P2 + P3
        off += 4
    while off < length:
        h = _rotl(h ^ (m[:, off].astype(U) * P5), 11) * P1
        off += 1
    return _fmix(h)


def hash_binary(values: pa.Array, seed: np.ndarray) -> np.ndarray:
    """XXH64 of each (non-null) binary/string value, grouped by byte length."""
    values = values.cast(pa.binary()) if not pa.types.is_binary(values.type) else values
    lengths = pc.binary_length(values).to_numpy(zero_copy_only=False)
    bufs = values.buffers()
    offsets = np.frombuffer(bufs[1], np.int32)[values.offset:values.offset + len(values) + 1] \
        if len(values) else np.zeros(1, np.int32)
    data = np.frombuffer(bufs[2], np.uint8) if len(values) and bufs[2] is not None else \
        np.zeros(0, np.uint8)
    out = seed.copy()
    starts = offsets[:-1].astype(np.int64)
    for length in np.unique(lengths):
        rows = np.nonzero(lengths == length)[0]
        idx = starts[rows][:, None] + np.arange(int(length), dtype=np.int64)[None, :]
        out[rows] = hash_fixed_bytes(data[idx] if length else np.zeros((len(rows), 0), np.uint8),
                                     seed[rows])
    return out


def _as_u64(a: np.ndarray) -> np.ndarray:
    return a.astype(np.int64).view(U) if a.dtype != U else a


def hash_column(arr: pa.Array, dt: T.DataType, seed: np.ndarray) -> np.ndarray:
    """Fold one column into the running hashes ``seed`` (NULL rows keep their seed)."""
    valid = pc.is_valid(arr).to_numpy(zero_copy_only=False)
    if isinstance(dt, T.NullType) or not valid.any():
        return seed
    out = seed
    if isinstance(dt, (T.BooleanType, T.ByteType, T.ShortType, T.IntegerType, T.DateType)):
        ints = pc.fill_null(arr.cast(pa.int32()) if not isinstance(dt, T.DateType) else
                            arr.cast(pa.int32()), 0).to_numpy(zero_copy_only=False)
        out = hash_int(ints.astype(np.int64).view(U) & U(0xFFFFFFFF), seed)
    elif isinstance(dt, (T.LongType, T.TimestampType, T.TimestampNTZType)):
        longs = pc.fill_null(arr.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)
        out = hash_long(_as_u64(longs), seed)
    elif isinstance(dt, T.FloatType):
        f = pc.fill_null(arr, 0.0).to_numpy(zero_copy_only=False).astype(np.float32)
        f = np.where(f == 0, np.float32(0), f)
        out = hash_int(f.view(np.uint32).astype(U), seed)
    elif isinstance(dt, T.DoubleType):
        d = pc.fill_null(arr, 0.0).to_numpy(zero_copy_only=False).astype(np.float64)
        d = np.where(d == 0, 0.0, d)
        out = hash_long(d.view(U), seed)
    elif isinstance(dt, T.DecimalType) and dt.precision <= 18:
        unscaled = [0 if v is None else int(v.scaleb(dt.scale)) for v in arr.to_pylist()]
        out = hash_long(np.array(unscaled, np.int64).view(U), seed)
    elif isinstance(dt, (T.StringType, T.CharType, T.VarcharType, T.BinaryType)):
        out = hash_binary(pc.fill_null(arr.cast(pa.binary()), b""), seed)
    elif isinstance(dt, T.DecimalType):
        unscaled = [int(v.scaleb(dt.scale)) if v is not None else 0 for v in arr.to_pylist()]
        raw = [u.to_bytes((u.bit_length() + 8) // 8, "big", signed=True) for u in unscaled]
        out = hash_binary(pa.array(raw, pa.binary()), seed)
    elif isinstance(dt, T.ArrayType):
        out = seed.copy()
        lists = arr.to_pylist()
        for i, items in enumerate(lists):
            if items is not None:
                out[i] = _fold_python(items, [dt.elementType] * len(items), out[i])
    elif isinstance(dt, T.StructType):
        out = seed
        for k, f in enumerate(dt.fields):
            field = pc.struct_field(arr, [k])
            out = hash_column(field, f.dataType, out)
    elif isinstance(dt, T.MapType):
        out = seed.copy()
        for i, items in enumerate(arr.to_pylist()):
            if items is not None:
                flat, types = [], []
                for k, v in items:
                    flat += [k, v]
                    types += [dt.keyType, dt.valueType]
                out[i] = _fold_python(flat, types, out[i])
    return np.where(valid, out, seed)


def _fold_python(values: list, types: list[T.DataType], seed: np.uint64) -> np.uint64:
    """Hash a few nested values in order (arrays and maps hash their elements one by one)."""
    from pyspk.sql._arrow_types import to_arrow_type
    h = np.array([seed], U)
    for v, dt in zip(values, types):
        h = hash_column(pa.array([v], to_arrow_type(dt)), dt, h)
    return h[0]


@dataclass(frozen=True)
class XxHash64(Expression):
    """``xxhash64(cols…)``: a non-null long."""

    args: tuple[Expression, ...]

    @property
    def data_type(self) -> T.DataType:
        return T.LongType()

    @property
    def nullable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"xxhash64({', '.join(a.sql() for a in self.args)})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        n = batch.num_rows
        h = np.full(n, 42, U)
        for a in self.args:
            arr = to_array(a.eval(batch, ctx), n)
            if isinstance(arr, pa.ChunkedArray):
                arr = arr.combine_chunks()
            h = hash_column(arr, a.data_type, h)
        return pa.array(h.view(np.int64), pa.int64())
