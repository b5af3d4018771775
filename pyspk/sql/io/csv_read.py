"""CSV files read as Spark reads them. pyarrow's parser splits fields (all as strings); rows with
the wrong number of fields come back through ``invalid_row_handler`` and are put back in file
order; each column is converted to its Spark type, and a value that does not convert makes its
row malformed too. The parse mode then decides: PERMISSIVE keeps the row (missing/bad fields
NULL, the line in ``columnNameOfCorruptRecord`` when the schema has that column),
DROPMALFORMED drops it, FAILFAST raises naming the file."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from pyspk.errors import IllegalArgumentException, SparkException
from pyspk.sql import types as T
from pyspk.sql._arrow_types import to_arrow_type
from pyspk.sql.io.datetime_text import parse_dates, parse_timestamps
from pyspk.sql.io.options import Options, check_sep


@dataclass
class _Dialect:
    sep: str
    quote: str | None
    escape: str | None
    multiline: bool
    header: bool
    lead_ws: bool
    trail_ws: bool

    @classmethod
    def of(cls, o: Options) -> _Dialect:
        quote = o.char("quote", '"')
        escape = o.char("escape", "\\")
        return cls(check_sep(o.char("sep", ",") if o.get("sep") is not None
                             else o.char("delimiter", ",")),
                   quote, escape if escape != quote else None, o.flag("multiLine"), o.flag("header"),
                   o.flag("ignoreLeadingWhiteSpace"), o.flag("ignoreTrailingWhiteSpace"))


@dataclass
class _Parsed:
    """Fields of every record as strings, in file order, with the records that had the wrong
    field count (their line text; their missing fields are NULL)."""
    columns: list[pa.Array]
    bad_text: dict[int, str] = field(default_factory=dict)
    header: list[str] | None = None


def prepare_text(data: bytes, o: Options) -> bytes:
    """Raw file bytes as UTF-8 with ``\\n`` line ends and without comment lines."""
    enc = (o.get("encoding", "charset", default="UTF-8") or "UTF-8")
    if enc.replace("-", "").lower() not in ("utf8",):
        data = data.decode(enc).encode("utf-8")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    sep = o.get("lineSep")
    if sep and sep not in ("\n", "\r\n", "\r"):
        data = data.replace(sep.encode("utf-8"), b"\n")
    comment = o.get("comment")
    if comment and comment != "\u0000":
        mark = comment.encode("utf-8")
        data = b"\n".join(line for line in data.split(b"\n") if not line.startswith(mark))
    return data


def _python_rows(data: bytes, d: _Dialect) -> list[list[str]]:
    """Records by Python's csv module: the fallback for multi-line files with malformed rows."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=d.sep,
                        quotechar=d.quote or '"', escapechar=d.escape, doublequote=True,
                        quoting=csv.QUOTE_MINIMAL if d.quote else csv.QUOTE_NONE)
    return [r for r in reader if r and r != [""]]


def parse_strings(data: bytes, width: int | None, d: _Dialect, skip_header: bool) -> _Parsed:
    """Split ``data`` into ``width`` string columns (None: as many as the first record has)."""
    if width is None:
        first = _python_rows(_first_record(data), d)
        width = len(first[0]) if first else 0
    if width == 0:
        return _Parsed([])
    bad: list[tuple[int, str]] = []

    def handler(row: pcsv.InvalidRow) -> str:
        bad.append((row.number, row.text))
        return "skip"

    def read(threads: bool) -> pa.Table:
        names = [f"c{i}" for i in range(width)]
        return pcsv.read_csv(
            pa.BufferReader(data),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=1 if skip_header else 0,
                                          use_threads=threads, block_size=1 << 24),
            parse_options=pcsv.ParseOptions(
                delimiter=d.sep, quote_char=d.quote or False, escape_char=d.escape or False,
                double_quote=True, newlines_in_values=d.multiline, invalid_row_handler=handler),
            convert_options=pcsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, null_values=[""],
                strings_can_be_null=True, quoted_strings_can_be_null=False))

    table = read(True)
    if not bad:
        return _Parsed([c.combine_chunks() for c in table.columns])
    if d.multiline:
        return _from_python(_python_rows(data, d)[1 if skip_header else 0:], width, d)
    bad.clear()
    table = read(False)
    first = 2 if skip_header else 1
    positions = {num - first: text for num, text in bad}
    bad_rows = _python_rows("\n".join(positions.values()).encode("utf-8"), d)
    return _interleave(table, positions, bad_rows, width)


def _first_record(data: bytes) -> bytes:
    for line in data.split(b"\n", 64)[:64]:
        if line.strip(b"\r"):
            return line
    return b""


def _interleave(table: pa.Table, positions: dict[int, str], bad_rows: list[list[str]],
                width: int) -> _Parsed:
    total = table.num_rows + len(positions)
    is_bad = np.zeros(total, dtype=bool)
    bad_pos = np.fromiter(positions.keys(), dtype=np.int64, count=len(positions))
    is_bad[bad_pos] = True
    order = np.argsort(np.concatenate([np.flatnonzero(~is_bad), bad_pos]), kind="stable")
    cols = []
    for i in range(width):
        extra = pa.array([r[i] if i < len(r) else None for r in bad_rows], pa.string())
        cols.append(pa.concat_arrays([table.column(i).combine_chunks(), extra]).take(pa.array(order)))
    return _Parsed(cols, dict(positions))


def _from_python(rows: list[list[str]], width: int, d: _Dialect) -> _Parsed:
    bad = {i: d.sep.join(r) for i, r in enumerate(rows) if len(r) != width}
    cols = [pa.array([(r[i] or None) if i < len(r) else None for r in rows], pa.string())
            for i in range(width)]
    return _Parsed(cols, bad)


def _clean(col: pa.Array, d: _Dialect, o: Options, null_value: str) -> pa.Array:
    if d.lead_ws:
        col = pc.utf8_ltrim_whitespace(col)
    if d.trail_ws:
        col = pc.utf8_rtrim_whitespace(col)
    empty = o.get("emptyValue", default="")
    if empty != "":
        col = pc.if_else(pc.equal(col, ""), empty, col)
    return pc.if_else(pc.equal(col, null_value), pa.scalar(None, pa.string()), col)


def convert(col: pa.Array, dt: T.DataType, o: Options, session_tz: str) -> pa.Array:
    """Strings as Spark type ``dt`` the way the CSV parser converts them (NULL: not convertible)."""
    target = to_arrow_type(dt)
    if isinstance(dt, T.StringType):
        return col
    fast = _strict_cast(col, target) if isinstance(
        dt, (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.DoubleType, T.FloatType)) else None
    if fast is not None:
        return fast
    if isinstance(dt, (T.ByteType, T.ShortType, T.IntegerType, T.LongType)):
        ok = pc.match_substring_regex(col, r"^[+-]?\d{1,38}$")
        dec = pc.if_else(ok, col, pa.scalar(None, pa.string())).cast(pa.decimal128(38, 0))
        info = np.iinfo(target.to_pandas_dtype())
        fits = pc.and_(pc.greater_equal(dec, pa.scalar(int(info.min)).cast(pa.decimal128(38, 0))),
                       pc.less_equal(dec, pa.scalar(int(info.max)).cast(pa.decimal128(38, 0))))
        return pc.if_else(fits, dec, pa.scalar(None, dec.type)).cast(target)
    if isinstance(dt, (T.DoubleType, T.FloatType)):
        specials = {o.get("nanValue", default="NaN"): "NaN",
                    o.get("positiveInf", default="Inf"): "inf", "Infinity": "inf", "+Infinity": "inf",
                    o.get("negativeInf", default="-Inf"): "-inf", "-Infinity": "-inf"}
        for k, v in specials.items():
            col = pc.if_else(pc.equal(col, k), v, col)
        ok = pc.match_substring_regex(
            col, r"^\s*([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?|NaN|[+-]?inf)\s*$")
        clean = pc.replace_substring_regex(pc.utf8_trim_whitespace(col), r"[dDfF]$", "")
        return pc.if_else(ok, clean, pa.scalar(None, pa.string())).cast(target)
    if isinstance(dt, T.DecimalType):
        ok = pc.match_substring_regex(col, r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
        num = pc.if_else(ok, pc.utf8_trim_whitespace(col), pa.scalar(None, pa.string()))
        try:
            return num.cast(pa.decimal128(38, dt.scale)).cast(target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            from pyspk.sql.expressions.cast import cast_value
            return cast_value(num, T.StringType(), dt, ansi=False)
    if isinstance(dt, T.BooleanType):
        low = pc.utf8_lower(col)
        return pc.if_else(pc.equal(low, "true"), True,
                          pc.if_else(pc.equal(low, "false"), False, pa.scalar(None, pa.bool_())))
    if isinstance(dt, T.DateType):
        return parse_dates(col, o.get("dateFormat"))
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType)):
        if isinstance(dt, T.TimestampType):
            return parse_timestamps(col, o.get("timestampFormat"), session_tz)
        return parse_timestamps(col, o.get("timestampNTZFormat"), None)
    from pyspk.sql.expressions.cast import cast_value
    return cast_value(col, T.StringType(), dt, ansi=False)


def _strict_cast(col: pa.Array, target: pa.DataType) -> pa.Array | None:
    """Arrow's own parse when every value is in its canonical form (the common case), else None
    (the value-by-value rules then decide which values are malformed)."""
    try:
        return col.cast(target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def infer_type(col: pa.Array, o: Options, session_tz: str) -> T.DataType:
    """Spark's CSV type inference over one column of strings: the narrowest of int, bigint,
    decimal (whole numbers beyond bigint), double, boolean, date, timestamp, else string."""
    vals = col.drop_null() if col.null_count else col
    if len(vals) == 0:
        return T.StringType()

    def all_ok(dt: T.DataType) -> bool:
        return convert(vals, dt, o, session_tz).null_count == 0

    if pc.all(pc.match_substring_regex(vals, r"^[+-]?\d+$")).as_py():
        for dt in (T.IntegerType(), T.LongType()):
            if all_ok(dt):
                return dt
        digits = pc.max(pc.utf8_length(pc.replace_substring_regex(vals, r"^[+-]", ""))).as_py()
        if digits <= 38:
            return T.DecimalType(digits, 0)
    if o.flag("prefersDecimal") and pc.all(pc.match_substring_regex(
            vals, r"^[+-]?\d+\.\d+$")).as_py():
        parts = pc.split_pattern(pc.replace_substring_regex(vals, r"^[+-]", ""), ".")
        whole = pc.max(pc.utf8_length(pc.list_element(parts, 0))).as_py()
        scale = pc.max(pc.utf8_length(pc.list_element(parts, 1))).as_py()
        if whole + scale <= 38:
            return T.DecimalType(whole + scale, scale)
    for dt in (T.DoubleType(), T.BooleanType()):
        if all_ok(dt):
            return dt
    if o.flag("preferDate", True):
        plain_dates = pc.all(pc.match_substring_regex(vals, r"^\d{4}-\d{1,2}-\d{1,2}$")).as_py()
        if plain_dates if o.get("dateFormat") is None else all_ok(T.DateType()):
            return T.DateType()
    if pc.all(pc.match_substring_regex(vals, r"^\s*\d{4}-\d{1,2}-\d{1,2}[T ]\d")).as_py() \
            and all_ok(T.TimestampType()):
        return T.TimestampType()
    return T.StringType()


def read_csv_bytes(data: bytes, path: str, schema: T.StructType | None, options: dict[str, str],
                   session_tz: str = "UTC", first_split: bool = True) -> pa.Table:
    """One CSV file (or one line-aligned byte range of it) as a table of ``schema`` (inferred
    when None: ``_c0…`` or header names, strings unless ``inferSchema``)."""
    o = Options(options)
    d = _Dialect.of(o)
    data = prepare_text(data, o)
    null_value = o.get("nullValue", default="") or ""
    corrupt = o.corrupt_column()
    header_names: list[str] | None = None
    skip = d.header and first_split
    if schema is None:
        header_names = header_line(data, d) if d.header else None
        parsed = parse_strings(data, len(header_names) if header_names is not None else None, d, skip)
        cols = [_clean(c, d, o, null_value) for c in parsed.columns]
        names = header_names or [f"_c{i}" for i in range(len(cols))]
        infer = o.flag("inferSchema")
        fields = [T.StructField(n, infer_type(c, o, session_tz) if infer else T.StringType(), True)
                  for n, c in zip(_dedupe(names), cols)]
        schema = T.StructType(fields)
    data_fields = [f for f in schema.fields
                   if not (f.name == corrupt and isinstance(f.dataType, T.StringType))]
    if skip and not o.flag("enforceSchema", True):
        _check_header(header_line(data, d), data_fields, path)
    parsed = parse_strings(data, len(data_fields), d, skip) if data_fields else _Parsed([])
    return _assemble(parsed, schema, data_fields, d, o, null_value, corrupt, path, session_tz, data,
                     skip)


def header_line(data: bytes, d: _Dialect) -> list[str]:
    """The header record's names (whitespace-trimmed if the options ask for it)."""
    rows = _python_rows(_first_record(data), d)
    names = rows[0] if rows else []
    if d.lead_ws:
        names = [n.lstrip() for n in names]
    if d.trail_ws:
        names = [n.rstrip() for n in names]
    return names


def _dedupe(names: list[str]) -> list[str]:
    """Empty or repeated header names made unique as Spark does (name + index)."""
    low = [n.lower() for n in names]
    out = []
    for i, n in enumerate(names):
        if n == "" or n is None:
            out.append(f"_c{i}")
        elif low.count(n.lower()) > 1:
            out.append(f"{n}{i}")
        else:
            out.append(n)
    return out


def _check_header(names: list[str], fields: list[T.StructField], path: str) -> None:
    for n, f in zip(names, fields):
        if n != f.name:
            raise IllegalArgumentException(
                f"CSV header does not conform to the schema.\n Header: {', '.join(names)}\n "
                f"Schema: {', '.join(x.name for x in fields)}\nExpected: {f.name} but found: {n}\n"
                f"CSV file: {file_uri(path)}")


def file_uri(path: str) -> str:
    import os
    return "file://" + os.path.abspath(path)


def _assemble(parsed: _Parsed, schema: T.StructType, data_fields: list[T.StructField], d: _Dialect,
              o: Options, null_value: str, corrupt: str, path: str, session_tz: str, data: bytes,
              skip: bool) -> pa.Table:
    n = len(parsed.columns[0]) if parsed.columns else 0
    converted: dict[str, pa.Array] = {}
    failed = np.zeros(n, dtype=bool)
    for f, raw in zip(data_fields, parsed.columns):
        col = _clean(raw, d, o, null_value)
        out = convert(col, f.dataType, o, session_tz)
        lost = pc.and_(pc.is_valid(col), pc.is_null(out))
        if pc.any(lost).as_py():
            failed |= lost.to_numpy(zero_copy_only=False)
        converted[f.name] = out
    malformed = failed.copy()
    if parsed.bad_text:
        malformed[np.fromiter(parsed.bad_text.keys(), dtype=np.int64)] = True
    mode = o.mode
    if malformed.any():
        if mode == "FAILFAST":
            _fail_fast(path, int(np.flatnonzero(malformed)[0]), converted, data_fields)
        if mode == "DROPMALFORMED":
            keep = pa.array(~malformed)
            converted = {k: v.filter(keep) for k, v in converted.items()}
            n = int((~malformed).sum())
            malformed = np.zeros(n, dtype=bool)
    cols = []
    for f in schema.fields:
        if f.name in converted and not (f.name == corrupt and isinstance(f.dataType, T.StringType)
                                        and f not in data_fields):
            cols.append(converted[f.name])
        else:
            cols.append(_corrupt_texts(malformed, parsed.bad_text, data, d, skip)
                        if malformed.any() else pa.nulls(n, pa.string()))
    return pa.Table.from_arrays(cols, schema=pa.schema(
        [pa.field(f.name, to_arrow_type(f.dataType)) for f in schema.fields]))


def _corrupt_texts(malformed: np.ndarray, bad_text: dict[int, str], data: bytes, d: _Dialect,
                   skip: bool) -> pa.Array:
    """The record text of each malformed row (NULL for good rows)."""
    idx = np.flatnonzero(malformed)
    texts: dict[int, str] = {}
    missing = [i for i in idx.tolist() if i not in bad_text]
    if missing and not d.multiline:
        lines = [ln for ln in data.split(b"\n") if ln.strip(b"\r")]
        lines = lines[1:] if skip else lines
        texts = {i: lines[i].rstrip(b"\r").decode("utf-8") for i in missing}
    elif missing:
        rows = _python_rows(data, d)[1 if skip else 0:]
        texts = {i: d.sep.join(rows[i]) for i in missing}
    texts.update({i: t for i, t in bad_text.items() if malformed[i]})
    out = np.full(len(malformed), None, dtype=object)
    for i, t in texts.items():
        out[i] = t
    return pa.array(out, pa.string())


def _fail_fast(path: str, row: int, converted: dict[str, pa.Array], fields: list[T.StructField]) -> None:
    vals = ["null" if not converted[f.name][row].is_valid else str(converted[f.name][row].as_py())
            for f in fields]
    cause = (f"[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in "
             f"record parsing: [{','.join(vals)}].\nParse Mode: FAILFAST. To process malformed "
             f"records as null result, try setting the option 'mode' as 'PERMISSIVE'.  SQLSTATE: 22023")
    raise SparkException(
        f"[FAILED_READ_FILE.NO_HINT] Encountered error while reading file {file_uri(path)}.  "
        f"SQLSTATE: KD001\nCaused by: {cause}", errorClass="FAILED_READ_FILE.NO_HINT",
        messageParameters={"path": file_uri(path)})
