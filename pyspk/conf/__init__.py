"""Configuration: ``SparkConf`` and the declared config entries."""
from __future__ import annotations

from typing import Any, Iterable

from pyspk.conf import entries
from pyspk.conf.entries import ConfigEntry
from pyspk.conf.environment import submitted_properties
from pyspk.errors import ConfigError

__all__ = ["SparkConf", "ConfigEntry", "entries"]


class SparkConf:
    """Key/value configuration of an application, as PySpark's ``SparkConf``.

    >>> conf = SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("demo")
    >>> conf.get("spark.master")
    'local[2]'
    """

    def __init__(self, loadDefaults: bool = True, _jvm: Any = None, _jconf: Any = None) -> None:
        self._conf: dict[str, str] = {}
        self._jconf = _jconf
        if loadDefaults:
            self._conf.update((k, v) for k, v in submitted_properties().items()
                              if k.startswith("spark."))

    def set(self, key: str, value: Any) -> "SparkConf":
        self._conf[str(key)] = str(value) if not isinstance(value, bool) else str(value).lower()
        return self

    def setIfMissing(self, key: str, value: Any) -> "SparkConf":
        if key not in self._conf:
            self.set(key, value)
        return self

    def setMaster(self, value: str) -> "SparkConf":
        return self.set("spark.master", value)

    def setAppName(self, value: str) -> "SparkConf":
        return self.set("spark.app.name", value)

    def setSparkHome(self, value: str) -> "SparkConf":
        return self.set("spark.home", value)

    def setExecutorEnv(self, key: str | None = None, value: str | None = None,
                       pairs: Iterable[tuple[str, str]] | None = None) -> "SparkConf":
        if (key is not None and pairs is not None) or (key is None and pairs is None):
            raise ConfigError("Either pass one key-value pair or a list of pairs",
                              errorClass="KEY_VALUE_PAIR_REQUIRED")
        for k, v in ([(key, value)] if key is not None else list(pairs or [])):
            self.set(f"spark.executorEnv.{k}", v)
        return self

    def setAll(self, pairs: Iterable[tuple[str, Any]]) -> "SparkConf":
        for k, v in pairs:
            self.set(k, v)
        return self

    def get(self, key: str, defaultValue: str | None = None) -> str | None:
        return self._conf.get(key, defaultValue)

    def getAll(self) -> list[tuple[str, str]]:
        return list(self._conf.items())

    def contains(self, key: str) -> bool:
        return key in self._conf

    def unset(self, key: str) -> "SparkConf":
        self._conf.pop(key, None)
        return self

    def toDebugString(self) -> str:
        return "\n".join(f"{k}={v}" for k, v in sorted(self._conf.items()))

    def copy(self) -> "SparkConf":
        new = SparkConf(loadDefaults=False)
        new._conf = dict(self._conf)
        return new

    def typed(self, entry: ConfigEntry) -> Any:
        """The parsed value of a declared entry; a malformed value raises naming the key."""
        raw = self._conf.get(entry.key)
        if raw is None:
            return entry.default
        try:
            return entry.parse(raw)
        except (TypeError, ValueError) as e:
            raise ConfigError(f"Invalid value {raw!r} for config {entry.key}: {e}",
                              errorClass="INVALID_CONF_VALUE",
                              messageParameters={"confName": entry.key, "confValue": raw}) from None

    def as_dict(self) -> dict[str, str]:
        """A plain copy of every key and value."""
        return dict(self._conf)

    def __contains__(self, key: str) -> bool:
        return key in self._conf

