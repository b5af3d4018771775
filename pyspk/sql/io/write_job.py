"""The driver side of ``df.write``: save-mode checks, then the DataFrame's partitions become
write tasks on the engine core (an RDD of Arrow batches, one part file per partition and
partition directory) committed through the output committer, ``_SUCCESS`` last."""
from __future__ import annotations

import functools
import os
import shutil
import uuid
from typing import Any

import pyarrow as pa

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql._arrow_types import to_arrow_type
from pyspk.sql.io.committer import FileCommitter
from pyspk.sql.io.compression import codec_name
from pyspk.sql.io.format_out import check_writable
from pyspk.sql.io.paths import local_path
from pyspk.sql.io.write import WriteJob, file_suffix, write_file, write_task
from pyspk.sql.plan import logical as L


def _input_paths(plan: L.LogicalPlan) -> list[str]:
    from pyspk.sql.io.scan import _files
    out: list[str] = []
    for node in plan.walk():
        if isinstance(node, L.FileScan):
            out.extend(os.path.abspath(f) for f in _files(list(node.paths)))
    return out


def reads_under(plan: L.LogicalPlan, out: str) -> bool:
    """Whether ``plan`` reads a file at or below the directory ``out``."""
    root = out.rstrip(os.sep) + os.sep
    return any(f == out or f.startswith(root) for f in _input_paths(plan))


def _check_not_reading(plan: L.LogicalPlan, out: str) -> None:
    """Overwriting a path the DataFrame reads would delete its input before reading it."""
    if reads_under(plan, out):
        raise AnalysisException(
            f"[UNSUPPORTED_OVERWRITE.PATH] Can't overwrite the target that is also being read "
            f"from. The target path is file:{out}. SQLSTATE: 42902",
            errorClass="UNSUPPORTED_OVERWRITE.PATH", messageParameters={"path": f"file:{out}"})


def _check_columns(schema: T.StructType, partition_by: list[str]) -> None:
    names = schema.names
    for c in partition_by:
        if c not in names:
            raise AnalysisException(
                f"[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter "
                f"with name `{c}` cannot be resolved. Did you mean one of the following? "
                f"[{', '.join(f'`{n}`' for n in names)}]. SQLSTATE: 42703",
                errorClass="UNRESOLVED_COLUMN.WITH_SUGGESTION")
    if partition_by and len(partition_by) == len(names):
        raise AnalysisException(
            "[ALL_PARTITION_COLUMNS_NOT_ALLOWED] Cannot use all columns for partition columns. "
            "SQLSTATE: KD005", errorClass="ALL_PARTITION_COLUMNS_NOT_ALLOWED")


def run_write(df: Any, path: str, fmt: str, mode: str, options: dict[str, str],
              partition_by: list[str]) -> None:
    """Write ``df`` under ``path`` with Spark's save-mode semantics."""
    if mode not in ("error", "errorifexists", "default", "ignore", "overwrite", "append"):
        raise _bad_mode(mode)
    out = local_path(path)
    schema: T.StructType = df.schema
    _check_columns(schema, partition_by)
    check_writable(fmt, T.StructType([f for f in schema.fields if f.name not in partition_by]))
    if fmt in ("csv", "json", "text"):
        codec_name({k.lower(): v for k, v in options.items()}.get("compression"))
    if os.path.exists(out):
        if mode in ("error", "errorifexists", "default"):
            raise AnalysisException(
                f"[PATH_ALREADY_EXISTS] Path file:{out} already exists. Set mode as \"overwrite\" "
                "to overwrite the existing path. SQLSTATE: 42K04", errorClass="PATH_ALREADY_EXISTS",
                messageParameters={"outputPath": f"file:{out}"})
        if mode == "ignore":
            return
        if mode == "overwrite":
            _check_not_reading(df._plan, out)
            shutil.rmtree(out) if os.path.isdir(out) else os.remove(out)
    session = df._session
    committer = FileCommitter(out, str(uuid.uuid4()))
    committer.setup_job()
    tz = str(session.conf.get("spark.sql.session.timeZone"))
    try:
        from pyspk.sql.execution.runner import plan_batches_rdd
        rdd, output = plan_batches_rdd(session, df._plan)
        job = WriteJob(committer, fmt, tuple(sorted(options.items())), schema.json(),
                       tuple(a.key for a in output), tuple(partition_by), tz)
        written = rdd.mapPartitionsWithIndex(functools.partial(write_task, job)).collect()
        if not any(written) and not partition_by:
            _write_empty(job, schema, options)
    except BaseException:
        committer.abort_job()
        raise
    committer.commit_job()


def _write_empty(job: WriteJob, schema: T.StructType, options: dict[str, str]) -> None:
    """An empty DataFrame still leaves one part file (Parquet/ORC keep its schema)."""
    attempt_dir = job.committer.task_attempt_dir(0, 0)
    os.makedirs(attempt_dir, exist_ok=True)
    empty = pa.table({f.name: pa.array([], to_arrow_type(f.dataType)) for f in schema.fields})
    name = f"part-00000-{job.committer.job_id}-c000{file_suffix(job.fmt, options)}"
    write_file(job.fmt, empty, schema, os.path.join(attempt_dir, name), options, job.tz)
    job.committer.commit_task(0, 0)


def _bad_mode(mode: str) -> Exception:
    from pyspk.errors import IllegalArgumentException
    return IllegalArgumentException(
        f"[INVALID_SAVE_MODE] The specified save mode \"{mode}\" is invalid. Valid save modes "
        "include \"append\", \"overwrite\", \"ignore\", \"error\", \"errorifexists\", and "
        "\"default\". SQLSTATE: 42000", errorClass="INVALID_SAVE_MODE")
