"""Files pyspk writes are read by a real PySpark (opt-in, ``--run-pyspark``): SequenceFiles with
every Writable PySpark maps to, plain and zlib-compressed, and text outputs with Hadoop's .crc
checksums (Spark verifies them when reading)."""
from __future__ import annotations

import os
import subprocess

import pytest

from pyspk import SparkConf, SparkContext

pytestmark = pytest.mark.pyspark

READER = """
from pyspark import SparkContext
sc = SparkContext("local[1]", "read"); sc.setLogLevel("ERROR")
for path in {paths!r}:
    print(sorted(sc.sequenceFile(path).collect()))
print(sorted(sc.textFile({text!r}).collect()))
sc.stop()
"""

DATASETS = [
    [(1, "one"), (2, "two")],
    [(2 ** 40, 1.5), (2 ** 41, -2.25)],
    [("j", False), ("k", True)],
    [(b"ab", None)],
]


def test_pyspark_reads_what_pyspk_wrote(request: pytest.FixtureRequest, tmp_path) -> None:
    python = request.config.getoption("--pyspark-python") or os.environ.get("PYSPARK_REF_PYTHON")
    if not python:
        pytest.skip("name the reference venv's python with --pyspark-python")
    paths = []
    conf = SparkConf(loadDefaults=False).setMaster("local[2]").setAppName("interop")
    with SparkContext(conf=conf) as sc:
        for i, records in enumerate(DATASETS):
            path = str(tmp_path / f"seq{i}")
            codec = "org.apache.hadoop.io.compress.DefaultCodec" if i % 2 else None
            sc.parallelize(records, 2).saveAsSequenceFile(path, codec)
            paths.append(path)
        sc.parallelize(["b", "a", "c"], 2).saveAsTextFile(str(tmp_path / "text"))
    script = tmp_path / "read_with_pyspark.py"
    script.write_text(READER.format(paths=paths, text=str(tmp_path / "text")))
    proc = subprocess.run([python, str(script)], capture_output=True, text=True, timeout=240,
                          env=dict(os.environ, PYSPARK_PYTHON=python))
    assert proc.returncode == 0, proc.stderr[-3000:]
    expected = [str(sorted((bytearray(k) if isinstance(k, bytes) else k, v) for k, v in d))
                for d in DATASETS] + [str(["a", "b", "c"])]
    assert proc.stdout.splitlines() == expected
