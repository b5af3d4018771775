"""Reading files into Arrow: schema discovery when a DataFrame is created, and the scan a task
runs, with pushed-down filters turned into Arrow dataset expressions (Parquet row-group pruning)."""
from __future__ import annotations

import glob
import os
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql._arrow_types import from_arrow_schema, to_arrow_type
from pyspk.sql.expressions.base import AttributeReference, Expression, Literal
from pyspk.sql.expressions import predicates as P
from pyspk.sql.io.parquet_meta import file_stats, surviving_groups
from pyspk.sql.plan.logical import FileScan


def expand_paths(paths: list[str]) -> list[str]:
    """Glob patterns expanded; a missing path raises PATH_NOT_FOUND as Spark does."""
    out = []
    for p in paths:
        p = p[len("file:"):] if p.startswith("file:") else p
        matches = sorted(glob.glob(p)) if any(c in p for c in "*?[") else ([p] if os.path.exists(p) else [])
        if not matches:
            raise AnalysisException(
                f"[PATH_NOT_FOUND] Path does not exist: file:{os.path.abspath(p)}. SQLSTATE: 42K03",
                errorClass="PATH_NOT_FOUND", messageParameters={"path": f"file:{os.path.abspath(p)}"})
        out.extend(matches)
    return out


def _files(paths: list[str]) -> list[str]:
    """The data files under ``paths``, largest first (name order among equals): Spark packs file
    splits into partitions in that order, so rows come back in that order too."""
    files = _listed(paths)
    return sorted(files, key=lambda f: -os.path.getsize(f) if os.path.exists(f) else 0)


def _listed(paths: list[str]) -> list[str]:
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
                files.extend(os.path.join(root, n) for n in sorted(names)
                             if not n.startswith((".", "_")) and not n.endswith(".crc"))
        else:
            files.append(p)
    return files


def _typed_dataset(paths: list[str], schema: pa.Schema, columns: list[str] | None = None,
                   groups: list[int] | None = None) -> pa.Table:
    """Parquet files read as ``schema`` (no Hive partitioning), optionally only some row groups
    of a single file. Low-cardinality string columns are decoded through Arrow dictionaries."""
    files = _files(paths)
    dict_cols = {f.name for f in schema if f.type == pa.string() and
                 all(f.name in file_stats(p).dictionary_columns for p in files)}
    read_schema = pa.schema([pa.field(f.name, pa.dictionary(pa.int32(), pa.string()))
                             if f.name in dict_cols else f for f in schema])
    fmt = ds.ParquetFileFormat(read_options=ds.ParquetReadOptions(dictionary_columns=dict_cols)) \
        if dict_cols else "parquet"
    dset = ds.dataset(files, format=fmt, schema=read_schema)
    if groups is not None:
        frag = next(dset.get_fragments()).subset(row_group_ids=groups)
        table = frag.to_table(schema=read_schema, columns=columns)
    else:
        table = dset.to_table(columns=columns)
    for name in dict_cols:
        if name in table.column_names:
            i = table.column_names.index(name)
            table = table.set_column(i, name, table.column(i).cast(pa.string()))
    return table


def _dataset(fmt: str, paths: list[str], options: dict[str, str]) -> ds.Dataset:
    files = _files(paths)
    base = paths[0] if len(paths) == 1 and os.path.isdir(paths[0]) else None
    part = ds.partitioning(flavor="hive") if base else None
    if fmt in ("parquet", "orc"):
        return ds.dataset(files, format=fmt, partitioning=part, partition_base_dir=base)
    raise ValueError(fmt)


def read_parquet_groups(path: str, groups: list[int] | None, names: list[str],
                        types: list[pa.DataType]) -> pa.Table:
    """Columns of some row groups of one Parquet file, decoded straight into the given Arrow
    types (reading strings as ``string`` rather than ``string_view`` avoids a costly cast)."""
    target = pa.schema([pa.field(n, t) for n, t in zip(names, types)])
    dset = ds.dataset(path, format="parquet")
    file_names = set(dset.schema.names)
    present = [f for f in target if f.name in file_names]
    try:
        table = _typed_dataset([path], pa.schema(present), [f.name for f in present],
                               groups if groups is not None else None)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        import pyarrow.parquet as pq
        pf = pq.ParquetFile(path)
        table = pf.read_row_groups(groups, columns=[f.name for f in present]) if groups is not None \
            else pf.read(columns=[f.name for f in present])
    return table


def read_table(fmt: str, paths: list[str], schema: T.StructType | None, options: dict[str, str],
               columns: list[str] | None = None, filter_expr: Any = None) -> pa.Table:
    """All rows of the files (only ``columns`` if given), as Arrow."""
    if fmt in ("parquet", "orc"):
        dset = _dataset(fmt, paths, options)
        names = set(dset.schema.names)
        cols = [c for c in columns if c in names] if columns is not None else None
        if fmt == "parquet" and schema is not None and filter_expr is None:
            wanted = pa.schema([pa.field(f.name, to_arrow_type(f.dataType)) for f in schema.fields
                                if f.name in names and (cols is None or f.name in cols)])
            try:
                table = _typed_dataset(paths, wanted, cols)
                return _conform(table, schema, columns)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
                pass
        table = dset.to_table(columns=cols, filter=filter_expr)
        if schema is not None:
            table = _conform(table, schema, columns)
        return table
    from pyspk.sql.io.text_formats import read_text_format
    table = read_text_format(fmt, _files(paths), schema, options, roots=paths)
    if columns is not None:
        table = table.select([c for c in columns if c in table.column_names])
    return table


def _conform(table: pa.Table, schema: T.StructType, columns: list[str] | None) -> pa.Table:
    cols = []
    names = []
    for f in schema.fields:
        if columns is not None and f.name not in columns:
            continue
        at = to_arrow_type(f.dataType)
        if f.name in table.column_names:
            c = table.column(f.name)
            cols.append(c if c.type == at else c.cast(at))
        else:
            cols.append(pa.nulls(table.num_rows, at))
        names.append(f.name)
    return pa.Table.from_arrays(cols, names=names)


def infer_schema(fmt: str, paths: list[str], options: dict[str, str]) -> T.StructType:
    if fmt in ("parquet", "orc"):
        dset = _dataset(fmt, paths, options)
        schema = dset.schema
        if options.get("mergeSchema", "false").lower() == "true" and fmt == "parquet":
            schemas = [ds.dataset(f, format="parquet").schema for f in _files(paths)]
            schema = pa.unify_schemas(schemas)
        return from_arrow_schema(schema)
    from pyspk.sql.io.text_formats import infer_text_schema
    return infer_text_schema(fmt, _files(paths), options, roots=paths)


def file_scan_plan(fmt: str, paths: list[str], schema: T.StructType | None,
                   options: dict[str, str]) -> FileScan:
    """A FileScan over ``paths`` with the given or discovered schema."""
    real = expand_paths(paths)
    if schema is None:
        schema = infer_schema(fmt, real, options)
    if fmt not in ("parquet", "orc"):
        options = {**options, "__schema__": schema.json()}
    attrs = tuple(AttributeReference(f.name, f.dataType, True) for f in schema.fields)
    return FileScan(fmt, tuple(real), attrs, tuple(sorted(options.items())),
                    partition_attrs=tuple(_partition_columns(real)))


def _partition_columns(paths: list[str]) -> list[str]:
    """Names of Hive-style partition directories (``k=v``) under the given paths."""
    names: list[str] = []
    for p in paths:
        if not os.path.isdir(p):
            continue
        for root, dirs, _ in os.walk(p):
            for d in dirs:
                if "=" in d and not d.startswith(("_", ".")):
                    name = d.split("=", 1)[0]
                    if name not in names:
                        names.append(name)
    return names


def scan(plan: FileScan) -> pa.Table:
    """The Arrow table of a FileScan's columns, with its filters used for pruning."""
    options = dict(plan.options)
    schema = T.StructType([T.StructField(a.name, a.data_type, True) for a in plan.attrs])
    # Arrow's dataset filter evaluates slower than our own filter over the decoded columns; it is
    # only worth it when row groups can be skipped, i.e. partition columns of Hive directories.
    flt = _arrow_filter(tuple(f for f in plan.filters if _on_partition_column(f, plan))) \
        if plan.fmt in ("parquet", "orc") else None
    if plan.fmt == "parquet" and not plan.partition_attrs:
        full_schema: T.StructType | None = schema
    elif plan.fmt in ("parquet", "orc"):
        full_schema = None
    else:
        full_schema = _declared_schema(plan, options)
    columns = [a.name for a in plan.attrs]
    groups = pruned_row_groups(plan)
    if groups is not None:
        return _read_groups(plan, groups, schema)
    try:
        table = read_table(plan.fmt, list(plan.paths), full_schema, options, columns, flt)
    except (pa.ArrowNotImplementedError, pa.ArrowTypeError, pa.ArrowInvalid):
        if flt is None:
            raise
        table = read_table(plan.fmt, list(plan.paths), full_schema, options, columns, None)
    if plan.fmt in ("parquet", "orc"):
        table = _conform(table, schema, None)
    return table


def pruned_row_groups(plan: FileScan) -> tuple[tuple[str, tuple[int, ...]], ...] | None:
    """The (file, row groups) a Parquet scan must read when its filters rule some groups out by
    their statistics; None when every group may match (or the scan cannot be pruned)."""
    if plan.fmt != "parquet" or plan.partition_attrs or not plan.filters:
        return None
    files = _files(list(plan.paths))
    kept = tuple((f, tuple(surviving_groups(f, plan.filters))) for f in files)
    if all(len(g) == len(file_stats(f).groups) for f, g in kept):
        return None
    return kept


def _read_groups(plan: FileScan, groups: tuple[tuple[str, tuple[int, ...]], ...],
                 schema: T.StructType) -> pa.Table:
    names = [a.name for a in plan.attrs]
    types = [to_arrow_type(a.data_type) for a in plan.attrs]
    parts = [_conform(read_parquet_groups(f, list(g), names, types), schema, None)
             for f, g in groups if g]
    if not parts:
        return pa.Table.from_arrays([pa.array([], t) for t in types], names=names)
    return pa.concat_tables(parts)


def _on_partition_column(f: Expression, plan: FileScan) -> bool:
    names = {a.name for a in f.walk() if isinstance(a, AttributeReference)}
    return bool(names) and names <= set(plan.partition_attrs)


def _declared_schema(plan: FileScan, options: dict[str, str]) -> T.StructType | None:
    raw = options.get("__schema__")
    return T.StructType.fromJson(__import__("json").loads(raw)) if raw else None


def _arrow_filter(filters: tuple[Expression, ...]) -> Any:
    out = None
    for f in filters:
        e = _to_dataset_expr(f)
        if e is not None:
            out = e if out is None else (out & e)
    return out


_CMP = {P.EqualTo: "__eq__", P.LessThan: "__lt__", P.LessThanOrEqual: "__le__",
        P.GreaterThan: "__gt__", P.GreaterThanOrEqual: "__ge__"}


def _to_dataset_expr(e: Expression) -> Any:
    """An Arrow dataset filter equivalent to ``e`` where one exists (None: keep it as a Filter)."""
    if isinstance(e, P.And):
        a, b = _to_dataset_expr(e.left), _to_dataset_expr(e.right)
        return a & b if a is not None and b is not None else (a if a is not None else b)
    if type(e) in _CMP:
        left, right = e.left, e.right
        if isinstance(left, AttributeReference) and isinstance(right, Literal) and right.value is not None:
            return getattr(ds.field(left.name), _CMP[type(e)])(
                pa.scalar(right.value, to_arrow_type(right.data_type)))
        if isinstance(right, AttributeReference) and isinstance(left, Literal) and left.value is not None:
            flipped = {"__lt__": "__gt__", "__gt__": "__lt__", "__le__": "__ge__",
                       "__ge__": "__le__", "__eq__": "__eq__"}[_CMP[type(e)]]
            return getattr(ds.field(right.name), flipped)(
                pa.scalar(left.value, to_arrow_type(left.data_type)))
    if isinstance(e, P.IsNotNull) and isinstance(e.child, AttributeReference):
        return ds.field(e.child.name).is_valid()
    return None


