"""Memory checks that decide when aggregations and sorts spill to disk."""
from __future__ import annotations

import psutil

_process = psutil.Process()


def used_memory() -> int:
    """Resident bytes of this process."""
    return _process.memory_info().rss


class MemoryWatch:
    """Says when this process's resident memory passes ``limit`` bytes, checking only every
    ``every`` calls so the hot loop stays cheap."""

    def __init__(self, limit: int, every: int = 10000) -> None:
        self.limit = limit
        self.every = every
        self._count = 0

    def over(self) -> bool:
        self._count += 1
        if self._count < self.every:
            return False
        self._count = 0
        return used_memory() > self.limit

    def over_now(self) -> bool:
        """Whether memory is past the limit, checked now (callers batch their own calls)."""
        return used_memory() > self.limit

    def rebase(self) -> None:
        """After a spill: memory Python keeps for reuse must not trigger a spill per check."""
        self.limit = max(self.limit, int(used_memory() * 1.05))
