"""CSV, JSON and text scans as tasks: the files are split into units (whole files, or
line-aligned byte ranges of large uncompressed line-oriented files) packed into partitions as
Spark packs file splits, and each task parses its units with the scan's full schema, then
applies the scan's pushed filters."""
from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from pyspk.sql import types as T
from pyspk.sql.plan import logical as L

MAX_PARTITION_BYTES = 128 * 1024 * 1024


def _read_units(scan: L.FileScan, units: list[tuple[str, int, int | None]]) -> Iterator[pa.RecordBatch]:
    import pyspk.sql.expressions.registry  # noqa: F401  (executors resolve functions by name)
    from pyspk.sql._arrow_types import normalize_array
    from pyspk.sql.execution import operators as ops
    from pyspk.sql.expressions.base import EvalContext
    from pyspk.sql.io.text_formats import read_unit
    options = dict(scan.options)
    schema = T.StructType.fromJson(json.loads(options["__schema__"]))
    ctx = EvalContext()
    for unit in units:
        t = read_unit(scan.fmt, unit, schema, options)
        out = pa.Table.from_arrays([normalize_array(t.column(a.name)) for a in scan.attrs],
                                   names=[a.key for a in scan.attrs])
        for f in scan.filters:
            out = ops.filter_rows(out, f, ctx)
        yield from out.combine_chunks().to_batches()


def text_scan_rdd(sc: Any, scan: L.FileScan, parallelism: int, max_bytes: int) -> Any:
    """An RDD of Arrow batches (columns named by attribute key) reading ``scan`` in tasks."""
    from pyspk.sql.io.scan import _files
    from pyspk.sql.io.text_formats import plan_units
    tasks = plan_units(scan.fmt, _files(list(scan.paths)), dict(scan.options), max_bytes,
                       parallelism)
    if not tasks:
        tasks = [[]]
    return sc.parallelize(tasks, len(tasks)).flatMap(functools.partial(_read_units, scan))
