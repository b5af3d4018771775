"""TPC-H through ``spark.sql`` on pyspk and on PySpark (and DuckDB as the single-node limit) in
the same run: answers checked against each other, per-query ratios and geometric means.

    python benchmarks/tpch_compare.py --pyspark-python /path/to/ref/bin/python [--sf 1] [--repeat 3]

Data is generated once with the shared kit's gen_tpch.sh (tpchgen-cli from the reference venv).
Ratios below 1 mean pyspk is faster.
"""
from __future__ import annotations

import argparse
import os
import pathlib
import subprocess
import sys

from _shared import DATA, RESULTS, SHARED_BENCH, reference_python, run


def ensure_data(sf: str, ref_python: str) -> pathlib.Path:
    out = DATA / f"sf{sf}"
    if not (out / "lineitem.parquet").exists():
        env = dict(os.environ)
        env["TPCHGEN"] = str(pathlib.Path(ref_python).parent / "tpchgen-cli")
        subprocess.run(["bash", str(SHARED_BENCH / "gen_tpch.sh"), sf, str(out)], env=env, check=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pyspark-python")
    ap.add_argument("--sf", default="1")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--queries", default="all")
    ap.add_argument("--skip-pyspark", action="store_true")
    ap.add_argument("--conf", action="append", default=[], help="extra key=value for pyspk")
    args = ap.parse_args()
    ref = reference_python(args.pyspark_python)
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = ensure_data(args.sf, ref)
    common = ["--data", str(data), "--queries", args.queries, "--repeat", str(args.repeat)]
    runner = str(SHARED_BENCH / "run_sql.py")
    outs = {}
    engines = [("pyspk", sys.executable)] + ([] if args.skip_pyspark else [("pyspark", ref)])
    for engine, python in engines:
        out = RESULTS / f"tpch_sf{args.sf}_{engine}.json"
        extra = [f"--conf={c}" for c in args.conf] if engine == "pyspk" else []
        run([python, runner, "--engine", engine, "--out", str(out)] + common + extra, python)
        outs[engine] = out
    duck = RESULTS / f"tpch_sf{args.sf}_duckdb.json"
    run([ref, str(SHARED_BENCH / "run_duckdb.py"), "--data", str(data), "--out", str(duck)], ref)
    reference_rows = SHARED_BENCH / f"reference_rows_sf{args.sf}"
    if reference_rows.exists():
        run([sys.executable, str(SHARED_BENCH / "check_answers.py"),
             str(outs["pyspk"]).replace(".json", "_rows"), str(reference_rows)], sys.executable)
    compare = str(SHARED_BENCH / "compare.py")
    if "pyspark" in outs:
        run([sys.executable, compare, str(outs["pyspk"]), str(outs["pyspark"])], sys.executable)
    run([sys.executable, compare, str(outs["pyspk"]), str(duck)], sys.executable)


if __name__ == "__main__":
    main()
