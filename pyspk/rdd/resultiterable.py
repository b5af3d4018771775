"""``ResultIterable``: the grouped values of ``groupByKey`` and ``cogroup``."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Iterator


class ResultIterable(Iterable):
    """A re-iterable wrapper around a list of grouped values."""

    def __init__(self, data: list) -> None:
        self.data = data
        self.index = 0
        self.maxindex = len(data)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)
