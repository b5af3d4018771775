"""The task side of a DataFrame write: one partition's Arrow batches written as part files
(one per Hive partition directory with ``partitionBy``) into the task attempt's directory of
the output committer, then committed. File names follow Spark:
``part-<partition>-<job uuid>-c000[.codec].<ext>`` (``.c000`` under partition directories)."""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql import types as T
from pyspk.sql._arrow_types import to_arrow_type
from pyspk.sql.io.committer import FileCommitter
from pyspk.sql.io.compression import CODECS, codec_name, compress
from pyspk.sql.io.format_out import CsvFormat, json_lines, text_lines

_EXT = {"csv": ".csv", "json": ".json", "text": ".txt"}
_PARQUET_EXT = {"snappy": ".snappy", "gzip": ".gz", "zstd": ".zstd", "lz4": ".lz4hadoop",
                "brotli": ".br", "lz4_raw": ".lz4raw"}
HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"
# Characters Hive escapes in partition directory names (ExternalCatalogUtils.escapePathName).
_ESCAPED = set('"#%\'*/:=?\\\x7f{[]^') | {chr(c) for c in range(1, 32)}


@dataclass(frozen=True)
class WriteJob:
    """What every write task needs: where, which format and options, the columns."""

    committer: FileCommitter
    fmt: str
    options: tuple[tuple[str, str], ...]
    schema_json: str
    keys: tuple[str, ...]
    partition_by: tuple[str, ...] = ()
    tz: str = "UTC"

    @property
    def schema(self) -> T.StructType:
        import json
        return T.StructType.fromJson(json.loads(self.schema_json))


def file_suffix(fmt: str, options: dict[str, str]) -> str:
    """``[.codec].ext`` of the part files of a format and its ``compression`` option."""
    comp = {k.lower(): v for k, v in options.items()}.get("compression")
    if fmt == "parquet":
        c = (comp or "snappy").lower()
        return _PARQUET_EXT.get(c, "") + ".parquet" if c not in ("none", "uncompressed") else ".parquet"
    if fmt == "orc":
        c = (comp or "snappy").lower()
        return {"snappy": ".snappy", "zlib": ".zlib", "lz4": ".lz4", "zstd": ".zstd"}.get(c, "") + ".orc"
    codec = codec_name(comp)
    return _EXT[fmt] + (CODECS[codec] if codec else "")


def escape_path_name(text: str) -> str:
    return "".join(f"%{ord(c):02X}" if c in _ESCAPED else c for c in text)


def partition_dir_value(v: object, dt: T.DataType) -> str:
    """A partition value as its directory text (``k=<text>``)."""
    if v is None:
        return HIVE_NULL
    from pyspk.sql.expressions.display import format_value
    text = format_value(v, dt)
    return HIVE_NULL if text == "" else escape_path_name(text)


def write_task(job: WriteJob, index: int, batches: Iterator[pa.RecordBatch]) -> Iterator[list[str]]:
    """Write one partition's rows, commit the attempt, and yield the committed relative paths."""
    from pyspk.taskcontext import TaskContext
    ctx = TaskContext.get()
    attempt = ctx.attemptNumber() if ctx is not None else 0
    committer = job.committer
    out_dir = committer.task_attempt_dir(index, attempt)
    try:
        table = _table(batches, job)
        if table.num_rows:
            _write_partition(job, table, index, out_dir)
    except BaseException:
        committer.abort_task(index, attempt)
        raise
    yield committer.commit_task(index, attempt)


def _table(batches: Iterator[pa.RecordBatch], job: WriteJob) -> pa.Table:
    schema = job.schema
    bs = [b for b in batches if b.num_rows]
    names = list(schema.names)
    if not bs:
        return pa.table({n: pa.array([], to_arrow_type(f.dataType)) for n, f in zip(names, schema.fields)})
    t = pa.Table.from_batches(bs)
    cols = [t.column(k) if k in t.column_names else t.column(i) for i, k in enumerate(job.keys)]
    return pa.Table.from_arrays(cols, names=names)


def _write_partition(job: WriteJob, table: pa.Table, index: int, out_dir: str) -> None:
    schema = job.schema
    options = dict(job.options)
    suffix = file_suffix(job.fmt, options)
    uid = job.committer.job_id
    if not job.partition_by:
        os.makedirs(out_dir, exist_ok=True)
        write_file(job.fmt, table, schema, os.path.join(out_dir, f"part-{index:05d}-{uid}-c000{suffix}"),
                   options, job.tz)
        return
    keys = list(job.partition_by)
    data_fields = [f for f in schema.fields if f.name not in keys]
    data_schema = T.StructType(data_fields)
    types = {f.name: f.dataType for f in schema.fields}
    order = pc.sort_indices(table, sort_keys=[(k, "ascending", "at_start") for k in keys])
    table = table.take(order)
    starts = _run_starts(table, keys)
    bounds = list(starts) + [table.num_rows]
    for s, e in zip(bounds[:-1], bounds[1:]):
        part = table.slice(s, e - s)
        dirs = [f"{escape_path_name(k)}={partition_dir_value(part.column(k)[0].as_py(), types[k])}"
                for k in keys]
        target = os.path.join(out_dir, *dirs)
        os.makedirs(target, exist_ok=True)
        write_file(job.fmt, part.select([f.name for f in data_fields]), data_schema,
                   os.path.join(target, f"part-{index:05d}-{uid}.c000{suffix}"), options, job.tz)


def _run_starts(table: pa.Table, keys: list[str]) -> np.ndarray:
    """Row indexes where the (sorted) partition key changes."""
    n = table.num_rows
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for k in keys:
        col = table.column(k).combine_chunks()
        a, b = col.slice(1), col.slice(0, n - 1)
        same = pc.fill_null(pc.equal(a, b), False)
        both_null = pc.and_(pc.is_null(a), pc.is_null(b))
        diff = pc.invert(pc.or_(same, both_null)).to_numpy(zero_copy_only=False)
        change[1:] |= diff
    return np.flatnonzero(change)


def _instants_marked(table: pa.Table, schema: T.StructType) -> pa.Table:
    """TIMESTAMP columns (UTC instants) typed as UTC-adjusted, so Parquet/ORC record them as
    instants (``isAdjustedToUTC``) and they read back as TIMESTAMP, not TIMESTAMP_NTZ."""
    cols = [c.cast(pa.timestamp("us", "UTC")) if isinstance(f.dataType, T.TimestampType) else c
            for f, c in zip(schema.fields, table.columns)]
    return pa.Table.from_arrays(cols, names=table.column_names)


def write_file(fmt: str, table: pa.Table, schema: T.StructType, file: str, options: dict[str, str],
               tz: str) -> None:
    """One part file of ``fmt`` holding ``table``."""
    if fmt in ("parquet", "orc"):
        table = _instants_marked(table, schema)
    if fmt == "parquet":
        import pyarrow.parquet as pq
        comp = (options.get("compression") or "snappy").lower()
        pq.write_table(table, file, compression=None if comp in ("none", "uncompressed") else comp)
        return
    if fmt == "orc":
        import pyarrow.orc as porc
        comp = (options.get("compression") or "snappy").lower()
        porc.write_table(table, file, compression="uncompressed" if comp == "none" else comp)
        return
    if fmt == "csv":
        fmt_csv = CsvFormat(options, tz)
        body = fmt_csv.lines(table, schema)
        data = (fmt_csv.header_line(schema.names) if fmt_csv.header else b"") + body
    elif fmt == "json":
        data = json_lines(table, schema, options, tz)
    else:
        data = text_lines(table)
    enc = {k.lower(): v for k, v in options.items()}.get("encoding")
    if enc and enc.replace("-", "").lower() != "utf8":
        data = data.decode("utf-8").encode(enc)
    sep = {k.lower(): v for k, v in options.items()}.get("linesep")
    if sep and sep != "\n":
        data = data.replace(b"\n", sep.encode("utf-8"))
    codec = codec_name({k.lower(): v for k, v in options.items()}.get("compression"))
    with open(file, "wb") as fh:
        fh.write(compress(data, codec))
