"""``spark.conf``: the session's runtime SQL configuration."""
from __future__ import annotations

import time
from typing import Any

from pyspk.errors import SparkNoSuchElementException

_UNSET = object()


def _local_time_zone() -> str:
    import os
    tz = os.environ.get("TZ")
    if tz:
        return tz
    try:
        with open("/etc/timezone") as fh:
            return fh.read().strip() or "UTC"
    except OSError:
        return time.tzname[0] if time.tzname[0] not in ("", "UTC") else "UTC"


SQL_DEFAULTS: dict[str, str] = {
    "spark.sql.ansi.enabled": "true",
    "spark.sql.shuffle.partitions": "200",
    "spark.sql.caseSensitive": "false",
    "spark.sql.adaptive.enabled": "true",
    "spark.sql.autoBroadcastJoinThreshold": "10485760",
    "spark.sql.warehouse.dir": "spark-warehouse",
    "spark.sql.repl.eagerEval.enabled": "false",
    "spark.sql.repl.eagerEval.maxNumRows": "20",
    "spark.sql.repl.eagerEval.truncate": "20",
    "spark.sql.execution.arrow.pyspark.enabled": "false",
    "spark.sql.execution.arrow.maxRecordsPerBatch": "10000",
    "spark.sql.sources.default": "parquet",
    "spark.sql.legacy.timeParserPolicy": "EXCEPTION",
}


class RuntimeConfig:
    """Get and set session configuration, as PySpark's ``spark.conf``."""

    def __init__(self, initial: dict[str, str] | None = None) -> None:
        self._conf: dict[str, str] = {}
        self._conf.update(initial or {})

    def set(self, key: str, value: Any) -> None:
        self._conf[key] = str(value).lower() if isinstance(value, bool) else str(value)

    def get(self, key: str, default: Any = _UNSET) -> str | None:
        if key in self._conf:
            return self._conf[key]
        if default is not _UNSET:
            return default
        if key in SQL_DEFAULTS:
            return SQL_DEFAULTS[key]
        if key == "spark.sql.session.timeZone":
            return _local_time_zone()
        raise SparkNoSuchElementException(
            f"[SQL_CONF_NOT_FOUND] The SQL config \"{key}\" cannot be found. Please verify that "
            "the config exists. SQLSTATE: 42K0I", errorClass="SQL_CONF_NOT_FOUND",
            messageParameters={"sqlConf": f'"{key}"'})

    def getAll(self) -> dict[str, str]:
        out = dict(SQL_DEFAULTS)
        out.update(self._conf)
        return out

    def unset(self, key: str) -> None:
        self._conf.pop(key, None)

    def isModifiable(self, key: str) -> bool:
        return key.startswith("spark.sql.")

    def _bool(self, key: str) -> bool:
        return str(self.get(key, SQL_DEFAULTS.get(key, "false"))).lower() == "true"
