"""The executor's store of persisted RDD partitions, in memory and/or on disk by
``StorageLevel``, with least-recently-used eviction from memory under a byte budget."""
from __future__ import annotations

import collections
import logging
import os
import pickle
import threading

from pyspk.serde import frame_records, read_batches, iter_records
from pyspk.storagelevel import StorageLevel

log = logging.getLogger("pyspk.storage.BlockManager")

_current: "BlockManager | None" = None


def current() -> "BlockManager | None":
    """This executor's block manager (None outside executors)."""
    return _current


def install(bm: "BlockManager | None") -> None:
    global _current
    _current = bm


def _estimate_size(records: list) -> int:
    if not records:
        return 64
    sample = records[: min(len(records), 200)]
    return max(64, len(pickle.dumps(sample, protocol=5)) * len(records) // len(sample))


class BlockManager:
    """Persisted partitions of this executor, keyed ``rdd_<rdd>_<partition>``."""

    def __init__(self, disk_dir: str, memory_budget: int) -> None:
        self.disk_dir = disk_dir
        self.memory_budget = memory_budget
        self._memory: collections.OrderedDict[str, tuple[list, int]] = collections.OrderedDict()
        self._memory_used = 0
        self._disk: set[str] = set()
        self._levels: dict[str, StorageLevel] = {}
        self._lock = threading.Lock()

    def _path(self, block_id: str) -> str:
        return os.path.join(self.disk_dir, block_id)

    def get(self, block_id: str) -> list | None:
        with self._lock:
            hit = self._memory.get(block_id)
            if hit is not None:
                self._memory.move_to_end(block_id)
                return hit[0]
            on_disk = block_id in self._disk
        if on_disk:
            try:
                with open(self._path(block_id), "rb") as f:
                    return list(iter_records(read_batches(f.read())))
            except OSError:
                with self._lock:
                    self._disk.discard(block_id)
        return None

    def put(self, block_id: str, records: list, level: StorageLevel) -> bool:
        """Store a partition; returns whether it was kept anywhere."""
        kept = False
        self._levels[block_id] = level
        if level.useMemory:
            size = _estimate_size(records)
            if size <= self.memory_budget:
                with self._lock:
                    evicted = self._make_room(size)
                    self._memory[block_id] = (records, size)
                    self._memory_used += size
                for victim_id, victim in evicted:
                    self._write_disk(victim_id, victim)
                kept = True
        if level.useDisk and not kept:
            self._write_disk(block_id, records)
            kept = True
        return kept

    def _make_room(self, size: int) -> list[tuple[str, list]]:
        """Evict least-recently-used blocks until ``size`` fits; returns the evicted blocks
        whose level wants them spilled to disk (callers write them outside the lock)."""
        evicted = []
        while self._memory and self._memory_used + size > self.memory_budget:
            victim_id, (victim, vsize) = self._memory.popitem(last=False)
            self._memory_used -= vsize
            evicted.append((victim_id, victim))
            log.info("Evicted block %s (%d bytes) from memory", victim_id, vsize)
        return [(b, r) for b, r in evicted if self._levels.get(b, StorageLevel.NONE).useDisk]

    def _write_disk(self, block_id: str, records: list) -> None:
        path = self._path(block_id)
        with open(path + ".tmp", "wb") as f:
            f.write(frame_records(records))
        os.replace(path + ".tmp", path)
        with self._lock:
            self._disk.add(block_id)

    def get_bytes(self, block_id: str) -> bytes | None:
        """A block as framed pickled batches (for remote readers)."""
        records = self.get(block_id)
        return None if records is None else frame_records(records)

    def remove(self, block_id: str) -> None:
        with self._lock:
            hit = self._memory.pop(block_id, None)
            if hit is not None:
                self._memory_used -= hit[1]
            on_disk = block_id in self._disk
            self._disk.discard(block_id)
            self._levels.pop(block_id, None)
        if on_disk:
            try:
                os.unlink(self._path(block_id))
            except OSError:
                pass

    def remove_rdd(self, rdd_id: int) -> None:
        prefix = f"rdd_{rdd_id}_"
        with self._lock:
            ids = [b for b in list(self._memory) + list(self._disk) if b.startswith(prefix)]
        for b in ids:
            self.remove(b)

    def block_ids(self) -> list[str]:
        with self._lock:
            return sorted(set(self._memory) | self._disk)

