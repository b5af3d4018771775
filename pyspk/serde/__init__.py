"""Serialisation of closures (cloudpickle) and of record batches (pickle protocol 5)."""
from __future__ import annotations

import io
import pickle
import struct
from typing import Any, BinaryIO, Iterable, Iterator

import cloudpickle

from pyspk.errors import PySparkPicklingError

_LEN = struct.Struct("<I")


def dumps_closure(obj: Any) -> bytes:
    """Pickle code and the data it closes over; an unpicklable closure raises naming why."""
    try:
        return cloudpickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as e:
        raise PySparkPicklingError(
            f"Could not serialize object: {type(e).__name__}: {e}",
            errorClass="COULD_NOT_SERIALIZE") from e


def dumps(obj: Any) -> bytes:
    """Pickle data: plain pickle, falling back to cloudpickle for lambdas and local classes."""
    try:
        return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, AttributeError, TypeError):
        return dumps_closure(obj)


loads = pickle.loads


def write_batch(out: BinaryIO, records: list) -> int:
    """Append one length-framed pickled batch of records; returns bytes written."""
    data = dumps(records)
    out.write(_LEN.pack(len(data)))
    out.write(data)
    return len(data) + _LEN.size


def read_batches(data: bytes | memoryview) -> Iterator[list]:
    """The record batches framed in ``data``, in order."""
    view = memoryview(data)
    pos, end = 0, len(view)
    while pos < end:
        (n,) = _LEN.unpack_from(view, pos)
        pos += _LEN.size
        yield pickle.loads(view[pos:pos + n])
        pos += n


def read_batches_from(stream: BinaryIO) -> Iterator[list]:
    """The record batches framed in a binary stream, until its end."""
    while True:
        head = stream.read(_LEN.size)
        if len(head) < _LEN.size:
            return
        (n,) = _LEN.unpack(head)
        yield pickle.loads(stream.read(n))


def iter_records(batches: Iterable[list]) -> Iterator[Any]:
    """Flatten batches into records."""
    for batch in batches:
        yield from batch


def frame_records(records: Iterable[Any], batch_size: int = 1024) -> bytes:
    """All ``records`` as framed batches in one bytes object."""
    buf = io.BytesIO()
    batch: list = []
    for r in records:
        batch.append(r)
        if len(batch) >= batch_size:
            write_batch(buf, batch)
            batch = []
    if batch:
        write_batch(buf, batch)
    return buf.getvalue()
