"""All 22 TPC-H queries at SF10 through ``spark.sql`` with the executor memory capped at 4 GiB.

    python benchmarks/tpch_sf10.py [--data benchmarks/data/sf10] [--queries all]
        [--reference ROWS_DIR] [--memory 4096] [--out benchmarks/results/tpch_sf10.json]

The cap is real: the queries run on ``local-cluster[1,2,M]`` — one worker of 2 cores and M MiB
whose one executor (2 slot processes, ``spark.executor.memory`` = M MiB) is killed by the worker
when its processes' resident memory passes M MiB (``spark.pyspk.worker.memoryOverheadFactor``
= 1.0, checked every 0.25 s). SF10 inputs are over ``spark.pyspk.sql.distributed.minBytes``, so
every query runs as stages on that executor, whose SQL operators spill past their share of
memory (``pyspk/sql/execution/spill*.py``). The driver only collects results (and runs the few
operators that stay on the driver) and is not capped.

Per query: wall seconds, rows, the peak resident memory of the executor (its slot processes
summed, sampled with psutil every 0.1 s), the bytes spilled (stage metrics) and whether the
executor was lost. Answers are compared with ``--reference`` (DuckDB's rows from the shared kit's
``run_duckdb.py`` over the same files) by the kit's ``check_answers.py``.

Generate the data once (gitignored):
    TPCHGEN=/path/to/ref/bin/tpchgen-cli bash ../shared/bench/gen_tpch.sh 10 benchmarks/data/sf10
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

import psutil

from _shared import DATA, RESULTS, SHARED_BENCH

sys.path.insert(0, str(SHARED_BENCH))
import benchlib  # noqa: E402


class ExecutorMemory:
    """Samples the resident memory of this driver's executor processes (summed per executor)."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak = 0
        self.pids: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> "ExecutorMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def reset(self) -> int:
        peak, self.peak = self.peak, 0
        return peak

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            per: dict[str, int] = {}
            for p in me.children(recursive=True):
                try:
                    cmd = p.cmdline()
                    if "pyspk.executor" not in cmd:
                        continue
                    eid = cmd[cmd.index("--executor-id") + 1]
                    per[eid] = per.get(eid, 0) + p.memory_info().rss
                    self.pids.add(p.pid)
                except (psutil.Error, ValueError, IndexError):
                    continue
            self.peak = max([self.peak] + list(per.values()))
            self._stop.wait(self.interval)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", default=str(DATA / "sf10"))
    ap.add_argument("--queries", default="all")
    ap.add_argument("--memory", type=int, default=4096, help="executor memory cap, MiB")
    ap.add_argument("--reference", default=None, help="rows dir of a reference run to check against")
    ap.add_argument("--out", default=str(RESULTS / "tpch_sf10.json"))
    ap.add_argument("--conf", action="append", default=[], help="extra key=value")
    args = ap.parse_args()
    from pyspk.sql import SparkSession

    conf = {"spark.executor.memory": f"{args.memory}m", "spark.executor.cores": "2",
            "spark.pyspk.worker.memoryOverheadFactor": "1.0",
            "spark.pyspk.worker.memoryCheckInterval": "0.25s",
            "spark.sql.shuffle.partitions": "8", "spark.ui.enabled": "false"}
    conf.update(kv.split("=", 1) for kv in args.conf)
    builder = SparkSession.builder.master(f"local-cluster[1,2,{args.memory}]").appName("tpch-sf10")
    for k, v in conf.items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    for t in benchlib.TABLES:
        spark.read.parquet(benchlib.table_path(args.data, t)).createOrReplaceTempView(t)
    status = spark.sparkContext._scheduler.status
    rows_dir = os.path.splitext(args.out)[0] + "_rows"
    results: dict[str, dict] = {}
    with ExecutorMemory() as mem:
        for q in benchlib.parse_query_list(args.queries):
            sql = benchlib.load_query(q)
            before = {s.stage_id for s in status.stages()}
            executors_before = set(mem.pids)
            mem.reset()
            rec: dict = {"error": None}
            t0 = time.perf_counter()
            try:
                df = spark.sql(sql)
                rows = [tuple(r) for r in df.collect()]
                rec["seconds"] = round(time.perf_counter() - t0, 2)
                rec["rows"] = len(rows)
                benchlib.write_rows(rows_dir, q, df.columns, rows)
            except Exception as e:  # record and go on with the next query
                rec["seconds"] = round(time.perf_counter() - t0, 2)
                rec["error"] = f"{type(e).__name__}: {str(e).strip()[:500]}"
            stages = [s for s in status.stages() if s.stage_id not in before]
            rec["peak_executor_rss_mib"] = mem.reset() >> 20
            rec["memory_spilled_mib"] = sum(s.memory_bytes_spilled for s in stages) >> 20
            rec["disk_spilled_mib"] = sum(s.disk_bytes_spilled for s in stages) >> 20
            rec["executor_lost"] = bool(executors_before) and \
                not executors_before <= {p.pid for p in psutil.Process().children(recursive=True)}
            results[q] = rec
            print(f"{q}: {json.dumps(rec)}", flush=True)
    spark.stop()
    ok = [q for q, r in results.items() if r["error"] is None]
    total = sum(r["seconds"] for r in results.values())
    print(f"{len(ok)}/{len(results)} queries completed in {total:.1f} s; peak executor RSS "
          f"{max(r['peak_executor_rss_mib'] for r in results.values())} MiB "
          f"(cap {args.memory} MiB)", flush=True)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"data": os.path.abspath(args.data), "memory_mib": args.memory, "conf": conf,
                   "queries": results, "rows_dir": rows_dir}, f, indent=1)
    if args.reference:
        check = [sys.executable, str(SHARED_BENCH / "check_answers.py"), rows_dir, args.reference,
                 "--queries", ",".join(ok)]
        sys.exit(subprocess.run(check).returncode)


if __name__ == "__main__":
    main()
