"""The RDD API on local[2]: results, partitioning and ordering as PySpark gives them."""
from __future__ import annotations

import gzip
import operator
import os

import pytest

from pyspk import SparkContext, StorageLevel, TaskContext
from pyspk.accumulators import AccumulatorParam
from pyspk.errors import AnalysisException, PythonException


def test_parallelize_slices_like_spark(sc: SparkContext) -> None:
    assert sc.parallelize([1, 2, 3, 4, 5], 2).glom().collect() == [[1, 2], [3, 4, 5]]
    assert sc.parallelize(range(0, 10, 3), 2).glom().collect() == [[0, 3], [6, 9]]
    assert sc.range(5).collect() == [0, 1, 2, 3, 4]
    assert sc.emptyRDD().collect() == []
    assert sc.parallelize([], 3).count() == 0


def test_narrow_transformations(sc: SparkContext) -> None:
    rdd = sc.parallelize(range(10), 3)
    assert rdd.map(lambda x: x * x).filter(lambda x: x % 2).collect() == [1, 9, 25, 49, 81]
    assert rdd.flatMap(lambda x: [x] * (x % 3)).count() == 9
    assert rdd.mapPartitionsWithIndex(lambda i, it: [(i, sum(it))]).collect() == \
        [(0, 3), (1, 12), (2, 30)]
    assert rdd.keyBy(lambda x: x % 2).take(3) == [(0, 0), (1, 1), (0, 2)]
    assert sorted(rdd.union(rdd).distinct().collect()) == list(range(10))
    assert rdd.zip(rdd.map(str)).first() == (0, "0")
    assert rdd.zipWithIndex().collect()[-1] == (9, 9)
    assert rdd.coalesce(1).getNumPartitions() == 1
    assert sorted(rdd.repartition(5).collect()) == list(range(10))
    assert rdd.repartition(5).getNumPartitions() == 5


def test_key_value_aggregations(sc: SparkContext) -> None:
    pairs = sc.parallelize([("a", 1), ("b", 1), ("a", 1), ("c", 5)], 2)
    assert sorted(pairs.reduceByKey(operator.add).collect()) == [("a", 2), ("b", 1), ("c", 5)]
    assert sorted(pairs.groupByKey().mapValues(list).collect()) == \
        [("a", [1, 1]), ("b", [1]), ("c", [5])]
    assert sorted(pairs.foldByKey(10, operator.add).collect()) == [("a", 22), ("b", 11), ("c", 15)]
    assert sorted(pairs.aggregateByKey((0, 0), lambda a, v: (a[0] + v, a[1] + 1),
                                       lambda a, b: (a[0] + b[0], a[1] + b[1])).collect()) == \
        [("a", (2, 2)), ("b", (1, 1)), ("c", (5, 1))]
    assert pairs.countByKey() == {"a": 2, "b": 1, "c": 1}
    assert pairs.collectAsMap()["c"] == 5
    assert sorted(pairs.lookup("a")) == [1, 1]


def test_joins(sc: SparkContext) -> None:
    x = sc.parallelize([("a", 1), ("b", 4)])
    y = sc.parallelize([("a", 2), ("a", 3), ("c", 9)])
    assert sorted(x.join(y).collect()) == [("a", (1, 2)), ("a", (1, 3))]
    assert sorted(x.leftOuterJoin(y).collect()) == [("a", (1, 2)), ("a", (1, 3)), ("b", (4, None))]
    assert sorted(x.rightOuterJoin(y).collect()) == \
        [("a", (1, 2)), ("a", (1, 3)), ("c", (None, 9))]
    assert len(x.fullOuterJoin(y).collect()) == 4
    assert sorted((k, tuple(map(list, v))) for k, v in x.cogroup(y).collect()) == \
        [("a", ([1], [2, 3])), ("b", ([4], [])), ("c", ([], [9]))]
    assert sorted(x.subtractByKey(y).collect()) == [("b", 4)]
    assert sorted(sc.parallelize([1, 2, 3, 4]).subtract(sc.parallelize([2, 4])).collect()) == [1, 3]
    assert sorted(sc.parallelize([1, 2, 3]).intersection(sc.parallelize([2, 3, 4])).collect()) == [2, 3]
    assert sc.parallelize([1, 2]).cartesian(sc.parallelize("ab")).count() == 4


def test_sorting_is_global(sc: SparkContext) -> None:
    data = [(i * 7919 % 1000, i) for i in range(1000)]
    out = sc.parallelize(data, 4).sortByKey(numPartitions=3).keys().collect()
    assert out == sorted(k for k, _ in data)
    desc = sc.parallelize(data, 4).sortBy(lambda kv: kv[1], ascending=False).values().take(3)
    assert desc == [999, 998, 997]
    parts = sc.parallelize(data, 4).repartitionAndSortWithinPartitions(2).glom().collect()
    assert all(p == sorted(p, key=lambda kv: kv[0]) for p in parts)


def test_actions(sc: SparkContext) -> None:
    rdd = sc.parallelize([5, 3, 8, 1, 9, 2], 3)
    assert rdd.reduce(operator.add) == 28
    assert rdd.treeReduce(operator.add, 2) == 28
    assert rdd.fold(0, operator.add) == 28
    assert rdd.aggregate(0, operator.add, operator.add) == 28
    assert rdd.treeAggregate(0, operator.add, operator.add) == 28
    assert (rdd.max(), rdd.min(), rdd.sum(), rdd.count()) == (9, 1, 28, 6)
    assert rdd.top(2) == [9, 8] and rdd.takeOrdered(2) == [1, 2]
    assert rdd.takeOrdered(2, key=lambda x: -x) == [9, 8]
    assert rdd.first() == 5 and rdd.take(4) == [5, 3, 8, 1]
    assert rdd.countByValue()[8] == 1
    assert abs(rdd.mean() - 28 / 6) < 1e-12
    assert rdd.histogram(2) == ([1, 5, 9], [3, 3])
    assert len(rdd.takeSample(False, 4, seed=1)) == 4
    assert list(rdd.toLocalIterator()) == [5, 3, 8, 1, 9, 2]
    assert not rdd.isEmpty() and sc.parallelize([]).isEmpty()
    with pytest.raises(ValueError, match="empty RDD"):
        sc.parallelize([]).reduce(operator.add)


def test_task_failure_carries_remote_traceback(sc: SparkContext) -> None:
    def boom(x):
        if x == 3:
            raise KeyError("no such thing")
        return x
    with pytest.raises(PythonException) as e:
        sc.parallelize(range(6), 2).map(boom).collect()
    text = str(e.value)
    assert "Job aborted due to stage failure" in text
    assert "KeyError: 'no such thing'" in text and "in boom" in text
    assert sc.parallelize([1, 2]).sum() == 3, "the context must survive a failed job"


def test_unpicklable_closure_is_named(sc: SparkContext) -> None:
    import threading
    lock = threading.Lock()
    with pytest.raises(Exception, match="(?i)pickle|serialize"):
        sc.parallelize([1]).map(lambda x: (lock, x)[1]).collect()


def test_shared_variables(sc: SparkContext) -> None:
    table = sc.broadcast({i: i * i for i in range(100)})
    acc = sc.accumulator(0)

    def use(x):
        acc.add(1)
        return table.value[x]
    assert sc.parallelize(range(100), 4).map(use).sum() == sum(i * i for i in range(100))
    assert acc.value == 100

    class ListParam(AccumulatorParam):
        def zero(self, value):
            return []

        def addInPlace(self, a, b):
            return a + b
    seen = sc.accumulator([], ListParam())
    sc.parallelize([1, 2, 3], 3).foreach(lambda x: seen.add([x]))
    assert sorted(seen.value) == [1, 2, 3]
    table.unpersist()
    assert sc.parallelize([2]).map(lambda x: table.value[x]).collect() == [4]


def test_task_context(sc: SparkContext) -> None:
    assert TaskContext.get() is None
    info = sc.parallelize(range(4), 2).mapPartitions(
        lambda it: [(TaskContext.get().partitionId(), TaskContext.get().attemptNumber())]).collect()
    assert info == [(0, 0), (1, 0)]
    sc.setLocalProperty("my.prop", "v1")
    props = sc.parallelize([0]).map(lambda _: TaskContext.get().getLocalProperty("my.prop")).collect()
    assert props == ["v1"]
    sc.setLocalProperty("my.prop", None)


def test_persist_levels_and_unpersist(sc: SparkContext) -> None:
    computed = sc.accumulator(0)

    def count(x):
        computed.add(1)
        return x
    for level in (StorageLevel.MEMORY_ONLY, StorageLevel.DISK_ONLY, StorageLevel.MEMORY_AND_DISK):
        before = computed.value
        rdd = sc.parallelize(range(50), 2).map(count).persist(level)
        assert rdd.getStorageLevel() == level
        assert rdd.sum() == rdd.sum() == 1225
        assert computed.value - before == 50, f"{level} recomputed its partitions"
        rdd.unpersist()
        assert rdd.getStorageLevel() == StorageLevel.NONE


def test_checkpoint_cuts_lineage(sc: SparkContext, tmp_path) -> None:
    sc.setCheckpointDir(str(tmp_path))
    rdd = sc.parallelize(range(10), 2).map(lambda x: x + 1)
    rdd.checkpoint()
    assert not rdd.isCheckpointed()
    assert rdd.sum() == 55
    assert rdd.isCheckpointed() and rdd.getCheckpointFile().startswith(str(tmp_path))
    assert rdd.dependencies == []
    assert rdd.map(lambda x: x * 2).collect() == [2 * (x + 1) for x in range(10)]


def test_text_files_in_and_out(sc: SparkContext, tmp_path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("one\ntwo\n")
    with gzip.open(src / "b.txt.gz", "wt") as f:
        f.write("three\nfour\n")
    (src / "_SUCCESS").write_text("")
    by_file = {"a.txt": ["one", "two"], "b.txt.gz": ["three", "four"]}
    listed = [n for n in os.listdir(src) if n in by_file]
    assert sc.textFile(str(src)).collect() == [line for n in listed for line in by_file[n]]
    assert sc.textFile(str(src / "*.txt")).count() == 2
    assert dict(sc.wholeTextFiles(str(src / "a.txt")).collect())[f"file:{src / 'a.txt'}"] == \
        "one\ntwo\n"
    out = tmp_path / "out"
    sc.parallelize(range(5), 2).saveAsTextFile(str(out))
    assert sorted(os.listdir(out)) == ["._SUCCESS.crc", ".part-00000.crc", ".part-00001.crc",
                                       "_SUCCESS", "part-00000", "part-00001"]
    assert sorted(sc.textFile(str(out)).map(int).collect()) == [0, 1, 2, 3, 4]
    gz = tmp_path / "gz"
    sc.parallelize(["x", "y"], 1).saveAsTextFile(str(gz), "org.apache.hadoop.io.compress.GzipCodec")
    assert (gz / "part-00000.gz").exists() and sc.textFile(str(gz)).collect() == ["x", "y"]
    with pytest.raises(AnalysisException, match="already exists"):
        sc.parallelize([1]).saveAsTextFile(str(out))
    pk = tmp_path / "pickled"
    sc.parallelize([{"k": 1}, (2, 3)], 2).saveAsPickleFile(str(pk))
    assert sorted(map(str, sc.pickleFile(str(pk)).collect())) == ["(2, 3)", "{'k': 1}"]
    with pytest.raises(AnalysisException, match="Input path does not exist"):
        sc.textFile(str(tmp_path / "missing")).count()


def test_failed_save_leaves_no_output(sc: SparkContext, tmp_path) -> None:
    out = tmp_path / "broken"

    def fail_late(x):
        if x == 7:
            raise RuntimeError("bad record")
        return x
    with pytest.raises(PythonException):
        sc.parallelize(range(10), 3).map(fail_late).saveAsTextFile(str(out))
    assert not out.exists()


def test_pipe_and_files(sc: SparkContext, tmp_path) -> None:
    assert sc.parallelize(["b", "a"], 1).pipe("sort").collect() == ["a", "b"]
    data = tmp_path / "lookup.txt"
    data.write_text("42")
    sc.addFile(str(data))
    from pyspk import SparkFiles
    got = sc.parallelize([0], 1).map(lambda _: open(SparkFiles.get("lookup.txt")).read()).collect()
    assert got == ["42"]


def test_job_group_cancellation(sc: SparkContext) -> None:
    import threading
    import time

    def slow(x):
        time.sleep(0.5)
        return x
    errors = []

    def run():
        sc.setJobGroup("g1", "slow job")
        try:
            sc.parallelize(range(20), 20).map(slow).count()
        except Exception as e:
            errors.append(e)
    t = threading.Thread(target=run)
    t.start()
    time.sleep(0.8)
    sc.cancelJobGroup("g1")
    t.join(20)
    assert errors and "cancelled" in str(errors[0])
    assert sc.parallelize([1, 2, 3]).count() == 3


def test_pyspk_errors_raised_in_tasks_keep_their_class(sc: SparkContext) -> None:
    from pyspk.errors import ArithmeticException

    def divide(x):
        if x == 0:
            raise ArithmeticException("Division by zero.", errorClass="DIVIDE_BY_ZERO",
                                      sqlState="22012")
        return 1 / x
    with pytest.raises(ArithmeticException) as e:
        sc.parallelize([1, 0, 2], 3).map(divide).collect()
    assert e.value.getErrorClass() == "DIVIDE_BY_ZERO" and e.value.getSqlState() == "22012"
    assert str(e.value) == "[DIVIDE_BY_ZERO] Division by zero. SQLSTATE: 22012"
    assert "in divide" in e.value.getStackTrace() and "Job aborted" in e.value.getStackTrace()


def test_zip_partitions_pairs_co_partitioned_sides(sc: SparkContext) -> None:
    left = sc.parallelize([(k, "L") for k in range(10)], 2).partitionBy(3)
    right = sc.parallelize([(k, "R") for k in range(0, 10, 3)] * 2, 3).partitionBy(3)

    def join(a, b):
        bs: dict = {}
        for k, v in b:
            bs.setdefault(k, []).append(v)
        return [(k, (v, w)) for k, v in a for w in bs.get(k, [])]
    joined = left._zip_partitions(right, join).collect()
    assert sorted(joined) == sorted(left.join(right).collect())
    with pytest.raises(Exception, match="same number of partitions"):
        left._zip_partitions(sc.parallelize([1], 1), join)
