"""``DataFrame.explain``: the parsed, analyzed, optimized and physical plans as text."""
from __future__ import annotations

from typing import Any


def explain_string(df: Any, extended: Any, mode: str | None) -> str:
    from pyspk.sql.optimizer import optimize
    if isinstance(extended, str):
        mode, extended = extended, None
    mode = (mode or ("extended" if extended else "simple")).lower()
    analyzed = df._plan
    optimized = optimize(analyzed)
    physical = "== Physical Plan ==\n" + _physical(optimized)
    if mode == "simple":
        return physical + "\n"
    if mode in ("extended", "cost"):
        return ("== Parsed Logical Plan ==\n" + analyzed.tree_string() +
                "\n\n== Analyzed Logical Plan ==\n" +
                ", ".join(f"{a.name}: {a.data_type.simpleString()}" for a in analyzed.output) +
                "\n" + analyzed.tree_string() +
                "\n\n== Optimized Logical Plan ==\n" + optimized.tree_string() + "\n\n" + physical + "\n")
    if mode == "codegen":
        return "Found 0 WholeStageCodegen subtrees.\n"
    if mode == "formatted":
        return physical + "\n"
    raise ValueError(f"unknown explain mode {mode}")


_PHYSICAL = {"Project": "Project", "Filter": "Filter", "Aggregate": "HashAggregate",
             "Join": "HashJoin", "Sort": "Sort", "Limit": "CollectLimit", "Union": "Union",
             "LocalRelation": "LocalTableScan", "Range": "Range", "FileScan": "FileScan",
             "Window": "Window", "Generate": "Generate", "Deduplicate": "HashAggregate",
             "CachedRelation": "InMemoryTableScan"}


def _physical(plan: Any, depth: int = 0) -> str:
    from pyspk.sql.plan import logical as L
    if isinstance(plan, L.SubqueryAlias):
        return _physical(plan.child, depth)
    name = _PHYSICAL.get(type(plan).__name__, type(plan).__name__)
    pad = "" if depth == 0 else "   " * (depth - 1) + "+- "
    line = f"{pad}{name} {plan.arg_string()}".rstrip()
    return "\n".join([line] + [_physical(c, depth + 1) for c in plan.children()])
