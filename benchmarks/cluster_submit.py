"""Time from ``spark-submit --master spark://…`` of a trivial job to its exit, on a running
two-worker standalone cluster: pyspk's, and real Spark's (pyspark 4.3.0's Master/Worker started
with its ``spark-class``) beside it, as a ratio.

Usage: python benchmarks/cluster_submit.py [--runs N] [--refvenv /work/refvenv] [--no-spark]
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JOB = """from {pkg} import SparkContext
sc = SparkContext(appName="trivial")
print("sum", sc.parallelize(range(100), 2).sum())
sc.stop()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_workers(webui: str, n: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(webui + "/json", timeout=2) as r:
                if json.loads(r.read()).get("aliveworkers", 0) >= n:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{webui}: {n} workers did not register in {timeout} s")


def time_submits(cmd: list[str], env: dict[str, str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        times.append(time.perf_counter() - t0)
        if out.returncode != 0 or "sum 4950" not in out.stdout:
            raise RuntimeError(f"{cmd[0]} failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    return times


def run_cluster(daemons: list[list[str]], env: dict[str, str], webui: str, submit: list[str],
                runs: int, tmp: Path, name: str) -> list[float]:
    procs: list[subprocess.Popen] = []
    try:
        for i, cmd in enumerate(daemons):
            log = open(tmp / f"{name}-{i}.log", "wb")
            procs.append(subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                          start_new_session=True))
            log.close()
        wait_workers(webui, 2, 120)
        time_submits(submit, env, 1)  # warm the page cache
        return time_submits(submit, env, runs)
    finally:
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()


def pyspk_times(runs: int, tmp: Path) -> list[float]:
    port, ui = free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYSPARK_PYTHON": sys.executable}
    env.pop("PYSPK_SUBMIT_CONF", None)
    py = [sys.executable, "-m"]
    url = f"spark://127.0.0.1:{port}"
    daemons = [py + ["pyspk.cli.master", "--host", "127.0.0.1", "--port", str(port),
                     "--webui-port", str(ui)]]
    for _ in range(2):
        daemons.append(py + ["pyspk.cli.worker", url, "--host", "127.0.0.1", "--cores", "1",
                             "--memory", "1g", "--webui-port", str(free_port()),
                             "--work-dir", str(tmp / "work")])
    job = tmp / "job_pyspk.py"
    job.write_text(JOB.format(pkg="pyspk"))
    submit = [str(ROOT / "bin" / "spark-submit"), "--master", url, str(job)]
    return run_cluster(daemons, env, f"http://127.0.0.1:{ui}", submit, runs, tmp, "pyspk")


def spark_times(runs: int, tmp: Path, refvenv: Path) -> list[float]:
    port, ui = free_port(), free_port()
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": str(refvenv / "bin/python"),
           "SPARK_LOG_DIR": str(tmp / "spark-logs"), "SPARK_WORKER_DIR": str(tmp / "spark-work")}
    env.pop("PYTHONPATH", None)
    env.pop("PYSPK_SUBMIT_CONF", None)
    cls = str(refvenv / "bin" / "spark-class")
    url = f"spark://127.0.0.1:{port}"
    daemons = [[cls, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                str(port), "--webui-port", str(ui)]]
    for _ in range(2):
        daemons.append([cls, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1",
                        "--cores", "1", "--memory", "1g", "--webui-port", str(free_port())])
    job = tmp / "job_pyspark.py"
    job.write_text(JOB.format(pkg="pyspark"))
    submit = [str(refvenv / "bin" / "spark-submit"), "--master", url, str(job)]
    return run_cluster(daemons, env, f"http://127.0.0.1:{ui}", submit, runs, tmp, "spark")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--refvenv", type=Path, default=Path("/work/refvenv"))
    ap.add_argument("--no-spark", action="store_true", help="time pyspk only")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="pyspk-bench-") as d:
        tmp = Path(d)
        ours = pyspk_times(args.runs, tmp)
        result = {"runs": args.runs, "pyspk_median_s": round(statistics.median(ours), 3),
                  "pyspk_s": [round(t, 3) for t in ours]}
        if not args.no_spark:
            theirs = spark_times(args.runs, tmp, args.refvenv)
            result.update(spark_median_s=round(statistics.median(theirs), 3),
                          spark_s=[round(t, 3) for t in theirs],
                          speedup=round(statistics.median(theirs) / statistics.median(ours), 1))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
