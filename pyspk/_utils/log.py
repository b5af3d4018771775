"""Logging in Spark's console format: ``25/11/25 09:20:02 WARN SparkContext: message``."""
from __future__ import annotations

import logging
import sys

_LEVELS = {"ALL": logging.NOTSET, "TRACE": logging.DEBUG, "DEBUG": logging.DEBUG,
           "INFO": logging.INFO, "WARN": logging.WARNING, "WARNING": logging.WARNING,
           "ERROR": logging.ERROR, "FATAL": logging.CRITICAL, "OFF": logging.CRITICAL + 10}


class SparkFormatter(logging.Formatter):
    """Spark's log4j pattern ``%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m``."""

    def __init__(self) -> None:
        super().__init__(datefmt="%y/%m/%d %H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        level = "WARN" if record.levelname == "WARNING" else record.levelname
        name = record.name.rsplit(".", 1)[-1]
        text = f"{self.formatTime(record, self.datefmt)} {level} {name}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def parse_level(name: str) -> int:
    """A Spark log level name as a ``logging`` level; unknown names raise ValueError."""
    try:
        return _LEVELS[name.strip().upper()]
    except KeyError:
        raise ValueError(
            f"Invalid log level {name!r}; expected one of {', '.join(sorted(_LEVELS))}") from None


def configure(level: str = "WARN", stream=None) -> None:
    """Send pyspk's log records to ``stream`` (stderr) in Spark's format at ``level``."""
    root = logging.getLogger("pyspk")
    if not any(getattr(h, "_pyspk", False) for h in root.handlers):
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(SparkFormatter())
        handler._pyspk = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        root.propagate = False
    root.setLevel(parse_level(level))


def get_logger(name: str) -> logging.Logger:
    """A logger under the ``pyspk`` hierarchy."""
    return logging.getLogger(name if name.startswith("pyspk") else f"pyspk.{name}")
