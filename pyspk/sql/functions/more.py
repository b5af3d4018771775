"""String, math, date/time, collection and hashing functions (thin wrappers over the registry)."""
from __future__ import annotations

import builtins
from typing import Any

from pyspk.sql.functions import core

from pyspk.sql.column import Column, col_or_name, to_expr
from pyspk.sql.expressions.base import Literal, UnresolvedFunction

ColumnOrName = Any


def _call(name: str, *args: Any) -> Column:
    """``name(args…)`` by name; omitted optional arguments (None) are left out."""
    return Column(UnresolvedFunction(name, tuple(a for a in args if a is not None)))


def _cols(name: str, *cols: ColumnOrName) -> Column:
    return _call(name, *(col_or_name(c) for c in cols))


def _col_lits(name: str, c: ColumnOrName, *lits: Any) -> Column:
    return _call(name, col_or_name(c), *(to_expr(x) for x in lits))


_ONE_COL = [
    "upper", "lower", "length", "char_length", "character_length", "reverse", "initcap", "ascii",
    "sqrt", "exp", "ln", "log10", "log2", "log1p", "sin", "cos", "tan", "asin", "acos", "atan",
    "cbrt", "degrees", "radians", "signum", "sign", "sinh", "cosh", "expm1", "abs", "negative",
    "positive", "year", "month", "quarter", "dayofyear", "dayofmonth", "day", "dayofweek",
    "weekday", "weekofyear", "hour", "minute", "second", "last_day", "size", "cardinality",
    "array_distinct", "array_max", "array_min", "flatten", "map_keys", "map_values", "md5", "sha1",
    "crc32", "base64", "factorial", "bin", "unix_date", "date_from_unix_date", "hex", "chr",
]

for _name in _ONE_COL:
    globals()[_name] = (lambda n: lambda col: _cols(n, col))(_name)


def trim(col: ColumnOrName, trim: Any = None) -> Column:
    return _cols("trim", col) if trim is None else _call("trim", col_or_name(col), col_or_name(trim))


def ltrim(col: ColumnOrName, trim: Any = None) -> Column:
    return _cols("ltrim", col) if trim is None else _call("ltrim", col_or_name(col), col_or_name(trim))


def rtrim(col: ColumnOrName, trim: Any = None) -> Column:
    return _cols("rtrim", col) if trim is None else _call("rtrim", col_or_name(col), col_or_name(trim))


def substring(str: ColumnOrName, pos: Any, len: Any) -> Column:
    return _call("substring", col_or_name(str), to_expr(pos), to_expr(len))


def substr(str: ColumnOrName, pos: Any, len: Any = None) -> Column:
    args = (col_or_name(str), col_or_name(pos)) + ((col_or_name(len),) if len is not None else ())
    return _call("substr", *args)


def concat(*cols: ColumnOrName) -> Column:
    return _cols("concat", *cols)


def concat_ws(sep: str, *cols: ColumnOrName) -> Column:
    return _call("concat_ws", Literal.of(sep), *(col_or_name(c) for c in cols))


def lpad(col: ColumnOrName, len: int, pad: str) -> Column:
    return _col_lits("lpad", col, len, pad)


def rpad(col: ColumnOrName, len: int, pad: str) -> Column:
    return _col_lits("rpad", col, len, pad)


def repeat(col: ColumnOrName, n: Any) -> Column:
    return _col_lits("repeat", col, n)


def regexp_replace(string: ColumnOrName, pattern: Any, replacement: Any) -> Column:
    return _col_lits("regexp_replace", string, pattern, replacement)


def regexp_extract(str: ColumnOrName, pattern: str, idx: int) -> Column:
    return _col_lits("regexp_extract", str, pattern, idx)


def regexp_like(str: ColumnOrName, regexp: Any) -> Column:
    return _call("regexp_like", col_or_name(str), col_or_name(regexp))


def split(str: ColumnOrName, pattern: str, limit: int = -1) -> Column:
    return _col_lits("split", str, pattern, limit)


def instr(str: ColumnOrName, substr: str) -> Column:
    return _col_lits("instr", str, substr)


def locate(substr: str, str: ColumnOrName, pos: int = 1) -> Column:
    return _call("locate", Literal.of(substr), col_or_name(str), Literal.of(pos))


def translate(srcCol: ColumnOrName, matching: str, replace: str) -> Column:
    return _col_lits("translate", srcCol, matching, replace)


def format_number(col: ColumnOrName, d: int) -> Column:
    return _col_lits("format_number", col, d)


def left(str: ColumnOrName, len: ColumnOrName) -> Column:
    return _cols("left", str, len)


def right(str: ColumnOrName, len: ColumnOrName) -> Column:
    return _cols("right", str, len)


def startswith(str: ColumnOrName, prefix: ColumnOrName) -> Column:
    return _cols("startswith", str, prefix)


def endswith(str: ColumnOrName, suffix: ColumnOrName) -> Column:
    return _cols("endswith", str, suffix)


def contains(left: ColumnOrName, right: ColumnOrName) -> Column:
    return _cols("contains", left, right)


def round(col: ColumnOrName, scale: Any = None) -> Column:
    return _col_lits("round", col, 0 if scale is None else scale)


def bround(col: ColumnOrName, scale: Any = None) -> Column:
    return _col_lits("bround", col, 0 if scale is None else scale)


def floor(col: ColumnOrName, scale: Any = None) -> Column:
    return _cols("floor", col) if scale is None else _col_lits("floor", col, scale)


def ceil(col: ColumnOrName, scale: Any = None) -> Column:
    return _cols("ceil", col) if scale is None else _col_lits("ceil", col, scale)


def ceiling(col: ColumnOrName, scale: Any = None) -> Column:
    return _cols("ceiling", col) if scale is None else _col_lits("ceiling", col, scale)


def pow(col1: Any, col2: Any) -> Column:
    return _call("pow", _num_or_col(col1), _num_or_col(col2))


power = pow


def _num_or_col(x: Any) -> Any:
    return Literal.of(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else col_or_name(x)


def atan2(col1: Any, col2: Any) -> Column:
    return _call("atan2", _num_or_col(col1), _num_or_col(col2))


def log(arg1: Any, arg2: Any = None) -> Column:
    if arg2 is None:
        return _cols("ln", arg1)
    return _call("log", Literal.of(float(arg1)), col_or_name(arg2))


def pmod(dividend: Any, divisor: Any) -> Column:
    return _call("pmod", to_expr(dividend) if not isinstance(dividend, str) else col_or_name(dividend),
                 to_expr(divisor) if not isinstance(divisor, str) else col_or_name(divisor))


def rand(seed: int | None = None) -> Column:
    return _call("rand", *( (Literal.of(seed),) if seed is not None else ()))


def randn(seed: int | None = None) -> Column:
    return _call("randn", *((Literal.of(seed),) if seed is not None else ()))


def e() -> Column:
    return _call("e")


def pi() -> Column:
    return _call("pi")


def current_date() -> Column:
    return _call("current_date")


def current_timestamp() -> Column:
    return _call("current_timestamp")


now = current_timestamp


def _count_arg(x: Any) -> Any:
    """A days/months argument: a column (or its name) or a number."""
    return col_or_name(x) if isinstance(x, (str, Column)) else to_expr(x)


def date_add(start: ColumnOrName, days: Any) -> Column:
    return _call("date_add", col_or_name(start), _count_arg(days))


def date_sub(start: ColumnOrName, days: Any) -> Column:
    return _call("date_sub", col_or_name(start), _count_arg(days))


def add_months(start: ColumnOrName, months: Any) -> Column:
    return _call("add_months", col_or_name(start), _count_arg(months))


def datediff(end: ColumnOrName, start: ColumnOrName) -> Column:
    return _cols("datediff", end, start)


def months_between(date1: ColumnOrName, date2: ColumnOrName, roundOff: bool = True) -> Column:
    return _call("months_between", col_or_name(date1), col_or_name(date2), Literal.of(roundOff))


def date_format(date: ColumnOrName, format: str) -> Column:
    return _col_lits("date_format", date, format)


def to_date(col: ColumnOrName, format: str | None = None) -> Column:
    return _cols("to_date", col) if format is None else _col_lits("to_date", col, format)


def to_timestamp(col: ColumnOrName, format: str | None = None) -> Column:
    return _cols("to_timestamp", col) if format is None else _col_lits("to_timestamp", col, format)


def unix_timestamp(timestamp: ColumnOrName | None = None, format: str = "yyyy-MM-dd HH:mm:ss") -> Column:
    if timestamp is None:
        return _call("unix_timestamp")
    return _col_lits("unix_timestamp", timestamp, format)


def from_unixtime(timestamp: ColumnOrName, format: str = "yyyy-MM-dd HH:mm:ss") -> Column:
    return _col_lits("from_unixtime", timestamp, format)


def date_trunc(format: str, timestamp: ColumnOrName) -> Column:
    return _call("date_trunc", Literal.of(format), col_or_name(timestamp))


def trunc(date: ColumnOrName, format: str) -> Column:
    return _col_lits("trunc", date, format)


def make_date(year: ColumnOrName, month: ColumnOrName, day: ColumnOrName) -> Column:
    return _cols("make_date", year, month, day)


def array_contains(col: ColumnOrName, value: Any) -> Column:
    return _call("array_contains", col_or_name(col), to_expr(value))


def array_join(col: ColumnOrName, delimiter: str, null_replacement: str | None = None) -> Column:
    args = [col_or_name(col), Literal.of(delimiter)]
    if null_replacement is not None:
        args.append(Literal.of(null_replacement))
    return _call("array_join", *args)


def array_position(col: ColumnOrName, value: Any) -> Column:
    return _call("array_position", col_or_name(col), to_expr(value))


def array_remove(col: ColumnOrName, element: Any) -> Column:
    return _call("array_remove", col_or_name(col), to_expr(element))


def array_union(col1: ColumnOrName, col2: ColumnOrName) -> Column:
    return _cols("array_union", col1, col2)


def array_intersect(col1: ColumnOrName, col2: ColumnOrName) -> Column:
    return _cols("array_intersect", col1, col2)


def array_except(col1: ColumnOrName, col2: ColumnOrName) -> Column:
    return _cols("array_except", col1, col2)


def arrays_overlap(a1: ColumnOrName, a2: ColumnOrName) -> Column:
    return _cols("arrays_overlap", a1, a2)


def array_repeat(col: ColumnOrName, count: Any) -> Column:
    return _call("array_repeat", col_or_name(col), to_expr(count))


def slice(x: ColumnOrName, start: Any, length: Any) -> Column:
    return _call("slice", col_or_name(x), to_expr(start), to_expr(length))


def sort_array(col: ColumnOrName, asc: bool = True) -> Column:
    return _call("sort_array", col_or_name(col), Literal.of(asc))


def array_sort(col: ColumnOrName, comparator: Any = None) -> Column:
    if comparator is None:
        return _cols("array_sort", col)
    return _call("array_sort", col_or_name(col), _lambda(comparator, ("l", "r")))


def element_at(col: ColumnOrName, extraction: Any) -> Column:
    return _call("element_at", col_or_name(col), to_expr(extraction))


def sha2(col: ColumnOrName, numBits: int) -> Column:
    return _col_lits("sha2", col, numBits)


def monotonically_increasing_id() -> Column:
    return _call("monotonically_increasing_id")


def spark_partition_id() -> Column:
    return _call("spark_partition_id")


__all__ = _ONE_COL + [n for n in list(globals()) if not n.startswith("_") and callable(globals()[n])
                      and n not in ("annotations", "Any", "Column", "col_or_name", "to_expr",
                                    "Literal", "UnresolvedFunction") and n not in _ONE_COL]


def typeof(col: ColumnOrName) -> Column:
    return _cols("typeof", col)


def to_json(col: ColumnOrName, options: dict | None = None) -> Column:
    return _cols("to_json", col)


def from_json(col: ColumnOrName, schema: Any, options: dict | None = None) -> Column:
    from pyspk.sql import types as T
    if isinstance(schema, T.DataType):
        schema = schema.json()
    elif isinstance(schema, Column):
        return _call("from_json", col_or_name(col), schema._expr)
    return _call("from_json", col_or_name(col), Literal.of(schema))


def get_json_object(col: ColumnOrName, path: str) -> Column:
    return _col_lits("get_json_object", col, path)


def schema_of_json(json: Any, options: dict | None = None) -> Column:
    return _call("schema_of_json", to_expr(json) if not isinstance(json, str) else Literal.of(json))


def format_string(format: str, *cols: ColumnOrName) -> Column:
    return _call("format_string", Literal.of(format), *(col_or_name(c) for c in cols))


def printf(format: ColumnOrName, *cols: ColumnOrName) -> Column:
    fmt = Literal.of(format) if isinstance(format, str) else col_or_name(format)
    return _call("printf", fmt, *(col_or_name(c) for c in cols))


def to_csv(col: ColumnOrName, options: dict | None = None) -> Column:
    return _cols("to_csv", col)


def from_csv(col: ColumnOrName, schema: Any, options: dict | None = None) -> Column:
    from pyspk.sql import types as T
    if isinstance(schema, T.StructType):
        schema = schema.toDDL()
    elif isinstance(schema, Column):
        return _call("from_csv", col_or_name(col), schema._expr)
    return _call("from_csv", col_or_name(col), Literal.of(schema))


def schema_of_csv(csv: Any, options: dict | None = None) -> Column:
    return _call("schema_of_csv", Literal.of(csv) if isinstance(csv, str) else to_expr(csv))


def mask(col: ColumnOrName, upperChar: Any = None, lowerChar: Any = None, digitChar: Any = None,
         otherChar: Any = None) -> Column:
    args = [col_or_name(col)]
    for c, default in ((upperChar, "X"), (lowerChar, "x"), (digitChar, "n"), (otherChar, None)):
        args.append(to_expr(c) if c is not None else Literal.of(default))
    return _call("mask", *args)


def timestamp_diff(unit: str, start: ColumnOrName, end: ColumnOrName) -> Column:
    return _call("timestamp_diff", Literal.of(unit), col_or_name(start), col_or_name(end))


def timestamp_add(unit: str, quantity: ColumnOrName, ts: ColumnOrName) -> Column:
    return _call("timestamp_add", Literal.of(unit), col_or_name(quantity), col_or_name(ts))


def date_part(field: Any, source: ColumnOrName) -> Column:
    return _call("date_part", to_expr(field) if not isinstance(field, str) else Literal.of(field),
                 col_or_name(source))


datepart = date_part


def _auto_wrapper(name: str) -> Any:
    def fn(*cols: Any) -> Column:
        return _call(name, *(col_or_name(c) if isinstance(c, (str, Column)) else to_expr(c) for c in cols))
    fn.__name__ = name
    fn.__doc__ = f"Spark SQL function ``{name}``."
    return fn


def _register_missing_wrappers() -> list[str]:
    """Functions of the registry without a hand-written wrapper get a generic one."""
    from pyspk.sql.expressions.py_aggregates import PY_AGGREGATES
    from pyspk.sql.expressions.registry import BUILDERS
    from pyspk.sql.expressions.scalar import SPECS
    added = []
    for name in sorted(set(SPECS) | set(BUILDERS) | set(PY_AGGREGATES)):
        if name.isidentifier() and name not in globals() and not name.startswith("_") and \
                not hasattr(builtins, name) and not hasattr(core, name):
            globals()[name] = _auto_wrapper(name)
            added.append(name)
    return added


_AUTO = _register_missing_wrappers()
__all__ += ["typeof", "to_json", "from_json", "get_json_object", "schema_of_json", "format_string",
            "printf", "to_csv", "from_csv", "schema_of_csv", "mask", "timestamp_diff",
            "timestamp_add", "date_part", "datepart"] + _AUTO


def _lambda(f: Any, prefixes: tuple[str, ...] = ("x", "y", "z")) -> Any:
    import inspect
    from pyspk.sql.expressions.higher_order import LambdaFunction, fresh_variable
    nparams = len([p for p in inspect.signature(f).parameters.values()
                   if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)])
    params = tuple(fresh_variable(prefixes[i]) for i in range(nparams))
    body = f(*[Column(p) for p in params])
    return LambdaFunction(to_expr(body), params)


def transform(col: ColumnOrName, f: Any) -> Column:
    return _call("transform", col_or_name(col), _lambda(f))


def filter(col: ColumnOrName, f: Any) -> Column:
    return _call("filter", col_or_name(col), _lambda(f))


def exists(col: ColumnOrName, f: Any) -> Column:
    return _call("exists", col_or_name(col), _lambda(f))


def forall(col: ColumnOrName, f: Any) -> Column:
    return _call("forall", col_or_name(col), _lambda(f))


def aggregate(col: ColumnOrName, initialValue: Any, merge: Any, finish: Any = None) -> Column:
    args = [col_or_name(col), col_or_name(initialValue) if isinstance(initialValue, str) else to_expr(initialValue),
            _lambda(merge, ("acc", "x"))]
    if finish is not None:
        args.append(_lambda(finish, ("acc",)))
    return _call("aggregate", *args)


reduce = aggregate


def zip_with(left: ColumnOrName, right: ColumnOrName, f: Any) -> Column:
    return _call("zip_with", col_or_name(left), col_or_name(right), _lambda(f))


def map_filter(col: ColumnOrName, f: Any) -> Column:
    return _call("map_filter", col_or_name(col), _lambda(f, ("k", "v")))


def transform_keys(col: ColumnOrName, f: Any) -> Column:
    return _call("transform_keys", col_or_name(col), _lambda(f, ("k", "v")))


def transform_values(col: ColumnOrName, f: Any) -> Column:
    return _call("transform_values", col_or_name(col), _lambda(f, ("k", "v")))


__all__ += ["transform", "filter", "exists", "forall", "aggregate", "reduce", "zip_with", "map_filter",
            "transform_keys", "transform_values"]
