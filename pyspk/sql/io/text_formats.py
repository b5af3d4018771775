"""CSV, JSON-lines and text files read with Spark's options and type inference rules."""
from __future__ import annotations

import json
from typing import Any

import pyarrow as pa
import pyarrow.csv as pcsv

from pyspk.errors import SparkException
from pyspk.sql import types as T
from pyspk.sql._arrow_types import column_from_python, normalize_array


def _opt(options: dict[str, str], *names: str, default: str | None = None) -> str | None:
    low = {k.lower(): v for k, v in options.items()}
    for n in names:
        if n.lower() in low:
            return low[n.lower()]
    return default


def _true(v: str | None) -> bool:
    return str(v).lower() == "true"


def read_text_format(fmt: str, files: list[str], schema: T.StructType | None,
                     options: dict[str, str]) -> pa.Table:
    if fmt == "text":
        return _read_text(files, options)
    if fmt == "csv":
        return _read_csv(files, schema, options)
    if fmt == "json":
        return _read_json(files, schema, options)
    raise ValueError(f"unknown format {fmt}")


def _read_text(files: list[str], options: dict[str, str]) -> pa.Table:
    lines: list[str] = []
    whole = _true(_opt(options, "wholetext"))
    for f in files:
        with open(f, encoding="utf-8") as fh:
            data = fh.read()
        if whole:
            lines.append(data)
        else:
            sep = _opt(options, "lineSep")
            parts = data.split(sep) if sep else data.splitlines()
            lines.extend(parts)
    return pa.table({"value": pa.array(lines, pa.string())})


def _read_csv(files: list[str], schema: T.StructType | None, options: dict[str, str]) -> pa.Table:
    header = _true(_opt(options, "header"))
    sep = _opt(options, "sep", "delimiter", default=",")
    quote = _opt(options, "quote", default='"')
    escape = _opt(options, "escape", default="\\")
    null_value = _opt(options, "nullValue", default="")
    infer = _true(_opt(options, "inferSchema"))
    tables = []
    for f in files:
        read = pcsv.ReadOptions(autogenerate_column_names=not header)
        parse = pcsv.ParseOptions(delimiter=sep, quote_char=quote or False,
                                  escape_char=escape if escape and escape != quote else False,
                                  double_quote=True, newlines_in_values=_true(_opt(options, "multiLine")))
        conv = pcsv.ConvertOptions(strings_can_be_null=True, null_values=[null_value],
                                   quoted_strings_can_be_null=False)
        if not infer:
            # Without inferSchema every column is a string exactly as written in the file.
            names = pcsv.open_csv(f, read_options=read, parse_options=parse).schema.names
            conv = pcsv.ConvertOptions(strings_can_be_null=True, null_values=[null_value],
                                       quoted_strings_can_be_null=False,
                                       column_types={n: pa.string() for n in names})
        t = pcsv.read_csv(f, read_options=read, parse_options=parse, convert_options=conv)
        if not header:
            t = t.rename_columns([f"_c{i}" for i in range(t.num_columns)])
        tables.append(t)
    table = pa.concat_tables(tables, promote_options="permissive") if tables else pa.table({})
    if schema is not None:
        cols = []
        for i, f in enumerate(schema.fields):
            src = table.column(f.name) if f.name in table.column_names else \
                (table.column(i) if i < table.num_columns else pa.nulls(table.num_rows))
            cols.append(_cast_text(src, f.dataType))
        return pa.Table.from_arrays(cols, names=schema.names)
    if not infer:
        return pa.Table.from_arrays([_as_string(c) for c in table.columns], names=table.column_names)
    return pa.Table.from_arrays([_infer_csv_column(c) for c in table.columns], names=table.column_names)


def _as_string(col: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_string(col.type):
        return col
    if pa.types.is_null(col.type):
        return col.cast(pa.string())
    if pa.types.is_boolean(col.type):
        return pa.chunked_array([pa.array([None if v is None else ("true" if v else "false")
                                           for v in col.to_pylist()], pa.string())])
    return col.cast(pa.string())


def _infer_csv_column(col: pa.ChunkedArray) -> pa.ChunkedArray:
    t = col.type
    if pa.types.is_integer(t):
        mx = max((abs(v) for v in col.to_pylist() if v is not None), default=0)
        return col.cast(pa.int32() if mx < 2 ** 31 else pa.int64())
    if pa.types.is_timestamp(t):
        # Spark infers TIMESTAMP (session-local), marked here by a zone the scan then drops.
        return col.cast(pa.timestamp("us")).cast(pa.timestamp("us", tz="UTC"))
    if pa.types.is_date(t):
        return col.cast(pa.date32())
    if pa.types.is_null(t):
        return col.cast(pa.string())
    return normalize_array(col)


def _cast_text(col: pa.ChunkedArray, dt: T.DataType) -> pa.ChunkedArray:
    from pyspk.sql.expressions.cast import cast_value
    src = _as_string(col) if not pa.types.is_string(col.type) else col
    return cast_value(src, T.StringType(), dt, ansi=False)


def _read_json(files: list[str], schema: T.StructType | None, options: dict[str, str]) -> pa.Table:
    multi = _true(_opt(options, "multiLine"))
    mode = (_opt(options, "mode", default="PERMISSIVE") or "PERMISSIVE").upper()
    corrupt = _opt(options, "columnNameOfCorruptRecord", default="_corrupt_record")
    records: list[Any] = []
    bad: list[str | None] = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            text = fh.read()
        if multi:
            obj = json.loads(text)
            items = obj if isinstance(obj, list) else [obj]
            records.extend(items)
            bad.extend([None] * len(items))
            continue
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                if not isinstance(obj, dict):
                    raise ValueError
                records.append(obj)
                bad.append(None)
            except ValueError:
                if mode == "FAILFAST":
                    raise SparkException(f"[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] "
                                         f"Malformed records are detected in record parsing: "
                                         f"{line}.", errorClass="MALFORMED_RECORD_IN_PARSING")
                if mode == "DROPMALFORMED":
                    continue
                records.append({})
                bad.append(line)
    if schema is None:
        schema = infer_json_schema(records)
        if any(b is not None for b in bad):
            schema = T.StructType(schema.fields + [T.StructField(corrupt, T.StringType(), True)])
    cols = []
    for f in schema.fields:
        if f.name == corrupt and isinstance(f.dataType, T.StringType):
            cols.append(pa.array(bad, pa.string()))
            continue
        vals = [_coerce_json(r.get(f.name) if isinstance(r, dict) else None, f.dataType) for r in records]
        cols.append(column_from_python(vals, f.dataType))
    return pa.Table.from_arrays(cols, names=schema.names) if cols else pa.table({})


def _coerce_json(v: Any, dt: T.DataType) -> Any:
    if v is None:
        return None
    if isinstance(dt, T.StringType) and not isinstance(v, str):
        return json.dumps(v, separators=(",", ":")) if isinstance(v, (dict, list)) else \
            (str(v).lower() if isinstance(v, bool) else str(v))
    if isinstance(dt, T.StructType) and isinstance(v, dict):
        return {f.name: _coerce_json(v.get(f.name), f.dataType) for f in dt.fields}
    if isinstance(dt, T.ArrayType) and isinstance(v, list):
        return [_coerce_json(x, dt.elementType) for x in v]
    if isinstance(dt, T.DoubleType) and isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    if isinstance(dt, T.LongType) and not isinstance(v, int):
        return None
    return v


def infer_json_schema(records: list[Any]) -> T.StructType:
    """Spark's JSON inference: fields sorted by name, integers long, numbers double."""
    merged: dict[str, T.DataType] = {}
    for r in records:
        if not isinstance(r, dict):
            continue
        for k, v in r.items():
            merged[k] = _merge(merged.get(k, T.NullType()), _json_type(v))
    return T.StructType([T.StructField(k, _finalize(merged[k]), True) for k in sorted(merged)])


def _json_type(v: Any) -> T.DataType:
    if v is None:
        return T.NullType()
    if isinstance(v, bool):
        return T.BooleanType()
    if isinstance(v, int):
        return T.LongType()
    if isinstance(v, float):
        return T.DoubleType()
    if isinstance(v, str):
        return T.StringType()
    if isinstance(v, list):
        el: T.DataType = T.NullType()
        for x in v:
            el = _merge(el, _json_type(x))
        return T.ArrayType(el, True)
    if isinstance(v, dict):
        return T.StructType([T.StructField(k, _json_type(x), True) for k, x in sorted(v.items())])
    return T.StringType()


def _merge(a: T.DataType, b: T.DataType) -> T.DataType:
    if isinstance(a, T.NullType):
        return b
    if isinstance(b, T.NullType) or a == b:
        return a
    if {type(a), type(b)} == {T.LongType, T.DoubleType}:
        return T.DoubleType()
    if isinstance(a, T.StructType) and isinstance(b, T.StructType):
        fields = {f.name: f.dataType for f in a.fields}
        for f in b.fields:
            fields[f.name] = _merge(fields.get(f.name, T.NullType()), f.dataType)
        return T.StructType([T.StructField(k, fields[k], True) for k in sorted(fields)])
    if isinstance(a, T.ArrayType) and isinstance(b, T.ArrayType):
        return T.ArrayType(_merge(a.elementType, b.elementType), True)
    return T.StringType()


def _finalize(dt: T.DataType) -> T.DataType:
    if isinstance(dt, T.NullType):
        return T.StringType()
    if isinstance(dt, T.ArrayType):
        return T.ArrayType(_finalize(dt.elementType), True)
    if isinstance(dt, T.StructType):
        return T.StructType([T.StructField(f.name, _finalize(f.dataType), True) for f in dt.fields])
    return dt

