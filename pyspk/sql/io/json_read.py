"""JSON-lines (and ``multiLine``) files read with Spark's schema inference: objects become rows,
fields sorted by name, integers ``bigint`` (wider ones ``decimal``), other numbers ``double``,
strings never inferred as dates or timestamps, conflicting types widened to ``string``. Clean
files go through pyarrow's JSON reader (inference pass, then a typed read); malformed lines,
type conflicts and the options that need the token text (``primitivesAsString``,
``prefersDecimal``, comments, …) take the record-at-a-time path, which also fills
``columnNameOfCorruptRecord`` and applies the parse mode."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from pyspk.errors import SparkException
from pyspk.sql import types as T
from pyspk.sql._arrow_types import column_from_python, from_arrow_type, to_arrow_type
from pyspk.sql.io.csv_read import file_uri
from pyspk.sql.io.datetime_text import parse_dates, parse_timestamps
from pyspk.sql.io.options import Options

_RECORD_OPTIONS = ("primitivesAsString", "prefersDecimal", "allowComments", "allowSingleQuotes",
                   "allowUnquotedFieldNames", "allowNumericLeadingZeros",
                   "allowBackslashEscapingAnyCharacter", "allowNonNumericNumbers", "multiLine")
_BAD = object()


def _needs_records(o: Options) -> bool:
    return any(o.flag(n) for n in _RECORD_OPTIONS) or (o.get("encoding") or "utf-8").lower() \
        .replace("-", "") != "utf8"


def read_json_bytes(data: bytes, path: str, schema: T.StructType | None, options: dict[str, str],
                    session_tz: str = "UTC") -> pa.Table:
    """One JSON file (or line-aligned range of one) as a table of ``schema`` (inferred if None)."""
    o = Options(options)
    if not _needs_records(o):
        fast = _read_arrow(data, schema, o, session_tz)
        if fast is not None:
            return fast
    return _read_records(data, path, schema, o, session_tz)


def _read_arrow(data: bytes, schema: T.StructType | None, o: Options,
                session_tz: str) -> pa.Table | None:
    """The file through pyarrow's JSON reader, or None when only the record path can read it
    the way Spark does (malformed lines, conflicting types, integers beyond bigint, …)."""
    corrupt = o.corrupt_column()
    try:
        table = None
        if schema is None:
            table = pj.read_json(pa.BufferReader(data))
            if _big_ints_as_doubles(table):
                return None
            schema = T.StructType(sorted(
                (T.StructField(f.name, _spark_type(f.type), True) for f in table.schema),
                key=lambda f: f.name))
            if o.flag("dropFieldIfAllNull"):
                schema = T.StructType([f for f in schema.fields if not isinstance(f.dataType, T.NullType)])
            schema = _finalize(schema)
        read_fields = [f for f in schema.fields if f.name != corrupt]
        explicit = pa.schema([pa.field(f.name, _read_type(f.dataType)) for f in read_fields])
        if table is None or any(table.schema.field(f.name).type != f.type for f in explicit):
            # A second, typed pass: inferred timestamps must stay strings, nested fields sorted.
            table = pj.read_json(pa.BufferReader(data), parse_options=pj.ParseOptions(
                explicit_schema=explicit, unexpected_field_behavior="ignore"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None
    cols = []
    for f in schema.fields:
        if f.name == corrupt:
            cols.append(pa.nulls(table.num_rows, pa.string()))
            continue
        col = table.column(f.name) if f.name in table.column_names else \
            pa.nulls(table.num_rows, _read_type(f.dataType))
        if isinstance(f.dataType, T.DateType):
            col = parse_dates(col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col,
                              o.get("dateFormat"))
        elif isinstance(f.dataType, (T.TimestampType, T.TimestampNTZType)):
            col = _timestamps(col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col,
                              f.dataType, o, session_tz)
        cols.append(col.cast(to_arrow_type(f.dataType)))
    return pa.Table.from_arrays(cols, names=[f.name for f in schema.fields])


def _big_ints_as_doubles(table: pa.Table) -> bool:
    """Whether a double column holds only whole numbers, some beyond bigint: pyarrow read
    19+-digit integers Spark infers as ``decimal``."""
    for col in table.columns:
        if pa.types.is_floating(col.type) and col.null_count < len(col):
            big = pc.max(pc.abs(col)).as_py()
            if big is not None and big >= 9.2e18 and \
                    pc.all(pc.equal(pc.floor(col), col)).as_py() is not False:
                return True
    return False


def _timestamps(col: pa.Array, dt: T.DataType, o: Options, session_tz: str) -> pa.Array:
    if isinstance(dt, T.TimestampType):
        return parse_timestamps(col, o.get("timestampFormat"), session_tz)
    return parse_timestamps(col, o.get("timestampNTZFormat"), None)


def _read_type(dt: T.DataType, nested: bool = False) -> pa.DataType:
    """The Arrow type pyarrow parses a field as before the Spark conversion (dates and
    timestamps as text at the top level; types only the record path handles raise)."""
    if isinstance(dt, (T.DateType, T.TimestampType, T.TimestampNTZType)) and not nested:
        return pa.string()
    if isinstance(dt, T.StructType):
        return pa.struct([pa.field(f.name, _read_type(f.dataType, True)) for f in dt.fields])
    if isinstance(dt, T.ArrayType):
        return pa.list_(_read_type(dt.elementType, True))
    if isinstance(dt, (T.MapType, T.DecimalType, T.BinaryType, T.DateType, T.TimestampType,
                       T.TimestampNTZType, T.NullType)):
        raise pa.ArrowNotImplementedError("record path")
    return to_arrow_type(dt)


def _spark_type(at: pa.DataType) -> T.DataType:
    if pa.types.is_timestamp(at) or pa.types.is_date(at) or pa.types.is_time(at):
        return T.StringType()
    if pa.types.is_struct(at):
        return T.StructType(sorted((T.StructField(f.name, _spark_type(f.type), True) for f in at),
                                   key=lambda f: f.name))
    if pa.types.is_list(at):
        return T.ArrayType(_spark_type(at.value_type), True)
    if pa.types.is_null(at):
        return T.NullType()
    if pa.types.is_integer(at):
        return T.LongType()
    return from_arrow_type(at)


def _read_records(data: bytes, path: str, schema: T.StructType | None, o: Options,
                  session_tz: str) -> pa.Table:
    mode = o.mode
    corrupt = o.corrupt_column()
    given = schema is not None
    records, bad, texts = _parse_records(data, o, mode, given, path)
    if schema is None:
        schema = infer_schema(records, o)
        if any(b is not None for b in bad):
            schema = T.StructType(sorted(schema.fields + [T.StructField(corrupt, T.StringType(), True)],
                                         key=lambda f: f.name))
    fields = [f for f in schema.fields if f.name != corrupt]
    values: dict[str, list[Any]] = {f.name: [] for f in fields}
    keep: list[bool] = []
    for i, r in enumerate(records):
        row_bad = bad[i] is not None
        out = {}
        for f in fields:
            v = _coerce(r.get(f.name) if isinstance(r, dict) else None, f.dataType, o)
            if v is _BAD:
                row_bad, v = True, None
            out[f.name] = v
        if row_bad and bad[i] is None:
            bad[i] = texts[i]
        if row_bad and mode == "FAILFAST":
            raise SparkException(
                f"[FAILED_READ_FILE.NO_HINT] Encountered error while reading file {file_uri(path)}.  "
                f"SQLSTATE: KD001\nCaused by: [MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] "
                f"Malformed records are detected in record parsing: [null].\nParse Mode: FAILFAST. "
                f"To process malformed records as null result, try setting the option 'mode' as "
                f"'PERMISSIVE'.  SQLSTATE: 22023", errorClass="FAILED_READ_FILE.NO_HINT")
        keep.append(not (row_bad and mode == "DROPMALFORMED"))
        for f in fields:
            values[f.name].append(out[f.name])
    cols = []
    for f in schema.fields:
        if f.name == corrupt:
            cols.append(pa.array([b for b, k in zip(bad, keep) if k], pa.string()))
            continue
        vals = [v for v, k in zip(values[f.name], keep) if k]
        if isinstance(f.dataType, (T.DateType, T.TimestampType, T.TimestampNTZType)):
            text = pa.array([v if isinstance(v, str) else None for v in vals], pa.string())
            cols.append(parse_dates(text, o.get("dateFormat")) if isinstance(f.dataType, T.DateType)
                        else _timestamps(text, f.dataType, o, session_tz))
        else:
            cols.append(column_from_python(vals, f.dataType))
    return pa.Table.from_arrays(cols, schema=pa.schema(
        [pa.field(f.name, to_arrow_type(f.dataType)) for f in schema.fields]))


def _parse_records(data: bytes, o: Options, mode: str, given: bool,
                   path: str) -> tuple[list[Any], list[str | None], list[str]]:
    """Each record (a dict; empty when malformed), its text when malformed, and its text."""
    enc = o.get("encoding", default="utf-8") or "utf-8"
    text = data.decode(enc)
    loads = _loader(o)
    chunks = [text] if o.flag("multiLine") else [ln for ln in re.split(r"\r?\n", text) if ln.strip()]
    records: list[Any] = []
    bad: list[str | None] = []
    texts: list[str] = []
    for chunk in chunks:
        try:
            obj = loads(chunk)
        except (ValueError, RecursionError):
            obj = _BAD
        items = obj if isinstance(obj, list) and obj and all(isinstance(x, dict) for x in obj) \
            else [obj]
        for item in items:
            texts.append(chunk.strip())
            if isinstance(item, dict):
                records.append(item)
                bad.append(None)
                continue
            if mode == "FAILFAST" and not given:
                raise SparkException(
                    "[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are "
                    f"detected in record parsing: {o.corrupt_column()}.\nParse Mode: FAILFAST. To "
                    "process malformed records as null result, try setting the option 'mode' as "
                    "'PERMISSIVE'.  SQLSTATE: 22023",
                    errorClass="MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION")
            records.append({})
            bad.append(chunk.strip())
    return records, bad, texts


def _loader(o: Options) -> Any:
    as_string = o.flag("primitivesAsString")
    as_decimal = o.flag("prefersDecimal")
    comments = o.flag("allowComments")

    def parse_float(s: str) -> Any:
        return _Num(s) if as_string else (Decimal(s) if as_decimal else float(s))

    def parse_int(s: str) -> Any:
        return _Num(s) if as_string else int(s)

    def loads(s: str) -> Any:
        if comments:
            s = re.sub(r"/\*.*?\*/", "", s, flags=re.DOTALL)
            s = re.sub(r"//[^\n]*", "", s)
        if o.flag("allowSingleQuotes", True) and "'" in s and '"' not in s:
            s = s.replace("'", '"')
        return decoder.raw_decode(s.lstrip())[0]
    decoder = json.JSONDecoder(parse_float=parse_float, parse_int=parse_int,
                               parse_constant=lambda c: float(c))
    return loads


class _Num(str):
    """A number's token text (``primitivesAsString``)."""


def infer_schema(records: list[Any], o: Options | None = None) -> T.StructType:
    """Spark's JSON schema over parsed records: fields sorted by name at every level."""
    o = o or Options({})
    merged: dict[str, T.DataType] = {}
    for r in records:
        if isinstance(r, dict):
            for k, v in r.items():
                merged[k] = _merge(merged.get(k, T.NullType()), _json_type(v, o))
    fields = [T.StructField(k, merged[k], True) for k in sorted(merged)]
    if o.flag("dropFieldIfAllNull"):
        fields = [f for f in fields if not isinstance(f.dataType, T.NullType)]
    return _finalize(T.StructType(fields))


def _json_type(v: Any, o: Options) -> T.DataType:
    if v is None:
        return T.NullType()
    if isinstance(v, _Num) or (isinstance(v, bool) and o.flag("primitivesAsString")):
        return T.StringType()
    if isinstance(v, bool):
        return T.BooleanType()
    if isinstance(v, int):
        if -2 ** 63 <= v < 2 ** 63:
            return T.LongType()
        digits = len(str(abs(v)))
        return T.DecimalType(digits, 0) if digits <= 38 else T.DoubleType()
    if isinstance(v, Decimal):
        _, digits, exp = v.as_tuple()
        scale = max(0, -int(exp))
        prec = max(len(digits), scale)
        return T.DecimalType(prec, scale) if prec <= 38 else T.DoubleType()
    if isinstance(v, float):
        return T.DoubleType()
    if isinstance(v, str):
        return T.StringType()
    if isinstance(v, list):
        el: T.DataType = T.NullType()
        for x in v:
            el = _merge(el, _json_type(x, o))
        return T.ArrayType(el, True)
    if isinstance(v, dict):
        return T.StructType([T.StructField(k, _json_type(x, o), True) for k, x in sorted(v.items())])
    return T.StringType()


def _merge(a: T.DataType, b: T.DataType) -> T.DataType:
    if isinstance(a, T.NullType):
        return b
    if isinstance(b, T.NullType) or a == b:
        return a
    kinds = {type(a), type(b)}
    if kinds <= {T.LongType, T.DoubleType, T.DecimalType}:
        if T.DoubleType in kinds:
            return T.DoubleType()
        da, db = (x if isinstance(x, T.DecimalType) else T.DecimalType(20, 0) for x in (a, b))
        scale = max(da.scale, db.scale)
        prec = max(da.precision - da.scale, db.precision - db.scale) + scale
        return T.DecimalType(prec, scale) if prec <= 38 else T.DoubleType()
    if isinstance(a, T.StructType) and isinstance(b, T.StructType):
        fields = {f.name: f.dataType for f in a.fields}
        for f in b.fields:
            fields[f.name] = _merge(fields.get(f.name, T.NullType()), f.dataType)
        return T.StructType([T.StructField(k, fields[k], True) for k in sorted(fields)])
    if isinstance(a, T.ArrayType) and isinstance(b, T.ArrayType):
        return T.ArrayType(_merge(a.elementType, b.elementType), True)
    return T.StringType()


def _finalize(dt: Any) -> Any:
    if isinstance(dt, T.NullType):
        return T.StringType()
    if isinstance(dt, T.ArrayType):
        return T.ArrayType(_finalize(dt.elementType), True)
    if isinstance(dt, T.StructType):
        return T.StructType([T.StructField(f.name, _finalize(f.dataType), True) for f in dt.fields])
    return dt


def _coerce(v: Any, dt: T.DataType, o: Options) -> Any:
    """A parsed JSON value as a Python value of Spark type ``dt`` (``_BAD``: does not fit)."""
    if v is None:
        return None
    if isinstance(dt, T.StringType):
        if isinstance(v, str):
            return str(v)
        if isinstance(v, (dict, list)):
            return json.dumps(v, separators=(",", ":"), default=str)
        return str(v).lower() if isinstance(v, bool) else str(v)
    if isinstance(v, _Num):
        v = json.loads(v) if not isinstance(dt, T.DecimalType) else Decimal(v)
    if isinstance(dt, T.StructType):
        if not isinstance(v, dict):
            return _BAD
        out = {f.name: _coerce(v.get(f.name), f.dataType, o) for f in dt.fields}
        return _BAD if any(x is _BAD for x in out.values()) else out
    if isinstance(dt, T.ArrayType):
        if not isinstance(v, list):
            return _BAD
        out_l = [_coerce(x, dt.elementType, o) for x in v]
        return _BAD if any(x is _BAD for x in out_l) else out_l
    if isinstance(dt, T.MapType):
        if not isinstance(v, dict):
            return _BAD
        return {k: _coerce(x, dt.valueType, o) for k, x in v.items()}
    if isinstance(dt, T.BooleanType):
        return v if isinstance(v, bool) else _BAD
    if isinstance(v, bool):
        return _BAD
    if isinstance(dt, (T.ByteType, T.ShortType, T.IntegerType, T.LongType)):
        if isinstance(v, int):
            bits = {T.ByteType: 8, T.ShortType: 16, T.IntegerType: 32, T.LongType: 64}[type(dt)]
            return v if -2 ** (bits - 1) <= v < 2 ** (bits - 1) else _BAD
        return _BAD
    if isinstance(dt, (T.DoubleType, T.FloatType)):
        if isinstance(v, (int, float, Decimal)):
            return float(v)
        if isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"):
            return float(v.replace("Infinity", "inf"))
        return _BAD
    if isinstance(dt, T.DecimalType):
        if isinstance(v, (int, float, Decimal)):
            d = Decimal(str(v)).quantize(Decimal(1).scaleb(-dt.scale))
            return d if len(d.as_tuple().digits) <= dt.precision else _BAD
        return _BAD
    if isinstance(dt, (T.DateType, T.TimestampType, T.TimestampNTZType)):
        return v if isinstance(v, str) else _BAD
    return v
