"""Errors raised by the Python API itself (PySpark's ``PySpark*Error`` family)."""
from __future__ import annotations

from typing import Any


class PySparkException(Exception):
    """Root of every pyspk error: a message plus Spark's error class and its parameters."""

    def __init__(
        self,
        message: str | None = None,
        errorClass: str | None = None,
        messageParameters: dict[str, str] | None = None,
        sqlState: str | None = None,
        **kwargs: Any,
    ) -> None:
        errorClass = errorClass or kwargs.pop("error_class", None)
        messageParameters = messageParameters or kwargs.pop("message_parameters", None) or {}
        self._errorClass = errorClass
        self._messageParameters = dict(messageParameters)
        self._sqlState = sqlState
        if message is None:
            message = ", ".join(f"{k}={v}" for k, v in self._messageParameters.items())
        self._message = message
        super().__init__(self._format())

    def _format(self) -> str:
        if self._errorClass and not self._message.startswith("[") and \
                not self._errorClass.startswith("_LEGACY_ERROR"):
            return f"[{self._errorClass}] {self._message}"
        return self._message

    def getErrorClass(self) -> str | None:
        return self._errorClass

    def getCondition(self) -> str | None:
        return self._errorClass

    def getMessageParameters(self) -> dict[str, str]:
        return dict(self._messageParameters)

    def getSqlState(self) -> str | None:
        return self._sqlState

    def getMessage(self) -> str:
        return self._format()

    def __str__(self) -> str:
        return self._format()


class PySparkValueError(PySparkException, ValueError):
    """A bad value passed to the API."""


class PySparkTypeError(PySparkException, TypeError):
    """A value of the wrong type passed to the API."""


class PySparkRuntimeError(PySparkException, RuntimeError):
    """A runtime failure in the Python API."""


class PySparkIndexError(PySparkException, IndexError):
    """An index out of range."""


class PySparkKeyError(PySparkException, KeyError):
    """A missing key."""

    def __str__(self) -> str:
        return self._format()


class PySparkAttributeError(PySparkException, AttributeError):
    """A missing attribute."""


class PySparkNotImplementedError(PySparkException, NotImplementedError):
    """A feature Spark itself does not support in this form."""


class PySparkAssertionError(PySparkException, AssertionError):
    """An assertion of the testing utilities failed."""


class PySparkPicklingError(PySparkException):
    """A closure or value could not be pickled to ship to executors."""


class PySparkImportError(PySparkException, ImportError):
    """An optional dependency is missing."""


class RetriesExceeded(PySparkException):
    """Retries of an operation ran out."""
