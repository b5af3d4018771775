"""``to_number``/``try_to_number`` and ``to_char``/``to_varchar`` for numbers, with Spark's
number-format grammar: ``0``/``9`` digits, ``.``/``D`` decimal point, ``,``/``G`` grouping,
``$``, and a sign as ``S`` (start or end), ``MI`` (end) or ``PR`` (angle brackets).

A format is parsed once per call; values are converted one by one (text formatting has no Arrow
kernel).
"""
from __future__ import annotations

import decimal
import re
from dataclasses import dataclass

import pyarrow as pa

from pyspk.errors.captured import IllegalArgumentException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, to_array
from pyspk.sql.expressions.scalar import literal_value, register

S = T.StringType()


@dataclass(frozen=True)
class NumberFormat:
    """A parsed format: digit slots before/after the point, where grouping goes, sign style."""

    text: str
    before: str
    after: str
    dollar: bool
    sign: str
    point: bool

    @property
    def precision(self) -> int:
        return max(sum(c in "09" for c in self.before + self.after), 1)

    @property
    def scale(self) -> int:
        return sum(c in "09" for c in self.after)


def _invalid_format(fmt: str, why: str) -> IllegalArgumentException:
    return IllegalArgumentException(
        f"[INVALID_FORMAT.{why}] The format is invalid: '{fmt}'. SQLSTATE: 42601",
        errorClass=f"INVALID_FORMAT.{why}", messageParameters={"format": f"'{fmt}'"})


def parse_format(fmt: str) -> NumberFormat:
    body = fmt.upper()
    sign = ""
    if body.startswith("S"):
        sign, body = "S<", body[1:]
    elif body.endswith("S"):
        sign, body = "S>", body[:-1]
    elif body.endswith("MI"):
        sign, body = "MI", body[:-2]
    elif body.endswith("PR"):
        sign, body = "PR", body[:-2]
    dollar = body.startswith("$")
    body = body[1:] if dollar else body
    body = body.replace("D", ".").replace("G", ",")
    if not body or re.fullmatch(r"[09,]*(\.[09]*)?", body) is None or \
            not any(c in "09" for c in body):
        raise _invalid_format(fmt, "WRONG_NUM_DIGIT" if not any(c in "09" for c in body)
                              else "UNEXPECTED_TOKEN")
    before, _, after = body.partition(".")
    return NumberFormat(fmt, before, after, dollar, sign, "." in body)


def _parse_number(text: str, f: NumberFormat) -> decimal.Decimal | None:
    """The value of ``text`` read with format ``f``, or None when it does not match."""
    s = text.strip()
    negative = False
    if f.sign == "PR" and s.startswith("<") and s.endswith(">"):
        negative, s = True, s[1:-1]
    elif f.sign in ("S<",) and s[:1] in "+-" and s:
        negative, s = s[0] == "-", s[1:]
    elif f.sign in ("S>", "MI") and s[-1:] in "+-" and s:
        negative, s = s[-1] == "-", s[:-1]
    if f.dollar:
        if not s.startswith("$"):
            return None
        s = s[1:]
    whole, dot, frac = s.partition(".")
    if dot and not f.point:
        return None
    if "," in whole and "," not in f.before:
        return None
    digits = whole.replace(",", "")
    if not (digits + frac).isdigit():
        return None
    if len(digits) > sum(c in "09" for c in f.before) or len(frac) > f.scale:
        return None
    value = decimal.Decimal((digits or "0") + ("." + frac if frac else ""))
    return -value if negative else value


def _to_number(strict: bool):
    def kernel(v, c, n):
        fmt = parse_format(str(v[1].as_py()))
        out_type = pa.decimal128(fmt.precision, fmt.scale)
        quant = decimal.Decimal(1).scaleb(-fmt.scale)
        out = []
        for text in to_array(v[0], n).to_pylist():
            if text is None:
                out.append(None)
                continue
            value = _parse_number(text, fmt)
            if value is None and strict:
                raise IllegalArgumentException(
                    f"[INVALID_FORMAT.MISMATCH_INPUT] The format is invalid: {fmt.text}. The input "
                    f"\"STRING\" {text} does not match the format. SQLSTATE: 42601",
                    errorClass="INVALID_FORMAT.MISMATCH_INPUT",
                    messageParameters={"inputType": '"STRING"', "input": text,
                                       "format": fmt.text})
            out.append(None if value is None else value.quantize(quant))
        return pa.array(out, out_type)
    return kernel


def format_number(value: decimal.Decimal, f: NumberFormat) -> str:
    """``value`` laid out in the format's slots ('#' everywhere when it does not fit)."""
    q = abs(value).quantize(decimal.Decimal(1).scaleb(-f.scale), rounding=decimal.ROUND_HALF_UP)
    whole, _, frac = format(q, "f").partition(".")
    whole = whole.lstrip("0")
    slots = [c for c in f.before if c in "09"]
    if len(whole) > len(slots):
        return "#" * len(f.text)
    digits = whole.rjust(len(slots), " ")
    out, k, started = [], 0, False
    for ch in f.before:
        if ch == ",":
            out.append("," if started else " ")
            continue
        d = digits[k]
        k += 1
        if d == " " and ch == "0":
            d = "0"
        started = started or d != " "
        out.append(d)
    text = "".join(out)
    if f.point:
        text += "." + (frac or "").ljust(len(f.after), "0")
    if f.dollar:
        text = "$" + text
    if f.sign == "S<":
        text = ("-" if value < 0 else "+") + text
    elif f.sign == "S>":
        text += "-" if value < 0 else "+"
    elif f.sign == "MI":
        text += "-" if value < 0 else " "
    elif f.sign == "PR" and value < 0:
        text = "<" + text + ">"
    return text


def _to_char(v, c, n):
    fmt = parse_format(str(v[1].as_py()))
    return pa.array([None if x is None else format_number(decimal.Decimal(str(x)), fmt)
                     for x in to_array(v[0], n).to_pylist()], pa.string())


def _numeric_input(ts: list[T.DataType]) -> list[T.DataType | None]:
    return [None if isinstance(ts[0], T.NumericType) else T.DoubleType(), S]




@dataclass(frozen=True)
class ToNumber(Expression):
    """``to_number(text, 'format')`` / ``try_to_number``: decimal(digits, digits after point)."""

    child: Expression
    fmt: Expression
    strict: bool = True

    @property
    def format(self) -> NumberFormat:
        return parse_format(str(literal_value(self.fmt)))

    @property
    def data_type(self) -> T.DataType:
        f = self.format
        return T.DecimalType(f.precision, f.scale)

    def sql(self) -> str:
        name = "to_number" if self.strict else "try_to_number"
        return f"{name}({self.child.sql()}, {self.fmt.sql()})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        n = batch.num_rows
        text = self.child.eval(batch, ctx)
        return _to_number(self.strict)([text, pa.scalar(str(literal_value(self.fmt)))], ctx, n)


for _name in ("to_char", "to_varchar"):
    register(_name, _to_char, S, _numeric_input, 2, 2, constants_from=1, pretty="to_char")
