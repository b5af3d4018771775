"""Translate sqlglot expression trees (Spark dialect) into pyspk expressions."""
from __future__ import annotations

import datetime
import decimal
from typing import Any, Callable

import pyarrow as pa
from sqlglot import exp

from pyspk.errors import ParseException
from pyspk.sql import types as T
from pyspk.sql._typeparse import parse_ddl_type
from pyspk.sql.expressions import arithmetic as Ar
from pyspk.sql.expressions import predicates as P
from pyspk.sql.expressions.base import (
    Alias, Expression, Literal, SortOrder, UnresolvedAttribute, UnresolvedFunction, UnresolvedStar,
)
from pyspk.sql.expressions.cast import Cast
from pyspk.sql.expressions.conditional import CaseWhen
from pyspk.sql.expressions.subquery import Exists, InSubquery, ScalarSubquery
from pyspk.sql.expressions.window import (
    CURRENT_ROW, UNBOUNDED_FOLLOWING, UNBOUNDED_PRECEDING, WindowExpression, WindowFrame,
    WindowSpecDefinition,
)

_BINARY: dict[type, Callable[[Expression, Expression], Expression]] = {
    exp.Add: Ar.Add, exp.Sub: Ar.Subtract, exp.Mul: Ar.Multiply, exp.Div: Ar.Divide,
    exp.Mod: Ar.Remainder, exp.IntDiv: Ar.IntegralDivide, exp.EQ: P.EqualTo,
    exp.GT: P.GreaterThan, exp.GTE: P.GreaterThanOrEqual, exp.LT: P.LessThan,
    exp.LTE: P.LessThanOrEqual, exp.NullSafeEQ: P.EqualNullSafe, exp.And: P.And, exp.Or: P.Or,
    exp.NEQ: lambda a, b: P.Not(P.EqualTo(a, b)),
}

_NAME_FIXES = {"approx_distinct": "approx_count_distinct", "array_agg": "collect_list",
               "str_position": "locate", "date_diff": "datediff", "ts_or_ds_add": "date_add",
               "stddev_samp": "stddev_samp", "variance_pop": "var_pop", "log": "log",
               "array_size": "size", "regexp_extract": "regexp_extract", "is_nan": "isnan",
               "pow": "pow", "power": "pow", "ln": "ln", "char_length": "length",
               "date_add": "date_add", "time_to_str": "date_format", "substring": "substring",
               "logical_and": "bool_and", "logical_or": "bool_or", "count_if": "count_if",
               "array_contains": "array_contains", "to_date": "to_date",
               "str_to_time": "to_timestamp", "apply": "transform", "group_concat": "concat_ws"}



def sql_origin(node: exp.Expression) -> tuple[int, int] | None:
    """(line, position in line) where ``node`` starts in the SQL text, as Spark reports them."""
    meta = node.meta if isinstance(node, exp.Identifier) else getattr(node.this, "meta", {})
    if not meta or "line" not in meta or "col" not in meta:
        return None
    width = meta.get("end", 0) - meta.get("start", 0) + 1
    return meta["line"], max(0, meta["col"] - width)

class ExprConverter:
    """Converts expressions; ``query`` converts a nested query (for subqueries)."""

    def __init__(self, query: Callable[[exp.Expression], Any], params: dict[str, Any] | None = None,
                 positional: list[Any] | None = None) -> None:
        self.query = query
        self.params = params or {}
        self.positional = list(positional or [])
        self.windows: dict[str, exp.Expression] = {}
        self.lambda_scopes: list[dict[str, Expression]] = []
        # sqlglot turns 1L / 1.5D / 2S / 3Y into casts; when the text has such literals, casts of
        # numeric literals are taken to be them (Spark names those plainly, e.g. ``1``).
        self.suffixed_literals = False

    def __call__(self, e: exp.Expression) -> Expression:
        return self.convert(e)

    def convert(self, e: exp.Expression) -> Expression:
        t = type(e)
        if t in _BINARY:
            return _BINARY[t](self.convert(e.this), self.convert(e.expression))
        handler = getattr(self, "_" + t.__name__, None)
        if handler is not None:
            return handler(e)
        if isinstance(e, exp.Func):
            return self._function(e)
        raise ParseException(f"[UNSUPPORTED_FEATURE] The feature is not supported: {e.sql('spark')}",
                             errorClass="UNSUPPORTED_FEATURE")

    # -- leaves ----------------------------------------------------------------------------------
    def _Aliases(self, e: exp.Aliases) -> Expression:
        """``gen(...) AS (a, b)``: names for each column a generator produces."""
        from pyspk.sql.expressions.multi_alias import MultiAlias
        return MultiAlias(self.convert(e.this), tuple(i.name for i in e.expressions))

    def _GroupConcat(self, e: exp.GroupConcat) -> Expression:
        """``listagg([DISTINCT] x, sep)`` (sqlglot's GroupConcat) is Spark's listagg aggregate."""
        inner = e.this
        distinct = isinstance(inner, exp.Distinct)
        value = self.convert(inner.expressions[0] if distinct else inner)
        sep = e.args.get("separator")
        args = (value,) + ((self.convert(sep),) if sep is not None else ())
        return UnresolvedFunction("listagg_distinct" if distinct else "listagg", args)

    def _Lambda(self, e: exp.Lambda) -> Expression:
        from pyspk.sql.expressions.higher_order import LambdaFunction, fresh_variable
        params = {p.name.lower(): fresh_variable(p.name, sql_name="namedlambdavariable()")
                  for p in e.expressions}
        self.lambda_scopes.append(params)
        try:
            body = self.convert(e.this)
        finally:
            self.lambda_scopes.pop()
        return LambdaFunction(body, tuple(params.values()))

    def _Column(self, e: exp.Column) -> Expression:
        parts = [p.name for p in e.parts]
        if len(parts) == 1:
            for scope in reversed(self.lambda_scopes):
                if parts[0].lower() in scope:
                    return scope[parts[0].lower()]
        if isinstance(e.this, exp.Star):
            return UnresolvedStar(tuple(parts[:-1]) or None)
        return UnresolvedAttribute(tuple(parts), origin=sql_origin(e.parts[0]))

    def _Star(self, e: exp.Star) -> Expression:
        return UnresolvedStar()

    def _Identifier(self, e: exp.Identifier) -> Expression:
        for scope in reversed(self.lambda_scopes):
            if e.name.lower() in scope:
                return scope[e.name.lower()]
        return UnresolvedAttribute((e.name,), origin=sql_origin(e))

    def _Dot(self, e: exp.Dot) -> Expression:
        if not isinstance(e.this, (exp.Column, exp.Identifier, exp.Dot)):
            # a field of a computed struct: ``window(ts, '5 seconds').start``
            from pyspk.sql.expressions.fn_collection import GetField
            return GetField(self.convert(e.this), e.name)
        parts = [p.name for p in e.flatten()] if hasattr(e, "flatten") else [e.this.name, e.name]
        return UnresolvedAttribute(tuple(parts))

    def _Literal(self, e: exp.Literal) -> Expression:
        if e.is_string:
            return Literal(e.this, T.StringType())
        text = e.this
        if any(c in text.lower() for c in ".e"):
            if "e" in text.lower():
                return Literal(float(text), T.DoubleType())
            if text.lower().endswith("d"):
                return Literal(float(text[:-1]), T.DoubleType())
            d = decimal.Decimal(text)
            return Literal.of(d)
        low = text.lower()
        if low.endswith("l"):
            return Literal(int(text[:-1]), T.LongType())
        if low.endswith("s"):
            return Literal(int(text[:-1]), T.ShortType())
        if low.endswith("y"):
            return Literal(int(text[:-1]), T.ByteType())
        if low.endswith("bd"):
            return Literal.of(decimal.Decimal(text[:-2]))
        v = int(text)
        if -(1 << 31) <= v < (1 << 31):
            return Literal(v, T.IntegerType())
        if -(1 << 63) <= v < (1 << 63):
            return Literal(v, T.LongType())
        return Literal.of(decimal.Decimal(v))

    def _Boolean(self, e: exp.Boolean) -> Expression:
        return Literal(bool(e.this), T.BooleanType())

    def _Null(self, e: exp.Null) -> Expression:
        return Literal(None, T.NullType())

    def _Placeholder(self, e: exp.Placeholder) -> Expression:
        from pyspk.sql.column import Column
        if e.this is not None:
            name = e.name
            if name not in self.params:
                raise ParseException(f"[UNBOUND_SQL_PARAMETER] Found the unbound parameter: {name}.",
                                     errorClass="UNBOUND_SQL_PARAMETER")
            v = self.params[name]
        else:
            v = self.positional.pop(0)
        if isinstance(v, Column):
            return v._expr
        return Literal.of(v)

    def _DPipe(self, e: exp.DPipe) -> Expression:
        return UnresolvedFunction("concat", (self.convert(e.this), self.convert(e.expression)))

    def _Paren(self, e: exp.Paren) -> Expression:
        return self.convert(e.this)

    def _Alias(self, e: exp.Alias) -> Expression:
        return Alias(self.convert(e.this), e.alias)

    def _Neg(self, e: exp.Neg) -> Expression:
        inner = self.convert(e.this)
        if isinstance(inner, Literal) and inner.value is not None and not isinstance(inner.value, bool):
            if isinstance(inner.dtype, T.LongType) and -inner.value == -2 ** 31 and \
                    isinstance(e.this, exp.Literal):
                return Literal(-2 ** 31, T.IntegerType())  # -2147483648 is an INT literal
            return Literal(-inner.value, inner.dtype)
        return Ar.UnaryMinus(inner)

    def _Not(self, e: exp.Not) -> Expression:
        return P.Not(self.convert(e.this))

    def _Is(self, e: exp.Is) -> Expression:
        target = e.expression
        if isinstance(target, exp.Null):
            return P.IsNull(self.convert(e.this))
        return P.EqualNullSafe(self.convert(e.this), self.convert(target))

    def _Between(self, e: exp.Between) -> Expression:
        v = self.convert(e.this)
        return P.And(P.GreaterThanOrEqual(v, self.convert(e.args["low"])),
                     P.LessThanOrEqual(v, self.convert(e.args["high"])))

    def _In(self, e: exp.In) -> Expression:
        value = self.convert(e.this)
        query = e.args.get("query")
        if query is not None:
            sub = query.this if isinstance(query, exp.Subquery) else query
            return InSubquery((value,), self.query(sub))
        return P.In(value, tuple(self.convert(x) for x in e.expressions))

    def _Like(self, e: exp.Like) -> Expression:
        out = P.Like(self.convert(e.this), self.convert(e.expression))
        return P.Not(out) if e.args.get("negate") else out

    def _ILike(self, e: exp.ILike) -> Expression:
        out = P.Like(self.convert(e.this), self.convert(e.expression), case_insensitive=True)
        return P.Not(out) if e.args.get("negate") else out

    def _Escape(self, e: exp.Escape) -> Expression:
        like = self.convert(e.this)
        esc = e.expression.this
        return like.__class__(like.child, like.pattern, esc, like.case_insensitive)

    def _RegexpLike(self, e: exp.RegexpLike) -> Expression:
        return P.RLike(self.convert(e.this), self.convert(e.expression))

    def _Case(self, e: exp.Case) -> Expression:
        base = e.this
        conds, vals = [], []
        for branch in e.args.get("ifs") or []:
            c = self.convert(branch.this)
            if base is not None:
                c = P.EqualTo(self.convert(base), c)
            conds.append(c)
            vals.append(self.convert(branch.args["true"]))
        default = e.args.get("default")
        return CaseWhen(tuple(conds), tuple(vals), self.convert(default) if default is not None else None)

    def _If(self, e: exp.If) -> Expression:
        false = e.args.get("false")
        return CaseWhen((self.convert(e.this),), (self.convert(e.args["true"]),),
                        self.convert(false) if false is not None else None)

    def _Cast(self, e: exp.Cast) -> Expression:
        if e.to.this == exp.DataType.Type.TIMESTAMP:
            # sqlglot reads to_timestamp(x) as CAST(x AS TIMESTAMP); TIMESTAMP '…' is TIMESTAMPTZ.
            return UnresolvedFunction("to_timestamp", (self.convert(e.this),))
        dt = sql_type(e.args["to"])
        inner = e.this
        if isinstance(inner, exp.Literal) and inner.is_string and \
                isinstance(dt, (T.DateType, T.TimestampType, T.TimestampNTZType)):
            return _typed_literal(inner.this, dt)
        if isinstance(inner, exp.Literal) and not inner.is_string and \
                isinstance(dt, (T.LongType, T.ShortType, T.ByteType, T.DoubleType, T.FloatType)) and \
                self.suffixed_literals:
            value = float(inner.this) if isinstance(dt, (T.DoubleType, T.FloatType)) else int(inner.this)
            return Literal(value, dt)
        return Cast(self.convert(inner), dt)

    def _TryCast(self, e: exp.TryCast) -> Expression:
        # sqlglot reads Spark's CAST(x AS t) as a TryCast without "safe", and typed literals
        # (TIMESTAMP '…') as Cast: only the latter fold into literals.
        if not e.args.get("safe"):
            inner = e.this
            if isinstance(inner, exp.Literal) and inner.is_string:
                return Cast(self.convert(inner), sql_type(e.args["to"]))
            return self._Cast(e)
        return Cast(self.convert(e.this), sql_type(e.args["to"]), try_=True)

    def _Interval(self, e: exp.Interval) -> Expression:
        value = e.this.this if isinstance(e.this, exp.Literal) else e.this.sql()
        unit = (e.args.get("unit").name if e.args.get("unit") is not None else "day").lower()
        return interval_literal(str(value), unit)

    def _Extract(self, e: exp.Extract) -> Expression:
        return UnresolvedFunction("extract", (Literal(e.this.name, T.StringType()),
                                              self.convert(e.expression)))

    def _Exists(self, e: exp.Exists) -> Expression:
        return Exists(self.query(e.this))

    def _Subquery(self, e: exp.Subquery) -> Expression:
        return ScalarSubquery(self.query(e.this))

    def _Select(self, e: exp.Select) -> Expression:
        return ScalarSubquery(self.query(e))

    def _Ordered(self, e: exp.Ordered) -> Expression:
        asc = not e.args.get("desc")
        nf = e.args.get("nulls_first")
        return SortOrder(self.convert(e.this), asc, bool(nf) if nf is not None else None)

    def _Distinct(self, e: exp.Distinct) -> Expression:
        raise ParseException("DISTINCT is only allowed inside an aggregate function",
                             errorClass="PARSE_SYNTAX_ERROR")

    def _Window(self, e: exp.Window) -> Expression:
        fn = self.convert(e.this)
        spec_src = e
        alias = e.args.get("alias")
        if alias is not None and not e.args.get("partition_by") and not e.args.get("order"):
            spec_src = self.windows.get(alias.name, e)
        partition = tuple(self.convert(p) for p in spec_src.args.get("partition_by") or [])
        order_node = spec_src.args.get("order")
        order = tuple(self.convert(o) for o in order_node.expressions) if order_node else ()
        frame = _frame(spec_src.args.get("spec"))
        if isinstance(fn, UnresolvedFunction) and e.args.get("ignore_nulls"):
            fn = UnresolvedFunction(fn.name, fn.args, fn.distinct, fn.is_star, None, True)
        return WindowExpression(fn, WindowSpecDefinition(partition, order, frame))

    def _IgnoreNulls(self, e: exp.IgnoreNulls) -> Expression:
        inner = self.convert(e.this)
        if isinstance(inner, UnresolvedFunction):
            return UnresolvedFunction(inner.name, inner.args, inner.distinct, inner.is_star, None, True)
        return inner

    def _Array(self, e: exp.Array) -> Expression:
        return UnresolvedFunction("array", tuple(self.convert(x) for x in e.expressions))

    def _Bracket(self, e: exp.Bracket) -> Expression:
        from pyspk.sql.column import _UnresolvedExtract
        key = self.convert(e.expressions[0])
        return _UnresolvedExtract(self.convert(e.this), key)

    def _Struct(self, e: exp.Struct) -> Expression:
        import re
        values, named = [], False
        for x in e.expressions:
            if isinstance(x, (exp.PropertyEQ, exp.EQ)) and isinstance(x.this, (exp.Identifier, exp.Column)):
                name = x.this.name
                if not re.fullmatch(r"col\d+", name):
                    named = True
                values.append((name, self.convert(x.expression)))
            elif isinstance(x, exp.Alias):
                named = True
                values.append((x.alias, self.convert(x.this)))
            else:
                values.append((None, self.convert(x)))
        if named:
            return UnresolvedFunction("struct", tuple(Alias(v, n) if n else v for n, v in values))
        return UnresolvedFunction("struct", tuple(v for _, v in values))

    def _Map(self, e: exp.Expression) -> Expression:
        keys, values = e.args.get("keys"), e.args.get("values")
        if isinstance(keys, exp.Array) and isinstance(values, exp.Array):
            args = []
            for k, v in zip(keys.expressions, values.expressions):
                args += [self.convert(k), self.convert(v)]
            return UnresolvedFunction("map", tuple(args))
        return UnresolvedFunction("map_from_arrays", (self.convert(keys), self.convert(values)))

    _VarMap = _Map

    def _JSONExtractScalar(self, e: exp.Expression) -> Expression:
        path = e.expression
        text = path.sql(dialect="spark").strip("'") if isinstance(path, exp.Expression) else str(path)
        return UnresolvedFunction("get_json_object", (self.convert(e.this), Literal(text, T.StringType())))

    _JSONExtract = _JSONExtractScalar

    def _TsOrDsToDate(self, e: exp.Expression) -> Expression:
        """sqlglot wraps date-function arguments in an implicit to_date; only ``safe`` nodes are
        the user's own ``to_date`` calls."""
        inner = self.convert(e.this)
        if not e.args.get("safe"):
            return UnresolvedFunction("__as_date", (inner,))
        fmt = e.args.get("format")
        if fmt is None:
            return UnresolvedFunction("to_date", (inner,))
        import re as _re
        m = _re.search(r",\s*'((?:[^']|'')*)'\)\s*$", e.sql(dialect="spark"))
        java = m.group(1) if m else fmt.name
        return UnresolvedFunction("to_date", (inner, Literal(java, T.StringType())))

    def _spark_format(self, e: exp.Expression) -> Literal:
        """The Java-style format literal of a date function, as Spark SQL text writes it."""
        import re as _re
        found = _re.findall(r"'((?:[^']|'')*)'", e.sql(dialect="spark"))
        return Literal(found[-1].replace("''", "'") if found else "", T.StringType())

    def _UnixToStr(self, e: exp.Expression) -> Expression:
        args = [self.convert(e.this)]
        if e.args.get("format") is not None and _re_last_string_arg(e.sql(dialect="spark")):
            args.append(self._spark_format(e))
        return UnresolvedFunction("from_unixtime", tuple(args))

    def _StrToUnix(self, e: exp.Expression) -> Expression:
        if e.this is None or isinstance(e.this, exp.CurrentTimestamp):
            return UnresolvedFunction("unix_timestamp", ())
        args = [self.convert(e.this)]
        if e.args.get("format") is not None and _re_last_string_arg(e.sql(dialect="spark")):
            args.append(self._spark_format(e))
        return UnresolvedFunction("unix_timestamp", tuple(args))

    def _AtTimeZone(self, e: exp.Expression) -> Expression:
        """sqlglot reads ``from_utc_timestamp(t, z)`` as ``t AT TIME ZONE z``."""
        return UnresolvedFunction("from_utc_timestamp", (self._unwrap_ts(e.this),
                                                         self.convert(e.args["zone"])))

    def _FromTimeZone(self, e: exp.Expression) -> Expression:
        """sqlglot reads ``to_utc_timestamp(t, z)`` as FromTimeZone."""
        return UnresolvedFunction("to_utc_timestamp", (self._unwrap_ts(e.this),
                                                       self.convert(e.args["zone"])))

    def _unwrap_ts(self, e: exp.Expression) -> Expression:
        # sqlglot wraps the argument in its own CAST(… AS TIMESTAMP); the function casts anyway.
        if isinstance(e, exp.Cast) and not isinstance(e, exp.TryCast) and \
                e.to.this == exp.DataType.Type.TIMESTAMP:
            return self.convert(e.this)
        return self.convert(e)

    def _TimeToStr(self, e: exp.Expression) -> Expression:
        return UnresolvedFunction("date_format", (self.convert(e.this), self._spark_format(e)))

    def _TimeStrToTime(self, e: exp.Expression) -> Expression:
        inner = self.convert(e.this)
        return UnresolvedFunction("__as_timestamp", (inner,))

    _TsOrDsToTimestamp = _TimeStrToTime

    def _StrToTime(self, e: exp.Expression) -> Expression:
        if e.args.get("format") is None:
            return UnresolvedFunction("to_timestamp", (self.convert(e.this),))
        return UnresolvedFunction("to_timestamp", (self.convert(e.this), self._spark_format(e)))

    def _StrToDate(self, e: exp.Expression) -> Expression:
        if e.args.get("format") is None:
            return UnresolvedFunction("to_date", (self.convert(e.this),))
        return UnresolvedFunction("to_date", (self.convert(e.this), self._spark_format(e)))

    def _DateTrunc(self, e: exp.Expression) -> Expression:
        text = e.sql(dialect="spark").upper()
        unit = e.args.get("unit")
        unit_lit = Literal(unit.name if isinstance(unit, (exp.Literal, exp.Var)) else "day", T.StringType())
        if text.startswith("TRUNC("):
            return UnresolvedFunction("trunc", (self.convert(e.this), unit_lit))
        return UnresolvedFunction("date_trunc", (unit_lit, self.convert(e.this)))

    _TimestampTrunc = _DateTrunc

    def _Tuple(self, e: exp.Tuple) -> Expression:
        return UnresolvedFunction("struct", tuple(self.convert(x) for x in e.expressions))

    def _Count(self, e: exp.Count) -> Expression:
        arg = e.this
        if arg is None or isinstance(arg, exp.Star):
            return UnresolvedFunction("count", (), is_star=True)
        if isinstance(arg, exp.Distinct):
            return UnresolvedFunction("count", tuple(self.convert(x) for x in arg.expressions),
                                      distinct=True)
        return UnresolvedFunction("count", (self.convert(arg),))

    def _ArraySort(self, e: exp.Expression) -> Expression:
        """sqlglot reads both ``sort_array(a[, asc])`` (nulls_first=True) and ``array_sort(a[,
        comparator])`` as ArraySort; they are different Spark functions."""
        nulls_first = e.args.get("nulls_first")
        if e.args.get("asc") is not None or isinstance(nulls_first, exp.Boolean) and nulls_first.this:
            asc = self.convert(e.args["asc"]) if e.args.get("asc") is not None \
                else Literal(True, T.BooleanType())
            return UnresolvedFunction("sort_array", (self.convert(e.this), asc))
        args = [self.convert(e.this)]
        if e.args.get("expression") is not None:
            args.append(self.convert(e.args["expression"]))
        return UnresolvedFunction("array_sort", tuple(args))

    def _Anonymous(self, e: exp.Anonymous) -> Expression:
        name = e.name.lower()
        args = e.expressions
        distinct = False
        if len(args) == 1 and isinstance(args[0], exp.Distinct):
            distinct = True
            args = args[0].expressions
        return UnresolvedFunction(name, tuple(self.convert(a) for a in args), distinct=distinct)

    def _function(self, e: exp.Func) -> Expression:
        name = spark_function_name(e)
        args: list[Expression] = []
        distinct = False
        for key in e.arg_types:
            v = e.args.get(key)
            if v is None or key == "unit":
                continue
            items = v if isinstance(v, list) else [v]
            for item in items:
                if isinstance(item, exp.Distinct):
                    distinct = True
                    args.extend(self.convert(x) for x in item.expressions)
                elif isinstance(item, exp.Expression):
                    args.append(self.convert(item))
                elif isinstance(item, bool):
                    continue
        return UnresolvedFunction(name, tuple(args), distinct=distinct)


def spark_function_name(e: exp.Func) -> str:
    """Spark's name for a sqlglot function node."""
    from pyspk.sql.expressions.registry import function_exists
    name = e.sql_name().lower() if not isinstance(e, exp.Anonymous) else e.name.lower()
    name = _NAME_FIXES.get(name, name)
    if function_exists(name):
        return name
    text = e.sql(dialect="spark")
    head = text.split("(", 1)[0].strip().lower()
    return head or name


def _bound(value: Any, side: str | None) -> int:
    if isinstance(value, str):
        v = value.upper()
        if v == "UNBOUNDED":
            return UNBOUNDED_PRECEDING if (side or "").lower() == "preceding" else UNBOUNDED_FOLLOWING
        if v == "CURRENT ROW":
            return CURRENT_ROW
    if isinstance(value, exp.Literal):
        n = int(value.this)
        return -n if (side or "").lower() == "preceding" else n
    if isinstance(value, exp.Var) and value.name.upper() == "CURRENT ROW":
        return CURRENT_ROW
    return CURRENT_ROW


def _frame(spec: exp.Expression | None) -> WindowFrame | None:
    if spec is None:
        return None
    kind = (spec.args.get("kind") or "rows").lower()
    lower = _bound(spec.args.get("start"), spec.args.get("start_side"))
    upper = _bound(spec.args.get("end"), spec.args.get("end_side"))
    return WindowFrame(kind, lower, upper)


def sql_type(dt: exp.DataType) -> T.DataType:
    """A Spark type from a sqlglot DataType node."""
    return parse_ddl_type(dt.sql(dialect="spark"))


def _re_last_string_arg(text: str) -> bool:
    """Whether a function call's SQL text ends with a quoted string argument."""
    import re
    return re.search(r",\s*'((?:[^']|'')*)'\)\s*$", text) is not None


def _typed_literal(text: str, dt: T.DataType) -> Literal:
    """``DATE '…'``/``TIMESTAMP '…'``/``TIMESTAMP_NTZ '…'``: a ``TIMESTAMP`` is read in the
    session time zone (unless the text names one) and kept as its UTC instant."""
    from pyspk.sql.expressions.datetime_parse import parse_dates, parse_timestamps
    from pyspk.sql.expressions.tz import py_utc_to_process, session_time_zone
    if isinstance(dt, T.DateType):
        value = parse_dates(pa.scalar(text, pa.string())).as_py()
    else:
        tz = session_time_zone() if isinstance(dt, T.TimestampType) else None
        value = parse_timestamps(pa.scalar(text, pa.string()), tz).as_py()
        if tz is not None and value is not None:
            value = py_utc_to_process(value)
    if value is None:
        kind = {T.DateType: "DATE", T.TimestampType: "TIMESTAMP"}.get(type(dt), "TIMESTAMP_NTZ")
        raise ParseException(
            f"[INVALID_TYPED_LITERAL] The value of the typed literal \"{kind}\" is invalid: "
            f"'{text}'. SQLSTATE: 42604", errorClass="INVALID_TYPED_LITERAL",
            messageParameters={"valueType": f'"{kind}"', "value": f"'{text}'"})
    return Literal(value, dt)


_DT_UNITS = {"day": 86400, "days": 86400, "hour": 3600, "hours": 3600, "minute": 60,
             "minutes": 60, "second": 1, "seconds": 1}


def interval_literal(value: str, unit: str) -> Literal:
    """``INTERVAL '3' MONTH`` and friends as year-month (months) or day-time literals."""
    unit = unit.lower()
    v = value.strip()
    if unit in ("year", "years"):
        return Literal(int(v) * 12, T.YearMonthIntervalType(0, 0))
    if unit in ("month", "months"):
        return Literal(int(v), T.YearMonthIntervalType(1, 1))
    if unit in _DT_UNITS:
        field = {"day": 0, "hour": 1, "minute": 2, "second": 3}[unit.rstrip("s")]
        return Literal(datetime.timedelta(seconds=float(v) * _DT_UNITS[unit]),
                       T.DayTimeIntervalType(field, field))
    raise ParseException(f"[INVALID_INTERVAL_FORMAT] Invalid interval unit {unit}",
                         errorClass="INVALID_INTERVAL_FORMAT")
