"""The master's state machine fed events with ``now``; its answers are checked as commands."""
from __future__ import annotations

import pytest

from pyspk.deploy.master_state import MasterConfig, MasterState, Persist, Send
from pyspk.deploy.states import ApplicationState, ExecutorState, RecoveryState, WorkerState
from pyspk.protocol import cluster as m

URL = "spark://127.0.0.1:7077"


def master(now: float = 0.0, recovered=None, **kw) -> MasterState:
    return MasterState(MasterConfig(master_url=URL, worker_timeout=10.0, app_timeout=10.0, **kw),
                       now, recovered)


def worker(ms: MasterState, wid: str, cores: int = 4, mem: int = 4096, now: float = 0.0) -> list:
    return ms.handle(wid.encode(), m.RegisterWorker(worker_id=wid, host="127.0.0.1", port=int(wid[1:]),
                                                    cores=cores, memory_mb=mem, webui_url=""), now)


def app(ms: MasterState, peer: bytes = b"drv", cores_max: int = 0, executor_cores: int = 0,
        mem: int = 1024, now: float = 0.0) -> tuple[str, list]:
    out = ms.handle(peer, m.RegisterApplication(name="demo", user="u", cores_max=cores_max,
                                                executor_cores=executor_cores,
                                                executor_memory_mb=mem, driver_url="tcp://d:1"), now)
    reg = [c.msg for c in out if isinstance(c, Send) and isinstance(c.msg, m.RegisteredApplication)]
    return reg[0].app_id, out


def sent(out: list, kind: type, peer: bytes | None = None) -> list:
    return [c.msg for c in out if isinstance(c, Send) and isinstance(c.msg, kind)
            and (peer is None or c.peer == peer)]


def test_worker_registration_is_answered_and_persisted():
    ms = master()
    out = worker(ms, "w1")
    assert sent(out, m.RegisteredWorker, b"w1")[0].master_url == URL
    assert any(isinstance(c, Persist) for c in out)
    assert ms.to_json(0)["aliveworkers"] == 1


def test_duplicate_worker_id_from_another_address_is_refused_but_retries_are_idempotent():
    ms = master()
    worker(ms, "w1")
    assert sent(worker(ms, "w1"), m.RegisteredWorker)
    out = ms.handle(b"x", m.RegisterWorker(worker_id="w1", host="10.0.0.9", port=1, cores=1,
                                           memory_mb=1, webui_url=""), 0)
    assert sent(out, m.RegisterWorkerFailed)


def test_app_registration_launches_executors_before_answering():
    ms = master()
    worker(ms, "w1")
    worker(ms, "w2")
    app_id, out = app(ms, cores_max=4)
    assert app_id.startswith("app-") and app_id.endswith("-0000")
    launches = sent(out, m.LaunchExecutor)
    assert sorted((l.executor_id, l.cores) for l in launches) == [("0", 2), ("1", 2)]
    kinds = [type(c.msg) for c in out if isinstance(c, Send)]
    assert kinds.index(m.RegisteredApplication) > max(i for i, k in enumerate(kinds) if k is m.ExecutorAdded)
    assert ms.apps[app_id].state == ApplicationState.RUNNING


def test_retried_app_registration_from_the_same_client_is_one_app():
    ms = master()
    a1, _ = app(ms)
    a2, _ = app(ms)
    assert a1 == a2 and len(ms.apps) == 1


def test_waiting_apps_are_served_fifo_when_cores_free_up():
    ms = master()
    worker(ms, "w1", cores=2)
    first, _ = app(ms, b"d1")
    second, out = app(ms, b"d2")
    assert not sent(out, m.LaunchExecutor)
    assert ms.apps[second].state == ApplicationState.WAITING
    out = ms.handle(b"d1", m.UnregisterApplication(app_id=first), 1.0)
    assert sent(out, m.KillExecutor, b"w1")[0].app_id == first
    assert sent(out, m.ApplicationFinished, b"w1")
    assert sent(out, m.LaunchExecutor, b"w1")[0].app_id == second
    assert ms.completed[0].state == ApplicationState.FINISHED


def test_failed_executor_is_replaced_and_retries_are_bounded():
    ms = master(max_executor_retries=2)
    worker(ms, "w1", cores=1)
    app_id, _ = app(ms)
    out = ms.handle(b"w1", m.ExecutorStateChanged(app_id=app_id, executor_id="0", state="EXITED",
                                                  message="boom", exit_status=1), 1.0)
    assert sent(out, m.ExecutorUpdated, b"drv")[0].state == "EXITED"
    assert sent(out, m.LaunchExecutor)[0].executor_id == "1"
    out = ms.handle(b"w1", m.ExecutorStateChanged(app_id=app_id, executor_id="1", state="EXITED",
                                                  exit_status=1), 2.0)
    assert sent(out, m.ApplicationRemoved, b"drv")
    assert ms.completed[-1].state == ApplicationState.FAILED


def test_running_executor_resets_the_retry_count():
    ms = master(max_executor_retries=2)
    worker(ms, "w1", cores=1)
    app_id, _ = app(ms)
    for i in range(4):
        ms.handle(b"w1", m.ExecutorStateChanged(app_id=app_id, executor_id=str(i), state="RUNNING"), i)
        out = ms.handle(b"w1", m.ExecutorStateChanged(app_id=app_id, executor_id=str(i),
                                                      state="EXITED", exit_status=137), i + 0.5)
        assert sent(out, m.LaunchExecutor)
    out = ms.handle(b"w1", m.ExecutorStateChanged(app_id=app_id, executor_id="4", state="EXITED",
                                                  exit_status=1), 9)
    assert sent(out, m.ApplicationRemoved)  # 3 ran, then 3 and 4 failed: two in a row


def test_silent_worker_is_dead_its_executors_lost_and_replaced_elsewhere():
    ms = master()
    worker(ms, "w1", cores=2)
    app_id, _ = app(ms, executor_cores=1, cores_max=2)
    worker(ms, "w2", cores=2, now=5.0)
    ms.handle(b"w2", m.WorkerHeartbeat(worker_id="w2"), 11.0)
    out = ms.tick(11.0)
    lost = sent(out, m.ExecutorUpdated, b"drv")
    assert {u.state for u in lost} == {"LOST"} and all(u.worker_lost for u in lost)
    assert len(sent(out, m.LaunchExecutor, b"w2")) == 2
    assert ms.workers["w1"].state == WorkerState.DEAD
    # a dead worker that speaks again is asked to re-register
    assert sent(ms.handle(b"w1", m.WorkerHeartbeat(worker_id="w1"), 12.0), m.ReconnectWorker)


def test_reregistering_worker_keeps_known_executors_and_kills_unknown_ones():
    ms = master()
    worker(ms, "w1", cores=2)
    app_id, _ = app(ms, executor_cores=1)
    ms.workers["w1"].state = WorkerState.DEAD
    ms.workers["w1"].executors.clear()
    out = ms.handle(b"w1", m.ReregisterWorker(
        worker_id="w1", host="127.0.0.1", port=1, cores=2, memory_mb=4096, webui_url="",
        executors=[{"app_id": app_id, "executor_id": "0", "cores": 1, "memory_mb": 1024},
                   {"app_id": "app-gone", "executor_id": "7", "cores": 1, "memory_mb": 1024}]), 1.0)
    assert sent(out, m.RegisteredWorker)
    assert [(k.app_id, k.executor_id) for k in sent(out, m.KillExecutor)] == [("app-gone", "7")]
    assert f"{app_id}/0" in ms.workers["w1"].executors


def test_silent_driver_loses_its_application():
    ms = master()
    worker(ms, "w1")
    app_id, _ = app(ms)
    ms.handle(b"w1", m.WorkerHeartbeat(worker_id="w1"), 10.0)
    out = ms.tick(10.5)
    assert sent(out, m.KillExecutor, b"w1")
    assert not ms.apps and ms.completed[0].app_id == app_id


def test_unknown_app_heartbeat_asks_to_reconnect_and_reregistration_keeps_the_id():
    ms = master()
    app_id = "app-20260101000000-0007"
    assert sent(ms.handle(b"d", m.ApplicationHeartbeat(app_id=app_id), 0), m.ReconnectApplication)
    out = ms.handle(b"d", m.RegisterApplication(name="n", user="u", cores_max=0, executor_cores=0,
                                                executor_memory_mb=512, driver_url="tcp://d:1",
                                                app_id=app_id), 0)
    assert sent(out, m.RegisteredApplication)[0].app_id == app_id


def test_recovery_brings_back_workers_and_apps_that_answer():
    ms = master()
    worker(ms, "w1", cores=2)
    worker(ms, "w2", cores=2)
    app_id, _ = app(ms, executor_cores=1, cores_max=2)
    snap = ms.recovery_snapshot()
    ms2 = master(now=100.0, recovered=snap)
    assert ms2.state == RecoveryState.RECOVERING
    assert sent(ms2.handle(b"w1", m.WorkerHeartbeat(worker_id="w1"), 100.5), m.ReconnectWorker)
    execs = [{"app_id": app_id, "executor_id": e.executor_id, "cores": 1, "memory_mb": 1024}
             for e in ms.apps[app_id].executors.values() if e.worker_id == "w1"]
    out = ms2.handle(b"w1", m.ReregisterWorker(worker_id="w1", host="127.0.0.1", port=1, cores=2,
                                               memory_mb=4096, webui_url="", executors=execs), 101)
    assert not sent(out, m.KillExecutor) and not sent(out, m.LaunchExecutor)
    ms2.handle(b"drv2", m.ApplicationHeartbeat(app_id=app_id), 101)
    assert ms2.tick(102) == []  # w2 has not answered yet
    out = ms2.tick(111)  # deadline: w2 is removed, its executor replaced on w1
    assert ms2.state == RecoveryState.ALIVE
    assert ms2.workers["w2"].state == WorkerState.DEAD
    assert [u.state for u in sent(out, m.ExecutorUpdated, b"drv2")] == ["LOST"]
    assert len(sent(out, m.LaunchExecutor, b"w1")) == 1
    assert ms2.apps[app_id].next_executor_id == 3


def test_unfinished_recovery_drops_apps_that_never_came_back():
    ms = master()
    worker(ms, "w1")
    app(ms)
    ms2 = master(now=0, recovered=ms.recovery_snapshot())
    ms2.tick(11)
    assert not ms2.apps and ms2.state == RecoveryState.ALIVE


@pytest.mark.parametrize("state", ["LAUNCHING", "BOGUS"])
def test_odd_executor_states_are_ignored(state):
    ms = master()
    worker(ms, "w1")
    app_id, _ = app(ms)
    ms.handle(b"w1", m.ExecutorStateChanged(app_id=app_id, executor_id="0", state="RUNNING"), 0)
    out = ms.handle(b"w1", m.ExecutorStateChanged(app_id=app_id, executor_id="0", state=state), 0)
    assert out == [] and ms.apps[app_id].executors["0"].state == ExecutorState.RUNNING


def test_json_has_sparks_fields():
    ms = master()
    worker(ms, "w1")
    app(ms)
    doc = ms.to_json(1.0)
    for key in ("url", "workers", "aliveworkers", "cores", "coresused", "memory", "memoryused",
                "activeapps", "completedapps", "status"):
        assert key in doc
    assert doc["coresused"] == 4 and doc["activeapps"][0]["state"] == "RUNNING"


def test_stopping_worker_is_removed_at_once_and_only_by_itself():
    ms = master()
    worker(ms, "w1", cores=1)
    worker(ms, "w2", cores=1)
    app_id, _ = app(ms, executor_cores=1, cores_max=1)
    on_w1 = next(iter(ms.workers["w1"].executors.values()), None)
    victim = "w1" if on_w1 is not None else "w2"
    other = "w2" if victim == "w1" else "w1"
    assert ms.handle(b"intruder", m.WorkerStopped(worker_id=victim), 1.0) == []
    out = ms.handle(victim.encode(), m.WorkerStopped(worker_id=victim), 1.0)
    assert ms.workers[victim].state == WorkerState.DEAD
    assert [u.state for u in sent(out, m.ExecutorUpdated, b"drv")] == ["LOST"]
    assert len(sent(out, m.LaunchExecutor, other.encode())) == 1


def test_a_disconnected_driver_loses_its_application_but_a_worker_does_not():
    ms = master()
    worker(ms, "w1")
    app_id, _ = app(ms)
    assert ms.peer_disconnected(b"w1", 1.0) == []
    out = ms.peer_disconnected(b"drv", 1.0)
    assert sent(out, m.KillExecutor, b"w1") and not ms.apps
    assert ms.completed[0].app_id == app_id and ms.workers["w1"].state == WorkerState.ALIVE


def test_an_app_no_worker_could_ever_host_waits_with_one_warning(caplog):
    ms = master()
    worker(ms, "w1", mem=512)
    with caplog.at_level("WARNING", logger="pyspk.deploy.Master"):
        app_id, out = app(ms, mem=1024)
        worker(ms, "w2", mem=512)
    assert not sent(out, m.LaunchExecutor)
    assert ms.apps[app_id].state == ApplicationState.WAITING
    assert [r.getMessage() for r in caplog.records].count(
        f"App {app_id} requires more resource than any of Workers could have "
        "(1 core(s), 1024 MiB per executor).") == 1


@pytest.mark.parametrize("bad", ["../../etc", "app-1/..", "x" * 300, "app-2026-1"])
def test_reregistration_under_a_foreign_id_is_refused(bad):
    ms = master()
    out = ms.handle(b"d", m.RegisterApplication(name="n", user="u", cores_max=0, executor_cores=0,
                                                executor_memory_mb=512, driver_url="tcp://d:1",
                                                app_id=bad), 0)
    assert sent(out, m.ApplicationRemoved) and not ms.apps


def test_path_parts():
    from pyspk.deploy.urls import is_path_part
    assert is_path_part("app-20260101000000-0001") and is_path_part("12")
    assert not any(is_path_part(p) for p in ("..", ".", "a/b", "", "-x" * 0, "a\\0"))


def test_an_executor_its_driver_stopped_is_not_replaced():
    ms = master()
    worker(ms, "w1", cores=2)
    app_id, _ = app(ms, executor_cores=1)
    out = ms.handle(b"w1", m.ExecutorStateChanged(app_id=app_id, executor_id="0", state="EXITED",
                                                  message="Command exited with code 0",
                                                  exit_status=0), 1.0)
    assert sent(out, m.ExecutorUpdated, b"drv")[0].exit_status == 0
    assert not sent(out, m.LaunchExecutor)
    assert ms.apps[app_id].retry_count == 0
    out = ms.handle(b"w1", m.ExecutorStateChanged(app_id=app_id, executor_id="1", state="EXITED",
                                                  exit_status=137), 2.0)
    assert len(sent(out, m.LaunchExecutor)) == 1  # a crash is replaced, the released one is not
    assert ms.recovery_snapshot()["apps"][0]["executor_limit"] == 1
