"""Aggregation and sorting that spill to disk when the process passes its memory limit, so a
job larger than RAM still finishes (PySpark's ``spark.python.worker.memory`` semantics)."""
from __future__ import annotations

import heapq
import os
import tempfile
from itertools import islice
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

from pyspk.serde import read_batches_from, write_batch
from pyspk.serde.hashing import portable_hash
from pyspk.shuffle.memory import MemoryWatch

SPILL_BUCKETS = 59
CHECK_EVERY = 10000
_MISSING = object()


def identity(x: Any) -> Any:
    """The combiner of ``reduceByKey``; recognised so merging skips calling it."""
    return x


@dataclass(frozen=True)
class Aggregator:
    """The three functions of ``combineByKey``."""

    createCombiner: Callable[[Any], Any]
    mergeValue: Callable[[Any, Any], Any]
    mergeCombiners: Callable[[Any, Any], Any]


class ExternalMerger:
    """Merges (key, value) or (key, combiner) pairs into a dict, spilling hash buckets of the
    dict to files when memory runs short and merging them bucket by bucket at the end."""

    def __init__(self, agg: Aggregator, memory_limit: int, spill_dir: str | None = None) -> None:
        self.agg = agg
        self.data: dict = {}
        self.watch = MemoryWatch(memory_limit)
        self.spill_dir = spill_dir or tempfile.gettempdir()
        self.spills: list[list[str]] = []

    def mergeValues(self, iterator: Iterable[tuple[Any, Any]]) -> None:
        create, merge = self.agg.createCombiner, self.agg.mergeValue
        plain = create is identity
        it = iter(iterator)
        while True:
            batch = list(islice(it, CHECK_EVERY))
            if not batch:
                return
            d = self.data
            get = d.get
            if plain:
                for k, v in batch:
                    old = get(k, _MISSING)
                    d[k] = v if old is _MISSING else merge(old, v)
            else:
                for k, v in batch:
                    old = get(k, _MISSING)
                    d[k] = create(v) if old is _MISSING else merge(old, v)
            if self.watch.over_now():
                self._spill()

    def mergeCombiners(self, iterator: Iterable[tuple[Any, Any]]) -> None:
        merge = self.agg.mergeCombiners
        it = iter(iterator)
        while True:
            batch = list(islice(it, CHECK_EVERY))
            if not batch:
                return
            d = self.data
            get = d.get
            for k, c in batch:
                old = get(k, _MISSING)
                d[k] = c if old is _MISSING else merge(old, c)
            if self.watch.over_now():
                self._spill()

    def _spill(self) -> None:
        if not self.data:
            return
        paths = []
        buckets: list[list] = [[] for _ in range(SPILL_BUCKETS)]
        for k, v in self.data.items():
            buckets[portable_hash(k) % SPILL_BUCKETS].append((k, v))
        for i, items in enumerate(buckets):
            fd, path = tempfile.mkstemp(prefix=f"merge{i}-", dir=self.spill_dir)
            with os.fdopen(fd, "wb") as f:
                for j in range(0, len(items), 4096):
                    write_batch(f, items[j:j + 4096])
            paths.append(path)
        self.spills.append(paths)
        self.data = {}
        self.watch.rebase()

    def items(self) -> Iterator[tuple[Any, Any]]:
        if not self.spills:
            yield from self.data.items()
            return
        self._spill()
        merge = self.agg.mergeCombiners
        try:
            for i in range(SPILL_BUCKETS):
                d: dict = {}
                for paths in self.spills:
                    with open(paths[i], "rb") as f:
                        for batch in read_batches_from(f):
                            for k, c in batch:
                                d[k] = merge(d[k], c) if k in d else c
                yield from d.items()
        finally:
            self.cleanup()

    def cleanup(self) -> None:
        for paths in self.spills:
            for p in paths:
                try:
                    os.unlink(p)
                except OSError:
                    pass
        self.spills = []


class ExternalSorter:
    """Sorts an iterator, spilling sorted runs to files when memory runs short and merging the
    runs lazily."""

    def __init__(self, memory_limit: int, spill_dir: str | None = None) -> None:
        self.watch = MemoryWatch(memory_limit)
        self.spill_dir = spill_dir or tempfile.gettempdir()

    def sorted(self, iterator: Iterable[Any], key: Callable[[Any], Any] | None = None,
               reverse: bool = False) -> Iterator[Any]:
        chunk: list = []
        runs: list[str] = []
        it = iter(iterator)
        while True:
            batch = list(islice(it, CHECK_EVERY))
            if not batch:
                break
            chunk.extend(batch)
            if self.watch.over_now():
                chunk.sort(key=key, reverse=reverse)
                runs.append(self._write_run(chunk))
                chunk = []
                self.watch.rebase()
        chunk.sort(key=key, reverse=reverse)
        if not runs:
            yield from chunk
            return
        try:
            streams = [self._read_run(p) for p in runs] + [iter(chunk)]
            yield from heapq.merge(*streams, key=key, reverse=reverse)
        finally:
            for p in runs:
                try:
                    os.unlink(p)
                except OSError:
                    pass

    def _write_run(self, items: list) -> str:
        fd, path = tempfile.mkstemp(prefix="sort-", dir=self.spill_dir)
        with os.fdopen(fd, "wb") as f:
            for j in range(0, len(items), 4096):
                write_batch(f, items[j:j + 4096])
        return path

    @staticmethod
    def _read_run(path: str) -> Iterator[Any]:
        with open(path, "rb") as f:
            for batch in read_batches_from(f):
                yield from batch
