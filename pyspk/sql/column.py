"""``Column``: a lazily evaluated expression of the DataFrame API."""
from __future__ import annotations

from typing import Any

from pyspk.errors import PySparkTypeError, PySparkValueError
from pyspk.sql import types as T
from pyspk.sql.expressions import arithmetic as Ar
from pyspk.sql.expressions import predicates as P
from pyspk.sql.expressions.base import (
    Alias, Expression, Literal, SortOrder, UnresolvedAttribute, UnresolvedFunction, UnresolvedStar,
)
from pyspk.sql.expressions.cast import Cast
from pyspk.sql.expressions.conditional import CaseWhen
from pyspk.sql.expressions.fn_collection import GetField


OUTER_SCOPE = -1


def parse_column_name(name: str) -> tuple[str, ...]:
    """Split ``a.b`` / ```a.b`.c`` into name parts (backticks quote dots)."""
    parts, cur, quoted, i = [], [], False, 0
    while i < len(name):
        ch = name[i]
        if ch == "`":
            if quoted and i + 1 < len(name) and name[i + 1] == "`":
                cur.append("`")
                i += 2
                continue
            quoted = not quoted
        elif ch == "." and not quoted:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    parts.append("".join(cur))
    return tuple(parts)


def to_expr(value: Any) -> Expression:
    """A Column, a literal Python value or an Expression as an Expression."""
    if isinstance(value, Column):
        return value._expr
    if isinstance(value, Expression):
        return value
    return Literal.of(value)


def col_or_name(value: Any) -> Expression:
    """A Column, or a column name string, as an Expression."""
    if isinstance(value, str):
        if value == "*":
            return UnresolvedStar()
        if value.endswith(".*"):
            return UnresolvedStar(parse_column_name(value[:-2]))
        return UnresolvedAttribute(parse_column_name(value))
    if isinstance(value, Column):
        return value._expr
    raise PySparkTypeError(
        f"[NOT_COLUMN_OR_STR] Argument `col` should be a Column or str, got {type(value).__name__}.",
        errorClass="NOT_COLUMN_OR_STR",
        messageParameters={"arg_name": "col", "arg_type": type(value).__name__})


def _bin(op: type, reverse: bool = False):
    def method(self: "Column", other: Any) -> "Column":
        o = to_expr(other)
        return Column(op(o, self._expr) if reverse else op(self._expr, o))
    return method


class Column:
    """A column expression, e.g. ``df.age + 1`` or ``F.col("name")``."""

    def __init__(self, expr: Expression) -> None:
        self._expr = expr

    __add__ = _bin(Ar.Add)
    __radd__ = _bin(Ar.Add, True)
    __sub__ = _bin(Ar.Subtract)
    __rsub__ = _bin(Ar.Subtract, True)
    __mul__ = _bin(Ar.Multiply)
    __rmul__ = _bin(Ar.Multiply, True)
    __truediv__ = _bin(Ar.Divide)
    __rtruediv__ = _bin(Ar.Divide, True)
    __mod__ = _bin(Ar.Remainder)
    __rmod__ = _bin(Ar.Remainder, True)
    __eq__ = _bin(P.EqualTo)  # type: ignore[assignment]
    __lt__ = _bin(P.LessThan)
    __le__ = _bin(P.LessThanOrEqual)
    __gt__ = _bin(P.GreaterThan)
    __ge__ = _bin(P.GreaterThanOrEqual)
    __and__ = _bin(P.And)
    __rand__ = _bin(P.And, True)
    __or__ = _bin(P.Or)
    __ror__ = _bin(P.Or, True)
    eqNullSafe = _bin(P.EqualNullSafe)

    def __ne__(self, other: Any) -> "Column":  # type: ignore[override]
        return Column(P.Not(P.EqualTo(self._expr, to_expr(other))))

    def __pow__(self, other: Any) -> "Column":
        return Column(UnresolvedFunction("power", (self._expr, to_expr(other))))

    def __rpow__(self, other: Any) -> "Column":
        return Column(UnresolvedFunction("power", (to_expr(other), self._expr)))

    def __neg__(self) -> "Column":
        return Column(Ar.UnaryMinus(self._expr))

    def __invert__(self) -> "Column":
        return Column(P.Not(self._expr))

    def __bool__(self) -> bool:
        raise PySparkValueError(
            "[CANNOT_CONVERT_COLUMN_INTO_BOOL] Cannot convert column into bool: please use '&' for "
            "'and', '|' for 'or', '~' for 'not' when building DataFrame boolean expressions.",
            errorClass="CANNOT_CONVERT_COLUMN_INTO_BOOL")

    __nonzero__ = __bool__

    def __contains__(self, item: Any) -> bool:
        raise PySparkValueError("[CANNOT_APPLY_IN_FOR_COLUMN] Cannot apply 'in' operator against "
                                "a column: please use 'contains' in a string column or "
                                "'array_contains' function for an array column.",
                                errorClass="CANNOT_APPLY_IN_FOR_COLUMN")

    def __iter__(self) -> None:
        raise PySparkTypeError("[NOT_ITERABLE] Column is not iterable.", errorClass="NOT_ITERABLE",
                               messageParameters={"objectName": "Column"})

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return f"Column<'{self._expr.sql()}'>"

    def __getattr__(self, item: str) -> "Column":
        if item.startswith("__"):
            raise AttributeError(item)
        return self[item]

    def __getitem__(self, k: Any) -> "Column":
        if isinstance(k, slice):
            if k.step is not None:
                raise PySparkValueError("slice with step is not supported",
                                        errorClass="SLICE_WITH_STEP")
            return self.substr(k.start, k.stop)
        if isinstance(k, str):
            return Column(_UnresolvedExtract(self._expr, Literal.of(k)))
        return Column(_UnresolvedExtract(self._expr, to_expr(k)))

    def getItem(self, key: Any) -> "Column":
        return self[key]

    def getField(self, name: str) -> "Column":
        return Column(_UnresolvedExtract(self._expr, Literal.of(name)))

    def withField(self, fieldName: str, col: "Column") -> "Column":
        if not isinstance(col, Column):
            raise PySparkTypeError("[NOT_COLUMN] Argument `col` should be a Column, got "
                                   f"{type(col).__name__}.", errorClass="NOT_COLUMN")
        return Column(UnresolvedFunction("__with_field", (self._expr, Literal.of(fieldName), col._expr)))

    def dropFields(self, *fieldNames: str) -> "Column":
        return Column(UnresolvedFunction("__drop_fields",
                                         (self._expr,) + tuple(Literal.of(n) for n in fieldNames)))

    def transform(self, f: Any) -> "Column":
        return f(self)

    def outer(self) -> "Column":
        """A reference to a column of the enclosing query (in DataFrame subqueries)."""
        e = self._expr
        if isinstance(e, UnresolvedAttribute):
            return Column(UnresolvedAttribute(e.parts, OUTER_SCOPE))
        return self

    # -- naming and casting --------------------------------------------------------------------
    def alias(self, *alias: str, **kwargs: Any) -> "Column":
        if len(alias) == 1:
            from pyspk.sql.plan.logical import freeze_metadata
            return Column(Alias(self._expr, alias[0], metadata=freeze_metadata(kwargs.get("metadata"))))
        from pyspk.sql.expressions.multi_alias import MultiAlias
        return Column(MultiAlias(self._expr, tuple(alias)))

    name = alias

    def cast(self, dataType: T.DataType | str) -> "Column":
        if isinstance(dataType, str):
            dataType = T._parse_datatype_string(dataType)
        return Column(Cast(self._expr, dataType))

    astype = cast

    def try_cast(self, dataType: T.DataType | str) -> "Column":
        if isinstance(dataType, str):
            dataType = T._parse_datatype_string(dataType)
        return Column(Cast(self._expr, dataType, try_=True))

    # -- predicates ----------------------------------------------------------------------------
    def isNull(self) -> "Column":
        return Column(P.IsNull(self._expr))

    def isNotNull(self) -> "Column":
        return Column(P.IsNotNull(self._expr))

    def isNaN(self) -> "Column":
        return Column(UnresolvedFunction("isnan", (self._expr,)))

    def isin(self, *cols: Any) -> "Column":
        if len(cols) == 1 and isinstance(cols[0], (list, set, tuple)):
            cols = tuple(cols[0])
        return Column(P.In(self._expr, tuple(to_expr(c) for c in cols)))

    def between(self, lowerBound: Any, upperBound: Any) -> "Column":
        return (self >= lowerBound) & (self <= upperBound)

    def like(self, other: str) -> "Column":
        return Column(P.Like(self._expr, Literal.of(other)))

    def ilike(self, other: str) -> "Column":
        return Column(P.Like(self._expr, Literal.of(other), case_insensitive=True))

    def rlike(self, other: str) -> "Column":
        return Column(P.RLike(self._expr, Literal.of(other)))

    def startswith(self, other: Any) -> "Column":
        return Column(UnresolvedFunction("startswith", (self._expr, to_expr(other))))

    def endswith(self, other: Any) -> "Column":
        return Column(UnresolvedFunction("endswith", (self._expr, to_expr(other))))

    def contains(self, other: Any) -> "Column":
        return Column(UnresolvedFunction("contains", (self._expr, to_expr(other))))

    def substr(self, startPos: Any, length: Any) -> "Column":
        return Column(UnresolvedFunction("substr", (self._expr, to_expr(startPos), to_expr(length))))

    def bitwiseAND(self, other: Any) -> "Column":
        return Column(UnresolvedFunction("bitwise_and_op", (self._expr, to_expr(other))))

    def bitwiseOR(self, other: Any) -> "Column":
        return Column(UnresolvedFunction("bitwise_or_op", (self._expr, to_expr(other))))

    def bitwiseXOR(self, other: Any) -> "Column":
        return Column(UnresolvedFunction("bitwise_xor_op", (self._expr, to_expr(other))))

    # -- sorting -------------------------------------------------------------------------------
    def asc(self) -> "Column":
        return Column(SortOrder(self._expr, True, None))

    def desc(self) -> "Column":
        return Column(SortOrder(self._expr, False, None))

    def asc_nulls_first(self) -> "Column":
        return Column(SortOrder(self._expr, True, True))

    def asc_nulls_last(self) -> "Column":
        return Column(SortOrder(self._expr, True, False))

    def desc_nulls_first(self) -> "Column":
        return Column(SortOrder(self._expr, False, True))

    def desc_nulls_last(self) -> "Column":
        return Column(SortOrder(self._expr, False, False))

    # -- conditional and windows ---------------------------------------------------------------
    def when(self, condition: "Column", value: Any) -> "Column":
        e = self._expr
        if not isinstance(e, CaseWhen) or e.else_value is not None:
            raise PySparkTypeError("[INVALID_WHEN_USAGE] when() can only be applied on a Column "
                                   "previously generated by when() function, and cannot be "
                                   "applied once otherwise() is applied.",
                                   errorClass="INVALID_WHEN_USAGE")
        return Column(CaseWhen(e.conditions + (to_expr(condition),), e.values + (to_expr(value),)))

    def otherwise(self, value: Any) -> "Column":
        e = self._expr
        if not isinstance(e, CaseWhen) or e.else_value is not None:
            raise PySparkTypeError("[INVALID_WHEN_USAGE] otherwise() can only be applied on a "
                                   "Column previously generated by when(), and cannot be applied "
                                   "once otherwise() is applied.", errorClass="INVALID_WHEN_USAGE")
        return Column(CaseWhen(e.conditions, e.values, to_expr(value)))

    def over(self, window: Any) -> "Column":
        from pyspk.sql.expressions.window import WindowExpression
        return Column(WindowExpression(self._expr, window._spec()))


class _UnresolvedExtract(Expression):
    """``col[key]``: struct field, array index (0-based) or map key, decided after analysis."""

    def __init__(self, child: Expression, key: Expression) -> None:
        self.child = child
        self.key = key

    def children(self) -> list[Expression]:
        return [self.child, self.key]

    def map_children(self, fn):  # type: ignore[override]
        c, k = fn(self.child), fn(self.key)
        return self if c is self.child and k is self.key else _UnresolvedExtract(c, k)

    @property
    def resolved(self) -> bool:
        return False

    def coerce(self) -> Expression:
        dt = self.child.data_type
        if isinstance(dt, T.StructType) and isinstance(self.key, Literal):
            return GetField(self.child, str(self.key.value), named_by_path=True)
        return GetField(self.child, None, self.key)

    def sql(self) -> str:
        return f"{self.child.sql()}[{self.key.sql()}]"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _UnresolvedExtract) and other.child == self.child and other.key == self.key

    def __hash__(self) -> int:
        return hash((self.child, self.key))
