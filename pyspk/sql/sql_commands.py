"""SQL commands: databases, tables and views (CREATE/INSERT/ALTER/TRUNCATE/DROP), DESCRIBE, SHOW,
SET/RESET, CACHE/UNCACHE, USE, EXPLAIN — each returns the DataFrame Spark's command returns."""
from __future__ import annotations

import getpass
import os
import re
import shutil
import time
from typing import Any

from sqlglot import exp

from pyspk.errors import AnalysisException, ParseException
from pyspk.sql import types as T
from pyspk.sql.io.paths import local_path
from pyspk.sql.metastore import DatabaseMeta, TableMeta, table_not_found


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


def _state(session: Any) -> Any:
    return session._catalog_state


def _store(session: Any) -> Any:
    from pyspk.sql.warehouse import metastore
    return metastore(_state(session))


def run_command(session: Any, stmt: exp.Expression, conv: Any) -> Any:
    handler = _HANDLERS.get(type(stmt).__name__)
    if handler is None:
        raise ParseException(f"[UNSUPPORTED_FEATURE] The statement is not supported: "
                             f"{stmt.sql('spark')[:80]}", errorClass="UNSUPPORTED_FEATURE")
    return handler(session, stmt, conv)


# -- CREATE ------------------------------------------------------------------------------------
def _props(stmt: exp.Expression) -> list[exp.Expression]:
    props = stmt.args.get("properties")
    return list(props.expressions) if props is not None else []


def _prop(stmt: exp.Expression, kind: type) -> exp.Expression | None:
    return next((p for p in _props(stmt) if isinstance(p, kind)), None)


def _literal(node: exp.Expression | None) -> str | None:
    if node is None:
        return None
    return node.name if isinstance(node, (exp.Literal, exp.Var, exp.Identifier)) else node.sql("spark")


def _create(session: Any, stmt: exp.Create, conv: Any) -> Any:
    kind = (stmt.args.get("kind") or "").upper()
    if kind == "VIEW":
        return _create_view(session, stmt, conv)
    if kind in ("DATABASE", "SCHEMA"):
        comment = _literal(getattr(_prop(stmt, exp.SchemaCommentProperty), "this", None)) or ""
        loc = _literal(getattr(_prop(stmt, exp.LocationProperty), "this", None)) or ""
        _store(session).create_database(
            DatabaseMeta(_table_parts(stmt.this)[-1].lower(), comment, local_path(loc) if loc else ""),
            bool(stmt.args.get("exists")))
        return _empty(session)
    if kind == "TABLE":
        return _create_table(session, stmt, conv)
    raise ParseException(f"[UNSUPPORTED_FEATURE] CREATE {kind}", errorClass="UNSUPPORTED_FEATURE")


def _create_view(session: Any, stmt: exp.Create, conv: Any) -> Any:
    parts = _table_parts(stmt.this)
    temporary = any(isinstance(p, exp.TemporaryProperty) for p in _props(stmt))
    df = _df(session, conv.query(stmt.expression))
    cols = stmt.this.expressions if isinstance(stmt.this, exp.Schema) else []
    if cols:
        df = df.toDF(*[c.name for c in cols])
    global_ = any("GLOBAL" in p.sql().upper() for p in _props(stmt))
    if not temporary:
        return _create_persistent_view(session, stmt, parts, df)
    from pyspk.sql.catalog import register_view
    if stmt.args.get("exists") and _state(session).lookup(parts) is not None:
        return _empty(session)
    register_view(df, parts[-1], replace=bool(stmt.args.get("replace")), global_=global_)
    return _empty(session)


def _create_persistent_view(session: Any, stmt: exp.Create, parts: tuple[str, ...], df: Any) -> Any:
    """``CREATE [OR REPLACE] VIEW``: its SQL text in the metastore, analysed again when read."""
    from pyspk.sql.warehouse import qualify, require_database
    state = _state(session)
    db, name = qualify(state, parts)
    require_database(state, db)
    store = _store(session)
    existing = store.get_table(db, name)
    if existing is not None:
        if stmt.args.get("exists"):
            return _empty(session)
        if not stmt.args.get("replace") or existing.table_type != "VIEW":
            raise AnalysisException(
                f"[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view `spark_catalog`.`{db}`."
                f"`{name}` because it already exists.\nChoose a different name, drop or replace the "
                "existing object, or add the IF NOT EXISTS clause to tolerate pre-existing objects. "
                "SQLSTATE: 42P07", errorClass="TABLE_OR_VIEW_ALREADY_EXISTS", sqlState="42P07")
    text = stmt.expression.sql(dialect="spark")
    if df.columns != _df(session, _conv_query(session, text)).columns:
        text = f"SELECT * FROM ({text}) AS v({', '.join('`' + c + '`' for c in df.columns)})"
    store.save_table(TableMeta(db, name, "view", df.schema.json(), "", table_type="VIEW",
                               view_text=text))
    return _empty(session)


def _conv_query(session: Any, text: str) -> Any:
    from pyspk.sql.sql_frontend import parse_statements
    from pyspk.sql.sql_query import QueryConverter
    return QueryConverter(session, None, None).query(parse_statements(text)[0])


def _create_table(session: Any, stmt: exp.Create, conv: Any) -> Any:
    from pyspk.sql.sql_exprs import sql_type
    from pyspk.sql.warehouse import check_not_reading, qualify, require_database, table_schema, \
        write_table_data
    state = _state(session)
    db, name = qualify(state, _table_parts(stmt.this))
    require_database(state, db)
    store = _store(session)
    existing = store.get_table(db, name)
    if existing is not None and not stmt.args.get("replace"):
        if stmt.args.get("exists"):
            return _empty(session)
        raise AnalysisException(
            f"[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view `spark_catalog`.`{db}`."
            f"`{name}` because it already exists.\nChoose a different name, drop or replace the "
            "existing object, or add the IF NOT EXISTS clause to tolerate pre-existing objects. "
            "SQLSTATE: 42P07", errorClass="TABLE_OR_VIEW_ALREADY_EXISTS", sqlState="42P07")
    like = _prop(stmt, exp.LikeProperty)
    fmt_prop = _prop(stmt, exp.FileFormatProperty)
    fmt = (_literal(fmt_prop.this) if fmt_prop is not None else None) or \
        str(session.conf.get("spark.sql.sources.default", "parquet"))
    options = {}
    opt_prop = _prop(stmt, exp.OptionsProperty)
    if opt_prop is not None:
        options = {_literal(p.this): _literal(p.args.get("value")) for p in opt_prop.expressions}
    tblprops = {_literal(p.this): _literal(p.args.get("value")) for p in _props(stmt)
                if type(p) is exp.Property}
    comment = _literal(getattr(_prop(stmt, exp.SchemaCommentProperty), "this", None))
    loc = _literal(getattr(_prop(stmt, exp.LocationProperty), "this", None))
    part_prop = _prop(stmt, exp.PartitionedByProperty)
    part_cols: list[str] = []
    extra: list[T.StructField] = []
    if part_prop is not None:
        for c in part_prop.this.expressions:
            part_cols.append(c.name)
            if isinstance(c, exp.ColumnDef):
                extra.append(T.StructField(c.name, sql_type(c.args["kind"]), True))
    df = None
    if stmt.expression is not None:
        df = _df(session, conv.query(stmt.expression))
        schema = df.schema
    elif like is not None:
        from pyspk.sql.warehouse import require_table
        source = require_table(state, _table_parts(like.this))
        schema, part_cols, fmt = source.schema, list(source.partition_columns), source.provider
    else:
        cols = stmt.this.expressions if isinstance(stmt.this, exp.Schema) else []
        schema = T.StructType([_column_field(c) for c in cols if isinstance(c, exp.ColumnDef)] + extra)
    schema = table_schema(schema, part_cols)
    location = local_path(loc) if loc else store.managed_location(db, name)
    meta = TableMeta(db, name, fmt.lower(), schema.json(), location, part_cols,
                     "EXTERNAL" if loc else "MANAGED", comment=comment, properties=tblprops,
                     options=options)
    if existing is not None:
        if df is not None:
            check_not_reading(df, existing)
        store.drop_table(db, name)
    os.makedirs(location, exist_ok=True)
    if df is not None:
        write_table_data(df.select(*schema.names), meta, "overwrite")
    store.save_table(meta)
    return _empty(session)


def _column_field(c: exp.ColumnDef) -> T.StructField:
    from pyspk.sql.sql_exprs import sql_type
    nullable = not any(isinstance(k.args.get("kind"), exp.NotNullColumnConstraint)
                       for k in c.args.get("constraints") or [])
    comment = next((_literal(k.args["kind"].this) for k in c.args.get("constraints") or []
                    if isinstance(k.args.get("kind"), exp.CommentColumnConstraint)), None)
    return T.StructField(c.name, sql_type(c.args["kind"]), nullable,
                         {"comment": comment} if comment is not None else None)


# -- INSERT ------------------------------------------------------------------------------------
def _insert(session: Any, stmt: exp.Insert, conv: Any) -> Any:
    from pyspk.sql.warehouse import require_table
    target = stmt.this
    columns = [c.name for c in target.expressions] if isinstance(target, exp.Schema) else None
    table = target.this if isinstance(target, exp.Schema) else target
    meta = require_table(_state(session), _table_parts(table))
    spec = table.args.get("partition")
    static: dict[str, Any] = {}
    if spec is not None:
        for e in spec.expressions:
            if isinstance(e, exp.EQ):
                static[e.this.name.lower()] = e.expression
    df = _df(session, conv.query(stmt.expression))
    columns = list(df.columns) if stmt.args.get("by_name") else columns
    insert_rows(df, meta, columns, static, bool(stmt.args.get("overwrite")))
    return _empty(session)


def insert_dataframe(df: Any, table: str, overwrite: bool) -> None:
    """``DataFrameWriter.insertInto``: by position into an existing table."""
    from pyspk.sql.warehouse import require_table
    insert_rows(df, require_table(_state(df._session), tuple(table.split("."))), None, {}, overwrite)


def insert_rows(df: Any, meta: TableMeta, columns: list[str] | None, static: dict[str, Any],
                overwrite: bool) -> None:
    """Spark's INSERT: data columns matched by position (or to the named ``columns``), static
    partition values filled in, missing named columns NULL, every value cast to the table's type."""
    from pyspk.sql.warehouse import check_not_reading, write_table_data
    schema = meta.schema
    fields = {f.name.lower(): f for f in schema.fields}
    wanted = columns if columns is not None else \
        [f.name for f in schema.fields if f.name.lower() not in static]
    unknown = [c for c in wanted if c.lower() not in fields]
    if unknown:
        raise AnalysisException(
            f"[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter with name "
            f"`{unknown[0]}` cannot be resolved. Did you mean one of the following? "
            f"[{', '.join('`' + f.name + '`' for f in schema.fields)}]. SQLSTATE: 42703",
            errorClass="UNRESOLVED_COLUMN.WITH_SUGGESTION", sqlState="42703")
    if len(df.columns) != len(wanted):
        which = "NOT_ENOUGH_DATA_COLUMNS" if len(df.columns) < len(wanted) else "TOO_MANY_DATA_COLUMNS"
        raise AnalysisException(
            f"[INSERT_COLUMN_ARITY_MISMATCH.{which}] Cannot write to {meta.qualified()}, the reason is "
            f"{'not enough' if which.startswith('NOT') else 'too many'} data columns:\nTable columns: "
            f"{', '.join('`' + f.name + '`' for f in schema.fields if f.name.lower() not in static)}.\n"
            f"Data columns: {', '.join('`' + c + '`' for c in df.columns)}. SQLSTATE: 21S01",
            errorClass=f"INSERT_COLUMN_ARITY_MISMATCH.{which}", sqlState="21S01")
    from pyspk.sql import functions as F
    df = df.toDF(*[f"_c{i}" for i in range(len(df.columns))])
    source = {c.lower(): df[f"_c{i}"] for i, c in enumerate(wanted)}
    out = []
    for f in schema.fields:
        key = f.name.lower()
        if key in source:
            col = source[key]
        elif key in static:
            col = F.lit(_literal(static[key]))
        else:
            col = F.lit(None)
        out.append(col.cast(f.dataType).alias(f.name))
    data = df.select(*out)
    if overwrite:
        check_not_reading(df, meta)
        if static and meta.partition_columns:
            sub = os.path.join(meta.location, *[
                f"{c}={_literal(static[c.lower()])}" for c in meta.partition_columns
                if c.lower() in static])
            if os.path.isdir(sub):
                shutil.rmtree(sub)
            write_table_data(data, meta, "append")
        else:
            write_table_data(data, meta, "overwrite")
    else:
        write_table_data(data, meta, "append")


# -- DROP / ALTER / TRUNCATE -------------------------------------------------------------------
def _drop(session: Any, stmt: exp.Drop, conv: Any) -> Any:
    from pyspk.sql.catalog_state import GLOBAL_TEMP_DB
    from pyspk.sql.warehouse import qualify
    kind = (stmt.args.get("kind") or "").upper()
    target = stmt.this if stmt.this is not None else (stmt.args.get("tables") or [None])[0]
    parts = _table_parts(target)
    state = _state(session)
    name = parts[-1].lower()
    exists = bool(stmt.args.get("exists"))
    if kind in ("DATABASE", "SCHEMA"):
        session.catalog.dropDatabase(name, exists, bool(stmt.args.get("cascade")))
        return _empty(session)
    if kind == "VIEW":
        views = state.global_views if len(parts) > 1 and parts[0].lower() == GLOBAL_TEMP_DB \
            else state.temp_views
        if len(parts) == 1 and views.pop(name, None) is not None or \
                views is state.global_views and views.pop(name, None) is not None:
            return _empty(session)
        db, vname = qualify(state, parts)
        meta = _store(session).get_table(db, vname)
        if meta is not None and meta.table_type == "VIEW":
            _store(session).drop_table(db, vname)
        elif not exists:
            raise table_not_found(".".join(parts))
        return _empty(session)
    if len(parts) == 1 and state.temp_views.pop(name, None) is not None:
        return _empty(session)
    db, name = qualify(state, parts)
    store = _store(session)
    if store.get_table(db, name) is None:
        if not exists:
            raise table_not_found(".".join(parts))
        return _empty(session)
    state.cached_tables.pop((db, name), None)
    store.drop_table(db, name)
    return _empty(session)


def _truncatetable(session: Any, stmt: exp.TruncateTable, conv: Any) -> Any:
    from pyspk.sql.warehouse import require_table
    for t in stmt.expressions:
        meta = require_table(_state(session), _table_parts(t))
        if meta.table_type != "MANAGED":
            raise AnalysisException(
                f"[UNSUPPORTED_FEATURE.TABLE_OPERATION] The feature is not supported: Table "
                f"{meta.qualified()} does not support TRUNCATE TABLE on an external table.",
                errorClass="UNSUPPORTED_FEATURE.TABLE_OPERATION")
        if os.path.isdir(meta.location):
            shutil.rmtree(meta.location)
        os.makedirs(meta.location)
    return _empty(session)


def _alter(session: Any, stmt: exp.Alter, conv: Any) -> Any:
    from pyspk.sql.warehouse import require_table
    state = _state(session)
    parts = _table_parts(stmt.this)
    if (stmt.args.get("kind") or "").upper() == "VIEW" or (
            len(parts) == 1 and parts[0].lower() in state.temp_views):
        raise ParseException("[UNSUPPORTED_FEATURE] ALTER VIEW", errorClass="UNSUPPORTED_FEATURE")
    meta = require_table(state, parts)
    store = _store(session)
    for action in stmt.args.get("actions") or []:
        if isinstance(action, exp.AlterRename):
            state.cached_tables.pop((meta.database, meta.name), None)
            meta = store.rename_table(meta, _table_parts(action.this)[-1])
        elif isinstance(action, exp.Schema):
            added = [_column_field(c) for c in action.expressions if isinstance(c, exp.ColumnDef)]
            schema = meta.schema
            have = {f.name.lower() for f in schema.fields}
            dup = [f.name for f in added if f.name.lower() in have]
            if dup:
                raise AnalysisException(f"[FIELD_ALREADY_EXISTS] Cannot add column, because `{dup[0]}` "
                                        f"already exists in {meta.qualified()}.",
                                        errorClass="FIELD_ALREADY_EXISTS")
            from pyspk.sql.warehouse import table_schema
            data = [f for f in schema.fields if f.name not in meta.partition_columns]
            meta.schema_json = table_schema(T.StructType(data + added + [
                f for f in schema.fields if f.name in meta.partition_columns]),
                meta.partition_columns).json()
            store.save_table(meta)
        elif isinstance(action, exp.AlterSet):
            for props in action.expressions:
                for p in props.expressions if isinstance(props, exp.Properties) else [props]:
                    meta.properties[_literal(p.this)] = _literal(p.args.get("value"))
            store.save_table(meta)
        else:
            raise ParseException(f"[UNSUPPORTED_FEATURE] ALTER TABLE {action.sql('spark')[:60]}",
                                 errorClass="UNSUPPORTED_FEATURE")
    return _empty(session)


# -- DESCRIBE ----------------------------------------------------------------------------------
def _describe(session: Any, stmt: exp.Describe, conv: Any) -> Any:
    target = stmt.this
    if (stmt.args.get("kind") or "").upper() in ("DATABASE", "SCHEMA", "NAMESPACE"):
        return describe_database(session, _table_parts(target)[-1])
    extended = (stmt.args.get("style") or "").upper() in ("EXTENDED", "FORMATTED")
    if isinstance(target, exp.Table):
        return describe_table(session, tuple(p.name for p in target.parts), extended, None)
    df = _df(session, conv.query(target))
    return _rows(session, [(f.name, f.dataType.simpleString(), _comment(f)) for f in df.schema.fields],
                 "col_name string, data_type string, comment string")


def _comment(f: T.StructField) -> str | None:
    return (f.metadata or {}).get("comment")


def describe_table(session: Any, parts: tuple[str, ...], extended: bool, column: str | None) -> Any:
    """DESCRIBE [EXTENDED] table [column]."""
    from pyspk.sql.warehouse import get_table
    state = _state(session)
    is_view = state.lookup(parts) is not None and (
        len(parts) == 1 and parts[0].lower() in state.temp_views or
        len(parts) == 2 and parts[0].lower() == "global_temp")
    meta = None if is_view else get_table(state, parts)
    if meta is None and not is_view:
        raise table_not_found(".".join(parts))
    schema = meta.schema if meta is not None else session.table(".".join(parts)).schema
    if column is not None:
        f = next((f for f in schema.fields if f.name.lower() == column.lower()), None)
        if f is None:
            raise AnalysisException(
                f"[COLUMN_NOT_FOUND] The column `{column}` cannot be found. Verify the spelling and "
                "correctness of the column name according to the SQL config "
                "spark.sql.caseSensitive. SQLSTATE: 42703", errorClass="COLUMN_NOT_FOUND",
                sqlState="42703")
        return _rows(session, [("col_name", f.name), ("data_type", f.dataType.simpleString()),
                               ("comment", _comment(f))], "info_name string, info_value string")
    rows: list[tuple] = [(f.name, f.dataType.simpleString(), _comment(f)) for f in schema.fields]
    if meta is not None and meta.partition_columns:
        rows.append(("# Partition Information", "", ""))
        rows.append(("# col_name", "data_type", "comment"))
        by_name = {f.name.lower(): f for f in schema.fields}
        rows.extend((by_name[c.lower()].name, by_name[c.lower()].dataType.simpleString(),
                     _comment(by_name[c.lower()])) for c in meta.partition_columns)
    if extended and meta is not None:
        from pyspk.version import __version__
        rows.append(("", "", ""))
        rows.append(("# Detailed Table Information", "", ""))
        rows.append(("Catalog", "spark_catalog", ""))
        rows.append(("Database", meta.database, ""))
        rows.append(("Table", meta.name, ""))
        rows.append(("Created Time", time.strftime("%a %b %d %H:%M:%S %Z %Y",
                                                   time.localtime(meta.created)), ""))
        rows.append(("Last Access", "UNKNOWN", ""))
        rows.append(("Created By", f"pyspk {__version__}", ""))
        rows.append(("Type", meta.table_type, ""))
        rows.append(("Provider", meta.provider, ""))
        if meta.comment:
            rows.append(("Comment", meta.comment, ""))
        if meta.properties:
            rows.append(("Table Properties", "[" + ", ".join(
                f"{k}={v}" for k, v in sorted(meta.properties.items())) + "]", ""))
        rows.append(("Location", "file:" + meta.location, ""))
        if meta.options:
            rows.append(("Storage Properties", "[" + ", ".join(
                f"{k}={v}" for k, v in sorted(meta.options.items())) + "]", ""))
        if meta.partition_columns:
            rows.append(("Partition Provider", "Catalog", ""))
    return _rows(session, rows, "col_name string, data_type string, comment string")


def describe_database(session: Any, name: str) -> Any:
    from pyspk.sql.warehouse import metastore, require_database
    require_database(_state(session), name)
    m = metastore(_state(session)).get_database(name)
    return _rows(session, [("Catalog Name", "spark_catalog"), ("Namespace Name", m.name),
                           ("Comment", m.comment), ("Location", "file:" + m.location),
                           ("Owner", getpass.getuser())], "info_name string, info_value string")


# -- CACHE / USE / SET -------------------------------------------------------------------------
def _cache(session: Any, stmt: exp.Cache, conv: Any) -> Any:
    name = ".".join(_table_parts(stmt.this))
    if stmt.expression is not None:
        from pyspk.sql.catalog import register_view
        register_view(_df(session, conv.query(stmt.expression)), name, True, False)
    session.catalog.cacheTable(name)
    if not stmt.args.get("lazy"):
        session.table(name).count()
    return _empty(session)


def _uncache(session: Any, stmt: exp.Uncache, conv: Any) -> Any:
    name = ".".join(_table_parts(stmt.this))
    if stmt.args.get("exists") and _state(session).lookup(tuple(name.split("."))) is None:
        return _empty(session)
    session.catalog.uncacheTable(name)
    return _empty(session)


def _use(session: Any, stmt: exp.Use, conv: Any) -> Any:
    session.catalog.setCurrentDatabase(_table_parts(stmt.this)[-1])
    return _empty(session)


def _set(session: Any, stmt: exp.Set, conv: Any) -> Any:
    if not stmt.expressions:
        return set_command(session, "")
    rows = []
    for item in stmt.expressions:
        eq = item.this
        if isinstance(eq, exp.EQ):
            key = eq.this.sql(dialect="spark").replace(" ", "").replace("`", "")
            value = eq.expression.name if hasattr(eq.expression, "name") and eq.expression.name else \
                eq.expression.sql(dialect="spark")
            session.conf.set(key, value)
            rows.append((key, str(value)))
    return _rows(session, rows, "key string, value string")


def set_command(session: Any, rest: str) -> Any:
    """``SET`` (every set value), ``SET -v``, ``SET key`` (its value or ``<undefined>``)."""
    rest = rest.strip()
    if rest in ("", "-v"):
        values = dict(session.sparkContext._conf.getAll()) if session.sparkContext else {}
        values.update(session.conf._conf)
        rows = sorted(values.items())
        if rest == "-v":
            return _rows(session, [(k, v, "", "") for k, v in rows],
                         "key string, value string, meaning string, `Since version` string")
        return _rows(session, rows, "key string, value string")
    if "=" in rest:
        key, value = (x.strip() for x in rest.split("=", 1))
        session.conf.set(key, value)
        return _rows(session, [(key, value)], "key string, value string")
    try:
        value = session.conf.get(rest)
    except Exception:
        value = None
    if value is None and session.sparkContext is not None:
        value = session.sparkContext._conf.get(rest, None)
    return _rows(session, [(rest, "<undefined>" if value is None else str(value))],
                 "key string, value string")


def reset_command(session: Any, rest: str) -> Any:
    key = rest.strip()
    if key:
        session.conf.unset(key)
    else:
        for k in list(session.conf._conf):
            if k.startswith("spark.sql."):
                session.conf.unset(k)
    return _empty(session)


# -- SHOW and other commands sqlglot keeps as text ---------------------------------------------
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
        return show_command(session, rest.strip())
    if head == "SET":
        return set_command(session, rest)
    if head == "EXPLAIN":
        return explain_command(session, rest)
    if head in ("REFRESH", "ANALYZE", "MSCK"):
        return _empty(session)
    raise ParseException(f"[UNSUPPORTED_FEATURE] {head} {rest[:60]}", errorClass="UNSUPPORTED_FEATURE")


def _refresh(session: Any, stmt: exp.Expression, conv: Any) -> Any:
    return _empty(session)


_analyze = _refresh

_EXPLAIN_MODES = ("EXTENDED", "FORMATTED", "CODEGEN", "COST", "LOGICAL")


def explain_command(session: Any, rest: str) -> Any:
    from pyspk.sql.explain import explain_string
    words = rest.strip().split(None, 1)
    mode = None
    if words and words[0].upper() in _EXPLAIN_MODES:
        mode = words[0].lower()
        rest = words[1] if len(words) > 1 else ""
    df = session.sql(rest)
    return _rows(session, [(explain_string(df, None, "extended" if mode == "logical" else mode),)],
                 "plan string")


_NAME = r"`[^`]+`|[\w.]+"


def _unquote(name: str) -> str:
    return ".".join(p.strip("`") for p in re.findall(r"`[^`]+`|[^.]+", name))


def show_command(session: Any, rest: str) -> Any:
    state = _state(session)
    m = re.fullmatch(rf"(?is)(TABLES|VIEWS)(?:\s+(?:IN|FROM)\s+({_NAME}))?(?:\s+(?:LIKE\s+)?'([^']*)')?",
                     rest)
    if m:
        db = _unquote(m.group(2)) if m.group(2) else None
        tables = session.catalog.listTables(db, m.group(3))
        if m.group(1).upper() == "VIEWS":
            return _rows(session, [(t.namespace[0] if t.namespace else "", t.name, t.isTemporary)
                                   for t in tables if t.tableType in ("TEMPORARY", "VIEW")],
                         "namespace string, viewName string, isTemporary boolean")
        return _rows(session, [(t.namespace[0] if t.namespace else "", t.name, t.isTemporary)
                               for t in tables],
                     "namespace string, tableName string, isTemporary boolean")
    m = re.fullmatch(r"(?is)(?:DATABASES|SCHEMAS|NAMESPACES)(?:\s+(?:LIKE\s+)?'([^']*)')?", rest)
    if m:
        return _rows(session, [(d.name,) for d in session.catalog.listDatabases(m.group(1))],
                     "namespace string")
    m = re.fullmatch(r"(?is)(?:USER\s+|SYSTEM\s+|ALL\s+)?FUNCTIONS(?:\s+(?:LIKE\s+)?'([^']*)')?", rest)
    if m:
        from pyspk.sql.catalog import like
        return _rows(session, [(f.name,) for f in session.catalog.listFunctions()
                               if like(f.name, m.group(1))], "function string")
    m = re.fullmatch(rf"(?is)COLUMNS\s+(?:IN|FROM)\s+({_NAME})(?:\s+(?:IN|FROM)\s+({_NAME}))?", rest)
    if m:
        table = _unquote(m.group(1))
        db = _unquote(m.group(2)) if m.group(2) else None
        return _rows(session, [(c.name,) for c in session.catalog.listColumns(table, db)],
                     "col_name string")
    m = re.fullmatch(rf"(?is)CREATE\s+TABLE\s+({_NAME})(?:\s+AS\s+SERDE)?", rest)
    if m:
        return _rows(session, [(show_create_table(session, _unquote(m.group(1))),)],
                     "createtab_stmt string")
    m = re.fullmatch(rf"(?is)TBLPROPERTIES\s+({_NAME})(?:\s*\(\s*'?([^')]*)'?\s*\))?", rest)
    if m:
        from pyspk.sql.warehouse import require_table
        meta = require_table(state, tuple(_unquote(m.group(1)).split(".")))
        props = sorted(meta.properties.items())
        if m.group(2):
            key = m.group(2).strip()
            props = [(key, meta.properties.get(
                key, f"Table {meta.qualified()} does not have property: {key}"))]
        return _rows(session, props, "key string, value string")
    m = re.fullmatch(rf"(?is)PARTITIONS\s+({_NAME})", rest)
    if m:
        return _rows(session, [(p,) for p in partitions_of(session, _unquote(m.group(1)))],
                     "partition string")
    m = re.fullmatch(r"(?is)CURRENT\s+(?:NAMESPACE|SCHEMA|DATABASE)", rest)
    if m:
        return _rows(session, [("spark_catalog", state.current_database)],
                     "catalog string, namespace string")
    raise ParseException(f"[UNSUPPORTED_FEATURE] SHOW {rest[:60]}", errorClass="UNSUPPORTED_FEATURE")


def partitions_of(session: Any, name: str) -> list[str]:
    from pyspk.sql.warehouse import require_table
    meta = require_table(_state(session), tuple(name.split(".")))
    if not meta.partition_columns:
        raise AnalysisException(
            f"[INVALID_PARTITION_OPERATION.PARTITION_SCHEMA_IS_EMPTY] The partition command is "
            f"invalid. Table {meta.qualified()} is not partitioned.",
            errorClass="INVALID_PARTITION_OPERATION.PARTITION_SCHEMA_IS_EMPTY")
    found = set()
    depth = len(meta.partition_columns)
    for root, dirs, files in os.walk(meta.location):
        rel = os.path.relpath(root, meta.location)
        segs = [] if rel == "." else rel.split(os.sep)
        if len(segs) == depth and all("=" in s for s in segs) and any(
                not f.startswith((".", "_")) for f in files):
            found.add("/".join(segs))
        dirs[:] = [d for d in dirs if not d.startswith((".", "_"))]
    return sorted(found)


def show_create_table(session: Any, name: str) -> str:
    from pyspk.sql.warehouse import require_table
    meta = require_table(_state(session), tuple(name.split(".")))
    cols = []
    for f in meta.schema.fields:
        ddl = f"  {f.name} {f.dataType.simpleString().upper()}"
        if isinstance(f.dataType, T.StringType):
            ddl += " COLLATE UTF8_BINARY"
        if not f.nullable:
            ddl += " NOT NULL"
        if _comment(f):
            ddl += f" COMMENT '{_comment(f)}'"
        cols.append(ddl)
    text = f"CREATE TABLE spark_catalog.{meta.database}.{meta.name} (\n" + ",\n".join(cols) + \
        f")\nUSING {meta.provider}\n"
    if meta.options:
        text += "OPTIONS (\n" + ",\n".join(f"  '{k}' = '{v}'" for k, v in sorted(meta.options.items())) \
            + ")\n"
    if meta.partition_columns:
        text += f"PARTITIONED BY ({', '.join(meta.partition_columns)})\n"
    if meta.comment:
        text += f"COMMENT '{meta.comment}'\n"
    if meta.table_type == "EXTERNAL":
        text += f"LOCATION 'file:{meta.location}'\n"
    if meta.properties:
        text += "TBLPROPERTIES (\n" + ",\n".join(
            f"  '{k}' = '{v}'" for k, v in sorted(meta.properties.items())) + ")\n"
    return text


def run_text_command(session: Any, text: str) -> Any | None:
    """Statements sqlglot's Spark dialect does not parse (``RESET``, ``CLEAR CACHE``,
    ``DESCRIBE t col``, ``SET key`` with dots): their DataFrame, or None for other statements."""
    s = text.strip().rstrip(";").strip()
    m = re.fullmatch(r"(?is)RESET(?:\s+(.*))?", s)
    if m:
        return reset_command(session, m.group(1) or "")
    if re.fullmatch(r"(?is)CLEAR\s+CACHE", s):
        session.catalog.clearCache()
        return _empty(session)
    m = re.fullmatch(r"(?is)SET(?:\s+(.*))?", s)
    if m and "=" not in (m.group(1) or ""):
        return set_command(session, m.group(1) or "")
    m = re.fullmatch(rf"(?is)(?:DESCRIBE|DESC)(?:\s+TABLE)?(?:\s+(EXTENDED|FORMATTED))?\s+({_NAME})"
                     rf"\s+({_NAME})", s)
    if m and m.group(2).upper() not in ("EXTENDED", "FORMATTED", "TABLE", "QUERY", "DATABASE",
                                        "SCHEMA", "NAMESPACE", "FUNCTION"):
        return describe_table(session, tuple(_unquote(m.group(2)).split(".")), bool(m.group(1)),
                              _unquote(m.group(3)))
    m = re.fullmatch(r"(?is)(?:DESCRIBE|DESC)\s+QUERY\s+(.*)", s)
    if m:
        df = session.sql(m.group(1))
        return _rows(session, [(f.name, f.dataType.simpleString(), _comment(f))
                               for f in df.schema.fields],
                     "col_name string, data_type string, comment string")
    return None


_HANDLERS = {
    "Create": _create, "Insert": _insert, "Drop": _drop, "TruncateTable": _truncatetable,
    "Alter": _alter, "Describe": _describe, "Cache": _cache, "Uncache": _uncache, "Use": _use,
    "Set": _set, "Command": _command, "Refresh": _refresh, "Analyze": _analyze,
}
