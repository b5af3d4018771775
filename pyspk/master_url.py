"""Parsing of master URLs: ``local``, ``local[N]``, ``local[*]``, ``local[N,F]``,
``local-cluster[W,C,M]`` and ``spark://host:port[,host:port]``."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from pyspk.errors import PySparkValueError

_LOCAL = re.compile(r"^local(?:\[(\*|\d+)(?:\s*,\s*(\d+))?\])?$")
_LOCAL_CLUSTER = re.compile(r"^local-cluster\[\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\]$")
_SPARK = re.compile(r"^spark://([^\s/]+:\d+(?:,[^\s/]+:\d+)*)$")


@dataclass(frozen=True)
class MasterURL:
    """A parsed master URL."""

    kind: str
    threads: int = 1
    max_failures: int = 1
    workers: int = 0
    cores_per_worker: int = 0
    memory_mb: int = 0
    address: str = ""


def parse_master(url: str) -> MasterURL:
    """The master URL's parts; anything else raises naming the URL."""
    url = (url or "").strip()
    m = _LOCAL.match(url)
    if m:
        if m.group(1) == "*":
            n = os.cpu_count() or 1
        else:
            n = int(m.group(1)) if m.group(1) else 1
        if n < 1:
            raise PySparkValueError(f"Asked to run locally with {n} threads",
                                    errorClass="INVALID_MASTER_URL")
        return MasterURL("local", threads=n, max_failures=int(m.group(2)) if m.group(2) else 1)
    m = _LOCAL_CLUSTER.match(url)
    if m:
        return MasterURL("local-cluster", workers=int(m.group(1)), cores_per_worker=int(m.group(2)),
                         memory_mb=int(m.group(3)))
    m = _SPARK.match(url)
    if m:
        return MasterURL("spark", address=m.group(1))
    raise PySparkValueError(f"Could not parse Master URL: '{url}'",
                            errorClass="INVALID_MASTER_URL", messageParameters={"url": url})
