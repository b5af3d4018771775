"""``SparkContext``: the driver's entry point. It starts the scheduler thread and an executor
backend, creates RDDs, and runs jobs."""
from __future__ import annotations

import atexit
import itertools
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from typing import Any, Callable, Iterable, Iterator

from pyspk._utils.log import configure as configure_logging, parse_level
from pyspk.accumulators import Accumulator, AccumulatorParam, INT_ACCUMULATOR_PARAM, \
    FLOAT_ACCUMULATOR_PARAM, COMPLEX_ACCUMULATOR_PARAM
from pyspk.broadcast import Broadcast
from pyspk.conf import SparkConf, entries
from pyspk.conf.environment import set_submitted_property, submitted_properties
from pyspk.errors import PySparkRuntimeError, PySparkValueError, SparkException
from pyspk.files import SparkFiles, archive_format
from pyspk.master_url import parse_master
from pyspk.protocol.app import RemoveBlocks
from pyspk.rdd.rdd import RDD, call_site
from pyspk.scheduler.driver import DriverScheduler
from pyspk.scheduler.stages import Job
from pyspk.serde import loads
from pyspk.status import StatusTracker
from pyspk.version import __version__

log = logging.getLogger("pyspk.SparkContext")


class _ResultRunner:
    """The closure of a result stage: apply ``func`` to a partition's records."""

    def __init__(self, rdd: RDD, func: Callable[[Iterator[Any]], Any]) -> None:
        self.rdd = rdd
        self.func = func

    def run(self, split: Any, tc: Any) -> Any:
        return self.func(self.rdd.iterator(split, tc))


class _RangeSlices:
    """Generates slice ``i`` of a range inside its task, as PySpark's parallelize of a range."""

    def __init__(self, r: range, n: int) -> None:
        self.size, self.step, self.n = len(r), r.step, n
        self.start = r[0] if len(r) else 0

    def _bound(self, i: int) -> int:
        return self.start + int(i * self.size / self.n) * self.step

    def __call__(self, index: int, _: Iterator[Any]) -> Iterator[int]:
        return iter(range(self._bound(index), self._bound(index + 1), self.step))


class SparkContext:
    """Main entry point for Spark functionality: connects to a master (or runs locally) and
    creates RDDs, broadcasts and accumulators.

    >>> sc = SparkContext("local[2]", "demo")  # doctest: +SKIP
    """

    _active_spark_context: "SparkContext | None" = None
    _lock = threading.RLock()

    def __init__(self, master: str | None = None, appName: str | None = None,
                 sparkHome: str | None = None, pyFiles: list[str] | None = None,
                 environment: dict[str, Any] | None = None, batchSize: int = 0,
                 serializer: Any = None, conf: SparkConf | None = None, gateway: Any = None,
                 jsc: Any = None, profiler_cls: Any = None, udf_profiler_cls: Any = None,
                 memory_profiler_cls: Any = None) -> None:
        with SparkContext._lock:
            if SparkContext._active_spark_context is not None:
                active = SparkContext._active_spark_context
                raise ValueError("Cannot run multiple SparkContexts at once; existing "
                                 f"SparkContext(app={active.appName}, master={active.master})")
            self._conf = (conf.copy() if conf is not None else SparkConf())
            if master:
                self._conf.setMaster(master)
            if appName:
                self._conf.setAppName(appName)
            if sparkHome:
                self._conf.setSparkHome(sparkHome)
            for k, v in (environment or {}).items():
                self._conf.setExecutorEnv(k, str(v))
            self._conf.setIfMissing("spark.master", "local[*]")
            if not self._conf.contains("spark.app.name"):
                raise PySparkRuntimeError("An application name must be set in your configuration",
                                          errorClass="APPLICATION_NAME_NOT_SET")
            self._start(pyFiles or [])
            SparkContext._active_spark_context = self

    # ---- start-up and shutdown
    def _start(self, py_files: list[str]) -> None:
        conf = self._conf
        level = conf.get("spark.log.level")
        configure_logging(level or "WARN")
        self.master = conf.get("spark.master") or "local[*]"
        self.appName = conf.get("spark.app.name") or ""
        self._master = parse_master(self.master)
        for entry in entries.ENTRIES.values():
            conf.typed(entry)
        self._rdd_ids = itertools.count()
        self._shuffle_ids = itertools.count()
        self._broadcast_ids = itertools.count()
        self._accumulator_ids = itertools.count()
        self._broadcasts: dict[int, Broadcast] = {}
        self._files: list[tuple[str, bytes]] = []
        self._file_names: set[str] = set()
        self._archives: dict[str, str] = {}
        self._sources: dict[str, str] = {}
        self._job_ids = itertools.count()
        self._local = threading.local()
        self._checkpoint_dir: str | None = conf.get("spark.checkpoint.dir")
        self._temp_dir = tempfile.mkdtemp(prefix="pyspk-driver-")
        SparkFiles._set_root(self._temp_dir)
        self._stopped = False
        self.startTime = int(time.time() * 1000)
        self.pythonVer = "%d.%d" % sys.version_info[:2]
        self.environment = {k[len("spark.executorEnv."):]: v for k, v in conf.getAll()
                            if k.startswith("spark.executorEnv.")}
        max_failures = (self._master.max_failures if self._master.kind == "local"
                        else conf.typed(entries.TASK_MAX_FAILURES))
        self._scheduler = DriverScheduler(conf, max_failures, self._broadcast_blob,
                                          lambda: list(self._files), lambda: dict(self._archives))
        self._cluster_handle: Any = None
        self._progress: Any = None
        self._ui: Any = None
        self._backend = self._make_backend()
        self._scheduler.start(conf.as_dict())
        try:
            app_id = self._backend.start(self._scheduler.url, self._scheduler)
            conf.set("spark.app.id", app_id)
            self._scheduler.app_conf["spark.app.id"] = app_id
            self._app_id = app_id
            for path in py_files + _split_list(conf.get("spark.submit.pyFiles")):
                self.addPyFile(path)
            for path in _split_list(conf.get("spark.files")):
                self.addFile(path)
            for path in _split_list(conf.get("spark.archives")):
                self.addArchive(path)
        except BaseException:
            self._shutdown()
            raise
        if conf.typed(entries.SHOW_PROGRESS):
            from pyspk.ui.progress import ConsoleProgressBar
            self._progress = ConsoleProgressBar(self)
            self._progress.start()
        if conf.typed(entries.UI_ENABLED):
            self._ui = self._start_ui()
        atexit.register(self._atexit_stop)

    def _make_backend(self) -> Any:
        m = self._master
        if m.kind == "local":
            from pyspk.scheduler.backends.local import LocalBackend
            return LocalBackend(self._conf, m.threads)
        from pyspk.scheduler.backends.standalone import StandaloneBackend
        if m.kind == "local-cluster":
            from pyspk.deploy.local_cluster import LocalCluster
            self._cluster_handle = LocalCluster(m.workers, m.cores_per_worker, m.memory_mb,
                                                conf=self._conf)
            url = self._cluster_handle.start()
            return StandaloneBackend(self._conf, url)
        return StandaloneBackend(self._conf, f"spark://{m.address}")

    def _start_ui(self) -> Any:
        from pyspk.ui.app_webui import ApplicationUI
        try:
            ui = ApplicationUI(self, self._conf.typed(entries.DRIVER_HOST),
                               self._conf.typed(entries.UI_PORT))
        except OSError as e:
            log.warning("Application web UI not started: %s", e)
            return None
        ui.start()
        return ui

    def _atexit_stop(self) -> None:
        if not self._stopped:
            self.stop()

    def stop(self) -> None:
        """Stop the executors and the scheduler; the context cannot be used afterwards."""
        with SparkContext._lock:
            if self._stopped:
                return
            self._stopped = True
            if self._progress is not None:
                self._progress.stop()
            if self._ui is not None:
                self._ui.stop()
            self._shutdown()
            if SparkContext._active_spark_context is self:
                SparkContext._active_spark_context = None

    def _shutdown(self) -> None:
        """Stop the scheduler, the executors and any in-process cluster; remove scratch."""
        try:
            self._scheduler.stop()
        finally:
            self._backend.stop()
            if self._cluster_handle is not None:
                self._cluster_handle.stop()
            shutil.rmtree(self._temp_dir, ignore_errors=True)

    def __enter__(self) -> "SparkContext":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def __getnewargs__(self) -> Any:
        raise PySparkRuntimeError(
            "It appears that you are attempting to reference SparkContext from a broadcast "
            "variable, action, or transformation. SparkContext can only be used on the driver, "
            "not in code that it run on workers.", errorClass="CONTEXT_ONLY_VALID_ON_DRIVER")

    def __reduce__(self) -> Any:
        self.__getnewargs__()

    @classmethod
    def getOrCreate(cls, conf: SparkConf | None = None) -> "SparkContext":
        with cls._lock:
            if cls._active_spark_context is None:
                SparkContext(conf=conf or SparkConf())
            return cls._active_spark_context  # type: ignore[return-value]

    @classmethod
    def setSystemProperty(cls, key: str, value: str) -> None:
        """Set a property new SparkConfs load (as Java system properties are in Spark)."""
        set_submitted_property(key, value)

    def getSystemProperty(self, key: str) -> str | None:
        return submitted_properties().get(key)

    def __repr__(self) -> str:
        return f"<SparkContext master={self.master} appName={self.appName}>"

    # ---- properties
    @property
    def version(self) -> str:
        return __version__

    @property
    def applicationId(self) -> str:
        return self._app_id

    @property
    def defaultParallelism(self) -> int:
        return self._backend.default_parallelism()

    @property
    def defaultMinPartitions(self) -> int:
        return min(self.defaultParallelism, 2)

    @property
    def uiWebUrl(self) -> str | None:
        """Address of this application's web UI (None with ``spark.ui.enabled=false``)."""
        return self._ui.url if self._ui is not None else None

    def sparkUser(self) -> str:
        import getpass
        return os.environ.get("SPARK_USER") or getpass.getuser()

    def getConf(self) -> SparkConf:
        return self._conf.copy()

    def setLogLevel(self, logLevel: str) -> None:
        try:
            parse_level(logLevel)
        except ValueError as e:
            raise PySparkValueError(str(e), errorClass="INVALID_LOG_LEVEL") from None
        configure_logging(logLevel)

    def statusTracker(self) -> StatusTracker:
        return StatusTracker(self._scheduler.status)

    def _check_alive(self) -> None:
        if self._stopped:
            raise PySparkRuntimeError("Cannot call methods on a stopped SparkContext.",
                                      errorClass="SPARK_CONTEXT_STOPPED")

    # ---- ids
    def _new_rdd_id(self) -> int:
        return next(self._rdd_ids)

    def _new_shuffle_id(self) -> int:
        return next(self._shuffle_ids)

    # ---- creating RDDs
    def parallelize(self, c: Iterable[Any], numSlices: int | None = None) -> RDD:
        self._check_alive()
        from pyspk.rdd.kinds import ParallelCollectionRDD
        n = self.defaultParallelism if numSlices is None else numSlices
        if n < 1:
            raise PySparkValueError(f"Positive number of partitions required, got {n}",
                                    errorClass="VALUE_NOT_POSITIVE")
        if isinstance(c, range):
            return ParallelCollectionRDD(self, [[] for _ in range(n)]).mapPartitionsWithIndex(
                _RangeSlices(c, n))
        data = c if isinstance(c, list) else list(c)
        length = len(data)
        slices = [data[i * length // n:(i + 1) * length // n] for i in range(n)]
        return ParallelCollectionRDD(self, slices)

    def range(self, start: int, end: int | None = None, step: int = 1,
              numSlices: int | None = None) -> RDD:
        if end is None:
            start, end = 0, start
        return self.parallelize(range(start, end, step), numSlices)

    def emptyRDD(self) -> RDD:
        from pyspk.rdd.kinds import EmptyRDD
        return EmptyRDD(self)

    def binaryFiles(self, path: str, minPartitions: int | None = None) -> RDD:
        from pyspk.rdd.inputs import WholeTextFilesRDD
        return WholeTextFilesRDD(self, path, minPartitions or self.defaultMinPartitions, False)

    def binaryRecords(self, path: str, recordLength: int) -> RDD:
        from pyspk.rdd.inputs import BinaryRecordsRDD
        if recordLength <= 0:
            raise PySparkValueError(f"recordLength must be positive, got {recordLength}",
                                    errorClass="VALUE_NOT_POSITIVE")
        return BinaryRecordsRDD(self, path, recordLength)

    def textFile(self, name: str, minPartitions: int | None = None,
                 use_unicode: bool = True) -> RDD:
        self._check_alive()
        from pyspk.rdd.inputs import TextFileRDD
        return TextFileRDD(self, name, minPartitions or self.defaultMinPartitions, use_unicode)

    def wholeTextFiles(self, path: str, minPartitions: int | None = None,
                       use_unicode: bool = True) -> RDD:
        from pyspk.rdd.inputs import WholeTextFilesRDD
        return WholeTextFilesRDD(self, path, minPartitions or self.defaultMinPartitions,
                                 use_unicode)

    def pickleFile(self, name: str, minPartitions: int | None = None) -> RDD:
        from pyspk.rdd.inputs import PickleFileRDD
        return PickleFileRDD(self, name, minPartitions or self.defaultMinPartitions)

    def sequenceFile(self, path: str, keyClass: str | None = None, valueClass: str | None = None,
                     keyConverter: str | None = None, valueConverter: str | None = None,
                     minSplits: int | None = None, batchSize: int = 0) -> RDD:
        """(key, value) records of Hadoop SequenceFiles, Writables as Python values."""
        from pyspk.rdd.hadoop import refuse_converters
        from pyspk.rdd.inputs import SequenceFileRDD
        refuse_converters(keyConverter, valueConverter)
        return SequenceFileRDD(self, path)

    def hadoopFile(self, path: str, inputFormatClass: str, keyClass: str, valueClass: str,
                   keyConverter: str | None = None, valueConverter: str | None = None,
                   conf: dict[str, str] | None = None, batchSize: int = 0) -> RDD:
        """Records of files read with a Hadoop input format (SequenceFile, Text, KeyValueText)."""
        from pyspk.rdd.hadoop import format_kind, key_value_lines, refuse_converters
        from pyspk.rdd.inputs import SequenceFileRDD, TextOffsetsRDD
        refuse_converters(keyConverter, valueConverter)
        kind = format_kind(inputFormatClass, "Input")
        if kind == "sequence":
            return SequenceFileRDD(self, path)
        if kind == "text":
            return TextOffsetsRDD(self, path, self.defaultMinPartitions, True)
        return self.textFile(path).mapPartitions(key_value_lines)

    def newAPIHadoopFile(self, path: str, inputFormatClass: str, keyClass: str, valueClass: str,
                         keyConverter: str | None = None, valueConverter: str | None = None,
                         conf: dict[str, str] | None = None, batchSize: int = 0) -> RDD:
        return self.hadoopFile(path, inputFormatClass, keyClass, valueClass, keyConverter,
                               valueConverter, conf, batchSize)

    def hadoopRDD(self, inputFormatClass: str, keyClass: str, valueClass: str,
                  keyConverter: str | None = None, valueConverter: str | None = None,
                  conf: dict[str, str] | None = None, batchSize: int = 0) -> RDD:
        """Like ``hadoopFile`` with the input directory taken from ``conf``."""
        from pyspk.rdd.hadoop import INPUT_DIR_KEYS, conf_value
        path = conf_value(conf, INPUT_DIR_KEYS)
        if not path:
            raise PySparkValueError(f"hadoopRDD needs {INPUT_DIR_KEYS[0]} in its conf",
                                    errorClass="MISSING_HADOOP_CONF")
        return self.hadoopFile(path, inputFormatClass, keyClass, valueClass, keyConverter,
                               valueConverter, conf, batchSize)

    def newAPIHadoopRDD(self, inputFormatClass: str, keyClass: str, valueClass: str,
                        keyConverter: str | None = None, valueConverter: str | None = None,
                        conf: dict[str, str] | None = None, batchSize: int = 0) -> RDD:
        return self.hadoopRDD(inputFormatClass, keyClass, valueClass, keyConverter,
                              valueConverter, conf, batchSize)

    def union(self, rdds: list[RDD]) -> RDD:
        from pyspk.rdd.kinds import UnionRDD
        if not rdds:
            raise PySparkValueError("Union of an empty list of RDDs",
                                    errorClass="CANNOT_BE_EMPTY")
        return rdds[0] if len(rdds) == 1 else UnionRDD(self, list(rdds))

    # ---- shared variables
    def broadcast(self, value: Any) -> Broadcast:
        self._check_alive()
        bid = next(self._broadcast_ids)
        b = Broadcast(bid, value, manager=self)
        b.pickled()
        self._broadcasts[bid] = b
        return b

    def _broadcast_blob(self, bid: int) -> bytes | None:
        b = self._broadcasts.get(bid)
        return b.pickled() if b is not None else None

    def unpersist_broadcast(self, bid: int) -> None:
        self._scheduler.remove_blocks(RemoveBlocks(broadcast_ids=[bid]), forget_broadcast=bid)

    def destroy_broadcast(self, bid: int) -> None:
        self.unpersist_broadcast(bid)
        self._broadcasts.pop(bid, None)

    def accumulator(self, value: Any, accum_param: AccumulatorParam | None = None) -> Accumulator:
        if accum_param is None:
            if isinstance(value, bool) or not isinstance(value, (int, float, complex)):
                    raise TypeError(f"No default accumulator param for type {type(value)}")
            accum_param = (INT_ACCUMULATOR_PARAM if isinstance(value, int) else
                           FLOAT_ACCUMULATOR_PARAM if isinstance(value, float) else
                           COMPLEX_ACCUMULATOR_PARAM)
        return Accumulator(next(self._accumulator_ids), value, accum_param)

    # ---- files
    def addFile(self, path: str, recursive: bool = False) -> None:
        self._add_file(path, os.path.basename(path))

    def _add_file(self, path: str, name: str) -> None:
        local = path[len("file://"):] if path.startswith("file://") else path
        if not os.path.isfile(local):
            raise PySparkValueError(f"File {path} does not exist or is not a file",
                                    errorClass="PATH_NOT_FOUND")
        if name in self._file_names:
            return
        with open(local, "rb") as f:
            data = f.read()
        shutil.copyfile(local, os.path.join(self._temp_dir, name))
        self._files.append((name, data))
        self._file_names.add(name)
        self._sources[name] = os.path.abspath(local)

    def addPyFile(self, path: str) -> None:
        self.addFile(path)
        target = os.path.join(self._temp_dir, os.path.basename(path))
        entry = self._temp_dir if target.endswith(".py") else target
        if entry not in sys.path:
            sys.path.insert(1, entry)

    def addArchive(self, path: str) -> None:
        """Ship an archive (.zip, .tar, .tar.gz, .tgz) to every executor, unpacked into a
        directory named after it under ``SparkFiles.getRootDirectory()``."""
        path, _, alias = path.partition("#")
        name = alias or os.path.basename(path)
        if name in self._file_names:
            return
        fmt = archive_format(os.path.basename(path))
        if fmt is None:
            raise PySparkValueError(f"Unsupported archive {path}: expected .zip, .jar, .tar, "
                                    ".tar.gz, .tgz, .tar.bz2 or .tar.xz",
                                    errorClass="UNSUPPORTED_ARCHIVE")
        self._add_file(path, name)
        self._archives[name] = fmt
        packed = os.path.join(self._temp_dir, name)
        os.replace(packed, packed + ".archive")
        shutil.unpack_archive(packed + ".archive", packed, fmt)

    @property
    def listFiles(self) -> list[str]:
        """``file:`` URIs of the files added with ``addFile``/``addPyFile``."""
        return [f"file:{p}" for n, p in self._sources.items() if n not in self._archives]

    @property
    def listArchives(self) -> list[str]:
        """``file:`` URIs of the archives added with ``addArchive``."""
        return [f"file:{p}" for n, p in self._sources.items() if n in self._archives]

    # ---- checkpoints and storage
    def setCheckpointDir(self, dirName: str) -> None:
        path = os.path.join(os.path.abspath(dirName), str(uuid.uuid4()))
        os.makedirs(path, exist_ok=True)
        self._checkpoint_dir = path

    def getCheckpointDir(self) -> str | None:
        return self._checkpoint_dir

    def _remove_rdd_blocks(self, rdd_id: int) -> None:
        self._scheduler.remove_blocks(RemoveBlocks(block_ids=[f"rdd_{rdd_id}"]))

    # ---- job groups and properties
    def _properties(self) -> dict[str, str]:
        props = getattr(self._local, "props", None)
        if props is None:
            props = self._local.props = {}
        return props

    def setLocalProperty(self, key: str, value: str | None) -> None:
        if value is None:
            self._properties().pop(key, None)
        else:
            self._properties()[key] = value

    def getLocalProperty(self, key: str) -> str | None:
        return self._properties().get(key)

    def setJobGroup(self, groupId: str, description: str, interruptOnCancel: bool = False) -> None:
        self.setLocalProperty("spark.jobGroup.id", groupId)
        self.setLocalProperty("spark.job.description", description)
        self.setLocalProperty("spark.job.interruptOnCancel", str(interruptOnCancel).lower())

    def setJobDescription(self, value: str) -> None:
        self.setLocalProperty("spark.job.description", value)

    def setInterruptOnCancel(self, interruptOnCancel: bool) -> None:
        self.setLocalProperty("spark.job.interruptOnCancel", str(interruptOnCancel).lower())

    def addJobTag(self, tag: str) -> None:
        tags = set(filter(None, (self.getLocalProperty("spark.job.tags") or "").split(",")))
        tags.add(tag)
        self.setLocalProperty("spark.job.tags", ",".join(sorted(tags)))

    def removeJobTag(self, tag: str) -> None:
        tags = set(filter(None, (self.getLocalProperty("spark.job.tags") or "").split(",")))
        tags.discard(tag)
        self.setLocalProperty("spark.job.tags", ",".join(sorted(tags)) or None)

    def getJobTags(self) -> set[str]:
        return set(filter(None, (self.getLocalProperty("spark.job.tags") or "").split(",")))

    def clearJobTags(self) -> None:
        self.setLocalProperty("spark.job.tags", None)

    def cancelJobGroup(self, groupId: str) -> None:
        self._scheduler.cancel(lambda j: j.group == groupId, f"part of cancelled job group {groupId}")

    def cancelJobsWithTag(self, tag: str) -> None:
        self._scheduler.cancel(
            lambda j: tag in (j.properties.get("spark.job.tags") or "").split(","),
            f"with tag {tag}")

    def cancelAllJobs(self) -> None:
        self._scheduler.cancel(lambda j: True, "as part of cancellation of all jobs")

    # ---- running jobs
    def runJob(self, rdd: RDD, partitionFunc: Callable[[Iterator[Any]], Iterable[Any]],
               partitions: list[int] | None = None, allowLocal: bool = False) -> list:
        """All elements ``partitionFunc`` yields on the given partitions, in order."""
        parts = self._run_job(rdd, lambda it: list(partitionFunc(it)), partitions, "runJob")
        return [x for part in parts for x in part]

    def _run_job(self, rdd: RDD, func: Callable[[Iterator[Any]], Any],
                 partitions: Iterable[int] | None, action: str) -> list[Any]:
        self._check_alive()
        parts = list(range(len(rdd.partitions))) if partitions is None else list(partitions)
        for p in parts:
            if not 0 <= p < len(rdd.partitions):
                raise PySparkValueError(f"Partition {p} is out of range for {rdd!r}",
                                        errorClass="INDEX_OUT_OF_RANGE")
        job = Job(id=next(self._job_ids), rdd=rdd, runner=_ResultRunner(rdd, func),
                  partitions=parts, name=f"{action or 'runJob'} at {call_site()}",
                  properties=dict(self._properties()))
        self._await_job(job)
        results = [loads(job.results[p]) for p in parts]
        self._checkpoint_lineage(rdd)
        return results

    def _run_map_stages(self, deps: list[Any]) -> list[list[int]]:
        """Run the map sides of shuffle dependencies ``deps`` together (those whose outputs
        exist are not re-run) and return, per dependency, the bytes written for each reduce
        partition summed over its map tasks: what adaptive query execution plans from."""
        self._check_alive()
        jobs = [Job(id=next(self._job_ids), rdd=dep.rdd, runner=None, partitions=[],
                    name=f"map stage of shuffle {dep.shuffle_id} at {call_site()}",
                    properties=dict(self._properties()), map_dep=dep) for dep in deps]
        for job in jobs[:-1]:
            self._wait_for_executors()
            self._scheduler.run_job(job)
        if jobs:
            self._await_job(jobs[-1])
        for job in jobs[:-1]:
            self._await_job(job, submit=False)
        return [list(job.map_sizes or [0] * dep.num_partitions) for job, dep in zip(jobs, deps)]

    def _await_job(self, job: Job, submit: bool = True) -> None:
        """Submit ``job`` (unless already submitted) and block until it ends; raises its error."""
        if submit:
            self._wait_for_executors()
            self._scheduler.run_job(job)
        try:
            while not job.done.wait(0.5):
                pass
        except KeyboardInterrupt:
            self._scheduler.cancel(lambda j: j is job, "by the user (KeyboardInterrupt)")
            raise
        finally:
            if self._progress is not None:
                self._progress.finish_all()
        if job.error is not None:
            raise job.error

    def _wait_for_executors(self) -> None:
        if self._scheduler.executor_slot_count() > 0:
            return
        timeout = self._conf.typed(entries.EXECUTOR_START_TIMEOUT)
        if self._scheduler.wait_for_slots(1, timeout) == 0:
            raise SparkException(f"No executor registered within {timeout:.0f} s "
                                 f"(master {self.master})", errorClass="NO_EXECUTORS")

    def _checkpoint_lineage(self, rdd: RDD) -> None:
        """Write out RDDs marked with ``checkpoint()`` that the finished job computed."""
        from pyspk.rdd.checkpoint import checkpoint_marked
        checkpoint_marked(self, rdd)


def _split_list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


