"""Registry builders for the functions added with the ``fn_*_more`` modules whose call is not a
plain ``ScalarFunction``: aliases that keep Spark's displayed names, the two forms of ``decode``,
generators (``stack``, ``json_tuple``), ``xxhash64``, session constants and JVM-only functions."""
from __future__ import annotations

import getpass

from pyspk.errors import AnalysisException
from pyspk.sql import types as T
from pyspk.sql.expressions import (  # noqa: F401 (modules register their specs)
    fn_aggregates_more, fn_datetime_more, fn_json_more, fn_math_more, fn_number_format,
    fn_strings_more)
from pyspk.sql.expressions.base import Expression, Literal, UnresolvedFunction
from pyspk.sql.expressions.generators import Explode
from pyspk.sql.expressions.registry import builder, wrong_num_args
from pyspk.sql.expressions.scalar import ScalarFunction, literal_value, register

SPARK_VERSION = "4.3.0 98bc0212c94705434471627068f41e374ccab143"


def _call(name: str, args: list[Expression], display: str | None = None) -> Expression:
    return ScalarFunction(name, tuple(args), display)


@builder("negate")
def _negate(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    return _call("negative", args)


@builder("decode")
def _decode(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    if len(args) < 2:
        raise wrong_num_args("decode", len(args), 2, None)
    shown = f"decode({', '.join(a.sql() for a in args)})"
    if len(args) == 2:
        return _call("__decode_charset", args, shown)
    return _call("__decode_case", args, shown)


@builder("stack")
def _stack(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    if len(args) < 2:
        raise wrong_num_args("stack", len(args), 2, None)
    rows = literal_value(args[0])
    if not isinstance(rows, int) or isinstance(rows, bool):
        raise AnalysisException(
            f"[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] The first argument of stack must be a constant "
            f"integer, got {args[0].sql()}.", errorClass="DATATYPE_MISMATCH.NON_FOLDABLE_INPUT")
    gen = fn_json_more.StackRows(rows, tuple(args[1:]))
    gen.column_types()
    return Explode(gen, inline=True)


@builder("json_tuple")
def _json_tuple(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    if len(args) < 2:
        raise wrong_num_args("json_tuple", len(args), 2, None)
    return Explode(fn_json_more.JsonTupleRows(args[0], tuple(args[1:])), inline=True)


@builder("xxhash64")
def _xxhash64(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    from pyspk.sql.expressions.fn_xxhash import XxHash64
    return XxHash64(tuple(args))


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


for _name in ("current_user", "user", "session_user"):
    register(_name, (lambda v, c, n: _const(_user())), T.StringType(), None, 0, 0,
             pretty=_name, nullable=False)
register("version", lambda v, c, n: _const(SPARK_VERSION), T.StringType(), None, 0, 0,
         nullable=False)
register("collation", lambda v, c, n: _const("SYSTEM.BUILTIN.UTF8_BINARY"), T.StringType(),
         None, 1, 1, nullable=False)


def _const(value: str):
    import pyarrow as pa
    return pa.scalar(value, pa.string())


@builder("reflect", "java_method", "try_reflect")
def _reflect(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    name = f.name.lower()
    raise AnalysisException(
        f"[UNSUPPORTED_FEATURE.JVM_REFLECTION] The feature is not supported: `{name}` calls Java "
        "methods by reflection, and pyspk runs without a JVM. SQLSTATE: 0A000",
        errorClass="UNSUPPORTED_FEATURE.JVM_REFLECTION",
        messageParameters={"functionName": f"`{name}`"})



@builder("convert_timezone")
def _convert_timezone(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    """Two arguments convert from the session time zone (shown as ``current_timezone()``)."""
    if len(args) not in (2, 3):
        raise wrong_num_args("convert_timezone", len(args), 2, 3)
    if len(args) == 2:
        args = [ScalarFunction("current_timezone", ())] + list(args)
    return ScalarFunction("convert_timezone", tuple(args))


@builder("extract")
def _extract(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    """``extract(field FROM source)``: ``date_part`` shown with Spark's EXTRACT syntax."""
    if len(args) != 2:
        raise wrong_num_args("extract", len(args), 2, 2)
    field = str(literal_value(args[0]))
    shown = f"extract({field} FROM {args[1].sql()})"
    key = _EXTRACT_SYNONYMS.get(field.lower(), field.lower())
    name = "__extract_seconds" if key == "second" else "__extract"
    return ScalarFunction(name, (Literal.of(key), args[1]), shown)


_EXTRACT_SYNONYMS = {
    **dict.fromkeys(("y", "years", "yr", "yrs"), "year"),
    **dict.fromkeys(("qtr", "quarters"), "quarter"),
    **dict.fromkeys(("mon", "mons", "months"), "month"),
    **dict.fromkeys(("w", "weeks"), "week"),
    **dict.fromkeys(("d", "days"), "day"),
    **dict.fromkeys(("h", "hours", "hr", "hrs"), "hour"),
    **dict.fromkeys(("m", "min", "mins", "minutes"), "minute"),
    **dict.fromkeys(fn_datetime_more._SECOND_FIELDS, "second"),
}


def _listagg_distinct(shown: str):
    def build(f: UnresolvedFunction, args: list[Expression]) -> Expression:
        from pyspk.sql.expressions.py_aggregates import PyAggregate, _listagg
        if not 1 <= len(args) <= 2:
            raise wrong_num_args(shown, len(args), 1, 2)
        if len(args) == 1:
            args = list(args) + [Literal(None, T.StringType())]
        label = f"{shown}(DISTINCT {', '.join(a.sql() for a in args)})"
        return PyAggregate(None, args=tuple(args), name=shown, fn=_listagg(True),
                           result=lambda ts: T.StringType(), label=label)
    return build


builder("listagg_distinct")(_listagg_distinct("listagg"))
builder("string_agg_distinct")(_listagg_distinct("string_agg"))


@builder("bucket", "years", "months", "days", "hours")
def _partition_transform(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    """Partition transforms only describe a table's layout (``writeTo(...).partitionedBy``)."""
    shown = f"{f.name.lower()}({', '.join(a.sql() for a in args)})"
    raise AnalysisException(
        f"[UNSUPPORTED_FEATURE.PARTITION_TRANSFORM] The feature is not supported: the partition "
        f"transform {shown} can only be used in DataFrameWriterV2.partitionedBy. SQLSTATE: 0A000",
        errorClass="UNSUPPORTED_FEATURE.PARTITION_TRANSFORM",
        messageParameters={"transform": shown})


@builder("shuffle")
def _shuffle(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    """Spark leaves the seed out of the column name."""
    if not 1 <= len(args) <= 2:
        raise wrong_num_args("shuffle", len(args), 1, 2)
    return ScalarFunction("shuffle", tuple(args), f"shuffle({args[0].sql()})")


@builder("to_number", "try_to_number")
def _to_number(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    from pyspk.sql.expressions.cast import Cast
    if len(args) != 2:
        raise wrong_num_args(f.name.lower(), len(args), 2, 2)
    text = args[0] if isinstance(args[0].data_type, T.StringType) else \
        Cast(args[0], T.StringType(), implicit=True)
    return fn_number_format.ToNumber(text, args[1], strict=f.name.lower() == "to_number")


@builder("to_char", "to_varchar")
def _to_char(f: UnresolvedFunction, args: list[Expression]) -> Expression:
    """Numbers use the number-format grammar; dates and timestamps are ``date_format``."""
    if len(args) != 2:
        raise wrong_num_args(f.name.lower(), len(args), 2, 2)
    if isinstance(args[0].data_type, (T.DateType, T.TimestampType, T.TimestampNTZType)):
        return ScalarFunction("date_format", tuple(args))
    return ScalarFunction("to_char", tuple(args), f"to_char({args[0].sql()}, {args[1].sql()})")
