"""Compression codecs of text-based sources (CSV, JSON, text): Spark's short names on write,
and decompression chosen by file extension on read, as Hadoop's codec factory does. ``lz4`` and
``snappy`` use Hadoop's block framing (per block: raw length, then compressed chunk length and
bytes); the others are their standard stream formats."""
from __future__ import annotations

import bz2
import gzip
import struct
import zlib
from typing import BinaryIO

import pyarrow as pa

from pyspk.errors import IllegalArgumentException

# short name -> file extension
CODECS: dict[str, str] = {"gzip": ".gz", "bzip2": ".bz2", "deflate": ".deflate", "zstd": ".zst",
                          "lz4": ".lz4", "snappy": ".snappy"}
_ALIASES = {"none": None, "uncompressed": None, "gz": "gzip", "bz2": "bzip2", "zlib": "deflate",
            "zstandard": "zstd"}
_BLOCK = 256 * 1024


def codec_name(value: str | None) -> str | None:
    """The canonical codec of a ``compression`` option (None: uncompressed); an unknown one is
    Spark's IllegalArgumentException naming the known short names."""
    if value is None:
        return None
    v = value.strip().lower()
    v = _ALIASES.get(v, v)
    if v is None or v in CODECS:
        return v
    raise IllegalArgumentException(
        f"Codec [{value}] is not available. Known codecs are "
        f"{', '.join(sorted(['none', 'uncompressed', *CODECS]))}.",
        errorClass="CODEC_NOT_AVAILABLE.WITH_AVAILABLE_CODECS_SUGGESTION")


def compress(data: bytes, codec: str | None) -> bytes:
    """``data`` as the bytes of a file compressed with ``codec``."""
    if codec is None:
        return data
    if codec == "gzip":
        return gzip.compress(data, compresslevel=6)
    if codec == "bzip2":
        return bz2.compress(data)
    if codec == "deflate":
        return zlib.compress(data)
    if codec == "zstd":
        return pa.Codec("zstd").compress(data, asbytes=True)
    return _hadoop_blocks(data, pa.Codec("lz4_raw" if codec == "lz4" else "snappy"))


def _hadoop_blocks(data: bytes, codec: pa.Codec) -> bytes:
    out = bytearray()
    for i in range(0, len(data), _BLOCK):
        raw = data[i:i + _BLOCK]
        comp = codec.compress(raw, asbytes=True)
        out += struct.pack(">II", len(raw), len(comp)) + comp
    return bytes(out)


def _hadoop_unblocks(data: bytes, codec: pa.Codec) -> bytes:
    out = bytearray()
    pos = 0
    while pos + 8 <= len(data):
        raw_len, comp_len = struct.unpack_from(">II", data, pos)
        pos += 8
        got = 0
        while got < raw_len:
            piece = codec.decompress(data[pos:pos + comp_len], decompressed_size=raw_len - got,
                                     asbytes=True)
            out += piece
            got += len(piece)
            pos += comp_len
            if got < raw_len:
                comp_len = struct.unpack_from(">I", data, pos)[0]
                pos += 4
    return bytes(out)


def codec_of_path(path: str) -> str | None:
    """The codec a file's extension names (None: read as is)."""
    for name, ext in CODECS.items():
        if path.endswith(ext):
            return name
    return None


def read_bytes(path: str) -> bytes:
    """A file's content, decompressed by its extension."""
    with open(path, "rb") as fh:
        return decompress(fh, codec_of_path(path))


def decompress(fh: BinaryIO, codec: str | None) -> bytes:
    data = fh.read()
    if codec is None:
        return data
    if codec == "gzip":
        return gzip.decompress(data)
    if codec == "bzip2":
        return bz2.decompress(data)
    if codec == "deflate":
        return zlib.decompress(data)
    if codec == "zstd":
        with pa.CompressedInputStream(pa.BufferReader(data), "zstd") as stream:
            return stream.read()
    return _hadoop_unblocks(data, pa.Codec("lz4_raw" if codec == "lz4" else "snappy"))
