"""Broadcast variables: a read-only value pickled once on the driver and shipped to each
executor once (with the first task that needs it), not with every task."""
from __future__ import annotations

import pickle
import threading
from typing import Any, BinaryIO, Callable, Generic, TypeVar

from pyspk.errors import PySparkRuntimeError
from pyspk.serde import dumps, loads

T = TypeVar("T")

_executor_blobs: dict[int, bytes] = {}
_executor_values: dict[int, Any] = {}
_collect = threading.local()


class Broadcast(Generic[T]):
    """A value read by tasks through ``.value``; create with ``sc.broadcast(v)``."""

    def __init__(self, bid: int, value: T | None = None, *, pickled: bytes | None = None,
                 on_driver: bool = True, manager: Any = None) -> None:
        self._bid = bid
        self._value = value
        self._pickled = pickled
        self._on_driver = on_driver
        self._manager = manager
        self._destroyed = False

    @property
    def id(self) -> int:
        return self._bid

    @property
    def value(self) -> T:
        if self._destroyed:
            raise PySparkRuntimeError(f"Attempted to use broadcast id {self._bid} after it was "
                                      "destroyed", errorClass="BROADCAST_DESTROYED")
        if self._on_driver:
            return self._value  # type: ignore[return-value]
        if self._bid not in _executor_values:
            blob = _executor_blobs.get(self._bid)
            if blob is None:
                raise PySparkRuntimeError(f"Broadcast {self._bid} was not shipped to this executor")
            _executor_values[self._bid] = loads(blob)
        return _executor_values[self._bid]

    def dump(self, value: T, f: BinaryIO) -> None:
        """Write ``value`` pickled to the binary file ``f`` and close it."""
        try:
            f.write(dumps(value))
        except Exception as e:
            raise pickle.PicklingError(
                f"Could not serialize broadcast: {type(e).__name__}: {e}") from e
        finally:
            f.close()

    def load(self, file: BinaryIO) -> T:
        """The value pickled in the open binary ``file``."""
        return pickle.load(file)

    def load_from_path(self, path: str) -> T:
        """The value pickled in the file at ``path``."""
        with open(path, "rb", 1 << 20) as f:
            return self.load(f)

    def pickled(self) -> bytes:
        if self._pickled is None:
            self._pickled = dumps(self._value)
        return self._pickled

    def unpersist(self, blocking: bool = False) -> None:
        """Drop the executors' copies; the next task that uses it ships it again."""
        if self._manager is not None:
            self._manager.unpersist_broadcast(self._bid)

    def destroy(self, blocking: bool = False) -> None:
        """Drop the value everywhere; using it afterwards raises."""
        if self._manager is not None:
            self._manager.destroy_broadcast(self._bid)
        self._destroyed = True
        self._value = None
        self._pickled = None

    def __reduce__(self) -> tuple[Callable, tuple]:
        if self._destroyed:
            raise PySparkRuntimeError(f"Attempted to use broadcast id {self._bid} after it was "
                                      "destroyed", errorClass="BROADCAST_DESTROYED")
        ids = getattr(_collect, "ids", None)
        if ids is not None:
            ids.add(self._bid)
        return _executor_broadcast, (self._bid,)

    def __repr__(self) -> str:
        return f"<pyspk.broadcast.Broadcast object id={self._bid}>"


def _executor_broadcast(bid: int) -> Broadcast:
    return Broadcast(bid, on_driver=False)


class collecting_ids:
    """Context manager recording the ids of broadcasts pickled inside it."""

    def __enter__(self) -> set[int]:
        _collect.ids = set()
        return _collect.ids

    def __exit__(self, *exc: Any) -> None:
        _collect.ids = None


def install_on_executor(bid: int, blob: bytes) -> None:
    """Store a shipped broadcast value in this executor."""
    _executor_blobs[bid] = blob
    _executor_values.pop(bid, None)


def remove_from_executor(bid: int) -> None:
    _executor_blobs.pop(bid, None)
    _executor_values.pop(bid, None)
