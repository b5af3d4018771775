"""Master URLs and the size bound shared by every cluster-plane socket."""
from __future__ import annotations

from pyspk.errors import ConfigError

MAX_MESSAGE_BYTES = 4 << 20


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
