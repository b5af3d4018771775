"""More math functions: Java-typed bit shifts, ``width_bucket``, ``uniform``/``randstr`` and
``xxhash64``/``hmac`` — vectorised with Arrow compute and NumPy."""
from __future__ import annotations

import hashlib
import hmac as hmaclib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import to_array
from pyspk.sql.expressions.scalar import register

L, D, I, S, BIN = T.LongType(), T.DoubleType(), T.IntegerType(), T.StringType(), T.BinaryType()


def _np(v, n: int, fill=0) -> tuple[np.ndarray, np.ndarray]:
    arr = to_array(v, n)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    valid = pc.is_valid(arr).to_numpy(zero_copy_only=False)
    return pc.fill_null(arr, fill).to_numpy(zero_copy_only=False), valid


def _int_or_long(ts: list[T.DataType]) -> T.DataType:
    return L if isinstance(ts[0], T.LongType) else I


def _shift(kind: str):
    def kernel(v, c, n):
        x, xv = _np(v[0], n)
        k, kv = _np(v[1], n)
        is_long = x.dtype == np.int64
        bits = 64 if is_long else 32
        k = (k.astype(np.int64) & (bits - 1)).astype(np.uint64 if is_long else np.uint32)
        if kind == "left":
            out = x << k.astype(x.dtype) if not is_long else \
                (x.view(np.uint64) << k).view(np.int64)
        elif kind == "right":
            out = x >> k.astype(x.dtype)
        else:
            unsigned = x.view(np.uint64) if is_long else x.astype(np.int32).view(np.uint32)
            out = (unsigned >> k).view(np.int64 if is_long else np.int32)
        return pa.array(out.astype(np.int64 if is_long else np.int32), mask=~(xv & kv))
    return kernel


def _shift_inputs(ts: list[T.DataType]) -> list[T.DataType]:
    return [_int_or_long(ts), I]


for _name, _kind in (("shiftleft", "left"), ("shiftright", "right"),
                     ("shiftrightunsigned", "unsigned")):
    register(_name, _shift(_kind), _int_or_long, _shift_inputs, 2, 2)


def _width_bucket(v, c, n):
    x, xv = _np(v[0], n, 0.0)
    lo, lv = _np(v[1], n, 0.0)
    hi, hv = _np(v[2], n, 0.0)
    nb, nv = _np(v[3], n, 0)
    x, lo, hi = x.astype(float), lo.astype(float), hi.astype(float)
    nb = nb.astype(np.int64)
    ok = xv & lv & hv & nv & (nb > 0) & (nb != np.iinfo(np.int64).max) & ~np.isnan(x) & \
        (lo != hi) & np.isfinite(lo) & np.isfinite(hi)
    lower, upper = np.minimum(lo, hi), np.maximum(lo, hi)
    span = np.where(upper > lower, upper - lower, 1.0)
    with np.errstate(all="ignore"):
        up = np.where(x < lower, 0, np.where(x >= upper, nb + 1,
                      (nb * ((x - lower) / span)).astype(np.int64) + 1))
        down = np.where(x > upper, 0, np.where(x <= lower, nb + 1,
                        (nb * ((upper - x) / span)).astype(np.int64) + 1))
    out = np.where(lo < hi, up, down)
    return pa.array(out.astype(np.int64), mask=~ok)


register("width_bucket", _width_bucket, L, [D, D, D, L], 4, 4)


def _seeded_rng(v, c, n: int, seed_at: int) -> np.random.Generator:
    seed = v[seed_at].as_py() if len(v) > seed_at and isinstance(v[seed_at], pa.Scalar) else None
    base = seed if seed is not None else int(np.random.SeedSequence().entropy % (1 << 62))
    part = getattr(c, "partition_index", 0) or 0
    return np.random.default_rng([int(base) & ((1 << 63) - 1), part])


def _uniform_type(ts: list[T.DataType]) -> T.DataType:
    integral = (T.ByteType, T.ShortType, T.IntegerType, T.LongType)
    if all(isinstance(t, integral) for t in ts[:2]):
        return L if any(isinstance(t, T.LongType) for t in ts[:2]) else I
    if any(isinstance(t, (T.FloatType, T.DoubleType)) for t in ts[:2]):
        return D
    decs = [t for t in ts[:2] if isinstance(t, T.DecimalType)]
    return decs[0] if len(decs) == 1 and all(isinstance(t, (T.DecimalType,) + integral)
                                            for t in ts[:2]) else D


def _uniform(v, c, n):
    lo, hi = (x.as_py() if isinstance(x, pa.Scalar) else None for x in v[:2])
    if lo is None or hi is None:
        raise AnalysisException("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] uniform's bounds must be "
                                "constants.", errorClass="DATATYPE_MISMATCH.NON_FOLDABLE_INPUT")
    draws = _seeded_rng(v, c, n, 2).random(n)
    vals = float(lo) + draws * (float(hi) - float(lo))
    if pa.types.is_integer(v[0].type) and pa.types.is_integer(v[1].type):
        return pa.array(np.floor(vals).astype(np.int64))
    decimal_type = next((x.type for x in v[:2] if pa.types.is_decimal(x.type)), None)
    if decimal_type is not None and not any(pa.types.is_floating(x.type) for x in v[:2]):
        rounded = pc.round(pa.array(vals), decimal_type.scale)
        return rounded.cast(pa.decimal128(38, decimal_type.scale)).cast(decimal_type)
    return pa.array(vals)


register("uniform", _uniform, _uniform_type, None, 2, 3, deterministic=False, nullable=False)

_ALNUM = np.frombuffer(b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", np.uint8)


def _randstr(v, c, n):
    length = v[0].as_py() if isinstance(v[0], pa.Scalar) else None
    if length is None or length < 0:
        raise AnalysisException(
            "[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] randstr's length must be a non-negative "
            "constant.", errorClass="DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE")
    rng = _seeded_rng(v, c, n, 1)
    chars = _ALNUM[rng.integers(0, len(_ALNUM), size=n * length)]
    offsets = pa.array(np.arange(n + 1, dtype=np.int32) * length)
    return pa.StringArray.from_buffers(n, offsets.buffers()[1], pa.py_buffer(chars.tobytes()))


register("randstr", _randstr, S, [I, L], 1, 2, deterministic=False, nullable=False)

_DIGESTS = {"SHA-256": hashlib.sha256, "SHA-512": hashlib.sha512, "SHA-384": hashlib.sha384,
            "SHA-224": hashlib.sha224, "SHA-1": hashlib.sha1, "MD5": hashlib.md5}


def _hmac(v, c, n):
    algo = v[2].as_py() if len(v) > 2 and isinstance(v[2], pa.Scalar) else "SHA-256"
    digest = _DIGESTS.get(str(algo).upper())
    if digest is None:
        raise AnalysisException(
            f"[INVALID_PARAMETER_VALUE.HMAC_ALGORITHM] The value of parameter(s) `algorithm` in "
            f"`hmac` is invalid: unsupported algorithm {algo}. SQLSTATE: 22023",
            errorClass="INVALID_PARAMETER_VALUE.HMAC_ALGORITHM")
    keys = to_array(v[0], n).to_pylist()
    msgs = to_array(v[1], n).to_pylist()
    return pa.array([None if m is None or k is None else hmaclib.new(k, m, digest).digest()
                     for m, k in zip(msgs, keys)], pa.binary())


register("hmac", _hmac, BIN, [BIN, BIN, S], 2, 3, defaults=("SHA-256",), constants_from=2)

# Bitmaps (Spark's bitmap_* functions): 32768 bits per bucket, bit positions from 0.
BITMAP_BITS = 32768


def _bit_position(v, c, n):
    x, valid = _np(v[0], n)
    x = x.astype(np.int64)
    pos = np.where(x > 0, (x - 1) % BITMAP_BITS, (-x) % BITMAP_BITS)
    return pa.array(pos, mask=~valid)


def _bucket_number(v, c, n):
    x, valid = _np(v[0], n)
    x = x.astype(np.int64)
    bucket = np.where(x > 0, 1 + (x - 1) // BITMAP_BITS, -((-x) // BITMAP_BITS))
    return pa.array(bucket, mask=~valid)


def _bitmap_count(v, c, n):
    arr = to_array(v[0], n)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    out = []
    table = np.array([bin(i).count("1") for i in range(256)], np.int64)
    for b in arr.to_pylist():
        out.append(None if b is None else int(table[np.frombuffer(bytes(b), np.uint8)].sum()))
    return pa.array(out, pa.int64())


register("bitmap_bit_position", _bit_position, L, [L], 1, 1)
register("bitmap_bucket_number", _bucket_number, L, [L], 1, 1)
register("bitmap_count", _bitmap_count, L, [BIN], 1, 1)


def _shuffle(v, c, n):
    """Each array's elements in a random order: sort by (row, random key) in one pass."""
    arr = to_array(v[0], n)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    rng = _seeded_rng(v, c, n, 1)
    lengths = pc.fill_null(pc.list_value_length(arr), 0).to_numpy(zero_copy_only=False)
    parents = np.repeat(np.arange(n, dtype=np.int64), lengths)
    order = np.lexsort((rng.random(len(parents)), parents))
    flat = pc.list_flatten(arr).take(pa.array(order))
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), flat, mask=pc.is_null(arr))


register("shuffle", _shuffle, lambda ts: ts[0], lambda ts: [None, L][:len(ts)], 1, 2,
         deterministic=False)
