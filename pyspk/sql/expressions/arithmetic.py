"""Arithmetic operators with Spark's result types, ANSI overflow checks and date/interval math."""
from __future__ import annotations

import calendar
import datetime
import decimal
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.errors import ArithmeticException
from pyspk.sql import types as T
from pyspk.sql._arrow_types import to_arrow_type
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, Literal
from pyspk.sql.expressions.cast import Cast, cast_value
from pyspk.sql.expressions import coercion as C
from pyspk.sql.expressions import decimal_int64 as DI


def overflow_error(alternative: str | None = "try_add") -> ArithmeticException:
    """Spark's ``ARITHMETIC_OVERFLOW``; ``alternative`` names the try_ function it suggests."""
    hint = f"Use '{alternative}' to tolerate overflow and return NULL instead. " \
        if alternative else ""
    return ArithmeticException(
        f"[ARITHMETIC_OVERFLOW] overflow. {hint}If necessary set \"spark.sql.ansi.enabled\" to "
        "\"false\" to bypass this error. SQLSTATE: 22003", errorClass="ARITHMETIC_OVERFLOW",
        messageParameters={"message": "overflow", "alternative": hint.strip(),
                           "config": '"spark.sql.ansi.enabled"'}, sqlState="22003")


def binary_overflow_error(left, symbol: str, right, alternative: str) -> ArithmeticException:
    """Spark's ``BINARY_ARITHMETIC_OVERFLOW`` (TINYINT/SMALLINT operands, shown as ``1S``)."""
    return ArithmeticException(
        f"[BINARY_ARITHMETIC_OVERFLOW] {left}S {symbol} {right}S caused overflow. Use "
        f"`{alternative}` to ignore overflow problem and return NULL. SQLSTATE: 22003",
        errorClass="BINARY_ARITHMETIC_OVERFLOW",
        messageParameters={"value1": f"{left}S", "symbol": symbol, "value2": f"{right}S",
                           "functionName": f"`{alternative}`"}, sqlState="22003")


def remainder_by_zero_error() -> ArithmeticException:
    return ArithmeticException(
        "[REMAINDER_BY_ZERO] Remainder by zero. Use `try_mod` to tolerate divisor being 0 and "
        "return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass "
        "this error. SQLSTATE: 22012", errorClass="REMAINDER_BY_ZERO",
        messageParameters={"config": '"spark.sql.ansi.enabled"'}, sqlState="22012")


def divide_by_zero_error() -> ArithmeticException:
    return ArithmeticException(
        "[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and "
        "return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass "
        "this error. SQLSTATE: 22012", errorClass="DIVIDE_BY_ZERO",
        messageParameters={"config": '"spark.sql.ansi.enabled"'}, sqlState="22012")


def _cast_operand(e: Expression, dt: T.DataType) -> Expression:
    if e.data_type == dt:
        return e
    return Cast(e, dt, implicit=True)


def _decimal_operand(e: Expression) -> T.DecimalType:
    if isinstance(e, Literal) and C.is_integral(e.data_type) and e.value is not None:
        return C.literal_decimal(e.value)
    return C.decimal_of(e.data_type)


@dataclass(frozen=True)
class BinaryArithmetic(Expression):
    """``left op right`` over numbers (and dates/intervals for + and -)."""

    left: Expression
    right: Expression
    symbol = "?"
    checked = "add_checked"
    unchecked = "add"
    exact_op = "add"  # decimal results computed exactly on int64 when values fit
    try_name = "try_add"

    def sql(self) -> str:
        return f"({self.left.sql()} {self.symbol} {self.right.sql()})"

    def coerce(self) -> Expression:
        lt, rt = self.left.data_type, self.right.data_type
        if isinstance(lt, T.DecimalType) or isinstance(rt, T.DecimalType):
            if C.is_integral(lt) or C.is_integral(rt) or (isinstance(lt, T.DecimalType)
                                                          and isinstance(rt, T.DecimalType)):
                return self
        common = C.arithmetic_operand_type(lt, rt)
        if common is None:
            return self
        return type(self)(_cast_operand(self.left, common), _cast_operand(self.right, common))

    def operand_decimals(self) -> tuple[T.DecimalType, T.DecimalType]:
        return _decimal_operand(self.left), _decimal_operand(self.right)

    @property
    def data_type(self) -> T.DataType:
        lt, rt = self.left.data_type, self.right.data_type
        if isinstance(lt, T.DecimalType) or isinstance(rt, T.DecimalType):
            if not isinstance(lt, (T.FloatType, T.DoubleType)) and \
                    not isinstance(rt, (T.FloatType, T.DoubleType)):
                return self.decimal_type(*self.operand_decimals())
        return lt if not isinstance(lt, T.NullType) else rt

    def decimal_type(self, a: T.DecimalType, b: T.DecimalType) -> T.DecimalType:
        return C.decimal_add_type(a, b)

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        lv = self.left.eval(batch, ctx)
        rv = self.right.eval(batch, ctx)
        out_t = self.data_type
        if isinstance(out_t, T.DecimalType):
            return self.eval_decimal(lv, rv, out_t, ctx)
        return self.compute(lv, rv, ctx)

    def compute(self, lv: ArrowValue, rv: ArrowValue, ctx: EvalContext) -> ArrowValue:
        fn = getattr(pc, self.checked if ctx.ansi else self.unchecked)
        try:
            return fn(lv, rv)
        except pa.ArrowInvalid as e:
            if "overflow" not in str(e).lower():
                raise
            if pa.types.is_int8(lv.type) or pa.types.is_int16(lv.type):
                raise self._small_overflow(lv, rv) from None
            raise overflow_error(self.try_name) from None

    def _small_overflow(self, lv: ArrowValue, rv: ArrowValue) -> ArithmeticException:
        """The BINARY_ARITHMETIC_OVERFLOW of the first row whose exact result does not fit."""
        wide = getattr(pc, self.unchecked)(lv.cast(pa.int64()), rv.cast(pa.int64()))
        info = np.iinfo(np.int8 if pa.types.is_int8(lv.type) else np.int16)
        bad = pc.or_(pc.greater(wide, int(info.max)), pc.less(wide, int(info.min)))
        if isinstance(bad, pa.Scalar):
            left, right = lv.as_py(), rv.as_py()
        else:
            idx = pc.index(pc.fill_null(bad, False), True).as_py()
            left = (lv if isinstance(lv, pa.Scalar) else lv[idx]).as_py()
            right = (rv if isinstance(rv, pa.Scalar) else rv[idx]).as_py()
        return binary_overflow_error(left, self.symbol, right, self.try_name)

    def eval_decimal(self, lv: ArrowValue, rv: ArrowValue, out_t: T.DecimalType,
                     ctx: EvalContext) -> ArrowValue:
        lt, rt = self.operand_decimals()
        lv = cast_value(lv, self.left.data_type, lt)
        rv = cast_value(rv, self.right.data_type, rt)
        if self.exact_op is not None:
            a, b = DI.unscaled(lv), DI.unscaled(rv)
            if a is not None and b is not None:
                fast = DI.exact_binary(self.exact_op, a, lt.scale, b, rt.scale, to_arrow_type(out_t))
                if fast is not None:
                    return fast
        wide = lt.precision + rt.precision + 2 > 38
        if wide:
            lt, lv = _narrow_decimal(lv, lt)
            rt, rv = _narrow_decimal(rv, rt)
            wide = lt.precision + rt.precision + 2 > 38
        if wide:
            lv = lv.cast(pa.decimal256(lt.precision, lt.scale))
            rv = rv.cast(pa.decimal256(rt.precision, rt.scale))
        try:
            raw = getattr(pc, self.checked)(lv, rv)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            raw = getattr(pc, self.unchecked)(pc.cast(lv, pa.float64()), pc.cast(rv, pa.float64()))
        return round_decimal(raw, out_t, ctx)


def _narrow_decimal(v: ArrowValue, dt: T.DecimalType) -> tuple[T.DecimalType, ArrowValue]:
    """The same values in the narrowest decimal holding them, so 128-bit kernels suffice."""
    if isinstance(v, pa.Scalar):
        if not v.is_valid:
            return dt, v
        digits = len(str(abs(int(v.as_py().scaleb(dt.scale)))))
    else:
        mm = pc.min_max(v)
        lo, hi = mm["min"].as_py(), mm["max"].as_py()
        if lo is None:
            return dt, v
        digits = max(len(str(abs(int(x.scaleb(dt.scale))))) for x in (lo, hi))
    precision = max(digits, dt.scale + 1, 1)
    if precision >= dt.precision:
        return dt, v
    narrow = T.DecimalType(precision, dt.scale)
    return narrow, v.cast(pa.decimal128(precision, dt.scale))


def round_decimal(raw: ArrowValue, out_t: T.DecimalType, ctx: EvalContext) -> ArrowValue:
    """Round ``raw`` half-up to ``out_t``'s scale and store it as ``out_t`` (overflow: error/NULL)."""
    target = to_arrow_type(out_t)
    if raw.type == target:
        return raw
    if pa.types.is_decimal(raw.type) and raw.type.scale > out_t.scale or \
            pa.types.is_floating(raw.type):
        raw = pc.round(raw, out_t.scale, round_mode="half_towards_infinity")
    try:
        return raw.cast(target)
    except pa.ArrowInvalid:
        return _out_of_range_decimals(raw, out_t, target, ctx)


def _out_of_range_decimals(raw: ArrowValue, out_t: T.DecimalType, target: pa.DataType,
                           ctx: EvalContext) -> ArrowValue:
    """Results too wide for ``out_t``: NUMERIC_VALUE_OUT_OF_RANGE under ANSI, else NULL."""
    from pyspk.sql.expressions.cast import decimal_out_of_range
    wide = decimal.Context(prec=100)
    limit = decimal.Decimal(10) ** (out_t.precision - out_t.scale)
    quantum = decimal.Decimal(1).scaleb(-out_t.scale)
    values = [raw.as_py()] if isinstance(raw, pa.Scalar) else raw.to_pylist()
    fixed = []
    for x in values:
        d = None if x is None else wide.create_decimal(x).quantize(
            quantum, rounding=decimal.ROUND_HALF_UP, context=wide)
        if d is not None and abs(d) >= limit:
            if ctx.ansi:
                raise decimal_out_of_range(format(d, "f"), out_t.precision, out_t.scale)
            d = None
        fixed.append(d)
    out = pa.array(fixed, pa.decimal256(76, out_t.scale)).cast(target)
    return out[0] if isinstance(raw, pa.Scalar) else out


@dataclass(frozen=True)
class Add(BinaryArithmetic):
    """``a + b``; also date + days/interval and timestamp + interval."""

    symbol = "+"

    def coerce(self) -> Expression:
        lt, rt = self.left.data_type, self.right.data_type
        if _is_datetime(lt) or _is_datetime(rt) or _is_interval(lt) or _is_interval(rt):
            return DateTimeAdd(self.left, self.right, negate=False, sql_symbol="+")
        return super().coerce()


@dataclass(frozen=True)
class Subtract(BinaryArithmetic):
    """``a - b``; also date - days/interval and date - date."""

    symbol = "-"
    try_name = "try_subtract"
    checked = "subtract_checked"
    unchecked = "subtract"
    exact_op = "subtract"

    def coerce(self) -> Expression:
        lt, rt = self.left.data_type, self.right.data_type
        if _is_datetime(lt) or _is_datetime(rt) or _is_interval(lt) or _is_interval(rt):
            return DateTimeAdd(self.left, self.right, negate=True, sql_symbol="-")
        return super().coerce()


@dataclass(frozen=True)
class Multiply(BinaryArithmetic):
    """``a * b``."""

    symbol = "*"
    checked = "multiply_checked"
    unchecked = "multiply"
    exact_op = "multiply"
    try_name = "try_multiply"

    def decimal_type(self, a: T.DecimalType, b: T.DecimalType) -> T.DecimalType:
        return C.decimal_multiply_type(a, b)


@dataclass(frozen=True)
class Divide(BinaryArithmetic):
    """``a / b``: double unless decimals are involved; dividing by zero raises under ANSI."""

    symbol = "/"
    checked = "divide_checked"
    unchecked = "divide"

    def coerce(self) -> Expression:
        lt, rt = self.left.data_type, self.right.data_type
        if (isinstance(lt, T.DecimalType) or isinstance(rt, T.DecimalType)) and \
                (C.is_integral(lt) or C.is_integral(rt) or isinstance(lt, T.DecimalType)
                 and isinstance(rt, T.DecimalType)):
            return self
        return Divide(_cast_operand(self.left, T.DoubleType()), _cast_operand(self.right, T.DoubleType()))

    def decimal_type(self, a: T.DecimalType, b: T.DecimalType) -> T.DecimalType:
        return C.decimal_divide_type(a, b)

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        lv = self.left.eval(batch, ctx)
        rv = self.right.eval(batch, ctx)
        zero = pc.equal(rv, pa.scalar(0, rv.type)) if not pa.types.is_null(rv.type) else None
        if zero is not None:
            any_zero = zero.as_py() if isinstance(zero, pa.Scalar) else pc.any(zero).as_py()
            if any_zero:
                if ctx.ansi:
                    raise divide_by_zero_error()
                rv = pc.if_else(zero, pa.scalar(None, rv.type), rv)
        out_t = self.data_type
        if isinstance(out_t, T.DecimalType):
            lt, rt = self.operand_decimals()
            lv = cast_value(lv, self.left.data_type, lt)
            rv = cast_value(rv, self.right.data_type, rt)
            # Arrow's decimal division scales differently from Spark's; a double quotient
            # rounded to Spark's result scale is exact to ~16 significant digits.
            quotient = pc.divide(pc.cast(lv, pa.float64()), pc.cast(rv, pa.float64()))
            return round_decimal(quotient, out_t, ctx)
        return pc.divide(lv, rv)


@dataclass(frozen=True)
class IntegralDivide(BinaryArithmetic):
    """``a div b``: long division truncating toward zero."""

    symbol = "div"

    def coerce(self) -> Expression:
        return IntegralDivide(_cast_operand(self.left, T.LongType()), _cast_operand(self.right, T.LongType()))

    @property
    def data_type(self) -> T.DataType:
        return T.LongType()

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        lv = self.left.eval(batch, ctx)
        rv = self.right.eval(batch, ctx)
        zero = pc.equal(rv, 0)
        if (zero.as_py() if isinstance(zero, pa.Scalar) else pc.any(zero).as_py()):
            if ctx.ansi:
                raise divide_by_zero_error()
            rv = pc.if_else(zero, pa.scalar(None, pa.int64()), rv)
        a, b = lv.cast(pa.int64()), rv.cast(pa.int64())
        if ctx.ansi:
            minus_one = pc.and_(pc.equal(a, -2 ** 63), pc.equal(b, -1))
            if (minus_one.as_py() if isinstance(minus_one, pa.Scalar)
                    else pc.any(minus_one).as_py()):
                raise overflow_error(None)
        return pc.divide(a, b)


@dataclass(frozen=True)
class Remainder(BinaryArithmetic):
    """``a % b`` with the sign of the dividend, as Java's remainder."""

    symbol = "%"

    def decimal_type(self, a: T.DecimalType, b: T.DecimalType) -> T.DecimalType:
        return C.decimal_remainder_type(a, b)

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        lv = self.left.eval(batch, ctx)
        rv = self.right.eval(batch, ctx)
        zero = pc.equal(rv, pa.scalar(0, rv.type))
        if (zero.as_py() if isinstance(zero, pa.Scalar) else pc.any(zero).as_py()):
            if ctx.ansi:
                raise remainder_by_zero_error()
            rv = pc.if_else(zero, pa.scalar(None, rv.type), rv)
        out_t = self.data_type
        if pa.types.is_integer(to_arrow_type(out_t)):
            # Arrow's integer division truncates toward zero, as Java's; exact for any long.
            a, b = lv.cast(pa.int64()), rv.cast(pa.int64())
            b = pc.if_else(pc.equal(b, -1), 1, b)  # x % -1 is 0 (and avoids MIN / -1)
            return pc.subtract(a, pc.multiply(pc.divide(a, b), b)).cast(to_arrow_type(out_t))
        lf, rf = pc.cast(lv, pa.float64()), pc.cast(rv, pa.float64())
        res = pc.subtract(lf, pc.multiply(pc.trunc(pc.divide(lf, rf)), rf))
        return res if not isinstance(out_t, T.DecimalType) else round_decimal(res, out_t, ctx)


@dataclass(frozen=True)
class UnaryMinus(Expression):
    """``-a``."""

    child: Expression

    @property
    def data_type(self) -> T.DataType:
        return self.child.data_type

    def sql(self) -> str:
        return f"(- {self.child.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        v = self.child.eval(batch, ctx)
        if pa.types.is_duration(v.type):
            return pc.negate(v)
        try:
            return pc.negate_checked(v) if ctx.ansi else pc.negate(v)
        except pa.ArrowInvalid:
            raise overflow_error(None) from None


def _is_datetime(dt: T.DataType) -> bool:
    return isinstance(dt, (T.DateType, T.TimestampType, T.TimestampNTZType))


def _is_interval(dt: T.DataType) -> bool:
    return isinstance(dt, (T.DayTimeIntervalType, T.YearMonthIntervalType))


@dataclass(frozen=True)
class DateTimeAdd(Expression):
    """Date/timestamp ± days, day-time or year-month interval; date - date gives days."""

    left: Expression
    right: Expression
    negate: bool = False
    sql_symbol: str = "+"

    @property
    def data_type(self) -> T.DataType:
        lt, rt = self.left.data_type, self.right.data_type
        if _is_datetime(lt) and _is_datetime(rt):
            return T.DayTimeIntervalType(0, 0) if isinstance(lt, T.DateType) else T.DayTimeIntervalType()
        if isinstance(lt, T.DateType) and isinstance(rt, T.DayTimeIntervalType) and \
                rt.endField > T.DayTimeIntervalType.DAY:
            return T.TimestampType()
        return lt if _is_datetime(lt) else rt

    def sql(self) -> str:
        return f"({self.left.sql()} {self.sql_symbol} {self.right.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        lv, rv = self.left.eval(batch, ctx), self.right.eval(batch, ctx)
        lt, rt = self.left.data_type, self.right.data_type
        if not _is_datetime(lt):
            lv, rv, lt, rt = rv, lv, rt, lt
        if _is_datetime(rt):
            if isinstance(lt, T.DateType):
                days = pc.subtract(lv.cast(pa.int32()), rv.cast(pa.int32())).cast(pa.int64())
                return pc.multiply(days, 86_400_000_000).cast(pa.duration("us"))
            return pc.subtract(lv, rv)
        if isinstance(rt, T.YearMonthIntervalType):
            months = pc.negate(rv) if self.negate else rv
            return add_months(lv, months)
        if C.is_integral(rt):
            days = pc.negate(rv) if self.negate else rv
            return date_add_days(lv, days)
        if isinstance(lt, T.DateType) and isinstance(rt, T.DayTimeIntervalType):
            if rt.endField == T.DayTimeIntervalType.DAY:
                days = pc.divide(rv.cast(pa.int64()), 86_400_000_000)
                return date_add_days(lv, pc.negate(days) if self.negate else days)
            lv = lv.cast(pa.timestamp("us"))
        return pc.subtract(lv, rv) if self.negate else pc.add(lv, rv)


def date_add_days(dates: ArrowValue, days: ArrowValue) -> ArrowValue:
    """``dates + days`` for date32 values."""
    return pc.add_checked(dates.cast(pa.int32()), days.cast(pa.int32())).cast(pa.date32())


def add_months(values: ArrowValue, months: ArrowValue) -> ArrowValue:
    """Add months, clamping the day to the end of the target month (as Spark's add_months)."""
    if isinstance(values, pa.Scalar) and isinstance(months, pa.Scalar):
        v, m = values.as_py(), months.as_py()
        if v is None or m is None:
            return pa.scalar(None, values.type)
        return pa.scalar(_shift_months(v, int(m)), values.type)
    is_scalar_v = isinstance(values, pa.Scalar)
    py_v = values.as_py() if is_scalar_v else values.to_pylist()
    py_m = months.as_py() if isinstance(months, pa.Scalar) else months.to_pylist()
    n = len(py_v) if not is_scalar_v else len(py_m)
    vs = py_v if not is_scalar_v else [py_v] * n
    ms = py_m if isinstance(py_m, list) else [py_m] * n
    return pa.array([None if v is None or m is None else _shift_months(v, int(m))
                     for v, m in zip(vs, ms)], values.type)


def _shift_months(v: datetime.date, months: int) -> datetime.date:
    total = v.year * 12 + (v.month - 1) + months
    y, m = divmod(total, 12)
    day = min(v.day, calendar.monthrange(y, m + 1)[1])
    return v.replace(year=y, month=m + 1, day=day)
