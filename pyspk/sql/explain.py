"""``DataFrame.explain``: the parsed, analyzed, optimized and physical plans as text, laid out as
Spark lays them out (``:-``/``+-`` trees, ``formatted`` mode's numbered operators)."""
from __future__ import annotations

from typing import Any, Callable, Iterator

_MODES = ("simple", "extended", "codegen", "cost", "formatted")


def explain_string(df: Any, extended: Any, mode: str | None) -> str:
    from pyspk.errors import PySparkValueError
    from pyspk.sql.optimizer import optimize
    if isinstance(extended, str):
        mode, extended = extended, None
    mode = (mode or ("extended" if extended else "simple")).lower()
    if mode not in _MODES:
        raise PySparkValueError(
            f"[UNKNOWN_EXPLAIN_MODE] explain mode `{mode}` is not supported; use one of "
            f"{', '.join(_MODES)}.", errorClass="UNKNOWN_EXPLAIN_MODE",
            messageParameters={"explain_mode": mode})
    analyzed = df._plan
    optimized = optimize(analyzed)
    physical = physical_plan(df._session, optimized, analyzed)
    if mode == "formatted":
        return "== Physical Plan ==\n" + formatted(physical) + "\n"
    text = "== Physical Plan ==\n" + tree_string(physical, _physical_line, _physical_children) + "\n"
    if mode == "simple":
        return text + "\n"
    if mode == "codegen":
        return "Found 0 WholeStageCodegen subtrees.\n"
    logical = tree_string(optimized, _logical_line, lambda p: p.children())
    if mode == "cost":
        return "== Optimized Logical Plan ==\n" + logical + "\n\n" + text + "\n"
    analyzed_tree = tree_string(analyzed, _logical_line, lambda p: p.children())
    return ("== Parsed Logical Plan ==\n" + analyzed_tree +
            "\n\n== Analyzed Logical Plan ==\n" +
            ", ".join(f"{a.name}: {a.data_type.simpleString()}" for a in analyzed.output) +
            "\n" + analyzed_tree + "\n\n== Optimized Logical Plan ==\n" + logical + "\n\n" + text + "\n")


def physical_plan(session: Any, optimized: Any, analyzed: Any = None) -> Any:
    """The operators that will run: exchanges only when the plan runs as distributed stages;
    after a run with adaptive execution, the final plan with its coalesced shuffle reads."""
    from pyspk.sql.execution.runner import _distributed, adaptive_reads, broadcast_threshold
    from pyspk.sql.plan.physical import PhysicalPlanner
    executor = _distributed(session, optimized)
    partitions = int(session.conf.get("spark.sql.shuffle.partitions", "200"))
    adaptive = str(session.conf.get("spark.sql.adaptive.enabled", "true")).lower() == "true"
    final = adaptive_reads(session, analyzed) if analyzed is not None and adaptive else None
    return PhysicalPlanner(executor is not None, partitions, adaptive,
                           broadcast_threshold(session), final).plan(optimized)


def tree_string(root: Any, line: Callable[[Any], str], children: Callable[[Any], list]) -> str:
    """Spark's TreeNode layout: ``:- `` before every child but the last, ``+- `` before the last,
    with ``:  `` continuing the branches still open above."""
    out: list[str] = []

    def visit(node: Any, last: list[bool]) -> None:
        prefix = "".join("   " if done else ":  " for done in last[:-1])
        if last:
            prefix += "+- " if last[-1] else ":- "
        out.append(prefix + line(node))
        kids = children(node)
        for i, kid in enumerate(kids):
            visit(kid, last + [i == len(kids) - 1])

    visit(root, [])
    return "\n".join(out)


def _logical_line(p: Any) -> str:
    from pyspk.sql.plan import logical as L
    from pyspk.sql.plan.physical import _list, shown
    if isinstance(p, L.Project):
        args = _list(p.project_list)
    elif isinstance(p, L.Filter):
        args = shown(p.condition)
    elif isinstance(p, L.Aggregate):
        args = f"{_list(p.grouping)}, {_list(p.aggregates)}"
    elif isinstance(p, L.Join):
        jt = p.join_type.title().replace("_", "")
        args = jt + (f", {shown(p.condition)}" if p.condition is not None else "")
    elif isinstance(p, L.Sort):
        args = f"{_list(p.order)}, {str(p.is_global).lower()}"
    elif isinstance(p, (L.LocalRelation, L.RDDRelation, L.FileScan)):
        args = p.arg_string()
    else:
        args = p.arg_string()
    name = {"LocalRelation": "LocalRelation", "FileScan": "Relation", "RDDRelation": "LogicalRDD",
            "Limit": "GlobalLimit", "OffsetRows": "Offset"}.get(p.node_name(), p.node_name())
    return f"{name} {args}".rstrip()


_NO_SPACE = ("HashAggregate", "TakeOrderedAndProject")


def _physical_line(n: Any) -> str:
    sep = "" if n.name in _NO_SPACE else " "
    return f"{n.name}{sep}{n.args}".rstrip()


def _physical_children(n: Any) -> list:
    return n.children


def _post_order(n: Any) -> Iterator[Any]:
    for c in n.children:
        yield from _post_order(c)
    yield n


def formatted(root: Any) -> str:
    """``explain("formatted")``: the operator tree with numbers, then each operator's details."""
    ids = {id(n): i for i, n in enumerate(_post_order(root), 1)}
    tree = tree_string(root, lambda n: f"{n.name} ({ids[id(n)]})", _physical_children)
    sections = []
    from pyspk.sql.plan.physical import _keys
    for n in _post_order(root):
        lines = [f"({ids[id(n)]}) {n.name}"]
        details = list(n.details)
        if not any(k == "Output" for k, _ in details):
            details.insert(0, ("Output", _keys(n.output)))
        for key, value in details:
            count = _items(value) if key in _COUNTED else None
            lines.append(f"{key} [{count}]: {value}" if count is not None else f"{key}: {value}")
        sections.append("\n".join(lines))
    return tree + "\n\n\n" + "\n\n".join(sections) + "\n"


_COUNTED = {"Output", "Input", "Keys", "Functions", "Aggregate Attributes", "Results", "Left keys",
            "Right keys"}


def _items(value: str) -> int | None:
    """How many top-level items a ``[a, b(c, d)]`` list holds, or None for other values."""
    if not (value.startswith("[") and value.endswith("]")):
        return None
    inner = value[1:-1].strip()
    if not inner:
        return 0
    depth, count = 0, 1
    for ch in inner:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            count += 1
    return count
