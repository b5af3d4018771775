"""Locating the shared benchmark kit and the reference PySpark interpreter."""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
SHARED_BENCH = pathlib.Path(os.environ.get("PYSPK_SHARED_BENCH", REPO.parent / "shared" / "bench"))
RESULTS = REPO / "benchmarks" / "results"
DATA = REPO / "benchmarks" / "data"


def reference_python(explicit: str | None) -> str:
    """The python of a venv with pyspark==4.3.0 (``--pyspark-python`` or $PYSPARK_REF_PYTHON)."""
    python = explicit or os.environ.get("PYSPARK_REF_PYTHON")
    if not python:
        sys.exit("name the reference venv's python with --pyspark-python or PYSPARK_REF_PYTHON "
                 "(pip install pyspark==4.3.0 pandas pyarrow in a separate venv)")
    return python


def run(cmd: list[str], engine_python: str) -> None:
    """Run one engine's side; pyspk's side gets this checkout on its path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYSPARK_PYTHON"] = engine_python
    subprocess.run(cmd, env=env, check=True)
