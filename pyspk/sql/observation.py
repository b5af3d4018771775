"""``Observation`` and ``DataFrame.observe``: named aggregate metrics computed over the rows that
flow through a point of a query while an action runs."""
from __future__ import annotations

import threading
import uuid
from typing import Any, Callable

from pyspk.errors import AnalysisException, PySparkAssertionError, PySparkTypeError, PySparkValueError


class Observation:
    """Holds the metrics of one observed DataFrame; ``get`` waits for its first action."""

    def __init__(self, name: str | None = None) -> None:
        if name is not None:
            if not isinstance(name, str):
                raise PySparkTypeError(
                    f"[NOT_STR] Argument `name` should be a str, got {type(name).__name__}.",
                    errorClass="NOT_STR")
            if name == "":
                raise PySparkValueError("[VALUE_NOT_NON_EMPTY_STR] Value for `name` must be a "
                                        "non-empty string, got ''.", errorClass="VALUE_NOT_NON_EMPTY_STR")
        self._name = name or str(uuid.uuid4())
        self._used = False
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._result: dict[str, Any] | None = None
        self._pending: tuple[tuple, Callable[[], Any]] | None = None

    def _attach(self) -> None:
        if self._used:
            raise PySparkAssertionError("[REUSE_OBSERVATION] An Observation can be used with a "
                                        "DataFrame only once.", errorClass="REUSE_OBSERVATION")
        self._used = True

    def record(self, metrics: tuple, table: Any) -> None:
        """The aggregated metrics (a one-row Arrow table keyed by the metrics' attributes)."""
        from pyspk.sql._arrow_types import arrow_column_to_python
        from pyspk.sql.plan.logical import named_to_attribute
        values = {}
        for m in metrics:
            a = named_to_attribute(m)
            col = arrow_column_to_python(table.column(a.key), a.data_type)
            values[a.name] = col[0] if col else None
        with self._lock:
            if self._result is None:
                self._result = values
        self._done.set()

    def defer(self, metrics: tuple, finish: Callable[[], Any]) -> None:
        """Metrics whose last step runs when they are read (after the action's tasks added theirs)."""
        with self._lock:
            if self._result is None:
                self._pending = (metrics, finish)
        self._done.set()

    @property
    def get(self) -> dict[str, Any]:
        self._done.wait()
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None:
            self.record(pending[0], pending[1]())
        return dict(self._result or {})


def observe(df: Any, observation: Any, exprs: tuple) -> Any:
    """``df.observe(observation | name, *exprs)``: the same rows, with metrics collected."""
    from pyspk.sql.column import Column
    from pyspk.sql.plan import logical as L
    if not exprs:
        raise PySparkValueError("[CANNOT_BE_EMPTY] At least one exprs must be specified.",
                                errorClass="CANNOT_BE_EMPTY")
    if not all(isinstance(e, Column) for e in exprs):
        raise PySparkTypeError("[NOT_LIST_OF_COLUMN] Argument `exprs` should be a list of Column.",
                               errorClass="NOT_LIST_OF_COLUMN")
    if isinstance(observation, str):
        name, sink = observation, Observation(observation)
    elif isinstance(observation, Observation):
        name, sink = observation._name, observation
    else:
        raise PySparkTypeError(
            f"[NOT_LIST_OF_COLUMN] Argument `observation` should be an Observation or a str, got "
            f"{type(observation).__name__}.", errorClass="NOT_OBSERVATION_OR_STR")
    sink._attach()
    plan = L.CollectMetrics(name, tuple(e._expr for e in exprs), df._plan, sink)
    observed = df._new(plan)
    _check_metrics(observed._plan)
    if isinstance(observed._plan, L.CollectMetrics):
        import dataclasses
        from pyspk.sql.analyzer import ensure_named
        observed._plan = dataclasses.replace(
            observed._plan, metrics=tuple(ensure_named(m) for m in observed._plan.metrics))
    return observed


def _check_metrics(plan: Any) -> None:
    from pyspk.sql.expressions.aggregates import AggregateFunction
    from pyspk.sql.expressions.base import AttributeReference
    from pyspk.sql.plan import logical as L
    node = plan
    while not isinstance(node, L.CollectMetrics):
        node = node.children()[0]

    def bare(e: Any) -> AttributeReference | None:
        if isinstance(e, AggregateFunction):
            return None
        if isinstance(e, AttributeReference):
            return e
        for c in e.children():
            found = bare(c)
            if found is not None:
                return found
        return None
    for m in node.metrics:
        attr = bare(m)
        if attr is not None:
            raise AnalysisException(
                f"[INVALID_OBSERVED_METRICS.NON_AGGREGATE_FUNC_ARG_IS_ATTRIBUTE] Invalid observed "
                f"metrics. Attribute \"{attr.name}\" can only be used as an argument to an "
                "aggregate function. SQLSTATE: 42K0E",
                errorClass="INVALID_OBSERVED_METRICS.NON_AGGREGATE_FUNC_ARG_IS_ATTRIBUTE",
                sqlState="42K0E")
