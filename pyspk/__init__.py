"""pyspk: Apache Spark's Python API on a pure-Python engine (ZeroMQ + Arrow, no JVM)."""
from __future__ import annotations

from typing import Any

from pyspk.version import __version__

_LAZY = {
    "SparkConf": "pyspk.conf",
    "SparkContext": "pyspk.context",
    "RDD": "pyspk.rdd",
    "StorageLevel": "pyspk.storagelevel",
    "TaskContext": "pyspk.taskcontext",
    "SparkFiles": "pyspk.files",
    "Broadcast": "pyspk.broadcast",
    "Accumulator": "pyspk.accumulators",
    "AccumulatorParam": "pyspk.accumulators",
    "StatusTracker": "pyspk.status",
    "SparkJobInfo": "pyspk.status",
    "SparkStageInfo": "pyspk.status",
    "Partitioner": "pyspk.rdd",
    "StatCounter": "pyspk.rdd",
    "InheritableThread": "pyspk.util",
    "BarrierTaskContext": "pyspk.taskcontext",
    "BarrierTaskInfo": "pyspk.taskcontext",
    "inheritable_thread_target": "pyspk.util",
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pyspk' has no attribute {name!r}")
    import importlib
    return getattr(importlib.import_module(module), name)
