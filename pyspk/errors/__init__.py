"""pyspk's exception hierarchy, named as PySpark's ``pyspark.errors``.

Every error carries an *error class* (Spark's ``UPPER_SNAKE`` condition name) and its message
parameters, so programs that catch or inspect PySpark's exceptions work unchanged.
"""
from __future__ import annotations

from pyspk.errors.base import (
    PySparkException,
    PySparkAssertionError,
    PySparkAttributeError,
    PySparkIndexError,
    PySparkKeyError,
    PySparkNotImplementedError,
    PySparkPicklingError,
    PySparkRuntimeError,
    PySparkTypeError,
    PySparkValueError,
    PySparkImportError,
    RetriesExceeded,
)
from pyspk.errors.captured import (
    CapturedException,
    AnalysisException,
    ParseException,
    IllegalArgumentException,
    ArithmeticException,
    ArrayIndexOutOfBoundsException,
    DateTimeException,
    NumberFormatException,
    PythonException,
    QueryExecutionException,
    SparkException,
    SparkRuntimeException,
    SparkUpgradeException,
    SparkNoSuchElementException,
    StreamingQueryException,
    TempTableAlreadyExistsException,
    UnknownException,
)
from pyspk.errors.internal import (
    ConfigError,
    ProtocolError,
    FetchFailedError,
    TaskKilledError,
)

__all__ = [
    "PySparkException", "PySparkAssertionError", "PySparkAttributeError", "PySparkIndexError",
    "PySparkKeyError", "PySparkNotImplementedError", "PySparkPicklingError", "PySparkRuntimeError",
    "PySparkTypeError", "PySparkValueError", "PySparkImportError", "RetriesExceeded",
    "CapturedException", "AnalysisException", "ParseException", "IllegalArgumentException",
    "ArithmeticException", "ArrayIndexOutOfBoundsException", "DateTimeException",
    "NumberFormatException", "PythonException", "QueryExecutionException", "SparkException",
    "SparkRuntimeException", "SparkUpgradeException", "SparkNoSuchElementException",
    "StreamingQueryException", "TempTableAlreadyExistsException", "UnknownException",
    "ConfigError", "ProtocolError", "FetchFailedError", "TaskKilledError",
]
