"""The Arrow shuffle frames few IPC streams per map task and hands reducers few large batches,
whatever the number of reduce partitions; batches of different schemas stay apart."""
from __future__ import annotations

import pyarrow as pa

from pyspk.shuffle.arrow_io import _LEN, coalesce_batches, read_framed
from pyspk.shuffle.writer import write_arrow


def _streams(data: bytes) -> int:
    pos, n = 0, 0
    while pos < len(data):
        (size,) = _LEN.unpack_from(data, pos)
        pos += _LEN.size + size
        n += 1
    return n


def test_one_stream_per_reduce_partition_per_flush(tmp_path):
    batches = [pa.record_batch({"x": pa.array(range(i * 100, (i + 1) * 100), pa.int64())})
               for i in range(50)]
    offsets = write_arrow(iter(batches), 7,
                          lambda b: pa.array(b.column(0).to_numpy() % 7, pa.int32()),
                          str(tmp_path / "d"), str(tmp_path / "i"), str(tmp_path), 1 << 30)
    data = (tmp_path / "d").read_bytes()
    got = []
    for r in range(7):
        segment = data[offsets[r]:offsets[r + 1]]
        assert _streams(segment) == 1
        got += [v for b in read_framed(segment) for v in b.column(0).to_pylist()]
        assert all(v % 7 == r for b in read_framed(segment) for v in b.column(0).to_pylist())
    assert sorted(got) == list(range(5000))


def test_mixed_schemas_get_their_own_streams(tmp_path):
    plain = pa.record_batch({"s": pa.array(["a", "b"])})
    encoded = pa.record_batch({"s": pa.array(["c", "d"]).dictionary_encode()})
    offsets = write_arrow(iter([plain, encoded, plain]), 1, lambda b: pa.array([0] * b.num_rows),
                          str(tmp_path / "d"), str(tmp_path / "i"), str(tmp_path), 1 << 30)
    data = (tmp_path / "d").read_bytes()[offsets[0]:offsets[1]]
    assert _streams(data) == 3
    assert [v for b in read_framed(data) for v in b.column(0).to_pylist()] == \
        ["a", "b", "c", "d", "a", "b"]


def test_reducers_get_large_batches_in_order():
    small = [pa.record_batch({"x": pa.array([i, i + 1], pa.int64())}) for i in range(0, 200, 2)]
    out = list(coalesce_batches(iter(small), min_rows=64))
    assert [b.num_rows for b in out] == [64, 64, 64, 8]
    assert [v for b in out for v in b.column(0).to_pylist()] == list(range(200))
    other = pa.record_batch({"x": pa.array([1.5])})
    mixed = list(coalesce_batches(iter(small[:2] + [other] + small[2:3]), min_rows=64))
    assert [b.num_rows for b in mixed] == [4, 1, 2]
