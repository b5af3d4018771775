"""Where a map task's output lives and how its reduce partitions are laid out."""
from __future__ import annotations

from array import array
from dataclasses import dataclass


@dataclass(frozen=True)
class MapStatus:
    """One map output: the executor holding it and the byte offsets of each reduce bucket
    (``offsets[r]`` to ``offsets[r + 1]`` in ``data_path``)."""

    map_index: int
    executor_id: str
    host: str
    block_address: str
    data_path: str
    offsets: array

    def segment(self, start: int, end: int) -> tuple[int, int]:
        """(offset, length) of reduce partitions [start, end)."""
        return self.offsets[start], self.offsets[end] - self.offsets[start]

    def sizes(self) -> list[int]:
        return [self.offsets[i + 1] - self.offsets[i] for i in range(len(self.offsets) - 1)]


def write_index(path: str, offsets: array) -> None:
    with open(path, "wb") as f:
        offsets.tofile(f)


def read_segment_from_index(index_path: str, data_path: str, start: int, end: int) -> bytes:
    """Bytes of reduce partitions [start, end) of a map output, located through its index."""
    offsets = array("q")
    with open(index_path, "rb") as f:
        offsets.frombytes(f.read())
    if not 0 <= start <= end < len(offsets):
        raise ValueError(f"reduce range [{start}, {end}) outside {len(offsets) - 1} partitions")
    with open(data_path, "rb") as f:
        f.seek(offsets[start])
        return f.read(offsets[end] - offsets[start])
