"""Alias of ``pyspk.files``, where PySpark 4 keeps it as ``pyspark.core.files``."""
from pyspk.files import SparkFiles

__all__ = ["SparkFiles"]
