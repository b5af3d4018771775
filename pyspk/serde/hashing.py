"""``portable_hash``: a hash of keys that agrees across processes (given PYTHONHASHSEED), as
PySpark's, so hash partitioning places keys identically in every executor."""
from __future__ import annotations

import os
import sys
from typing import Any



def portable_hash(x: Any) -> int:
    """Hash ``x``; tuples combine their items' hashes, None hashes to 0.

    >>> portable_hash(None)
    0
    """
    if "PYTHONHASHSEED" not in os.environ and isinstance(x, (str, bytes)):
        from pyspk.errors import PySparkRuntimeError
        raise PySparkRuntimeError("Randomness of hash of string should be disabled via PYTHONHASHSEED",
                                  errorClass="PYTHON_HASH_SEED_NOT_SET")
    if x is None:
        return 0
    if isinstance(x, tuple):
        h = 0x345678
        for item in x:
            h ^= portable_hash(item)
            h *= 1000003
            h &= sys.maxsize
        h ^= len(x)
        if h == -1:
            h = -2
        return int(h)
    return hash(x)
