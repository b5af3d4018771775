"""``SparkSession``: the entry point to DataFrames and SQL, created with ``SparkSession.builder``."""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

from pyspk.conf import SparkConf
from pyspk.sql.conf import RuntimeConfig

log = logging.getLogger(__name__)

_lock = threading.RLock()


class Builder:
    """Collects options, then ``getOrCreate`` starts (or reuses) the session and its context."""

    def __init__(self) -> None:
        self._options: dict[str, str] = {}

    def config(self, key: str | None = None, value: Any = None, conf: SparkConf | None = None,
               *, map: dict[str, Any] | None = None) -> "Builder":
        with _lock:
            if conf is not None:
                for k, v in conf.getAll():
                    self._options[k] = v
            if map is not None:
                for k, v in map.items():
                    self._options[k] = str(v).lower() if isinstance(v, bool) else str(v)
            if key is not None:
                self._options[key] = str(value).lower() if isinstance(value, bool) else str(value)
        return self

    def master(self, master: str) -> "Builder":
        return self.config("spark.master", master)

    def remote(self, url: str) -> "Builder":
        return self.config("spark.remote", url)

    def appName(self, name: str) -> "Builder":
        return self.config("spark.app.name", name)

    def enableHiveSupport(self) -> "Builder":
        return self.config("spark.sql.catalogImplementation", "hive")

    def getOrCreate(self) -> "SparkSession":
        with _lock:
            session = SparkSession._instantiatedSession
            if session is not None and not session._stopped:
                for k, v in self._options.items():
                    session.conf.set(k, v)
                SparkSession._activeSession = session
                return session
            from pyspk.context import SparkContext
            conf = SparkConf()
            for k, v in self._options.items():
                conf.set(k, v)
            if not conf.contains("spark.master"):
                conf.setMaster("local[*]")
            if not conf.contains("spark.app.name"):
                conf.setAppName("pyspk-shell")
            sc = SparkContext.getOrCreate(conf)
            for k, v in self._options.items():
                sc._conf.set(k, v)
            session = SparkSession(sc, options=self._options)
            return session

    def create(self) -> "SparkSession":
        return self.getOrCreate()


Builder.__qualname__ = "SparkSession.Builder"


def _rdd_to_df(self: Any, schema: Any = None, sampleRatio: float | None = None) -> Any:
    """``rdd.toDF(schema)``: a DataFrame over this RDD in the active session."""
    return SparkSession.active().createDataFrame(self, schema, sampleRatio)


def _add_rdd_to_df() -> None:
    """Give RDDs ``toDF`` once a session exists, as PySpark does."""
    from pyspk.rdd import RDD
    if not hasattr(RDD, "toDF"):
        RDD.toDF = _rdd_to_df


class classproperty:
    """A property read on the class itself: ``SparkSession.builder`` is a new ``Builder`` each time."""

    def __init__(self, fget: Callable[[type], Any]) -> None:
        self.fget = fget

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        return self.fget(owner if owner is not None else type(instance))


class SparkSession:
    """The entry point to programming Spark with the Dataset and DataFrame API.

    >>> spark = SparkSession.builder.master("local[1]").appName("doc").getOrCreate()
    >>> spark.range(3).count()
    3
    """

    Builder = Builder
    _instantiatedSession: "SparkSession | None" = None

    @classproperty
    def builder(cls: type) -> Builder:
        """A new ``Builder`` configuring (or finding) the session."""
        return cls.Builder()
    _activeSession: "SparkSession | None" = None

    def __init__(self, sparkContext: Any, jsparkSession: Any = None,
                 options: dict[str, Any] | None = None) -> None:
        from pyspk.sql.catalog_state import CatalogState
        self._sc = sparkContext
        self._stopped = False
        initial = {k: v for k, v in (options or {}).items()}
        for k, v in sparkContext._conf.getAll():
            if k.startswith("spark.sql.") and k not in initial:
                initial[k] = v
        self._conf = RuntimeConfig(initial)
        self._catalog_state = CatalogState.shared(self)
        self._catalog_state.resolve_view = lambda text: self.sql(text)._plan
        with _lock:
            if SparkSession._instantiatedSession is None or SparkSession._instantiatedSession._stopped:
                SparkSession._instantiatedSession = self
            SparkSession._activeSession = self
        _add_rdd_to_df()
        from pyspk.sql.expressions.base import set_eval_context_provider
        from pyspk.sql.expressions.tz import set_session_time_zone_provider
        set_session_time_zone_provider(_active_time_zone)
        set_eval_context_provider(_active_eval_context)

    # -- properties ---------------------------------------------------------------------------
    @property
    def sparkContext(self) -> Any:
        return self._sc

    @property
    def conf(self) -> RuntimeConfig:
        return self._conf

    @property
    def version(self) -> str:
        from pyspk.version import __version__
        return __version__

    @property
    def catalog(self) -> Any:
        from pyspk.sql.catalog import Catalog
        return Catalog(self)

    @property
    def read(self) -> Any:
        from pyspk.sql.readwriter import DataFrameReader
        return DataFrameReader(self)

    @property
    def udf(self) -> Any:
        from pyspk.sql.udf import UDFRegistration
        return UDFRegistration(self)

    def emptyDataFrame(self, schema: Any) -> Any:
        """An empty DataFrame with ``schema`` (a StructType or a DDL string)."""
        return self.createDataFrame([], schema)

    @classmethod
    def getActiveSession(cls) -> "SparkSession | None":
        s = cls._activeSession
        return s if s is not None and not s._stopped else None

    @classmethod
    def active(cls) -> "SparkSession":
        s = cls.getActiveSession()
        if s is None:
            from pyspk.errors import PySparkRuntimeError
            raise PySparkRuntimeError("[NO_ACTIVE_OR_DEFAULT_SESSION] No active or default Spark "
                                      "session found. Please create a new Spark session before "
                                      "running the code.",
                                      errorClass="NO_ACTIVE_OR_DEFAULT_SESSION")
        return s

    def newSession(self) -> "SparkSession":
        return SparkSession(self._sc)

    # -- data in -------------------------------------------------------------------------------
    def createDataFrame(self, data: Any, schema: Any = None, samplingRatio: float | None = None,
                        verifySchema: bool = True) -> Any:
        from pyspk.sql.conversion import create_dataframe
        return create_dataframe(self, data, schema, verifySchema)

    def range(self, start: int, end: int | None = None, step: int = 1,
              numPartitions: int | None = None) -> Any:
        from pyspk.sql.dataframe import DataFrame
        from pyspk.sql.expressions.base import AttributeReference
        from pyspk.sql.plan.logical import Range
        from pyspk.sql import types as T
        if end is None:
            start, end = 0, start
        parts = numPartitions or self._default_parallelism()
        attr = AttributeReference("id", T.LongType(), False)
        return DataFrame(Range(int(start), int(end), int(step), parts, attr), self)

    def sql(self, sqlQuery: str, args: dict[str, Any] | list | None = None, **kwargs: Any) -> Any:
        from pyspk.sql.sql_frontend import run_sql
        return run_sql(self, sqlQuery, args, kwargs)

    def table(self, tableName: str) -> Any:
        from pyspk.sql.dataframe import DataFrame
        from pyspk.sql.plan.logical import UnresolvedRelation
        from pyspk.sql.sql_frontend import split_name
        return DataFrame(self._analyze(UnresolvedRelation(tuple(split_name(tableName)))), self)

    def stop(self) -> None:
        with _lock:
            self._stopped = True
            if self._sc is not None:
                self._sc.stop()
            if SparkSession._instantiatedSession is self:
                SparkSession._instantiatedSession = None
            if SparkSession._activeSession is self:
                SparkSession._activeSession = None

    def __enter__(self) -> "SparkSession":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- internals -----------------------------------------------------------------------------
    def _default_parallelism(self) -> int:
        try:
            return int(self._sc.defaultParallelism)
        except Exception:  # a stopped context still answers for plan building
            return 1

    def _analyze(self, plan: Any) -> Any:
        from pyspk.sql.analyzer import Analyzer
        case = self._conf._bool("spark.sql.caseSensitive")
        return Analyzer(self._catalog_state.lookup, case_sensitive=case).analyze(plan)

    def _eval_context(self) -> Any:
        from pyspk.sql.expressions.base import EvalContext
        return EvalContext(ansi=self._conf._bool("spark.sql.ansi.enabled"),
                           time_zone=str(self._conf.get("spark.sql.session.timeZone")))

    def _execute(self, plan: Any) -> Any:
        """Optimise and run a resolved plan; an Arrow table with columns named by attribute key."""
        from pyspk.sql.execution.runner import run_plan
        return run_plan(self, plan)


def _active_time_zone() -> str:
    """``spark.sql.session.timeZone`` of the active session (names and prints of timestamps)."""
    session = SparkSession._activeSession or SparkSession._instantiatedSession
    if session is None:
        raise LookupError("no active session")
    return str(session._conf.get("spark.sql.session.timeZone"))


def _active_eval_context() -> Any:
    """The active session's ANSI mode and time zone, for evaluation at plan time."""
    session = SparkSession._activeSession or SparkSession._instantiatedSession
    if session is None:
        raise LookupError("no active session")
    return session._eval_context()
