"""Window specifications, frames and window functions (ranking, offsets, aggregates ``OVER``)."""
from __future__ import annotations

from dataclasses import dataclass

from pyspk.sql import types as T
from pyspk.sql.expressions.base import Expression, SortOrder

UNBOUNDED_PRECEDING = -(1 << 62)
UNBOUNDED_FOLLOWING = 1 << 62
CURRENT_ROW = 0


@dataclass(frozen=True)
class WindowFrame:
    """``ROWS|RANGE BETWEEN lower AND upper`` (offsets relative to the current row)."""

    kind: str = "range"
    lower: int = UNBOUNDED_PRECEDING
    upper: int = CURRENT_ROW

    def sql(self) -> str:
        return f"{self.kind.upper()} BETWEEN {_bound(self.lower)} AND {_bound(self.upper)}"


def _bound(b: int) -> str:
    if b <= UNBOUNDED_PRECEDING:
        return "UNBOUNDED PRECEDING"
    if b >= UNBOUNDED_FOLLOWING:
        return "UNBOUNDED FOLLOWING"
    if b == 0:
        return "CURRENT ROW"
    return f"{-b} PRECEDING" if b < 0 else f"{b} FOLLOWING"


@dataclass(frozen=True)
class WindowSpecDefinition(Expression):
    """PARTITION BY / ORDER BY / frame of a window."""

    partition: tuple[Expression, ...] = ()
    order: tuple[SortOrder, ...] = ()
    frame: WindowFrame | None = None

    @property
    def data_type(self) -> T.DataType:
        return T.NullType()

    def effective_frame(self, fn: Expression) -> WindowFrame:
        if isinstance(fn, WindowFunction) and fn.fixed_frame():
            return WindowFrame("rows", UNBOUNDED_PRECEDING, CURRENT_ROW)
        if self.frame is not None:
            return self.frame
        if self.order:
            return WindowFrame("range", UNBOUNDED_PRECEDING, CURRENT_ROW)
        return WindowFrame("rows", UNBOUNDED_PRECEDING, UNBOUNDED_FOLLOWING)

    def sql_for(self, fn: Expression) -> str:
        parts = []
        if self.partition:
            parts.append("PARTITION BY " + ", ".join(p.sql() for p in self.partition))
        if self.order:
            parts.append("ORDER BY " + ", ".join(o.sql() for o in self.order))
        parts.append(self.effective_frame(fn).sql())
        return " ".join(parts)


@dataclass(frozen=True)
class WindowExpression(Expression):
    """``fn OVER (spec)``."""

    function: Expression
    spec: WindowSpecDefinition

    @property
    def data_type(self) -> T.DataType:
        return self.function.data_type

    @property
    def foldable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"{self.function.sql()} OVER ({self.spec.sql_for(self.function)})"


@dataclass(frozen=True)
class WindowFunction(Expression):
    """Base of functions that only make sense over a window."""

    def fixed_frame(self) -> bool:
        return True

    @property
    def foldable(self) -> bool:
        return False


@dataclass(frozen=True)
class RowNumber(WindowFunction):
    @property
    def data_type(self) -> T.DataType:
        return T.IntegerType()

    def sql(self) -> str:
        return "row_number()"


@dataclass(frozen=True)
class Rank(WindowFunction):
    """``rank``, ``dense_rank``, ``percent_rank``, ``cume_dist``."""

    fn: str = "rank"

    @property
    def data_type(self) -> T.DataType:
        return T.DoubleType() if self.fn in ("percent_rank", "cume_dist") else T.IntegerType()

    def sql(self) -> str:
        return f"{self.fn}()"

    def fixed_frame(self) -> bool:
        return True


@dataclass(frozen=True)
class NTile(WindowFunction):
    buckets: int = 1

    @property
    def data_type(self) -> T.DataType:
        return T.IntegerType()

    def sql(self) -> str:
        return f"ntile({self.buckets})"


@dataclass(frozen=True)
class Offset(WindowFunction):
    """``lag``/``lead``: the value ``offset`` rows before/after, else ``default``."""

    child: Expression
    offset: int = 1
    default: Expression | None = None
    fn: str = "lag"
    ignore_nulls: bool = False

    @property
    def data_type(self) -> T.DataType:
        return self.child.data_type

    def sql(self) -> str:
        d = self.default.sql() if self.default is not None else "NULL"
        return f"{self.fn}({self.child.sql()}, {self.offset}, {d})"


@dataclass(frozen=True)
class NthValue(WindowFunction):
    child: Expression
    n: int = 1
    ignore_nulls: bool = False

    @property
    def data_type(self) -> T.DataType:
        return self.child.data_type

    def fixed_frame(self) -> bool:
        return False

    def sql(self) -> str:
        return f"nth_value({self.child.sql()}, {self.n})"
