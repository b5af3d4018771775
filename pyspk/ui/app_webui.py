"""The application's web UI on ``spark.ui.port`` (4040, the next free port if taken): an HTML
page of jobs, stages and executors, and Spark's monitoring REST API under ``/api/v1`` so scripts
and tools that poll a PySpark application read this one the same way."""
from __future__ import annotations

import json
import time
from typing import Any, Callable

from pyspk.deploy.webui import StatusServer, page, table
from pyspk.scheduler.status import JobRecord, StageRecord


def spark_time(ts: float | None) -> str | None:
    """A timestamp as Spark's REST API writes it: ``2026-11-25T10:40:19.123GMT``."""
    if ts is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts * 1000) % 1000:03d}GMT"


def job_json(job: JobRecord, stages: dict[int, StageRecord]) -> dict[str, Any]:
    mine = [stages[s] for s in job.stage_ids if s in stages]
    return {"jobId": job.job_id, "name": job.name, "submissionTime": spark_time(job.submitted),
            "completionTime": spark_time(job.finished_at), "stageIds": job.stage_ids,
            "jobGroup": job.group, "status": job.status,
            "numTasks": sum(s.num_tasks for s in mine),
            "numActiveTasks": sum(s.active for s in mine),
            "numCompletedTasks": sum(s.completed for s in mine),
            "numFailedTasks": sum(s.failed for s in mine),
            "numActiveStages": sum(s.status == "ACTIVE" for s in mine),
            "numCompletedStages": sum(s.status == "COMPLETE" for s in mine),
            "numFailedStages": sum(s.status == "FAILED" for s in mine)}


def stage_json(stage: StageRecord) -> dict[str, Any]:
    return {"status": stage.status, "stageId": stage.stage_id, "attemptId": stage.attempt,
            "numTasks": stage.num_tasks, "numActiveTasks": stage.active,
            "numCompleteTasks": stage.completed, "numFailedTasks": stage.failed,
            "submissionTime": spark_time(stage.submitted),
            "completionTime": spark_time(stage.finished_at), "name": stage.name,
            "memoryBytesSpilled": stage.memory_bytes_spilled,
            "diskBytesSpilled": stage.disk_bytes_spilled}


class ApplicationUI:
    """Serves the UI of one SparkContext; reads only snapshots of scheduler state."""

    def __init__(self, sc: Any, host: str, port: int) -> None:
        self.sc = sc
        base = f"/api/v1/applications/{sc.applicationId}"
        pages: dict[str, Callable[[dict[str, str]], tuple[int, str, bytes]]] = {
            "/api/v1/applications": lambda q: _json([self.application()]),
            base: lambda q: _json(self.application()),
            base + "/jobs": lambda q: _json(self.jobs(q.get("status"))),
            base + "/stages": lambda q: _json(self.stages(q.get("status"))),
            base + "/executors": lambda q: _json(self.executors()),
            base + "/environment": lambda q: _json(self.environment()),
        }
        self.server = StatusServer(host, port, self.state, self.render, pages)
        self.url = f"http://{host}:{self.server.port}"

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def application(self) -> dict[str, Any]:
        sc = self.sc
        ended = time.time() if sc._stopped else None
        return {"id": sc.applicationId, "name": sc.appName, "attempts": [{
            "startTime": spark_time(sc.startTime / 1000), "endTime": spark_time(ended),
            "lastUpdated": spark_time(time.time()), "sparkUser": sc.sparkUser(),
            "completed": sc._stopped, "appSparkVersion": sc.version}]}

    def jobs(self, status: str | None = None) -> list[dict[str, Any]]:
        stages = {s.stage_id: s for s in self.sc._scheduler.status.stages()}
        jobs = [job_json(j, stages) for j in self.sc._scheduler.status.jobs()]
        return sorted((j for j in jobs if status is None or j["status"] == status.upper()),
                      key=lambda j: -j["jobId"])

    def stages(self, status: str | None = None) -> list[dict[str, Any]]:
        stages = [stage_json(s) for s in self.sc._scheduler.status.stages()]
        return sorted((s for s in stages if status is None or s["status"] == status.upper()),
                      key=lambda s: -s["stageId"])

    def executors(self) -> list[dict[str, Any]]:
        by_executor: dict[str, dict[str, Any]] = {}
        for slot in list(self.sc._scheduler.slots.values()):
            e = by_executor.setdefault(slot.executor_id, {
                "id": slot.executor_id, "hostPort": slot.host, "isActive": True,
                "rddBlocks": 0, "totalCores": 0, "maxTasks": 0, "activeTasks": 0})
            e["totalCores"] += 1
            e["maxTasks"] += 1
            e["activeTasks"] += slot.busy is not None
            e["rddBlocks"] += len(slot.blocks)
        return sorted(by_executor.values(), key=lambda e: e["id"])

    def environment(self) -> dict[str, Any]:
        secret_keys = ("secret", "password", "token")
        props = [[k, "*********(redacted)" if any(s in k.lower() for s in secret_keys) else v]
                 for k, v in sorted(self.sc._conf.getAll())]
        return {"sparkProperties": props}

    def state(self) -> dict[str, Any]:
        return {"application": self.application(), "jobs": self.jobs(), "stages": self.stages(),
                "executors": self.executors()}

    def render(self, state: dict[str, Any]) -> str:
        app = state["application"]
        jobs = table(["Job Id", "Description", "Submitted", "Status", "Stages", "Tasks (done/all)"],
                     [[j["jobId"], j["name"], j["submissionTime"], j["status"],
                       f"{j['numCompletedStages']}/{len(j['stageIds'])}",
                       f"{j['numCompletedTasks']}/{j['numTasks']}"] for j in state["jobs"]])
        stages = table(["Stage Id", "Description", "Status", "Tasks (done/all)", "Failed"],
                       [[f"{s['stageId']}.{s['attemptId']}", s["name"], s["status"],
                         f"{s['numCompleteTasks']}/{s['numTasks']}", s["numFailedTasks"]]
                        for s in state["stages"]])
        executors = table(["Executor", "Address", "Cores", "Active tasks", "RDD blocks"],
                          [[e["id"], e["hostPort"], e["totalCores"], e["activeTasks"],
                            e["rddBlocks"]] for e in state["executors"]])
        return page(f"{app['name']} - Spark Jobs ({app['id']})",
                    f"<h3>Jobs</h3>{jobs}<h3>Stages</h3>{stages}<h3>Executors</h3>{executors}")


def _json(obj: Any) -> tuple[int, str, bytes]:
    return 200, "application/json", json.dumps(obj, indent=2).encode()
