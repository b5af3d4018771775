"""pandas/Arrow batch functions: ``mapInPandas``, ``mapInArrow``, ``groupBy().applyInPandas``."""
from __future__ import annotations

from typing import Any, Callable

from pyspk.sql import types as T
from pyspk.sql.expressions.base import AttributeReference
from pyspk.sql.plan import logical as L


def _schema(schema: Any) -> T.StructType:
    return T._parse_datatype_string(schema) if isinstance(schema, str) else schema


def map_in(df: Any, func: Callable, schema: Any, kind: str) -> Any:
    st = _schema(schema)
    attrs = tuple(AttributeReference(f.name, f.dataType, True) for f in st.fields)
    return df._new(L.MapPartitions(func, attrs, df._plan, kind))


def apply_in_pandas(df: Any, grouping: list, func: Callable, schema: Any, arrow: bool = False) -> Any:
    st = _schema(schema)
    attrs = tuple(AttributeReference(f.name, f.dataType, True) for f in st.fields)
    resolved = [df._session._analyze(L.Project((g,), df._plan)).project_list[0] for g in grouping]
    return df._new(L.MapPartitions(func, attrs, df._plan, "grouped_arrow" if arrow else "grouped_pandas",
                                   tuple(resolved)))
