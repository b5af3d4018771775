"""Hadoop's FileOutputCommitter (algorithm 1) for DataFrame writes. Each task attempt writes
under ``<out>/_temporary/0/_temporary/attempt_<job>_m_<partition>_<attempt>``; committing the
task renames that directory to ``<out>/_temporary/0/task_<job>_m_<partition>`` unless another
attempt of the partition already committed (then this attempt's files are discarded, so
retried or speculative attempts never duplicate rows). Committing the job moves every committed
task's files into ``<out>`` (keeping partition directories), removes ``_temporary`` and writes
``_SUCCESS`` last; aborting removes ``_temporary``."""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

from pyspk._utils.hadoop_crc import write_crc


@dataclass(frozen=True)
class FileCommitter:
    """The commit protocol of one write job into ``path`` (picklable: tasks use it too)."""

    path: str
    job_id: str

    @property
    def job_dir(self) -> str:
        return os.path.join(self.path, "_temporary", "0")

    def setup_job(self) -> None:
        os.makedirs(os.path.join(self.job_dir, "_temporary"), exist_ok=True)

    def task_attempt_dir(self, partition: int, attempt: int) -> str:
        return os.path.join(self.job_dir, "_temporary",
                            f"attempt_{self.job_id}_m_{partition:06d}_{attempt}")

    def _task_dir(self, partition: int) -> str:
        return os.path.join(self.job_dir, f"task_{self.job_id}_m_{partition:06d}")

    def commit_task(self, partition: int, attempt: int) -> list[str]:
        """Publish an attempt's files to the job (first committed attempt wins); the relative
        paths of the files it committed (empty when another attempt got there first)."""
        src = self.task_attempt_dir(partition, attempt)
        dst = self._task_dir(partition)
        if not os.path.isdir(src):
            return []
        files = _relative_files(src)
        for rel in files:
            write_crc(os.path.join(src, rel))
        try:
            os.rename(src, dst)
        except OSError:
            shutil.rmtree(src, ignore_errors=True)
            return []
        return files

    def abort_task(self, partition: int, attempt: int) -> None:
        shutil.rmtree(self.task_attempt_dir(partition, attempt), ignore_errors=True)

    def commit_job(self) -> list[str]:
        """Move committed files into place, drop ``_temporary``, then write ``_SUCCESS``."""
        moved = []
        if os.path.isdir(self.job_dir):
            for name in sorted(os.listdir(self.job_dir)):
                task = os.path.join(self.job_dir, name)
                if not name.startswith("task_") or not os.path.isdir(task):
                    continue
                for root, _, names in os.walk(task):
                    rel_dir = os.path.relpath(root, task)
                    out_dir = os.path.normpath(os.path.join(self.path, rel_dir))
                    os.makedirs(out_dir, exist_ok=True)
                    for n in names:
                        os.replace(os.path.join(root, n), os.path.join(out_dir, n))
                        if not n.startswith("."):
                            moved.append(os.path.normpath(os.path.join(rel_dir, n)))
        shutil.rmtree(os.path.join(self.path, "_temporary"), ignore_errors=True)
        success = os.path.join(self.path, "_SUCCESS")
        with open(success, "wb"):
            pass
        write_crc(success)
        return moved

    def abort_job(self) -> None:
        shutil.rmtree(os.path.join(self.path, "_temporary"), ignore_errors=True)


def _relative_files(root: str) -> list[str]:
    out = []
    for d, _, names in os.walk(root):
        out.extend(os.path.relpath(os.path.join(d, n), root) for n in names if not n.startswith("."))
    return sorted(out)
