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


class Catalog:
    """Tables, views, databases and functions of the session."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self._state = session._catalog_state

    def currentDatabase(self) -> str:
        return self._state.current_database

    def setCurrentDatabase(self, dbName: str) -> None:
        if dbName.lower() not in self._state.databases:
            raise AnalysisException(f"[SCHEMA_NOT_FOUND] The schema `{dbName}` cannot be found.",
                                    errorClass="SCHEMA_NOT_FOUND")
        self._state.current_database = dbName.lower()

    def currentCatalog(self) -> str:
        return "spark_catalog"

    def setCurrentCatalog(self, catalogName: str) -> None:
        return None

    def listCatalogs(self, pattern: str | None = None) -> list[Any]:
        from collections import namedtuple
        CatalogMetadata = namedtuple("CatalogMetadata", ["name", "description"])
        return [CatalogMetadata("spark_catalog", None)]

    def listDatabases(self, pattern: str | None = None) -> list[Database]:
        import fnmatch
        import os
        out = []
        for name, desc in sorted(self._state.databases.items()):
            if pattern and not fnmatch.fnmatch(name, pattern.replace("*", "*")):
                continue
            out.append(Database(name, "spark_catalog", desc, "file:" + os.path.abspath("spark-warehouse")))
        return out

    def databaseExists(self, dbName: str) -> bool:
        return dbName.lower() in self._state.databases

    def listTables(self, dbName: str | None = None, pattern: str | None = None) -> list[Table]:
        import fnmatch
        out = []
        db = (dbName or self._state.current_database).lower()
        if db == GLOBAL_TEMP_DB:
            for name in sorted(self._state.global_views):
                out.append(Table(name, None, [GLOBAL_TEMP_DB], None, "TEMPORARY", True))
        else:
            for name in self._warehouse_tables(db):
                out.append(Table(name, "spark_catalog", [db], None, "MANAGED", False))
        for name in sorted(self._state.temp_views):
            out.append(Table(name, None, [], None, "TEMPORARY", True))
        if pattern:
            out = [t for t in out if fnmatch.fnmatch(t.name, pattern)]
        return out

    def _warehouse_tables(self, db: str) -> list[str]:
        import os
        from pyspk.sql.warehouse import warehouse_dir
        base = warehouse_dir(self._state)
        if db != "default":
            base = os.path.join(base, f"{db}.db")
        if not os.path.isdir(base):
            return []
        return sorted(n for n in os.listdir(base) if os.path.isdir(os.path.join(base, n))
                      and not n.endswith(".db"))

    def listViews(self, dbName: str | None = None, pattern: str | None = None) -> list[Table]:
        return [t for t in self.listTables(dbName, pattern) if t.tableType in ("TEMPORARY", "VIEW")]

    def getTable(self, tableName: str) -> Table:
        parts = tableName.split(".")
        name = parts[-1].lower()
        if len(parts) == 1 and name in self._state.temp_views:
            return Table(name, None, [], None, "TEMPORARY", True)
        db = parts[-2].lower() if len(parts) > 1 else self._state.current_database
        if name in self._warehouse_tables(db):
            return Table(name, "spark_catalog", [db], None, "MANAGED", False)
        raise AnalysisException(f"[TABLE_OR_VIEW_NOT_FOUND] The table or view `{tableName}` cannot be "
                                "found.", errorClass="TABLE_OR_VIEW_NOT_FOUND")

    def createTable(self, tableName: str, path: str | None = None, source: str | None = None,
                    schema: Any = None, description: str | None = None, **options: Any) -> Any:
        from pyspk.sql.warehouse import table_path
        df = self._session.read.format(source or "parquet").load(path) if path else \
            self._session.createDataFrame([], schema)
        df.write.mode("errorifexists").parquet(table_path(self._state, tuple(tableName.split("."))))
        return self._session.table(tableName)

    createExternalTable = createTable

    def createDatabase(self, dbName: str, ifNotExists: bool = False) -> None:
        self._session.sql(f"CREATE DATABASE {'IF NOT EXISTS ' if ifNotExists else ''}{dbName}")

    def dropDatabase(self, dbName: str, ifExists: bool = False) -> None:
        self._state.databases.pop(dbName.lower(), None)

    def getDatabase(self, dbName: str) -> Database:
        import os
        if dbName.lower() not in self._state.databases:
            raise AnalysisException(f"[SCHEMA_NOT_FOUND] The schema `{dbName}` cannot be found.",
                                    errorClass="SCHEMA_NOT_FOUND")
        return Database(dbName.lower(), "spark_catalog", self._state.databases[dbName.lower()],
                        "file:" + os.path.abspath("spark-warehouse"))

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
        df = self._session.table(tableName if dbName is None else f"{dbName}.{tableName}")
        return [Column(f.name, None, f.dataType.simpleString(), f.nullable, False, False)
                for f in df.schema.fields]

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

    def dropTempView(self, viewName: str) -> bool:
        return self._state.temp_views.pop(viewName.lower(), None) is not None

    def dropGlobalTempView(self, viewName: str) -> bool:
        return self._state.global_views.pop(viewName.lower(), None) is not None

    def isCached(self, tableName: str) -> bool:
        plan = self._state.lookup(tuple(tableName.split(".")))
        return isinstance(plan, L.CachedRelation)

    def cacheTable(self, tableName: str, storageLevel: Any = None) -> None:
        key = tableName.lower()
        if key in self._state.temp_views:
            plan = self._state.temp_views[key]
            if not isinstance(plan, L.CachedRelation):
                self._state.temp_views[key] = L.CachedRelation(plan)

    def uncacheTable(self, tableName: str) -> None:
        key = tableName.lower()
        plan = self._state.temp_views.get(key)
        if isinstance(plan, L.CachedRelation):
            self._state.temp_views[key] = plan.child

    def clearCache(self) -> None:
        for k, plan in list(self._state.temp_views.items()):
            if isinstance(plan, L.CachedRelation):
                self._state.temp_views[k] = plan.child

    def refreshTable(self, tableName: str) -> None:
        return None

    def refreshByPath(self, path: str) -> None:
        return None

    def recoverPartitions(self, tableName: str) -> None:
        return None
