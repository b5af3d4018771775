"""Arrow IPC framing of shuffle buckets and vectorised splitting of batches by partition."""
from __future__ import annotations

import struct
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_LEN = struct.Struct("<Q")


def split_by_partition(batch: pa.RecordBatch, ids: pa.Array,
                       num_partitions: int) -> Iterator[tuple[int, pa.RecordBatch]]:
    """(partition, rows of ``batch`` whose id is that partition), for non-empty partitions."""
    if num_partitions == 1:
        yield 0, batch
        return
    ids = pa.array(ids) if not isinstance(ids, (pa.Array, pa.ChunkedArray)) else ids
    order = pc.sort_indices(ids)
    sorted_ids = pc.take(ids, order).to_numpy(zero_copy_only=False)
    taken = batch.take(order)
    bounds = np.searchsorted(sorted_ids, np.arange(num_partitions + 1), side="left")
    for r in range(num_partitions):
        lo, hi = int(bounds[r]), int(bounds[r + 1])
        if hi > lo:
            yield r, taken.slice(lo, hi - lo)


def frame_stream(batches: list[pa.RecordBatch]) -> bytes:
    """One length-prefixed Arrow IPC stream holding ``batches``."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batches[0].schema) as w:
        for b in batches:
            w.write_batch(b)
    buf = sink.getvalue()
    return _LEN.pack(buf.size) + buf.to_pybytes()


def read_framed(data: bytes | memoryview) -> Iterator[pa.RecordBatch]:
    """The record batches of consecutive length-prefixed IPC streams."""
    view = memoryview(data)
    pos, end = 0, len(view)
    while pos < end:
        (n,) = _LEN.unpack_from(view, pos)
        pos += _LEN.size
        reader = pa.ipc.open_stream(pa.py_buffer(view[pos:pos + n]))
        yield from reader
        pos += n


def coalesce_batches(batches: Iterator[pa.RecordBatch],
                     min_rows: int = 65536) -> Iterator[pa.RecordBatch]:
    """Consecutive same-schema batches concatenated into batches of at least ``min_rows`` rows:
    a reduce task reading many small map segments (many shuffle partitions coalesced into one
    read) hands its operators a few large batches instead of thousands of tiny ones."""
    held: list[pa.RecordBatch] = []
    rows = 0
    for b in batches:
        if held and not b.schema.equals(held[0].schema):
            yield from _concat(held)
            held, rows = [], 0
        held.append(b)
        rows += b.num_rows
        if rows >= min_rows:
            yield from _concat(held)
            held, rows = [], 0
    if held:
        yield from _concat(held)


def _concat(batches: list[pa.RecordBatch]) -> list[pa.RecordBatch]:
    if len(batches) == 1:
        return batches
    return pa.Table.from_batches(batches).combine_chunks().to_batches()
