"""Exact decimal arithmetic on unscaled 64-bit integers.

Arrow's decimal128 kernels are an order of magnitude slower than its int64 ones. A decimal value
``v`` of scale ``s`` is the integer ``v * 10**s``; while those integers fit in 64 bits, addition,
subtraction and multiplication of them are exact, so an operator computes on int64 (with Arrow's
overflow-checked kernels) and turns the result back into decimal128 by reinterpreting the bits.
Every helper returns None when a value does not fit, and callers then take the decimal128 path,
which keeps Spark's overflow errors and rounding: the fast path never changes an answer.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from decimal import Decimal
from typing import Any, Union

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Int64Value = Union[pa.Array, pa.ChunkedArray, pa.Scalar]
_INT64_MAX = 2 ** 63 - 1
_MEMO_SIZE = 8
_MEMO_BYTES = 512 * 1024 * 1024
_memo: "OrderedDict[tuple, tuple[Any, Any]]" = OrderedDict()
_memo_lock = threading.Lock()


def _memo_key(v: pa.Array | pa.ChunkedArray) -> tuple:
    chunks = v.chunks if isinstance(v, pa.ChunkedArray) else [v]
    return (str(v.type),) + tuple((c.buffers()[1].address if c.buffers()[1] is not None else 0,
                                   c.offset, len(c)) for c in chunks)


def _remember(decimals: Any, ints: Any) -> None:
    """Pair a decimal column with its unscaled integers (both kept alive while remembered, so
    buffer addresses in the key cannot be reused): an operand used by several expressions, or
    an intermediate result feeding the next operator, is converted once."""
    with _memo_lock:
        _memo[_memo_key(decimals)] = (decimals, ints)
        _memo.move_to_end(_memo_key(decimals))
        while len(_memo) > _MEMO_SIZE or \
                sum(a.nbytes + b.nbytes for a, b in _memo.values()) > _MEMO_BYTES:
            _memo.popitem(last=False)


def forget() -> None:
    """Drop remembered conversions (a query is done: its columns need not stay alive)."""
    with _memo_lock:
        _memo.clear()


def _recall(decimals: Any) -> Any:
    with _memo_lock:
        hit = _memo.get(_memo_key(decimals))
    return hit[1] if hit is not None else None


def _validity(arr: pa.Array) -> pa.Buffer | None:
    """A fresh, offset-free validity bitmap of ``arr`` (None when it has no nulls)."""
    if arr.null_count == 0:
        return None
    return pc.is_valid(arr).buffers()[1]


def _fits_int64(high: np.ndarray, low: np.ndarray) -> bool:
    """True when every 128-bit value is the sign extension of its low word."""
    if not len(low):
        return True
    if not high.any():
        return bool(low.min() >= 0)
    return bool(np.array_equal(high, low >> 63))


def _chunk_unscaled(arr: pa.Array) -> pa.Array | None:
    n = len(arr)
    words = np.frombuffer(arr.buffers()[1], dtype=np.int64)[2 * arr.offset: 2 * (arr.offset + n)]
    pairs = words.reshape(n, 2)
    low = np.ascontiguousarray(pairs[:, 0])
    if not _fits_int64(pairs[:, 1], low):
        if arr.null_count == 0:
            return None
        valid = pc.is_valid(arr).to_numpy(zero_copy_only=False)
        if not _fits_int64(pairs[:, 1][valid], low[valid]):
            return None
    return pa.Array.from_buffers(pa.int64(), n, [_validity(arr), pa.py_buffer(low)],
                                 null_count=arr.null_count)


def unscaled(v: Int64Value) -> Int64Value | None:
    """The unscaled integers of a decimal128 array or scalar as int64 (None if one does not fit)."""
    if not pa.types.is_decimal128(v.type):
        return None
    if isinstance(v, pa.Scalar):
        if not v.is_valid:
            return pa.scalar(None, pa.int64())
        raw = int(v.as_py().scaleb(v.type.scale))
        return pa.scalar(raw, pa.int64()) if -_INT64_MAX <= raw <= _INT64_MAX else None
    known = _recall(v)
    if known is not None:
        return known
    if isinstance(v, pa.ChunkedArray):
        chunks = [_chunk_unscaled(c) for c in v.chunks]
        if any(c is None for c in chunks):
            return None
        out: Any = pa.chunked_array(chunks, pa.int64())
    else:
        out = _chunk_unscaled(v)
        if out is None:
            return None
    _remember(v, out)
    return out


def _chunk_to_decimal(arr: pa.Array, target: pa.Decimal128Type) -> pa.Array:
    n = len(arr)
    low = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset: arr.offset + n]
    words = np.empty((n, 2), dtype=np.int64)
    words[:, 0] = low
    np.right_shift(low, 63, out=words[:, 1])
    return pa.Array.from_buffers(target, n, [_validity(arr), pa.py_buffer(words)],
                                 null_count=arr.null_count)


def to_decimal(v: Int64Value, target: pa.Decimal128Type) -> Int64Value | None:
    """Unscaled int64 values as ``target`` decimals (None if one has more digits than allowed)."""
    if target.precision <= 18:
        bound = 10 ** target.precision
        if isinstance(v, pa.Scalar):
            if v.is_valid and abs(v.as_py()) >= bound:
                return None
        else:
            mm = pc.min_max(v)
            lo, hi = mm["min"].as_py(), mm["max"].as_py()
            if lo is not None and (lo <= -bound or hi >= bound):
                return None
    if isinstance(v, pa.Scalar):
        value = None if not v.is_valid else Decimal(v.as_py()).scaleb(-target.scale)
        return pa.scalar(value, target)
    out = pa.chunked_array([_chunk_to_decimal(c, target) for c in v.chunks], target) \
        if isinstance(v, pa.ChunkedArray) else _chunk_to_decimal(v, target)
    _remember(out, v)
    return out


def rescale(v: Int64Value, digits: int) -> Int64Value | None:
    """``v * 10**digits`` (None on int64 overflow)."""
    if digits == 0:
        return v
    try:
        return pc.multiply_checked(v, pa.scalar(10 ** digits, pa.int64()))
    except pa.ArrowInvalid:
        return None


def sum_fits(v: Int64Value) -> bool:
    """True when no partial sum of ``v``'s values can overflow int64."""
    if isinstance(v, pa.Scalar):
        return True
    mm = pc.min_max(v)
    lo, hi = mm["min"].as_py(), mm["max"].as_py()
    if lo is None:
        return True
    return max(abs(lo), abs(hi)) * max(len(v), 1) <= _INT64_MAX


def exact_binary(op: str, a: Int64Value, a_scale: int, b: Int64Value, b_scale: int,
                 target: pa.Decimal128Type) -> Int64Value | None:
    """``a op b`` for op in add/subtract/multiply on unscaled operands, as ``target`` decimals;
    None unless the exact result's scale is ``target``'s and every value fits."""
    if op == "multiply":
        scale = a_scale + b_scale
    else:
        scale = max(a_scale, b_scale)
        a = rescale(a, scale - a_scale)
        b = rescale(b, scale - b_scale)
        if a is None or b is None:
            return None
    if scale != target.scale:
        return None
    try:
        raw = getattr(pc, op + "_checked")(a, b)
    except pa.ArrowInvalid:
        return None
    return to_decimal(raw, target)
