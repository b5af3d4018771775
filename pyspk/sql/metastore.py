"""The session catalog's persistent part: databases and tables described by JSON files under
``<spark.sql.warehouse.dir>/.pyspk_metastore``, so a new session (or a new process) finds them again.

Spark keeps this in a Hive metastore (Derby) when Hive support is on, and in memory otherwise; pyspk
keeps one small JSON document per database and per table instead — no server, readable, and written
atomically (temporary file + rename) so a crash never leaves a half-written entry. Managed tables
live in ``<warehouse>/<table>`` (database ``default``) or ``<warehouse>/<db>.db/<table>``, like
Spark's. Directories created by older pyspk versions without a metadata file are still listed as
Parquet tables whose schema comes from their files."""
from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from pyspk.errors import AnalysisException
from pyspk.sql import types as T

DEFAULT_DB = "default"
_META_DIR = ".pyspk_metastore"


@dataclass
class DatabaseMeta:
    """A database (schema): its name, comment and data location."""

    name: str
    comment: str = ""
    location: str = ""
    properties: dict[str, str] = field(default_factory=dict)


@dataclass
class TableMeta:
    """A table: its data source, schema (partition columns last, as Spark orders them) and location."""

    database: str
    name: str
    provider: str
    schema_json: str
    location: str
    partition_columns: list[str] = field(default_factory=list)
    table_type: str = "MANAGED"
    created: float = field(default_factory=time.time)
    comment: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    view_text: str | None = None

    @property
    def schema(self) -> T.StructType:
        return T.StructType.fromJson(json.loads(self.schema_json))

    def qualified(self) -> str:
        return f"`spark_catalog`.`{self.database}`.`{self.name}`"


def table_not_found(name: str) -> AnalysisException:
    return AnalysisException(
        f"[TABLE_OR_VIEW_NOT_FOUND] The table or view `{name}` cannot be found. Verify the spelling "
        "and correctness of the schema and catalog.\nIf you did not qualify the name with a schema, "
        "verify the current_schema() output, or qualify the name with the correct schema and catalog."
        "\nTo tolerate the error on drop use DROP VIEW IF EXISTS or DROP TABLE IF EXISTS. SQLSTATE: 42P01",
        errorClass="TABLE_OR_VIEW_NOT_FOUND", messageParameters={"relationName": f"`{name}`"},
        sqlState="42P01")


def schema_not_found(name: str) -> AnalysisException:
    return AnalysisException(
        f"[SCHEMA_NOT_FOUND] The schema `spark_catalog`.`{name}` cannot be found. Verify the spelling "
        "and correctness of the schema and catalog.\nIf you did not qualify the name with a catalog, "
        "verify the current_schema() output, or qualify the name with the correct catalog.\nTo "
        "tolerate the error on drop use DROP SCHEMA IF EXISTS. SQLSTATE: 42704",
        errorClass="SCHEMA_NOT_FOUND", messageParameters={"schemaName": f"`spark_catalog`.`{name}`"},
        sqlState="42704")


class Metastore:
    """Databases and tables of one warehouse directory."""

    def __init__(self, warehouse: str) -> None:
        self.warehouse = os.path.abspath(warehouse)
        self._root = os.path.join(self.warehouse, _META_DIR)

    # -- databases -------------------------------------------------------------------------------
    def _db_file(self, name: str) -> str:
        return os.path.join(self._root, "databases", f"{name}.json")

    def database_location(self, name: str) -> str:
        return self.warehouse if name == DEFAULT_DB else os.path.join(self.warehouse, f"{name}.db")

    def get_database(self, name: str) -> DatabaseMeta | None:
        name = name.lower()
        if name == DEFAULT_DB:
            return DatabaseMeta(DEFAULT_DB, "default database", self.warehouse)
        doc = _read_json(self._db_file(name))
        if doc is not None:
            return DatabaseMeta(**doc)
        legacy = self.database_location(name)
        return DatabaseMeta(name, "", legacy) if os.path.isdir(legacy) else None

    def databases(self) -> list[DatabaseMeta]:
        names = {DEFAULT_DB}
        folder = os.path.join(self._root, "databases")
        if os.path.isdir(folder):
            names.update(f[:-5] for f in os.listdir(folder) if f.endswith(".json"))
        if os.path.isdir(self.warehouse):
            names.update(d[:-3] for d in os.listdir(self.warehouse)
                         if d.endswith(".db") and os.path.isdir(os.path.join(self.warehouse, d)))
        return [m for m in (self.get_database(n) for n in sorted(names)) if m is not None]

    def create_database(self, meta: DatabaseMeta, if_not_exists: bool) -> None:
        if self.get_database(meta.name) is not None:
            if if_not_exists:
                return
            raise AnalysisException(
                f"[SCHEMA_ALREADY_EXISTS] Cannot create schema `{meta.name}` because it already "
                "exists.\nChoose a different name, drop the existing schema, or add the IF NOT EXISTS "
                "clause to tolerate pre-existing schema. SQLSTATE: 42P06",
                errorClass="SCHEMA_ALREADY_EXISTS", sqlState="42P06")
        meta.location = meta.location or self.database_location(meta.name)
        os.makedirs(meta.location, exist_ok=True)
        _write_json(self._db_file(meta.name), asdict(meta))

    def drop_database(self, name: str, if_exists: bool, cascade: bool) -> None:
        name = name.lower()
        if name == DEFAULT_DB:
            raise AnalysisException("[UNSUPPORTED_FEATURE.DROP_DATABASE] Drop the default database "
                                    "`spark_catalog`.`default` is not supported.",
                                    errorClass="UNSUPPORTED_FEATURE.DROP_DATABASE")
        meta = self.get_database(name)
        if meta is None:
            if if_exists:
                return
            raise schema_not_found(name)
        tables = self.tables(name)
        if tables and not cascade:
            raise AnalysisException(
                f"[SCHEMA_NOT_EMPTY] Cannot drop a schema `{name}` because it contains objects.\nUse "
                "DROP SCHEMA ... CASCADE to drop the schema and all its objects. SQLSTATE: 2BP01",
                errorClass="SCHEMA_NOT_EMPTY", sqlState="2BP01")
        for t in tables:
            self.drop_table(name, t.name)
        if os.path.isdir(meta.location) and meta.location != self.warehouse:
            shutil.rmtree(meta.location, ignore_errors=True)
        _remove(self._db_file(name))

    # -- tables ----------------------------------------------------------------------------------
    def _table_file(self, db: str, name: str) -> str:
        return os.path.join(self._root, "tables", db, f"{name}.json")

    def managed_location(self, db: str, name: str) -> str:
        return os.path.join(self.database_location(db), name.lower())

    def get_table(self, db: str, name: str) -> TableMeta | None:
        db, name = db.lower(), name.lower()
        doc = _read_json(self._table_file(db, name))
        if doc is not None:
            return TableMeta(**doc)
        legacy = self.managed_location(db, name)
        if self.get_database(db) is None or not os.path.isdir(legacy) or name.endswith(".db") \
                or name.startswith((".", "_")):
            return None
        from pyspk.sql.io.scan import infer_schema
        schema = infer_schema("parquet", [legacy], {})
        return TableMeta(db, name, "parquet", schema.json(), legacy,
                         created=os.path.getmtime(legacy))

    def tables(self, db: str) -> list[TableMeta]:
        db = db.lower()
        names: set[str] = set()
        folder = os.path.join(self._root, "tables", db)
        if os.path.isdir(folder):
            names.update(f[:-5] for f in os.listdir(folder) if f.endswith(".json"))
        base = self.database_location(db)
        if os.path.isdir(base):
            names.update(d for d in os.listdir(base) if os.path.isdir(os.path.join(base, d))
                         and not d.endswith(".db") and not d.startswith((".", "_")))
        return [m for m in (self.get_table(db, n) for n in sorted(names)) if m is not None]

    def save_table(self, meta: TableMeta) -> None:
        """Create or replace the metadata of a table."""
        _write_json(self._table_file(meta.database, meta.name), asdict(meta))

    def drop_table(self, db: str, name: str) -> None:
        meta = self.get_table(db, name)
        if meta is None:
            return
        if meta.table_type == "MANAGED" and meta.location and os.path.isdir(meta.location):
            shutil.rmtree(meta.location)
        _remove(self._table_file(meta.database, meta.name))

    def rename_table(self, meta: TableMeta, new_name: str) -> TableMeta:
        new_name = new_name.lower()
        if self.get_table(meta.database, new_name) is not None:
            raise AnalysisException(
                f"[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view `{meta.database}`."
                f"`{new_name}` because it already exists.\nChoose a different name, drop or replace the "
                "existing object, or add the IF NOT EXISTS clause to tolerate pre-existing objects. "
                "SQLSTATE: 42P07", errorClass="TABLE_OR_VIEW_ALREADY_EXISTS", sqlState="42P07")
        old_file = self._table_file(meta.database, meta.name)
        renamed = TableMeta(**{**asdict(meta), "name": new_name})
        if meta.table_type == "MANAGED":
            renamed.location = self.managed_location(meta.database, new_name)
            if os.path.isdir(meta.location):
                os.rename(meta.location, renamed.location)
        self.save_table(renamed)
        _remove(old_file)
        return renamed


def _read_json(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return None


def _write_json(path: str, doc: Any) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=1, sort_keys=True)
    os.replace(tmp, path)


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
