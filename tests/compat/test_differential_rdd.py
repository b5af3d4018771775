"""Differential tests (opt-in, ``--run-pyspark``): each program runs under pyspk and under a real
PySpark, and both must print exactly the same thing.

    python -m pytest tests/compat --run-pyspark --pyspark-python /path/to/ref/bin/python
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.pyspark

PRELUDE = """
import operator
from {pkg} import SparkContext, SparkConf, StorageLevel
sc = SparkContext(conf=SparkConf().setMaster("local[2]").setAppName("diff"))
sc.setLogLevel("ERROR")
"""

PROGRAMS = {
    "slices": "print(sc.parallelize(range(17), 5).glom().collect())",
    "reduce_by_key_order": """
        words = "a b c a b a d e f g a b h".split()
        print(sc.parallelize(words, 3).map(lambda w: (w, 1)).reduceByKey(operator.add).collect())
    """,
    "group_by_key_order": """
        rdd = sc.parallelize([(i % 7, i) for i in range(40)], 4)
        print(rdd.groupByKey().mapValues(list).collect())
        print(rdd.groupByKey(3).mapValues(sorted).collect())
    """,
    "joins_order": """
        a = sc.parallelize([(i % 5, i) for i in range(12)], 3)
        b = sc.parallelize([(i % 4, -i) for i in range(9)], 2)
        print(a.join(b).collect())
        print(a.leftOuterJoin(b).collect())
        print(a.fullOuterJoin(b, 4).collect())
        print([(k, tuple(map(list, v))) for k, v in a.cogroup(b).collect()])
        print(a.subtractByKey(b).collect())
    """,
    "distinct_union_intersection": """
        x = sc.parallelize([5, 1, 3, 5, 7, 1, 9, 11, 3], 3)
        y = sc.parallelize([3, 4, 5, 6, 11], 2)
        print(x.distinct().collect())
        print(x.union(y).collect())
        print(x.intersection(y).collect())
        print(x.subtract(y).collect())
        print(x.cartesian(y).count(), x.zip(x.map(str)).collect())
    """,
    "sort": """
        data = [(k * 37 % 101, k) for k in range(60)]
        print(sc.parallelize(data, 4).sortByKey().collect()[:10])
        print(sc.parallelize(data, 4).sortByKey(False, 3).glom().map(len).collect())
        print(sc.parallelize(data, 3).sortBy(lambda kv: kv[1] % 7).collect()[:12])
        print(sc.parallelize(data, 3).repartitionAndSortWithinPartitions(2).glom().collect()[0][:5])
    """,
    "partition_by": """
        rdd = sc.parallelize([(i, i * i) for i in range(20)], 3)
        print(rdd.partitionBy(4).glom().collect())
        print(rdd.partitionBy(3, lambda k: k // 7).glom().map(len).collect())
    """,
    "actions": """
        r = sc.parallelize([4, 8, 15, 16, 23, 42, 7, 1], 3)
        print(r.reduce(operator.add), r.fold(0, operator.add), r.sum(), r.count())
        print(r.aggregate((0, 0), lambda a, v: (a[0] + v, a[1] + 1),
                          lambda a, b: (a[0] + b[0], a[1] + b[1])))
        print(r.treeReduce(operator.add), r.treeAggregate(0, operator.add, operator.add, 3))
        print(r.max(), r.min(), r.top(3), r.takeOrdered(3), r.take(5), r.first())
        print(r.mean(), r.variance(), r.stdev(), r.sampleStdev())
        print(r.stats())
        print(r.histogram(3), r.histogram([0, 10, 20, 50]))
        print(sorted(r.countByValue().items()), r.isEmpty(), sc.parallelize([]).isEmpty())
    """,
    "key_value_helpers": """
        kv = sc.parallelize([("a", 1), ("b", 2), ("a", 3), ("c", 4), ("b", 5)], 2)
        print(kv.keys().collect(), kv.values().collect())
        print(kv.mapValues(lambda v: v * 10).collect())
        print(kv.flatMapValues(lambda v: range(v % 3)).collect())
        print(sorted(kv.countByKey().items()), sorted(kv.collectAsMap().items()))
        print(kv.foldByKey(0, operator.add).collect())
        print(kv.aggregateByKey(0, operator.add, operator.add, 3).collect())
        print(kv.combineByKey(lambda v: [v], lambda c, v: c + [v], lambda a, b: a + b).collect())
        print(sorted(kv.reduceByKeyLocally(operator.add).items()))
        print(kv.lookup("a"), kv.partitionBy(2).lookup("b"))
    """,
    "zips_and_indexes": """
        r = sc.parallelize(list("abcdefghij"), 3)
        print(r.zipWithIndex().collect())
        print(r.zipWithUniqueId().collect())
        print(r.keyBy(lambda c: ord(c) % 3).collect())
        print(r.groupBy(lambda c: ord(c) % 3).mapValues(list).collect())
    """,
    "sampling_with_seed": """
        r = sc.parallelize(range(100), 4)
        print(r.sample(False, 0.2, 7).collect())
        print(r.sample(True, 0.3, 11).collect())
        print([s.collect() for s in r.randomSplit([0.3, 0.7], 5)])
        print(sc.parallelize([(i % 3, i) for i in range(30)], 2)
              .sampleByKey(False, {0: 0.5, 1: 0.2, 2: 1.0}, 3).collect())
    """,
    "coalesce_repartition": """
        r = sc.parallelize(range(20), 6)
        print(r.coalesce(4).glom().collect())
        print(r.repartition(3).getNumPartitions(), sorted(r.repartition(3).collect()))
    """,
    "persist_and_storage_levels": """
        r = sc.parallelize(range(10), 2).map(lambda x: x * 3)
        print(r.getStorageLevel())
        r.persist(StorageLevel.MEMORY_AND_DISK)
        print(r.getStorageLevel(), r.sum(), r.is_cached)
        r.unpersist()
        print(r.getStorageLevel(), StorageLevel.DISK_ONLY)
    """,
    "accumulators_and_broadcast": """
        acc = sc.accumulator(0)
        fl = sc.accumulator(0.0)
        b = sc.broadcast({1: "one", 2: "two"})
        def use(x):
            acc.add(x)
            fl.add(0.5)
            return b.value.get(x, "?")
        print(sc.parallelize([1, 2, 3], 2).map(use).collect(), acc.value, fl.value)
    """,
    "task_failure_message": """
        def boom(x):
            if x == 2:
                raise ValueError("bad value %d" % x)
            return x
        try:
            sc.parallelize([1, 2, 3], 1).map(boom).collect()
        except Exception as e:
            text = str(e)
            print("An exception was thrown from the Python worker" in text,
                  "ValueError: bad value 2" in text)
    """,
    "empty_and_errors": """
        try:
            sc.parallelize([]).reduce(operator.add)
        except ValueError as e:
            print(type(e).__name__, e)
        try:
            sc.parallelize([]).first()
        except ValueError as e:
            print(type(e).__name__, e)
        print(sc.emptyRDD().collect(), sc.parallelize([], 3).glom().collect())
    """,
    "text_round_trip": """
        import tempfile, os
        d = tempfile.mkdtemp()
        out = os.path.join(d, "out")
        sc.parallelize(["x", "y", "z", "w"], 2).saveAsTextFile(out)
        print(sorted(os.listdir(out)))
        print(sc.textFile(out).collect(), sc.textFile(out).getNumPartitions())
        print(sorted(os.path.basename(p) for p, _ in sc.wholeTextFiles(out).collect()))
        sc.parallelize([{"a": 1}, (2, 3), [4]], 2).saveAsPickleFile(os.path.join(d, "p"))
        print(sorted(map(str, sc.pickleFile(os.path.join(d, "p")).collect())))
    """,
    "files_and_partitions": """
        import tempfile, os
        d = tempfile.mkdtemp()
        for i in range(3):
            with open(os.path.join(d, "f%d.txt" % i), "w") as f:
                f.write("\\n".join("line %d-%d %s" % (i, j, "x" * (j % 13)) for j in range(400)))
        r = sc.textFile(d)
        print(r.getNumPartitions(), r.count(), r.first())
        r5 = sc.textFile(d, 5)
        print(r5.getNumPartitions(), r5.glom().map(len).collect())
        print(sc.textFile(os.path.join(d, "f1.txt"), 4).glom().map(len).collect())
        print(sc.wholeTextFiles(d).count(), sc.wholeTextFiles(d, 2).getNumPartitions())
    """,
    "unions_and_ranges": """
        a, b = sc.parallelize([1, 2, 3], 2), sc.parallelize([4, 5], 3)
        u = sc.union([a, b, a])
        print(u.getNumPartitions(), u.glom().collect())
        print((a + b).collect(), sc.defaultParallelism, sc.defaultMinPartitions)
        print(sc.range(1, 20, 3).glom().collect(), sc.range(7).collect())
        print(sc.parallelize(range(0, 30, 4), 3).glom().collect())
        print(sc.parallelize(range(3), 5).glom().collect())
        print(sc.parallelize("abcdefg", 3).glom().collect())
    """,
    "take_sample_and_iterators": """
        r = sc.parallelize(range(50), 4)
        print(r.takeSample(False, 5, 1), r.takeSample(True, 7, 2))
        print(len(r.takeSample(False, 60, 3)), sorted(r.takeSample(False, 60, 3))[:5])
        print(list(r.toLocalIterator())[:7])
        print(r.mapPartitionsWithIndex(lambda i, it: [(i, sum(it))]).collect())
        print(r.filter(lambda x: x % 7 == 0).map(lambda x: (x, x * x)).collectAsMap())
    """,
    "pipe_and_foreach": """
        r = sc.parallelize(["b", "a", "c"], 2)
        print(r.pipe("cat").collect())
        acc = sc.accumulator(0)
        r.foreach(lambda _: acc.add(1))
        part = sc.accumulator(0)
        r.foreachPartition(lambda it: part.add(len(list(it))))
        print(acc.value, part.value)
    """,
    "checkpointing": """
        import tempfile
        sc.setCheckpointDir(tempfile.mkdtemp())
        r = sc.parallelize(range(10), 2).map(lambda x: x * 2)
        r.checkpoint()
        print(r.isCheckpointed(), r.getCheckpointFile() is None)
        print(r.sum(), r.isCheckpointed(), r.getCheckpointFile() is not None)
        print(r.map(lambda x: x + 1).collect())
        l = sc.parallelize(range(4), 2)
        l.localCheckpoint()
        print(l.isLocallyCheckpointed(), l.count())
    """,
    "debug_and_names": """
        r = sc.parallelize(range(3), 2).setName("numbers")
        print(r.name(), r.getNumPartitions(), r.id() == r.id())
    """,
}


def _ref_python(config: pytest.Config) -> str:
    python = config.getoption("--pyspark-python") or os.environ.get("PYSPARK_REF_PYTHON")
    if not python:
        pytest.skip("name the reference venv's python with --pyspark-python")
    return python


def _run(python: str, pkg: str, body: str, tmp_path) -> str:
    script = tmp_path / f"program_{pkg}.py"
    script.write_text(PRELUDE.format(pkg=pkg) + textwrap.dedent(body) + "\nsc.stop()\n")
    env = dict(os.environ, PYSPARK_PYTHON=python, PYTHONHASHSEED="0")
    proc = subprocess.run([python, str(script)], capture_output=True, text=True, env=env,
                          timeout=240)
    assert proc.returncode == 0, f"{pkg} failed:\n{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_prints_what_pyspark_prints(name: str, request: pytest.FixtureRequest, tmp_path) -> None:
    ours = _run(sys.executable, "pyspk", PROGRAMS[name], tmp_path)
    theirs = _run(_ref_python(request.config), "pyspark", PROGRAMS[name], tmp_path)
    assert ours == theirs
