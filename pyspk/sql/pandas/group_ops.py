"""Grouped pandas operations: ``groupBy().applyInPandas``/``applyInArrow`` (on GroupedData) and
``cogroup(...).applyInPandas``/``applyInArrow`` over two grouped DataFrames."""
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
        from pyspk.sql.pandas_api import cogroup_apply
        left, right = self._left, self._right
        return cogroup_apply(left._df, left._grouping, right._df, right._grouping, func, schema)

    def applyInArrow(self, func: Callable[..., Any], schema: Any) -> Any:
        from pyspk.sql.pandas_api import cogroup_apply
        left, right = self._left, self._right
        return cogroup_apply(left._df, left._grouping, right._df, right._grouping, func, schema,
                             arrow=True)
