"""Spark SQL and DataFrames on Arrow: ``SparkSession``, ``DataFrame``, ``Column``, ``Row``, …"""
from __future__ import annotations

from pyspk.sql.types import Row
from pyspk.sql.session import SparkSession
from pyspk.sql.column import Column
from pyspk.sql.dataframe import DataFrame
from pyspk.sql.group import GroupedData
from pyspk.sql.window import Window, WindowSpec
from pyspk.sql.catalog import Catalog
from pyspk.sql.conf import RuntimeConfig
from pyspk.sql.context import SQLContext, HiveContext
from pyspk.errors import AnalysisException

__all__ = ["SparkSession", "DataFrame", "Column", "Row", "GroupedData", "Window", "WindowSpec",
           "Catalog", "RuntimeConfig", "AnalysisException", "SQLContext", "HiveContext"]
