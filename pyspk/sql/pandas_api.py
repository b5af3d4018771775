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


COGROUP_KEY = "__cogroup_key"


def _keyed(df: Any, grouping: list) -> tuple[L.LogicalPlan, tuple]:
    """``df``'s plan with its grouping keys as attributes: a key that is an expression becomes
    an extra ``__cogroup_key`` column (left out of the pandas frames the function sees)."""
    from pyspk.sql.expressions.base import Alias
    resolved = [df._session._analyze(L.Project((g,), df._plan)).project_list[0] for g in grouping]
    extra = [Alias(e.child if isinstance(e, Alias) else e, f"{COGROUP_KEY}{i}")
             for i, e in enumerate(resolved) if not isinstance(e, AttributeReference)]
    plan = L.Project(tuple(df._plan.output) + tuple(extra), df._plan) if extra else df._plan
    aliases = iter(extra)
    keys = tuple(e if isinstance(e, AttributeReference) else next(aliases).to_attribute()
                 for e in resolved)
    return plan, keys


def cogroup_apply(left: Any, left_grouping: list, right: Any, right_grouping: list,
                  func: Callable, schema: Any, arrow: bool = False) -> Any:
    """``cogroup(...).applyInPandas`` / ``applyInArrow``: one plan node over both sides, run in
    executor tasks after exchanging both sides on their keys."""
    st = _schema(schema)
    attrs = tuple(AttributeReference(f.name, f.dataType, True) for f in st.fields)
    lplan, lkeys = _keyed(left, left_grouping)
    rplan, rkeys = _keyed(right, right_grouping)
    return left._new(L.CoGroupMap(func, attrs, lplan, rplan, lkeys, rkeys,
                                  "arrow" if arrow else "pandas"))
