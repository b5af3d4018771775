"""DataSketches column functions: HLL, theta, KLL and tuple sketches (``hll_sketch_agg``, …).

Optional arguments left out are left to the engine, which fills Spark's defaults."""
from __future__ import annotations

from typing import Any

from pyspk.sql.column import Column, col_or_name, to_expr
from pyspk.sql.expressions.base import UnresolvedFunction

ColumnOrName = Any


def _call(name: str, cols: tuple, opts: tuple = ()) -> Column:
    args = tuple(col_or_name(c) for c in cols)
    given = list(opts)
    while given and given[-1] is None:
        given.pop()
    return Column(UnresolvedFunction(name, args + tuple(to_expr(o) for o in given)))


def hll_sketch_agg(col: ColumnOrName, lgConfigK: Any = None) -> Column:
    return _call("hll_sketch_agg", (col,), (lgConfigK,))


def hll_union_agg(col: ColumnOrName, allowDifferentLgConfigK: Any = None) -> Column:
    return _call("hll_union_agg", (col,), (allowDifferentLgConfigK,))


def hll_sketch_estimate(col: ColumnOrName) -> Column:
    return _call("hll_sketch_estimate", (col,))


def hll_union(col1: ColumnOrName, col2: ColumnOrName, allowDifferentLgConfigK: Any = None) -> Column:
    return _call("hll_union", (col1, col2), (allowDifferentLgConfigK,))


def theta_sketch_agg(col: ColumnOrName, lgNomEntries: Any = None) -> Column:
    return _call("theta_sketch_agg", (col,), (lgNomEntries,))


def theta_union_agg(col: ColumnOrName, lgNomEntries: Any = None) -> Column:
    return _call("theta_union_agg", (col,), (lgNomEntries,))


def theta_intersection_agg(col: ColumnOrName) -> Column:
    return _call("theta_intersection_agg", (col,))


def theta_sketch_estimate(col: ColumnOrName) -> Column:
    return _call("theta_sketch_estimate", (col,))


def theta_union(col1: ColumnOrName, col2: ColumnOrName, lgNomEntries: Any = None) -> Column:
    return _call("theta_union", (col1, col2), (lgNomEntries,))


def theta_intersection(col1: ColumnOrName, col2: ColumnOrName) -> Column:
    return _call("theta_intersection", (col1, col2))


def theta_difference(col1: ColumnOrName, col2: ColumnOrName) -> Column:
    return _call("theta_difference", (col1, col2))


__all__ = ["hll_sketch_agg", "hll_union_agg", "hll_sketch_estimate", "hll_union",
           "theta_sketch_agg", "theta_union_agg", "theta_intersection_agg",
           "theta_sketch_estimate", "theta_union", "theta_intersection", "theta_difference"]


def _define(name: str, cols: int, opts: tuple[str, ...] = ()) -> None:
    def fn(*args: Any, **kwargs: Any) -> Column:
        values = list(args) + [kwargs.get(o) for o in opts[len(args) - cols:]] \
            if len(args) >= cols else list(args) + [kwargs.get(o) for o in opts]
        return _call(name, tuple(values[:cols]), tuple(values[cols:]))
    fn.__name__ = name
    fn.__doc__ = f"Spark's ``{name}``."
    globals()[name] = fn
    __all__.append(name)


for _kind in ("bigint", "float", "double"):
    _define(f"kll_sketch_agg_{_kind}", 1, ("k",))
    _define(f"kll_merge_agg_{_kind}", 1, ("k",))
    _define(f"kll_sketch_to_string_{_kind}", 1)
    _define(f"kll_sketch_get_n_{_kind}", 1)
    _define(f"kll_sketch_merge_{_kind}", 2)
    _define(f"kll_sketch_get_quantile_{_kind}", 2)
    _define(f"kll_sketch_get_rank_{_kind}", 2)
for _suffix in ("double", "integer"):
    _define(f"tuple_sketch_agg_{_suffix}", 2, ("lgNomEntries", "mode"))
    _define(f"tuple_union_agg_{_suffix}", 1, ("lgNomEntries", "mode"))
    _define(f"tuple_intersection_agg_{_suffix}", 1, ("mode",))
    _define(f"tuple_sketch_estimate_{_suffix}", 1)
    _define(f"tuple_sketch_summary_{_suffix}", 1, ("mode",))
    _define(f"tuple_sketch_theta_{_suffix}", 1)
    _define(f"tuple_union_{_suffix}", 2, ("lgNomEntries", "mode"))
    _define(f"tuple_union_theta_{_suffix}", 2, ("lgNomEntries", "mode"))
    _define(f"tuple_intersection_{_suffix}", 2, ("mode",))
    _define(f"tuple_intersection_theta_{_suffix}", 2, ("mode",))
    _define(f"tuple_difference_{_suffix}", 2)
    _define(f"tuple_difference_theta_{_suffix}", 2)
