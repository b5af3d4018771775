"""Alias of ``pyspk.broadcast``, where PySpark 4 keeps it as ``pyspark.core.broadcast``."""
from pyspk.broadcast import Broadcast

__all__ = ["Broadcast"]
