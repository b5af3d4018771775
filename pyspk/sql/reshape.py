"""``unpivot``/``melt``: wide to long, one output row per (input row, value column)."""
from __future__ import annotations

from typing import Any

from pyspk.sql.column import Column, col_or_name
from pyspk.sql.expressions.base import Literal
from pyspk.sql.expressions.fn_collection import CreateStruct
from pyspk.sql.expressions.generators import Explode
from pyspk.sql.expressions.base import UnresolvedFunction


def _names(df: Any, cols: Any) -> list[Any]:
    if cols is None:
        return []
    return [cols] if isinstance(cols, (str, Column)) else list(cols)


def unpivot(df: Any, ids: Any, values: Any, variable: str, value: str) -> Any:
    id_cols = _names(df, ids)
    id_names = {c if isinstance(c, str) else None for c in id_cols}
    val_cols = _names(df, values) or [c for c in df.columns if c not in id_names]
    structs = []
    for v in val_cols:
        name = v if isinstance(v, str) else v._expr.sql()
        structs.append(CreateStruct((variable, value), (Literal.of(name), col_or_name(v)), True))
    arr = UnresolvedFunction("array", tuple(structs))
    exploded = Column(Explode(arr, inline=True))
    return df.select(*[Column(col_or_name(c)) for c in id_cols], exploded)



