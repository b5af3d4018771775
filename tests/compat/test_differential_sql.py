"""Differential semantics tests (opt-in, ``--run-pyspark``): the SQL edge cases of
``sql_semantics_cases`` run under pyspk and under a real PySpark; each case must print exactly the
same schema, rows and ``show()`` table, or fail with the same exception type and error class
(and message first line).

    python -m pytest tests/compat/test_differential_sql.py --run-pyspark \\
        --pyspark-python /work/refvenv/bin/python
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sql_semantics_cases import CASES, PROGRAM

# Both engines run every case in one process each (the first test pays for it).
pytestmark = [pytest.mark.pyspark, pytest.mark.timeout(900)]

# Differences in generated column names only: sqlglot reads nvl/ifnull as coalesce,
# to_unix_timestamp as unix_timestamp and CAST(0.1 AS FLOAT) like the literal 0.1F, so the
# original spelling is lost before pyspk sees the query. Values and types agree.
KNOWN_NAME_DIFFERENCES = {"cast27", "cast27_ansioff", "null3", "null3_ansioff", "dt6_utc",
                          "dt6_la", "dt6_kolkata", "dt6_la_ansioff"}


def _start(pkg: str, python: str) -> subprocess.Popen:
    env = dict(os.environ, TZ="UTC")
    return subprocess.Popen([python, "-c", PROGRAM.replace("{pkg}", pkg)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _finish(proc: subprocess.Popen) -> dict[str, str]:
    try:
        out, err = proc.communicate(json.dumps(CASES), timeout=420)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err[-3000:]
    blocks: dict[str, str] = {}
    name = None
    for line in out.splitlines():
        if line.startswith("=== "):
            name = line[4:]
            blocks[name] = ""
        elif name is not None:
            blocks[name] += line + "\n"
    return blocks


@pytest.fixture(scope="module")
def outputs(request: pytest.FixtureRequest) -> tuple[dict[str, str], dict[str, str]]:
    ref_python = request.config.getoption("--pyspark-python") or os.environ.get("PYSPARK_REF_PYTHON")
    if not ref_python:
        pytest.skip("no PySpark python given (--pyspark-python or $PYSPARK_REF_PYTHON)")
    ref = _finish(_start("pyspark", ref_python))
    return ref, _finish(_start("pyspk", sys.executable))


@pytest.mark.parametrize("name", [
    pytest.param(c[0], marks=pytest.mark.xfail(strict=True, reason="column name spelling"))
    if c[0] in KNOWN_NAME_DIFFERENCES else c[0] for c in CASES])
def test_same_as_pyspark(outputs: tuple[dict[str, str], dict[str, str]], name: str) -> None:
    ref, ours = outputs
    assert ours.get(name) == ref[name]
