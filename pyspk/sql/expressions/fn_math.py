"""Math functions: abs, round, floor/ceil, sqrt, exp/log, pow, greatest/least, …"""
from __future__ import annotations

import math

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql import types as T
from pyspk.sql.expressions import coercion as C
from pyspk.sql.expressions.base import to_array
from pyspk.sql.expressions.scalar import register, same

D, I, L = T.DoubleType(), T.IntegerType(), T.LongType()


def _double_fn(name: str, kernel, pretty: str | None = None, aliases=()):
    register(name, lambda v, c, n: kernel(v[0]), D, [D], 1, 1, pretty=pretty, aliases=aliases)


def _null_outside(fn, ok):
    def k(v):
        mask = ok(v)
        return pc.if_else(mask, fn(v), pa.scalar(None, pa.float64()))
    return k


_double_fn("sqrt", pc.sqrt, pretty="SQRT")
_double_fn("exp", pc.exp, pretty="EXP")
_double_fn("ln", _null_outside(pc.ln, lambda v: pc.greater(v, 0)))
_double_fn("log10", _null_outside(pc.log10, lambda v: pc.greater(v, 0)), pretty="LOG10")
_double_fn("log2", _null_outside(pc.log2, lambda v: pc.greater(v, 0)), pretty="LOG2")
_double_fn("log1p", _null_outside(pc.log1p, lambda v: pc.greater(v, -1)), pretty="LOG1P")
_double_fn("sin", pc.sin, pretty="SIN")
_double_fn("cos", pc.cos, pretty="COS")
_double_fn("tan", pc.tan, pretty="TAN")
_double_fn("asin", pc.asin, pretty="ASIN")
_double_fn("acos", pc.acos, pretty="ACOS")
_double_fn("atan", pc.atan, pretty="ATAN")
_double_fn("cbrt", lambda v: _cbrt(v), pretty="CBRT")
_double_fn("degrees", lambda v: pc.multiply(v, 180.0 / math.pi), pretty="DEGREES")
_double_fn("radians", lambda v: pc.multiply(v, math.pi / 180.0), pretty="RADIANS")
_double_fn("signum", pc.sign, pretty="SIGNUM")
_double_fn("sign", pc.sign)
_double_fn("sinh", lambda v: pc.divide(pc.subtract(pc.exp(v), pc.exp(pc.negate(v))), 2.0), pretty="SINH")
_double_fn("cosh", lambda v: pc.divide(pc.add(pc.exp(v), pc.exp(pc.negate(v))), 2.0), pretty="COSH")
_double_fn("expm1", lambda v: pc.subtract(pc.exp(v), 1.0), pretty="EXPM1")


def _cbrt(v):
    return pc.multiply(pc.sign(v), pc.power(pc.abs(v), 1.0 / 3.0))


register("atan2", lambda v, c, n: pc.atan2(v[0], v[1]), D, [D, D], 2, 2, pretty="ATAN2")
register("pow", lambda v, c, n: pc.power(v[0], v[1]), D, [D, D], 2, 2, pretty="POWER",
         aliases=["power"])


def _log(v, c, n):
    if len(v) == 1:
        return _null_outside(pc.ln, lambda x: pc.greater(x, 0))(v[0])
    base, x = v
    return pc.divide(pc.ln(x), pc.ln(base))


register("log", _log, D, [D, D], 1, 2, pretty="LOG")


def _abs(v, c, n):
    try:
        return pc.abs_checked(v[0]) if c.ansi else pc.abs(v[0])
    except pa.ArrowInvalid:
        from pyspk.sql.expressions.arithmetic import overflow_error
        raise overflow_error(None) from None


register("abs", _abs, same, None, 1, 1)
register("negative", lambda v, c, n: pc.negate(v[0]), same, None, 1, 1)
register("positive", lambda v, c, n: v[0], same, None, 1, 1)


def _round(mode: str):
    def k(v, c, n):
        scale = v[1].as_py() if len(v) > 1 else 0
        x = v[0]
        if pa.types.is_integer(x.type):
            if scale >= 0:
                return x
            return pc.round(x.cast(pa.float64()), scale, round_mode=mode).cast(x.type)
        out = pc.round(x, scale, round_mode=mode)
        return out
    return k


def _round_result(ts):
    return ts[0]


register("round", _round("half_towards_infinity"), _round_result, [None, I], 1, 2,
         defaults=(0,))
register("bround", _round("half_to_even"), _round_result, [None, I], 1, 2, defaults=(0,))


def _floor_ceil(kernel):
    mode = "down" if kernel is pc.floor else "up"

    def k(v, c, n):
        x = v[0]
        if len(v) > 1:
            return pc.round(x if not pa.types.is_integer(x.type) else x.cast(pa.float64()),
                            v[1].as_py(), round_mode=mode)
        if pa.types.is_integer(x.type):
            return x.cast(pa.int64())
        out = kernel(x)
        if pa.types.is_decimal(x.type):
            return out.cast(pa.decimal128(max(x.type.precision - x.type.scale + 1, 1), 0))
        return out.cast(pa.int64(), safe=False)
    return k


def _floor_type(ts):
    dt = ts[0]
    if len(ts) > 1:
        return dt if isinstance(dt, T.DecimalType) else D
    if isinstance(dt, T.DecimalType):
        return T.DecimalType(max(dt.precision - dt.scale + 1, 1), 0)
    return L


register("floor", _floor_ceil(pc.floor), _floor_type, None, 1, 2)
register("ceil", _floor_ceil(pc.ceil), _floor_type, None, 1, 2, aliases=["ceiling"])


def _extreme(fn):
    def k(v, c, n):
        if len(v) == 1:
            return v[0]
        return fn(*v, skip_nulls=True)
    return k


def _common(ts):
    dt = ts[0]
    for t in ts[1:]:
        dt = C.tightest_common_type(dt, t) or D
    return dt


register("greatest", _extreme(pc.max_element_wise), _common, lambda ts: [_common(ts)] * len(ts), 1)
register("least", _extreme(pc.min_element_wise), _common, lambda ts: [_common(ts)] * len(ts), 1)


def _pmod(v, c, n):
    """``pmod(a, b)``: the remainder made non-negative for positive ``b``; ``b = 0`` raises
    REMAINDER_BY_ZERO under ANSI, else gives NULL."""
    from pyspk.sql.expressions.arithmetic import remainder_by_zero_error
    a, b = v
    zero = pc.equal(b, pa.scalar(0, b.type))
    if zero.as_py() if isinstance(zero, pa.Scalar) else pc.any(zero).as_py():
        if c.ansi:
            raise remainder_by_zero_error()
        b = pc.if_else(zero, pa.scalar(None, b.type), b)
    if pa.types.is_integer(a.type):
        x, y = a.cast(pa.int64()), b.cast(pa.int64())
        y = pc.if_else(pc.equal(y, -1), 1, y)  # x % -1 is 0 (and avoids MIN / -1)

        def rem(p, q):
            return pc.subtract(p, pc.multiply(pc.divide(p, q), q))
        r = rem(x, y)
        return pc.if_else(pc.less(r, 0), rem(pc.add(r, y), y), r).cast(a.type)
    fa, fb = a.cast(pa.float64()), b.cast(pa.float64())
    return pc.subtract(fa, pc.multiply(pc.floor(pc.divide(fa, fb)), fb))


register("pmod", _pmod, _common, lambda ts: [_common(ts)] * 2, 2, 2)


def _isnan(v, c, n):
    x = v[0]
    if pa.types.is_floating(x.type):
        return pc.fill_null(pc.is_nan(x), False)
    return pc.fill_null(pc.and_(pc.is_valid(x), False), False) if not isinstance(x, pa.Scalar) else pa.scalar(False)


register("isnan", _isnan, T.BooleanType(), None, 1, 1, nullable=False)


def _nanvl(v, c, n):
    a, b = v
    return pc.if_else(pc.fill_null(pc.is_nan(a), False), b, a)


register("nanvl", _nanvl, D, [D, D], 2, 2)


def _rand(normal: bool):
    def k(v, c, n):
        import numpy as np
        seed = v[0].as_py() if v else None
        rng = np.random.default_rng(seed)
        vals = rng.standard_normal(n) if normal else rng.random(n)
        return pa.array(vals, pa.float64())
    return k


register("rand", _rand(False), D, [L], 0, 1, deterministic=False, nullable=False,
         aliases=["random"])
register("randn", _rand(True), D, [L], 0, 1, deterministic=False, nullable=False)


def _bin_hex(fmt: str):
    def k(v, c, n):
        vals = to_array(v[0], n).to_pylist()
        return pa.array([None if x is None else format(x & ((1 << 64) - 1) if x < 0 else x, fmt).upper()
                         for x in vals], pa.string())
    return k


register("bin", _bin_hex("b"), T.StringType(), [L], 1, 1)
register("factorial", lambda v, c, n: pa.array([None if x is None or x < 0 or x > 20 else math.factorial(x)
                                                for x in to_array(v[0], n).to_pylist()], pa.int64()),
         L, [I], 1, 1)
register("e", lambda v, c, n: pa.scalar(math.e), D, None, 0, 0, pretty="E", nullable=False)
register("pi", lambda v, c, n: pa.scalar(math.pi), D, None, 0, 0, pretty="PI", nullable=False)
