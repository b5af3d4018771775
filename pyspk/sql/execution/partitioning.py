"""Row → partition functions of user repartitioning, computed as Spark computes them so
``spark_partition_id()`` agrees with Spark:

* ``repartition(n, cols)`` / ``repartition(cols)``: ``pmod(hash(cols), n)`` with Spark's Murmur3
  (seed 42), vectorised with numpy over 32-bit words;
* ``repartition(n)``: round robin starting after ``XORShiftRandom(partition index).nextInt(n)``
  over the partition's rows sorted by their ``UnsafeRow`` hash (Spark's
  ``sortBeforeRepartition``), for rows of fixed-width columns; rows with other columns keep
  their order (same partition sizes, different row placement than Spark)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_U32 = np.uint32
_SEED = 42


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << _U32(r)) | (x >> _U32(32 - r))


def _mix_k1(k: np.ndarray) -> np.ndarray:
    k = k * _U32(0xCC9E2D51)
    return _rotl(k, 15) * _U32(0x1B873593)


def _mix_h1(h: np.ndarray, k: np.ndarray) -> np.ndarray:
    h = _rotl(h ^ k, 13)
    return h * _U32(5) + _U32(0xE6546B64)


def _fmix(h: np.ndarray, length: np.ndarray | int) -> np.ndarray:
    h = h ^ np.asarray(length).astype(_U32)
    h = (h ^ (h >> _U32(16))) * _U32(0x85EBCA6B)
    h = (h ^ (h >> _U32(13))) * _U32(0xC2B2AE35)
    return h ^ (h >> _U32(16))


def _hash_words(words: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """Murmur3 of rows of 32-bit words (``words``: rows × k) with per-row seeds."""
    h = seed
    for j in range(words.shape[1]):
        h = _mix_h1(h, _mix_k1(words[:, j]))
    return _fmix(h, words.shape[1] * 4)


def _hash_bytes(arr: pa.Array, seed: np.ndarray) -> np.ndarray:
    """Spark's ``hashUnsafeBytes`` of each binary value: 4-byte words, then each tail byte as a
    sign-extended word."""
    arr = arr.cast(pa.large_binary())
    offsets = np.frombuffer(arr.buffers()[1], np.int64, len(arr) + 1, arr.offset * 8)
    data = np.frombuffer(arr.buffers()[2], np.uint8) if arr.buffers()[2] is not None else \
        np.zeros(0, np.uint8)
    data = np.concatenate([data, np.zeros(4, np.uint8)])
    starts, lengths = offsets[:-1], np.diff(offsets)
    h = seed.copy()
    nwords = lengths // 4
    for w in range(int(nwords.max(initial=0))):
        rows = np.nonzero(nwords > w)[0]
        at = starts[rows] + 4 * w
        k = (data[at].astype(_U32) | (data[at + 1].astype(_U32) << _U32(8)) |
             (data[at + 2].astype(_U32) << _U32(16)) | (data[at + 3].astype(_U32) << _U32(24)))
        h[rows] = _mix_h1(h[rows], _mix_k1(k))
    tails = lengths % 4
    for t in range(3):
        rows = np.nonzero(tails > t)[0]
        at = starts[rows] + 4 * nwords[rows] + t
        k = data[at].astype(np.int8).astype(np.int32).astype(_U32)
        h[rows] = _mix_h1(h[rows], _mix_k1(k))
    return _fmix(h, lengths)


def vectorised(t: pa.DataType) -> bool:
    """Whether columns of Arrow type ``t`` hash without a Python loop over rows."""
    return (pa.types.is_boolean(t) or pa.types.is_integer(t) or pa.types.is_date32(t) or
            pa.types.is_timestamp(t) or pa.types.is_floating(t) and t.bit_width >= 32 or
            pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t) or
            pa.types.is_large_binary(t))


def _column_hash(col: pa.Array, seed: np.ndarray) -> np.ndarray | None:
    """Murmur3 of one column's values continuing from ``seed`` (NULL keeps the seed); None for
    types hashed by the generic expression."""
    t = col.type
    if pa.types.is_timestamp(t) and t.unit != "us":
        col, t = col.cast(pa.timestamp("us", t.tz)), pa.timestamp("us", t.tz)  # Spark: micros
    valid = ~np.asarray(col.is_null().to_numpy(zero_copy_only=False), bool)
    if pa.types.is_boolean(t):
        words = pc.fill_null(col, False).cast(pa.int32()).to_numpy(zero_copy_only=False)
        out = _hash_words(words.astype(np.int32).view(_U32)[:, None], seed)
    elif pa.types.is_integer(t) and t.bit_width <= 32 or pa.types.is_date32(t):
        words = pc.fill_null(col.cast(pa.int32()), 0).to_numpy(zero_copy_only=False)
        out = _hash_words(words.astype(np.int32).view(_U32)[:, None], seed)
    elif pa.types.is_int64(t) or pa.types.is_timestamp(t):
        values = pc.fill_null(col.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)
        out = _hash_words(values.astype(np.int64).view(_U32).reshape(-1, 2), seed)
    elif pa.types.is_float32(t) or pa.types.is_float64(t):
        wide = pa.types.is_float64(t)
        values = pc.fill_null(col, 0.0).to_numpy(zero_copy_only=False).astype(
            np.float64 if wide else np.float32)
        values = np.where(values == 0, 0, values).astype(values.dtype)  # -0.0 hashes as 0.0
        out = _hash_words(values.view(_U32).reshape(-1, 2 if wide else 1), seed)
    elif pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t) or \
            pa.types.is_large_binary(t):
        out = _hash_bytes(pc.fill_null(col.cast(pa.large_binary()), b""), seed)
    else:
        return None
    return np.where(valid, out, seed)


def murmur3(columns: list[pa.Array], types: list[Any]) -> np.ndarray:
    """Spark's ``hash(c1, c2, …)`` of each row as int32."""
    from pyspk.sql._arrow_types import arrow_column_to_python
    from pyspk.sql.expressions.fn_hash import hash_value
    n = len(columns[0]) if columns else 0
    h = np.full(n, _SEED, _U32)
    for col, dt in zip(columns, types):
        out = _column_hash(col, h)
        if out is None:
            # Decimal and nested types: Spark's hash of each Python value (not vectorised).
            values = arrow_column_to_python(col, dt)
            out = np.array([hash_value(v, dt, int(s)) for v, s in zip(values, h)],
                           np.uint64).astype(_U32)
        h = out
    return h.view(np.int32)


def hash_partition_ids(columns: list[pa.Array], types: list[Any], n: int) -> np.ndarray:
    """``pmod(hash(cols), n)`` per row: Spark's HashPartitioning."""
    return np.mod(murmur3(columns, types).astype(np.int64), n).astype(np.int32)


# ---- round robin


def _scala_bytes_hash(data: bytes, seed: int) -> int:
    """scala.util.hashing.MurmurHash3.bytesHash (standard Murmur3 x86_32)."""
    words = np.frombuffer(data[:len(data) // 4 * 4], "<u4").reshape(1, -1)
    h = np.array([seed & 0xFFFFFFFF], _U32)
    for j in range(words.shape[1]):
        h = _mix_h1(h, _mix_k1(words[:, j]))
    tail = data[len(data) // 4 * 4:]
    if tail:
        k = np.array([int.from_bytes(tail, "little")], _U32)
        h = h ^ _mix_k1(k)
    return int(_fmix(h, len(data))[0])


class _XorShiftRandom:
    """Spark's ``XORShiftRandom`` (seeded through Murmur3), enough for ``nextInt(bound)``."""

    _MASK = (1 << 64) - 1

    def __init__(self, seed: int) -> None:
        data = (seed & self._MASK).to_bytes(8, "big")
        low = _scala_bytes_hash(data, 0x3C074A61)
        high = _scala_bytes_hash(data, low - (1 << 32) if low & 0x80000000 else low)
        self.seed = ((high << 32) | low) & self._MASK

    def _next(self, bits: int) -> int:
        s = self.seed
        s ^= (s << 21) & self._MASK
        s ^= s >> 35
        s ^= (s << 4) & self._MASK
        self.seed = s
        r = s & ((1 << bits) - 1)
        return r - (1 << 32) if r & 0x80000000 else r

    def next_int(self, bound: int) -> int:
        r = self._next(31)
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        while True:
            r = u % bound
            if u - r + m < (1 << 31):
                return r
            u = self._next(31)


def round_robin_start(partition_index: int, n: int) -> int:
    return _XorShiftRandom(partition_index).next_int(n)


def _unsafe_row_words(table: pa.Table) -> np.ndarray | None:
    """Each row in Spark's ``UnsafeRow`` layout as 32-bit words (null bits, then one 8-byte
    slot per field), or None when a column is not fixed-width."""
    n, k = table.num_rows, table.num_columns
    bitset_words = (k + 63) // 64
    out = np.zeros((n, bitset_words * 2 + 2 * k), _U32)
    bits = np.zeros((n, bitset_words), np.uint64)
    for i, col in enumerate(table.columns):
        col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        t = col.type
        nulls = np.asarray(col.is_null().to_numpy(zero_copy_only=False), bool)
        if pa.types.is_boolean(t) or (pa.types.is_integer(t) and t.bit_width <= 32) or \
                pa.types.is_date32(t):
            v = pc.fill_null(col.cast(pa.int32()) if not pa.types.is_boolean(t) else
                             col.cast(pa.int8()).cast(pa.int32()), 0).to_numpy(
                zero_copy_only=False).astype(np.int32)
            if pa.types.is_integer(t) and t.bit_width < 32:
                v = v & ((1 << t.bit_width) - 1)  # UnsafeRow stores the narrow value only
            low, high = v.view(_U32), np.zeros(n, _U32)
        elif pa.types.is_int64(t) or pa.types.is_timestamp(t) or pa.types.is_float64(t):
            v = pc.fill_null(col, 0).to_numpy(zero_copy_only=False)
            v = v.astype(np.float64 if pa.types.is_float64(t) else np.int64)
            pair = v.view(_U32).reshape(-1, 2)
            low, high = pair[:, 0], pair[:, 1]
        elif pa.types.is_float32(t):
            v = pc.fill_null(col, 0).to_numpy(zero_copy_only=False).astype(np.float32)
            low, high = v.view(_U32), np.zeros(n, _U32)
        else:
            return None
        out[:, bitset_words * 2 + 2 * i] = np.where(nulls, 0, low)
        out[:, bitset_words * 2 + 2 * i + 1] = np.where(nulls, 0, high)
        bits[:, i // 64] |= nulls.astype(np.uint64) << np.uint64(i % 64)
    out[:, :bitset_words * 2] = bits.view(_U32).reshape(n, -1)
    return out


def round_robin_order(table: pa.Table) -> np.ndarray | None:
    """Row order Spark's round robin deals rows in: sorted by ``UnsafeRow.hashCode`` (signed)."""
    words = _unsafe_row_words(table)
    if words is None:
        return None
    hashes = _hash_words(words, np.full(table.num_rows, _SEED, _U32)).view(np.int32)
    return np.argsort(hashes, kind="stable")


def round_robin_ids(table: pa.Table, start: int, n: int) -> np.ndarray:
    """Partition of each row of one input partition: ``(start + 1 + rank) mod n``, ranks in
    Spark's dealing order."""
    rows = table.num_rows
    order = round_robin_order(table)
    ranks = np.empty(rows, np.int64)
    if order is None:
        ranks = np.arange(rows, dtype=np.int64)
    else:
        ranks[order] = np.arange(rows, dtype=np.int64)
    return np.mod(start + 1 + ranks, n).astype(np.int32)
