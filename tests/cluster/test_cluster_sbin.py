"""The sbin scripts driven by pytest: pid and log files, status codes, the refusal of a second
start, spark-env.sh, jobs submitted with spark-submit, and stop-all.sh leaving nothing behind."""
from __future__ import annotations

import subprocess

import psutil
import pytest

from cluster_support import ROOT, SBIN, alive_pid, get_json, wait_for

pytestmark = pytest.mark.cluster


def test_start_all_status_second_start_submit_and_stop_all(sbin):
    local = sbin.tmp / "local"
    (sbin.conf_dir / "spark-env.sh").write_text("SPARK_WORKER_CORES=1\nSPARK_WORKER_MEMORY=512m\n"
                                               f"SPARK_WORKER_INSTANCES=2\nSPARK_LOCAL_DIRS={local}\n")
    r = sbin.run("start-all.sh")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "starting master, logging to" in r.stdout and r.stdout.count("starting worker") == 2
    state = wait_for(lambda: (s := get_json(sbin.webui))["aliveworkers"] == 2 and s,
                     what="two workers through sbin")
    assert state["cores"] == 2 and state["memory"] == 1024  # from spark-env.sh
    pid_files = sorted(p.name for p in (sbin.tmp / "pids").iterdir())
    assert pid_files == [f"pyspk-{sbin.ident}-master-1.pid", f"pyspk-{sbin.ident}-worker-1.pid",
                         f"pyspk-{sbin.ident}-worker-2.pid"]
    logs = list((sbin.tmp / "logs").glob(f"pyspk-{sbin.ident}-master-1-*.out"))
    assert logs and "Starting Spark master" in logs[0].read_text()

    again = sbin.run("start-master.sh")
    master_pid = (sbin.tmp / "pids" / f"pyspk-{sbin.ident}-master-1.pid").read_text().strip()
    assert again.returncode == 1
    assert f"master running as process {master_pid}.  Stop it first." in again.stdout
    assert sbin.run("pyspk-daemon.sh", "status", "master", "1").returncode == 0

    signals = sbin.tmp / "signals"
    signals.mkdir()
    job = sbin.submit("--executor-memory", "256m", str(ROOT / "tests/cluster/jobs/shuffle_job.py"),
                      str(signals))
    assert job.returncode == 0, job.stderr
    assert "answer 199990000" in job.stdout
    wait_for(lambda: local.is_dir() and not any(local.iterdir()),
             what="executors' scratch space used under SPARK_LOCAL_DIRS, then deleted")
    completed = get_json(sbin.webui)["completedapps"]
    assert [a["name"] for a in completed] == ["shuffle-job"] and completed[0]["state"] == "FINISHED"

    everything = sbin.daemon_pids()
    stop = sbin.run("stop-all.sh")
    assert stop.returncode == 0 and "stopping master" in stop.stdout
    assert stop.stdout.count("stopping worker") == 2
    assert not [p for p in everything if alive_pid(p)]
    assert sbin.run("pyspk-daemon.sh", "status", "master", "1").returncode == 2
    assert "no master to stop" in sbin.run("stop-master.sh").stdout


def test_status_with_a_stale_pid_file_and_a_failed_launch(sbin):
    pids = sbin.tmp / "pids"
    pids.mkdir()
    dead = subprocess.Popen(["true"])
    dead.wait()
    (pids / f"pyspk-{sbin.ident}-master-1.pid").write_text(str(dead.pid))
    r = sbin.run("pyspk-daemon.sh", "status", "master", "1")
    assert r.returncode == 1 and "file is present but master not running" in r.stdout
    bad = sbin.run("start-master.sh", env={"SPARK_MASTER_PORT": "not-a-port"})
    assert bad.returncode == 1 and "failed to launch" in bad.stdout


def test_no_daemonize_runs_in_the_foreground(sbin):
    proc = subprocess.Popen([str(SBIN / "start-master.sh")], env={**sbin.env, "SPARK_NO_DAEMONIZE": "1"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sbin.pids.add(proc.pid)
    try:
        wait_for(lambda: get_json(sbin.webui)["status"] == "ALIVE", what="foreground master")
        assert "pyspk.cli.master" in " ".join(psutil.Process(proc.pid).cmdline())
    finally:
        proc.kill()
        proc.wait()


def test_start_worker_with_explicit_master_and_stop_worker(sbin):
    (sbin.conf_dir / "spark-defaults.conf").write_text("spark.worker.timeout 60s\n")
    assert sbin.run("start-master.sh").returncode == 0
    r = sbin.run("start-worker.sh", sbin.url, "--cores", "1", "--memory", "256m")
    assert r.returncode == 0, r.stdout + r.stderr
    wait_for(lambda: get_json(sbin.webui)["aliveworkers"] == 1, what="worker registered")
    w = get_json(f"http://127.0.0.1:{sbin.worker_ui}")
    assert w["masterurl"] == sbin.url and w["cores"] == 1 and w["memory"] == 256
    assert "stopping worker" in sbin.run("stop-worker.sh").stdout
    # a stopping worker says so: the master does not wait for the 60 s timeout
    wait_for(lambda: get_json(sbin.webui)["aliveworkers"] == 0, timeout=5, what="worker removed")
    assert sbin.run("pyspk-daemon.sh", "status", "worker", "1").returncode == 2
    sbin.run("stop-master.sh")


def test_start_workers_reads_conf_workers_and_stop_workers_stops_them(sbin):
    (sbin.conf_dir / "workers").write_text("# the hosts of this cluster\n\nlocalhost   # this one\n")
    assert sbin.run("start-master.sh").returncode == 0
    r = sbin.run("start-workers.sh")
    assert r.returncode == 0 and r.stdout.startswith("localhost: starting worker"), r.stdout
    wait_for(lambda: get_json(sbin.webui)["aliveworkers"] == 1, what="worker from conf/workers")
    r = sbin.run("stop-workers.sh")
    assert "localhost: stopping worker" in r.stdout
    assert sbin.run("pyspk-daemon.sh", "status", "worker", "1").returncode == 2
    sbin.run("stop-master.sh")
