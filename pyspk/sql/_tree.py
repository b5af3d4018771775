"""Generic traversal of frozen-dataclass trees (expressions, logical plans): a node's children
are the fields, or items of tuple fields, of the node's own kind."""
from __future__ import annotations

import dataclasses
from typing import Any, Callable, TypeVar

N = TypeVar("N")


def children_of(node: Any, kind: type) -> list:
    """The ``kind`` nodes held directly in ``node``'s fields, in field order."""
    out: list = []
    for f in dataclasses.fields(node):
        v = getattr(node, f.name)
        if isinstance(v, kind):
            out.append(v)
        elif isinstance(v, tuple):
            out.extend(x for x in v if isinstance(x, kind))
    return out


def map_children_of(node: N, kind: type, fn: Callable[[Any], Any]) -> N:
    """``node`` with ``fn`` applied to each ``kind`` child; the same object when nothing
    changed, so rules can tell a no-op by identity."""
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(node):  # type: ignore[arg-type]
        v = getattr(node, f.name)
        if isinstance(v, kind):
            nv = fn(v)
            if nv is not v:
                changes[f.name] = nv
        elif isinstance(v, tuple) and any(isinstance(x, kind) for x in v):
            nt = tuple(fn(x) if isinstance(x, kind) else x for x in v)
            if any(a is not b for a, b in zip(nt, v)):
                changes[f.name] = nt
    return dataclasses.replace(node, **changes) if changes else node  # type: ignore[type-var]
