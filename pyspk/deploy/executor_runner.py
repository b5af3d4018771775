"""One executor process on a worker: its launch, its end, its memory, its killing.

The process runs ``python -m pyspk.executor …`` in ``<work dir>/<app-id>/<executor-id>/`` with
``stdout``/``stderr`` files there, in a session of its own so its slot children die with it, and
(on Linux) with a parent-death signal so a killed worker leaves no executor behind. Its scratch
space (``--work-dir``: shuffle files, cached blocks, spills) lives under the worker's local dir
and is deleted when it ends; its logs stay.
"""
from __future__ import annotations

import ctypes
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

from pyspk.conf.environment import SUBMIT_CONF_VAR
from pyspk.deploy.states import ExecutorState, transition

log = logging.getLogger("pyspk.deploy.ExecutorRunner")

PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the directory holding pyspk/
KILL_GRACE_SECONDS = 2.0


@dataclass
class ExecutorRunner:
    """An executor this worker launched; ``poll()`` tells when and how it ended."""

    app_id: str
    executor_id: str
    app_name: str
    cores: int
    memory_mb: int
    driver_url: str
    host: str
    work_dir: Path
    scratch_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    state: ExecutorState = ExecutorState.LAUNCHING
    message: str = ""
    exit_status: int | None = None
    proc: subprocess.Popen[bytes] | None = None
    kill_state: ExecutorState | None = None
    kill_deadline: float = 0.0
    started_at: float = 0.0

    @property
    def full_id(self) -> str:
        return f"{self.app_id}/{self.executor_id}"

    def command(self) -> list[str]:
        return [self.env.get("PYSPARK_PYTHON") or sys.executable, "-m", "pyspk.executor", "--driver-url", self.driver_url,
                "--executor-id", self.executor_id, "--app-id", self.app_id,
                "--hostname", self.host, "--cores", str(self.cores),
                "--work-dir", str(self.scratch_dir)]

    def start(self, base_env: dict[str, str], secret: str | None) -> None:
        """Spawn the process; a failure to spawn leaves the runner FAILED."""
        env = dict(base_env)
        env.setdefault("PYTHONHASHSEED", "0")
        env.update(self.env)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        env.pop("PYSPK_AUTH_SECRET", None)
        env.pop(SUBMIT_CONF_VAR, None)  # a driver's submitted conf is not the executor's
        if secret:
            env["PYSPK_AUTH_SECRET"] = secret
        try:
            self.work_dir.mkdir(parents=True, exist_ok=True)
            self.scratch_dir.mkdir(parents=True, exist_ok=True)
            with open(self.work_dir / "stdout", "ab") as out, open(self.work_dir / "stderr", "ab") as err:
                self.proc = subprocess.Popen(self.command(), cwd=self.work_dir, env=env,
                                             stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                             start_new_session=True, preexec_fn=_die_with_parent)
        except OSError as e:
            self._finish(ExecutorState.FAILED, f"Failed to launch executor: {e}", None)
            return
        self.started_at = time.time()
        log.info("Launched executor %s with pid %d in %s", self.full_id, self.proc.pid, self.work_dir)

    def check_started(self, now: float, grace: float) -> bool:
        """True when the process has just survived its first ``grace`` seconds: it is RUNNING
        (what resets the master's count of executor failures in a row)."""
        if (self.state != ExecutorState.LAUNCHING or self.proc is None or self.kill_state is not None
                or now - self.started_at < grace or self.proc.poll() is not None):
            return False
        self.state = transition(self.state, ExecutorState.RUNNING)  # type: ignore[assignment]
        return True

    def poll(self, now: float) -> bool:
        """True once the process has ended (state, message and exit status are then final)."""
        if self.state.finished:
            return True
        if self.proc is None:
            return False
        code = self.proc.poll()
        if code is None:
            if self.kill_state is not None and now >= self.kill_deadline:
                self._signal_group(signal.SIGKILL)
            return False
        self._signal_group(signal.SIGKILL)
        status = 128 - code if code < 0 else code
        if self.kill_state is not None:
            self._finish(self.kill_state, self.message, status)
        else:
            self._finish(ExecutorState.EXITED, f"Command exited with code {status}", status)
        return True

    def kill(self, state: ExecutorState, reason: str, now: float) -> None:
        """Ask the process to end (SIGTERM), and force it (SIGKILL) after a grace period."""
        if self.state.finished or self.kill_state is not None:
            return
        self.kill_state, self.message = state, reason
        self.kill_deadline = now + KILL_GRACE_SECONDS
        log.info("Killing executor %s: %s", self.full_id, reason)
        self._signal_group(signal.SIGTERM)

    def kill_now(self) -> None:
        """Kill the process and its children at once and reap it (worker shutdown)."""
        self.kill_state = self.kill_state or ExecutorState.KILLED
        self._signal_group(signal.SIGKILL)
        if self.proc is not None:
            try:
                self.proc.wait(timeout=5.0)
            except subprocess.TimeoutExpired:
                log.warning("Executor %s did not die after SIGKILL", self.full_id)
        self.poll(time.time())

    def rss_bytes(self) -> int:
        """Resident memory of the executor and all its children."""
        if self.proc is None or self.state.finished:
            return 0
        try:
            root = psutil.Process(self.proc.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                continue
        return total

    def to_json(self) -> dict[str, Any]:
        """Spark's worker ``/json`` executor fields."""
        return {"id": int(self.executor_id) if self.executor_id.isdigit() else self.executor_id,
                "memory": self.memory_mb, "resources": {}, "appid": self.app_id,
                "state": str(self.state), "pid": self.proc.pid if self.proc else None,
                "appdesc": {"name": self.app_name, "cores": self.cores,
                            "memoryperexecutor": self.memory_mb, "memoryperslave": self.memory_mb,
                            "user": "", "command": " ".join(self.command())}}

    def _finish(self, state: ExecutorState, message: str, status: int | None) -> None:
        self.state = transition(self.state, state)  # type: ignore[assignment]
        self.message, self.exit_status = message, status
        shutil.rmtree(self.scratch_dir, ignore_errors=True)
        try:
            self.scratch_dir.parent.rmdir()  # the app's scratch parent, once empty
        except OSError:
            pass
        log.info("Executor %s finished with state %s (%s)", self.full_id, state, message)

    def _signal_group(self, sig: int) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def _die_with_parent() -> None:
    """In the child before exec: get SIGKILL when the worker thread that forked us dies."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
