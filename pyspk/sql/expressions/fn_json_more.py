"""JSON helpers and row-producing generators: ``json_array_length``, ``json_object_keys``,
``stack`` and ``json_tuple``.

``stack``/``json_tuple`` produce an ``array<struct<…>>`` per input row that ``inline`` explodes
(the analyzer turns the call into a ``Generate``), so they need no executor support of their own.
Parsing JSON text is per-value work (no Arrow kernel parses JSON cells).
"""
from __future__ import annotations

import decimal
import json
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, to_array
from pyspk.sql.expressions.scalar import register

S, I = T.StringType(), T.IntegerType()


def _arr(v, n: int) -> pa.Array:
    a = to_array(v, n)
    return a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a


def _loads(text: str):
    try:
        return json.loads(text, parse_float=decimal.Decimal)
    except (ValueError, RecursionError):
        return _INVALID


_INVALID = object()


def _array_length(v, c, n):
    out = []
    for s in _arr(v[0], n).to_pylist():
        doc = _INVALID if s is None else _loads(s)
        out.append(len(doc) if isinstance(doc, list) else None)
    return pa.array(out, pa.int32())


def _object_keys(v, c, n):
    out = []
    for s in _arr(v[0], n).to_pylist():
        doc = _INVALID if s is None else _loads(s)
        out.append(list(doc) if isinstance(doc, dict) else None)
    return pa.array(out, pa.list_(pa.string()))


register("json_array_length", _array_length, I, [S], 1, 1)
register("json_object_keys", _object_keys, T.ArrayType(S, True), [S], 1, 1)


def _json_text(value) -> str | None:
    """A JSON value as json_tuple returns it: strings unquoted, the rest as compact JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, decimal.Decimal)):
        return str(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=float)


def _rows_of(structs: list[pa.StructArray], n: int) -> pa.ListArray:
    """A list per input row holding the i-th element of each of ``structs`` in turn."""
    k = len(structs)
    order = (np.arange(k, dtype=np.int64)[None, :] * n + np.arange(n, dtype=np.int64)[:, None]).ravel()
    values = pa.concat_arrays(structs).take(pa.array(order)) if k else pa.array([], pa.struct([]))
    offsets = pa.array(np.arange(n + 1, dtype=np.int32) * k)
    return pa.ListArray.from_arrays(offsets, values)


def _struct_type_of(names: list[str], types: list[T.DataType]) -> T.StructType:
    return T.StructType([T.StructField(nm, t, True) for nm, t in zip(names, types)])


@dataclass(frozen=True)
class StackRows(Expression):
    """``stack(n, v1, …)``: ``n`` rows of ``ceil(len(v)/n)`` columns ``col0, col1, …``."""

    rows: int
    values: tuple[Expression, ...]

    @property
    def width(self) -> int:
        return -(-len(self.values) // self.rows) if self.rows > 0 else 0

    def column_types(self) -> list[T.DataType]:
        out: list[T.DataType] = []
        for j in range(self.width):
            seen: tuple[int, T.DataType] | None = None
            for i in range(j, len(self.values), self.width):
                t = self.values[i].data_type
                if isinstance(t, T.NullType):
                    continue
                if seen is None:
                    seen = (i, t)
                elif t != seen[1]:
                    from pyspk.sql.expressions.cast import sql_type_name
                    args = ", ".join([str(self.rows)] + [v.sql() for v in self.values])
                    raise AnalysisException(
                        f"[DATATYPE_MISMATCH.STACK_COLUMN_DIFF_TYPES] Cannot resolve "
                        f"\"stack({args})\" due to data type mismatch: The data type of the column "
                        f"({j}) do not have the same type: \"{sql_type_name(seen[1])}\" "
                        f"({seen[0] + 1}) <> \"{sql_type_name(t)}\" ({i + 1}). SQLSTATE: 42K09",
                        errorClass="DATATYPE_MISMATCH.STACK_COLUMN_DIFF_TYPES")
            out.append(seen[1] if seen is not None else T.NullType())
        return out

    @property
    def data_type(self) -> T.DataType:
        names = [f"col{j}" for j in range(self.width)]
        return T.ArrayType(_struct_type_of(names, self.column_types()), False)

    @property
    def foldable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"stack({', '.join([str(self.rows)] + [v.sql() for v in self.values])})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        from pyspk.sql._arrow_types import to_arrow_type
        n = len(batch)
        types = self.column_types()
        cols = [_arr(v.eval(batch, ctx), n) for v in self.values]
        arrow_types = [to_arrow_type(t) for t in types]
        names = [f"col{j}" for j in range(self.width)]
        structs = []
        for r in range(self.rows):
            fields = []
            for j in range(self.width):
                i = r * self.width + j
                fields.append(cols[i].cast(arrow_types[j]) if i < len(cols)
                              else pa.nulls(n, arrow_types[j]))
            structs.append(pa.StructArray.from_arrays(fields, names))
        return _rows_of(structs, n)


@dataclass(frozen=True)
class JsonTupleRows(Expression):
    """``json_tuple(json, f1, …)``: one row of string columns ``c0, c1, …`` per input row."""

    json: Expression
    fields: tuple[Expression, ...]

    @property
    def data_type(self) -> T.DataType:
        names = [f"c{j}" for j in range(len(self.fields))]
        return T.ArrayType(_struct_type_of(names, [S] * len(self.fields)), False)

    @property
    def foldable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"json_tuple({', '.join(a.sql() for a in (self.json,) + self.fields)})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        n = len(batch)
        docs = [None if s is None else _loads(s) for s in _arr(self.json.eval(batch, ctx), n).to_pylist()]
        names = [_arr(f.eval(batch, ctx), n).to_pylist() for f in self.fields]
        cols = []
        for field_names in names:
            cols.append(pa.array([_json_text(d.get(k)) if isinstance(d, dict) and k is not None
                                  else None for d, k in zip(docs, field_names)], pa.string()))
        labels = [f"c{j}" for j in range(len(self.fields))]
        struct = pa.StructArray.from_arrays(cols, labels) if cols else \
            pa.array([{}] * n, pa.struct([]))
        return _rows_of([struct], n)
