"""Alias of ``pyspk.context``, where PySpark 4 keeps it as ``pyspark.core.context``."""
from pyspk.context import SparkContext

__all__ = ["SparkContext"]
