"""Hive-style partition directories (``k=v``) discovered under the paths of a text-format
scan: the column names, their types inferred from the values as Spark does (int, bigint,
double, date, else string; ``__HIVE_DEFAULT_PARTITION__`` is NULL), and each file's values."""
from __future__ import annotations

import os
import re
import urllib.parse

import pyarrow as pa

from pyspk.sql import types as T
from pyspk.sql._arrow_types import to_arrow_type

HIVE_NULL = "__HIVE_DEFAULT_PARTITION__"


def file_partition_values(path: str, roots: list[str]) -> dict[str, str | None]:
    """The ``k=v`` pairs of the directories between one of ``roots`` and ``path``."""
    full = os.path.abspath(path)
    for root in roots:
        base = os.path.abspath(root.removeprefix("file:"))
        if os.path.isdir(base) and full.startswith(base.rstrip(os.sep) + os.sep):
            parts = os.path.relpath(os.path.dirname(full), base).split(os.sep)
            out: dict[str, str | None] = {}
            for p in parts:
                if "=" in p:
                    k, v = p.split("=", 1)
                    text = urllib.parse.unquote(v)
                    out[urllib.parse.unquote(k)] = None if text == HIVE_NULL else text
            return out
    return {}


def _value_type(values: list[str]) -> T.DataType:
    if all(re.fullmatch(r"[+-]?\d+", v) for v in values):
        return T.IntegerType() if all(-2 ** 31 <= int(v) < 2 ** 31 for v in values) else T.LongType()
    if all(re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", v) for v in values):
        return T.DoubleType()
    if all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) for v in values):
        return T.DateType()
    return T.StringType()


def partition_fields(files: list[str], roots: list[str], data_names: list[str]) -> list[T.StructField]:
    """Partition columns (in directory order) that the data files do not hold themselves."""
    seen: dict[str, list[str]] = {}
    for f in files:
        for k, v in file_partition_values(f, roots).items():
            seen.setdefault(k, [])
            if v is not None:
                seen[k].append(v)
    return [T.StructField(k, _value_type(vs) if vs else T.StringType(), True)
            for k, vs in seen.items() if k not in data_names]


def with_partition_columns(table: pa.Table, path: str, roots: list[str],
                           fields: list[T.StructField]) -> pa.Table:
    """``table`` plus one constant column per partition field, from ``path``'s directories."""
    values = file_partition_values(path, roots)
    for f in fields:
        v = values.get(f.name)
        col = pa.array([v] * table.num_rows, pa.string())
        from pyspk.sql.expressions.cast import cast_value
        table = table.append_column(f.name, cast_value(col, T.StringType(), f.dataType, ansi=False)
                                    .cast(to_arrow_type(f.dataType)))
    return table
