"""Persistent tables of the session catalog: name resolution against the current database, scans
of table data, and writes that keep the metastore (pyspk/sql/metastore.py) in step with the files."""
from __future__ import annotations

import os
from typing import Any

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql.metastore import Metastore, TableMeta, schema_not_found, table_not_found
from pyspk.sql.plan.logical import LogicalPlan


def warehouse_dir(state: Any) -> str:
    return os.path.abspath(getattr(state, "warehouse", None) or "spark-warehouse")


def metastore(state: Any) -> Metastore:
    return Metastore(warehouse_dir(state))


def qualify(state: Any, parts: tuple[str, ...]) -> tuple[str, str]:
    """``(database, table)`` of a possibly qualified name (``spark_catalog.db.t``, ``db.t``, ``t``)."""
    parts = strip_catalog(parts)
    db = parts[-2].lower() if len(parts) >= 2 else state.current_database
    return db, parts[-1].lower()


def strip_catalog(parts: tuple[str, ...]) -> tuple[str, ...]:
    """A name without its leading ``spark_catalog`` (the only catalog there is)."""
    if len(parts) >= 2 and parts[0].lower() == "spark_catalog":
        return tuple(parts[1:])
    return tuple(parts)


def table_path(state: Any, parts: tuple[str, ...]) -> str:
    """Where a managed table of this name keeps its files."""
    db, name = qualify(state, parts)
    return metastore(state).managed_location(db, name)


def get_table(state: Any, parts: tuple[str, ...]) -> TableMeta | None:
    db, name = qualify(state, parts)
    return metastore(state).get_table(db, name)


def require_table(state: Any, parts: tuple[str, ...]) -> TableMeta:
    meta = get_table(state, parts)
    if meta is None:
        raise table_not_found(".".join(parts))
    return meta


def db_name(name: str) -> str:
    """A database name without a leading ``spark_catalog.``, lower-cased."""
    return ".".join(strip_catalog(tuple(name.split(".")))).lower()


def require_database(state: Any, name: str) -> None:
    if metastore(state).get_database(db_name(name)) is None:
        raise schema_not_found(db_name(name))


def lookup_table(state: Any, parts: tuple[str, ...]) -> LogicalPlan | None:
    """A scan of a warehouse table, or None when there is no such table."""
    meta = get_table(state, parts)
    if meta is None:
        return None
    if meta.table_type == "VIEW":
        return state.resolve_view(meta.view_text)
    return scan_plan(meta)


def scan_plan(meta: TableMeta) -> LogicalPlan:
    from pyspk.sql.io.scan import file_scan_plan
    os.makedirs(meta.location, exist_ok=True)
    return file_scan_plan(meta.provider, [meta.location], meta.schema, dict(meta.options))


def table_schema(schema: T.StructType, partition_columns: list[str]) -> T.StructType:
    """Spark's table schema: data columns, then partition columns in PARTITIONED BY order."""
    by_name = {f.name.lower(): f for f in schema.fields}
    missing = [c for c in partition_columns if c.lower() not in by_name]
    if missing:
        raise AnalysisException(
            f"[COLUMN_NOT_DEFINED_IN_TABLE] partition column `{missing[0]}` is not defined in table, "
            f"defined table columns are: {', '.join('`' + f.name + '`' for f in schema.fields)}.",
            errorClass="COLUMN_NOT_DEFINED_IN_TABLE")
    parts = {c.lower() for c in partition_columns}
    data = [f for f in schema.fields if f.name.lower() not in parts]
    return T.StructType(data + [by_name[c.lower()] for c in partition_columns])


def write_table_data(df: Any, meta: TableMeta, mode: str) -> None:
    """Write ``df`` (columns already in table order and types) into the table's location."""
    writer = df.write.mode(mode).format(meta.provider).options(**meta.options)
    if meta.partition_columns:
        writer = writer.partitionBy(*meta.partition_columns)
    writer.save(meta.location)


def save_as_table(df: Any, parts: tuple[str, ...], fmt: str, mode: str, partition_by: list[str],
                  options: dict[str, str]) -> None:
    """``DataFrameWriter.saveAsTable``: create, append to, overwrite or ignore a table."""
    state = df._session._catalog_state
    db, name = qualify(state, parts)
    require_database(state, db)
    store = metastore(state)
    existing = store.get_table(db, name)
    mode = mode.lower()
    if existing is not None:
        if mode in ("error", "errorifexists", "default"):
            raise AnalysisException(
                f"[TABLE_OR_VIEW_ALREADY_EXISTS] Cannot create table or view `spark_catalog`.`{db}`."
                f"`{name}` because it "
                "already exists.\nChoose a different name, drop or replace the existing object, or add "
                "the IF NOT EXISTS clause to tolerate pre-existing objects. SQLSTATE: 42P07",
                errorClass="TABLE_OR_VIEW_ALREADY_EXISTS", sqlState="42P07")
        if mode == "ignore":
            return
        if mode == "append":
            target = existing.schema
            df = df.select(*[df[c].cast(f.dataType).alias(f.name) for c, f in
                             zip(_by_name(df, target), target.fields)])
            write_table_data(df, existing, "append")
            return
        check_not_reading(df, existing)
        store.drop_table(db, name)
    schema = table_schema(df.schema, partition_by)
    meta = TableMeta(db, name, fmt or "parquet", schema.json(), store.managed_location(db, name),
                     list(partition_by), options=dict(options))
    write_table_data(df.select(*schema.names), meta, "overwrite")
    store.save_table(meta)


def _by_name(df: Any, target: T.StructType) -> list[str]:
    cols = {c.lower(): c for c in df.columns}
    missing = [f.name for f in target.fields if f.name.lower() not in cols]
    if missing:
        raise AnalysisException(
            f"[INCOMPATIBLE_DATA_FOR_TABLE.CANNOT_FIND_DATA] Cannot write incompatible data for the "
            f"table: Cannot find data for the output column `{missing[0]}`.",
            errorClass="INCOMPATIBLE_DATA_FOR_TABLE.CANNOT_FIND_DATA")
    return [cols[f.name.lower()] for f in target.fields]


def check_not_reading(df: Any, meta: TableMeta) -> None:
    """Overwriting a table that the query reads would delete its input first: Spark refuses."""
    from pyspk.sql.io.paths import local_path
    from pyspk.sql.io.write_job import reads_under
    if reads_under(df._plan, local_path(meta.location)):
        raise AnalysisException(
            f"[UNSUPPORTED_OVERWRITE.TABLE] Can't overwrite the target that is also being read "
            f"from. The target table is {meta.qualified()}. SQLSTATE: 42902",
            errorClass="UNSUPPORTED_OVERWRITE.TABLE", sqlState="42902")
