"""``expr.alias("a", "b")``: names for each column a generator produces."""
from __future__ import annotations

from dataclasses import dataclass

from pyspk.sql import types as T
from pyspk.sql.expressions.base import Expression


@dataclass(frozen=True)
class MultiAlias(Expression):
    child: Expression
    names: tuple[str, ...]

    @property
    def data_type(self) -> T.DataType:
        return self.child.data_type

    def sql(self) -> str:
        return f"{self.child.sql()} AS ({', '.join(self.names)})"
