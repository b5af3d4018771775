"""Exact int64 decimal arithmetic: answers equal Python's Decimal arithmetic, and values that do
not fit take the decimal128 path (same answers, same ANSI errors)."""
from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pytest

from pyspk.errors import ArithmeticException
from pyspk.sql import types as T
from pyspk.sql.execution.operators import hash_aggregate
from pyspk.sql.expressions import aggregates as A
from pyspk.sql.expressions import decimal_int64 as DI
from pyspk.sql.expressions.arithmetic import Add, Multiply, Subtract
from pyspk.sql.expressions.base import Alias, AttributeReference, EvalContext, Literal


def _col(name: str, p: int, s: int) -> AttributeReference:
    return AttributeReference(name, T.DecimalType(p, s), True)


def _table(**cols: tuple[list, int, int]) -> pa.Table:
    return pa.table({k: pa.array([None if v is None else Decimal(v) for v in vals],
                                 pa.decimal128(p, s)) for k, (vals, p, s) in cols.items()})


A_VALS = ["1.25", "-3.50", None, "0.00", "9999999999999.99", "-0.01"]
B_VALS = ["2.00", "0.05", "1.10", None, "-1.00", "-0.01"]


def _expect(op, a, b, scale):
    out = []
    for x, y in zip(a, b):
        if x is None or y is None:
            out.append(None)
        else:
            out.append(op(Decimal(x), Decimal(y)).quantize(Decimal(1).scaleb(-scale)))
    return out


@pytest.mark.parametrize("cls,op", [(Add, lambda x, y: x + y), (Subtract, lambda x, y: x - y),
                                    (Multiply, lambda x, y: x * y)])
def test_binary_ops_match_python_decimal(cls, op):
    a, b = _col("a", 15, 2), _col("b", 15, 2)
    t = _table(**{a.key: (A_VALS, 15, 2), b.key: (B_VALS, 15, 2)})
    e = cls(a, b)
    out = e.eval(t, EvalContext())
    dt = e.data_type
    assert out.type == pa.decimal128(dt.precision, dt.scale)
    assert out.to_pylist() == _expect(op, A_VALS, B_VALS, dt.scale)


def test_integer_literal_operand_and_mixed_scales():
    a = _col("a", 15, 2)
    t = _table(**{a.key: (A_VALS, 15, 2)})
    e = Subtract(Literal(1, T.IntegerType()), a)
    assert e.eval(t, EvalContext()).to_pylist() == _expect(
        lambda x, y: x - y, ["1"] * len(A_VALS), A_VALS, 2)
    m = Multiply(a, _col("c", 10, 4))
    t2 = _table(**{a.key: (A_VALS, 15, 2), "c#0": (["1.0001"] * len(A_VALS), 10, 4)})
    m = Multiply(a, AttributeReference("c", T.DecimalType(10, 4), True, expr_id=0))
    assert m.eval(t2, EvalContext()).to_pylist() == _expect(
        lambda x, y: x * y, A_VALS, ["1.0001"] * len(A_VALS), 6)


def test_values_beyond_int64_fall_back_exactly():
    a, b = _col("a", 38, 0), _col("b", 38, 0)
    big = ["12345678901234567890123", "-5", "4611686018427387904"]
    t = _table(**{a.key: (big, 38, 0), b.key: (["7", "3", "2"], 38, 0)})
    assert DI.unscaled(t.column(a.key)) is None
    out = Add(a, b).eval(t, EvalContext()).to_pylist()
    assert out == [Decimal("12345678901234567890130"), Decimal("-2"), Decimal("4611686018427387906")]
    # 2**62 * 2 overflows int64 but not decimal(38,0): the product is still exact.
    prod = Multiply(a, b).eval(t.slice(2), EvalContext()).to_pylist()
    assert prod == [Decimal(2 ** 63)]


def test_decimal_overflow_still_raises_under_ansi():
    a = _col("a", 38, 0)
    t = _table(**{a.key: (["9" * 38], 38, 0)})
    with pytest.raises(ArithmeticException):
        Add(a, a).eval(t, EvalContext())


def test_reduced_scale_rounds_half_up_like_spark():
    # decimal(38,10) * decimal(38,10) needs more than 38 digits: Spark keeps scale 6, rounding.
    a, b = _col("a", 38, 10), _col("b", 38, 10)
    t = _table(**{a.key: (["0.0000015000", "-0.0000025000"], 38, 10),
                  b.key: (["1.0000000000", "1.0000000000"], 38, 10)})
    e = Multiply(a, b)
    assert e.data_type == T.DecimalType(38, 6)
    assert e.eval(t, EvalContext()).to_pylist() == [Decimal("0.000002"), Decimal("-0.000003")]


def test_round_trip_with_offsets_and_nulls():
    arr = pa.array([Decimal("1.5"), None, Decimal("-2.25"), Decimal("3")], pa.decimal128(10, 2))
    sliced = pa.chunked_array([arr.slice(1), arr.slice(0, 2)])
    ints = DI.unscaled(sliced)
    assert ints.to_pylist() == [None, -225, 300, 150, None]
    back = DI.to_decimal(ints, pa.decimal128(10, 2))
    assert back.to_pylist() == sliced.to_pylist()
    assert DI.to_decimal(pa.array([10 ** 5]), pa.decimal128(4, 0)) is None


def test_sum_min_max_avg_aggregate_on_int64_match_decimal():
    k = AttributeReference("k", T.IntegerType(), True)
    v = _col("v", 15, 2)
    vals = ["1.10", None, "-2.05", "3.33", None, "99999999999.99"]
    t = pa.table({k.key: pa.array([1, 1, 2, 2, 3, 1], pa.int32()),
                  v.key: pa.array([None if x is None else Decimal(x) for x in vals],
                                  pa.decimal128(15, 2))})
    aggs = [Alias(A.Sum(v), "s"), Alias(A.Min(v), "mn"), Alias(A.Max(v), "mx"),
            Alias(A.Avg(v), "a"), Alias(A.Count(v), "c")]
    out = hash_aggregate(t, [k], [k] + aggs, EvalContext()).sort_by(k.key).to_pylist()
    rows = [tuple(r.values()) for r in out]
    assert rows == [
        (1, Decimal("100000000001.09"), Decimal("1.10"), Decimal("99999999999.99"),
         Decimal("50000000000.545000"), 2),
        (2, Decimal("1.28"), Decimal("-2.05"), Decimal("3.33"), Decimal("0.640000"), 2),
        (3, None, None, None, None, 0),
    ]
    assert out and pa.table(hash_aggregate(t, [k], [k] + aggs, EvalContext())).schema.field(1).type \
        == pa.decimal128(25, 2)


def test_decimal_avg_is_exact_and_rounds_half_away_from_zero():
    k = AttributeReference("k", T.IntegerType(), True)
    v = _col("v", 15, 2)
    t = pa.table({k.key: pa.array([1, 1, 1, 2, 2, 2], pa.int32()),
                  v.key: pa.array([Decimal(x) for x in ["0.01", "0.01", "0.00",
                                                         "-0.01", "-0.01", "0.00"]],
                                  pa.decimal128(15, 2))})
    out = hash_aggregate(t, [k], [k, Alias(A.Avg(v), "a")], EvalContext()).sort_by(k.key)
    assert out.column(1).to_pylist() == [Decimal("0.006667"), Decimal("-0.006667")]


def test_decimal_avg_beyond_int64_uses_exact_python_decimals():
    v = _col("v", 38, 0)
    big = Decimal("12345678901234567890123456789")
    t = pa.table({v.key: pa.array([big, big + 1], pa.decimal128(38, 0))})
    out = hash_aggregate(t, [], [Alias(A.Avg(v), "a")], EvalContext())
    assert out.column(0).to_pylist() == [Decimal("12345678901234567890123456789.5000")]


def test_remembered_conversions_are_bounded_and_forgotten():
    arr = pa.array([Decimal("1.25")] * 10, pa.decimal128(15, 2))
    first = DI.unscaled(arr)
    assert DI.unscaled(arr) is first
    DI.forget()
    again = DI.unscaled(arr)
    assert again is not first and again.equals(first)
    for i in range(DI._MEMO_SIZE + 3):
        DI.unscaled(pa.array([Decimal(i)], pa.decimal128(15, 2)))
    assert len(DI._memo) <= DI._MEMO_SIZE
