"""Higher-order functions over arrays and maps (transform, filter, exists, forall, aggregate,
zip_with, map_filter, transform_keys/values). A lambda body is evaluated once, vectorised, over the
flattened elements of every row, with outer columns repeated per element."""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pyspk.sql import types as T
from pyspk.sql._arrow_types import to_arrow_type
from pyspk.sql.expressions.base import ArrowValue, AttributeReference, EvalContext, Expression, to_array

_var_ids = itertools.count()


@dataclass(frozen=True)
class LambdaVariable(Expression):
    """A lambda parameter; typed once the function it belongs to knows its input types."""

    name: str
    var_id: int
    dtype: T.DataType | None = None
    sql_name: str | None = None

    @property
    def resolved(self) -> bool:
        return self.dtype is not None

    @property
    def data_type(self) -> T.DataType:
        return self.dtype  # type: ignore[return-value]

    @property
    def nullable(self) -> bool:
        return True

    @property
    def foldable(self) -> bool:
        return False

    @property
    def key(self) -> str:
        return f"__lambda_{self.var_id}"

    def sql(self) -> str:
        return self.sql_name or self.name

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        return batch.column(self.key)


def fresh_variable(prefix: str, sql_name: str | None = None) -> LambdaVariable:
    n = next(_var_ids)
    return LambdaVariable(f"{prefix}_{n}", n, None, sql_name)


@dataclass(frozen=True)
class LambdaFunction(Expression):
    body: Expression
    params: tuple[LambdaVariable, ...]

    @property
    def data_type(self) -> T.DataType:
        return self.body.data_type

    def sql(self) -> str:
        return f"lambdafunction({self.body.sql()}, {', '.join(p.sql() for p in self.params)})"


def bind(fn: LambdaFunction, types: list[T.DataType]) -> LambdaFunction:
    """The lambda with its parameters typed (the body still to be resolved)."""
    typed = {p.var_id: LambdaVariable(p.name, p.var_id, t, p.sql_name) for p, t in zip(fn.params, types)}

    def sub(x: Expression) -> Expression:
        if isinstance(x, LambdaVariable) and x.var_id in typed:
            return typed[x.var_id]
        return x
    return LambdaFunction(fn.body.transform_up(sub), tuple(typed[p.var_id] for p in fn.params))


def _flat_env(batch: pa.Table, parents: pa.Array, body: Expression) -> pa.Table:
    """Outer columns the body reads, repeated once per element of their row."""
    keys = {x.key for x in body.walk() if isinstance(x, AttributeReference)}
    cols = {k: batch.column(k).take(parents) for k in keys if k in batch.column_names}
    if not cols:
        cols["__n"] = pa.nulls(len(parents), pa.int8())
    return pa.table(cols)


def _list_parts(arr: pa.Array) -> tuple[pa.Array, pa.Array, np.ndarray]:
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    if pa.types.is_map(arr.type):
        entry = pa.struct([pa.field("key", arr.type.key_type, False), pa.field("value", arr.type.item_type)])
        arr = pa.ListArray.from_arrays(arr.offsets, pa.StructArray.from_arrays(
            [arr.keys, arr.items], fields=list(entry)), mask=pc.is_null(arr))
    flat = pc.list_flatten(arr)
    parents = pc.list_parent_indices(arr)
    lengths = pc.fill_null(pc.list_value_length(arr), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    return flat, parents, lengths


def _rebuild(arr: pa.Array, values: pa.Array, lengths: np.ndarray) -> pa.Array:
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    mask = pc.is_null(arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr)
    return pa.ListArray.from_arrays(pa.array(offsets), values, mask=mask)


@dataclass(frozen=True)
class HigherOrder(Expression):
    """``kind(array_or_map, lambda...)``."""

    kind: str
    args: tuple[Expression, ...]

    @property
    def data_type(self) -> T.DataType:
        a = self.args[0].data_type
        fn = self.args[-1]
        if self.kind == "transform":
            return T.ArrayType(fn.data_type, True)
        if self.kind in ("filter", "array_sort"):
            return a
        if self.kind in ("exists", "forall"):
            return T.BooleanType()
        if self.kind == "aggregate":
            return self.args[3].data_type if len(self.args) > 3 else self.args[1].data_type
        if self.kind == "zip_with":
            return T.ArrayType(fn.data_type, True)
        if self.kind == "map_filter":
            return a
        if self.kind == "transform_keys":
            return T.MapType(fn.data_type, a.valueType, a.valueContainsNull)
        if self.kind == "transform_values":
            return T.MapType(a.keyType, fn.data_type, True)
        raise TypeError(self.kind)

    def sql(self) -> str:
        return f"{self.kind}({', '.join(a.sql() for a in self.args)})"

    def eval(self, batch: pa.Table, ctx: EvalContext) -> ArrowValue:
        n = batch.num_rows
        src = to_array(self.args[0].eval(batch, ctx), n)
        src = src.combine_chunks() if isinstance(src, pa.ChunkedArray) else src
        if self.kind == "aggregate":
            return self._aggregate(batch, src, ctx)
        if self.kind == "zip_with":
            return self._zip_with(batch, src, ctx)
        if self.kind == "array_sort":
            return self._sort_with(batch, src, ctx)
        fn: LambdaFunction = self.args[-1]  # type: ignore[assignment]
        is_map = pa.types.is_map(src.type)
        flat, parents, lengths = _list_parts(src)
        env = _flat_env(batch, parents, fn.body)
        if is_map:
            env = env.append_column(fn.params[0].key, flat.field(0))
            if len(fn.params) > 1:
                env = env.append_column(fn.params[1].key, flat.field(1))
        else:
            env = env.append_column(fn.params[0].key, flat)
            if len(fn.params) > 1:
                starts = np.repeat(np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
                env = env.append_column(fn.params[1].key,
                                        pa.array(np.arange(len(flat)) - starts, pa.int32()))
        out = to_array(fn.body.eval(env, ctx), len(flat))
        out = out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out
        if self.kind == "transform":
            return _rebuild(src, out.cast(to_arrow_type(fn.data_type)), lengths)
        if self.kind == "transform_values":
            keys = flat.field(0)
            offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
            return pa.MapArray.from_arrays(pa.array(offsets), keys, out.cast(to_arrow_type(fn.data_type)))
        if self.kind == "transform_keys":
            offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
            return pa.MapArray.from_arrays(pa.array(offsets), out.cast(to_arrow_type(fn.data_type)), flat.field(1))
        keep = pc.fill_null(out, False)
        if self.kind in ("filter", "map_filter"):
            kept = pc.filter(flat, keep)
            new_len = np.bincount(parents.to_numpy(), weights=keep.to_numpy(zero_copy_only=False),
                                  minlength=n).astype(np.int64) if len(flat) else np.zeros(n, np.int64)
            if is_map:
                offsets = np.concatenate([[0], np.cumsum(new_len)]).astype(np.int32)
                return pa.MapArray.from_arrays(pa.array(offsets), kept.field(0), kept.field(1))
            return _rebuild(src, kept, new_len)
        p = parents.to_numpy()
        vals = out.to_numpy(zero_copy_only=False)
        valid = pc.is_valid(out).to_numpy(zero_copy_only=False)
        truthy = np.zeros(n, bool)
        falsy = np.zeros(n, bool)
        has_null = np.zeros(n, bool)
        np.logical_or.at(truthy, p, valid & (vals == True))  # noqa: E712
        np.logical_or.at(falsy, p, valid & (vals == False))  # noqa: E712
        np.logical_or.at(has_null, p, ~valid)
        if self.kind == "exists":
            res = [True if t else (None if h else False) for t, h in zip(truthy, has_null)]
        else:
            res = [False if f else (None if h else True) for f, h in zip(falsy, has_null)]
        nulls = pc.is_null(src).to_numpy(zero_copy_only=False)
        return pa.array([None if z else r for r, z in zip(res, nulls)], pa.bool_())

    def _aggregate(self, batch: pa.Table, src: pa.Array, ctx: EvalContext) -> ArrowValue:
        n = batch.num_rows
        zero, merge = self.args[1], self.args[2]
        acc_t = merge.data_type
        acc = to_array(zero.eval(batch, ctx), n)
        acc = acc.cast(to_arrow_type(acc_t))
        lengths = pc.fill_null(pc.list_value_length(src), 0).to_numpy(zero_copy_only=False)
        for k in range(int(lengths.max()) if n else 0):
            elem = _element(src, k, lengths)
            env = batch.append_column(merge.params[0].key, acc).append_column(merge.params[1].key, elem)
            new = to_array(merge.body.eval(env, ctx), n).cast(to_arrow_type(acc_t))
            acc = pc.if_else(pa.array(lengths > k), new, acc)
        if len(self.args) > 3:
            fin = self.args[3]
            env = batch.append_column(fin.params[0].key, acc)
            acc = to_array(fin.body.eval(env, ctx), n)
        return pc.if_else(pc.is_null(src), pa.scalar(None, acc.type), acc)

    def _sort_with(self, batch: pa.Table, src: pa.Array, ctx: EvalContext) -> ArrowValue:
        """``array_sort(a, (l, r) -> …)``: the comparator evaluated once over every ordered pair of
        elements of each array (vectorised); an element's place is the number of elements it
        compares after, ties keeping their original order."""
        fn: LambdaFunction = self.args[1]  # type: ignore[assignment]
        flat, parents, lengths = _list_parts(src)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        squares = lengths * lengths
        row = np.repeat(np.arange(len(lengths)), squares)
        k = np.arange(int(squares.sum())) - np.repeat(np.concatenate([[0], np.cumsum(squares)[:-1]]),
                                                      squares)
        width = lengths[row]
        i = starts[row] + (k // np.maximum(width, 1))
        j = starts[row] + (k % np.maximum(width, 1))
        env = _flat_env(batch, pa.array(row), fn.body) \
            .append_column(fn.params[0].key, flat.take(pa.array(i))) \
            .append_column(fn.params[1].key, flat.take(pa.array(j)))
        cmp = to_array(fn.body.eval(env, ctx), len(i))
        cmp = cmp.combine_chunks() if isinstance(cmp, pa.ChunkedArray) else cmp
        if cmp.null_count:
            from pyspk.errors import SparkRuntimeException
            first = int(pc.indices_nonzero(pc.is_null(cmp))[0].as_py())
            left, right = flat[int(i[first])].as_py(), flat[int(j[first])].as_py()
            raise SparkRuntimeException(
                f"[COMPARATOR_RETURNS_NULL] The comparator has returned a NULL for a comparison "
                f"between {left} and {right}. It should return a negative integer for \"left < "
                "right\", 0 for \"left = right\" and a positive integer for \"left > right\". "
                "SQLSTATE: 22004", errorClass="COMPARATOR_RETURNS_NULL", sqlState="22004")
        c = cmp.to_numpy(zero_copy_only=False)
        after = (c > 0) | ((c == 0) & (j < i))
        place = np.zeros(len(flat), np.int64)
        np.add.at(place, i[after], 1)
        order = np.lexsort((np.arange(len(flat)), place, parents.to_numpy()))
        return _rebuild(src, flat.take(pa.array(order)), lengths)

    def _zip_with(self, batch: pa.Table, left: pa.Array, ctx: EvalContext) -> ArrowValue:
        n = batch.num_rows
        right = to_array(self.args[1].eval(batch, ctx), n)
        right = right.combine_chunks() if isinstance(right, pa.ChunkedArray) else right
        fn: LambdaFunction = self.args[2]  # type: ignore[assignment]
        la = pc.fill_null(pc.list_value_length(left), 0).to_numpy(zero_copy_only=False)
        ra = pc.fill_null(pc.list_value_length(right), 0).to_numpy(zero_copy_only=False)
        lengths = np.maximum(la, ra).astype(np.int64)
        parents = pa.array(np.repeat(np.arange(n), lengths))
        pos = np.concatenate([np.arange(k) for k in lengths]) if lengths.sum() else np.array([], np.int64)
        lflat = _gather(left, parents.to_numpy(), pos, la)
        rflat = _gather(right, parents.to_numpy(), pos, ra)
        env = _flat_env(batch, parents, fn.body).append_column(fn.params[0].key, lflat) \
            .append_column(fn.params[1].key, rflat)
        out = to_array(fn.body.eval(env, ctx), len(pos))
        out = out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out
        mask = pc.or_(pc.is_null(left), pc.is_null(right))
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
        return pa.ListArray.from_arrays(pa.array(offsets), out.cast(to_arrow_type(fn.data_type)), mask=mask)


def _element(src: pa.Array, k: int, lengths: np.ndarray) -> pa.Array:
    """The k-th element of each list (NULL where the list is shorter)."""
    flat = pc.list_flatten(src)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    idx = np.where(lengths > k, starts + k, 0)
    taken = flat.take(pa.array(idx)) if len(flat) else pa.nulls(len(lengths), src.type.value_type)
    return pc.if_else(pa.array(lengths > k), taken, pa.scalar(None, taken.type))


def _gather(src: pa.Array, parents: np.ndarray, pos: np.ndarray, lengths: np.ndarray) -> pa.Array:
    flat = pc.list_flatten(src)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    ok = pos < lengths[parents] if len(parents) else np.array([], bool)
    idx = np.where(ok, starts[parents] + pos, 0) if len(parents) else np.array([], np.int64)
    taken = flat.take(pa.array(idx, pa.int64())) if len(flat) else pa.nulls(len(idx), src.type.value_type)
    return pc.if_else(pa.array(ok), taken, pa.scalar(None, taken.type))
