"""CSV, JSON and text files: one file (or one line-aligned byte range of an uncompressed
line-oriented file) read into Arrow, schema inference over all files, and the split of a file
list into scan tasks the way Spark packs files into partitions."""
from __future__ import annotations

import os

import pyarrow as pa
import pyarrow.compute as pc

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql.io.compression import codec_of_path, read_bytes
from pyspk.sql.io.csv_read import _Dialect, header_line, prepare_text, read_csv_bytes
from pyspk.sql.io.json_read import read_json_bytes
from pyspk.sql.io.options import Options
from pyspk.sql.io.partitions import partition_fields, with_partition_columns

TEXT_FORMATS = ("csv", "json", "text")
# (path, start, end): a whole file when end is None
Unit = tuple[str, int, "int | None"]


def session_tz(options: dict[str, str]) -> str:
    return options.get("__tz__") or "UTC"


def read_unit(fmt: str, unit: Unit, schema: T.StructType | None, options: dict[str, str]) -> pa.Table:
    """The rows of one file or byte range as Arrow, columns named as ``schema``."""
    path, start, end = unit
    data = read_bytes(path) if end is None else line_range(path, start, end)
    if fmt == "csv":
        return read_csv_bytes(data, path, schema, options, session_tz(options), first_split=start == 0)
    if fmt == "json":
        return read_json_bytes(data, path, schema, options, session_tz(options))
    if fmt == "text":
        table = read_text_bytes(data, options)
        # The text source's one string column takes the declared schema's name (tables: `col`).
        if schema is not None and len(schema.fields) == 1:
            table = table.rename_columns([schema.fields[0].name])
        return table
    raise _unknown(fmt)


def _unknown(fmt: str) -> AnalysisException:
    return AnalysisException(
        f"[DATA_SOURCE_NOT_FOUND] Failed to find the data source: {fmt}. Make sure the provider "
        "name is correct and the package is properly registered and compatible with your Spark "
        "version. SQLSTATE: 42K02", errorClass="DATA_SOURCE_NOT_FOUND",
        messageParameters={"provider": fmt})


def read_text_bytes(data: bytes, options: dict[str, str]) -> pa.Table:
    """Lines as a ``value`` column (``\\n``, ``\\r\\n`` and ``\\r`` end lines unless ``lineSep``
    names another separator); ``wholetext`` keeps the file as one row."""
    o = Options(options)
    text = data.decode(o.get("encoding", default="utf-8") or "utf-8")
    if o.flag("wholetext"):
        return pa.table({"value": pa.array([text], pa.string())})
    if not text:
        return pa.table({"value": pa.array([], pa.string())})
    big = pa.array([text], pa.large_string())
    sep = o.get("lineSep")
    parts = pc.split_pattern(big, sep) if sep else pc.split_pattern_regex(big, r"\r\n|\r|\n")
    lines = parts.flatten()
    ends_with_sep = text.endswith(sep) if sep else text.endswith(("\n", "\r"))
    if ends_with_sep:
        lines = lines.slice(0, len(lines) - 1)
    return pa.table({"value": lines.cast(pa.string())})


def line_range(path: str, start: int, end: int) -> bytes:
    """The lines of ``path`` that start at a byte offset in ``[start, end)``: each line of a file
    belongs to exactly one of its splits, as with Hadoop's line record reader."""
    with open(path, "rb") as fh:
        if start > 0:
            fh.seek(start - 1)
            if fh.read(1) != b"\n":
                fh.readline()
        first = fh.tell()
        if first >= end:
            return b""
        data = fh.read(end - first)
        if data and not data.endswith(b"\n"):
            data += fh.readline()
    return data


def read_text_format(fmt: str, files: list[str], schema: T.StructType | None,
                     options: dict[str, str], roots: list[str] | None = None) -> pa.Table:
    """All rows of ``files`` (read one by one) as one table of ``schema``; columns of Hive
    partition directories under ``roots`` come from each file's path."""
    if fmt not in TEXT_FORMATS:
        raise _unknown(fmt)
    roots = roots or []
    if schema is None:
        schema = infer_text_schema(fmt, files, options, roots)
    part_names = {f.name for f in partition_fields(files, roots, [])}
    data_schema = T.StructType([f for f in schema.fields if f.name not in part_names])
    parts = [f for f in schema.fields if f.name in part_names]
    tables = [with_partition_columns(read_unit(fmt, (f, 0, None), data_schema, options), f, roots,
                                     parts).select(schema.names) for f in files]
    if not tables:
        from pyspk.sql._arrow_types import to_arrow_type
        return pa.table({f.name: pa.array([], to_arrow_type(f.dataType)) for f in schema.fields})
    return pa.concat_tables(tables)


def infer_text_schema(fmt: str, files: list[str], options: dict[str, str],
                      roots: list[str] | None = None) -> T.StructType:
    """The schema Spark gives files of ``fmt`` without a user schema: the data columns, then
    the columns of Hive partition directories under ``roots``."""
    if not files and fmt in ("csv", "json"):
        raise _cannot_infer(fmt.upper())
    data = _infer_data_schema(fmt, files, options)
    return T.StructType(data.fields + partition_fields(files, roots or [], data.names))


def _infer_data_schema(fmt: str, files: list[str], options: dict[str, str]) -> T.StructType:
    if fmt == "text":
        return T.StructType([T.StructField("value", T.StringType(), True)])
    o = Options(options)
    if fmt == "csv" and not o.flag("inferSchema"):
        return _csv_names_only(files, o, options)
    if fmt == "csv":
        merged: T.StructType | None = None
        for f in files:
            t = read_csv_bytes(read_bytes(f), f, None, options, session_tz(options))
            merged = _from_table(t) if merged is None else _merge_csv(merged, _from_table(t))
        return merged or T.StructType([])
    if fmt == "json":
        data = b"\n".join(read_bytes(f).rstrip(b"\n") for f in files) if not o.flag("multiLine") \
            else None
        if data is not None:
            return _from_table(read_json_bytes(data, "", None, options, session_tz(options)))
        from pyspk.sql.io.json_read import _merge
        out = T.StructType([])
        for f in files:
            s = _from_table(read_json_bytes(read_bytes(f), f, None, options, session_tz(options)))
            out = _merge(out, s) if out.fields else s
        return out
    raise _unknown(fmt)


def _cannot_infer(kind: str) -> AnalysisException:
    return AnalysisException(f"[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for {kind}. It must "
                             "be specified manually. SQLSTATE: 42KD9", errorClass="UNABLE_TO_INFER_SCHEMA",
                             messageParameters={"format": kind})


def _from_table(t: pa.Table) -> T.StructType:
    from pyspk.sql._arrow_types import from_arrow_type
    fields = []
    for f in t.schema:
        dt = from_arrow_type(f.type)
        if isinstance(dt, T.TimestampNTZType):
            dt = T.TimestampType()
        fields.append(T.StructField(f.name, dt, True))
    return T.StructType(fields)


def _merge_csv(a: T.StructType, b: T.StructType) -> T.StructType:
    fields = []
    for i, f in enumerate(a.fields):
        other = b.fields[i].dataType if i < len(b.fields) else f.dataType
        dt = f.dataType if other == f.dataType else (
            T.DoubleType() if {type(f.dataType), type(other)} <= {T.IntegerType, T.LongType, T.DoubleType}
            and T.DoubleType in {type(f.dataType), type(other)} else
            T.LongType() if {type(f.dataType), type(other)} == {T.IntegerType, T.LongType} else T.StringType())
        fields.append(T.StructField(f.name, dt, True))
    return T.StructType(fields)


def _csv_names_only(files: list[str], o: Options, options: dict[str, str]) -> T.StructType:
    d = _Dialect.of(o)
    for f in files:
        head = _head(f)
        data = prepare_text(head, o)
        names = header_line(data, d)
        if not names and not data.strip():
            continue
        from pyspk.sql.io.csv_read import _dedupe
        names = _dedupe(names) if d.header else [f"_c{i}" for i in range(len(names))]
        return T.StructType([T.StructField(n, T.StringType(), True) for n in names])
    return T.StructType([])


def _head(path: str, size: int = 1 << 16) -> bytes:
    if codec_of_path(path) is None:
        with open(path, "rb") as fh:
            return fh.read(size)
    return read_bytes(path)[:size]


def plan_units(fmt: str, files: list[str], options: dict[str, str], max_bytes: int,
               parallelism: int, open_cost: int = 4 * 1024 * 1024) -> list[list[Unit]]:
    """Scan tasks: files (or byte ranges of large splittable ones) packed up to the split size
    Spark computes (``min(maxPartitionBytes, max(openCost, total / parallelism))``)."""
    o = Options(options)
    splittable = not o.flag("multiLine") and not o.flag("wholetext") and \
        (o.get("lineSep") in (None, "\n")) and not o.get("encoding", "charset")
    sizes = {f: os.path.getsize(f) for f in files}
    total = sum(sizes[f] + open_cost for f in files)
    split = max(1, min(max_bytes, max(open_cost, total // max(1, parallelism))))
    units: list[tuple[Unit, int]] = []
    for f in files:
        size = sizes[f]
        if splittable and codec_of_path(f) is None and size > split:
            units.extend(((f, s, min(size, s + split)), min(split, size - s))
                         for s in range(0, size, split))
        else:
            units.append(((f, 0, None), size))
    tasks: list[list[Unit]] = []
    cur: list[Unit] = []
    cur_bytes = 0
    for u, n in sorted(units, key=lambda x: -x[1]):
        if cur and cur_bytes + n > split:
            tasks.append(cur)
            cur, cur_bytes = [], 0
        cur.append(u)
        cur_bytes += n + open_cost
    if cur:
        tasks.append(cur)
    return tasks
