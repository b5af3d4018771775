"""Common subexpression elimination within one operator (Spark's subexpressionElimination).

An operator evaluating ``sum(p * (1 - d))`` and ``sum(p * (1 - d) * (1 + t))`` computes
``p * (1 - d)`` once: every deterministic subtree occurring at least twice among its expressions
is evaluated (smallest first) into an extra column and the expressions are rewritten to read it.
Subtrees under a conditional (CASE, IF, COALESCE, NULLIF) are left alone: a branch that is not
taken must not be evaluated for every row, or an ANSI error it guards against would surface.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable, Sequence

import pyarrow as pa

from pyspk.sql.expressions.base import (
    Alias, AttributeReference, EvalContext, Expression, Literal,
)
from pyspk.sql.expressions.conditional import CaseWhen, Coalesce, If, NullIf

_OPAQUE = (CaseWhen, If, Coalesce, NullIf)


def _count(e: Expression, counts: Counter) -> None:
    if isinstance(e, (AttributeReference, Literal)) or not e.deterministic or e.foldable:
        return
    if not isinstance(e, Alias):
        counts[e] += 1
    if isinstance(e, _OPAQUE):
        return
    for c in e.children():
        _count(c, counts)


def _size(e: Expression) -> int:
    return sum(1 for _ in e.walk())


def eliminate(table: pa.Table, exprs: Sequence[Expression], ctx: EvalContext
              ) -> tuple[pa.Table, Callable[[Expression], Expression]]:
    """``table`` with a column per repeated subexpression of ``exprs``, and the rewrite that makes
    an expression read those columns."""
    from pyspk.sql.execution.operators import evaluate_column
    counts: Counter = Counter()
    for e in exprs:
        _count(e, counts)
    common = sorted((x for x, n in counts.items() if n > 1 and x.children()), key=_size)
    mapping: dict[Expression, AttributeReference] = {}

    def rewrite(x: Expression) -> Expression:
        if x in mapping:
            return mapping[x]
        if isinstance(x, _OPAQUE) or not mapping:
            return x
        return x.map_children(rewrite)

    for x in common:
        col = evaluate_column(rewrite(x), table, ctx)
        attr = AttributeReference(f"__subexpr{len(mapping)}", x.data_type, x.nullable)
        table = table.append_column(attr.key, col)
        mapping[x] = attr
    return table, rewrite
