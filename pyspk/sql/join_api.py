"""Build the Join plan for ``df.join(other, on, how)``: join types by Spark's names and aliases,
``on`` as column names (USING: one output column per key), a Column, or a list of either."""
from __future__ import annotations

from typing import Any

from pyspk.errors import AnalysisException, PySparkValueError
from pyspk.sql.column import Column
from pyspk.sql.expressions.base import Alias, AttributeReference, Expression
from pyspk.sql.expressions.conditional import Coalesce
from pyspk.sql.expressions.predicates import And, EqualTo
from pyspk.sql.plan import logical as L

JOIN_TYPES = {
    "inner": "inner", "cross": "cross", "outer": "full", "full": "full", "fullouter": "full",
    "full_outer": "full", "left": "left", "leftouter": "left", "left_outer": "left",
    "right": "right", "rightouter": "right", "right_outer": "right", "semi": "left_semi",
    "leftsemi": "left_semi", "left_semi": "left_semi", "anti": "left_anti",
    "leftanti": "left_anti", "left_anti": "left_anti",
}


def join_type(how: str | None) -> str:
    key = (how or "inner").lower().replace(" ", "")
    if key not in JOIN_TYPES:
        raise PySparkValueError(
            f"[UNSUPPORTED_JOIN_TYPE] Unsupported join type: '{how}'. Supported join types "
            "include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', "
            "'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', "
            "'leftanti', 'left_anti', 'anti', 'cross'.", errorClass="UNSUPPORTED_JOIN_TYPE")
    return JOIN_TYPES[key]


def _find(plan: L.LogicalPlan, name: str, side: str) -> AttributeReference:
    matches = [a for a in plan.output if a.name.lower() == name.lower()]
    if not matches:
        raise AnalysisException(
            f"[UNRESOLVED_USING_COLUMN_FOR_JOIN] USING column `{name}` cannot be resolved on the "
            f"{side} side of the join. The {side}-side columns: "
            f"[{', '.join('`' + a.name + '`' for a in plan.output)}]. SQLSTATE: 42703",
            errorClass="UNRESOLVED_USING_COLUMN_FOR_JOIN")
    return matches[0]


def build_join(df: Any, other: Any, on: Any, how: str | None) -> L.LogicalPlan:
    jt = join_type(how)
    left, right = df._plan, other._plan
    if on is None:
        return L.Join(left, right, "cross" if jt == "inner" else jt, None)
    items = on if isinstance(on, (list, tuple)) else [on]
    if all(isinstance(x, str) for x in items):
        return _using_join(df, other, list(items), jt)
    cond: Expression | None = None
    for x in items:
        e = x._expr if isinstance(x, Column) else None
        if e is None:
            raise PySparkValueError("join condition must be a Column or column names",
                                    errorClass="NOT_COLUMN_OR_STR")
        cond = e if cond is None else And(cond, e)
    return L.Join(left, right, jt if jt != "cross" else "inner", cond)


def _using_join(df: Any, other: Any, names: list[str], jt: str) -> L.LogicalPlan:
    from pyspk.sql.analyzer import _dedup_join
    join = _dedup_join(L.Join(df._plan, other._plan, "inner", None))
    left, right = join.left, join.right
    lkeys = [_find(left, n, "left") for n in names]
    rkeys = [_find(right, n, "right") for n in names]
    cond: Expression | None = None
    for a, b in zip(lkeys, rkeys):
        eq = EqualTo(a, b)
        cond = eq if cond is None else And(cond, eq)
    join = L.Join(left, right, "inner" if jt == "cross" else jt, cond)
    key_ids = {a.expr_id for a in lkeys} | {b.expr_id for b in rkeys}
    if jt in ("left_semi", "left_anti"):
        return join
    out: list[Expression] = []
    for a, b in zip(lkeys, rkeys):
        if jt == "right":
            out.append(b)
        elif jt == "full":
            out.append(Alias(Coalesce((a, b)), a.name))
        else:
            out.append(a)
    out += [a for a in left.output if a.expr_id not in key_ids]
    out += [b for b in right.output if b.expr_id not in key_ids]
    return L.Project(tuple(out), join)
