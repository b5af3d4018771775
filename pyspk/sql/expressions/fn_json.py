"""JSON functions (to_json, from_json, get_json_object, schema_of_json), typeof, and
try_* arithmetic."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from pyspk.sql import types as T
from pyspk.sql._arrow_types import arrow_column_to_python, column_from_python
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, to_array
from pyspk.sql.expressions.scalar import register


def _jsonable(v: Any, dt: T.DataType | None) -> Any:
    import datetime
    import decimal
    if v is None:
        return None
    if isinstance(v, T.Row):
        fields = dt.fields if isinstance(dt, T.StructType) else [None] * len(v)
        return {f.name if f else k: _jsonable(x, f.dataType if f else None)
                for f, k, x in zip(fields, getattr(v, "__fields__", [""] * len(v)), v)}
    if isinstance(v, dict):
        vt = dt.valueType if isinstance(dt, T.MapType) else None
        return {str(k): _jsonable(x, vt) for k, x in v.items()}
    if isinstance(v, list):
        et = dt.elementType if isinstance(dt, T.ArrayType) else None
        return [_jsonable(x, et) for x in v]
    if isinstance(v, datetime.datetime):
        if isinstance(dt, T.TimestampNTZType):
            from pyspk.sql.expressions.datetime_format import format_one
            return format_one(v, "yyyy-MM-dd'T'HH:mm:ss.SSS")
        return _session_timestamp(v)
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return _RawNumber(str(v))
    return v


class _RawNumber(str):
    """A decimal written as its exact digits (``1.50``), not as a rounded JSON float."""


def _session_timestamp(v: Any) -> str:
    """A TIMESTAMP (as Python sees it: process-local wall clock) in Spark's JSON form: the
    session time zone's wall clock with its offset (``yyyy-MM-dd'T'HH:mm:ss.SSSXXX``)."""
    import datetime
    from pyspk.sql.expressions import tz as TZ
    from pyspk.sql.expressions.datetime_format import format_one
    utc = TZ.py_local_to_utc(v, TZ.process_time_zone())
    local = utc.replace(tzinfo=datetime.timezone.utc).astimezone(TZ.zoneinfo(TZ.session_time_zone()))
    return format_one(local, _JSON_TIMESTAMP)


_JSON_TIMESTAMP = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"


def json_text(value: Any) -> str:
    """Compact JSON as Spark writes it; decimals keep their exact digits."""
    raw: list[str] = []

    def swap(v: Any) -> Any:
        if isinstance(v, _RawNumber):
            raw.append(str(v))
            return f"\u0000{len(raw) - 1}\u0000"
        if isinstance(v, dict):
            return {k: swap(x) for k, x in v.items()}
        if isinstance(v, list):
            return [swap(x) for x in v]
        return v
    text = json.dumps(swap(value), separators=(",", ":"), ensure_ascii=False)
    for i, digits in enumerate(raw):
        text = text.replace(f'"\\u0000{i}\\u0000"', digits, 1)
    return text


def _drop_nulls(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _drop_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_drop_nulls(x) for x in v]
    return v


@dataclass(frozen=True)
class ToJson(Expression):
    child: Expression

    @property
    def data_type(self) -> T.DataType:
        return T.StringType()

    def sql(self) -> str:
        return f"to_json({self.child.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        dt = self.child.data_type
        if isinstance(dt, T.VariantType):  # stored as its JSON text already
            return self.child.eval(batch, ctx)
        vals = arrow_column_to_python(to_array(self.child.eval(batch, ctx), batch.num_rows), dt)
        return pa.array([None if v is None else json_text(_drop_nulls(_jsonable(v, dt)))
                         for v in vals], pa.string())


@dataclass(frozen=True)
class FromJson(Expression):
    child: Expression
    schema: T.DataType
    schema_sql: str = ""

    @property
    def data_type(self) -> T.DataType:
        return self.schema

    def sql(self) -> str:
        return f"from_json({self.child.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        vals = to_array(self.child.eval(batch, ctx), batch.num_rows).to_pylist()
        out = []
        for s in vals:
            if s is None:
                out.append(None)
                continue
            try:
                out.append(coerce_json(json.loads(s), self.schema))
            except ValueError:
                out.append(None)
        return column_from_python(out, self.schema)


@dataclass(frozen=True)
class TypeOf(Expression):
    child: Expression

    @property
    def data_type(self) -> T.DataType:
        return T.StringType()

    @property
    def nullable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"typeof({self.child.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return pa.scalar(self.child.data_type.simpleString(), pa.string())


def _get_json_object(v, c, n):
    path = v[1].as_py()
    vals = to_array(v[0], n).to_pylist()
    out = []
    for s in vals:
        try:
            cur = json.loads(s) if s is not None else None
            for part in _path(path):
                if cur is None:
                    break
                cur = cur[part] if isinstance(part, int) and isinstance(cur, list) and part < len(cur) \
                    else (cur.get(part) if isinstance(cur, dict) and isinstance(part, str) else None)
            out.append(None if cur is None else (cur if isinstance(cur, str) else
                                                 json.dumps(cur, separators=(",", ":"))))
        except (ValueError, TypeError):
            out.append(None)
    return pa.array(out, pa.string())


def _path(path: str) -> list:
    import re
    if not path.startswith("$"):
        return [None]
    return [int(i) if i else k for k, i in re.findall(r"\.([^.\[]+)|\[(\d+)\]", path[1:])]


register("get_json_object", _get_json_object, T.StringType(), [T.StringType(), T.StringType()], 2, 2)


def _schema_of_json(v, c, n):
    from pyspk.sql.io.json_read import _finalize, _json_type
    from pyspk.sql.io.options import Options
    s = v[0].as_py()
    dt = _finalize(_json_type(json.loads(s), Options({})))
    return pa.scalar(_ddl(dt), pa.string())


def _ddl(dt: T.DataType) -> str:
    if isinstance(dt, T.StructType):
        return "STRUCT<" + ", ".join(f"{f.name}: {_ddl(f.dataType)}" for f in dt.fields) + ">"
    if isinstance(dt, T.ArrayType):
        return f"ARRAY<{_ddl(dt.elementType)}>"
    return dt.simpleString().upper()


register("schema_of_json", _schema_of_json, T.StringType(), [T.StringType()], 1, 2)


def _try(kernel_name: str):
    def k(v, c, n):
        import pyarrow.compute as pc
        a, b = v
        try:
            return getattr(pc, kernel_name + "_checked")(a, b)
        except (pa.ArrowInvalid, ZeroDivisionError):
            la = to_array(a, n).to_pylist()
            lb = to_array(b, n).to_pylist()
            out = []
            for x, y in zip(la, lb):
                try:
                    out.append(getattr(pc, kernel_name + "_checked")(pa.scalar(x, a.type), pa.scalar(y, b.type)).as_py()
                               if x is not None and y is not None else None)
                except (pa.ArrowInvalid, ZeroDivisionError):
                    out.append(None)
            return pa.array(out, a.type)
    return k


def _common2(ts):
    from pyspk.sql.expressions.coercion import arithmetic_operand_type
    return arithmetic_operand_type(ts[0], ts[1]) or T.DoubleType()


register("try_add", _try("add"), _common2, lambda ts: [_common2(ts)] * 2, 2, 2)
register("try_subtract", _try("subtract"), _common2, lambda ts: [_common2(ts)] * 2, 2, 2)
register("try_multiply", _try("multiply"), _common2, lambda ts: [_common2(ts)] * 2, 2, 2)


def _try_divide(v, c, n):
    import pyarrow.compute as pc
    a, b = v
    b = pc.if_else(pc.equal(b, 0.0), pa.scalar(None, pa.float64()), b)
    return pc.divide(a, b)


register("try_divide", _try_divide, T.DoubleType(), [T.DoubleType(), T.DoubleType()], 2, 2)
register("hex", lambda v, c, n: pa.array([None if x is None else (x.hex().upper() if isinstance(x, bytes) else
                                          (format(x & ((1 << 64) - 1), "X") if isinstance(x, int) else
                                           x.encode().hex().upper()))
                                          for x in to_array(v[0], n).to_pylist()], pa.string()),
         T.StringType(), None, 1, 1)
register("unhex", lambda v, c, n: pa.array([None if x is None else bytes.fromhex(x if len(x) % 2 == 0 else "0" + x)
                                            for x in to_array(v[0], n).to_pylist()], pa.binary()),
         T.BinaryType(), [T.StringType()], 1, 1)
register("octet_length", lambda v, c, n: pa.array([None if x is None else len(x.encode() if isinstance(x, str) else x)
                                                   for x in to_array(v[0], n).to_pylist()], pa.int32()),
         T.IntegerType(), None, 1, 1)
register("bit_length", lambda v, c, n: pa.array([None if x is None else 8 * len(x.encode() if isinstance(x, str) else x)
                                                 for x in to_array(v[0], n).to_pylist()], pa.int32()),
         T.IntegerType(), None, 1, 1)


def coerce_json(v: Any, dt: T.DataType) -> Any:
    """A parsed JSON value shaped for ``dt``: nested objects/arrays as JSON text for STRING,
    numbers widened to DOUBLE, non-integers NULL for BIGINT (as from_json reads them)."""
    if v is None:
        return None
    if isinstance(dt, T.StringType) and not isinstance(v, str):
        return json.dumps(v, separators=(",", ":")) if isinstance(v, (dict, list)) else \
            (str(v).lower() if isinstance(v, bool) else str(v))
    if isinstance(dt, T.StructType) and isinstance(v, dict):
        return {f.name: coerce_json(v.get(f.name), f.dataType) for f in dt.fields}
    if isinstance(dt, T.ArrayType) and isinstance(v, list):
        return [coerce_json(x, dt.elementType) for x in v]
    if isinstance(dt, T.MapType) and isinstance(v, dict):
        return {k: coerce_json(x, dt.valueType) for k, x in v.items()}
    if isinstance(dt, T.DoubleType) and isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    if isinstance(dt, (T.LongType, T.IntegerType)) and (not isinstance(v, int) or isinstance(v, bool)):
        return None
    return v
