"""Common subexpression elimination: repeated subtrees are evaluated once, answers unchanged,
and nothing under a conditional is evaluated eagerly."""
from __future__ import annotations

import pyarrow as pa
import pytest

from pyspk.errors import ArithmeticException
from pyspk.sql import types as T
from pyspk.sql.execution import subexpr
from pyspk.sql.execution.operators import project
from pyspk.sql.expressions.arithmetic import Add, Divide, Multiply
from pyspk.sql.expressions.base import Alias, AttributeReference, EvalContext, Literal
from pyspk.sql.expressions.conditional import CaseWhen
from pyspk.sql.expressions.predicates import EqualTo


def _attrs():
    return AttributeReference("a", T.LongType()), AttributeReference("b", T.LongType())


def test_repeated_subtree_becomes_one_column_and_answers_match():
    a, b = _attrs()
    t = pa.table({a.key: pa.array([1, 2, None], pa.int64()), b.key: pa.array([3, 4, 5], pa.int64())})
    ab = Multiply(a, b)
    exprs = [Alias(ab, "x"), Alias(Add(ab, Literal(1, T.LongType())), "y")]
    wide, rewrite = subexpr.eliminate(t, exprs, EvalContext())
    assert wide.num_columns == 3
    assert isinstance(rewrite(ab), AttributeReference)
    out = project(t, exprs, EvalContext())
    assert out.column(0).to_pylist() == [3, 8, None]
    assert out.column(1).to_pylist() == [4, 9, None]


def test_subtrees_under_case_are_not_hoisted():
    a, b = _attrs()
    t = pa.table({a.key: pa.array([1, 2], pa.int64()), b.key: pa.array([0, 2], pa.int64())})
    div = Divide(a, b)
    guarded = CaseWhen((EqualTo(b, Literal(0, T.LongType())),), (Literal(None, T.DoubleType()),), div)
    exprs = [Alias(guarded, "x"), Alias(CaseWhen((EqualTo(b, Literal(0, T.LongType())),),
                                                 (Literal(0.0, T.DoubleType()),), div), "y")]
    wide, rewrite = subexpr.eliminate(t, exprs, EvalContext())
    assert wide.num_columns == 2 and rewrite(guarded) == guarded
    with pytest.raises(ArithmeticException):
        project(t, [Alias(div, "z"), Alias(Add(div, Literal(1.0, T.DoubleType())), "w")], EvalContext())
