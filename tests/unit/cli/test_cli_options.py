"""spark-submit's flag and properties-file handling: precedence, defaults, one-line errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from pyspk.cli.options import (
    FLAGS, SubmitArgs, SubmitError, check_master, parse_conf_pair, parse_properties, resolve,
)


def _args(**kw: object) -> SubmitArgs:
    flags = {spec.param: None for spec in FLAGS}
    flags.update(kw.pop("flags", {}))  # type: ignore[arg-type]
    return SubmitArgs(flags=flags, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("text,expected", [
    ("spark.master local[2]", {"spark.master": "local[2]"}),
    ("spark.master=local[2]", {"spark.master": "local[2]"}),
    ("spark.master: local[2]", {"spark.master": "local[2]"}),
    ("spark.master  =  local[2]  ", {"spark.master": "local[2]"}),
    ("spark.a\tx y z", {"spark.a": "x y z"}),
    ("spark.a=b=c", {"spark.a": "b=c"}),
    ("# comment\n! other\n\n   \nspark.a 1", {"spark.a": "1"}),
    ("spark.a one \\\n   two", {"spark.a": "one two"}),
    ("spark.a 1\nspark.a 2", {"spark.a": "2"}),
])
def test_properties_formats(text: str, expected: dict[str, str]) -> None:
    assert parse_properties(text, "f.conf") == expected


def test_properties_line_without_value_names_file_and_line() -> None:
    with pytest.raises(SubmitError, match=r"Malformed line 3 in properties file f.conf: "
                                          r"'spark.oops'"):
        parse_properties("# c\nspark.a 1\nspark.oops\n", "f.conf")


@pytest.mark.parametrize("text,pair", [
    ("spark.a=1", ("spark.a", "1")),
    ("spark.a=x=y", ("spark.a", "x=y")),
    ("spark.a=", ("spark.a", "")),
])
def test_conf_pairs(text: str, pair: tuple[str, str]) -> None:
    assert parse_conf_pair(text) == pair


@pytest.mark.parametrize("text", ["spark.a", "=1", ""])
def test_bad_conf_pairs(text: str) -> None:
    with pytest.raises(SubmitError, match="Invalid argument to --conf"):
        parse_conf_pair(text)


@pytest.mark.parametrize("url", ["local", "local[1]", "local[*]", "local[4,2]", "local[*,3]",
                                 "local-cluster[2,1,1024]", "spark://h:7077",
                                 "spark://a:7077,b:7078"])
def test_good_masters(url: str) -> None:
    assert check_master(url) == url


@pytest.mark.parametrize("url", ["foo", "local[0]", "local[x]", "yarn", "spark://h",
                                 "local-cluster[2,1]", "local[2"])
def test_bad_masters(url: str) -> None:
    with pytest.raises(SubmitError, match="Invalid master URL"):
        check_master(url)


def test_precedence_file_below_conf_below_flags(tmp_path: Path) -> None:
    props = tmp_path / "p.conf"
    props.write_text("spark.master local[5]\nspark.executor.memory 3g\nspark.a file\n"
                     "spark.b file\n")
    args = _args(flags={"master": "local[2]"}, properties_file=props,
                 confs=("spark.master=local[3]", "spark.a=conf"))
    got = resolve(args, "app.py", None, now=1.5).properties
    assert got["spark.master"] == "local[2]"
    assert got["spark.a"] == "conf"
    assert got["spark.b"] == "file"
    assert got["spark.executor.memory"] == "3g"
    assert got["spark.app.name"] == "app.py"
    assert got["spark.app.submitTime"] == "1500"
    assert got["spark.submit.deployMode"] == "client"


def test_defaults_without_anything() -> None:
    got = resolve(_args(), "x.py", None).properties
    assert got["spark.master"] == "local[*]"
    assert got["spark.app.name"] == "x.py"
    assert got["spark.submit.pyFiles"] == ""


def test_default_properties_file_only_when_present(tmp_path: Path) -> None:
    default = tmp_path / "spark-defaults.conf"
    assert resolve(_args(), "x", default).properties_file is None
    default.write_text("spark.app.name fromfile\n")
    resolved = resolve(_args(), "x", default)
    assert resolved.properties_file == default
    assert resolved.properties["spark.app.name"] == "fromfile"


def test_explicit_properties_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(SubmitError, match="Cannot read properties file .*nope.conf"):
        resolve(_args(properties_file=tmp_path / "nope.conf"), "x", None)


def test_non_spark_keys_dropped_with_warning() -> None:
    resolved = resolve(_args(confs=("foo=1", "spark.x=2")), "x", None)
    assert "foo" not in resolved.properties
    assert resolved.warnings == ["Warning: Ignoring non-Spark config property: foo"]


def test_flags_map_to_spark_keys(tmp_path: Path) -> None:
    data = tmp_path / "d.txt"
    data.write_text("x")
    flags = {"name": "n", "executor_memory": "2g", "driver_memory": "512m", "executor_cores": 2,
             "total_executor_cores": 8, "files": str(data), "py_files": str(data),
             "archives": f"{data}#alias", "driver_cores": 2, "num_executors": 3}
    got = resolve(_args(flags=flags), "x", None).properties
    assert got["spark.app.name"] == "n"
    assert got["spark.executor.memory"] == "2g"
    assert got["spark.driver.memory"] == "512m"
    assert got["spark.executor.cores"] == "2"
    assert got["spark.cores.max"] == "8"
    assert got["spark.driver.cores"] == "2"
    assert got["spark.executor.instances"] == "3"
    assert got["spark.files"] == str(data.resolve())
    assert got["spark.submit.pyFiles"] == str(data.resolve())
    assert got["spark.archives"] == f"{data.resolve()}#alias"


@pytest.mark.parametrize("flags,message", [
    ({"executor_memory": "lots"}, "Invalid value for --executor-memory"),
    ({"executor_cores": 0}, "Invalid value for --executor-cores"),
    ({"files": "/no/such/file"}, "--files: no such file: /no/such/file"),
    ({"py_files": "http://x/y.py"}, "--py-files: only local files"),
    ({"master": "mesos://x"}, "Invalid master URL 'mesos://x'"),
])
def test_bad_flag_values(flags: dict[str, object], message: str) -> None:
    with pytest.raises(SubmitError, match=message):
        resolve(_args(flags=flags), "x", None)


def test_missing_file_from_conf_names_the_key() -> None:
    with pytest.raises(SubmitError, match="spark.files: no such file"):
        resolve(_args(confs=("spark.files=/no/such",)), "x", None)


def test_cluster_deploy_mode_refused() -> None:
    with pytest.raises(SubmitError, match="Invalid deploy mode 'cluster'"):
        resolve(_args(deploy_mode="cluster"), "x", None)


@pytest.mark.parametrize("conf,message", [
    ("spark.executor.memory=lots", "Invalid value 'lots' for config spark.executor.memory"),
    ("spark.task.maxFailures=x", "Invalid value 'x' for config spark.task.maxFailures"),
    ("spark.ui.showConsoleProgress=maybe", "for config spark.ui.showConsoleProgress"),
    ("spark.master=nowhere", "Invalid master URL 'nowhere'"),
])
def test_declared_keys_checked_before_the_program_runs(conf: str, message: str) -> None:
    with pytest.raises(SubmitError, match=message):
        resolve(_args(confs=(conf,)), "x", None)


def test_undeclared_keys_pass_through_unchecked() -> None:
    got = resolve(_args(confs=("spark.something.unknown=anything at all",)), "x", None)
    assert got.properties["spark.something.unknown"] == "anything at all"
