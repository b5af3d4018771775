"""File writes and reads (CSV, JSON, Parquet) on pyspk and on PySpark in the same run.

    python benchmarks/io_compare.py --pyspark-python /work/refvenv/bin/python [--rows 1000000]

Each engine builds the same DataFrame (``--rows`` rows over 4 partitions: bigint, bigint,
double, string, date, timestamp) and saves it once as Parquet (untimed), so the timed writes
measure file output rather than expression evaluation: each format is written from that source
(one file per partition), then read back with an explicit schema and every column aggregated
(so every value is parsed). Prints each engine's median seconds and pyspk/PySpark (below 1:
pyspk faster).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

from _shared import RESULTS, reference_python, run

SCHEMA = "id BIGINT, k BIGINT, v DOUBLE, s STRING, d DATE, ts TIMESTAMP"
FORMATS = ("csv", "json", "parquet")


def _bench(engine: str, rows: int, repeat: int, master: str, out: str) -> None:
    """One engine's side: time every write and read, write the medians as JSON."""
    if engine == "pyspk":
        from pyspk.sql import SparkSession
    else:
        from pyspark.sql import SparkSession
    spark = (SparkSession.builder.master(master).appName(f"io-{engine}")
             .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    built = spark.range(0, rows, 1, 4).selectExpr(
        "id", "id % 100 AS k", "id * 0.5 AS v", "concat('name', CAST(id AS STRING)) AS s",
        "date_add(DATE'2024-01-01', CAST(id % 365 AS INT)) AS d",
        "timestamp_seconds(1704067200 + id % 86400) AS ts")
    base = tempfile.mkdtemp(prefix=f"io_{engine}_")
    results: dict[str, dict] = {}
    expected = None
    try:
        built.write.parquet(os.path.join(base, "source"))
        df = spark.read.parquet(os.path.join(base, "source"))
        for fmt in FORMATS:
            path = os.path.join(base, fmt)
            writes, reads = [], []
            for _ in range(repeat):
                t0 = time.perf_counter()
                df.write.mode("overwrite").format(fmt).save(path)
                writes.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                reader = spark.read.format(fmt)
                if fmt != "parquet":
                    reader = reader.schema(SCHEMA)
                got = reader.load(path).selectExpr(
                    "count(*) AS n", "sum(id) AS si", "sum(k) AS sk", "sum(v) AS sv",
                    "max(s) AS ms", "max(d) AS md", "max(ts) AS mt").collect()[0]
                reads.append(time.perf_counter() - t0)
                answer = (got.n, got.si, got.sk, got.sv, got.ms, str(got.md), str(got.mt))
                expected = expected or answer
                if answer != expected:
                    raise SystemExit(f"{engine} {fmt}: read back {answer}, expected {expected}")
            size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(path) for f in fs)
            results[fmt] = {"write": statistics.median(writes), "read": statistics.median(reads),
                            "bytes": size}
    finally:
        shutil.rmtree(base, ignore_errors=True)
        spark.stop()
    with open(out, "w") as fh:
        json.dump({"engine": engine, "rows": rows, "results": results, "answer": expected}, fh,
                  default=str)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pyspark-python")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--engine", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.engine:
        _bench(args.engine, args.rows, args.repeat, args.master, args.out)
        return
    ref = reference_python(args.pyspark_python)
    RESULTS.mkdir(parents=True, exist_ok=True)
    outs = {}
    for engine, python in (("pyspk", sys.executable), ("pyspark", ref)):
        out = RESULTS / f"io_{engine}.json"
        run([python, __file__, "--engine", engine, "--rows", str(args.rows), "--repeat",
             str(args.repeat), "--master", args.master, "--out", str(out)], python)
        outs[engine] = json.loads(out.read_text())
    if outs["pyspk"]["answer"] != outs["pyspark"]["answer"]:
        print(f"answers differ: pyspk {outs['pyspk']['answer']} pyspark {outs['pyspark']['answer']}")
    report(outs["pyspk"], outs["pyspark"])


def report(a: dict, b: dict) -> None:
    print(f"{a['rows']:,} rows, median of runs")
    print(f"{'workload':20s} {'pyspk s':>9s} {'pyspark s':>10s} {'ratio':>7s} {'pyspk MB':>9s} {'pyspark MB':>11s}")
    for fmt in FORMATS:
        ra, rb = a["results"][fmt], b["results"][fmt]
        for op in ("write", "read"):
            ta, tb = ra[op], rb[op]
            extra = f" {ra['bytes'] / 1e6:9.1f} {rb['bytes'] / 1e6:11.1f}" if op == "write" else ""
            print(f"{fmt + ' ' + op:20s} {ta:9.3f} {tb:10.3f} {ta / tb:7.3f}{extra}")


if __name__ == "__main__":
    main()
