"""Threads that inherit the creating thread's job group and local properties, as PySpark's
``InheritableThread``, so jobs they start can be cancelled by group."""
from __future__ import annotations

import functools
import threading
from typing import Any, Callable


def _current_properties() -> dict[str, str]:
    from pyspk.context import SparkContext
    sc = SparkContext._active_spark_context
    return dict(sc._properties()) if sc is not None else {}


def _install_properties(props: dict[str, str]) -> None:
    from pyspk.context import SparkContext
    sc = SparkContext._active_spark_context
    if sc is not None:
        sc._properties().clear()
        sc._properties().update(props)


def inheritable_thread_target(f: Callable[..., Any] | None = None) -> Callable[..., Any]:
    """Wrap ``f`` so it runs with the local properties of the thread that wrapped it."""
    if f is None:
        return inheritable_thread_target
    props = _current_properties()

    @functools.wraps(f)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        _install_properties(props)
        return f(*args, **kwargs)
    return wrapped


class InheritableThread(threading.Thread):
    """A thread whose jobs carry the creating thread's local properties (job group, tags)."""

    def __init__(self, target: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        props = _current_properties()

        def run_with_props(*a: Any, **k: Any) -> Any:
            _install_properties(props)
            return target(*a, **k)
        super().__init__(*args, target=run_with_props, **kwargs)
