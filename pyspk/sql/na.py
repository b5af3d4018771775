"""``df.na``: drop, fill and replace missing values."""
from __future__ import annotations

from typing import Any

from pyspk.errors import PySparkTypeError
from pyspk.sql import types as T
from pyspk.sql.column import Column
from pyspk.sql.expressions import coercion as C
from pyspk.sql.expressions.base import Alias, Literal
from pyspk.sql.expressions.conditional import Coalesce
from pyspk.sql.expressions.predicates import EqualTo, IsNotNull
from pyspk.sql.expressions.scalar import ScalarFunction
from pyspk.sql.expressions.cast import Cast


def _subset(df: Any, subset: Any) -> list[str]:
    if subset is None:
        return df.columns
    return [subset] if isinstance(subset, str) else list(subset)


def _fits(value: Any, dt: T.DataType) -> bool:
    if isinstance(value, bool):
        return isinstance(dt, T.BooleanType)
    if isinstance(value, (int, float)):
        return C.is_numeric(dt)
    if isinstance(value, str):
        return C.is_string(dt)
    return False


class DataFrameNaFunctions:
    """Missing-value handling for a DataFrame."""

    def __init__(self, df: Any) -> None:
        self._df = df

    def drop(self, how: str = "any", thresh: int | None = None, subset: Any = None) -> Any:
        df = self._df
        names = _subset(df, subset)
        if thresh is None:
            thresh = len(names) if how == "any" else 1
        count = None
        for n in names:
            attr = df._resolve_column(n)._expr
            nn = IsNotNull(attr)
            if isinstance(attr.data_type, (T.DoubleType, T.FloatType)):
                nan = ScalarFunction("isnan", (attr,))
                from pyspk.sql.expressions.predicates import And, Not
                nn = And(nn, Not(nan))
            term = Cast(nn, T.IntegerType())
            from pyspk.sql.expressions.arithmetic import Add
            count = term if count is None else Add(count, term)
        if count is None:
            return df
        from pyspk.sql.expressions.predicates import GreaterThanOrEqual
        return df.filter(Column(GreaterThanOrEqual(count, Literal(thresh, T.IntegerType()))))

    def fill(self, value: Any, subset: Any = None) -> Any:
        df = self._df
        if not isinstance(value, (int, float, str, bool, dict)):
            raise PySparkTypeError("[NOT_BOOL_OR_DICT_OR_FLOAT_OR_INT_OR_STR] Argument `value` "
                                   "should be a bool, dict, float, int or str, got "
                                   f"{type(value).__name__}.",
                                   errorClass="NOT_BOOL_OR_DICT_OR_FLOAT_OR_INT_OR_STR")
        mapping = value if isinstance(value, dict) else {n: value for n in _subset(df, subset)}
        low = {k.lower(): v for k, v in mapping.items()}
        items = []
        for a in df._plan.output:
            v = low.get(a.name.lower())
            if v is not None and _fits(v, a.data_type):
                lit = Cast(Literal.of(v), a.data_type)
                items.append(Alias(Coalesce((a, lit)), a.name))
            else:
                items.append(a)
        return df.select(*[Column(i) for i in items])

    def replace(self, to_replace: Any, value: Any = None, subset: Any = None) -> Any:
        df = self._df
        if isinstance(to_replace, dict):
            pairs = list(to_replace.items())
        elif isinstance(to_replace, (list, tuple)):
            vals = value if isinstance(value, (list, tuple)) else [value] * len(to_replace)
            pairs = list(zip(to_replace, vals))
        else:
            pairs = [(to_replace, value)]
        names = {n.lower() for n in _subset(df, subset)}
        items = []
        from pyspk.sql.expressions.conditional import CaseWhen
        for a in df._plan.output:
            relevant = [(k, v) for k, v in pairs if a.name.lower() in names and _fits(k, a.data_type)]
            if not relevant:
                items.append(a)
                continue
            conds = tuple(EqualTo(a, Cast(Literal.of(k), a.data_type)) for k, _ in relevant)
            vals = tuple(Cast(Literal.of(v), a.data_type) if v is not None else Literal(None, a.data_type)
                         for _, v in relevant)
            items.append(Alias(CaseWhen(conds, vals, a), a.name))
        return df.select(*[Column(i) for i in items])

