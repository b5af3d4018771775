"""DataFrame methods built from other DataFrame operations: ``toJSON``, ``zipWithIndex``,
``transpose``; and ``DataFrameWriterV2`` (``df.writeTo(table)``)."""
from __future__ import annotations

from typing import Any

from pyspk.errors import AnalysisException
from pyspk.sql import types as T

TRANSPOSE_MAX_VALUES = 500


def to_json(df: Any) -> Any:
    """An RDD of one JSON document per row (null fields left out, as Spark's JSON writer)."""
    from pyspk.sql import functions as F
    docs = df.select(F.to_json(F.struct(*[F.col(f"`{c}`") for c in df.columns])).alias("value"))
    return docs.rdd.map(lambda row: row[0])


def zip_with_index(df: Any, name: str) -> Any:
    """Rows with a 0-based consecutive bigint index in their current order."""
    from pyspk.sql import functions as F
    from pyspk.sql.window import Window
    order = F.monotonically_increasing_id()
    return df.withColumn(name, (F.row_number().over(Window.orderBy(order)) - 1).cast("bigint"))


def transpose(df: Any, index: Any) -> Any:
    """Spark's ``transpose``: index values (non-null, ascending) become columns, the other
    columns' names become the ``key`` column, values cast to their least common type."""
    from pyspk.sql.column import Column
    from pyspk.sql.expressions.coercion import tightest_common_type
    if not df.columns:
        return df
    index_name = index if isinstance(index, str) else \
        (df.select(index).columns[0] if isinstance(index, Column) else df.columns[0])
    fields = {f.name: f for f in df.schema.fields}
    idx = fields[index_name]
    if isinstance(idx.dataType, (T.ArrayType, T.MapType, T.StructType)):
        raise AnalysisException(
            f"[TRANSPOSE_INVALID_INDEX_COLUMN] Invalid index column for TRANSPOSE because: Index "
            f"column must be of atomic type, but found: {idx.dataType.simpleString().upper()}.",
            errorClass="TRANSPOSE_INVALID_INDEX_COLUMN")
    values = [f for f in df.schema.fields if f.name != index_name]
    common: T.DataType = values[0].dataType if values else T.StringType()
    for f in values[1:]:
        wider = tightest_common_type(common, f.dataType)
        if wider is None:
            raise AnalysisException(
                "[TRANSPOSE_NO_LEAST_COMMON_TYPE] Transpose requires non-index columns to share a "
                f"least common type, but \"{common.simpleString().upper()}\" and "
                f"\"{f.dataType.simpleString().upper()}\" do not. SQLSTATE: 42K09",
                errorClass="TRANSPOSE_NO_LEAST_COMMON_TYPE", sqlState="42K09")
        common = wider
    rows = df.where(df[f"`{index_name}`"].isNotNull()).orderBy(f"`{index_name}`").collect()
    if len(rows) > TRANSPOSE_MAX_VALUES:
        raise AnalysisException(
            f"[TRANSPOSE_EXCEED_ROW_LIMIT] Number of rows exceeds the allowed limit of "
            f"{TRANSPOSE_MAX_VALUES} for TRANSPOSE. If this was intended, set "
            "spark.sql.transposeMaxValues to at least the current row count.",
            errorClass="TRANSPOSE_EXCEED_ROW_LIMIT")
    names = [str(r[index_name]) for r in rows]
    casted = df.sparkSession.createDataFrame(
        [tuple(r[f.name] for f in values) for r in rows],
        T.StructType([T.StructField(f.name, f.dataType, True) for f in values])) if rows else None
    cells = [] if casted is None else casted.select(
        *[casted[f"`{f.name}`"].cast(common) for f in values]).collect()
    out = [(f.name, *[cells[i][j] for i in range(len(rows))]) for j, f in enumerate(values)]
    schema = T.StructType([T.StructField("key", T.StringType(), False)] +
                          [T.StructField(n, common, True) for n in names])
    return df.sparkSession.createDataFrame(out, schema)


class DataFrameWriterV2:
    """``df.writeTo(table)``: create, replace, append to or overwrite a catalog table."""

    def __init__(self, df: Any, table: str) -> None:
        self._df = df
        self._table = table
        self._provider: str | None = None
        self._options: dict[str, str] = {}
        self._properties: dict[str, str] = {}
        self._partitioning: list[str] = []

    def using(self, provider: str) -> "DataFrameWriterV2":
        self._provider = provider
        return self

    def option(self, key: str, value: Any) -> "DataFrameWriterV2":
        self._options[key] = str(value).lower() if isinstance(value, bool) else str(value)
        return self

    def options(self, **options: Any) -> "DataFrameWriterV2":
        for k, v in options.items():
            self.option(k, v)
        return self

    def tableProperty(self, property: str, value: str) -> "DataFrameWriterV2":
        self._properties[property] = value
        return self

    def partitionedBy(self, col: Any, *cols: Any) -> "DataFrameWriterV2":
        from pyspk.sql.column import Column
        for c in (col, *cols):
            if isinstance(c, Column):
                name = self._df.select(c).columns[0]
            else:
                name = c
            self._partitioning.append(name)
        return self

    def clusterBy(self, col: str, *cols: str) -> "DataFrameWriterV2":
        return self

    def _meta_exists(self) -> Any:
        from pyspk.sql.warehouse import get_table
        return get_table(self._df._session._catalog_state, tuple(self._table.split(".")))

    def _write_new(self) -> None:
        from pyspk.sql.warehouse import metastore, save_as_table
        fmt = self._provider or str(self._df._session.conf.get("spark.sql.sources.default",
                                                               "parquet"))
        save_as_table(self._df, tuple(self._table.split(".")), fmt, "error", self._partitioning,
                      self._options)
        if self._properties:
            meta = self._meta_exists()
            meta.properties.update(self._properties)
            metastore(self._df._session._catalog_state).save_table(meta)

    def create(self) -> None:
        self._write_new()

    def replace(self) -> None:
        raise self._no_replace()

    def createOrReplace(self) -> None:
        raise self._no_replace()

    def _no_replace(self) -> AnalysisException:
        from pyspk.sql.warehouse import qualify
        db, name = qualify(self._df._session._catalog_state, tuple(self._table.split(".")))
        # File tables of the session catalog are Spark's "v1" tables: no REPLACE TABLE AS SELECT.
        return AnalysisException(
            f"[UNSUPPORTED_FEATURE.TABLE_OPERATION] The feature is not supported: Table "
            f"`spark_catalog`.`{db}`.`{name}` does not support REPLACE TABLE AS SELECT. Please check "
            "the current catalog and namespace to make sure the qualified table name is expected, "
            "and also check the catalog implementation which is configured by "
            "\"spark.sql.catalog\". SQLSTATE: 0A000",
            errorClass="UNSUPPORTED_FEATURE.TABLE_OPERATION", sqlState="0A000")

    def _v1_table(self) -> AnalysisException:
        from pyspk.sql.warehouse import qualify, table_not_found
        if self._meta_exists() is None:
            return table_not_found(self._table)
        db, name = qualify(self._df._session._catalog_state, tuple(self._table.split(".")))
        # The session catalog's file tables are Spark's "v1" tables: row-level v2 writes refuse them.
        return AnalysisException(f"Cannot write into v1 table: `spark_catalog`.`{db}`.`{name}`.",
                                 errorClass="_LEGACY_ERROR_TEMP_1012")

    def append(self) -> None:
        raise self._v1_table()

    def overwrite(self, condition: Any) -> None:
        raise self._v1_table()

    def overwritePartitions(self) -> None:
        raise self._v1_table()
