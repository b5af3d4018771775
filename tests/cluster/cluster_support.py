"""Helpers for tests that start real master, worker, executor and driver processes on 127.0.0.1.

Every process started here is killed by pid in a finaliser (the fixtures in conftest.py);
waiting is polling with a deadline.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import psutil

from pyspk.deploy.app_client import AppClient, AppClientListener, ApplicationRequest
from pyspk.rpc.security import Security
from pyspk.rpc.sockets import any_free_port

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate: Callable[[], Any], timeout: float = 20.0, what: str = "condition",
             interval: float = 0.05) -> Any:
    """Poll ``predicate`` until it returns a truthy value (returned) or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as e:  # the daemon may not be up yet
            last_error = e
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (last error: {last_error})")


def get_json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url + "/json", timeout=5) as r:
        return json.loads(r.read())


def alive_pid(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


class Processes:
    """Starts processes for one test and kills every one of them (and their children) at the end."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.procs: list[subprocess.Popen] = []
        self.pids: set[int] = set()

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
        env.pop("PYSPK_SUBMIT_CONF", None)
        env.update(extra or {})
        return env

    def start(self, args: list[str], log_name: str, extra_env: dict[str, str] | None = None,
              cwd: Path | None = None) -> subprocess.Popen:
        log = open(self.tmp / log_name, "ab")
        proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=self.env(extra_env), cwd=cwd or self.tmp)
        log.close()
        self.procs.append(proc)
        self.pids.add(proc.pid)
        return proc

    def master(self, port: int, webui_port: int, props: Path, log_name: str = "master.log",
               host: str = "127.0.0.1") -> subprocess.Popen:
        return self.start([sys.executable, "-m", "pyspk.cli.master", "--host", host,
                           "--port", str(port), "--webui-port", str(webui_port),
                           "--properties-file", str(props)], log_name)

    def worker(self, master_url: str, webui_port: int, props: Path, cores: int = 2,
               memory: str = "1g", log_name: str = "worker.log", work_dir: Path | None = None,
               port: int = 0) -> subprocess.Popen:
        return self.start([sys.executable, "-m", "pyspk.cli.worker", master_url, "--host",
                           "127.0.0.1", "--port", str(port), "--webui-port", str(webui_port),
                           "--cores", str(cores), "--memory", memory, "--work-dir",
                           str(work_dir or self.tmp / "work"), "--properties-file", str(props)],
                          log_name)

    def track(self, pid: int) -> None:
        self.pids.add(pid)

    def log(self, name: str) -> str:
        path = self.tmp / name
        return path.read_text(errors="replace") if path.exists() else ""

    def kill_all(self) -> None:
        victims: list[psutil.Process] = []
        for pid in self.pids:
            try:
                p = psutil.Process(pid)
                victims += [p, *p.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
        for p in victims:
            try:
                p.send_signal(signal.SIGKILL)
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(victims, timeout=5)
        for proc in self.procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass


def write_props(path: Path, props: dict[str, str]) -> Path:
    path.write_text("".join(f"{k} {v}\n" for k, v in props.items()))
    return path


def free_port() -> int:
    return any_free_port("127.0.0.1")


FAST = {"spark.worker.timeout": "2s", "spark.pyspk.worker.registrationBackoffMax": "0.5s"}


@dataclass
class Cluster:
    procs: Processes
    props: Path
    port: int
    webui: str
    master_pid: int
    worker_uis: list[str] = field(default_factory=list)
    worker_pids: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"spark://127.0.0.1:{self.port}"

    def state(self) -> dict:
        return get_json(self.webui)

    def add_worker(self, cores: int = 2) -> None:
        ui = free_port()
        p = self.procs.worker(self.url, ui, self.props, cores=cores,
                              log_name=f"worker{len(self.worker_pids)}.log")
        self.worker_uis.append(f"http://127.0.0.1:{ui}")
        self.worker_pids.append(p.pid)


def start_cluster(procs: Processes, workers: int = 2, props: dict[str, str] | None = None,
                  port: int | None = None) -> Cluster:
    path = write_props(procs.tmp / "spark-defaults.conf", {**FAST, **(props or {})})
    port, ui = port or free_port(), free_port()
    master = procs.master(port, ui, path)
    c = Cluster(procs, path, port, f"http://127.0.0.1:{ui}", master.pid)
    for _ in range(workers):
        c.add_worker()
    wait_for(lambda: c.state()["aliveworkers"] == workers, what=f"{workers} workers alive")
    return c


class Recorder:
    """App client callbacks, recorded."""

    def __init__(self) -> None:
        self.added: list[str] = []
        self.removed: list[tuple[str, str]] = []
        self.app_removed: list[str] = []
        self.lock = threading.Lock()

    def listener(self) -> AppClientListener:
        return AppClientListener(executor_added=lambda e, hp, c: self._add(self.added, e),
                                 executor_removed=lambda e, r: self._add(self.removed, (e, r)),
                                 application_removed=lambda r: self._add(self.app_removed, r))

    def _add(self, target: list, item) -> None:
        with self.lock:
            target.append(item)


def register_app(c: Cluster, rec: Recorder, cores_max: int = 0, executor_cores: int = 0,
                 security: Security | None = None) -> AppClient:
    request = ApplicationRequest(name="test-app", user="tester", cores_max=cores_max,
                                 executor_cores=executor_cores, executor_memory_mb=256,
                                 driver_url=f"tcp://127.0.0.1:{free_port()}",
                                 env={"PYSPK_TEST_MARK": "1"})
    client = AppClient(c.url, request, security or Security(), rec.listener(), heartbeat_interval=0.2)
    client.start(timeout=20)
    return client


def executor_pids(c: Cluster) -> dict[str, int]:
    """``app/executor`` -> pid of every running executor on every worker."""
    out = {}
    for ui in c.worker_uis:
        try:
            for e in get_json(ui)["executors"]:
                if e["pid"]:
                    out[f"{e['appid']}/{e['id']}"] = e["pid"]
        except OSError:
            continue
    return out


SBIN = ROOT / "sbin"


class SbinCluster:
    """Environment and helpers for one test's sbin-managed cluster."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.ident = f"t{uuid.uuid4().hex[:8]}"
        self.conf_dir = tmp / "conf"
        self.conf_dir.mkdir()
        self.port, self.ui = free_port(), free_port()
        self.worker_ui = free_port()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("SPARK_", "PYSPK_"))}
        self.env.update({
            "PYSPK_CONF_DIR": str(self.conf_dir), "SPARK_PID_DIR": str(tmp / "pids"),
            "SPARK_LOG_DIR": str(tmp / "logs"), "SPARK_IDENT_STRING": self.ident,
            "SPARK_MASTER_HOST": "127.0.0.1", "SPARK_MASTER_PORT": str(self.port),
            "SPARK_MASTER_WEBUI_PORT": str(self.ui), "SPARK_WORKER_WEBUI_PORT": str(self.worker_ui),
            "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_WORKER_DIR": str(tmp / "work"),
            "PYSPARK_PYTHON": sys.executable, "PYTHONPATH": str(ROOT)})
        (self.conf_dir / "spark-defaults.conf").write_text(
            "spark.worker.timeout 2s\nspark.pyspk.deploy.appTimeout 2s\n")
        self.pids: set[int] = set()

    @property
    def url(self) -> str:
        return f"spark://127.0.0.1:{self.port}"

    @property
    def webui(self) -> str:
        return f"http://127.0.0.1:{self.ui}"

    def run(self, script: str, *args: str, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
        result = subprocess.run([str(SBIN / script), *args], env={**self.env, **(env or {})},
                                capture_output=True, text=True, timeout=timeout)
        self.remember()
        return result

    def remember(self) -> None:
        for f in (self.tmp / "pids").glob("*.pid"):
            try:
                self.pids.add(int(f.read_text()))
            except ValueError:
                continue

    def daemon_pids(self) -> list[int]:
        """Pids of live pyspk processes started for this test (daemons and their executors)."""
        self.remember()
        found = []
        for pid in self.pids:
            try:
                p = psutil.Process(pid)
                found += [q.pid for q in [p, *p.children(recursive=True)]
                          if q.status() != psutil.STATUS_ZOMBIE]
            except psutil.NoSuchProcess:
                continue
        return found

    def kill_all(self) -> None:
        for pid in self.daemon_pids():
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass

    def submit(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([str(ROOT / "bin" / "spark-submit"), "--master", self.url, *args],
                              env=self.env, capture_output=True, text=True, timeout=timeout)
