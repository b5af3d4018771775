"""Errors that in PySpark come from the engine side (the JVM there, the executors and the SQL
analyser here). Names and error classes follow ``pyspark.errors.exceptions.captured``."""
from __future__ import annotations

from pyspk.errors.base import PySparkException


class CapturedException(PySparkException):
    """An error raised by the engine, possibly on a remote executor, with its stack text."""

    def __init__(self, message: str | None = None, errorClass: str | None = None,
                 messageParameters: dict[str, str] | None = None, sqlState: str | None = None,
                 stackTrace: str | None = None, **kwargs) -> None:
        self._stackTrace = stackTrace
        super().__init__(message, errorClass, messageParameters, sqlState, **kwargs)

    def _format(self) -> str:
        text = super()._format()
        if self._sqlState and "SQLSTATE" not in text:
            text = f"{text} SQLSTATE: {self._sqlState}"
        return text

    def getStackTrace(self) -> str | None:
        return self._stackTrace


class AnalysisException(CapturedException):
    """A query failed analysis: unresolved names, type mismatches, missing tables."""


class ParseException(AnalysisException):
    """SQL text could not be parsed; the message names the line and position."""


class IllegalArgumentException(CapturedException):
    """An argument passed to the engine was not legal."""


class ArithmeticException(CapturedException, ArithmeticError):
    """Overflow or division by zero under ANSI mode."""


class ArrayIndexOutOfBoundsException(CapturedException):
    """An array index out of bounds under ANSI mode."""


class DateTimeException(CapturedException):
    """A date or time value could not be parsed or built."""


class NumberFormatException(IllegalArgumentException):
    """A string could not be cast to a number under ANSI mode."""


class SparkException(CapturedException):
    """A job failed in the engine (the ``org.apache.spark.SparkException`` of PySpark)."""


class PythonException(CapturedException):
    """Python code in a task raised; the message carries the executor's traceback."""


class QueryExecutionException(CapturedException):
    """A query failed while executing."""


class SparkRuntimeException(CapturedException):
    """A runtime failure in the engine."""


class SparkUpgradeException(CapturedException):
    """Behaviour differs from an earlier Spark version."""


class SparkNoSuchElementException(CapturedException):
    """A requested element (config, table, …) does not exist."""


class StreamingQueryException(CapturedException):
    """A streaming query stopped with an error."""


class TempTableAlreadyExistsException(AnalysisException):
    """A temporary view of that name already exists."""


class UnknownException(CapturedException):
    """An engine error of an unrecognised kind."""
