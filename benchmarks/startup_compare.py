"""Cold start on pyspk and PySpark in the same run: a trivial job through spark-submit, the same
job from plain python, and the import alone (the shared kit's ``startup_bench.py``).

    python benchmarks/startup_compare.py --pyspark-python /path/to/ref/bin/python [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from _shared import RESULTS, SHARED_BENCH, reference_python, run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pyspark-python")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    ref = reference_python(args.pyspark_python)
    RESULTS.mkdir(parents=True, exist_ok=True)
    outs = {}
    for engine, python in (("pyspk", sys.executable), ("pyspark", ref)):
        out = RESULTS / f"startup_{engine}.json"
        run([python, str(SHARED_BENCH / "startup_bench.py"), "--engine", engine, "--runs",
             str(args.runs), "--python", python, "--out", str(out)], python)
        outs[engine] = json.loads(out.read_text())
    print(f"{'measure':16s} {'pyspk s':>9s} {'pyspark s':>10s} {'ratio':>7s}")
    pyspk_submit = _submit_pyspk(args.runs)
    print(f"{'spark_submit':16s} {pyspk_submit:9.3f} {_median(outs['pyspark'], 'spark_submit'):10.3f} "
          f"{pyspk_submit / _median(outs['pyspark'], 'spark_submit'):7.3f}")
    for name in ("python_direct", "import_only", "python_floor"):
        a, b = _median(outs["pyspk"], name), _median(outs["pyspark"], name)
        if a is not None and b is not None:
            print(f"{name:16s} {a:9.3f} {b:10.3f} {a / b:7.3f}")


def _submit_pyspk(runs: int) -> float:
    """Median wall seconds of pyspk's spark-submit running the kit's trivial job."""
    submit = os.path.join(os.path.dirname(sys.executable), "spark-submit")
    walls = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([submit, "--master", "local[2]", str(SHARED_BENCH / "startup_trivial.py"),
                        "pyspk"], check=True, capture_output=True)
        walls.append(time.perf_counter() - t0)
    return statistics.median(walls)


def _median(result: dict, name: str) -> float | None:
    entry = result.get(name)
    walls = [r["wall_s"] for r in (entry or {}).get("runs", []) if r.get("ok")]
    return statistics.median(walls) if walls else None


if __name__ == "__main__":
    main()
