"""Local paths from what users pass: plain paths or ``file:`` URIs."""
from __future__ import annotations

import os


def local_path(path: str) -> str:
    """An absolute local path from a path or a ``file:``/``file://`` URI."""
    for prefix in ("file://", "file:"):
        if path.startswith(prefix):
            return os.path.abspath(path[len(prefix):])
    return os.path.abspath(path)
