"""Layout of an executor's scratch space under ``spark.local.dir``:
``<local>/pyspk-<app>/executor-<id>-<slot>/{shuffle_<sid>,blocks,spill,files}``."""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass


def app_dir(local_dir: str | None, app_id: str) -> str:
    return os.path.join(local_dir or tempfile.gettempdir(), f"pyspk-{app_id}")


@dataclass(frozen=True)
class ExecutorDirs:
    """The scratch directories of one executor slot process."""

    root: str

    @classmethod
    def create(cls, local_dir: str | None, app_id: str, executor_id: str, slot: int) -> "ExecutorDirs":
        root = os.path.join(app_dir(local_dir, app_id), f"executor-{executor_id}-{slot}")
        for sub in ("blocks", "spill", "files"):
            os.makedirs(os.path.join(root, sub), exist_ok=True)
        return cls(root)

    def shuffle_dir(self, shuffle_id: int) -> str:
        d = os.path.join(self.root, f"shuffle_{shuffle_id}")
        os.makedirs(d, exist_ok=True)
        return d

    def map_output(self, shuffle_id: int, map_index: int) -> tuple[str, str]:
        base = os.path.join(self.shuffle_dir(shuffle_id), f"map_{map_index}")
        return base + ".data", base + ".index"

    @property
    def blocks(self) -> str:
        return os.path.join(self.root, "blocks")

    @property
    def spill(self) -> str:
        return os.path.join(self.root, "spill")

    @property
    def files(self) -> str:
        return os.path.join(self.root, "files")

    def remove_shuffle(self, shuffle_id: int) -> None:
        shutil.rmtree(os.path.join(self.root, f"shuffle_{shuffle_id}"), ignore_errors=True)

    def remove_all(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def executor_root(local_dir: str | None, app_id: str, executor_id: str) -> list[str]:
    """Every slot directory of an executor (the driver removes them when it is lost)."""
    base = app_dir(local_dir, app_id)
    prefix = f"executor-{executor_id}-"
    try:
        return [os.path.join(base, d) for d in os.listdir(base) if d.startswith(prefix)]
    except FileNotFoundError:
        return []
