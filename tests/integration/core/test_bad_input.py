"""Bad input at context creation fails at once with an error naming the problem, and leaves no
executor process behind."""
from __future__ import annotations

import psutil
import pytest

from pyspk import SparkConf, SparkContext
from pyspk.errors import ConfigError, PySparkValueError


def _executor_children() -> list[psutil.Process]:
    return [p for p in psutil.Process().children(recursive=True)
            if "pyspk.executor" in " ".join(p.cmdline())]


@pytest.mark.parametrize("key,value", [
    ("spark.executor.memory", "lots"),
    ("spark.task.maxFailures", "four"),
    ("spark.network.timeout", "soon"),
    ("spark.shuffle.readHostLocalDisk", "maybe"),
])
def test_malformed_config_value_names_the_key(key: str, value: str) -> None:
    conf = SparkConf(loadDefaults=False).setMaster("local[1]").setAppName("bad").set(key, value)
    with pytest.raises(ConfigError) as e:
        SparkContext(conf=conf)
    assert key in str(e.value) and value in str(e.value)
    assert SparkContext._active_spark_context is None
    assert not _executor_children()


def test_malformed_master_url() -> None:
    with pytest.raises(PySparkValueError, match=r"Could not parse Master URL: 'local\[two\]'"):
        SparkContext("local[two]", "bad")
    assert SparkContext._active_spark_context is None
    assert not _executor_children()


def test_stopped_context_refuses_work_and_leaves_nothing() -> None:
    sc = SparkContext("local[2]", "stop")
    rdd = sc.parallelize([1, 2, 3])
    assert rdd.sum() == 6
    sc.stop()
    assert not _executor_children()
    with pytest.raises(Exception, match="stopped SparkContext"):
        rdd.collect()


def test_results_past_max_result_size_abort_the_job() -> None:
    conf = (SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("big")
            .set("spark.driver.maxResultSize", "1m"))
    with SparkContext(conf=conf) as sc:
        with pytest.raises(Exception, match=r"bigger than spark.driver.maxResultSize \(1.0 MiB\)"):
            sc.parallelize(range(4), 4).map(lambda _: b"x" * 400_000).collect()
        assert sc.parallelize(range(4), 4).map(lambda _: b"x" * 100_000).count() == 4


def test_missing_shipped_file_fails_start_and_leaves_no_executor(tmp_path) -> None:
    conf = (SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("files")
            .set("spark.files", str(tmp_path / "missing.txt")))
    with pytest.raises(PySparkValueError, match="missing.txt does not exist"):
        SparkContext(conf=conf)
    assert SparkContext._active_spark_context is None
    assert not _executor_children()


def test_archives_from_submit_conf_are_unpacked(tmp_path) -> None:
    import zipfile
    archive = tmp_path / "data.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("value.txt", "7")
    conf = (SparkConf(loadDefaults=False).setMaster("local[1]").setAppName("archives")
            .set("spark.archives", f"{archive}#unpacked"))
    with SparkContext(conf=conf) as sc:
        from pyspk import SparkFiles
        read = sc.parallelize([0], 1).map(
            lambda _: open(SparkFiles.get("unpacked") + "/value.txt").read()).collect()
        assert read == ["7"]
