"""Text files split into byte ranges read every line exactly once, as Hadoop's reader does."""
from __future__ import annotations

import random

import pytest

from pyspk.rdd.inputs import _split_lines, read_lines, read_owned_bytes
from pyspk.rdd.partitions import FileSplit


@pytest.mark.parametrize("split_size", [1, 7, 64, 1000, 10 ** 6])
def test_every_line_once(tmp_path, split_size: int) -> None:
    rng = random.Random(split_size)
    lines = ["".join(rng.choice("ab c") for _ in range(rng.randint(0, 40))) for _ in range(300)]
    path = tmp_path / "f.txt"
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(data)
    got, owned = [], []
    start = 0
    while start < len(data):
        length = min(split_size, len(data) - start)
        got.extend(read_lines(FileSplit(0, str(path), start, length)))
        owned.extend(_split_lines(read_owned_bytes(FileSplit(0, str(path), start, length)),
                                  b"\n", b"\r"))
        start += length
    assert [g.decode() for g in got] == lines
    assert [g.decode() for g in owned] == lines


def test_crlf_and_missing_final_newline(tmp_path) -> None:
    path = tmp_path / "w.txt"
    path.write_bytes(b"a\r\nbb\r\nccc")
    assert list(read_lines(FileSplit(0, str(path), 0, 9))) == [b"a", b"bb", b"ccc"]
    assert _split_lines(read_owned_bytes(FileSplit(0, str(path), 0, 9)), b"\n", b"\r") == \
        [b"a", b"bb", b"ccc"]
