"""``spark.catalog`` and view registration."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyspk.errors import AnalysisException
from pyspk.sql.catalog_state import GLOBAL_TEMP_DB
from pyspk.sql.plan import logical as L


@dataclass(frozen=True)
class Database:
    name: str
    catalog: str | None
    description: str | None
    locationUri: str


@dataclass(frozen=True)
class Table:
    name: str
    catalog: str | None
    namespace: list[str] | None
    description: str | None
    tableType: str
    isTemporary: bool

    @property
    def database(self) -> str | None:
        return self.namespace[0] if self.namespace else None


@dataclass(frozen=True)
class Column:
    name: str
    description: str | None
    dataType: str
    nullable: bool
    isPartition: bool
    isBucket: bool
    isCluster: bool = False


@dataclass(frozen=True)
class TablePartition:
    partition: str


@dataclass(frozen=True)
class Function:
    name: str
    catalog: str | None
    namespace: list[str] | None
    description: str | None
    className: str
    isTemporary: bool


def register_view(df: Any, name: str, replace: bool, global_: bool) -> None:
    state = df._session._catalog_state
    key = name.lower()
    views = state.global_views if global_ else state.temp_views
    with state.lock:
        if not replace and key in views:
            from pyspk.errors import TempTableAlreadyExistsException
            shown = f"`{GLOBAL_TEMP_DB}`.`{name}`" if global_ else f"`{name}`"
            raise TempTableAlreadyExistsException(
                f"[TEMP_TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create the temporary view {shown} "
                "because it already exists.\nChoose a different name, drop or replace the existing "
                "view,  or add the IF NOT EXISTS clause to tolerate pre-existing views. "
                "SQLSTATE: 42P07", errorClass="TEMP_TABLE_OR_VIEW_ALREADY_EXISTS",
                messageParameters={"relationName": shown})
        views[key] = df._plan


def like(name: str, pattern: str | None) -> bool:
    """Spark's catalog patterns: ``*`` matches anything, ``|`` separates alternatives, case-insensitive."""
    if not pattern:
        return True
    import re
    alts = [re.escape(p.strip()).replace(r"\*", ".*") for p in pattern.split("|")]
    return re.fullmatch("|".join(alts), name, re.IGNORECASE) is not None


def _quoted(name: str) -> str:
    return ".".join(f"`{p}`" for p in name.split("."))


def _struct(schema: Any) -> Any:
    from pyspk.sql import types as T
    if isinstance(schema, str):
        from pyspk.sql._typeparse import parse_ddl_schema
        return parse_ddl_schema(schema)
    return schema if isinstance(schema, T.StructType) else T.StructType(list(schema))


class Catalog:
    """Tables, views, databases and functions of the session."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self._state = session._catalog_state

    def currentDatabase(self) -> str:
        return self._state.current_database

    def setCurrentDatabase(self, dbName: str) -> None:
        from pyspk.sql.warehouse import db_name, require_database
        require_database(self._state, dbName)
        self._state.current_database = db_name(dbName)

    def currentCatalog(self) -> str:
        return "spark_catalog"

    def setCurrentCatalog(self, catalogName: str) -> None:
        return None

    def listCatalogs(self, pattern: str | None = None) -> list[Any]:
        from collections import namedtuple
        CatalogMetadata = namedtuple("CatalogMetadata", ["name", "description"])
        return [CatalogMetadata("spark_catalog", None)]

    def listDatabases(self, pattern: str | None = None) -> list[Database]:
        from pyspk.sql.warehouse import metastore
        return [Database(m.name, "spark_catalog", m.comment, "file:" + m.location)
                for m in metastore(self._state).databases() if like(m.name, pattern)]

    def databaseExists(self, dbName: str) -> bool:
        from pyspk.sql.warehouse import db_name, metastore
        return metastore(self._state).get_database(db_name(dbName)) is not None

    def listTables(self, dbName: str | None = None, pattern: str | None = None) -> list[Table]:
        from pyspk.sql.warehouse import metastore, require_database
        out = []
        from pyspk.sql.warehouse import db_name
        db = db_name(dbName or self._state.current_database)
        if db == GLOBAL_TEMP_DB:
            for name in sorted(self._state.global_views):
                out.append(Table(name, None, [GLOBAL_TEMP_DB], None, "TEMPORARY", True))
        else:
            require_database(self._state, db)
            for m in metastore(self._state).tables(db):
                out.append(Table(m.name, "spark_catalog", [db], m.comment, m.table_type, False))
        for name in sorted(self._state.temp_views):
            out.append(Table(name, None, [], None, "TEMPORARY", True))
        return [t for t in out if like(t.name, pattern)]

    def listViews(self, dbName: str | None = None, pattern: str | None = None) -> list[Table]:
        return [t for t in self.listTables(dbName, pattern) if t.tableType in ("TEMPORARY", "VIEW")]

    def getTable(self, tableName: str) -> Table:
        from pyspk.sql.warehouse import require_table
        parts = tuple(tableName.split("."))
        name = parts[-1].lower()
        if len(parts) == 1 and name in self._state.temp_views:
            return Table(name, None, [], None, "TEMPORARY", True)
        if len(parts) == 2 and parts[0].lower() == GLOBAL_TEMP_DB and name in self._state.global_views:
            return Table(name, None, [GLOBAL_TEMP_DB], None, "TEMPORARY", True)
        m = require_table(self._state, parts)
        return Table(m.name, "spark_catalog", [m.database], m.comment, m.table_type, False)

    def createTable(self, tableName: str, path: str | None = None, source: str | None = None,
                    schema: Any = None, description: str | None = None, **options: Any) -> Any:
        """A managed table (no path: empty, of ``schema``) or an external one over files at ``path``."""
        from pyspk.sql.metastore import TableMeta
        from pyspk.sql.readwriter import _opts
        from pyspk.sql.warehouse import metastore, qualify, require_database
        db, name = qualify(self._state, tuple(tableName.split(".")))
        require_database(self._state, db)
        store = metastore(self._state)
        if store.get_table(db, name) is not None:
            from pyspk.sql.warehouse import save_as_table
            save_as_table(self._session.range(0), (db, name), "parquet", "error", [], {})
        fmt = source or str(self._session.conf.get("spark.sql.sources.default", "parquet"))
        opts = _opts(options)
        if path is not None:
            import os
            from pyspk.sql.io.paths import local_path
            location = local_path(path)
            found = schema if schema is not None else \
                self._session.read.format(fmt).options(**opts).load(location).schema
            meta = TableMeta(db, name, fmt, _struct(found).json(), location, table_type="EXTERNAL",
                             comment=description, options=opts)
        else:
            if schema is None:
                raise AnalysisException("[UNSUPPORTED_FEATURE] createTable without a path needs a "
                                        "schema.", errorClass="UNSUPPORTED_FEATURE")
            location = store.managed_location(db, name)
            import os
            os.makedirs(location, exist_ok=True)
            meta = TableMeta(db, name, fmt, _struct(schema).json(), location, comment=description,
                             options=opts)
        store.save_table(meta)
        return self._session.table(f"{db}.{name}")

    def createExternalTable(self, tableName: str, path: str | None = None, source: str | None = None,
                            schema: Any = None, **options: Any) -> Any:
        return self.createTable(tableName, path, source, schema, **options)

    def createDatabase(self, dbName: str, ifNotExists: bool = False) -> None:
        from pyspk.sql.metastore import DatabaseMeta
        from pyspk.sql.warehouse import metastore
        metastore(self._state).create_database(DatabaseMeta(dbName.lower()), ifNotExists)

    def dropDatabase(self, dbName: str, ifExists: bool = False, cascade: bool = False) -> None:
        from pyspk.sql.warehouse import db_name, metastore
        metastore(self._state).drop_database(db_name(dbName), ifExists, cascade)
        if self._state.current_database == db_name(dbName):
            self._state.current_database = "default"

    def getDatabase(self, dbName: str) -> Database:
        from pyspk.sql.warehouse import db_name, metastore, require_database
        require_database(self._state, dbName)
        m = metastore(self._state).get_database(db_name(dbName))
        return Database(m.name, "spark_catalog", m.comment, "file:" + m.location)

    def getFunction(self, functionName: str) -> Function:
        if not self.functionExists(functionName):
            raise AnalysisException(f"[UNRESOLVED_ROUTINE] Cannot resolve routine `{functionName}`.",
                                    errorClass="UNRESOLVED_ROUTINE")
        return Function(functionName, "spark_catalog", ["default"], None, "pyspk", False)

    def analyzeTable(self, tableName: str, noScan: bool = False) -> None:
        self.getTable(tableName)

    def tableExists(self, tableName: str, dbName: str | None = None) -> bool:
        parts = tuple(tableName.split(".")) if dbName is None else (dbName, tableName)
        return self._state.lookup(parts) is not None

    def listColumns(self, tableName: str, dbName: str | None = None) -> list[Column]:
        from pyspk.sql.warehouse import get_table
        name = tableName if dbName is None else f"{dbName}.{tableName}"
        parts = tuple(name.split("."))
        meta = get_table(self._state, parts) if not (
            len(parts) == 1 and parts[0].lower() in self._state.temp_views) else None
        schema = meta.schema if meta is not None else self._session.table(name).schema
        partitions = {c.lower() for c in (meta.partition_columns if meta else [])}
        return [Column(f.name, None, f.dataType.simpleString(), f.nullable,
                       f.name.lower() in partitions, False) for f in schema.fields]

    def listFunctions(self, dbName: str | None = None, pattern: str | None = None) -> list[Function]:
        import fnmatch
        from pyspk.sql.expressions.registry import BUILDERS
        from pyspk.sql.expressions.scalar import SPECS
        names = sorted(set(BUILDERS) | set(SPECS))
        if pattern:
            names = [n for n in names if fnmatch.fnmatch(n, pattern)]
        return [Function(n, None, None, None, "pyspk", True) for n in names]

    def functionExists(self, functionName: str, dbName: str | None = None) -> bool:
        from pyspk.sql.expressions.registry import function_exists
        from pyspk.sql.udf import registered_udf
        return function_exists(functionName) or registered_udf(functionName) is not None

    def dropTable(self, tableName: str, ifExists: bool = False, purge: bool = False) -> None:
        """Drop a persistent table (its files too when it is managed)."""
        self._session.sql(f"DROP TABLE {'IF EXISTS ' if ifExists else ''}{_quoted(tableName)}")

    def dropView(self, viewName: str, ifExists: bool = False) -> None:
        self._session.sql(f"DROP VIEW {'IF EXISTS ' if ifExists else ''}{_quoted(viewName)}")

    def truncateTable(self, tableName: str) -> None:
        self._session.sql(f"TRUNCATE TABLE {_quoted(tableName)}")

    def getCreateTableString(self, tableName: str, asSerde: bool = False) -> str:
        from pyspk.sql.sql_commands import show_create_table
        return show_create_table(self._session, tableName)

    def getTableProperties(self, tableName: str) -> dict[str, str]:
        from pyspk.sql.warehouse import require_table
        return dict(require_table(self._state, tuple(tableName.split("."))).properties)

    def listPartitions(self, tableName: str) -> list[TablePartition]:
        from pyspk.sql.sql_commands import partitions_of
        return [TablePartition(p) for p in partitions_of(self._session, tableName)]

    def registerFunction(self, name: str, f: Any, returnType: Any = None) -> Any:
        return self._session.udf.register(name, f, returnType)

    def dropTempView(self, viewName: str) -> bool:
        return self._state.temp_views.pop(viewName.lower(), None) is not None

    def dropGlobalTempView(self, viewName: str) -> bool:
        return self._state.global_views.pop(viewName.lower(), None) is not None

    def isCached(self, tableName: str) -> bool:
        from pyspk.sql.warehouse import table_not_found
        plan = self._state.lookup(tuple(tableName.split(".")))
        if plan is None:
            raise table_not_found(tableName)
        return isinstance(plan, L.CachedRelation)

    def cacheTable(self, tableName: str, storageLevel: Any = None) -> None:
        """Keep the table's rows after their first computation; later reads use them."""
        from pyspk.sql.warehouse import qualify, table_not_found
        parts = tuple(tableName.split("."))
        plan = self._state.lookup(parts)
        if plan is None:
            raise table_not_found(tableName)
        if isinstance(plan, L.CachedRelation):
            return
        cached = L.CachedRelation(plan)
        key = parts[-1].lower()
        with self._state.lock:
            if len(parts) == 1 and key in self._state.temp_views:
                self._state.temp_views[key] = cached
            elif len(parts) == 2 and parts[0].lower() == GLOBAL_TEMP_DB:
                self._state.global_views[key] = cached
            else:
                self._state.cached_tables[qualify(self._state, parts)] = cached

    def uncacheTable(self, tableName: str) -> None:
        from pyspk.sql.warehouse import qualify, table_not_found
        parts = tuple(tableName.split("."))
        plan = self._state.lookup(parts)
        if plan is None:
            raise table_not_found(tableName)
        key = parts[-1].lower()
        with self._state.lock:
            if len(parts) == 1 and isinstance(self._state.temp_views.get(key), L.CachedRelation):
                self._state.temp_views[key] = self._state.temp_views[key].child
            elif len(parts) == 2 and isinstance(self._state.global_views.get(key), L.CachedRelation):
                self._state.global_views[key] = self._state.global_views[key].child
            else:
                self._state.cached_tables.pop(qualify(self._state, parts), None)

    def clearCache(self) -> None:
        with self._state.lock:
            for views in (self._state.temp_views, self._state.global_views):
                for k, plan in list(views.items()):
                    if isinstance(plan, L.CachedRelation):
                        views[k] = plan.child
            self._state.cached_tables.clear()

    def refreshTable(self, tableName: str) -> None:
        """Forget the cached rows of a cached table or view; the next read computes them again."""
        from pyspk.sql.warehouse import lookup_table, qualify
        parts = tuple(tableName.split("."))
        plan = self._state.lookup(parts)
        if not isinstance(plan, L.CachedRelation):
            return
        plan.release()
        key = qualify(self._state, parts)
        with self._state.lock:
            if self._state.cached_tables.get(key) is plan:
                fresh = lookup_table(self._state, parts)
                if fresh is not None:
                    again = L.CachedRelation(fresh)
                    again.store.update({k: v for k, v in plan.store.items() if k == "level"})
                    self._state.cached_tables[key] = again

    def refreshByPath(self, path: str) -> None:
        """Forget cached rows of every cached table or view that reads files under ``path``."""
        import os
        from pyspk.sql.io.paths import local_path
        root = os.path.realpath(local_path(path))
        with self._state.lock:
            cached = [p for p in [*self._state.temp_views.values(), *self._state.global_views.values(),
                                  *self._state.cached_tables.values()] if isinstance(p, L.CachedRelation)]
        for plan in cached:
            for node in plan.child.walk():
                if isinstance(node, L.FileScan) and any(
                        os.path.realpath(f) == root or os.path.realpath(f).startswith(root + os.sep)
                        for f in node.paths):
                    plan.release()
                    break

    def recoverPartitions(self, tableName: str) -> None:
        return None
