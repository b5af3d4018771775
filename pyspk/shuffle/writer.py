"""Map-side shuffle writers: bucket a map task's output by reduce partition into one data file
and an index of bucket offsets, spilling buckets to disk when memory runs short."""
from __future__ import annotations

import io
import os
import shutil
import tempfile
from array import array
from itertools import islice
from typing import Any, Callable, Iterable

from pyspk.serde import dumps
from pyspk.shuffle.map_status import write_index
from pyspk.shuffle.memory import MemoryWatch

_LEN_BYTES = 4
CHECK_EVERY = 10000


class _Buckets:
    """Byte buffers per reduce partition with spill files behind them."""

    def __init__(self, num_partitions: int, spill_dir: str, memory_limit: int) -> None:
        self.n = num_partitions
        self.buffers = [io.BytesIO() for _ in range(num_partitions)]
        self.spill_dir = spill_dir
        self.spill_paths: list[str | None] = [None] * num_partitions
        self.buffered = 0
        self.memory_limit = memory_limit

    def append(self, r: int, data: bytes) -> None:
        self.buffers[r].write(data)
        self.buffered += len(data)
        if self.buffered > self.memory_limit:
            self.spill()

    def spill(self) -> None:
        for r, buf in enumerate(self.buffers):
            if buf.tell() == 0:
                continue
            path = self.spill_paths[r]
            if path is None:
                fd, path = tempfile.mkstemp(prefix=f"bucket{r}-", dir=self.spill_dir)
                os.close(fd)
                self.spill_paths[r] = path
            with open(path, "ab") as f:
                f.write(buf.getbuffer())
            self.buffers[r] = io.BytesIO()
        self.buffered = 0

    def commit(self, data_path: str, index_path: str) -> array:
        offsets = array("q", [0])
        tmp = data_path + ".tmp"
        with open(tmp, "wb") as out:
            for r in range(self.n):
                path = self.spill_paths[r]
                if path is not None:
                    with open(path, "rb") as f:
                        shutil.copyfileobj(f, out, 1 << 20)
                    os.unlink(path)
                out.write(self.buffers[r].getbuffer())
                offsets.append(out.tell())
        write_index(index_path + ".tmp", offsets)
        os.replace(index_path + ".tmp", index_path)
        os.replace(tmp, data_path)
        return offsets


def write_pickled(records: Iterable[tuple[Any, Any]], num_partitions: int,
                  partition_func: Callable[[Any], int], data_path: str, index_path: str,
                  spill_dir: str, memory_limit: int, batch_size: int = 1024) -> array:
    """Bucket (key, value) records by ``partition_func(key) % num_partitions`` as framed
    pickled batches; returns the bucket offsets."""
    buckets = _Buckets(num_partitions, spill_dir, memory_limit)
    pending: list[list] = [[] for _ in range(num_partitions)]
    watch = MemoryWatch(memory_limit)
    it = iter(records)
    while True:
        chunk = list(islice(it, CHECK_EVERY))
        if not chunk:
            break
        for record in chunk:
            pending[partition_func(record[0]) % num_partitions].append(record)
        spill = watch.over_now()
        for r, batch in enumerate(pending):
            if len(batch) >= batch_size or (spill and batch):
                _flush(buckets, r, batch)
                pending[r] = []
        if spill:
            buckets.spill()
    for r, batch in enumerate(pending):
        if batch:
            _flush(buckets, r, batch)
    return buckets.commit(data_path, index_path)


def _flush(buckets: _Buckets, r: int, batch: list) -> None:
    data = dumps(batch)
    buckets.append(r, len(data).to_bytes(_LEN_BYTES, "little") + data)


# Arrow slices a map task holds per flush: each flush frames one IPC stream per non-empty reduce
# partition, so many reduce partitions (spark.sql.shuffle.partitions = 200) do not mean one
# stream per partition per input batch.
ARROW_PENDING_BYTES = 8 << 20


def write_arrow(batches: Iterable[Any], num_partitions: int,
                partition_ids: Callable[[Any], Any], data_path: str, index_path: str,
                spill_dir: str, memory_limit: int) -> array:
    """Split Arrow record batches by the partition id ``partition_ids(batch)`` gives each row;
    each bucket holds length-framed Arrow IPC streams. Returns the bucket offsets."""
    from pyspk.shuffle import arrow_io
    buckets = _Buckets(num_partitions, spill_dir, memory_limit)
    pending: list[list[Any]] = [[] for _ in range(num_partitions)]
    held = 0
    limit = max(1, min(ARROW_PENDING_BYTES, memory_limit // 8))
    for batch in batches:
        if batch.num_rows == 0:
            continue
        for r, part in arrow_io.split_by_partition(batch, partition_ids(batch), num_partitions):
            pending[r].append(part)
        held += batch.nbytes
        if held >= limit:
            _flush_arrow(buckets, pending)
            held = 0
    _flush_arrow(buckets, pending)
    return buckets.commit(data_path, index_path)


def _flush_arrow(buckets: _Buckets, pending: list[list[Any]]) -> None:
    """One IPC stream per run of same-schema slices of each reduce partition (batches of one
    map task may differ in schema, e.g. dictionary-encoded or not)."""
    from pyspk.shuffle import arrow_io
    for r, parts in enumerate(pending):
        start = 0
        for i in range(1, len(parts) + 1):
            if i == len(parts) or not parts[i].schema.equals(parts[start].schema):
                buckets.append(r, arrow_io.frame_stream(parts[start:i]))
                start = i
        parts.clear()
