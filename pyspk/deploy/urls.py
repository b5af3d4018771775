"""Master URLs, the shapes of the ids that become directory names, and the size bound shared by
every cluster-plane socket."""
from __future__ import annotations

import re

from pyspk.errors import ConfigError

MAX_MESSAGE_BYTES = 4 << 20

APP_ID = re.compile(r"app-\d{14}-\d{4,}")
_PATH_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def is_path_part(name: str) -> bool:
    """Whether ``name`` is safe as one directory name (no separators, not ``.``/``..``)."""
    return bool(_PATH_PART.fullmatch(name)) and len(name) <= 200


def master_address(master_url: str) -> str:
    """``spark://host:port`` as the ZeroMQ address ``tcp://host:port``."""
    rest = master_url[len("spark://"):].rstrip("/") if master_url.startswith("spark://") else ""
    if "," in rest:
        raise ConfigError("Several masters (ZooKeeper HA) are not supported",
                          errorClass="INVALID_MASTER_URL")
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError(f"Invalid master URL {master_url!r}: expected spark://host:port",
                          errorClass="INVALID_MASTER_URL")
    return f"tcp://{host}:{port}"
