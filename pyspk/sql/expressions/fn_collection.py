"""Array, map and struct functions, field access, hashing and row ids."""
from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql import types as T
from pyspk.sql._arrow_types import to_arrow_type, arrow_column_to_python, column_from_python
from pyspk.sql.expressions import coercion as C
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, to_array
from pyspk.sql.expressions.scalar import register

S, I, L, B = T.StringType(), T.IntegerType(), T.LongType(), T.BooleanType()


def _element_common(ts):
    dt: T.DataType = T.NullType()
    for t in ts:
        dt = C.tightest_common_type(dt, t) or (S if C.is_string(t) or C.is_string(dt) else T.DoubleType())
    return dt


def _array(v, c, n):
    dt = v[0].type if v else pa.null()
    if all(isinstance(x, pa.Scalar) for x in v):
        return pa.scalar([x.as_py() for x in v], pa.list_(dt))
    cols = [to_array(x, n) for x in v]
    cols = [x.combine_chunks() if isinstance(x, pa.ChunkedArray) else x for x in cols]
    if not cols:
        return pa.array([[]] * n, pa.list_(pa.null()))
    import numpy as np
    k = len(cols)
    interleaved = pc.take(pa.concat_arrays(cols), pa.array(
        (np.arange(k)[None, :] * n + np.arange(n)[:, None]).reshape(-1)))
    offsets = pa.array(np.arange(0, n * k + 1, k, dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, interleaved)


register("array", _array, lambda ts: T.ArrayType(_element_common(ts) if ts else T.NullType(), True),
         lambda ts: [_element_common(ts)] * len(ts), 0, None)


def _size(v, c, n):
    """Elements of an array or map; of NULL: NULL under ANSI, else -1 (Spark's legacy rule)."""
    x = v[0]
    if pa.types.is_null(x.type):
        out = pa.nulls(n, pa.int32()) if not isinstance(x, pa.Scalar) else pa.scalar(None, pa.int32())
    else:
        out = pc.list_value_length(x).cast(pa.int32())
    return out if c.ansi else pc.fill_null(out, -1)


register("size", _size, I, None, 1, 1, aliases=["cardinality", "array_size"])


def _py_map(fn, out_type_fn):
    def k(v, c, n):
        cols = [to_array(x, n).to_pylist() for x in v]
        out = [fn(*row) for row in zip(*cols)]
        return pa.array(out, out_type_fn(v))
    return k


def _contains(arr, val):
    if arr is None or val is None:
        return None
    if val in arr:
        return True
    return None if None in arr else False


register("array_contains", _py_map(_contains, lambda v: pa.bool_()), B,
         lambda ts: [None, ts[0].elementType if isinstance(ts[0], T.ArrayType) else None], 2, 2)


def _sort_array(v, c, n):
    asc = v[1].as_py() if len(v) > 1 else True
    vals = to_array(v[0], n).to_pylist()
    out = []
    for a in vals:
        if a is None:
            out.append(None)
            continue
        nn = sorted(x for x in a if x is not None)
        nulls = [None] * (len(a) - len(nn))
        out.append(nulls + nn if asc else list(reversed(nn)) + nulls)
    return pa.array(out, v[0].type)


def _array_sort(v, c, n):
    vals = to_array(v[0], n).to_pylist()
    out = [None if a is None else sorted(x for x in a if x is not None) + [None] * sum(x is None for x in a)
           for a in vals]
    return pa.array(out, v[0].type)


register("sort_array", _sort_array, lambda ts: ts[0], [None, B], 1, 2)
register("array_sort", _array_sort, lambda ts: ts[0], None, 1, 1)
register("array_distinct", _py_map(lambda a: None if a is None else list(dict.fromkeys(a)),
                                   lambda v: v[0].type), lambda ts: ts[0], None, 1, 1)
register("array_max", lambda v, c, n: _list_reduce(v[0], max),
         lambda ts: ts[0].elementType, None, 1, 1)
register("array_min", lambda v, c, n: _list_reduce(v[0], min), lambda ts: ts[0].elementType, None, 1, 1)


def _list_reduce(arr, fn):
    vals = arr.to_pylist()
    out = []
    for a in vals:
        nn = [x for x in (a or []) if x is not None]
        out.append(fn(nn) if nn else None)
    return pa.array(out, arr.type.value_type)


def _array_join(v, c, n):
    sep = v[1].as_py()
    null_rep = v[2].as_py() if len(v) > 2 else None
    vals = to_array(v[0], n).to_pylist()
    out = []
    for a in vals:
        if a is None:
            out.append(None)
            continue
        items = [str(x) if x is not None else null_rep for x in a]
        out.append(sep.join(x for x in items if x is not None))
    return pa.array(out, pa.string())


register("array_join", _array_join, S, [None, S, S], 2, 3)
register("flatten", _py_map(lambda a: None if a is None or any(x is None for x in a) else
                            [y for x in a for y in x], lambda v: v[0].type.value_type),
         lambda ts: ts[0].elementType, None, 1, 1)
register("array_position", _py_map(lambda a, x: None if a is None or x is None else
                                   (a.index(x) + 1 if x in a else 0), lambda v: pa.int64()),
         L, lambda ts: [None, ts[0].elementType], 2, 2)
register("array_remove", _py_map(lambda a, x: None if a is None else [y for y in a if y != x],
                                 lambda v: v[0].type), lambda ts: ts[0],
         lambda ts: [None, ts[0].elementType], 2, 2)
register("array_union", _py_map(lambda a, b: None if a is None or b is None else
                                list(dict.fromkeys(a + b)), lambda v: v[0].type),
         lambda ts: ts[0], None, 2, 2)
register("array_intersect", _py_map(lambda a, b: None if a is None or b is None else
                                    [x for x in dict.fromkeys(a) if x in b], lambda v: v[0].type),
         lambda ts: ts[0], None, 2, 2)
register("array_except", _py_map(lambda a, b: None if a is None or b is None else
                                 [x for x in dict.fromkeys(a) if x not in b], lambda v: v[0].type),
         lambda ts: ts[0], None, 2, 2)
def _overlap(a, b):
    if a is None or b is None:
        return None
    if set(x for x in a if x is not None) & set(x for x in b if x is not None):
        return True
    return None if (None in a or None in b) and a and b else False


register("arrays_overlap", _py_map(_overlap, lambda v: pa.bool_()), B, None, 2, 2)
register("slice", _py_map(lambda a, s, ln: None if a is None else
                          a[(s - 1 if s > 0 else len(a) + s):(s - 1 if s > 0 else len(a) + s) + ln],
                          lambda v: v[0].type), lambda ts: ts[0], [None, I, I], 3, 3)
register("array_repeat", _py_map(lambda x, k: None if k is None else [x] * k,
                                 lambda v: pa.list_(v[0].type)),
         lambda ts: T.ArrayType(ts[0], True), [None, I], 2, 2)


def _element_at(v, c, n):
    x, key = v
    if pa.types.is_map(x.type):
        vals = to_array(x, n).to_pylist()
        keys = to_array(key, n).to_pylist()
        return pa.array([None if m is None else dict(m).get(k) for m, k in zip(vals, keys)],
                        x.type.item_type)
    vals = to_array(x, n).to_pylist()
    idx = to_array(key, n).to_pylist()
    out = []
    for a, i in zip(vals, idx):
        if a is None or i is None:
            out.append(None)
        elif i > 0:
            out.append(a[i - 1] if i <= len(a) else None)
        elif i < 0:
            out.append(a[i] if -i <= len(a) else None)
        else:
            from pyspk.errors import ArrayIndexOutOfBoundsException
            raise ArrayIndexOutOfBoundsException("[INVALID_INDEX_OF_ZERO] The index 0 is invalid. "
                                                 "An index shall be either < 0 or > 0 (the first "
                                                 "element has index 1). SQLSTATE: 22003",
                                                 errorClass="INVALID_INDEX_OF_ZERO")
    return pa.array(out, x.type.value_type)


def _element_type(ts):
    t = ts[0]
    return t.valueType if isinstance(t, T.MapType) else t.elementType


register("element_at", _element_at, _element_type, None, 2, 2)
def _map_part(part: str):
    """A kernel giving each map's keys (or values) as a list, NULL for a NULL map."""
    def kernel(v, c, n):
        m = v[0]
        if isinstance(m, pa.Scalar):
            arr = kernel([pa.array([m.as_py()], m.type)], c, 1)
            return arr[0]
        if isinstance(m, pa.ChunkedArray):
            m = m.combine_chunks()
        items = m.keys if part == "keys" else m.items
        offsets = m.offsets
        if m.offset or len(offsets) and offsets[0].as_py():
            items = items.slice(offsets[0].as_py(), offsets[-1].as_py() - offsets[0].as_py())
            offsets = pc.subtract(offsets, offsets[0])
        return pa.ListArray.from_arrays(offsets, items, mask=m.is_null())
    return kernel


register("map_keys", _map_part("keys"), lambda ts: T.ArrayType(ts[0].keyType, False), None, 1, 1)
register("map_values", _map_part("values"), lambda ts: T.ArrayType(ts[0].valueType, True),
         None, 1, 1)


def _hash_bytes(x) -> bytes:
    return x if isinstance(x, bytes) else str(x).encode()


register("md5", lambda v, c, n: pa.array([None if x is None else hashlib.md5(_hash_bytes(x)).hexdigest()
                                          for x in to_array(v[0], n).to_pylist()], pa.string()),
         S, lambda ts: [None if isinstance(ts[0], T.BinaryType) else T.BinaryType()], 1, 1)
register("sha1", lambda v, c, n: pa.array([None if x is None else hashlib.sha1(_hash_bytes(x)).hexdigest()
                                           for x in to_array(v[0], n).to_pylist()], pa.string()),
         S, lambda ts: [None if isinstance(ts[0], T.BinaryType) else T.BinaryType()], 1, 1,
         aliases=["sha"])


def _sha2(v, c, n):
    bits = v[1].as_py()
    algo = {0: "sha256", 224: "sha224", 256: "sha256", 384: "sha384", 512: "sha512"}.get(bits)
    vals = to_array(v[0], n).to_pylist()
    return pa.array([None if x is None or algo is None else hashlib.new(algo, _hash_bytes(x)).hexdigest()
                     for x in vals], pa.string())


register("sha2", _sha2, S, lambda ts: [None if isinstance(ts[0], T.BinaryType) else T.BinaryType(), I], 2, 2)
register("crc32", lambda v, c, n: pa.array([None if x is None else zlib.crc32(_hash_bytes(x))
                                            for x in to_array(v[0], n).to_pylist()], pa.int64()),
         L, lambda ts: [None if isinstance(ts[0], T.BinaryType) else T.BinaryType()], 1, 1)
register("base64", lambda v, c, n: pa.array(
    [None if x is None else __import__("base64").b64encode(_hash_bytes(x)).decode()
     for x in to_array(v[0], n).to_pylist()], pa.string()),
    S, lambda ts: [None if isinstance(ts[0], T.BinaryType) else T.BinaryType()], 1, 1)


@dataclass(frozen=True)
class CreateStruct(Expression):
    """``struct(a, b)`` / ``named_struct('x', a, …)``: a struct column from named values."""

    names: tuple[str, ...]
    args: tuple[Expression, ...]
    named: bool = False

    @property
    def data_type(self) -> T.DataType:
        return T.StructType([T.StructField(nm, a.data_type, a.nullable)
                             for nm, a in zip(self.names, self.args)])

    @property
    def nullable(self) -> bool:
        return False

    def sql(self) -> str:
        if self.named:
            inner = ", ".join(f"{nm}, {a.sql()}" for nm, a in zip(self.names, self.args))
            return f"named_struct({inner})"
        return f"struct({', '.join(a.sql() for a in self.args)})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        n = len(batch)
        cols = [to_array(a.eval(batch, ctx), n) for a in self.args]
        cols = [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in cols]
        return pa.StructArray.from_arrays(cols, fields=[pa.field(nm, c.type, True)
                                                        for nm, c in zip(self.names, cols)])


@dataclass(frozen=True)
class CreateMap(Expression):
    """``map(k1, v1, k2, v2, …)``."""

    args: tuple[Expression, ...]

    @property
    def data_type(self) -> T.DataType:
        keys, vals = self.args[0::2], self.args[1::2]
        kt = _element_common([k.data_type for k in keys]) if keys else T.NullType()
        vt = _element_common([v.data_type for v in vals]) if vals else T.NullType()
        return T.MapType(kt, vt, True)

    @property
    def nullable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"map({', '.join(a.sql() for a in self.args)})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        n = len(batch)
        dt = self.data_type
        cols = [arrow_column_to_python(to_array(a.eval(batch, ctx), n), a.data_type) for a in self.args]
        rows = [dict(zip(r[0::2], r[1::2])) for r in zip(*cols)] if cols else [{}] * n
        return column_from_python(rows, dt)


@dataclass(frozen=True)
class GetField(Expression):
    """``s.field`` on a struct (or ``a[i]``/``m[k]`` item access when ``key`` is set)."""

    child: Expression
    field: str | None = None
    key: Expression | None = None
    named_by_path: bool = False

    @property
    def data_type(self) -> T.DataType:
        dt = self.child.data_type
        if isinstance(dt, T.StructType):
            for f in dt.fields:
                if f.name.lower() == (self.field or "").lower():
                    return f.dataType
        if isinstance(dt, T.ArrayType):
            return dt.elementType
        if isinstance(dt, T.MapType):
            return dt.valueType
        raise TypeError(f"cannot access {self.field!r} of {dt}")

    @property
    def nullable(self) -> bool:
        return True

    def sql(self) -> str:
        if self.key is not None:
            return f"{self.child.sql()}[{self.key.sql()}]"
        return f"{self.child.sql()}.{self.field}"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        v = self.child.eval(batch, ctx)
        dt = self.child.data_type
        if isinstance(dt, T.StructType):
            name = next(f.name for f in dt.fields if f.name.lower() == self.field.lower())
            return pc.struct_field(v, name)
        k = self.key.eval(batch, ctx)
        n = len(batch)
        if isinstance(dt, T.ArrayType):
            vals = to_array(v, n).to_pylist()
            idx = to_array(k, n).to_pylist()
            out = [None if a is None or i is None or not 0 <= i < len(a) else a[i]
                   for a, i in zip(vals, idx)]
            return pa.array(out, to_arrow_type(dt.elementType))
        vals = to_array(v, n).to_pylist()
        keys = to_array(k, n).to_pylist()
        return pa.array([None if m is None else dict(m).get(kk) for m, kk in zip(vals, keys)],
                        to_arrow_type(dt.valueType))


register("monotonically_increasing_id", lambda v, c, n: pa.array(range(n), pa.int64()), L, None, 0, 0,
         nullable=False, deterministic=False)
def _partition_id(v, c, n):
    """The partition the running task computes (0 outside tasks, as a driver-local plan)."""
    from pyspk.taskcontext import TaskContext
    tc = TaskContext.get()
    return pa.repeat(pa.scalar(tc.partitionId() if tc is not None else 0, pa.int32()), n)


register("spark_partition_id", _partition_id, I, None, 0, 0, pretty="SPARK_PARTITION_ID",
         nullable=False, deterministic=False)


def _bitwise(kernel: str):
    return lambda v, c, n: getattr(pc, kernel)(v[0], v[1])


def _int_common(ts):
    return C.tightest_common_type(ts[0], ts[1]) or L


register("bitwise_and_op", _bitwise("bit_wise_and"), _int_common, lambda ts: [_int_common(ts)] * 2, 2, 2)
register("bitwise_or_op", _bitwise("bit_wise_or"), _int_common, lambda ts: [_int_common(ts)] * 2, 2, 2)
register("bitwise_xor_op", _bitwise("bit_wise_xor"), _int_common, lambda ts: [_int_common(ts)] * 2, 2, 2)
register("array_append", _py_map(lambda a, x: None if a is None else a + [x], lambda v: v[0].type),
         lambda ts: ts[0], lambda ts: [None, ts[0].elementType], 2, 2)
register("array_prepend", _py_map(lambda a, x: None if a is None else [x] + a, lambda v: v[0].type),
         lambda ts: ts[0], lambda ts: [None, ts[0].elementType], 2, 2)
register("array_compact", _py_map(lambda a: None if a is None else [x for x in a if x is not None],
                                  lambda v: v[0].type), lambda ts: ts[0], None, 1, 1)


def _array_insert(a, pos, x):
    if a is None or pos is None:
        return None
    a = list(a)
    if pos > 0:
        idx = pos - 1
        if idx > len(a):
            a += [None] * (idx - len(a))
        a.insert(idx, x)
    else:
        idx = len(a) + pos + 1
        if idx < 0:
            a = [x] + [None] * (-idx) + a
        else:
            a.insert(idx, x)
    return a


register("array_insert", _py_map(_array_insert, lambda v: v[0].type), lambda ts: ts[0],
         lambda ts: [None, I, ts[0].elementType], 3, 3)
register("get", _py_map(lambda a, i: None if a is None or i is None or not 0 <= i < len(a) else a[i],
                        lambda v: v[0].type.value_type), lambda ts: ts[0].elementType, [None, I], 2, 2)
register("try_element_at", lambda v, c, n: _try_element_at(v, n), _element_type, None, 2, 2)


def _try_element_at(v, n):
    try:
        return _element_at(v, None, n)
    except Exception:
        return pa.nulls(n, v[0].type.value_type if not pa.types.is_map(v[0].type) else v[0].type.item_type)


def _map_concat(v, c, n):
    rows = [to_array(x, n).to_pylist() for x in v]
    out = []
    for maps in zip(*rows):
        if any(m is None for m in maps):
            out.append(None)
            continue
        d = {}
        for m in maps:
            d.update(dict(m))
        out.append(list(d.items()))
    return pa.array(out, v[0].type)


register("map_concat", _map_concat, lambda ts: ts[0], None, 1, None)
register("map_from_arrays", _py_map(lambda k, x: None if k is None or x is None else list(zip(k, x)),
                                    lambda v: pa.map_(v[0].type.value_type, v[1].type.value_type)),
         lambda ts: T.MapType(ts[0].elementType, ts[1].elementType, True), None, 2, 2)
register("map_entries", _py_map(lambda m: None if m is None else [{"key": k, "value": x} for k, x in m],
                                lambda v: pa.list_(pa.struct([pa.field("key", v[0].type.key_type, False),
                                                              pa.field("value", v[0].type.item_type)]))),
         lambda ts: T.ArrayType(T.StructType([T.StructField("key", ts[0].keyType, False),
                                              T.StructField("value", ts[0].valueType, True)]), False),
         None, 1, 1)


def _arrays_zip_type(ts):
    return T.ArrayType(T.StructType([T.StructField(str(i), t.elementType, True) for i, t in enumerate(ts)]), False)


def _regexp_extract_all(v, c, n):
    import re
    pat = re.compile(v[1].as_py())
    idx = v[2].as_py() if len(v) > 2 else 1
    out = []
    for x in to_array(v[0], n).to_pylist():
        out.append(None if x is None else [m.group(idx) if pat.groups else m.group(0) for m in pat.finditer(x)])
    return pa.array(out, pa.list_(pa.string()))


register("regexp_extract_all", _regexp_extract_all, T.ArrayType(S, True), [S, S, I], 2, 3,
         constants_from=1, defaults=(1,))


def _str_to_map(v, c, n):
    pair = v[1].as_py() if len(v) > 1 else ","
    kv = v[2].as_py() if len(v) > 2 else ":"
    out = []
    for x in to_array(v[0], n).to_pylist():
        if x is None:
            out.append(None)
            continue
        d = {}
        for item in x.split(pair):
            k, _, val = item.partition(kv)
            d[k] = val if _ else None
        out.append(list(d.items()))
    return pa.array(out, pa.map_(pa.string(), pa.string()))


register("str_to_map", _str_to_map, T.MapType(S, S, True), [S, S, S], 1, 3, constants_from=1,
         defaults=(",", ":"))
