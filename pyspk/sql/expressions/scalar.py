"""Generic scalar functions: one node type whose behaviour comes from a ``FunctionSpec`` table.

Most of Spark's scalar functions are "cast the arguments, apply a vectorised kernel, give a type";
describing each as a spec keeps every family module (string, math, datetime, …) short.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import pyarrow as pa

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, Literal, to_array
from pyspk.sql.expressions.cast import Cast

Kernel = Callable[[list[ArrowValue], EvalContext, int], ArrowValue]


@dataclass(frozen=True)
class FunctionSpec:
    """How one scalar function types its arguments and result and computes its value."""

    name: str
    kernel: Kernel
    result: Callable[[list[T.DataType]], T.DataType]
    inputs: Callable[[list[T.DataType]], Sequence[T.DataType | None]] | None = None
    min_args: int = 0
    max_args: int | None = None
    pretty: str | None = None
    nullable: bool | None = None
    deterministic: bool = True
    literal_args: tuple[int, ...] = ()
    constants_from: int | None = None
    defaults: tuple[Any, ...] = ()


SPECS: dict[str, FunctionSpec] = {}
_INFIX = {"bitwise_and_op": "&", "bitwise_or_op": "|", "bitwise_xor_op": "^"}
_TRIM_SIDES = {"trim": "BOTH", "ltrim": "LEADING", "rtrim": "TRAILING"}


def register(name: str, kernel: Kernel, result: Any, inputs: Any = None, min_args: int = 0,
             max_args: int | None = None, pretty: str | None = None, aliases: Sequence[str] = (),
             nullable: bool | None = None, deterministic: bool = True,
             constants_from: int | None = None, defaults: Sequence[Any] = ()) -> FunctionSpec:
    """Add a function to the table; ``result``/``inputs`` may be constants or functions of types.

    ``constants_from``: the kernel wants the arguments from this index on as constants (a
    pattern, a format); when they are columns it is called once per distinct combination.
    ``defaults``: values of the last optional arguments, filled in when a call omits them (Spark
    shows them in the column name: ``substr(a, 1, 2147483647)``).
    """
    res = result if callable(result) and not isinstance(result, T.DataType) else (lambda _ts, r=result: r)
    if inputs is None or callable(inputs):
        inp = inputs
    else:
        fixed = list(inputs)
        inp = (lambda ts, f=fixed: [f[i] if i < len(f) else f[-1] for i in range(len(ts))])
    spec = FunctionSpec(name, kernel, res, inp, min_args, max_args, pretty, nullable, deterministic,
                        constants_from=constants_from, defaults=tuple(defaults))
    SPECS[name] = spec
    for a in aliases:
        SPECS[a] = FunctionSpec(a, kernel, res, inp, min_args, max_args, pretty, nullable,
                                deterministic, constants_from=constants_from,
                                defaults=tuple(defaults))
    return spec


@dataclass(frozen=True)
class ScalarFunction(Expression):
    """A call of a registered scalar function."""

    name: str
    args: tuple[Expression, ...]
    display: str | None = None

    @property
    def spec(self) -> FunctionSpec:
        return SPECS[self.name]

    @property
    def data_type(self) -> T.DataType:
        return self.spec.result([a.data_type for a in self.args])

    @property
    def nullable(self) -> bool:
        n = self.spec.nullable
        return n if n is not None else any(a.nullable for a in self.args) or not self.args

    @property
    def deterministic(self) -> bool:
        return self.spec.deterministic and all(a.deterministic for a in self.args)

    @property
    def foldable(self) -> bool:
        return self.deterministic and all(a.foldable for a in self.args) and bool(self.args)

    def sql(self) -> str:
        if self.display is not None:
            return self.display
        if self.name == "bitwise_not" and len(self.args) == 1:
            return f"~{self.args[0].sql()}"
        if self.name in _INFIX and len(self.args) == 2:
            return f"({self.args[0].sql()} {_INFIX[self.name]} {self.args[1].sql()})"
        if self.name in _TRIM_SIDES and len(self.args) == 2:
            side = _TRIM_SIDES[self.name]
            return f"TRIM({side} {self.args[1].sql()} FROM {self.args[0].sql()})"
        if self.name == "positive" and len(self.args) == 1:
            return f"(+ {self.args[0].sql()})"
        name = self.spec.pretty or self.name
        return f"{name}({', '.join(a.sql() for a in self.args)})"

    def coerce(self) -> Expression:
        spec = self.spec
        n = len(self.args)
        if n < spec.min_args or (spec.max_args is not None and n > spec.max_args):
            raise wrong_num_args(self.name, n, spec.min_args, spec.max_args)
        if spec.defaults and spec.max_args is not None and n < spec.max_args:
            first_default = spec.max_args - len(spec.defaults)
            filled = self.args + tuple(Literal.of(spec.defaults[i - first_default])
                                       for i in range(max(n, first_default), spec.max_args))
            if len(filled) == spec.max_args:
                return ScalarFunction(self.name, filled, self.display).coerce()
        if spec.inputs is None:
            return self
        want = spec.inputs([a.data_type for a in self.args])
        new_args = tuple(a if w is None or a.data_type == w or isinstance(w, type) and isinstance(a.data_type, w)
                         else Cast(a, w, implicit=True) for a, w in zip(self.args, want))
        if all(x is y for x, y in zip(new_args, self.args)):
            return self
        return ScalarFunction(self.name, new_args, self.display)

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        vals = [a.eval(batch, ctx) for a in self.args]
        first = self.spec.constants_from
        if first is not None and not all(isinstance(v, pa.Scalar) for v in vals[first:]):
            return self._eval_by_constants(vals, ctx, len(batch), first)
        return self.spec.kernel(vals, ctx, len(batch))

    def _eval_by_constants(self, vals: list[ArrowValue], ctx: EvalContext, n: int,
                           first: int) -> pa.Array:
        """Call the kernel once per distinct tuple of the constant-wanting arguments' values.

        Rows whose tuple holds a NULL give NULL, as in Spark; results are put back in row order.
        """
        from pyspk.sql._arrow_types import to_arrow_type
        out_type = to_arrow_type(self.data_type)
        arrays = [_flat(to_array(v, n)) for v in vals]
        groups: dict[tuple[Any, ...], list[int]] = {}
        for i, key in enumerate(zip(*(a.to_pylist() for a in arrays[first:]))):
            groups.setdefault(key, []).append(i)
        pieces, order = [], []
        for key, rows in groups.items():
            if any(k is None for k in key):
                pieces.append(pa.nulls(len(rows), out_type))
            else:
                idx = pa.array(rows, pa.int64())
                args = [a.take(idx) for a in arrays[:first]]
                args += [pa.scalar(k, a.type) for k, a in zip(key, arrays[first:])]
                result = to_array(self.spec.kernel(args, ctx, len(rows)), len(rows))
                pieces.append(_flat(result).cast(out_type))
            order.extend(rows)
        if not pieces:
            return pa.nulls(0, out_type)
        combined = pa.concat_arrays(pieces)
        inverse = [0] * n
        for pos, row in enumerate(order):
            inverse[row] = pos
        return combined.take(pa.array(inverse, pa.int64()))


def _flat(v: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous array (kernels may return chunked ones)."""
    return v.combine_chunks() if isinstance(v, pa.ChunkedArray) else v


def wrong_num_args(name: str, given: int, lo: int, hi: int | None) -> AnalysisException:
    expected = str(lo) if hi == lo else f"[{lo}, {hi}]" if hi is not None else f"> {lo - 1}"
    return AnalysisException(
        f"[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `{name}` requires {expected} parameters but the "
        f"actual number is {given}. Please, refer to "
        f"'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix. SQLSTATE: 42605",
        errorClass="WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
        messageParameters={"functionName": f"`{name}`", "expectedNum": expected,
                           "actualNum": str(given)})


def literal_value(e: Expression) -> Any:
    """The value of a literal argument (functions such as ``round(x, 2)`` need it at plan time)."""
    if isinstance(e, Literal):
        return e.value
    if isinstance(e, Cast) and isinstance(e.child, Literal):
        return e.child.value
    raise AnalysisException(f"[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] expected a literal, got {e.sql()}",
                            errorClass="DATATYPE_MISMATCH.NON_FOLDABLE_INPUT")


def same(ts: list[T.DataType]) -> T.DataType:
    return ts[0]
