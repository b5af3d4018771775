"""``spark.read`` and ``df.write``: formats, options, save modes, partitionBy."""
from __future__ import annotations

from typing import Any

from pyspk.sql import types as T


FORMATS = ("parquet", "orc", "csv", "json", "text")


def check_format(fmt: str) -> None:
    """Spark's DATA_SOURCE_NOT_FOUND for a format no reader or writer handles."""
    if fmt not in FORMATS:
        from pyspk.sql.io.text_formats import _unknown
        raise _unknown(fmt)


def _with_partition_fields(schema: T.StructType, paths: list[str]) -> T.StructType:
    """A user schema plus the Hive partition columns found under the paths, as Spark appends
    them."""
    from pyspk.sql.io.partitions import partition_fields
    from pyspk.sql.io.scan import _files, expand_paths
    real = expand_paths(paths)
    extra = partition_fields(_files(real), real, schema.names)
    return T.StructType(schema.fields + extra) if extra else schema


def _opts(options: dict[str, Any]) -> dict[str, str]:
    return {k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in options.items()
            if v is not None}


class DataFrameReader:
    """Builds a DataFrame over files."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self._format = "parquet"
        self._schema: T.StructType | None = None
        self._options: dict[str, str] = {}

    def format(self, source: str) -> "DataFrameReader":
        self._format = source.lower()
        return self

    def schema(self, schema: Any) -> "DataFrameReader":
        self._schema = T._parse_datatype_string(schema) if isinstance(schema, str) else schema
        return self

    def option(self, key: str, value: Any) -> "DataFrameReader":
        self._options.update(_opts({key: value}))
        return self

    def options(self, **options: Any) -> "DataFrameReader":
        self._options.update(_opts(options))
        return self

    def load(self, path: Any = None, format: str | None = None, schema: Any = None,
             **options: Any) -> Any:
        if format:
            self.format(format)
        if schema is not None:
            self.schema(schema)
        self._options.update(_opts(options))
        paths = [path] if isinstance(path, str) else list(path or [])
        if not paths and "path" in self._options:
            paths = [self._options["path"]]
        return self._load(paths)

    def _load(self, paths: list[str]) -> Any:
        from pyspk.sql.dataframe import DataFrame
        from pyspk.sql.io.scan import file_scan_plan
        options = dict(self._options)
        check_format(self._format)
        schema = self._schema
        if self._format not in ("parquet", "orc"):
            options["__tz__"] = str(self._session.conf.get("spark.sql.session.timeZone"))
            if schema is not None:
                schema = _with_partition_fields(schema, paths)
                options["__schema__"] = schema.json()
        plan = file_scan_plan(self._format, paths, schema, options)
        return DataFrame(plan, self._session)

    def parquet(self, *paths: str, **options: Any) -> Any:
        self._options.update(_opts(options))
        self._format = "parquet"
        return self._load(list(paths))

    def orc(self, path: Any, **options: Any) -> Any:
        self._options.update(_opts(options))
        self._format = "orc"
        return self._load([path] if isinstance(path, str) else list(path))

    def csv(self, path: Any, schema: Any = None, **options: Any) -> Any:
        if schema is not None:
            self.schema(schema)
        self._options.update(_opts(options))
        self._format = "csv"
        return self._load([path] if isinstance(path, str) else list(path))

    def json(self, path: Any, schema: Any = None, **options: Any) -> Any:
        if schema is not None:
            self.schema(schema)
        self._options.update(_opts(options))
        self._format = "json"
        return self._load([path] if isinstance(path, str) else list(path))

    def text(self, paths: Any, wholetext: bool = False, lineSep: str | None = None, **options: Any) -> Any:
        self._options.update(_opts({"wholetext": wholetext, "lineSep": lineSep, **options}))
        self._format = "text"
        return self._load([paths] if isinstance(paths, str) else list(paths))

    def table(self, tableName: str) -> Any:
        return self._session.table(tableName)


class DataFrameWriter:
    """Writes a DataFrame as files: one file per partition, ``_SUCCESS`` written last."""

    def __init__(self, df: Any) -> None:
        self._df = df
        self._format = "parquet"
        self._mode = "errorifexists"
        self._options: dict[str, str] = {}
        self._partition_by: list[str] = []

    def mode(self, saveMode: str | None) -> "DataFrameWriter":
        self._mode = (saveMode or "errorifexists").lower()
        return self

    def format(self, source: str) -> "DataFrameWriter":
        self._format = source.lower()
        return self

    def option(self, key: str, value: Any) -> "DataFrameWriter":
        self._options.update(_opts({key: value}))
        return self

    def options(self, **options: Any) -> "DataFrameWriter":
        self._options.update(_opts(options))
        return self

    def partitionBy(self, *cols: Any) -> "DataFrameWriter":
        self._partition_by = list(cols[0]) if len(cols) == 1 and isinstance(cols[0], (list, tuple)) else list(cols)
        return self

    def bucketBy(self, numBuckets: int, col: str, *cols: str) -> "DataFrameWriter":
        return self

    def sortBy(self, col: str, *cols: str) -> "DataFrameWriter":
        return self

    def save(self, path: str | None = None, format: str | None = None, mode: str | None = None,
             partitionBy: Any = None, **options: Any) -> None:
        if format:
            self._format = format.lower()
        if mode:
            self.mode(mode)
        if partitionBy:
            self.partitionBy(partitionBy)
        self._options.update(_opts(options))
        self._write(path or self._options["path"])

    def parquet(self, path: str, mode: str | None = None, partitionBy: Any = None,
                compression: str | None = None) -> None:
        self.save(path, "parquet", mode, partitionBy, compression=compression)

    def orc(self, path: str, mode: str | None = None, partitionBy: Any = None,
            compression: str | None = None) -> None:
        self.save(path, "orc", mode, partitionBy, compression=compression)

    def csv(self, path: str, mode: str | None = None, **options: Any) -> None:
        self.save(path, "csv", mode, **options)

    def json(self, path: str, mode: str | None = None, **options: Any) -> None:
        self.save(path, "json", mode, **options)

    def text(self, path: str, **options: Any) -> None:
        self.save(path, "text", **options)

    def saveAsTable(self, name: str, format: str | None = None, mode: str | None = None,
                    partitionBy: Any = None, **options: Any) -> None:
        from pyspk.sql.warehouse import save_as_table
        if partitionBy is not None:
            self.partitionBy(*([partitionBy] if isinstance(partitionBy, str) else partitionBy))
        self._options.update(_opts(options))
        fmt = format or self._format
        save_as_table(self._df, tuple(name.split(".")), fmt, mode or self._mode or "error",
                      list(self._partition_by), dict(self._options))

    def insertInto(self, tableName: str, overwrite: bool | None = None) -> None:
        """Insert by position into an existing table, as ``INSERT INTO/OVERWRITE``."""
        from pyspk.sql.sql_commands import insert_dataframe
        insert_dataframe(self._df, tableName, bool(overwrite or self._mode == "overwrite"))

    def _write(self, path: str) -> None:
        from pyspk.sql.io.write_job import run_write
        check_format(self._format)
        run_write(self._df, path, self._format, self._mode, dict(self._options),
                  list(self._partition_by))
