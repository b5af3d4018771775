"""``RDD.pipe``: stream a partition's records through an external command."""
from __future__ import annotations

import os
import shlex
import subprocess
import threading
from typing import Any, Iterator

from pyspk.errors import PySparkRuntimeError


def pipe_partition(iterator: Iterator[Any], command: str, env: dict[str, str],
                   check_code: bool) -> Iterator[str]:
    """Each record's ``str`` written as a line to ``command``'s stdin; yields its stdout lines."""
    proc = subprocess.Popen(shlex.split(command), env={**os.environ, **env},
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def feed() -> None:
        try:
            for x in iterator:
                proc.stdin.write(f"{x}\n".encode())  # type: ignore[union-attr]
        finally:
            proc.stdin.close()  # type: ignore[union-attr]

    threading.Thread(target=feed, daemon=True).start()
    for line in proc.stdout:  # type: ignore[union-attr]
        yield line.decode().rstrip("\n")
    code = proc.wait()
    if check_code and code:
        raise PySparkRuntimeError(f"Pipe function `{command}' exited with error code {code}",
                                  errorClass="PIPE_FUNCTION_EXITED")
