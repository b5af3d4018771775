"""Apache DataSketches functions (``hll_*``, ``theta_*``, ``kll_*``, ``tuple_*``) on the
``datasketches`` library.

Sketches travel between functions as BINARY values holding the library's serialized compact form,
as Spark passes them. Aggregates (``*_agg``) build one sketch per group from the group's rows;
scalar functions read, combine and query serialized sketches. Optional arguments are filled with
Spark's defaults so column names match (``hll_sketch_agg(value, 12)``).
"""
from __future__ import annotations

from typing import Any, Callable

import datasketches as ds
import pyarrow as pa

from pyspk.errors import SparkRuntimeException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import to_array
from pyspk.sql.expressions.py_aggregates import PY_AGGREGATES, PY_AGGREGATE_DEFAULTS
from pyspk.sql.expressions.scalar import register

B, L, D, S, I = T.BinaryType(), T.LongType(), T.DoubleType(), T.StringType(), T.IntegerType()


def _values(rows: list[tuple], i: int = 0) -> list[Any]:
    return [r[i] for r in rows if r[i] is not None]


def _literal(rows: list[tuple], i: int, default: Any) -> Any:
    return rows[0][i] if rows and len(rows[0]) > i and rows[0][i] is not None else default


def _update_value(v: Any) -> Any:
    """Values as the sketches hash them: numbers as numbers, strings, bytes as text."""
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("latin-1")
    if isinstance(v, bool):
        return int(v)
    return v


# -- HLL --------------------------------------------------------------------------------------
def _hll_agg(rows: list[tuple]) -> bytes:
    sketch = ds.hll_sketch(int(_literal(rows, 1, 12)), ds.HLL_4)
    for v in _values(rows):
        sketch.update(_update_value(v))
    return sketch.serialize_compact()


def _hll_union_of(blobs: list[bytes], allow_different: bool) -> bytes:
    sketches = [ds.hll_sketch.deserialize(bytes(b)) for b in blobs]
    ks = {s.lg_config_k for s in sketches}
    if len(ks) > 1 and not allow_different:
        a, b = sorted(ks)[:2]
        raise SparkRuntimeException(
            f"[HLL_UNION_DIFFERENT_LG_K] Sketches have different `lgConfigK` values: {a} and {b}. "
            "Set the `allowDifferentLgConfigK` parameter to true to call `hll_union` with "
            "different `lgConfigK` values. SQLSTATE: 22000", errorClass="HLL_UNION_DIFFERENT_LG_K")
    union = ds.hll_union(max(ks) if ks else 12)
    for s in sketches:
        union.update(s)
    return union.get_result(ds.HLL_4).serialize_compact()


def _hll_union_agg(rows: list[tuple]) -> bytes:
    return _hll_union_of(_values(rows), bool(_literal(rows, 1, False)))


# -- Theta ------------------------------------------------------------------------------------
def _theta_agg(rows: list[tuple]) -> bytes:
    sketch = ds.update_theta_sketch(int(_literal(rows, 1, 12)))
    for v in _values(rows):
        sketch.update(_update_value(v))
    return sketch.compact().serialize()


def _theta(b: bytes) -> Any:
    return ds.compact_theta_sketch.deserialize(bytes(b))


def _theta_union_agg(rows: list[tuple]) -> bytes:
    union = ds.theta_union(int(_literal(rows, 1, 12)))
    for b in _values(rows):
        union.update(_theta(b))
    return union.get_result().serialize()


def _theta_intersection_agg(rows: list[tuple]) -> bytes | None:
    inter = ds.theta_intersection()
    blobs = _values(rows)
    for b in blobs:
        inter.update(_theta(b))
    return inter.get_result().serialize() if blobs else None


# -- KLL --------------------------------------------------------------------------------------
_KLL = {"bigint": ds.kll_doubles_sketch, "float": ds.kll_floats_sketch,
        "double": ds.kll_doubles_sketch}
_KLL_TYPES = {"bigint": L, "float": T.FloatType(), "double": D}


def _kll_agg(kind: str) -> Callable[[list[tuple]], bytes]:
    def f(rows: list[tuple]) -> bytes:
        sketch = _KLL[kind](int(_literal(rows, 1, 200)))
        for v in _values(rows):
            sketch.update(float(v))
        return sketch.serialize()
    return f


def _kll_merge_agg(kind: str) -> Callable[[list[tuple]], bytes | None]:
    def f(rows: list[tuple]) -> bytes | None:
        blobs = _values(rows)
        if not blobs:
            return None
        sketch = _KLL[kind](int(_literal(rows, 1, 200)))
        for b in blobs:
            sketch.merge(_KLL[kind].deserialize(bytes(b)))
        return sketch.serialize()
    return f


# -- Tuple ------------------------------------------------------------------------------------
class _ModePolicy(ds.TuplePolicy):
    """Summaries combined by Spark's mode: sum, min, max or alwaysone."""

    def __init__(self, mode: str, integer: bool) -> None:
        super().__init__()
        self.mode = mode.lower()
        self.zero = 0 if integer else 0.0

    def create_summary(self) -> Any:
        return None

    def __call__(self, summary: Any, other: Any) -> Any:
        """Combine two summaries of one key (unions and intersections)."""
        return self.update_summary(summary, other)

    def update_summary(self, summary: Any, value: Any) -> Any:
        if self.mode == "alwaysone":
            return 1
        if summary is None:
            return value
        if self.mode == "min":
            return min(summary, value)
        if self.mode == "max":
            return max(summary, value)
        return summary + value


def _serde(integer: bool) -> Any:
    return ds.PyLongsSerDe() if integer else ds.PyDoublesSerDe()


def _check_mode(mode: str) -> str:
    if mode.lower() not in ("sum", "min", "max", "alwaysone"):
        raise SparkRuntimeException(
            f"[TUPLE_INVALID_SKETCH_SUMMARY_MODE] Invalid summary mode '{mode}'. Supported modes "
            "are: sum, min, max, alwaysone. SQLSTATE: 22023",
            errorClass="TUPLE_INVALID_SKETCH_SUMMARY_MODE")
    return mode


def _tuple(b: bytes, integer: bool) -> Any:
    return ds.compact_tuple_sketch.deserialize(bytes(b), _serde(integer))


def _tuple_agg(integer: bool) -> Callable[[list[tuple]], bytes]:
    def f(rows: list[tuple]) -> bytes:
        mode = _check_mode(str(_literal(rows, 3, "sum")))
        sketch = ds.update_tuple_sketch(_ModePolicy(mode, integer), int(_literal(rows, 2, 12)))
        for r in rows:
            if r[0] is not None and r[1] is not None:
                sketch.update(_update_value(r[0]), int(r[1]) if integer else float(r[1]))
        return sketch.compact().serialize(_serde(integer))
    return f


def _tuple_union_agg(integer: bool) -> Callable[[list[tuple]], bytes]:
    def f(rows: list[tuple]) -> bytes:
        mode = _check_mode(str(_literal(rows, 2, "sum")))
        union = ds.tuple_union(_ModePolicy(mode, integer), int(_literal(rows, 1, 12)))
        for b in _values(rows):
            union.update(_tuple(b, integer))
        return union.get_result().serialize(_serde(integer))
    return f


def _tuple_intersection_agg(integer: bool) -> Callable[[list[tuple]], bytes | None]:
    def f(rows: list[tuple]) -> bytes | None:
        mode = _check_mode(str(_literal(rows, 1, "sum")))
        inter = ds.tuple_intersection(_ModePolicy(mode, integer))
        blobs = _values(rows)
        for b in blobs:
            inter.update(_tuple(b, integer))
        return inter.get_result().serialize(_serde(integer)) if blobs else None
    return f


_AGGS: dict[str, tuple[Callable, Callable, tuple]] = {
    "hll_sketch_agg": (_hll_agg, lambda ts: B, (12,)),
    "hll_union_agg": (_hll_union_agg, lambda ts: B, (False,)),
    "theta_sketch_agg": (_theta_agg, lambda ts: B, (12,)),
    "theta_union_agg": (_theta_union_agg, lambda ts: B, (12,)),
    "theta_intersection_agg": (_theta_intersection_agg, lambda ts: B, ()),
}
for _kind in _KLL:
    _AGGS[f"kll_sketch_agg_{_kind}"] = (_kll_agg(_kind), lambda ts: B, ())
    _AGGS[f"kll_merge_agg_{_kind}"] = (_kll_merge_agg(_kind), lambda ts: B, ())
for _suffix, _integer in (("double", False), ("integer", True)):
    _AGGS[f"tuple_sketch_agg_{_suffix}"] = (_tuple_agg(_integer), lambda ts: B, (12, "sum"))
    _AGGS[f"tuple_union_agg_{_suffix}"] = (_tuple_union_agg(_integer), lambda ts: B, (12, "sum"))
    _AGGS[f"tuple_intersection_agg_{_suffix}"] = (_tuple_intersection_agg(_integer),
                                                  lambda ts: B, ("sum",))
for _name, (_fn, _res, _defaults) in _AGGS.items():
    PY_AGGREGATES[_name] = (_fn, _res)
    if _defaults:
        PY_AGGREGATE_DEFAULTS[_name] = _defaults


# -- scalar functions -------------------------------------------------------------------------
def _rowwise(fn: Callable[..., Any], out: pa.DataType) -> Callable:
    """A kernel applying ``fn`` to each row's non-NULL arguments (NULL in, NULL out)."""
    def k(v: list, c: Any, n: int) -> pa.Array:
        cols = [to_array(x, n).to_pylist() for x in v]
        return pa.array([None if any(x is None for x in row) else fn(*row)
                         for row in zip(*cols)], out)
    return k


def _reg(name: str, fn: Callable, result: T.DataType, inputs: list, lo: int, hi: int | None = None,
         defaults: tuple = ()) -> None:
    from pyspk.sql._arrow_types import to_arrow_type
    register(name, _rowwise(fn, to_arrow_type(result)), result, inputs, lo, hi or lo,
             defaults=defaults)


_reg("hll_sketch_estimate", lambda b: round(ds.hll_sketch.deserialize(bytes(b)).get_estimate()),
     L, [B], 1)
_reg("hll_union", lambda a, b, allow: _hll_union_of([a, b], allow), B, [B, B, T.BooleanType()],
     2, 3, defaults=(False,))
_reg("theta_sketch_estimate", lambda b: round(_theta(b).get_estimate()), L, [B], 1)


def _theta_union(a: bytes, b: bytes, lg: int) -> bytes:
    union = ds.theta_union(int(lg))
    union.update(_theta(a))
    union.update(_theta(b))
    return union.get_result().serialize()


def _theta_intersection(a: bytes, b: bytes) -> bytes:
    inter = ds.theta_intersection()
    inter.update(_theta(a))
    inter.update(_theta(b))
    return inter.get_result().serialize()


_reg("theta_union", _theta_union, B, [B, B, I], 2, 3, defaults=(12,))
_reg("theta_intersection", _theta_intersection, B, [B, B], 2)
_reg("theta_difference", lambda a, b: ds.theta_a_not_b().compute(_theta(a), _theta(b)).serialize(),
     B, [B, B], 2)


def _kll_value(kind: str, x: float) -> Any:
    return int(x) if kind == "bigint" else float(x)


for _kind, _cls in _KLL.items():
    _vt = _KLL_TYPES[_kind]
    _reg(f"kll_sketch_to_string_{_kind}", (lambda cls: lambda b: cls.deserialize(bytes(b)).to_string())(_cls),
         S, [B], 1)
    _reg(f"kll_sketch_get_n_{_kind}", (lambda cls: lambda b: cls.deserialize(bytes(b)).n)(_cls), L, [B], 1)

    def _merge(a: bytes, b: bytes, cls: Any = _cls) -> bytes:
        sketch = cls.deserialize(bytes(a))
        sketch.merge(cls.deserialize(bytes(b)))
        return sketch.serialize()
    _reg(f"kll_sketch_merge_{_kind}", _merge, B, [B, B], 2)

    def _quantile(b: bytes, rank: Any, cls: Any = _cls, kind: str = _kind) -> Any:
        sketch = cls.deserialize(bytes(b))
        if isinstance(rank, list):
            return [_kll_value(kind, sketch.get_quantile(float(r), True)) for r in rank]
        return _kll_value(kind, sketch.get_quantile(float(rank), True))

    def _rank(b: bytes, value: Any, cls: Any = _cls) -> Any:
        sketch = cls.deserialize(bytes(b))
        if isinstance(value, list):
            return [sketch.get_rank(float(x), True) for x in value]
        return sketch.get_rank(float(value), True)

    register(f"kll_sketch_get_quantile_{_kind}",
             (lambda q: lambda v, c, n: _array_aware(q, v, n))(_quantile),
             (lambda vt: lambda ts: T.ArrayType(vt) if isinstance(ts[1], T.ArrayType) else vt)(_vt),
             lambda ts: [B, None], 2, 2)
    register(f"kll_sketch_get_rank_{_kind}",
             (lambda r: lambda v, c, n: _array_aware(r, v, n))(_rank),
             lambda ts: T.ArrayType(D) if isinstance(ts[1], T.ArrayType) else D,
             lambda ts: [B, None], 2, 2)


def _array_aware(fn: Callable, v: list, n: int) -> pa.Array:
    cols = [to_array(x, n).to_pylist() for x in v]
    return pa.array([None if any(x is None for x in row) else fn(*row) for row in zip(*cols)])


def _summary(b: bytes, mode: str, integer: bool) -> Any:
    values = [s for _, s in _tuple(b, integer)]
    mode = _check_mode(mode).lower()
    if not values:
        return 0 if integer else 0.0
    if mode == "min":
        return min(values)
    if mode == "max":
        return max(values)
    if mode == "alwaysone":
        return len(values)
    return sum(values)


for _suffix, _integer in (("double", False), ("integer", True)):
    _st = L if _integer else D
    _reg(f"tuple_sketch_estimate_{_suffix}",
         (lambda i: lambda b: float(_tuple(b, i).get_estimate()))(_integer), D, [B], 1)
    _reg(f"tuple_sketch_summary_{_suffix}",
         (lambda i: lambda b, mode: _summary(b, mode, i))(_integer), _st, [B, S], 1, 2,
         defaults=("sum",))
    _reg(f"tuple_sketch_theta_{_suffix}", (lambda i: lambda b: float(_tuple(b, i).theta))(_integer),
         D, [B], 1)

    def _tuple_union(a: bytes, b: bytes, lg: int, mode: str, integer: bool = _integer,
                     theta_b: bool = False) -> bytes:
        union = ds.tuple_union(_ModePolicy(_check_mode(mode), integer), int(lg))
        union.update(_tuple(a, integer))
        union.update(_theta_as_tuple(b, integer) if theta_b else _tuple(b, integer))
        return union.get_result().serialize(_serde(integer))

    def _tuple_intersection(a: bytes, b: bytes, mode: str, integer: bool = _integer,
                            theta_b: bool = False) -> bytes:
        inter = ds.tuple_intersection(_ModePolicy(_check_mode(mode), integer))
        inter.update(_tuple(a, integer))
        inter.update(_theta_as_tuple(b, integer) if theta_b else _tuple(b, integer))
        return inter.get_result().serialize(_serde(integer))

    def _tuple_difference(a: bytes, b: bytes, integer: bool = _integer,
                          theta_b: bool = False) -> bytes:
        other = _theta_as_tuple(b, integer) if theta_b else _tuple(b, integer)
        return ds.tuple_a_not_b().compute(_tuple(a, integer), other).serialize(_serde(integer))

    _reg(f"tuple_union_{_suffix}", _tuple_union, B, [B, B, I, S], 2, 4, defaults=(12, "sum"))
    _reg(f"tuple_union_theta_{_suffix}",
         lambda a, b, lg, mode, f=_tuple_union: f(a, b, lg, mode, theta_b=True), B, [B, B, I, S],
         2, 4, defaults=(12, "sum"))
    _reg(f"tuple_intersection_{_suffix}", _tuple_intersection, B, [B, B, S], 2, 3,
         defaults=("sum",))
    _reg(f"tuple_intersection_theta_{_suffix}",
         lambda a, b, mode, f=_tuple_intersection: f(a, b, mode, theta_b=True), B, [B, B, S], 2, 3,
         defaults=("sum",))
    _reg(f"tuple_difference_{_suffix}", _tuple_difference, B, [B, B], 2)
    _reg(f"tuple_difference_theta_{_suffix}",
         lambda a, b, f=_tuple_difference: f(a, b, theta_b=True), B, [B, B], 2)


def _theta_as_tuple(b: bytes, integer: bool) -> Any:
    """A theta sketch's entries as a tuple sketch whose summaries are the neutral value."""
    return ds.compact_tuple_sketch(_theta(b), 1 if integer else 1.0)
