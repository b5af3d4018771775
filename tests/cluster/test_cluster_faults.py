"""Faults during real jobs submitted with ``spark-submit --master spark://…`` to a master and two
workers: a killed executor, a killed worker, a restarted master, a killed driver, and a
cluster with authentication. The answer never changes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cluster_support import (ROOT, Cluster, Processes, alive_pid, executor_pids, free_port,
                             get_json, start_cluster, wait_for)

pytestmark = pytest.mark.cluster

JOB = ROOT / "tests" / "cluster" / "jobs" / "shuffle_job.py"
ANSWER = "answer 199990000 [(0, 3990000), (1, 3990400), (2, 3990800)]"
SUBMIT_CONF = {"spark.executor.memory": "256m", "spark.pyspk.app.heartbeatInterval": "0.2s",
               "spark.executor.heartbeatInterval": "0.5s", "spark.network.timeout": "5s"}


def submit(c: Cluster, signals: Path, pause: float, conf: dict[str, str] | None = None,
           log_name: str = "driver.log") -> subprocess.Popen:
    signals.mkdir(exist_ok=True)
    args = [sys.executable, "-m", "pyspk.cli.submit", "--master", c.url]
    for k, v in {**SUBMIT_CONF, **(conf or {})}.items():
        args += ["--conf", f"{k}={v}"]
    return c.procs.start([*args, str(JOB), str(signals), str(pause)], log_name)


def started(signals: Path, stage: str) -> list[int]:
    """Pids of the processes that started a task of ``stage``."""
    return sorted({int(p.name.rsplit("-", 1)[1]) for p in signals.glob(f"{stage}-*")})


def finish(procs: Processes, driver: subprocess.Popen, log_name: str = "driver.log") -> str:
    driver.wait(timeout=90)
    out = procs.log(log_name)
    assert driver.returncode == 0, out[-3000:]
    return out


def test_killed_executor_mid_job_is_replaced_and_the_answer_is_the_same(procs):
    c = start_cluster(procs, props={"spark.pyspk.deploy.appTimeout": "3s"})
    signals = procs.tmp / "signals"
    driver = submit(c, signals, pause=0.4, conf={"spark.executor.cores": "1"})
    wait_for(lambda: started(signals, "reduce"), timeout=30, what="reduce tasks running")
    victim = started(signals, "reduce")[0]
    for pid in executor_pids(c).values():
        procs.track(pid)
    os.kill(victim, signal.SIGKILL)
    out = finish(procs, driver)
    assert ANSWER in out
    assert "lost" in out.lower()
    app = get_json(c.webui)["completedapps"][0]
    assert app["state"] == "FINISHED"
    assert any("EXITED" in line or "137" in line for line in procs.log("master.log").splitlines()
               if "executor" in line.lower())


def test_killed_worker_mid_job_and_the_job_finishes_on_the_other(procs):
    c = start_cluster(procs, props={"spark.pyspk.deploy.appTimeout": "3s"})
    signals = procs.tmp / "signals"
    driver = submit(c, signals, pause=0.4)
    wait_for(lambda: started(signals, "reduce"), timeout=30, what="reduce tasks running")
    for pid in executor_pids(c).values():
        procs.track(pid)
    os.kill(c.worker_pids[0], signal.SIGKILL)
    out = finish(procs, driver)
    assert ANSWER in out
    workers = get_json(c.webui)["workers"]
    assert sorted(w["state"] for w in workers) == ["ALIVE", "DEAD"]


def test_master_restarted_mid_job_with_filesystem_recovery(procs):
    c = start_cluster(procs, props={"spark.deploy.recoveryMode": "FILESYSTEM",
                                    "spark.deploy.recoveryDirectory": str(procs.tmp / "recovery"),
                                    "spark.pyspk.deploy.appTimeout": "3s"})
    signals = procs.tmp / "signals"
    driver = submit(c, signals, pause=0.6)
    wait_for(lambda: started(signals, "reduce"), timeout=30, what="reduce tasks running")
    app_id = get_json(c.webui)["activeapps"][0]["id"]
    os.kill(c.master_pid, signal.SIGKILL)
    ui = free_port()
    procs.master(c.port, ui, c.props, log_name="master2.log")
    c.webui = f"http://127.0.0.1:{ui}"
    wait_for(lambda: (s := get_json(c.webui))["status"] == "ALIVE" and s["aliveworkers"] == 2 and
             (app_id in [a["id"] for a in s["activeapps"] + s["completedapps"]]),
             timeout=20, what="recovered master with workers and the running app")
    out = finish(procs, driver)
    assert ANSWER in out
    wait_for(lambda: [a["id"] for a in get_json(c.webui)["completedapps"]] == [app_id],
             what="the app completes on the recovered master")


def test_killed_driver_leaves_no_executor_behind(procs):
    c = start_cluster(procs, props={"spark.pyspk.deploy.appTimeout": "60s"})  # noticed at once
    signals = procs.tmp / "signals"
    driver = submit(c, signals, pause=30)
    wait_for(lambda: started(signals, "reduce"), timeout=30, what="reduce tasks running")
    execs = list(executor_pids(c).values())
    assert execs
    for pid in execs:
        procs.track(pid)
    os.kill(driver.pid, signal.SIGKILL)
    wait_for(lambda: not any(alive_pid(p) for p in execs), timeout=8,
             what="executors of a dead driver killed")
    wait_for(lambda: get_json(c.webui)["activeapps"] == [], what="app removed")


def test_authenticated_cluster_runs_jobs_only_for_drivers_with_the_secret(procs):
    auth = {"spark.authenticate": "true", "spark.authenticate.secret": "job-secret"}
    c = start_cluster(procs, props=auth)
    signals = procs.tmp / "signals"
    out = finish(procs, submit(c, signals, pause=0.0, conf=auth))
    assert ANSWER in out
    intruder = submit(c, procs.tmp / "signals2", pause=0.0,
                      conf={"spark.pyspk.app.registrationTimeout": "2s"}, log_name="intruder.log")
    intruder.wait(timeout=60)
    assert intruder.returncode != 0
    assert "All masters are unresponsive" in procs.log("intruder.log")
    assert "refused a connection" in procs.log("master.log")
