"""The pure offer function and task-set bookkeeping, as tables."""
from __future__ import annotations

from pyspk.scheduler.task_set import TaskSetManager, assign


def _ts(stage: int, parts: list[int], priority: int = 0, preferred=None) -> TaskSetManager:
    return TaskSetManager(job_id=priority, stage_id=stage, stage_attempt=0, priority=priority,
                          partitions=parts, max_failures=4, preferred=preferred or {})


def test_fifo_by_job_then_stage() -> None:
    later = _ts(stage=5, parts=[0, 1], priority=1)
    earlier = _ts(stage=9, parts=[0], priority=0)
    got = [(slot, ts.stage_id, p) for slot, ts, p in assign(["a", "b", "c"], [later, earlier])]
    assert got == [("a", 9, 0), ("b", 5, 0), ("c", 5, 1)]


def test_cached_partitions_go_to_their_slot() -> None:
    ts = _ts(stage=1, parts=[0, 1, 2, 3], preferred={2: {"x"}, 3: {"y"}})
    got = {slot: p for slot, _, p in assign(["y", "x"], [ts])}
    assert got == {"y": 3, "x": 2}


def test_more_slots_than_tasks_and_zombies() -> None:
    ts = _ts(stage=1, parts=[0])
    zombie = _ts(stage=2, parts=[0, 1])
    zombie.zombie = True
    assert [(s, p) for s, _, p in assign(["a", "b"], [ts, zombie])] == [("a", 0)]


def test_done_only_when_every_partition_finished() -> None:
    ts = _ts(stage=1, parts=[0, 1])
    p = ts.take("a")
    ts.launched(10, p, "a")
    assert not ts.is_done()
    ts.running.pop(10)
    ts.finished.add(p)
    ts.add_partitions([5])
    assert ts.partitions == [0, 1, 5]
    assert not ts.is_done()
    for q in (1, 5):
        ts.pending.remove(q)
        ts.finished.add(q)
    assert ts.is_done()


def test_attempt_numbers_count_per_partition() -> None:
    ts = _ts(stage=1, parts=[0])
    assert ts.launched(1, 0, "a") == 0
    assert ts.launched(2, 0, "b") == 1
