"""``SparkFiles``: where files added with ``sc.addFile`` are found, on the driver and in tasks."""
from __future__ import annotations

import os


class SparkFiles:
    """Resolves paths of files added through ``SparkContext.addFile``."""

    _root_directory: str | None = None

    def __init__(self) -> None:
        raise TypeError("SparkFiles is not meant to be instantiated")

    @classmethod
    def get(cls, filename: str) -> str:
        return os.path.abspath(os.path.join(cls.getRootDirectory(), filename))

    @classmethod
    def getRootDirectory(cls) -> str:
        if cls._root_directory is None:
            raise RuntimeError("SparkFiles root directory is not set: no SparkContext is running")
        return cls._root_directory

    @classmethod
    def _set_root(cls, path: str) -> None:
        cls._root_directory = path


_ARCHIVE_FORMATS = ((".zip", "zip"), (".jar", "zip"), (".tar.gz", "gztar"), (".tgz", "gztar"),
                    (".tar.bz2", "bztar"), (".tar.xz", "xztar"), (".tar", "tar"))


def archive_format(name: str) -> str | None:
    """``shutil.unpack_archive``'s format for an archive file name, None if not an archive."""
    low = name.lower()
    for suffix, fmt in _ARCHIVE_FORMATS:
        if low.endswith(suffix):
            return fmt
    return None
