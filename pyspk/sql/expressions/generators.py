"""Generator expressions (explode, posexplode, inline): turn one row into many via ``Generate``."""
from __future__ import annotations

from dataclasses import dataclass

from pyspk.sql import types as T
from pyspk.sql.expressions.base import Expression


@dataclass(frozen=True)
class Explode(Expression):
    """``explode``/``explode_outer``/``posexplode``/``inline`` of an array or map."""

    child: Expression
    position: bool = False
    outer: bool = False
    inline: bool = False

    @property
    def is_map(self) -> bool:
        return isinstance(self.child.data_type, T.MapType)

    @property
    def foldable(self) -> bool:
        return False

    def pretty_name(self) -> str:
        base = "inline" if self.inline else "posexplode" if self.position else "explode"
        return base + ("_outer" if self.outer else "")

    def sql(self) -> str:
        return f"{self.pretty_name()}({self.child.sql()})"

    @property
    def data_type(self) -> T.DataType:
        return self.element_schema()

    def element_schema(self) -> T.StructType:
        """Names and types of the columns this generator produces."""
        dt = self.child.data_type
        fields = [T.StructField("pos", T.IntegerType(), False)] if self.position else []
        if self.inline and isinstance(dt, T.ArrayType) and isinstance(dt.elementType, T.StructType):
            return T.StructType(fields + list(dt.elementType.fields))
        if isinstance(dt, T.MapType):
            return T.StructType(fields + [T.StructField("key", dt.keyType, False),
                                          T.StructField("value", dt.valueType, True)])
        if isinstance(dt, T.ArrayType):
            return T.StructType(fields + [T.StructField("col", dt.elementType, True)])
        raise TypeError(f"cannot explode {dt.simpleString()}")
