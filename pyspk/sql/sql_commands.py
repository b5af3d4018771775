"""SQL commands: views and tables (CREATE/INSERT/DROP), SET, SHOW, DESCRIBE, CACHE, USE, EXPLAIN."""
from __future__ import annotations

import os
import shutil
from typing import Any

from sqlglot import exp

from pyspk.errors import AnalysisException, ParseException
from pyspk.sql import types as T



def _df(session: Any, plan: Any) -> Any:
    from pyspk.sql.dataframe import DataFrame
    return DataFrame(session._analyze(plan), session)


def _rows(session: Any, rows: list[tuple], schema: str) -> Any:
    return session.createDataFrame(rows, schema)


def _empty(session: Any) -> Any:
    return session.createDataFrame([], T.StructType([]))


def _table_parts(node: exp.Expression) -> tuple[str, ...]:
    t = node.this if isinstance(node, exp.Schema) else node
    return tuple(p.name for p in t.parts) if isinstance(t, exp.Table) else (t.name,)


def run_command(session: Any, stmt: exp.Expression, conv: Any) -> Any:
    handler = globals().get("_" + type(stmt).__name__.lower())
    if handler is None:
        raise ParseException(f"[UNSUPPORTED_FEATURE] The statement is not supported: "
                             f"{stmt.sql('spark')[:80]}", errorClass="UNSUPPORTED_FEATURE")
    return handler(session, stmt, conv)


def _create(session: Any, stmt: exp.Create, conv: Any) -> Any:
    kind = (stmt.args.get("kind") or "").upper()
    parts = _table_parts(stmt.this)
    props = stmt.args.get("properties")
    temporary = props is not None and any(isinstance(p, exp.TemporaryProperty) for p in props.expressions)
    replace = bool(stmt.args.get("replace"))
    if kind == "VIEW":
        query = stmt.expression
        df = _df(session, conv.query(query))
        cols = stmt.this.expressions if isinstance(stmt.this, exp.Schema) else []
        if cols:
            df = df.toDF(*[c.name for c in cols])
        global_ = props is not None and any("GLOBAL" in p.sql().upper() for p in props.expressions)
        from pyspk.sql.catalog import register_view
        if stmt.args.get("exists") and session._catalog_state.lookup(parts) is not None:
            return _empty(session)
        register_view(df, parts[-1], replace=replace or not temporary, global_=global_)
        return _empty(session)
    if kind in ("DATABASE", "SCHEMA"):
        name = parts[-1].lower()
        if name in session._catalog_state.databases and not stmt.args.get("exists"):
            raise AnalysisException(f"[SCHEMA_ALREADY_EXISTS] Cannot create schema `{name}` because "
                                    "it already exists.", errorClass="SCHEMA_ALREADY_EXISTS")
        session._catalog_state.databases[name] = ""
        return _empty(session)
    if kind == "TABLE":
        from pyspk.sql.warehouse import table_path
        path = table_path(session._catalog_state, parts)
        if os.path.isdir(path):
            if stmt.args.get("exists"):
                return _empty(session)
            if not replace:
                raise AnalysisException(
                    f"[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view "
                    f"`spark_catalog`.`default`.`{parts[-1]}` because it already exists. SQLSTATE: 42P07",
                    errorClass="TABLE_OR_VIEW_ALREADY_EXISTS")
            shutil.rmtree(path)
        if stmt.expression is not None:
            df = _df(session, conv.query(stmt.expression))
        else:
            cols = stmt.this.expressions if isinstance(stmt.this, exp.Schema) else []
            from pyspk.sql.sql_exprs import sql_type
            schema = T.StructType([T.StructField(c.name, sql_type(c.args["kind"]), True) for c in cols])
            df = session.createDataFrame([], schema)
        df.write.mode("overwrite").parquet(path)
        return _empty(session)
    raise ParseException(f"[UNSUPPORTED_FEATURE] CREATE {kind}", errorClass="UNSUPPORTED_FEATURE")


def _insert(session: Any, stmt: exp.Insert, conv: Any) -> Any:
    parts = _table_parts(stmt.this)
    df = _df(session, conv.query(stmt.expression))
    from pyspk.sql.warehouse import table_path
    path = table_path(session._catalog_state, parts)
    if not os.path.isdir(path):
        raise AnalysisException(f"[TABLE_OR_VIEW_NOT_FOUND] The table or view `{parts[-1]}` "
                                "cannot be found.", errorClass="TABLE_OR_VIEW_NOT_FOUND")
    target = session.read.parquet(path)
    df = df.toDF(*target.columns)
    df = df.select(*[df[c].cast(t) for c, t in zip(target.columns, [f.dataType for f in target.schema.fields])])
    df.write.mode("overwrite" if stmt.args.get("overwrite") else "append").parquet(path)
    return _empty(session)


def _drop(session: Any, stmt: exp.Drop, conv: Any) -> Any:
    kind = (stmt.args.get("kind") or "").upper()
    target = stmt.this if stmt.this is not None else (stmt.args.get("tables") or [None])[0]
    parts = _table_parts(target)
    state = session._catalog_state
    name = parts[-1].lower()
    if kind == "VIEW":
        views = state.global_views if len(parts) > 1 and parts[0].lower() == "global_temp" else state.temp_views
        if views.pop(name, None) is None and not stmt.args.get("exists"):
            raise AnalysisException(f"[TABLE_OR_VIEW_NOT_FOUND] The table or view `{parts[-1]}` "
                                    "cannot be found.", errorClass="TABLE_OR_VIEW_NOT_FOUND")
        return _empty(session)
    if kind in ("DATABASE", "SCHEMA"):
        state.databases.pop(name, None)
        return _empty(session)
    if state.temp_views.pop(name, None) is not None:
        return _empty(session)
    from pyspk.sql.warehouse import table_path
    path = table_path(state, parts)
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif not stmt.args.get("exists"):
        raise AnalysisException(f"[TABLE_OR_VIEW_NOT_FOUND] The table or view `{parts[-1]}` cannot "
                                "be found.", errorClass="TABLE_OR_VIEW_NOT_FOUND")
    return _empty(session)


def _set(session: Any, stmt: exp.Set, conv: Any) -> Any:
    rows = []
    for item in stmt.expressions:
        eq = item.this
        if isinstance(eq, exp.EQ):
            key = eq.this.sql(dialect="spark").replace(" ", "")
            value = eq.expression.name if hasattr(eq.expression, "name") and eq.expression.name else \
                eq.expression.sql(dialect="spark")
            session.conf.set(key, value)
            rows.append((key, str(value)))
    return _rows(session, rows, "key string, value string")


def _describe(session: Any, stmt: exp.Describe, conv: Any) -> Any:
    target = stmt.this
    if isinstance(target, exp.Table):
        df = session.table(".".join(p.name for p in target.parts))
    else:
        df = _df(session, conv.query(target))
    rows = [(f.name, f.dataType.simpleString(), None) for f in df.schema.fields]
    return _rows(session, rows, "col_name string, data_type string, comment string")


def _cache(session: Any, stmt: exp.Cache, conv: Any) -> Any:
    name = stmt.this.name
    if stmt.expression is not None:
        from pyspk.sql.catalog import register_view
        register_view(_df(session, conv.query(stmt.expression)), name, True, False)
    session.catalog.cacheTable(name)
    return _empty(session)


def _uncache(session: Any, stmt: exp.Uncache, conv: Any) -> Any:
    session.catalog.uncacheTable(stmt.this.name)
    return _empty(session)


def _use(session: Any, stmt: exp.Use, conv: Any) -> Any:
    session.catalog.setCurrentDatabase(stmt.this.name)
    return _empty(session)


def _show(session: Any, stmt: exp.Show, conv: Any) -> Any:
    what = (stmt.name or "").upper()
    return _show_text(session, what)


def _command(session: Any, stmt: exp.Command, conv: Any) -> Any:
    head = (stmt.this or "").upper()
    expr = stmt.expression
    if isinstance(expr, exp.Literal):
        rest = expr.this
    elif isinstance(expr, exp.Expression):
        rest = expr.sql(dialect="spark")
    else:
        rest = str(expr or "")
    if head == "SHOW":
        return _show_text(session, rest.strip().upper())
    if head == "EXPLAIN":
        from pyspk.sql.explain import explain_string
        df = session.sql(rest)
        return _rows(session, [(explain_string(df, None, None),)], "plan string")
    if head in ("REFRESH", "ANALYZE", "MSCK"):
        return _empty(session)
    raise ParseException(f"[UNSUPPORTED_FEATURE] {head} {rest[:60]}", errorClass="UNSUPPORTED_FEATURE")


def _show_text(session: Any, what: str) -> Any:
    if what.startswith("TABLES"):
        rows = [(t.namespace[0] if t.namespace else "", t.name, t.isTemporary)
                for t in session.catalog.listTables()]
        return _rows(session, rows, "namespace string, tableName string, isTemporary boolean")
    if what.startswith(("DATABASES", "SCHEMAS", "NAMESPACES")):
        return _rows(session, [(d.name,) for d in session.catalog.listDatabases()], "namespace string")
    if what.startswith("FUNCTIONS"):
        return _rows(session, [(f.name,) for f in session.catalog.listFunctions()], "function string")
    if what.startswith("COLUMNS"):
        name = what.split()[-1].lower()
        return _rows(session, [(c.name,) for c in session.catalog.listColumns(name)], "col_name string")
    raise ParseException(f"[UNSUPPORTED_FEATURE] SHOW {what}", errorClass="UNSUPPORTED_FEATURE")



