"""Spark SQL and DataFrames on Arrow: ``SparkSession``, ``DataFrame``, ``Column``, ``Row``, …

Names load on first use, so a program that only needs ``SparkSession`` (for its
``sparkContext``) does not pay for the Arrow expression engine's import, as in PySpark.
"""
from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "Row": "pyspk.sql.types",
    "SparkSession": "pyspk.sql.session",
    "Column": "pyspk.sql.column",
    "DataFrame": "pyspk.sql.dataframe",
    "GroupedData": "pyspk.sql.group",
    "Window": "pyspk.sql.window",
    "WindowSpec": "pyspk.sql.window",
    "Catalog": "pyspk.sql.catalog",
    "RuntimeConfig": "pyspk.sql.conf",
    "SQLContext": "pyspk.sql.context",
    "HiveContext": "pyspk.sql.context",
    "AnalysisException": "pyspk.errors",
}

__all__ = ["SparkSession", "DataFrame", "Column", "Row", "GroupedData", "Window", "WindowSpec",
           "Catalog", "RuntimeConfig", "AnalysisException", "SQLContext", "HiveContext"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pyspk.sql' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
