"""Errors of pyspk's own machinery (config parsing, wire protocol, shuffle fetches)."""
from __future__ import annotations

from pyspk.errors.base import PySparkException, PySparkValueError


class ConfigError(PySparkValueError):
    """A configuration key has a value that cannot be parsed; the message names the key."""


class ProtocolError(PySparkException):
    """A wire message was malformed, unknown, too large or of another protocol version."""


class FetchFailedError(PySparkException):
    """A reducer could not read a shuffle block; the map output must be recomputed."""

    def __init__(self, shuffle_id: int, map_index: int, executor_id: str, reason: str) -> None:
        self.shuffle_id = shuffle_id
        self.map_index = map_index
        self.executor_id = executor_id
        self.reason = reason
        super().__init__(
            f"FetchFailed(shuffle={shuffle_id}, map={map_index}, executor={executor_id}): {reason}",
            errorClass="FETCH_FAILED")


class TaskKilledError(PySparkException):
    """A running task was killed (job cancelled or stage abandoned)."""
