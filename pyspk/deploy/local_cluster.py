"""``local-cluster[W,C,M]``: a real master and W workers in this process (each on its own event
loop thread, on 127.0.0.1), whose executors are real processes."""
from __future__ import annotations

import shutil
import tempfile
import time

from pyspk.conf import SparkConf
from pyspk.deploy.master import Master
from pyspk.deploy.worker import Worker
from pyspk.errors import PySparkRuntimeError

START_TIMEOUT_SECONDS = 30.0


class LocalCluster:
    """W workers of C cores and M MiB each under one master; ``start()`` returns its URL once
    every worker has registered."""

    def __init__(self, num_workers: int, cores_per_worker: int, memory_mb: int,
                 conf: SparkConf | None = None) -> None:
        self.num_workers = num_workers
        self.cores_per_worker = cores_per_worker
        self.memory_mb = memory_mb
        self.conf = conf.copy() if conf is not None else SparkConf(loadDefaults=False)
        self.master: Master | None = None
        self.workers: list[Worker] = []
        self.work_dir = ""

    def start(self) -> str:
        self.work_dir = tempfile.mkdtemp(prefix="pyspk-local-cluster-")
        self.master = Master(self.conf, host="127.0.0.1", port=0, webui_port=0).start()
        for i in range(self.num_workers):
            worker = Worker(self.conf, self.master.url, self.cores_per_worker, self.memory_mb,
                            f"{self.work_dir}/worker-{i}", host="127.0.0.1", port=0, webui_port=0)
            self.workers.append(worker.start())
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while self.master.snapshot()["aliveworkers"] < self.num_workers:
            if time.monotonic() > deadline:
                self.stop()
                raise PySparkRuntimeError(
                    f"local-cluster: {self.num_workers} worker(s) did not register in "
                    f"{START_TIMEOUT_SECONDS:.0f} s", errorClass="LOCAL_CLUSTER_START_FAILED")
            time.sleep(0.01)
        return self.master.url

    def stop(self) -> None:
        """Stop the workers (killing their executors), then the master, and remove the work dir."""
        for worker in self.workers:
            worker.stop()
        self.workers.clear()
        if self.master is not None:
            self.master.stop()
            self.master = None
        if self.work_dir:
            shutil.rmtree(self.work_dir, ignore_errors=True)
            self.work_dir = ""
