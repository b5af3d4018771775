"""Writing Arrow tables as Parquet/ORC/CSV/JSON/text part files, Hive-style partitioned."""
from __future__ import annotations

import json
import os
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.orc as porc
import pyarrow.parquet as pq

from pyspk.sql import types as T
from pyspk.sql.expressions.display import format_value

_EXT = {"parquet": ".parquet", "orc": ".orc", "csv": ".csv", "json": ".json", "text": ".txt"}


def write_files(table: pa.Table, schema: T.StructType, path: str, fmt: str, options: dict[str, str],
                partition_by: list[str], job: str) -> None:
    """Write ``table`` under ``path`` (one file, or one per Hive partition directory)."""
    if not partition_by:
        _write_one(table, schema, os.path.join(path, f"part-00000-{job}-c000{_suffix(fmt, options)}"),
                   fmt, options)
        return
    keys = table.select(partition_by)
    groups = keys.group_by(partition_by, use_threads=False).aggregate([])
    rest = [n for n in table.column_names if n not in partition_by]
    rest_schema = T.StructType([f for f in schema.fields if f.name not in partition_by])
    for i in range(groups.num_rows):
        mask = None
        dirs = []
        for k in partition_by:
            v = groups.column(k)[i]
            cond = pc.is_null(table.column(k)) if not v.is_valid else pc.equal(table.column(k), v)
            mask = cond if mask is None else pc.and_(mask, cond)
            text = "__HIVE_DEFAULT_PARTITION__" if not v.is_valid else format_value(v.as_py())
            dirs.append(f"{k}={text}")
        part = table.filter(mask).select(rest)
        out_dir = os.path.join(path, *dirs)
        os.makedirs(out_dir, exist_ok=True)
        _write_one(part, rest_schema, os.path.join(out_dir, f"part-00000-{job}.c000{_suffix(fmt, options)}"),
                   fmt, options)


def _suffix(fmt: str, options: dict[str, str]) -> str:
    comp = options.get("compression", "snappy" if fmt in ("parquet", "orc") else None)
    if fmt == "parquet":
        return f".{comp}.parquet" if comp and comp != "none" else ".parquet"
    return _EXT[fmt]


def _write_one(table: pa.Table, schema: T.StructType, file: str, fmt: str, options: dict[str, str]) -> None:
    if fmt == "parquet":
        comp = options.get("compression", "snappy")
        pq.write_table(table, file, compression=None if comp in ("none", "uncompressed") else comp)
    elif fmt == "orc":
        porc.write_table(table, file)
    elif fmt == "csv":
        _write_csv(table, schema, file, options)
    elif fmt == "json":
        with open(file, "w", encoding="utf-8") as fh:
            for row in table.to_pylist():
                clean = {k: _jsonable(v) for k, v in row.items() if v is not None}
                fh.write(json.dumps(clean, separators=(",", ":")) + "\n")
    elif fmt == "text":
        with open(file, "w", encoding="utf-8") as fh:
            for v in table.column(0).to_pylist():
                fh.write(("" if v is None else str(v)) + "\n")
    else:
        raise ValueError(f"unknown format {fmt}")


def _jsonable(v: Any) -> Any:
    if isinstance(v, (int, float, str, bool)) or v is None:
        return v
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    return format_value(v)


def _write_csv(table: pa.Table, schema: T.StructType, file: str, options: dict[str, str]) -> None:
    header = options.get("header", "false").lower() == "true"
    sep = options.get("sep", options.get("delimiter", ","))
    null_value = options.get("nullValue", "")
    cols = []
    for f, col in zip(schema.fields, table.columns):
        vals = [None if v is None else format_value(v, f.dataType) for v in col.to_pylist()]
        cols.append(pa.array(vals, pa.string()))
    with open(file, "w", encoding="utf-8") as fh:
        if header:
            fh.write(sep.join(schema.names) + "\n")
        for row in zip(*[c.to_pylist() for c in cols]):
            fh.write(sep.join(null_value if v is None else _quote(v, sep) for v in row) + "\n")


def _quote(v: str, sep: str) -> str:
    if any(c in v for c in (sep, '"', "\n")) or v == "":
        return '"' + v.replace('"', '\\"') + '"'
    return v

