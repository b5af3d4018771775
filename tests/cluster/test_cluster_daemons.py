"""The master and worker daemons as real processes: registration, the web UI and ``/json``,
executor launching and its faults, worker loss, workers started before their master, and
FILESYSTEM recovery of a restarted master."""
from __future__ import annotations

import os
import signal
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from cluster_support import (FAST, Processes, Recorder, alive_pid, executor_pids, free_port,
                             get_json, register_app, start_cluster, wait_for, write_props)

pytestmark = pytest.mark.cluster


def test_master_and_workers_register_and_serve_json_and_html(procs):
    c = start_cluster(procs)
    state = c.state()
    assert state["url"] == c.url and state["status"] == "ALIVE"
    assert state["cores"] == 4 and state["memory"] == 2048 and state["coresused"] == 0
    assert {w["state"] for w in state["workers"]} == {"ALIVE"}
    assert all(w["id"].startswith("worker-") and w["id"].endswith(str(w["port"]))
               for w in state["workers"])
    page = urllib.request.urlopen(c.webui, timeout=5).read().decode()
    assert "Workers" in page and "Running Applications" in page and c.url in page
    w = get_json(c.worker_uis[0])
    assert w["masterurl"] == c.url and w["cores"] == 2 and w["executors"] == []
    assert "Running Executors" in urllib.request.urlopen(c.worker_uis[0], timeout=5).read().decode()


def test_executors_launch_die_get_replaced_and_are_killed_with_the_app(procs):
    c = start_cluster(procs)
    rec = Recorder()
    client = register_app(c, rec, executor_cores=1, cores_max=2)
    try:
        app_id = client.app_id
        assert app_id.startswith("app-")
        pids = wait_for(lambda: len(p := executor_pids(c)) == 2 and p, what="2 executors running")
        for pid in pids.values():
            procs.track(pid)
        state = c.state()
        assert state["coresused"] == 2 and state["activeapps"][0]["id"] == app_id
        assert {w["coresused"] for w in state["workers"]} == {1}  # spread out
        full_id, pid = sorted(pids.items())[0]
        work = procs.tmp / "work" / app_id / full_id.split("/")[1]
        assert (work / "stdout").exists() and (work / "stderr").exists()
        assert (work / "scratch").is_dir()
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        assert b"PYSPK_TEST_MARK=1" in environ and b"PYTHONHASHSEED=0" in environ
        assert Path(f"/proc/{pid}/cwd").resolve() == work.resolve()
        with open(work / "stderr", "a") as f:
            f.write("executor says hello\n")
        owner = next(ui for ui in c.worker_uis
                     if any(e["pid"] == pid for e in get_json(ui)["executors"]))
        executor_id = full_id.split("/")[1]
        page = urllib.request.urlopen(f"{owner}/logPage/?appId={app_id}&executorId={executor_id}"
                                      "&logType=stderr", timeout=5).read()
        assert b"executor says hello\n" in page
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{owner}/logPage/?appId=..&executorId=..&logType=stderr",
                                   timeout=5)

        os.kill(pid, signal.SIGKILL)
        wait_for(lambda: rec.removed, what="executor loss reported to the app")
        assert rec.removed[0][0] == full_id.split("/")[1] and "137" in rec.removed[0][1]
        new = wait_for(lambda: len(p := executor_pids(c)) == 2 and full_id not in p and p,
                       what="a replacement executor")
        for p in new.values():
            procs.track(p)
        assert wait_for(lambda: len(rec.added) == 3, what="replacement granted")
    finally:
        client.stop()
    wait_for(lambda: not any(alive_pid(p) for p in new.values()), what="executors killed")
    wait_for(lambda: not (work / "scratch").exists(), what="scratch space deleted")
    assert (work / "stderr").exists()  # logs stay
    state = c.state()
    assert state["activeapps"] == [] and state["completedapps"][0]["state"] == "FINISHED"
    assert state["coresused"] == 0


def test_killed_worker_is_declared_dead_and_its_executors_replaced(procs):
    c = start_cluster(procs)
    rec = Recorder()
    client = register_app(c, rec, executor_cores=1, cores_max=2)
    try:
        pids = wait_for(lambda: len(p := executor_pids(c)) == 2 and p, what="2 executors")
        for p in pids.values():
            procs.track(p)
        victim_ui = c.worker_uis[0]
        victim_execs = [p for e in get_json(victim_ui)["executors"] for p in [e["pid"]]]
        os.kill(c.worker_pids[0], signal.SIGKILL)
        wait_for(lambda: not any(alive_pid(p) for p in victim_execs), timeout=5,
                 what="executors of a killed worker die with it")
        wait_for(lambda: any(w["state"] == "DEAD" for w in c.state()["workers"]), timeout=10,
                 what="worker declared dead")
        wait_for(lambda: any("worker lost" in r for _, r in rec.removed), what="LOST reported")
        wait_for(lambda: c.state()["coresused"] == 2, what="replacement on the surviving worker")
    finally:
        client.stop()


def test_worker_started_before_its_master_joins(procs):
    props = write_props(procs.tmp / "spark-defaults.conf", FAST)
    port, ui, wui = free_port(), free_port(), free_port()
    procs.worker(f"spark://127.0.0.1:{port}", wui, props)
    wait_for(lambda: get_json(f"http://127.0.0.1:{wui}")["registered"] is False,
             what="worker serving while unregistered")
    procs.master(port, ui, props)
    wait_for(lambda: get_json(f"http://127.0.0.1:{ui}")["aliveworkers"] == 1,
             what="worker registered once the master came up")
    assert "Connecting to master" in procs.log("worker.log")


def test_master_restart_with_filesystem_recovery_keeps_workers_apps_and_executors(procs):
    recovery = {"spark.deploy.recoveryMode": "FILESYSTEM",
                "spark.deploy.recoveryDirectory": str(procs.tmp / "recovery")}
    c = start_cluster(procs, props=recovery)
    rec = Recorder()
    client = register_app(c, rec, executor_cores=1, cores_max=2)
    try:
        pids = wait_for(lambda: len(p := executor_pids(c)) == 2 and p, what="2 executors")
        for p in pids.values():
            procs.track(p)
        os.kill(c.master_pid, signal.SIGKILL)
        ui = free_port()
        procs.master(c.port, ui, c.props, log_name="master2.log")
        c.webui = f"http://127.0.0.1:{ui}"
        wait_for(lambda: (s := c.state())["status"] == "ALIVE" and s["aliveworkers"] == 2,
                 what="recovered master alive with both workers")
        state = c.state()
        assert [a["id"] for a in state["activeapps"]] == [client.app_id]
        assert state["coresused"] == 2
        assert executor_pids(c) == pids and not rec.removed
        assert "Recovering 2 worker(s) and 1 application(s)" in procs.log("master2.log")
    finally:
        client.stop()
    wait_for(lambda: not any(alive_pid(p) for p in pids.values()), what="executors killed at app end")


def test_master_restart_without_recovery_gets_workers_and_app_back(procs):
    c = start_cluster(procs)
    rec = Recorder()
    client = register_app(c, rec, executor_cores=1, cores_max=2)
    try:
        wait_for(lambda: len(executor_pids(c)) == 2, what="2 executors")
        os.kill(c.master_pid, signal.SIGKILL)
        ui = free_port()
        procs.master(c.port, ui, c.props, log_name="master2.log")
        c.webui = f"http://127.0.0.1:{ui}"
        wait_for(lambda: (s := c.state())["aliveworkers"] == 2 and
                 [a["id"] for a in s["activeapps"]] == [client.app_id],
                 what="workers and app back with a restarted master")
        wait_for(lambda: c.state()["coresused"] == 2, what="executors allocated again")
    finally:
        client.stop()


def test_executor_over_its_memory_is_killed_and_retries_are_bounded(procs):
    c = start_cluster(procs, workers=1, props={"spark.pyspk.worker.memoryOverheadFactor": "0.01",
                                               "spark.pyspk.worker.memoryCheckInterval": "0.1s",
                                               "spark.deploy.maxExecutorRetries": "2"})
    rec = Recorder()
    client = register_app(c, rec, executor_cores=1, cores_max=1)
    try:
        wait_for(lambda: rec.app_removed, what="app removed after repeated executor failures")
        assert len(rec.removed) >= 2
        assert all("memory limit" in reason for _, reason in rec.removed[:2])
        assert "FAILED" in rec.app_removed[0]
        completed = c.state()["completedapps"]
        assert completed[0]["id"] == client.app_id and completed[0]["state"] == "FAILED"
        assert "over its limit" in procs.log("worker0.log")
    finally:
        client.stop()
