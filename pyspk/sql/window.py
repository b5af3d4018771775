"""``Window`` and ``WindowSpec``: PARTITION BY / ORDER BY / frame for ``Column.over``."""
from __future__ import annotations

from typing import Any

from pyspk.sql.column import col_or_name
from pyspk.sql.expressions.base import SortOrder
from pyspk.sql.expressions import window as W


def _flat(cols: tuple) -> list:
    return list(cols[0]) if len(cols) == 1 and isinstance(cols[0], (list, tuple)) else list(cols)


class WindowSpec:
    """An immutable window definition; each method returns a new spec."""

    def __init__(self, partition: tuple = (), order: tuple = (), frame: W.WindowFrame | None = None) -> None:
        self._partition = partition
        self._order = order
        self._frame = frame

    def partitionBy(self, *cols: Any) -> "WindowSpec":
        return WindowSpec(tuple(col_or_name(c) for c in _flat(cols)), self._order, self._frame)

    def orderBy(self, *cols: Any) -> "WindowSpec":
        orders = []
        for c in _flat(cols):
            e = col_or_name(c)
            orders.append(e if isinstance(e, SortOrder) else SortOrder(e, True))
        return WindowSpec(self._partition, tuple(orders), self._frame)

    def rowsBetween(self, start: int, end: int) -> "WindowSpec":
        return WindowSpec(self._partition, self._order, W.WindowFrame("rows", _bound(start), _bound(end)))

    def rangeBetween(self, start: int, end: int) -> "WindowSpec":
        return WindowSpec(self._partition, self._order, W.WindowFrame("range", _bound(start), _bound(end)))

    def _spec(self) -> W.WindowSpecDefinition:
        return W.WindowSpecDefinition(self._partition, self._order, self._frame)


def _bound(v: int) -> int:
    if v <= -(1 << 62):
        return W.UNBOUNDED_PRECEDING
    if v >= (1 << 62):
        return W.UNBOUNDED_FOLLOWING
    return int(v)


class Window:
    """Static constructors of window specs (``Window.partitionBy("a").orderBy("b")``)."""

    _JAVA_LONG_MIN = -(1 << 63)
    _JAVA_LONG_MAX = (1 << 63) - 1
    unboundedPreceding: int = _JAVA_LONG_MIN
    unboundedFollowing: int = _JAVA_LONG_MAX
    currentRow: int = 0

    @staticmethod
    def partitionBy(*cols: Any) -> WindowSpec:
        return WindowSpec().partitionBy(*cols)

    @staticmethod
    def orderBy(*cols: Any) -> WindowSpec:
        return WindowSpec().orderBy(*cols)

    @staticmethod
    def rowsBetween(start: int, end: int) -> WindowSpec:
        return WindowSpec().rowsBetween(start, end)

    @staticmethod
    def rangeBetween(start: int, end: int) -> WindowSpec:
        return WindowSpec().rangeBetween(start, end)
