"""FILESYSTEM recovery: the master's recoverable state as one JSON file, replaced atomically."""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger("pyspk.deploy.FileSystemPersistenceEngine")

STATE_FILE = "master_state.json"


class FileSystemPersistence:
    """Reads and writes ``<recovery dir>/master_state.json``."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.path = self.dir / STATE_FILE

    def read(self) -> dict[str, Any] | None:
        """The last written state, or None when there is none (or it is unreadable)."""
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            log.warning("Ignoring unreadable recovery state %s: %s", self.path, e)
            return None
        return data if isinstance(data, dict) else None

    def write(self, state: dict[str, Any]) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, separators=(",", ":")))
        os.replace(tmp, self.path)
