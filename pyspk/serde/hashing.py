"""``portable_hash``: a hash of keys that agrees across processes (given PYTHONHASHSEED), as
PySpark's, so hash partitioning places keys identically in every executor."""
from __future__ import annotations

import os
import sys
from typing import Any

_seed_fixed = False


def _require_fixed_seed() -> None:
    """String hashes differ per process unless PYTHONHASHSEED is set (executors set 0)."""
    global _seed_fixed
    if "PYTHONHASHSEED" in os.environ:
        _seed_fixed = True
        return
    from pyspk.errors import PySparkRuntimeError
    raise PySparkRuntimeError("Randomness of hash of string should be disabled via PYTHONHASHSEED",
                              errorClass="PYTHON_HASH_SEED_NOT_SET")


def portable_hash(x: Any) -> int:
    """Hash ``x``; tuples combine their items' hashes, None hashes to 0.

    >>> portable_hash(None)
    0
    """
    t = type(x)
    if t is int or t is float:
        return hash(x)
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
    if not _seed_fixed and isinstance(x, (str, bytes)):
        _require_fixed_seed()
    return hash(x)
