"""Writes as tasks through the output committer, and CSV/JSON/text scans as tasks, on a
``local[2,3]`` cluster (three attempts per task): retried attempts leave no duplicate rows, a
failed job leaves no ``_SUCCESS`` nor part files, split scans give the same rows as whole-file
reads."""
from __future__ import annotations

import os

import pytest

import pyspk.sql.functions as F
from pyspk.errors import PySparkException
from pyspk.sql import SparkSession
from pyspk.sql.io.committer import FileCommitter
from pyspk.sql.io.text_formats import line_range, plan_units


@pytest.fixture(scope="module")
def spark():
    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()
    session = SparkSession.builder.master("local[2,3]").appName("write-it").getOrCreate()
    yield session
    session.stop()


def _fail_first_attempt(v):
    from pyspk.taskcontext import TaskContext
    ctx = TaskContext.get()
    if ctx is not None and ctx.attemptNumber() == 0 and ctx.partitionId() == 1:
        raise RuntimeError("first attempt dies after writing some rows")
    return v


def _parts(path):
    return sorted(f for f in os.listdir(path) if f.startswith("part-"))


def test_retried_task_leaves_no_duplicates(spark, tmp_path):
    out = str(tmp_path / "retry")
    flaky = F.udf(_fail_first_attempt, "bigint")
    spark.range(0, 1000, 1, 3).select(flaky("id").alias("id")).write.csv(out)
    assert len(_parts(out)) == 3
    assert sorted(int(r._c0) for r in spark.read.csv(out).collect()) == list(range(1000))
    assert not os.path.exists(os.path.join(out, "_temporary"))


def _always_fail(v):
    if v == 700:
        raise RuntimeError("bad row")
    return v


def test_failed_job_leaves_nothing_that_looks_complete(spark, tmp_path):
    out = str(tmp_path / "failed")
    bad = F.udf(_always_fail, "bigint")
    with pytest.raises(PySparkException):
        spark.range(0, 1000, 1, 3).select(bad("id").alias("id")).write.json(out)
    assert not os.path.exists(os.path.join(out, "_SUCCESS"))
    assert not [f for _, _, fs in os.walk(out) for f in fs if f.startswith("part-")]


def test_first_committed_attempt_wins(tmp_path):
    c = FileCommitter(str(tmp_path / "out"), "job1")
    c.setup_job()
    for attempt in (0, 1):
        d = c.task_attempt_dir(0, attempt)
        os.makedirs(d)
        with open(os.path.join(d, "part-00000-job1-c000.csv"), "w") as fh:
            fh.write(f"attempt {attempt}\n")
    assert c.commit_task(0, 0) == ["part-00000-job1-c000.csv"]
    assert c.commit_task(0, 1) == []
    assert c.commit_job() == ["part-00000-job1-c000.csv"]
    out = str(tmp_path / "out")
    assert open(os.path.join(out, "part-00000-job1-c000.csv")).read() == "attempt 0\n"
    assert sorted(os.listdir(out)) == ["._SUCCESS.crc", ".part-00000-job1-c000.csv.crc",
                                       "_SUCCESS", "part-00000-job1-c000.csv"]


def test_line_splits_cover_every_line_once(tmp_path):
    p = tmp_path / "lines.txt"
    p.write_bytes(b"".join(f"line {i}\n".encode() * (i % 3 + 1) for i in range(500)) + b"tail")
    data = p.read_bytes()
    for size in (1, 7, 100, 4096):
        got = b"".join(line_range(str(p), s, min(len(data), s + size)) for s in range(0, len(data), size))
        assert got == data
    tasks = plan_units("text", [str(p)], {}, max_bytes=1000, parallelism=2, open_cost=0)
    assert len(tasks) > 1 and all(u[2] is not None for t in tasks for u in t)


@pytest.mark.parametrize("fmt", ["csv", "json", "text"])
def test_split_scans_match_local_reads(spark, tmp_path, fmt):
    out = str(tmp_path / fmt)
    df = spark.range(0, 200_000, 1, 2).select(F.col("id").cast("string").alias("v"))
    (df.write.option("header", True) if fmt == "csv" else df.write).format(fmt).save(out)
    spark.conf.set("spark.pyspk.sql.distributed.minBytes", "0")
    try:
        from pyspk.sql.execution import text_scan
        before = text_scan.MAX_PARTITION_BYTES
        text_scan.MAX_PARTITION_BYTES = 200_000
        reader = spark.read.option("header", True) if fmt == "csv" else spark.read
        dist = reader.format(fmt).load(out).toDF("v").agg(F.count("*").alias("n"), F.countDistinct("v").alias("d"),
                                                F.max(F.col("v").cast("long")).alias("m")).collect()
        spark.conf.set("spark.pyspk.sql.distributed", "false")
        local = reader.format(fmt).load(out).toDF("v").agg(F.count("*").alias("n"), F.countDistinct("v").alias("d"),
                                                 F.max(F.col("v").cast("long")).alias("m")).collect()
    finally:
        text_scan.MAX_PARTITION_BYTES = before
        spark.conf.unset("spark.pyspk.sql.distributed.minBytes")
        spark.conf.unset("spark.pyspk.sql.distributed")
    assert dist == local
    assert (dist[0].n, dist[0].d, dist[0].m) == (200_000, 200_000, 199_999)


def test_failfast_in_a_task_names_the_file(spark, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("1,2\n" * 1000 + "x,3\n")
    spark.conf.set("spark.pyspk.sql.distributed", "true")
    try:
        with pytest.raises(PySparkException) as info:
            spark.read.schema("a INT, b INT").option("mode", "FAILFAST").csv(str(path)).collect()
    finally:
        spark.conf.unset("spark.pyspk.sql.distributed")
    assert "FAILED_READ_FILE.NO_HINT" in str(info.value) and f"file://{path}" in str(info.value)
