"""Reliable checkpoints: after a job, RDDs in its lineage marked with ``checkpoint()`` are
written partition by partition to the checkpoint directory and their lineage is cut."""
from __future__ import annotations

import os
from typing import Any, Iterator

from pyspk.serde import write_batch


def _marked(rdd: Any) -> list[Any]:
    out, seen, stack = [], set(), [rdd]
    while stack:
        r = stack.pop()
        if r.id() in seen:
            continue
        seen.add(r.id())
        if r._checkpoint_requested and r._checkpointed_rdd is None:
            out.append(r)
        stack.extend(d.rdd for d in r.dependencies)
    return out


def checkpoint_marked(ctx: Any, rdd: Any) -> None:
    for r in _marked(rdd):
        if ctx._checkpoint_dir is None:
            r._checkpoint_requested = False
            continue
        directory = os.path.join(ctx._checkpoint_dir, f"rdd-{r.id()}")
        os.makedirs(directory, exist_ok=True)

        def write(index: int, iterator: Iterator[Any], directory: str = directory) -> Iterator[int]:
            path = os.path.join(directory, f"part-{index:05d}")
            with open(path + ".tmp", "wb") as f:
                batch: list = []
                for x in iterator:
                    batch.append(x)
                    if len(batch) >= 1024:
                        write_batch(f, batch)
                        batch = []
                if batch:
                    write_batch(f, batch)
            os.replace(path + ".tmp", path)
            yield index

        from pyspk.rdd.kinds import CheckpointRDD, PipelinedRDD
        n = r.getNumPartitions()
        r._checkpoint_requested = False
        PipelinedRDD(r, write)._run_job(list, None, "checkpoint")
        r._checkpointed_rdd = CheckpointRDD(ctx, directory, n)
