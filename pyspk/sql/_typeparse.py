"""Parse Spark type strings: ``int``, ``array<struct<a:int>>``, ``decimal(10,2)`` and DDL schemas
(``"id INT, name STRING NOT NULL"``) into ``pyspk.sql.types`` objects.

A type grammar is tiny (identifiers, ``<>``, ``()``, ``,``, ``:``), so a tokenizer plus a recursive
descent is clearer than going through a SQL parser.
"""
from __future__ import annotations

import re

from pyspk.errors import ParseException
from pyspk.sql import types as T

_TOKEN = re.compile(r"\s*(`(?:[^`]|``)*`|[A-Za-z_][A-Za-z0-9_]*|-?\d+|[<>(),:])")

_SIMPLE: dict[str, T.DataType] = {
    "string": T.StringType(), "text": T.StringType(), "binary": T.BinaryType(),
    "boolean": T.BooleanType(), "bool": T.BooleanType(), "date": T.DateType(),
    "timestamp": T.TimestampType(), "timestamp_ltz": T.TimestampType(),
    "timestamp_ntz": T.TimestampNTZType(), "double": T.DoubleType(), "float": T.FloatType(),
    "real": T.FloatType(), "byte": T.ByteType(), "tinyint": T.ByteType(), "short": T.ShortType(),
    "smallint": T.ShortType(), "int": T.IntegerType(), "integer": T.IntegerType(),
    "long": T.LongType(), "bigint": T.LongType(), "void": T.NullType(), "null": T.NullType(),
    "variant": T.VariantType(),
}


class _Tokens:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks: list[str] = []
        pos = 0
        text = text.rstrip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m:
                raise _error(self.text, pos)
            self.toks.append(m.group(1))
            pos = m.end()
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def next(self) -> str:
        if self.i >= len(self.toks):
            raise _error(self.text, len(self.text))
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def expect(self, tok: str) -> None:
        got = self.next()
        if got != tok:
            raise _error(self.text, 0, got)


def _error(text: str, pos: int, near: str | None = None) -> ParseException:
    near = near if near is not None else text[pos:pos + 10] or "end of input"
    return ParseException(
        f"[PARSE_SYNTAX_ERROR] Syntax error at or near '{near}'. SQLSTATE: 42601",
        errorClass="PARSE_SYNTAX_ERROR", messageParameters={"error": f"'{near}'", "hint": ""})


def _ident(tok: str) -> str:
    if tok.startswith("`"):
        return tok[1:-1].replace("``", "`")
    return tok


def _type(ts: _Tokens) -> T.DataType:
    name = ts.next().lower()
    if name in ("array",):
        ts.expect("<")
        el = _type(ts)
        ts.expect(">")
        return T.ArrayType(el, True)
    if name == "map":
        ts.expect("<")
        k = _type(ts)
        ts.expect(",")
        v = _type(ts)
        ts.expect(">")
        return T.MapType(k, v, True)
    if name == "struct":
        ts.expect("<")
        fields = []
        while ts.peek() != ">":
            fname = _ident(ts.next())
            if ts.peek() == ":":
                ts.next()
            fields.append(_field_rest(ts, fname))
            if ts.peek() == ",":
                ts.next()
        ts.expect(">")
        return T.StructType(fields)
    if name in ("decimal", "dec", "numeric"):
        if ts.peek() == "(":
            ts.next()
            p = int(ts.next())
            s = 0
            if ts.peek() == ",":
                ts.next()
                s = int(ts.next())
            ts.expect(")")
            return T.DecimalType(p, s)
        return T.DecimalType(10, 0)
    if name in ("char", "varchar", "character"):
        ts.expect("(")
        n = int(ts.next())
        ts.expect(")")
        return T.CharType(n) if name != "varchar" else T.VarcharType(n)
    if name == "interval":
        start = ts.next().lower()
        end = start
        if ts.peek() and ts.peek().lower() == "to":
            ts.next()
            end = ts.next().lower()
        return T.DataType.fromJson(f"interval {start} to {end}" if start != end else f"interval {start}")
    if name in _SIMPLE:
        return _SIMPLE[name]
    raise ParseException(
        f"[UNSUPPORTED_DATATYPE] Unsupported data type \"{name.upper()}\". SQLSTATE: 0A000",
        errorClass="UNSUPPORTED_DATATYPE", messageParameters={"typeName": f'"{name.upper()}"'})


def _field_rest(ts: _Tokens, fname: str) -> T.StructField:
    dt = _type(ts)
    nullable = True
    if ts.peek() and ts.peek().lower() == "not":
        ts.next()
        ts.next()
        nullable = False
    if ts.peek() and ts.peek().lower() == "comment":
        ts.next()
        ts.next()
    return T.StructField(fname, dt, nullable)


def parse_ddl_type(text: str) -> T.DataType:
    """A single type (``"array<int>"``) or a schema (``"a INT, b: string"``) → DataType."""
    try:
        ts = _Tokens(text)
        dt = _type(ts)
        if ts.peek() is None:
            return dt
    except ParseException:
        pass
    return parse_ddl_schema(text)


def parse_ddl_schema(text: str) -> T.StructType:
    """A comma-separated list of ``name type [NOT NULL]`` → StructType."""
    ts = _Tokens(text)
    fields = []
    while ts.peek() is not None:
        fname = _ident(ts.next())
        if ts.peek() == ":":
            ts.next()
        fields.append(_field_rest(ts, fname))
        if ts.peek() == ",":
            ts.next()
            if ts.peek() is None:
                raise _error(text, len(text))
        elif ts.peek() is not None:
            raise _error(text, 0, ts.peek())
    return T.StructType(fields)
