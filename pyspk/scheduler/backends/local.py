"""Local mode: the driver starts ``N`` single-slot executor processes on this host for
``local[N]`` and replaces any that die, so lost work is recomputed exactly as on a cluster."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import threading
import time

from pyspk.conf import SparkConf, entries
from pyspk.scheduler.backend import BackendListener, ExecutorBackend
from pyspk.storage.dirs import app_dir

log = logging.getLogger("pyspk.scheduler.LocalBackend")

MAX_REPLACEMENTS = 100


class LocalBackend(ExecutorBackend):
    """Executor processes spawned by the driver itself."""

    def __init__(self, conf: SparkConf, num_slots: int) -> None:
        self.conf = conf
        self.num_slots = num_slots
        self.app_id = f"local-{int(time.time() * 1000)}"
        self.procs: dict[str, subprocess.Popen] = {}
        self.next_id = 0
        self.replacements = 0
        self.stopping = False
        self.lock = threading.Lock()
        self.listener: BackendListener | None = None
        self.driver_url = ""

    def start(self, driver_url: str, listener: BackendListener) -> str:
        self.driver_url = driver_url
        self.listener = listener
        for _ in range(self.num_slots):
            self._spawn()
        threading.Thread(target=self._watch, name="local-executor-watch", daemon=True).start()
        return self.app_id

    def default_parallelism(self) -> int:
        return self.conf.typed(entries.DEFAULT_PARALLELISM) or self.num_slots

    def _work_dir(self, executor_id: str) -> str:
        return os.path.join(app_dir(self.conf.typed(entries.LOCAL_DIR), self.app_id),
                            f"executor-{executor_id}")

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("PYTHONHASHSEED", "0")
        for k, v in self.conf.getAll():
            if k.startswith("spark.executorEnv."):
                env[k[len("spark.executorEnv."):]] = v
        secret = self.conf.get("spark.authenticate.secret")
        if self.conf.get("spark.authenticate", "false").lower() == "true" and secret:
            env["PYSPK_AUTH_SECRET"] = secret
        env.pop("PYSPK_SUBMIT_CONF", None)
        driver_path = [p for p in sys.path if p]
        env["PYTHONPATH"] = os.pathsep.join(driver_path)
        return env

    def _spawn(self) -> None:
        with self.lock:
            executor_id = str(self.next_id)
            self.next_id += 1
        python = self.conf.typed(entries.PYSPARK_PYTHON) or os.environ.get("PYSPARK_PYTHON") \
            or sys.executable
        cmd = [python, "-m", "pyspk.executor", "--driver-url", self.driver_url,
               "--executor-id", executor_id, "--app-id", self.app_id, "--hostname", "127.0.0.1",
               "--cores", "1", "--work-dir", self._work_dir(executor_id)]
        proc = subprocess.Popen(cmd, env=self._env(), stdin=subprocess.DEVNULL)
        with self.lock:
            self.procs[executor_id] = proc

    def _watch(self) -> None:
        while not self.stopping:
            with self.lock:
                items = list(self.procs.items())
            for executor_id, proc in items:
                code = proc.poll()
                if code is None or self.stopping:
                    continue
                with self.lock:
                    self.procs.pop(executor_id, None)
                shutil.rmtree(self._work_dir(executor_id), ignore_errors=True)
                if self.listener is not None:
                    self.listener.executor_lost(executor_id, f"executor process exited with code {code}")
                if self.replacements < MAX_REPLACEMENTS:
                    self.replacements += 1
                    self._spawn()
            time.sleep(0.05)

    def stop(self) -> None:
        self.stopping = True
        with self.lock:
            procs = list(self.procs.values())
        _wait_then(procs, 0.5, subprocess.Popen.terminate)
        _wait_then(procs, 2.0, subprocess.Popen.kill)
        for p in procs:
            p.wait()
        shutil.rmtree(app_dir(self.conf.typed(entries.LOCAL_DIR), self.app_id), ignore_errors=True)

    def pids(self) -> dict[str, int]:
        """Executor id → process id of the live executors (for tests and the UI)."""
        with self.lock:
            return {k: p.pid for k, p in self.procs.items()}


def _wait_then(procs: list[subprocess.Popen], grace: float, action) -> None:
    """Give ``procs`` ``grace`` seconds to exit (registered executors were sent StopExecutor),
    then apply ``action`` to those still running (ones that never registered)."""
    deadline = time.monotonic() + grace
    for p in procs:
        try:
            p.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            action(p)
