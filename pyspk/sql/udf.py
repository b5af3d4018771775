"""Python UDFs: ``udf`` (row at a time) and ``pandas_udf`` (whole batches), and
``spark.udf.register`` to call them from SQL. They run where the query's operators run."""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable

import pyarrow as pa

from pyspk.sql import types as T
from pyspk.sql._arrow_types import arrow_column_to_python, column_from_python, to_arrow_type
from pyspk.sql.column import Column, col_or_name
from pyspk.sql.expressions.base import ArrowValue, EvalContext, Expression, new_id, to_array

_REGISTERED: dict[str, "UserDefinedFunction"] = {}


class PandasUDFType:
    SCALAR = 200
    SCALAR_ITER = 204
    GROUPED_MAP = 201
    GROUPED_AGG = 202


@dataclass(frozen=True)
class PythonUDF(Expression):
    """A call of a Python function; ``vectorized`` ones get pandas Series per batch."""

    name: str
    func: Any = field(compare=False, hash=False)
    return_type: T.DataType = field(default_factory=T.StringType)
    args: tuple[Expression, ...] = ()
    vectorized: bool | str = False
    udf_id: int = field(default_factory=new_id)
    is_deterministic: bool = True

    @property
    def data_type(self) -> T.DataType:
        return self.return_type

    @property
    def nullable(self) -> bool:
        return True

    @property
    def deterministic(self) -> bool:
        return self.is_deterministic

    @property
    def foldable(self) -> bool:
        return False

    def sql(self) -> str:
        return f"{self.name}({', '.join(a.sql() for a in self.args)})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        n = batch.num_rows
        cols = [to_array(a.eval(batch, ctx), n) for a in self.args]
        if self.vectorized == "arrow":
            arrays = [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in cols]
            out = self.func(*arrays)
            return pa.array(out, type=to_arrow_type(self.return_type)) if not isinstance(out, (pa.Array, pa.ChunkedArray)) \
                else out.cast(to_arrow_type(self.return_type))
        if self.vectorized:
            series = [c.to_pandas() for c in cols]
            out = self.func(*series)
            return pa.array(out, type=to_arrow_type(self.return_type), from_pandas=True)
        values = [arrow_column_to_python(c, a.data_type) for c, a in zip(cols, self.args)]
        results = [self.func(*row) for row in zip(*values)] if values else [self.func() for _ in range(n)]
        return column_from_python([_convert(r, self.return_type) for r in results], self.return_type)


def _convert(v: Any, dt: T.DataType) -> Any:
    """Values of a mismatched Python type become NULL, as in PySpark's UDF result conversion."""
    if v is None:
        return None
    if isinstance(dt, (T.IntegerType, T.LongType, T.ShortType, T.ByteType)):
        return v if isinstance(v, int) and not isinstance(v, bool) else None
    if isinstance(dt, (T.DoubleType, T.FloatType)):
        return v if isinstance(v, float) else None
    if isinstance(dt, T.StringType):
        return v if isinstance(v, str) else str(v)
    if isinstance(dt, T.BooleanType):
        return v if isinstance(v, bool) else None
    return v


class UserDefinedFunction:
    """A Python function usable on Columns; calling it builds a ``PythonUDF`` expression."""

    def __init__(self, func: Callable, returnType: Any = None, name: str | None = None,
                 evalType: int = 100, deterministic: bool = True) -> None:
        if isinstance(returnType, str):
            returnType = T._parse_datatype_string(returnType)
        self.func = func
        self.returnType = returnType or T.StringType()
        self._name = name or getattr(func, "__name__", "<lambda>")
        self.evalType = evalType
        self.deterministic = deterministic
        if callable(func) and hasattr(func, "__name__"):
            functools.update_wrapper(self, func)

    def __call__(self, *cols: Any) -> Column:
        args = tuple(col_or_name(c) for c in cols)
        if self.evalType in (PandasUDFType.GROUPED_AGG, ARROW_GROUPED_AGG):
            return Column(_grouped_agg(self, args))
        kind: bool | str = "arrow" if self.evalType == ARROW_SCALAR else self.evalType != 100
        return Column(PythonUDF(self._name, self.func, self.returnType, args,
                                vectorized=kind, is_deterministic=self.deterministic))

    def asNondeterministic(self) -> "UserDefinedFunction":
        self.deterministic = False
        return self


ARROW_SCALAR = 250
ARROW_GROUPED_AGG = 252


def _grouped_agg(u: "UserDefinedFunction", args: tuple) -> Expression:
    """A pandas/Arrow UDF reducing each group's Series (or Arrays) to one value."""
    from pyspk.sql.expressions.py_aggregates import PyAggregate

    def reduce(rows: list[tuple]) -> Any:
        columns = list(zip(*rows)) if rows else [[] for _ in args]
        if u.evalType == ARROW_GROUPED_AGG:
            values = [pa.array(list(c)) for c in columns]
        else:
            import pandas as pd
            values = [pd.Series(list(c)) for c in columns]
        out = u.func(*values)
        return out.as_py() if isinstance(out, pa.Scalar) else (out.item() if hasattr(out, "item") else out)

    rt = u.returnType
    return PyAggregate(None, args=args, name=u._name, fn=reduce, result=lambda ts: rt)


def _returns_scalar(f: Any) -> bool:
    """Type hints decide a vectorised UDF's kind: a non-Series/Array result means aggregation."""
    import typing
    try:
        hints = typing.get_type_hints(f)
    except Exception:  # unresolvable hints: treat as a scalar (element-wise) UDF
        return False
    ret = hints.get("return")
    if ret is None:
        return False
    name = getattr(ret, "__name__", str(ret))
    return not any(k in name for k in ("Series", "DataFrame", "Array", "Iterator", "ChunkedArray"))


def udf(f: Any = None, returnType: Any = None, useArrow: bool | None = None) -> Any:
    """``udf(lambda x: ..., IntegerType())`` or ``@udf(returnType=...)``."""
    if f is None or isinstance(f, (str, T.DataType)):
        rt = f if returnType is None else returnType
        return lambda fn: UserDefinedFunction(fn, rt)
    return UserDefinedFunction(f, returnType)


def pandas_udf(f: Any = None, returnType: Any = None, functionType: int | None = None) -> Any:
    """A vectorised UDF taking and returning pandas Series (or reducing them, per type hints)."""
    def make(fn: Any, rt: Any) -> UserDefinedFunction:
        kind = functionType or (PandasUDFType.GROUPED_AGG if _returns_scalar(fn) else PandasUDFType.SCALAR)
        return UserDefinedFunction(fn, rt, evalType=kind)
    if f is None or isinstance(f, (str, T.DataType)):
        rt = f if returnType is None else returnType
        return lambda fn: make(fn, rt)
    return make(f, returnType)


class ArrowUDFType:
    SCALAR = ARROW_SCALAR
    GROUPED_AGG = ARROW_GROUPED_AGG


def arrow_udf(f: Any = None, returnType: Any = None, functionType: int | None = None) -> Any:
    """A vectorised UDF taking and returning Arrow arrays (or reducing them, per type hints)."""
    def make(fn: Any, rt: Any) -> UserDefinedFunction:
        kind = functionType or (ARROW_GROUPED_AGG if _returns_scalar(fn) else ARROW_SCALAR)
        return UserDefinedFunction(fn, rt, evalType=kind)
    if f is None or isinstance(f, (str, T.DataType)):
        rt = f if returnType is None else returnType
        return lambda fn: make(fn, rt)
    return make(f, returnType)


class UDFRegistration:
    """``spark.udf``: register Python functions for SQL."""

    def __init__(self, session: Any) -> None:
        self._session = session

    def register(self, name: str, f: Any, returnType: Any = None) -> UserDefinedFunction:
        if isinstance(f, UserDefinedFunction):
            u = UserDefinedFunction(f.func, f.returnType, name, f.evalType, f.deterministic)
        else:
            u = UserDefinedFunction(f, returnType, name)
        _REGISTERED[name.lower()] = u
        return u


def registered_udf(name: str) -> UserDefinedFunction | None:
    return _REGISTERED.get(name.lower())
