"""Alias of ``pyspk.rdd``, where PySpark 4 keeps it as ``pyspark.core.rdd``."""
from pyspk.rdd import (RDD, BoundedFloat, Partitioner, RDDBarrier, ResultIterable, StatCounter,
                       portable_hash)

__all__ = ["RDD", "BoundedFloat", "Partitioner", "RDDBarrier", "ResultIterable", "StatCounter",
           "portable_hash"]
