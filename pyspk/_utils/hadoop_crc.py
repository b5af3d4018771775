"""Hadoop's local-filesystem checksum files: ``.<name>.crc`` beside each file Spark writes, so
output directories look (and verify) as they do under Spark."""
from __future__ import annotations

import os
import struct
import zlib

BYTES_PER_CHECKSUM = 512
_HEADER = b"crc\x00" + struct.pack(">i", BYTES_PER_CHECKSUM)


def crc_path(path: str) -> str:
    head, name = os.path.split(path)
    return os.path.join(head, f".{name}.crc")


def write_crc(path: str) -> None:
    """Write the checksum file of ``path``: a header, then one big-endian CRC32 per 512 bytes."""
    sums = bytearray(_HEADER)
    with open(path, "rb") as f:
        while True:
            chunk = f.read(BYTES_PER_CHECKSUM * 2048)
            if not chunk:
                break
            for i in range(0, len(chunk), BYTES_PER_CHECKSUM):
                sums += struct.pack(">I", zlib.crc32(chunk[i:i + BYTES_PER_CHECKSUM]))
    with open(crc_path(path), "wb") as out:
        out.write(sums)
