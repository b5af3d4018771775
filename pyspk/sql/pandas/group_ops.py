"""Grouped pandas operations: ``groupBy().applyInPandas``/``applyInArrow`` (on GroupedData) and
``cogroup(...).applyInPandas`` over two grouped DataFrames."""
from __future__ import annotations

from typing import Any, Callable

from pyspk.sql.group import GroupedData


class PandasGroupedOpsMixin:
    """The pandas methods GroupedData offers (see ``GroupedData.applyInPandas``)."""

    applyInPandas = GroupedData.applyInPandas
    applyInArrow = GroupedData.applyInArrow


class PandasCogroupedOps:
    """Two grouped DataFrames whose matching groups are handed together to a function."""

    def __init__(self, left: GroupedData, right: GroupedData) -> None:
        self._left = left
        self._right = right

    def applyInPandas(self, func: Callable[..., Any], schema: Any) -> Any:
        import pandas as pd
        from pyspk.sql import types as T
        left, right = self._left, self._right
        lkeys = [g.name for g in left._grouping]
        rkeys = [g.name for g in right._grouping]
        lpdf = left._df.toPandas()
        rpdf = right._df.toPandas()
        keys = sorted({tuple(r) for r in lpdf[lkeys].itertuples(index=False)} |
                      {tuple(r) for r in rpdf[rkeys].itertuples(index=False)}, key=repr)
        outputs = []
        for key in keys:
            lpart = lpdf[(lpdf[lkeys] == list(key)).all(axis=1)] if lkeys else lpdf
            rpart = rpdf[(rpdf[rkeys] == list(key)).all(axis=1)] if rkeys else rpdf
            nargs = func.__code__.co_argcount if hasattr(func, "__code__") else 2
            out = func(key, lpart.reset_index(drop=True), rpart.reset_index(drop=True)) if nargs == 3 \
                else func(lpart.reset_index(drop=True), rpart.reset_index(drop=True))
            outputs.append(out)
        st = T._parse_datatype_string(schema) if isinstance(schema, str) else schema
        result = pd.concat(outputs, ignore_index=True) if outputs else pd.DataFrame(columns=st.names)
        return left._df._session.createDataFrame(result[st.names] if len(result.columns) else result, st)

