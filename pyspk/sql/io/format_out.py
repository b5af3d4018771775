"""Rows formatted as CSV, JSON-lines and text bytes, a column at a time with Arrow kernels:
Spark's string forms per type (``true``, Java's ``1.0E10``, ``yyyy-MM-dd``,
``yyyy-MM-dd'T'HH:mm:ss.SSSXXX``), Spark's CSV quoting (``"`` quotes, ``\\`` escapes, quote only
when needed, empty string as ``""``, surrounding whitespace trimmed) and Jackson's JSON (null
fields left out, NaN/Infinity as strings)."""
from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import _java_double
from pyspk.sql.expressions.display import format_value
from pyspk.sql.io.datetime_text import format_dates, format_timestamps
from pyspk.sql.io.options import Options

_STR = pa.string()


def java_doubles(col: pa.Array) -> pa.Array:
    """Doubles as Java's ``Double.toString`` prints them; values needing scientific notation or
    special names go through Python (they are rare in practice)."""
    col = col.cast(pa.float64()) if pa.types.is_float16(col.type) else col
    text = col.cast(_STR)
    mag = pc.abs(col)
    plain = pc.and_(pc.is_finite(col), pc.or_(pc.equal(mag, 0), pc.and_(
        pc.greater_equal(mag, 1e-3), pc.less(mag, 1e7))))
    plain = pc.fill_null(plain, True)
    whole = pc.invert(pc.match_substring_regex(text, r"[.eEn]"))
    text = pc.if_else(pc.and_(plain, whole), pc.binary_join_element_wise(text, ".0", ""), text)
    text = pc.if_else(pc.equal(text, "-0.0"), "-0.0", text)
    if pc.all(plain).as_py():
        return text
    odd = pc.invert(plain)
    idx = pc.indices_nonzero(odd)
    fixed = pa.array([_java_double(v) for v in pc.take(col, idx).to_pylist()], _STR)
    return pc.replace_with_mask(text, odd, fixed)


def spark_strings(col: pa.Array, dt: T.DataType, o: Options, tz: str) -> pa.Array:
    """A column of atomic Spark type ``dt`` as the text Spark writes for it."""
    if isinstance(dt, T.StringType):
        return col.cast(_STR)
    if isinstance(dt, T.BooleanType):
        return pc.if_else(col, "true", "false")
    if isinstance(dt, (T.DoubleType, T.FloatType)):
        return java_doubles(col)
    if isinstance(dt, (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.DecimalType)):
        return col.cast(_STR)
    if isinstance(dt, T.DateType):
        return format_dates(col, o.get("dateFormat"))
    if isinstance(dt, T.TimestampType):
        return format_timestamps(col, o.get("timestampFormat"), tz)
    if isinstance(dt, T.TimestampNTZType):
        return format_timestamps(col, o.get("timestampNTZFormat"), None)
    return pa.array([None if v is None else format_value(v, dt) for v in col.to_pylist()], _STR)


def _to_bytes(lines: pa.Array, prefix: str = "", suffix: str = "\n") -> bytes:
    """Each line wrapped in ``prefix``/``suffix`` (default: ended by ``\n``), all joined as one
    bytes object straight from the Arrow buffers (no per-row Python)."""
    if len(lines) == 0:
        return b""
    ended = pc.binary_join_element_wise(prefix, lines, suffix, "")
    if ended.offset:
        ended = pa.concat_arrays([ended])
    width = np.int64 if pa.types.is_large_string(ended.type) else np.int32
    offs = np.frombuffer(ended.buffers()[1], dtype=width, count=len(ended) + 1)
    return ended.buffers()[2].to_pybytes()[offs[0]:offs[-1]]


def _check_csv_type(dt: T.DataType, name: str) -> None:
    if isinstance(dt, (T.StructType, T.ArrayType, T.MapType, T.BinaryType)):
        raise AnalysisException(
            f"[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The CSV datasource doesn't support the column "
            f"`{name}` of the type \"{dt.simpleString().upper()}\". SQLSTATE: 0A000",
            errorClass="UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE",
            messageParameters={"columnName": f"`{name}`", "columnType": dt.simpleString().upper(),
                               "format": "CSV"})


def check_writable(fmt: str, schema: T.StructType) -> None:
    """The errors Spark raises before writing a schema a format cannot hold."""
    if fmt == "csv":
        for f in schema.fields:
            _check_csv_type(f.dataType, f.name)
    if fmt == "text":
        if len(schema.fields) != 1:
            raise AnalysisException(
                f"[_LEGACY_ERROR_TEMP_1331] Text data source supports only a single column, and "
                f"you have {len(schema.fields)} columns.")
        if not isinstance(schema.fields[0].dataType, T.StringType):
            raise AnalysisException(
                f"[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The Text datasource doesn't support the "
                f"column `{schema.fields[0].name}` of the type "
                f"\"{schema.fields[0].dataType.simpleString().upper()}\". SQLSTATE: 0A000",
                errorClass="UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE")


class CsvFormat:
    """Spark's CSV writer options resolved once per write."""

    def __init__(self, options: dict[str, str], tz: str) -> None:
        o = Options(options)
        self.o = o
        self.tz = tz
        self.sep = o.char("sep", ",") if o.get("sep") is not None else o.char("delimiter", ",")
        self.quote = o.char("quote", '"') or ""
        self.escape = o.char("escape", "\\") or ""
        self.null = o.get("nullValue", default="") or ""
        self.empty = o.get("emptyValue", default=None)
        self.quote_all = o.flag("quoteAll")
        self.lead = o.flag("ignoreLeadingWhiteSpace", True)
        self.trail = o.flag("ignoreTrailingWhiteSpace", True)
        self.header = o.flag("header")
        specials = re.escape(f"{self.sep}{self.quote}") + r"\r\n"
        self._needs = f"[{specials}]"
        self._odd_chars = any(c.isalnum() or c in "-:.+ " for c in f"{self.sep}{self.quote}")

    def field(self, text: pa.Array, is_string: bool) -> pa.Array:
        """Text values quoted and escaped as a CSV field; NULL as ``nullValue``. Only strings
        can hold separators, quotes or line ends (unless those are digits or punctuation that
        numbers and datetimes print), so other columns skip the checks."""
        if not is_string and not self.quote_all and not self._odd_chars:
            return pc.fill_null(text, self.null)
        if is_string:
            if self.lead:
                text = pc.utf8_ltrim(text, " \t")
            if self.trail:
                text = pc.utf8_rtrim(text, " \t")
        if self.quote:
            needs = pa.scalar(True) if self.quote_all else pc.match_substring_regex(text, self._needs)
            if self.quote_all or pc.any(needs).as_py():
                inner = pc.replace_substring(text, self.quote, self.escape + self.quote) \
                    if self.escape else text
                quoted = pc.binary_join_element_wise(self.quote, inner, self.quote, "")
                text = pc.if_else(needs, quoted, text)
            empty = self.empty if self.empty is not None else self.quote * 2
            text = pc.if_else(pc.equal(text, ""), empty, text)
        return pc.fill_null(text, self.null)

    def header_line(self, names: list[str]) -> bytes:
        cols = self.field(pa.array(names, _STR), True)
        return (self.sep.join(cols.to_pylist()) + "\n").encode("utf-8")

    def lines(self, table: pa.Table, schema: T.StructType) -> bytes:
        cols = []
        for f, col in zip(schema.fields, table.columns):
            text = spark_strings(col.combine_chunks(), f.dataType, self.o, self.tz)
            cols.append(self.field(text, isinstance(f.dataType, T.StringType)))
        if not cols or table.num_rows == 0:
            return b"\n" * table.num_rows
        line = pc.binary_join_element_wise(*cols, self.sep) if len(cols) > 1 else cols[0]
        return _to_bytes(line)


_ESCAPES = [("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"),
            ("\b", "\\b"), ("\f", "\\f")]


def json_escape(text: pa.Array) -> pa.Array:
    """String contents escaped as inside a JSON string literal (Jackson's escaping; non-ASCII
    kept as is); the quotes themselves are added by the caller."""
    special = pc.match_substring_regex(text, r'[\x00-\x1f"\\]')
    if not pc.any(special).as_py():
        return text
    for a, b in _ESCAPES:
        text = pc.replace_substring(text, a, b)
    ctrl = pc.match_substring_regex(text, r"[\x00-\x1f]")
    if pc.any(ctrl).as_py():
        idx = pc.indices_nonzero(ctrl)
        fixed = [re.sub(r"[\x00-\x1f]", lambda m: f"\\u{ord(m.group()):04X}", v)
                 for v in pc.take(text, idx).to_pylist()]
        text = pc.replace_with_mask(text, ctrl, pa.array(fixed, _STR))
    return text


def _json_values(col: pa.Array, dt: T.DataType, o: Options, tz: str) -> tuple[pa.Array, bool]:
    """A column's JSON value texts, and whether they still need surrounding quotes."""
    if isinstance(dt, (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.DecimalType,
                       T.BooleanType)):
        return spark_strings(col, dt, o, tz), False
    if isinstance(dt, (T.DoubleType, T.FloatType)):
        text = java_doubles(col)
        special = pc.is_in(text, pa.array(["NaN", "Infinity", "-Infinity"]))
        if pc.any(special).as_py():
            text = pc.if_else(special, pc.binary_join_element_wise('"', text, '"', ""), text)
        return text, False
    if isinstance(dt, T.StringType):
        return json_escape(col.cast(_STR)), True
    if isinstance(dt, (T.DateType, T.TimestampType, T.TimestampNTZType)):
        return spark_strings(col, dt, o, tz), True
    return pa.array([None if v is None else json.dumps(_jsonable(v, dt), separators=(",", ":"),
                                                      ensure_ascii=False)
                     for v in col.to_pylist()], _STR), False


def _jsonable(v: Any, dt: T.DataType) -> Any:
    """A nested value as Jackson writes it (struct fields that are null left out)."""
    if v is None:
        return None
    if isinstance(dt, T.StructType):
        items = v.items() if isinstance(v, dict) else zip(dt.names, v)
        types = {f.name: f.dataType for f in dt.fields}
        return {k: _jsonable(x, types.get(k, T.StringType())) for k, x in items if x is not None}
    if isinstance(dt, T.ArrayType):
        return [_jsonable(x, dt.elementType) for x in v]
    if isinstance(dt, T.MapType):
        pairs = v.items() if isinstance(v, dict) else v
        return {format_value(k, dt.keyType): _jsonable(x, dt.valueType) for k, x in pairs}
    if isinstance(dt, (T.DoubleType, T.FloatType)):
        return v if v == v and v not in (float("inf"), float("-inf")) else _java_double(v)
    if isinstance(dt, (T.BooleanType, T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.StringType)):
        return v
    if isinstance(dt, T.DecimalType):
        return float(v)
    if isinstance(dt, T.BinaryType):
        import base64
        return base64.b64encode(bytes(v)).decode("ascii")
    return format_value(v, dt)


def json_lines(table: pa.Table, schema: T.StructType, options: dict[str, str], tz: str) -> bytes:
    """One JSON object per row, fields in schema order, NULL fields left out."""
    o = Options(options)
    keep_nulls = not o.flag("ignoreNullFields", True)
    frags = []
    for f, col in zip(schema.fields, table.columns):
        vals, quoted = _json_values(col.combine_chunks(), f.dataType, o, tz)
        key = json.dumps(f.name, ensure_ascii=False) + ":"
        frag = pc.binary_join_element_wise(key + '"', vals, '"', "") if quoted else \
            pc.binary_join_element_wise(key, vals, "")
        if keep_nulls:
            frag = pc.fill_null(frag, key + "null")
        frags.append(frag)
    if table.num_rows == 0:
        return b""
    if not frags:
        return b"{}\n" * table.num_rows
    body = pc.binary_join_element_wise(*frags, ",", null_handling="skip") if len(frags) > 1 \
        else frags[0]
    return _to_bytes(pc.fill_null(body, ""), "{", "}\n")


def text_lines(table: pa.Table) -> bytes:
    """The single string column, one value per line (NULL as an empty line)."""
    if table.num_rows == 0:
        return b""
    return _to_bytes(pc.fill_null(table.column(0).combine_chunks().cast(_STR), ""))
