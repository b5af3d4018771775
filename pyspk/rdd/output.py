"""Saving RDDs as Hadoop-style output directories: ``part-NNNNN`` files written under
``_temporary`` and moved into place only when every task succeeded, ``_SUCCESS`` last, so a
failed job never leaves a directory that looks complete."""
from __future__ import annotations

import bz2
import gzip
import lzma
import os
import shutil
import uuid
from typing import TYPE_CHECKING, Any, Callable, Iterator

from pyspk._utils.hadoop_crc import write_crc
from pyspk.errors import PySparkValueError
from pyspk.serde import write_batch

if TYPE_CHECKING:
    from pyspk.rdd.rdd import RDD

_CODECS: dict[str, tuple[str, Callable[..., Any]]] = {
    "org.apache.hadoop.io.compress.GzipCodec": (".gz", gzip.open),
    "org.apache.hadoop.io.compress.BZip2Codec": (".bz2", bz2.open),
    "org.apache.hadoop.io.compress.DefaultCodec": (".deflate", gzip.open),
    "gzip": (".gz", gzip.open),
    "bzip2": (".bz2", bz2.open),
    "xz": (".xz", lzma.open),
}


def _local_path(path: str) -> str:
    return path[len("file://"):] if path.startswith("file://") else path


class Output:
    """``saveAs*`` actions."""

    def saveAsTextFile(self, path: str, compressionCodecClass: str | None = None) -> None:
        self._save_text(path, compressionCodecClass, "part-", "saveAsTextFile")

    def _save_text(self, path: str, compressionCodecClass: str | None, prefix: str,
                   action: str) -> None:
        ext, opener = "", open
        if compressionCodecClass:
            if compressionCodecClass not in _CODECS:
                raise PySparkValueError(f"Unknown compression codec: {compressionCodecClass}",
                                        errorClass="UNKNOWN_CODEC")
            ext, opener = _CODECS[compressionCodecClass]

        def write(path_tmp: str, iterator: Iterator[Any]) -> None:
            with opener(path_tmp, "wb") as f:
                for x in iterator:
                    if isinstance(x, bytes):
                        f.write(x + b"\n")
                    else:
                        f.write((x if isinstance(x, str) else str(x)).encode("utf-8") + b"\n")
        _save(self, path, ext, write, action, prefix)

    def saveAsPickleFile(self, path: str, batchSize: int = 10) -> None:
        size = max(1, batchSize)

        def write(path_tmp: str, iterator: Iterator[Any]) -> None:
            with open(path_tmp, "wb") as f:
                batch: list = []
                for x in iterator:
                    batch.append(x)
                    if len(batch) >= size:
                        write_batch(f, batch)
                        batch = []
                if batch:
                    write_batch(f, batch)
        _save(self, path, "", write, "saveAsPickleFile", "part-")


def save_sequence(rdd: "RDD", path: str, key_class: str | None, value_class: str | None,
                  codec: str | None, prefix: str, action: str) -> None:
    """Save (key, value) records as one SequenceFile per partition."""
    from pyspk.rdd import sequence_file

    def write(path_tmp: str, iterator: Iterator[Any]) -> None:
        with open(path_tmp, "wb") as f:
            sequence_file.write(f, iter(iterator), key_class, value_class, codec)
    _save(rdd, path, "", write, action, prefix)


def _save(rdd: "RDD", path: str, ext: str, write: Callable[[str, Iterator[Any]], None],
          action: str, prefix: str) -> None:
    out = os.path.abspath(_local_path(path))
    if os.path.exists(out):
        from pyspk.errors import AnalysisException
        raise AnalysisException(f"Output directory file:{out} already exists",
                                errorClass="PATH_ALREADY_EXISTS",
                                messageParameters={"outputPath": f"file:{out}"})
    job_tmp = os.path.join(out, "_temporary", uuid.uuid4().hex)
    os.makedirs(job_tmp, exist_ok=True)

    def run(index: int, iterator: Iterator[Any]) -> Iterator[str]:
        name = f"{prefix}{index:05d}{ext}"
        tmp = os.path.join(job_tmp, f"{name}.{uuid.uuid4().hex}.inprogress")
        write(tmp, iterator)
        os.replace(tmp, os.path.join(job_tmp, name))
        yield name

    try:
        rdd.mapPartitionsWithIndex(run)._run_job(list, None, action)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    for name in sorted(os.listdir(job_tmp)):
        if not name.endswith(".inprogress"):
            os.replace(os.path.join(job_tmp, name), os.path.join(out, name))
            write_crc(os.path.join(out, name))
    shutil.rmtree(os.path.join(out, "_temporary"), ignore_errors=True)
    success = os.path.join(out, "_SUCCESS")
    with open(success, "wb"):
        pass
    write_crc(success)
