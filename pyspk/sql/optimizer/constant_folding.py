"""Constant folding: evaluate deterministic expressions without column inputs once, at plan time,
and simplify boolean conditions with literal operands."""
from __future__ import annotations

import pyarrow as pa

from pyspk.sql import types as T
from pyspk.sql._arrow_types import arrow_column_to_python
from pyspk.sql.expressions.base import (Alias, EvalContext, Expression, Literal,
                                        current_eval_context)
from pyspk.sql.expressions.predicates import And, Or
from pyspk.sql.plan import logical as L

_EMPTY = pa.table({"__one_row": pa.array([0], pa.int8())})


def fold_expression(e: Expression, ctx: EvalContext | None = None) -> Expression:
    """``e`` with every foldable subtree replaced by its literal value."""
    ctx = ctx or current_eval_context()

    def fn(x: Expression) -> Expression:
        if isinstance(x, (Literal, Alias)) or not x.foldable:
            return _simplify_boolean(x)
        try:
            value = x.eval(_EMPTY, ctx)
        except Exception:  # errors (e.g. 1/0 under ANSI) must surface when the query runs
            return x
        arr = pa.array([value.as_py()], value.type) if isinstance(value, pa.Scalar) else value
        py = arrow_column_to_python(arr, x.data_type)[0]
        return Literal(_freeze(py), x.data_type)
    return e.transform_up(fn)


def _freeze(v):
    """Hashable literal values: lists become tuples, also inside struct Rows."""
    if isinstance(v, T.Row):
        fields = getattr(v, "__fields__", None)
        values = [_freeze(x) for x in v]
        return T._make_row(fields, values) if fields is not None else T.Row(*values)
    if isinstance(v, list):
        return tuple(_freeze(x) for x in v)
    if isinstance(v, dict):
        return tuple((k, _freeze(x)) for k, x in v.items())
    return v


def _simplify_boolean(x: Expression) -> Expression:
    if isinstance(x, And):
        for a, b in ((x.left, x.right), (x.right, x.left)):
            if isinstance(a, Literal) and a.value is True:
                return b
            if isinstance(a, Literal) and a.value is False:
                return Literal(False, T.BooleanType())
    if isinstance(x, Or):
        for a, b in ((x.left, x.right), (x.right, x.left)):
            if isinstance(a, Literal) and a.value is False:
                return b
            if isinstance(a, Literal) and a.value is True:
                return Literal(True, T.BooleanType())
    return x


def fold_constants(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Fold constants in every expression of the plan; drop filters that are always true."""
    def fn(p: L.LogicalPlan) -> L.LogicalPlan:
        p = p.map_expressions(fold_expression)
        if isinstance(p, L.Filter) and isinstance(p.condition, Literal) and p.condition.value is True:
            return p.child
        return p
    return plan.transform_up(fn)
