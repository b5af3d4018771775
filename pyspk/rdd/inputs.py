"""RDDs read from files: text lines split like Hadoop's ``TextInputFormat`` (so partition
counts and order match Spark's), whole text files, and pickle files."""
from __future__ import annotations

import bz2
import glob
import gzip
import io
import lzma
import os
from typing import Any, Iterator

from pyspk.errors import AnalysisException
from pyspk.rdd.partitions import FileSplit, FilesSplit, Split
from pyspk.rdd.rdd import RDD
from pyspk.serde import iter_records, read_batches_from
from pyspk.taskcontext import TaskContext

BLOCK_SIZE = 32 << 20
SPLIT_SLOP = 1.1
_OPENERS = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open, ".deflate": gzip.open}


def _strip_scheme(path: str) -> str:
    return path[len("file://"):] if path.startswith("file://") else \
        path[len("file:"):] if path.startswith("file:") else path


def list_files(paths: str) -> list[str]:
    """Files named by comma-separated paths, directories (their visible files, in the order the
    filesystem lists them) or globs (sorted)."""
    found: list[str] = []
    for raw in paths.split(","):
        p = _strip_scheme(raw.strip())
        matches = sorted(glob.glob(p)) if glob.has_magic(p) else ([p] if os.path.exists(p) else [])
        if not matches:
            raise AnalysisException(f"Input path does not exist: file:{os.path.abspath(p)}",
                                    errorClass="PATH_NOT_FOUND",
                                    messageParameters={"path": f"file:{os.path.abspath(p)}"})
        for m in matches:
            if os.path.isdir(m):
                # Directory order as the filesystem lists it, as Hadoop's local listStatus.
                found.extend(os.path.join(m, f) for f in os.listdir(m)
                             if not f.startswith((".", "_")) and os.path.isfile(os.path.join(m, f)))
            else:
                found.append(m)
    return [os.path.abspath(f) for f in found]


def _splittable(path: str) -> bool:
    return os.path.splitext(path)[1] not in _OPENERS


class TextFileRDD(RDD):
    """Lines of text files; uncompressed files are split into byte ranges."""

    def __init__(self, ctx: Any, path: str, min_partitions: int, use_unicode: bool) -> None:
        super().__init__(ctx)
        self._files = list_files(path)
        self._min_partitions = max(1, min_partitions)
        self._use_unicode = use_unicode
        self._path = path

    def _compute_partitions(self) -> list[Split]:
        sizes = {f: os.path.getsize(f) for f in self._files}
        total = sum(s for f, s in sizes.items() if _splittable(f))
        goal = total // self._min_partitions if self._min_partitions else total
        split_size = max(1, min(goal, BLOCK_SIZE))
        out: list[Split] = []
        for f in self._files:
            size = sizes[f]
            if not _splittable(f) or size == 0:
                out.append(FileSplit(len(out), f, 0, -1 if size else 0))
                continue
            start = 0
            while (size - start) / split_size > SPLIT_SLOP:
                out.append(FileSplit(len(out), f, start, split_size))
                start += split_size
            out.append(FileSplit(len(out), f, start, size - start))
        return out

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        if split.length < 0:  # type: ignore[attr-defined]
            lines = read_lines(split)  # type: ignore[arg-type]
            if self._use_unicode:
                return (line.decode("utf-8", "replace") for line in lines)
            return lines
        data = read_owned_bytes(split)  # type: ignore[arg-type]
        if self._use_unicode:
            return iter(_split_lines(data.decode("utf-8", "replace"), "\n", "\r"))
        return iter(_split_lines(data, b"\n", b"\r"))


def read_owned_bytes(split: FileSplit) -> bytes:
    """The bytes of every line a split owns, read in one go: as Hadoop's LineRecordReader, a
    split that does not start its file gives its first line to the previous split, and owns a
    line starting exactly at its end."""
    if split.length == 0:
        return b""
    with open(split.path, "rb") as f:
        f.seek(split.start)
        data = f.read(split.length)
        if len(data) == split.length:
            data += f.readline()
    if split.start != 0:
        cut = data.find(b"\n")
        return b"" if cut < 0 else data[cut + 1:]
    return data


def _split_lines(text: Any, nl: Any, cr: Any) -> list:
    """Lines of ``text`` without their ``\n`` or ``\r\n`` terminators."""
    if not text:
        return []
    lines = text.split(nl)
    if not lines[-1]:
        lines.pop()
    if cr in text:
        lines = [line[:-1] if line.endswith(cr) else line for line in lines]
    return lines


def read_lines(split: FileSplit) -> Iterator[bytes]:
    """Lines of a split without their terminators, as Hadoop's LineRecordReader: a split that
    does not start the file skips its first line, and reads on while a line starts at or
    before its end."""
    if split.length == 0:
        return
    ext = os.path.splitext(split.path)[1]
    if split.length < 0:
        with _OPENERS[ext](split.path, "rb") as f:
            for line in io.BufferedReader(f, 1 << 20):
                yield line.rstrip(b"\r\n") if line.endswith(b"\n") else line.rstrip(b"\r")
        return
    end = split.start + split.length
    with open(split.path, "rb", buffering=1 << 20) as f:
        pos = split.start
        f.seek(pos)
        if pos != 0:
            pos += len(f.readline())
        while pos <= end:
            line = f.readline()
            if not line:
                return
            pos += len(line)
            yield line[:-1].rstrip(b"\r") if line.endswith(b"\n") else line


class WholeTextFilesRDD(RDD):
    """(path, content) of each file, files grouped into at most ``min_partitions`` partitions."""

    def __init__(self, ctx: Any, path: str, min_partitions: int, use_unicode: bool) -> None:
        super().__init__(ctx)
        self._files = list_files(path)
        self._n = max(1, min(min_partitions, len(self._files) or 1))
        self._use_unicode = use_unicode

    def _compute_partitions(self) -> list[Split]:
        files, n = self._files, self._n
        return [FilesSplit(i, tuple(files[i * len(files) // n:(i + 1) * len(files) // n]))
                for i in range(n)]

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        for path in split.paths:  # type: ignore[attr-defined]
            opener = _OPENERS.get(os.path.splitext(path)[1], open)
            with opener(path, "rb") as f:
                data = f.read()
            yield ("file:" + path, data.decode("utf-8", "replace") if self._use_unicode else data)


class PickleFileRDD(RDD):
    """Records saved by ``saveAsPickleFile``."""

    def __init__(self, ctx: Any, path: str, min_partitions: int) -> None:
        super().__init__(ctx)
        self._files = list_files(path)

    def _compute_partitions(self) -> list[Split]:
        return [FilesSplit(i, (f,)) for i, f in enumerate(self._files)]

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        for path in split.paths:  # type: ignore[attr-defined]
            with open(path, "rb") as f:
                yield from iter_records(read_batches_from(f))


class BinaryRecordsRDD(RDD):
    """Fixed-length binary records of flat files, one partition per file."""

    def __init__(self, ctx: Any, path: str, record_length: int) -> None:
        super().__init__(ctx)
        self._files = list_files(path)
        self._length = record_length

    def _compute_partitions(self) -> list[Split]:
        return [FilesSplit(i, (f,)) for i, f in enumerate(self._files)]

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        for path in split.paths:  # type: ignore[attr-defined]
            with open(path, "rb") as f:
                while True:
                    record = f.read(self._length)
                    if len(record) < self._length:
                        return
                    yield record


class TextOffsetsRDD(TextFileRDD):
    """TextInputFormat's records: (byte offset of the line, line)."""

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        for offset, line in read_lines_with_offsets(split):  # type: ignore[arg-type]
            yield offset, line.decode("utf-8", "replace")


def read_lines_with_offsets(split: FileSplit) -> Iterator[tuple[int, bytes]]:
    """(offset, line) of each line a split owns (uncompressed files: byte offsets)."""
    if split.length < 0:
        offset = 0
        for line in read_lines(split):
            yield offset, line
            offset += len(line) + 1
        return
    data = read_owned_bytes(split)
    base = split.start + (0 if split.start == 0 else _skipped(split))
    pos, end = 0, len(data)
    while pos < end:
        newline = data.find(b"\n", pos)
        stop = end if newline < 0 else newline
        line = data[pos:stop]
        yield base + pos, line[:-1] if line.endswith(b"\r") else line
        pos = stop + 1


def _skipped(split: FileSplit) -> int:
    """Bytes from a split's start to its first owned line."""
    with open(split.path, "rb") as f:
        f.seek(split.start)
        return len(f.readline())


class SequenceFileRDD(RDD):
    """(key, value) records of SequenceFiles, one partition per file."""

    def __init__(self, ctx: Any, path: str) -> None:
        super().__init__(ctx)
        self._files = list_files(path)

    def _compute_partitions(self) -> list[Split]:
        return [FilesSplit(i, (f,)) for i, f in enumerate(self._files)]

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        from pyspk.rdd import sequence_file
        for path in split.paths:  # type: ignore[attr-defined]
            yield from sequence_file.read(path)
