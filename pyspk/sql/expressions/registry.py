"""Function lookup: turns a resolved-argument call by name into an expression node.

Special forms (aggregates, CASE-like functions, casts) have builders here; everything else is a
``ScalarFunction`` described in the family modules' spec tables.
"""
from __future__ import annotations

from typing import Callable

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql.expressions import aggregates as A
from pyspk.sql.expressions import conditional as Cond
from pyspk.sql.expressions import predicates as P
from pyspk.sql.expressions import window as W
from pyspk.sql.expressions.base import Expression, Literal, UnresolvedFunction
from pyspk.sql.expressions.cast import Cast
from pyspk.sql.expressions.scalar import SPECS, ScalarFunction, literal_value, wrong_num_args
from pyspk.sql.expressions import fn_string, fn_math, fn_datetime, fn_collection, fn_json, fn_extra, fn_sketch, fn_variant, fn_crypto  # noqa: F401,E501 (register specs)

Builder = Callable[[UnresolvedFunction, list[Expression]], Expression]
BUILDERS: dict[str, Builder] = {}


def builder(*names: str) -> Callable[[Builder], Builder]:
    def deco(fn: Builder) -> Builder:
        for n in names:
            BUILDERS[n] = fn
        return fn
    return deco


def _arity(name: str, args: list, lo: int, hi: int | None) -> None:
    if len(args) < lo or (hi is not None and len(args) > hi):
        raise wrong_num_args(name, len(args), lo, hi)


@builder("sum")
def _sum(f, args):
    _arity("sum", args, 1, 1)
    return A.Sum(args[0], f.distinct)


@builder("count")
def _count(f, args):
    if f.is_star or not args:
        return A.Count(None)
    if len(args) == 1 and isinstance(args[0], Literal) and args[0].value is not None and not f.distinct:
        return A.Count(None)
    if f.distinct and len(args) > 1:
        from pyspk.sql.expressions.py_aggregates import count_distinct_columns
        return count_distinct_columns(list(args))
    if f.distinct and _nested(args[0]):
        from pyspk.sql.expressions.py_aggregates import nested_fallback
        return nested_fallback("count", args[0], True)
    return A.Count(args[0], f.distinct, tuple(args[1:]))


@builder("avg", "mean")
def _avg(f, args):
    _arity(f.name, args, 1, 1)
    return A.Avg(args[0], f.distinct)


@builder("min")
def _min(f, args):
    _arity("min", args, 1, 1)
    return A.Min(args[0])


@builder("max")
def _max(f, args):
    _arity("max", args, 1, 1)
    return A.Max(args[0])


@builder("first", "first_value", "any_value")
def _first(f, args):
    ignore = bool(literal_value(args[1])) if len(args) > 1 else f.ignore_nulls
    return A.First(args[0], ignore_nulls=ignore)


@builder("last", "last_value")
def _last(f, args):
    ignore = bool(literal_value(args[1])) if len(args) > 1 else f.ignore_nulls
    return A.Last(args[0], ignore_nulls=ignore)


def _nested(e: Expression) -> bool:
    return isinstance(e.data_type, (T.StructType, T.ArrayType, T.MapType))


@builder("collect_list", "array_agg")
def _collect_list(f, args):
    if _nested(args[0]):
        from pyspk.sql.expressions.py_aggregates import nested_fallback
        return nested_fallback("collect_list", args[0])
    return A.CollectList(args[0])


@builder("collect_set")
def _collect_set(f, args):
    if _nested(args[0]):
        from pyspk.sql.expressions.py_aggregates import nested_fallback
        return nested_fallback("collect_set", args[0])
    return A.CollectSet(args[0])


@builder("count_distinct")
def _count_distinct(f, args):
    if len(args) > 1:
        from pyspk.sql.expressions.py_aggregates import count_distinct_columns
        return count_distinct_columns(list(args))
    return A.Count(args[0], True)


@builder("approx_count_distinct")
def _approx_count_distinct(f, args):
    if _nested(args[0]):
        from pyspk.sql.expressions.py_aggregates import nested_fallback
        agg = nested_fallback("count", args[0], True)
        import dataclasses
        return dataclasses.replace(agg, label=f"approx_count_distinct({args[0].sql()})")
    return A.Count(args[0], True)


for _fn in ("stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop", "std"):
    BUILDERS[_fn] = (lambda name: lambda f, args: A.Variance(
        args[0], fn={"stddev": "stddev", "std": "stddev", "variance": "variance"}.get(name, name)))(_fn)

for _fn in ("bool_and", "every", "bool_or", "some", "any"):
    BUILDERS[_fn] = (lambda name: lambda f, args: A.BoolAggregate(args[0], fn=name))(_fn)


@builder("percentile_approx", "approx_percentile", "percentile", "median")
def _percentile(f, args):
    if f.name == "median":
        return A.ApproxPercentile(args[0], percentages=(0.5,), fn="median")
    pct = literal_value(args[1])
    is_array = isinstance(pct, (list, tuple))
    pcts = tuple(float(p) for p in (pct if is_array else [pct]))
    extra = "".join(f", {a.sql()}" for a in args[1:])
    name = "percentile_approx" if f.name != "percentile" else "percentile"
    return A.ApproxPercentile(args[0], percentages=pcts, is_array=is_array, fn=name, arg_sql=extra)


@builder("try_sum")
def _try_sum(f, args):
    return A.Sum(args[0])


@builder("try_avg")
def _try_avg(f, args):
    return A.Avg(args[0])


@builder("hash")
def _hash(f, args):
    from pyspk.sql.expressions.fn_hash import MurmurHash
    return MurmurHash(tuple(args))


@builder("grouping")
def _grouping(f, args):
    return A.Grouping(tuple(args))


@builder("grouping_id")
def _grouping_id(f, args):
    return A.Grouping(tuple(args), is_id=True)


@builder("count_if")
def _count_if(f, args):
    return A.Count(Cond.NullIf(args[0], Literal(False, T.BooleanType())))


@builder("coalesce")
def _coalesce(f, args):
    return Cond.Coalesce(tuple(args))


@builder("nullif")
def _nullif(f, args):
    return Cond.NullIf(args[0], args[1])


@builder("if", "iff")
def _if(f, args):
    _arity("if", args, 3, 3)
    return Cond.If(args[0], args[1], args[2])


@builder("isnull")
def _isnull(f, args):
    return P.IsNull(args[0])


@builder("isnotnull")
def _isnotnull(f, args):
    return P.IsNotNull(args[0])


@builder("like")
def _like(f, args):
    return P.Like(args[0], args[1])


@builder("ilike")
def _ilike(f, args):
    return P.Like(args[0], args[1], case_insensitive=True)


@builder("rlike")
def _rlike(f, args):
    return P.RLike(args[0], args[1])


@builder("cast")
def _cast(f, args):
    return Cast(args[0], args[1].data_type)


@builder("row_number")
def _row_number(f, args):
    return W.RowNumber()


for _fn in ("rank", "dense_rank", "percent_rank", "cume_dist"):
    BUILDERS[_fn] = (lambda name: lambda f, args: W.Rank(fn=name))(_fn)


@builder("ntile")
def _ntile(f, args):
    return W.NTile(int(literal_value(args[0])))


@builder("lag", "lead")
def _lag(f, args):
    off = int(literal_value(args[1])) if len(args) > 1 else 1
    default = args[2] if len(args) > 2 else None
    if default is not None and default.data_type != args[0].data_type and \
            not isinstance(default.data_type, T.NullType):
        default = Cast(default, args[0].data_type, implicit=True)
    return W.Offset(args[0], off, default, f.name, f.ignore_nulls)


@builder("nth_value")
def _nth_value(f, args):
    return W.NthValue(args[0], int(literal_value(args[1])), f.ignore_nulls)


@builder("to_csv")
def _to_csv(f, args):
    from pyspk.sql.expressions.fn_hash import ToCsv
    return ToCsv(args[0])


@builder("from_csv")
def _from_csv(f, args):
    from pyspk.sql._typeparse import parse_ddl_type
    from pyspk.sql.expressions.fn_hash import FromCsv
    return FromCsv(args[0], parse_ddl_type(str(literal_value(args[1]))))


@builder("typeof")
def _typeof(f, args):
    return fn_json.TypeOf(args[0])


@builder("variant_get", "try_variant_get")
def _variant_get(f, args):
    from pyspk.sql._typeparse import parse_ddl_type
    from pyspk.sql.expressions.fn_variant import VariantGet
    _arity(f.name, args, 3, 3)
    v, path, type_name = args
    if not isinstance(v.data_type, T.VariantType):
        v = Cast(v, T.VariantType(), implicit=True)
    if not isinstance(path.data_type, T.StringType):
        path = Cast(path, T.StringType(), implicit=True)
    target = parse_ddl_type(str(literal_value(type_name)))
    return VariantGet(v, path, type_name, target, fail=f.name.lower() == "variant_get")


@builder("to_json")
def _to_json(f, args):
    return fn_json.ToJson(args[0])


@builder("from_json")
def _from_json(f, args):
    from pyspk.sql._typeparse import parse_ddl_type
    raw = literal_value(args[1])
    if isinstance(raw, str) and raw.strip().startswith("{"):
        import json as _json
        schema = T.DataType.fromJson(_json.loads(raw))
    else:
        schema = parse_ddl_type(raw)
    return fn_json.FromJson(args[0], schema)


@builder("ceil", "ceiling", "floor")
def _ceil_floor(f, args):
    name = f.name.lower()
    base = "floor" if name == "floor" else "ceil"
    display = None
    if len(args) == 1 and name in ("ceil", "floor"):
        display = f"{name.upper()}({args[0].sql()})"
    elif name == "ceiling":
        display = f"ceiling({', '.join(a.sql() for a in args)})"
    return ScalarFunction(base, tuple(args), display)


@builder("round", "bround")
def _round(f, args):
    if len(args) == 1:  # Spark names round(x) as round(x, 0)
        args = [args[0], Literal(0, T.IntegerType())]
    call = ScalarFunction(f.name.lower(), tuple(args))
    dt = args[0].data_type
    if isinstance(dt, T.DecimalType):
        scale = int(literal_value(args[1])) if len(args) > 1 else 0
        new_scale = min(scale, dt.scale) if scale >= 0 else 0
        from pyspk.sql.expressions.coercion import bounded_decimal
        target = bounded_decimal(dt.precision - dt.scale + 1 + new_scale, new_scale)
        return Cast(call, target, implicit=True)
    return call


@builder("__as_timestamp")
def _as_timestamp(f, args):
    arg = args[0]
    if isinstance(arg.data_type, (T.TimestampType, T.TimestampNTZType)):
        return arg
    return Cast(arg, T.TimestampType(), implicit=True)


@builder("__as_date")
def _as_date(f, args):
    arg = args[0]
    if isinstance(arg.data_type, T.DateType):
        return arg
    return Cast(arg, T.DateType(), implicit=True)


@builder("struct")
def _struct(f, args):
    from pyspk.sql.expressions.base import Alias, AttributeReference
    from pyspk.sql.expressions.fn_collection import CreateStruct, GetField
    names = []
    for i, a in enumerate(args):
        if isinstance(a, (Alias, AttributeReference)):
            names.append(a.name)
        elif isinstance(a, GetField) and a.field:
            names.append(a.field)
        else:
            names.append(f"col{i + 1}")
    return CreateStruct(tuple(names), tuple(args))


@builder("__with_field")
def _with_field(f, args):
    from pyspk.sql.expressions.fn_collection import CreateStruct, GetField
    struct, name, value = args[0], str(literal_value(args[1])), args[2]
    fields = list(struct.data_type.fields)
    names = [x.name for x in fields]
    exprs = [GetField(struct, n) for n in names]
    if name in names:
        exprs[names.index(name)] = value
    else:
        names.append(name)
        exprs.append(value)
    return CreateStruct(tuple(names), tuple(exprs), True)


@builder("__drop_fields")
def _drop_fields(f, args):
    from pyspk.sql.expressions.fn_collection import CreateStruct, GetField
    struct = args[0]
    drop = {str(literal_value(a)) for a in args[1:]}
    names = [x.name for x in struct.data_type.fields if x.name not in drop]
    return CreateStruct(tuple(names), tuple(GetField(struct, n) for n in names), True)


@builder("named_struct")
def _named_struct(f, args):
    from pyspk.sql.expressions.fn_collection import CreateStruct
    return CreateStruct(tuple(str(literal_value(a)) for a in args[0::2]), tuple(args[1::2]), True)


@builder("map", "create_map")
def _map(f, args):
    from pyspk.sql.expressions.fn_collection import CreateMap
    return CreateMap(tuple(args))


for _fn, _kw in (("explode", {}), ("explode_outer", {"outer": True}),
                 ("posexplode", {"position": True}),
                 ("posexplode_outer", {"position": True, "outer": True}),
                 ("inline", {"inline": True}), ("inline_outer", {"inline": True, "outer": True})):
    BUILDERS[_fn] = (lambda kw: lambda f, args: _explode(args[0], kw))(_kw)


def _explode(arg, kw):
    from pyspk.sql.expressions.generators import Explode
    return Explode(arg, **kw)


def build_function(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    """The expression for a call to ``f.name`` with resolved ``args``."""
    name = f.name.lower()
    from pyspk.sql.expressions.py_aggregates import PY_AGGREGATES, build_py_aggregate
    if name in PY_AGGREGATES:
        return build_py_aggregate(name, args)
    if name in BUILDERS:
        built = BUILDERS[name](f, args)
        if isinstance(built, A.AggregateFunction) and name not in (
                built.pretty_name(), "mean", "count_distinct"):
            import dataclasses
            built = dataclasses.replace(built, fname=name)
        return built
    if name in SPECS:
        return ScalarFunction(name, tuple(args))
    from pyspk.sql.udf import PythonUDF, registered_udf
    u = registered_udf(name)
    if u is not None:
        return PythonUDF(f.name, u.func, u.returnType, tuple(args), vectorized=u.evalType != 100,
                         is_deterministic=u.deterministic)
    raise AnalysisException(
        f"[UNRESOLVED_ROUTINE] Cannot resolve routine `{f.name}` on search path "
        f"[`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]. SQLSTATE: 42883",
        errorClass="UNRESOLVED_ROUTINE",
        messageParameters={"routineName": f"`{f.name}`",
                           "searchPath": "[`system`.`builtin`, `system`.`session`, "
                                         "`spark_catalog`.`default`]"})


def function_exists(name: str) -> bool:
    from pyspk.sql.expressions.py_aggregates import PY_AGGREGATES
    return name.lower() in BUILDERS or name.lower() in SPECS or name.lower() in PY_AGGREGATES


@builder("assert_true")
def _assert_true(f, args):
    """``assert_true(cond)`` carries Spark's default message ``'<cond>' is not true!``."""
    _arity("assert_true", args, 1, 2)
    if len(args) == 1:
        args = [args[0], Literal.of(f"'{args[0].sql()}' is not true!")]
    return ScalarFunction("assert_true", tuple(args))


from pyspk.sql.expressions import fn_time_window_builders  # noqa: E402,F401 (registers builders)
from pyspk.sql.expressions import fn_more_builders  # noqa: E402,F401 (registers builders)
