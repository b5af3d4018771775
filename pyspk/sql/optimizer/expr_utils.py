"""Helpers shared by rules: conjunct splitting and attribute substitution."""
from __future__ import annotations

from functools import reduce
from typing import Iterable, Mapping

from pyspk.sql.expressions.base import Alias, AttributeReference, Expression, OuterReference
from pyspk.sql.expressions.predicates import And


def conjuncts(e: Expression | None) -> list[Expression]:
    if e is None:
        return []
    if isinstance(e, And):
        return conjuncts(e.left) + conjuncts(e.right)
    return [e]


def and_all(es: Iterable[Expression]) -> Expression | None:
    es = list(es)
    return reduce(And, es) if es else None


def refs(e: Expression) -> set[int]:
    """Attribute ids ``e`` reads (not counting outer references)."""
    out: set[int] = set()
    for x in e.walk():
        if isinstance(x, AttributeReference):
            out.add(x.expr_id)
    return out


def has_outer(e: Expression) -> bool:
    return any(isinstance(x, OuterReference) for x in e.walk())


def substitute(e: Expression, mapping: Mapping[int, Expression]) -> Expression:
    """Replace attributes by id with the expressions that define them."""
    def fn(x: Expression) -> Expression:
        if isinstance(x, AttributeReference) and x.expr_id in mapping:
            return mapping[x.expr_id]
        return x
    return e.transform_up(fn)


def alias_map(project_list: Iterable[Expression]) -> dict[int, Expression]:
    return {e.expr_id: e.child for e in project_list if isinstance(e, Alias)}


def ids(attrs: Iterable[AttributeReference]) -> set[int]:
    return {a.expr_id for a in attrs}
