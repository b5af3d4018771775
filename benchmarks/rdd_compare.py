"""RDD workloads of the shared kit on pyspk and on PySpark in the same run, with ratios.

    python benchmarks/rdd_compare.py --pyspark-python /path/to/ref/bin/python [--repeat 3]

Prints, per workload, each engine's median seconds and pyspk/PySpark (below 1: pyspk faster),
plus scheduling throughput of the 2,000 tiny tasks.
"""
from __future__ import annotations

import argparse
import json
import sys

from _shared import DATA, RESULTS, SHARED_BENCH, reference_python, run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pyspark-python")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workloads", default="abcdef")
    ap.add_argument("--master", default="local[2]")
    args = ap.parse_args()
    ref = reference_python(args.pyspark_python)
    RESULTS.mkdir(parents=True, exist_ok=True)
    DATA.mkdir(parents=True, exist_ok=True)
    text = str(DATA / "text_200mb.txt")
    outs = {}
    for engine, python in (("pyspk", sys.executable), ("pyspark", ref)):
        out = RESULTS / f"rdd_{engine}.json"
        run([python, str(SHARED_BENCH / "rdd_bench.py"), "--engine", engine, "--master",
             args.master, "--repeat", str(args.repeat), "--workloads", args.workloads,
             "--text", text, "--out", str(out)], python)
        outs[engine] = json.loads(out.read_text())
    report(outs["pyspk"], outs["pyspark"])


def report(a: dict, b: dict) -> None:
    wa, wb = a.get("workloads", {}), b.get("workloads", {})
    print(f"{'workload':32s} {'pyspk s':>9s} {'pyspark s':>10s} {'ratio':>7s}")
    for name in sorted(set(wa) | set(wb)):
        ta, tb = wa.get(name, {}).get("median"), wb.get(name, {}).get("median")
        ratio = f"{ta / tb:7.3f}" if ta and tb else "    n/a"
        print(f"{name:32s} {ta or float('nan'):9.3f} {tb or float('nan'):10.3f} {ratio}")
        if name.startswith("e_") and ta and tb:
            print(f"{'  tasks per second':32s} {2000 / ta:9.0f} {2000 / tb:10.0f}")
    sa, sb = a.get("startup", {}), b.get("startup", {})
    if sa and sb:
        ta, tb = sa["process_to_first_result_s"], sb["process_to_first_result_s"]
        print(f"{'process start to first result':32s} {ta:9.3f} {tb:10.3f} {ta / tb:7.3f}")


if __name__ == "__main__":
    main()
