"""An executor of C cores is C single-threaded slot processes: slot 0 (this process) spawns and
supervises slots 1..C-1; when any slot dies the whole executor ends, so the cluster plane sees
one executor with one exit status."""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time

from pyspk._utils.log import configure
from pyspk.executor.process import ExecutorProcess

log = logging.getLogger("pyspk.executor.Executor")


def run(driver_url: str, executor_id: str, app_id: str, host: str, cores: int, work_dir: str,
        slot: int) -> int:
    configure(os.environ.get("PYSPK_EXECUTOR_LOG_LEVEL", "WARN"))
    children: list[subprocess.Popen] = []
    if slot == 0 and cores > 1:
        for s in range(1, cores):
            cmd = [sys.executable, "-m", "pyspk.executor", "--driver-url", driver_url,
                   "--executor-id", executor_id, "--app-id", app_id, "--hostname", host,
                   "--cores", str(cores), "--work-dir", work_dir, "--slot", str(s)]
            children.append(subprocess.Popen(cmd))
        threading.Thread(target=_supervise, args=(children,), daemon=True).start()
    _exit_with_parent()
    proc = ExecutorProcess(driver_url, executor_id, slot, app_id, host, work_dir, cores)
    try:
        code = proc.run()
    finally:
        for c in children:
            if c.poll() is None:
                c.terminate()
        for c in children:
            try:
                c.wait(5)
            except subprocess.TimeoutExpired:
                c.kill()
    return code


def _supervise(children: list[subprocess.Popen]) -> None:
    while True:
        for c in children:
            code = c.poll()
            if code is not None:
                log.error("Executor slot process %d exited with code %s; stopping executor",
                          c.pid, code)
                for other in children:
                    if other.poll() is None:
                        other.kill()
                os._exit(code if code > 0 else 1)
        time.sleep(0.2)


def _exit_with_parent() -> None:
    """End this process when the one that started it (driver or worker) goes away."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
