"""The RDD API (``pyspk.rdd`` mirrors ``pyspark.rdd``)."""
from pyspk.rdd.approx import BoundedFloat
from pyspk.rdd.barrier import RDDBarrier
from pyspk.rdd.partitioner import Partitioner
from pyspk.rdd.rdd import RDD
from pyspk.rdd.resultiterable import ResultIterable
from pyspk.rdd.stats import StatCounter
from pyspk.serde.hashing import portable_hash
from pyspk.storagelevel import StorageLevel

__all__ = ["BoundedFloat", "RDD", "RDDBarrier", "Partitioner", "ResultIterable", "StatCounter", "portable_hash", "StorageLevel"]
