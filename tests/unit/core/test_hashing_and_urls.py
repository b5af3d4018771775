"""portable_hash agrees with PySpark's values; master URLs parse as Spark's."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pyspk.errors import PySparkValueError
from pyspk.master_url import parse_master
from pyspk.serde.hashing import portable_hash


def test_portable_hash_of_tuples_and_none() -> None:
    assert portable_hash(None) == 0
    assert portable_hash(7) == 7
    # Values computed by pyspark.rdd.portable_hash under PYTHONHASHSEED=0.
    assert portable_hash((None, 1)) == 3430028580079870073


def test_portable_hash_of_strings_matches_pyspark() -> None:
    code = ("from pyspk.serde.hashing import portable_hash as h; "
            "print(h(('a', 2)), h('abc'))")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": "0"},
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["102774922577124043", "-4594863902769663758"]


@pytest.mark.parametrize("url,kind,threads,failures", [
    ("local", "local", 1, 1),
    ("local[4]", "local", 4, 1),
    ("local[3,2]", "local", 3, 2),
    ("local[*]", "local", os.cpu_count(), 1),
])
def test_local_urls(url: str, kind: str, threads: int, failures: int) -> None:
    m = parse_master(url)
    assert (m.kind, m.threads, m.max_failures) == (kind, threads, failures)


def test_cluster_urls() -> None:
    m = parse_master("local-cluster[2,1,512]")
    assert (m.kind, m.workers, m.cores_per_worker, m.memory_mb) == ("local-cluster", 2, 1, 512)
    assert parse_master("spark://10.0.0.1:7077").address == "10.0.0.1:7077"
    assert parse_master("spark://a:7077,b:7077").address == "a:7077,b:7077"


@pytest.mark.parametrize("url", ["", "locl[2]", "local[0]", "local[x]", "spark://nohost",
                                 "yarn", "local-cluster[1,2]"])
def test_bad_urls_name_the_url(url: str) -> None:
    with pytest.raises(PySparkValueError) as e:
        parse_master(url)
    assert e.value.getErrorClass() == "INVALID_MASTER_URL"


def test_tuple_subclasses_hash_like_tuples() -> None:
    from collections import namedtuple
    Pair = namedtuple("Pair", "a b")
    assert portable_hash(Pair(1, 2)) == portable_hash((1, 2))
    assert portable_hash(True) == 1 and portable_hash(2.0) == 2
