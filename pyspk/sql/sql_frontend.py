"""``spark.sql``: parse with sqlglot (Spark dialect), run commands (views, tables, SET, SHOW,
DESCRIBE, CACHE, EXPLAIN) and turn queries into DataFrames over the same logical plans."""
from __future__ import annotations

import logging
import re
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from pyspk.errors import ParseException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import Expression
from pyspk.sql.sql_query import QueryConverter


def split_name(name: str) -> list[str]:
    from pyspk.sql.column import parse_column_name
    return list(parse_column_name(name))


def _parse_error(text: str, err: Exception) -> ParseException:
    """Spark's PARSE_SYNTAX_ERROR text: the token near the error, its line and position, and
    the statement with a marker under the position."""
    line, col, near = 1, 0, ""
    details = getattr(err, "errors", None) or []
    if details:
        d = details[0]
        line = d.get("line") or 1
        near = (d.get("highlight") or "").strip()
        col = max((d.get("col") or 1) - len(d.get("highlight") or ""), 0)
    if not near:
        m = re.search(r"Line (\d+), Col: (\d+)", str(err))
        if m:
            line, col = int(m.group(1)), int(m.group(2))
    lines = text.split("\n")
    at_end = line > len(lines) or col >= len(lines[min(line, len(lines)) - 1].rstrip())
    where = "end of input" if at_end or not near else f"'{near}'"
    if at_end:
        col = len(lines[min(line, len(lines)) - 1])
    msg = (f"[PARSE_SYNTAX_ERROR] Syntax error at or near {where}. SQLSTATE: 42601 "
           f"(line {line}, pos {col})\n\n== SQL ==\n{text}\n{'-' * col}^^^\n")
    return ParseException(msg, errorClass="PARSE_SYNTAX_ERROR",
                          messageParameters={"error": where, "hint": ""}, sqlState="42601")


_WINDOW_CALL = re.compile(r"\bwindow(\s*\()", re.IGNORECASE)


def parse_statements(text: str) -> list[exp.Expression]:
    try:
        stmts = [s for s in sqlglot.parse(text, read="spark") if s is not None]
    except (ParseError, TokenError) as e:
        # sqlglot reads ``GROUP BY window(...)`` as a WINDOW clause: retry with the time-window
        # function under its internal name
        renamed = _WINDOW_CALL.sub(r"__time_window\1", text)
        try:
            if renamed == text:
                raise
            stmts = [s for s in sqlglot.parse(renamed, read="spark") if s is not None]
        except (ParseError, TokenError):
            raise _parse_error(text, e) from None
    if not stmts:
        raise _parse_error(text, ParseError("empty statement"))
    return stmts


def parse_expression(text: str) -> Expression:
    """A SQL expression string (``selectExpr``, ``expr``, string filters) → Expression."""
    try:
        node = sqlglot.parse_one(f"SELECT {text}", read="spark")
    except (ParseError, TokenError) as e:
        raise _parse_error(text, e) from None
    if not isinstance(node, exp.Select) or len(node.expressions) != 1 or node.args.get("from_"):
        raise _parse_error(text, ParseError("not a single expression"))
    from pyspk.sql.session import SparkSession
    session = SparkSession.getActiveSession()
    conv = QueryConverter(session)
    conv.exprs.suffixed_literals = _has_suffixed_literals(text)
    return conv.exprs(node.expressions[0])


class _ViewRef:
    """A DataFrame passed to ``spark.sql`` by keyword: formats as its view name;
    ``{df[col]}`` formats as that column."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __format__(self, spec: str) -> str:
        return self.name

    def __getitem__(self, col: str) -> str:
        return f"{self.name}.`{col}`"

    def __getattr__(self, col: str) -> str:
        if col.startswith("__"):
            raise AttributeError(col)
        return self[col]


def _substitute_kwargs(session: Any, text: str, kwargs: dict[str, Any]) -> str:
    from pyspk.sql.column import Column
    from pyspk.sql.dataframe import DataFrame
    values = {}
    for k, v in kwargs.items():
        if isinstance(v, DataFrame):
            name = f"__pyspk_df_{id(v)}"
            v.createOrReplaceTempView(name)
            values[k] = _ViewRef(name)
        elif isinstance(v, Column):
            values[k] = v._expr.sql()
        elif isinstance(v, str):
            values[k] = v
        else:
            values[k] = repr(v)
    return text.format(**values)


def run_sql(session: Any, text: str, args: Any, kwargs: dict[str, Any]) -> Any:
    """Run every statement; the DataFrame of the last one is returned."""
    if kwargs:
        text = _substitute_kwargs(session, text, kwargs)
    params = args if isinstance(args, dict) else None
    positional = list(args) if isinstance(args, (list, tuple)) else None
    result = None
    from pyspk.sql.sql_commands import run_text_command
    for piece in split_statements(text):
        result = run_text_command(session, piece)
        if result is None:
            for stmt in parse_statements(piece):
                result = _run_statement(session, stmt, params, positional, piece)
    if result is None:
        raise _parse_error(text, ParseError("empty statement"))
    return result


def split_statements(text: str) -> list[str]:
    """The statements of a script, split at the semicolons sqlglot's tokenizer finds."""
    from sqlglot.dialects.spark import Spark
    from sqlglot.tokens import TokenType
    try:
        tokens = Spark().tokenize(text)
    except TokenError as e:
        raise _parse_error(text, e) from None
    pieces, start = [], 0
    for tok in tokens:
        if tok.token_type == TokenType.SEMICOLON:
            pieces.append(text[start:tok.start])
            start = tok.end + 1
    pieces.append(text[start:])
    return [p for p in pieces if p.strip()] or [text]


class _FallbackNotice(logging.Filter):
    """sqlglot warns when it keeps a statement as a raw command; those are ours to run, not news."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "contains unsupported syntax" not in record.getMessage()


logging.getLogger("sqlglot").addFilter(_FallbackNotice())


def _df(session: Any, plan: Any) -> Any:
    from pyspk.sql.dataframe import DataFrame
    return DataFrame(session._analyze(plan), session)


def _empty(session: Any) -> Any:
    return session.createDataFrame([], T.StructType([]))


def _has_suffixed_literals(text: str) -> bool:
    return re.search(r"(?<![\w.'])\d+(\.\d+)?[LDSY]\b", text, re.IGNORECASE) is not None


def _run_statement(session: Any, stmt: exp.Expression, params: Any, positional: Any,
                   text: str = "") -> Any:
    conv = QueryConverter(session, params, positional)
    conv.exprs.suffixed_literals = _has_suffixed_literals(text)
    if isinstance(stmt, (exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Subquery, exp.Values)):
        return _df(session, conv.query(stmt))
    from pyspk.sql import sql_commands
    return sql_commands.run_command(session, stmt, conv)

