"""Helpers for tests that start real master, worker, executor and driver processes on 127.0.0.1.

Every process started here is killed by pid in a finaliser; waiting is polling with a deadline.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable

import psutil
import pytest

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


@pytest.fixture
def procs(tmp_path: Path):
    p = Processes(tmp_path)
    yield p
    p.kill_all()


def write_props(path: Path, props: dict[str, str]) -> Path:
    path.write_text("".join(f"{k} {v}\n" for k, v in props.items()))
    return path


def free_port() -> int:
    return any_free_port("127.0.0.1")
