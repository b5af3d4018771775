"""VARIANT functions: parse_json, variant_get, schema_of_variant, variant_insert/set/delete/
array_append/strip_nulls (and their try_ forms), to_variant_object.

A VARIANT value is stored as its canonical JSON text (object keys sorted, as Spark's binary
encoding orders them; integers, exact decimals and doubles kept apart), so ``to_json`` and
``show()`` print it directly. Functions decode the text, work on Python values and encode again.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from dataclasses import dataclass
from typing import Any, Callable

import pyarrow as pa

from pyspk.errors import SparkRuntimeException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, to_array
from pyspk.sql.expressions.py_aggregates import PY_AGGREGATES
from pyspk.sql.expressions.scalar import register

V, S, B = T.VariantType(), T.StringType(), T.BooleanType()
_MISSING = object()


def _number(text: str) -> Any:
    return float(text) if "e" in text.lower() else Decimal(text)


def decode(text: str) -> Any:
    """Variant JSON text to Python values (Decimal for exact decimals)."""
    return json.loads(text, parse_float=_number)


def encode(value: Any) -> str:
    """Python values to canonical variant JSON text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        from pyspk.sql.expressions.base import _java_double
        return _java_double(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k), ensure_ascii=False)}:{encode(value[k])}"
                              for k in sorted(value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(encode(x) for x in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def malformed(text: str) -> SparkRuntimeException:
    return SparkRuntimeException(
        f"[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in "
        f"record parsing: {text}. Parse Mode: FAILFAST. To process malformed records as null "
        "result, try setting the option 'mode' as 'PERMISSIVE'. SQLSTATE: 22023",
        errorClass="MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION")


def _rowwise(fn: Callable[..., Any], out: pa.DataType, nulls: bool = True) -> Callable:
    def k(v: list, c: Any, n: int) -> pa.Array:
        cols = [to_array(x, n).to_pylist() for x in v]
        return pa.array([None if nulls and any(x is None for x in row) else fn(c, *row)
                         for row in zip(*cols)], out)
    return k


def _parse(strict: bool) -> Callable:
    def f(c: Any, text: str) -> str | None:
        try:
            return encode(decode(text))
        except ValueError:
            if strict:
                raise malformed(text) from None
            return None
    return f


register("parse_json", _rowwise(_parse(True), pa.string()), V, [S], 1, 1)
register("try_parse_json", _rowwise(_parse(False), pa.string()), V, [S], 1, 1)
register("is_variant_null", _rowwise(lambda c, t: t == "null", pa.bool_()), B, [V], 1, 1,
         nullable=False)
register("is_valid_variant", _rowwise(lambda c, t: True, pa.bool_()), B, [V], 1, 1)


# -- paths --------------------------------------------------------------------------------------
_STEP = re.compile(r"\.([A-Za-z_$][\w$]*)|\.`([^`]*)`|\['((?:[^'\\]|\\.)*)'\]|\[\"([^\"]*)\"\]|\[(-?\d+)\]")


def parse_path(path: str) -> list[str | int]:
    """``$.a.b[0]['c d']`` as steps (keys and indexes)."""
    if not path.startswith("$"):
        raise _bad_path(path)
    steps: list[str | int] = []
    i = 1
    while i < len(path):
        m = _STEP.match(path, i)
        if m is None:
            raise _bad_path(path)
        key = next((g for g in m.groups()[:4] if g is not None), None)
        steps.append(key if key is not None else int(m.group(5)))
        i = m.end()
    return steps


def _bad_path(path: str) -> SparkRuntimeException:
    return SparkRuntimeException(
        f"[INVALID_VARIANT_GET_PATH] The path `{path}` is not a valid variant extraction path in "
        "`variant_get`. A valid path should start with `$` and is followed by zero or more "
        "segments like `[123]`, `.name`, `['name']`, or `[\"name\"]`. SQLSTATE: 22023",
        errorClass="INVALID_VARIANT_GET_PATH")


def _walk(value: Any, steps: list[str | int]) -> Any:
    for s in steps:
        if isinstance(s, int):
            if not isinstance(value, list) or not 0 <= s < len(value):
                return _MISSING
            value = value[s]
        else:
            if not isinstance(value, dict) or s not in value:
                return _MISSING
            value = value[s]
    return value


# -- variant_get ------------------------------------------------------------------------------
def _invalid_cast(value: Any, dt: T.DataType) -> SparkRuntimeException:
    from pyspk.sql.expressions.cast import sql_type_name
    return SparkRuntimeException(
        f"[INVALID_VARIANT_CAST] The variant value `{encode(value)}` cannot be cast into "
        f"`{sql_type_name(dt)}`. Please use `try_variant_get` instead. SQLSTATE: 22023",
        errorClass="INVALID_VARIANT_CAST")


def _arrow_of(value: Any) -> tuple[pa.Scalar, T.DataType]:
    if isinstance(value, bool):
        return pa.scalar(value), T.BooleanType()
    if isinstance(value, int):
        return pa.scalar(value, pa.int64()), T.LongType()
    if isinstance(value, Decimal):
        digits = len(value.as_tuple().digits)
        scale = max(-int(value.as_tuple().exponent), 0)
        dt = T.DecimalType(max(digits, scale, 1), scale)
        return pa.scalar(value, pa.decimal128(dt.precision, dt.scale)), dt
    if isinstance(value, float):
        return pa.scalar(value), T.DoubleType()
    return pa.scalar(value), T.StringType()


def variant_to(value: Any, dt: T.DataType, fail: bool) -> Any:
    """One decoded variant value as a Python value of ``dt`` (NULL for a JSON null)."""
    from pyspk.sql.expressions.cast import cast_value
    if value is None:
        return None
    if isinstance(dt, T.VariantType):
        return encode(value)
    if isinstance(dt, T.StringType) and not isinstance(value, str):
        return encode(value)
    try:
        if isinstance(value, (dict, list)):
            if isinstance(dt, T.ArrayType) and isinstance(value, list):
                return [variant_to(x, dt.elementType, fail) for x in value]
            if isinstance(dt, T.MapType) and isinstance(value, dict):
                return {k: variant_to(x, dt.valueType, fail) for k, x in value.items()}
            if isinstance(dt, T.StructType) and isinstance(value, dict):
                return {f.name: variant_to(value.get(f.name), f.dataType, fail) for f in dt.fields}
            raise ValueError("not castable")
        scalar, src = _arrow_of(value)
        if isinstance(dt, T.BinaryType) or (isinstance(src, T.BooleanType) and
                                            isinstance(dt, (T.DateType, T.TimestampType))):
            raise ValueError("not castable")
        out = cast_value(scalar, src, dt, ansi=True)
        return out.as_py()
    except Exception:  # any failed conversion is Spark's INVALID_VARIANT_CAST (or NULL)
        if fail:
            raise _invalid_cast(value, dt) from None
        return None


def _variant_get(fail: bool) -> Callable:
    def k(v: list, c: Any, n: int) -> pa.Array:
        from pyspk.sql._arrow_types import column_from_python
        from pyspk.sql._typeparse import parse_ddl_type
        dt = parse_ddl_type(v[2].as_py())
        texts = to_array(v[0], n).to_pylist()
        paths = to_array(v[1], n).to_pylist()
        out = []
        for text, path in zip(texts, paths):
            if text is None or path is None:
                out.append(None)
                continue
            found = _walk(decode(text), parse_path(path))
            out.append(None if found is _MISSING else variant_to(found, dt, fail and c.ansi))
        return column_from_python(out, dt)
    return k


@dataclass(frozen=True)
class VariantGet(Expression):
    """``variant_get(v, path, type)``: the value at ``path`` cast to ``type`` (the third argument
    is a literal, so the result type is known at analysis)."""

    v: Expression
    path: Expression
    type_name: Expression
    target: T.DataType
    fail: bool = True

    @property
    def data_type(self) -> T.DataType:
        return self.target

    @property
    def nullable(self) -> bool:
        return True

    def sql(self) -> str:
        name = "variant_get" if self.fail else "try_variant_get"
        return f"{name}({self.v.sql()}, {self.path.sql()}, {self.type_name.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        n = batch.num_rows
        args = [self.v.eval(batch, ctx), self.path.eval(batch, ctx), pa.scalar(
            self.type_name.eval(batch, ctx).as_py(), pa.string())]
        return _variant_get(self.fail)(args, ctx, n)


# -- schema_of_variant ------------------------------------------------------------------------
def schema_of(value: Any) -> str:
    if value is None:
        return "VOID"
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int):
        return "BIGINT"
    if isinstance(value, float):
        return "DOUBLE"
    if isinstance(value, Decimal):
        t = value.as_tuple()
        scale = max(-int(t.exponent), 0)
        return f"DECIMAL({max(len(t.digits), scale, 1)},{scale})"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, list):
        return f"ARRAY<{merge_schemas([schema_of(x) for x in value]) if value else 'VOID'}>"
    return "OBJECT<" + ", ".join(f"{k}: {schema_of(value[k])}" for k in sorted(value)) + ">"


def merge_schemas(schemas: list[str]) -> str:
    """The common schema of several values: equal ones, else VARIANT (VOID merges with any)."""
    kinds = [s for s in dict.fromkeys(schemas) if s != "VOID"]
    if not kinds:
        return "VOID"
    if len(kinds) == 1:
        return kinds[0]
    if all(k.startswith("DECIMAL") or k == "BIGINT" for k in kinds):
        # BIGINT widens as DECIMAL(20,0): keep the most integer digits and the largest scale.
        parts = [(20, 0) if k == "BIGINT" else tuple(int(x) for x in k[8:-1].split(","))
                 for k in kinds]
        scale = max(sc for _, sc in parts)
        digits = max(p - sc for p, sc in parts)
        return f"DECIMAL({min(digits + scale, 38)},{scale})"
    if all(k == "DOUBLE" or k == "BIGINT" or k.startswith("DECIMAL") for k in kinds):
        return "DOUBLE"
    return "VARIANT"


register("schema_of_variant", _rowwise(lambda c, t: schema_of(decode(t)), pa.string()), S, [V],
         1, 1)
PY_AGGREGATES["schema_of_variant_agg"] = (
    lambda rows: merge_schemas([schema_of(decode(r[0])) for r in rows if r[0] is not None])
    if any(r[0] is not None for r in rows) else None, lambda ts: S)


# -- updates ----------------------------------------------------------------------------------
def _update_failure(path: str) -> SparkRuntimeException:
    return SparkRuntimeException(
        f"[INVALID_VARIANT_UPDATE] Cannot update the variant at path `{path}`: the parent is not "
        "an object or array. SQLSTATE: 22023", errorClass="INVALID_VARIANT_UPDATE")


def _put(root: Any, steps: list[str | int], value: Any, insert: bool, create: bool,
         path: str) -> Any:
    """``root`` with ``value`` placed at ``steps`` (creating missing parents when ``create``)."""
    if not steps:
        return value
    head, rest = steps[0], steps[1:]
    if isinstance(head, int):
        if not isinstance(root, list):
            raise _update_failure(path)
        out = list(root)
        if head < 0:
            raise _update_failure(path)
        if head >= len(out):
            if not create:
                return root
            out.extend([None] * (head - len(out)))
            out.append(_put(None, rest, value, insert, create, path) if rest else value)
            return out
        if not rest and insert:
            out.insert(head, value)
        else:
            out[head] = _put(out[head], rest, value, insert, create, path)
        return out
    if root is None and create:
        root = {}
    if not isinstance(root, dict):
        raise _update_failure(path)
    out = dict(root)
    if insert and not rest and head in out:
        raise SparkRuntimeException(
            f"[VARIANT_INSERT_KEY_EXISTS] The key `{head}` already exists at path `{path}`; "
            "use variant_set to replace it. SQLSTATE: 22023", errorClass="INVALID_VARIANT_UPDATE")
    if head not in out:
        if not create:
            return root
        out[head] = _put({} if rest and not isinstance(rest[0], int) else
                         [] if rest else None, rest, value, insert, create, path) \
            if rest else value
        return out
    out[head] = _put(out[head], rest, value, insert, create, path)
    return out


def _updater(insert: bool, fail: bool) -> Callable:
    def f(c: Any, text: str, path: str, value: str, create: bool = True) -> str | None:
        try:
            steps = parse_path(path)
            return encode(_put(decode(text), steps, decode(value), insert, bool(create), path))
        except SparkRuntimeException:
            if fail:
                raise
            return None
    return f


def _with_variant_value(ts: list[T.DataType]) -> list[T.DataType]:
    return [V, S, V, B][:len(ts)]


for _name, _insert in (("variant_insert", True), ("variant_set", False)):
    _hi = 3 if _insert else 4
    _defaults = () if _insert else (True,)
    register(_name, _rowwise(_updater(_insert, True), pa.string()), V, _with_variant_value, 3,
             _hi, defaults=_defaults)
    register(f"try_{_name}", _rowwise(_updater(_insert, False), pa.string()), V,
             _with_variant_value, 3, _hi, defaults=_defaults)


def _append(fail: bool) -> Callable:
    def f(c: Any, text: str, path: str, value: str) -> str | None:
        try:
            steps = parse_path(path)
            root = decode(text)
            target = _walk(root, steps)
            if target is _MISSING:
                return text
            if not isinstance(target, list):
                raise _update_failure(path)
            return encode(_put(root, steps, target + [decode(value)], False, False, path))
        except SparkRuntimeException:
            if fail:
                raise
            return None
    return f


register("variant_array_append", _rowwise(_append(True), pa.string()), V, [V, S, V], 3, 3)
register("try_variant_array_append", _rowwise(_append(False), pa.string()), V, [V, S, V], 3, 3)


def _delete_at(root: Any, steps: list[str | int]) -> Any:
    parent = _walk(root, steps[:-1])
    last = steps[-1] if steps else None
    if parent is _MISSING or last is None:
        return root
    if isinstance(last, int) and isinstance(parent, list) and 0 <= last < len(parent):
        new_parent: Any = parent[:last] + parent[last + 1:]
    elif isinstance(last, str) and isinstance(parent, dict) and last in parent:
        new_parent = {k: x for k, x in parent.items() if k != last}
    else:
        return root
    return _put(root, steps[:-1], new_parent, False, False, "$") if steps[:-1] else new_parent


def _delete(fail: bool) -> Callable:
    def k(v: list, c: Any, n: int) -> pa.Array:
        cols = [to_array(x, n).to_pylist() for x in v]
        out = []
        for row in zip(*cols):
            text, paths = row[0], row[1:]
            if text is None:
                out.append(None)
                continue
            try:
                value = decode(text)
                for p in paths:
                    if p is not None:
                        value = _delete_at(value, parse_path(p))
                out.append(encode(value))
            except SparkRuntimeException:
                if fail:
                    raise
                out.append(None)
        return pa.array(out, pa.string())
    return k


register("variant_delete", _delete(True), V, lambda ts: [V] + [S] * (len(ts) - 1), 1, None)
register("try_variant_delete", _delete(False), V, lambda ts: [V] + [S] * (len(ts) - 1), 1, None)


def _strip(value: Any, arrays: bool) -> Any:
    if isinstance(value, dict):
        return {k: _strip(x, arrays) for k, x in value.items() if x is not None}
    if isinstance(value, list):
        return [_strip(x, arrays) for x in value if x is not None or not arrays]
    return value


register("variant_strip_nulls",
         _rowwise(lambda c, t, arrays=True: encode(_strip(decode(t), bool(arrays))), pa.string()),
         V, [V, B], 1, 2, defaults=(True,))


# -- conversions into VARIANT -----------------------------------------------------------------
def python_to_variant(value: Any) -> Any:
    """A Python value of a Spark type (Row, dict, list, date, …) as a variant value."""
    import datetime
    if isinstance(value, T.Row):
        return {k: python_to_variant(x) for k, x in value.asDict().items()}
    if isinstance(value, dict):
        return {str(k): python_to_variant(x) for k, x in value.items()}
    if isinstance(value, (list, tuple)):
        return [python_to_variant(x) for x in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return str(value)
    if isinstance(value, (bytes, bytearray)):
        import base64
        return base64.b64encode(bytes(value)).decode()
    return value


def _to_variant_object(v: list, c: Any, n: int) -> pa.Array:
    return pa.array([None if x is None else encode(python_to_variant(x))
                     for x in to_array(v[0], n).to_pylist()], pa.string())


register("to_variant_object", _to_variant_object, V, None, 1, 1)
