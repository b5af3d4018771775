"""Data in and out of DataFrames: ``createDataFrame`` from Python rows, pandas, Arrow or RDDs
(with a given, DDL or inferred schema) and ``toPandas``."""
from __future__ import annotations

from typing import Any

import pyarrow as pa

from pyspk.errors import PySparkTypeError, PySparkValueError
from pyspk.sql import types as T
from pyspk.sql._arrow_types import column_from_python, from_arrow_schema, normalize_array, to_arrow_type
from pyspk.sql.expressions.base import AttributeReference
from pyspk.sql.plan.logical import LocalRelation


def table_to_dataframe(session: Any, table: pa.Table, schema: T.StructType) -> Any:
    """A DataFrame over an Arrow table whose columns line up with ``schema``."""
    from pyspk.sql.dataframe import DataFrame
    attrs = tuple(AttributeReference(f.name, f.dataType, f.nullable) for f in schema.fields)
    return DataFrame(LocalRelation(attrs, table, session._default_parallelism()), session)


def _row_values(row: Any, names: list[str] | None) -> list[Any]:
    if isinstance(row, dict):
        return [row.get(n) for n in names] if names else list(row.values())
    if isinstance(row, T.Row) and hasattr(row, "__fields__") and names:
        d = row.asDict()
        return [d.get(n) for n in names] if all(n in d for n in names) else list(row)
    if isinstance(row, (tuple, list)):
        return list(row)
    if hasattr(row, "__dict__"):
        return [getattr(row, n, None) for n in names] if names else list(vars(row).values())
    return [row]


def _infer_schema(rows: list[Any], names: list[str] | None) -> T.StructType:
    if not rows:
        raise PySparkValueError("[CANNOT_INFER_EMPTY_SCHEMA] Can not infer schema from an empty "
                                "dataset.", errorClass="CANNOT_INFER_EMPTY_SCHEMA")
    first = rows[0]
    if isinstance(first, dict):
        keys: set = set()
        for r in rows:
            keys |= set(r)
        fields = sorted(keys)
    elif isinstance(first, T.Row) and hasattr(first, "__fields__"):
        fields = list(first.__fields__)
    elif isinstance(first, (tuple, list)):
        fields = [f"_{i + 1}" for i in range(len(first))]
    elif hasattr(first, "__dict__"):
        fields = list(vars(first).keys())
    else:
        raise PySparkTypeError(
            f"[CANNOT_INFER_SCHEMA_FOR_TYPE] Can not infer schema for type: "
            f"`{type(first).__name__}`.", errorClass="CANNOT_INFER_SCHEMA_FOR_TYPE",
            messageParameters={"data_type": f"`{type(first).__name__}`"})
    types: list[T.DataType] = [T.NullType()] * len(fields)
    for r in rows:
        vals = _row_values(r, fields if isinstance(r, dict) else None)
        for i, v in enumerate(vals[:len(fields)]):
            try:
                types[i] = T._merge_type(types[i], T._infer_type(v))
            except TypeError:
                raise PySparkTypeError(
                    f"[CANNOT_MERGE_TYPE] Can not merge type `{type(types[i]).__name__}` and "
                    f"`{type(T._infer_type(v)).__name__}`.", errorClass="CANNOT_MERGE_TYPE") from None
    if names:
        fields = list(names) + fields[len(names):]
    return T.StructType([T.StructField(n, t, True) for n, t in zip(fields, types)])


def create_dataframe(session: Any, data: Any, schema: Any, verify: bool = True) -> Any:
    """``spark.createDataFrame``."""
    from pyspk.sql.dataframe import DataFrame
    if isinstance(data, DataFrame):
        raise PySparkTypeError("[INVALID_TYPE] Argument `data` should not be a DataFrame.",
                               errorClass="INVALID_TYPE")
    if isinstance(schema, str):
        schema = T._parse_datatype_string(schema)
    names: list[str] | None = None
    if isinstance(schema, (list, tuple)):
        names = [str(n) for n in schema]
        schema = None
    if isinstance(schema, T.DataType) and not isinstance(schema, T.StructType):
        schema = T.StructType([T.StructField("value", schema, True)])
        data = [(v,) for v in data] if not isinstance(data, pa.Table) else data
    try:
        import pandas as pd
        if isinstance(data, pd.DataFrame):
            return _from_pandas(session, data, schema, names)
    except ImportError:
        pass
    if isinstance(data, pa.Table):
        return _from_arrow(session, data, schema, names)
    if hasattr(data, "collect") and hasattr(data, "mapPartitions"):
        return _from_rdd(session, data, schema, names)
    if hasattr(data, "tolist") and not isinstance(data, list):
        data = data.tolist()
    rows = list(data)
    if schema is None:
        schema = _infer_schema(rows, names)
    elif names:
        schema = T.StructType([T.StructField(n, f.dataType, f.nullable) for n, f in zip(names, schema.fields)])
    struct_names = schema.names
    if rows and not isinstance(rows[0], (dict, tuple, list, T.Row)) and not hasattr(rows[0], "__dict__"):
        rows = [(r,) for r in rows]
    cols: list[list[Any]] = [[] for _ in struct_names]
    for r in rows:
        vals = _row_values(r, struct_names)
        if len(vals) != len(struct_names):
            raise PySparkValueError(
                f"[LENGTH_SHOULD_BE_THE_SAME] obj and fields should be of the same length, got "
                f"{len(vals)} and {len(struct_names)}.", errorClass="LENGTH_SHOULD_BE_THE_SAME")
        for c, v in zip(cols, vals):
            c.append(v)
    arrays = []
    for f, values in zip(schema.fields, cols):
        if verify and not f.nullable and any(v is None for v in values):
            raise PySparkValueError(
                f"[FIELD_NOT_NULLABLE_WITH_NAME] field {f.name}: This field is not nullable, but "
                f"got None.", errorClass="FIELD_NOT_NULLABLE_WITH_NAME")
        try:
            arrays.append(column_from_python(values, f.dataType))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as e:
            raise PySparkTypeError(
                f"[FIELD_DATA_TYPE_UNACCEPTABLE_WITH_NAME] field {f.name}: {f.dataType.simpleString()} "
                f"can not accept object in type {type(next((v for v in values if v is not None), None)).__name__}. ({e})",
                errorClass="FIELD_DATA_TYPE_UNACCEPTABLE_WITH_NAME") from None
    table = pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(len(arrays))]) if arrays \
        else pa.table({"__one_row": pa.nulls(len(rows), pa.int8())})
    return table_to_dataframe(session, table, schema)


def rows_to_batch(schema: T.StructType, rows: Any) -> list[pa.RecordBatch]:
    """Python rows of one RDD partition as an Arrow record batch (runs in executors)."""
    items = list(rows)
    names = schema.names
    if items and not isinstance(items[0], (dict, tuple, list, T.Row)) and not hasattr(items[0], "__dict__"):
        items = [(r,) for r in items]
    cols: list[list[Any]] = [[] for _ in names]
    for r in items:
        for c, v in zip(cols, _row_values(r, names)):
            c.append(v)
    arrays = [column_from_python(vals, f.dataType) for f, vals in zip(schema.fields, cols)]
    return [pa.RecordBatch.from_arrays(arrays, names=names)]


def _from_rdd(session: Any, rdd: Any, schema: Any, names: list[str] | None) -> Any:
    """A DataFrame over an RDD: rows become Arrow batches inside the tasks that produce them."""
    import functools
    from pyspk.sql.dataframe import DataFrame
    from pyspk.sql.plan.logical import RDDRelation
    if schema is None:
        schema = _infer_schema(rdd.take(100), names)
    elif names:
        schema = T.StructType([T.StructField(n, f.dataType, f.nullable) for n, f in zip(names, schema.fields)])
    batches = rdd.mapPartitions(functools.partial(rows_to_batch, schema))
    attrs = tuple(AttributeReference(f.name, f.dataType, f.nullable) for f in schema.fields)
    return DataFrame(RDDRelation(attrs, batches), session)


def _from_arrow(session: Any, table: pa.Table, schema: T.StructType | None,
                names: list[str] | None) -> Any:
    cols = [normalize_array(c) for c in table.columns]
    if schema is None:
        # Inferred from the original types: a zoned Arrow timestamp is a TIMESTAMP, a naive one
        # TIMESTAMP_NTZ (normalising drops the zone).
        inferred = from_arrow_schema(pa.schema([pa.field(n, c.type) for n, c in
                                                zip(table.column_names, table.columns)]))
        schema = inferred if not names else T.StructType(
            [T.StructField(n, f.dataType, True) for n, f in zip(names, inferred.fields)])
    else:
        cols = [c.cast(to_arrow_type(f.dataType)) if c.type != to_arrow_type(f.dataType) else c
                for c, f in zip(cols, schema.fields)]
    return table_to_dataframe(session, pa.Table.from_arrays(cols, names=[f"c{i}" for i in range(len(cols))]),
                              schema)


def _from_pandas(session: Any, pdf: Any, schema: T.StructType | None, names: list[str] | None) -> Any:
    table = pa.Table.from_pandas(pdf, preserve_index=False)
    if schema is None and names is None:
        names = [str(c) for c in pdf.columns]
    cols = [_pandas_timestamps(c, schema.fields[i].dataType if schema is not None else None)
            for i, c in enumerate(table.columns)]
    return _from_arrow(session, pa.Table.from_arrays(cols, names=table.column_names), schema, names)


def _pandas_timestamps(col: Any, target: T.DataType | None) -> Any:
    """pandas datetimes become TIMESTAMPs as in PySpark: naive values are wall clocks of the
    session time zone, zoned values instants (both stored as UTC instants)."""
    if not pa.types.is_timestamp(col.type) or isinstance(target, T.TimestampNTZType):
        return col
    from pyspk.sql.expressions import tz as TZ
    if col.type.tz is None:
        col = TZ.local_to_utc(col.cast(pa.timestamp("us")), TZ.session_time_zone())
    return col.cast(pa.timestamp("us", tz="UTC"))


def to_pandas(df: Any) -> Any:
    """``df.toPandas()``: nested rows become Rows, TIMESTAMPs the session zone's wall clock as
    datetime64[us], as PySpark."""
    import pandas as pd
    table = df._arrow()
    out = df._plan.output
    data = {}
    for i, a in enumerate(out):
        col = table.column(i)
        dt = a.data_type
        if isinstance(dt, (T.StructType, T.ArrayType, T.MapType)):
            from pyspk.sql._arrow_types import arrow_column_to_python
            data[i] = pd.Series(arrow_column_to_python(col, dt), dtype=object)
        elif isinstance(dt, T.DecimalType):
            data[i] = pd.Series(col.to_pylist(), dtype=object)
        elif isinstance(dt, T.TimestampType):
            from pyspk.sql.expressions import tz as TZ
            local = TZ.utc_to_local(col.cast(pa.timestamp("us")), TZ.session_time_zone())
            data[i] = pd.Series(local.to_pandas()).astype("datetime64[us]")
        elif isinstance(dt, T.TimestampNTZType):
            data[i] = pd.Series(col.to_pandas()).astype("datetime64[us]")
        elif isinstance(dt, T.DateType):
            data[i] = pd.Series(col.to_pylist(), dtype=object)
        else:
            data[i] = col.to_pandas()
    pdf = pd.DataFrame(data)
    pdf.columns = [a.name for a in out]
    return pdf
