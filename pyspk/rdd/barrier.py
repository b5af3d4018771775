"""``RDD.barrier()``: a stage whose tasks all run at the same time and may wait for each other
through ``BarrierTaskContext`` (barrier execution mode)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from pyspk.rdd.rdd import RDD


class RDDBarrier:
    """Wraps an RDD so the next map runs as a barrier stage."""

    __module__ = "pyspk.core.rdd"  # its public home, as pyspark.core.rdd for PySpark

    def __init__(self, rdd: "RDD") -> None:
        self.rdd = rdd

    def mapPartitions(self, f: Callable[[Iterator[Any]], Iterable[Any]],
                      preservesPartitioning: bool = False) -> "RDD":
        def func(_: int, iterator: Iterator[Any]) -> Iterable[Any]:
            return f(iterator)
        return self.mapPartitionsWithIndex(func, preservesPartitioning)

    def mapPartitionsWithIndex(self, f: Callable[[int, Iterator[Any]], Iterable[Any]],
                               preservesPartitioning: bool = False) -> "RDD":
        from pyspk.rdd.kinds import PipelinedRDD
        return PipelinedRDD(self.rdd, f, preservesPartitioning, is_barrier=True)
