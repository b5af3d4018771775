"""Hadoop SequenceFiles (version 6): the key/value files ``saveAsSequenceFile`` writes and
``sequenceFile`` reads, interchangeable with Spark's. Python values map to Writables as PySpark
maps them (bool, int, float, str, bytes, None); record-compressed files use Hadoop's DefaultCodec
(zlib) or GzipCodec."""
from __future__ import annotations

import gzip
import os
import struct
import zlib
from typing import Any, BinaryIO, Callable, Iterator

from pyspk.errors import PySparkTypeError, PySparkValueError

MAGIC = b"SEQ\x06"
SYNC_ESCAPE = -1
SYNC_SIZE = 16
SYNC_INTERVAL = 100 * (4 + SYNC_SIZE)

W = "org.apache.hadoop.io."
CODECS: dict[str, tuple[Callable[[bytes], bytes], Callable[[bytes], bytes]]] = {
    "org.apache.hadoop.io.compress.DefaultCodec": (zlib.compress, zlib.decompress),
    "org.apache.hadoop.io.compress.GzipCodec": (gzip.compress, gzip.decompress),
}


def write_vlong(out: bytearray, i: int) -> None:
    """Hadoop's zero-compressed variable-length integer (WritableUtils.writeVLong)."""
    if -112 <= i <= 127:
        out += struct.pack(">b", i)
        return
    length = -112
    if i < 0:
        i ^= -1
        length = -120
    tmp = i
    while tmp:
        tmp >>= 8
        length -= 1
    out += struct.pack(">b", length)
    n = -(length + 120) if length < -120 else -(length + 112)
    for idx in range(n, 0, -1):
        out.append((i >> ((idx - 1) * 8)) & 0xFF)


def read_vlong(data: bytes | memoryview, pos: int) -> tuple[int, int]:
    """(value, next position) of a variable-length integer at ``pos``."""
    first = struct.unpack_from(">b", data, pos)[0]
    if first >= -112:
        return first, pos + 1
    negative = first < -120
    size = (-119 - first) if negative else (-111 - first)
    value = 0
    for b in bytes(data[pos + 1:pos + size]):
        value = (value << 8) | b
    return (value ^ -1 if negative else value), pos + size


def _text(s: str) -> bytes:
    out = bytearray()
    raw = s.encode("utf-8")
    write_vlong(out, len(raw))
    return bytes(out + raw)


def writable_class(value: Any) -> str:
    """The Writable PySpark would store ``value`` as."""
    if value is None:
        return W + "NullWritable"
    if isinstance(value, bool):
        return W + "BooleanWritable"
    if isinstance(value, int):
        return W + ("IntWritable" if -2 ** 31 <= value < 2 ** 31 else "LongWritable")
    if isinstance(value, float):
        return W + "DoubleWritable"
    if isinstance(value, str):
        return W + "Text"
    if isinstance(value, (bytes, bytearray)):
        return W + "BytesWritable"
    raise PySparkTypeError(f"Cannot write a {type(value).__name__} into a SequenceFile: keys and "
                           "values must be None, bool, int, float, str or bytes",
                           errorClass="UNSUPPORTED_DATA_TYPE")


_ENCODERS: dict[str, Callable[[Any], bytes]] = {
    W + "NullWritable": lambda v: b"",
    W + "BooleanWritable": lambda v: b"\x01" if v else b"\x00",
    W + "IntWritable": lambda v: struct.pack(">i", v),
    W + "LongWritable": lambda v: struct.pack(">q", v),
    W + "FloatWritable": lambda v: struct.pack(">f", v),
    W + "DoubleWritable": lambda v: struct.pack(">d", v),
    W + "Text": lambda v: _text(str(v)),
    W + "BytesWritable": lambda v: struct.pack(">i", len(v)) + bytes(v),
}

_DECODERS: dict[str, Callable[[bytes], Any]] = {
    W + "NullWritable": lambda b: None,
    W + "BooleanWritable": lambda b: b[0] != 0,
    W + "IntWritable": lambda b: struct.unpack(">i", b)[0],
    W + "LongWritable": lambda b: struct.unpack(">q", b)[0],
    W + "FloatWritable": lambda b: struct.unpack(">f", b)[0],
    W + "DoubleWritable": lambda b: struct.unpack(">d", b)[0],
    W + "Text": lambda b: bytes(b[read_vlong(b, 0)[1]:]).decode("utf-8"),
    W + "BytesWritable": lambda b: bytearray(b[4:4 + struct.unpack_from(">i", b, 0)[0]]),
}


def encoder(cls: str) -> Callable[[Any], bytes]:
    try:
        return _ENCODERS[cls]
    except KeyError:
        raise PySparkValueError(f"Writable class {cls} is not supported (supported: "
                                f"{', '.join(sorted(c[len(W):] for c in _ENCODERS))})",
                                errorClass="UNSUPPORTED_WRITABLE") from None


def write(out: BinaryIO, records: Iterator[tuple[Any, Any]], key_class: str | None = None,
          value_class: str | None = None, codec: str | None = None) -> None:
    """Write (key, value) records; classes default to the first record's Writables, and a record
    of another type fails as Spark's writer does."""
    first = next(records, None)
    if first is None:
        key_class = key_class or W + "NullWritable"
        value_class = value_class or W + "NullWritable"
    else:
        key_class = key_class or writable_class(first[0])
        value_class = value_class or writable_class(first[1])
    enc_k, enc_v = encoder(key_class), encoder(value_class)
    compress = None
    if codec is not None:
        if codec not in CODECS:
            raise PySparkValueError(f"Compression codec {codec} is not supported (supported: "
                                    f"{', '.join(sorted(CODECS))})", errorClass="UNKNOWN_CODEC")
        compress = CODECS[codec][0]
    sync = os.urandom(SYNC_SIZE)
    head = bytearray(MAGIC) + _text(key_class) + _text(value_class)
    head += (b"\x01" if codec else b"\x00") + b"\x00"
    if codec:
        head += _text(codec)
    head += struct.pack(">i", 0) + sync
    out.write(head)
    pos = last_sync = len(head)
    buf = bytearray()
    records = iter(records) if first is None else _chain(first, records)
    for k, v in records:
        if writable_class(k) != key_class and not _widens(k, key_class):
            raise PySparkTypeError(f"wrong key class: {writable_class(k)} is not {key_class}",
                                   errorClass="WRONG_KEY_CLASS")
        if writable_class(v) != value_class and not _widens(v, value_class):
            raise PySparkTypeError(f"wrong value class: {writable_class(v)} is not "
                                   f"{value_class}", errorClass="WRONG_VALUE_CLASS")
        kb, vb = enc_k(k), enc_v(v)
        if compress is not None:
            vb = compress(vb)
        if pos >= last_sync + SYNC_INTERVAL:
            buf += struct.pack(">i", SYNC_ESCAPE) + sync
            pos += 4 + SYNC_SIZE
            last_sync = pos
        buf += struct.pack(">ii", len(kb) + len(vb), len(kb)) + kb + vb
        pos += 8 + len(kb) + len(vb)
        if len(buf) > 1 << 20:
            out.write(buf)
            buf = bytearray()
    out.write(buf)


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    yield first
    yield from rest


def _widens(value: Any, cls: str) -> bool:
    """Numbers a wider declared class also holds (an int in a Long or Double file)."""
    if cls == W + "LongWritable":
        return isinstance(value, int) and not isinstance(value, bool)
    if cls in (W + "DoubleWritable", W + "FloatWritable"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return False


def read(path: str) -> Iterator[tuple[Any, Any]]:
    """The (key, value) records of a SequenceFile as Python values."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:3] != b"SEQ":
        raise PySparkValueError(f"{path} is not a SequenceFile", errorClass="NOT_A_SEQUENCE_FILE")
    if data[3] != 6:
        raise PySparkValueError(f"{path}: SequenceFile version {data[3]} is not supported "
                                "(version 6 is)", errorClass="UNSUPPORTED_SEQUENCE_FILE")
    view = memoryview(data)
    pos = 4
    classes = []
    for _ in range(2):
        n, pos = read_vlong(view, pos)
        classes.append(bytes(view[pos:pos + n]).decode())
        pos += n
    compressed, block = view[pos] != 0, view[pos + 1] != 0
    pos += 2
    decompress = None
    if compressed:
        n, pos = read_vlong(view, pos)
        codec = bytes(view[pos:pos + n]).decode()
        pos += n
        if block or codec not in CODECS:
            raise PySparkValueError(f"{path}: {'block' if block else 'record'} compression with "
                                    f"{codec} is not supported", errorClass="UNKNOWN_CODEC")
        decompress = CODECS[codec][1]
    (entries,) = struct.unpack_from(">i", view, pos)
    pos += 4
    for _ in range(entries * 2):
        n, pos = read_vlong(view, pos)
        pos += n
    pos += SYNC_SIZE
    dec_k, dec_v = _DECODERS.get(classes[0]), _DECODERS.get(classes[1])
    if dec_k is None or dec_v is None:
        bad = classes[0] if dec_k is None else classes[1]
        raise PySparkValueError(f"{path}: Writable class {bad} is not supported",
                                errorClass="UNSUPPORTED_WRITABLE")
    end = len(view)
    while pos < end:
        (length,) = struct.unpack_from(">i", view, pos)
        pos += 4
        if length == SYNC_ESCAPE:
            pos += SYNC_SIZE
            continue
        (klen,) = struct.unpack_from(">i", view, pos)
        pos += 4
        kb, vb = bytes(view[pos:pos + klen]), bytes(view[pos + klen:pos + length])
        pos += length
        yield dec_k(kb), dec_v(decompress(vb) if decompress else vb)
