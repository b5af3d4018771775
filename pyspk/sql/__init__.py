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
    "Observation": "pyspk.sql.observation",
    "DataFrameReader": "pyspk.sql.readwriter",
    "DataFrameWriter": "pyspk.sql.readwriter",
    "DataFrameWriterV2": "pyspk.sql.dataframe_more",
    "DataFrameNaFunctions": "pyspk.sql.na",
    "DataFrameStatFunctions": "pyspk.sql.stat",
    "UDFRegistration": "pyspk.sql.udf",
    "PandasCogroupedOps": "pyspk.sql.pandas.group_ops",
}

__all__ = ["SparkSession", "DataFrame", "Column", "Row", "GroupedData", "Window", "WindowSpec",
           "Catalog", "RuntimeConfig", "AnalysisException", "SQLContext", "HiveContext",
           "Observation", "DataFrameReader", "DataFrameWriter", "DataFrameWriterV2",
           "DataFrameNaFunctions", "DataFrameStatFunctions", "UDFRegistration", "PandasCogroupedOps"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pyspk.sql' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
