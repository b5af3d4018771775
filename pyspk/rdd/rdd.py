"""``RDD``: PySpark's resilient distributed dataset, assembled from its operation groups."""
from __future__ import annotations

import os
import sys

from pyspk.rdd.actions import Actions
from pyspk.rdd.base import RDDBase
from pyspk.rdd.hadoop import HadoopOutput
from pyspk.rdd.output import Output
from pyspk.rdd.pair import PairOps
from pyspk.rdd.transforms import Transforms


class RDD(RDDBase, Transforms, PairOps, Actions, Output, HadoopOutput):
    """A lazily evaluated, partitioned collection of Python objects.

    >>> sc.parallelize([1, 2, 3, 4], 2).map(lambda x: x * 2).collect()  # doctest: +SKIP
    [2, 4, 6, 8]
    """

    def _call_site(self, action: str) -> str:
        return f"{action} at {call_site()}"


def call_site() -> str:
    """``file:line`` of the innermost caller outside pyspk (Spark names stages by it)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame = sys._getframe(1)
    while frame is not None:
        path = os.path.abspath(frame.f_code.co_filename)
        if not path.startswith(root):
            return f"{os.path.basename(path)}:{frame.f_lineno}"
        frame = frame.f_back  # type: ignore[assignment]
    return "<unknown>:0"
