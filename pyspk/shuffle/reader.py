"""Reduce-side reading of shuffle segments: same-host map outputs straight from disk, others
from the owning executor's block server, pipelined up to a bound of bytes in flight, always
yielded in map order so results are deterministic."""
from __future__ import annotations

import collections
import itertools
import socket
import threading
import time
from dataclasses import dataclass
from typing import Iterator

import zmq

from pyspk.errors import FetchFailedError
from pyspk.protocol.app import BlockData, BlockFetchFailed, FetchCachedBlock, FetchShuffleBlocks
from pyspk.rpc import sockets
from pyspk.rpc.security import Security
from pyspk.shuffle.map_status import MapStatus


@dataclass(frozen=True)
class FetchSettings:
    """How a reducer reaches map outputs."""

    host: str
    read_host_local: bool
    security: Security
    max_in_flight: int
    max_retries: int
    retry_wait: float
    timeout: float
    max_message: int = 1 << 31


# A remote request unanswered this long makes the reducer check that the server still listens,
# so a dead executor's outputs fail fast instead of after the full timeout and its retries.
PROBE_AFTER = 2.0

_local = threading.local()
_ids = itertools.count(1)


def _dealer(address: str, settings: FetchSettings) -> zmq.Socket:
    cache = getattr(_local, "dealers", None)
    if cache is None:
        cache = _local.dealers = {}
    sock = cache.get(address)
    if sock is None:
        sock = sockets.connect_dealer(address, None, settings.security, settings.max_message)
        cache[address] = sock
    return sock


def _drop_dealer(address: str) -> None:
    sock = getattr(_local, "dealers", {}).pop(address, None)
    if sock is not None:
        sockets.close(sock)


def _reachable(address: str) -> bool:
    """Whether a TCP connection to ``tcp://host:port`` is accepted right now."""
    host, _, port = address.removeprefix("tcp://").rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1.0):
            return True
    except OSError:
        return False


def read_local(status: MapStatus, shuffle_id: int, start: int, end: int) -> bytes:
    offset, length = status.segment(start, end)
    if length == 0:
        return b""
    try:
        with open(status.data_path, "rb") as f:
            f.seek(offset)
            data = f.read(length)
    except OSError as e:
        raise FetchFailedError(shuffle_id, status.map_index, status.executor_id, str(e)) from None
    if len(data) != length:
        raise FetchFailedError(shuffle_id, status.map_index, status.executor_id,
                               f"short read of {status.data_path}")
    return data


def fetch_segments(statuses: list[MapStatus], shuffle_id: int, start: int, end: int,
                   settings: FetchSettings) -> Iterator[bytes]:
    """The bytes of reduce partitions [start, end) of every map output, in map order."""
    remote = collections.deque(
        s for s in statuses
        if s.segment(start, end)[1] > 0
        and not (settings.read_host_local and s.host == settings.host))
    results: dict[int, bytes] = {}
    pending: dict[int, tuple[MapStatus, int, float, int]] = {}
    in_flight = 0

    def issue() -> None:
        nonlocal in_flight
        while remote and (in_flight < settings.max_in_flight or not pending):
            status = remote.popleft()
            _request(status, 0)
            in_flight += status.segment(start, end)[1]

    def _request(status: MapStatus, tries: int) -> None:
        rid = next(_ids)
        sockets.send(_dealer(status.block_address, settings),
                     FetchShuffleBlocks(request_id=rid, shuffle_id=shuffle_id,
                                        map_index=status.map_index, start=start, end=end))
        pending[rid] = (status, tries, time.monotonic(), rid)

    def wait_for(map_index: int) -> None:
        nonlocal in_flight
        while map_index not in results:
            issue()
            _poll_once()

    def _poll_once() -> None:
        nonlocal in_flight
        poller = zmq.Poller()
        socks = {id(_dealer(p[0].block_address, settings)): _dealer(p[0].block_address, settings)
                 for p in pending.values()}
        for s in socks.values():
            poller.register(s, zmq.POLLIN)
        ready = dict(poller.poll(200))
        for s in socks.values():
            if s in ready:
                _, msg = sockets.receive(s, "block", router=False)
                entry = pending.pop(getattr(msg, "request_id", -1), None)
                if entry is None:
                    continue
                status = entry[0]
                in_flight -= status.segment(start, end)[1]
                if isinstance(msg, BlockData):
                    results[status.map_index] = b"".join(msg.chunks)
                elif isinstance(msg, BlockFetchFailed):
                    raise FetchFailedError(shuffle_id, status.map_index, status.executor_id,
                                           msg.reason)
        now = time.monotonic()
        for rid, (status, tries, sent, _) in list(pending.items()):
            if now - sent > PROBE_AFTER and not _reachable(status.block_address):
                raise FetchFailedError(shuffle_id, status.map_index, status.executor_id,
                                       f"connection refused by {status.block_address}")
            if now - sent > settings.timeout:
                del pending[rid]
                in_flight -= status.segment(start, end)[1]
                _drop_dealer(status.block_address)
                if tries >= settings.max_retries:
                    raise FetchFailedError(shuffle_id, status.map_index, status.executor_id,
                                           f"no answer from {status.block_address}")
                time.sleep(settings.retry_wait)
                _request(status, tries + 1)
                in_flight += status.segment(start, end)[1]

    for status in statuses:
        offset, length = status.segment(start, end)
        if length == 0:
            continue
        if settings.read_host_local and status.host == settings.host:
            issue()
            yield read_local(status, shuffle_id, start, end)
        else:
            wait_for(status.map_index)
            yield results.pop(status.map_index)


def fetch_cached_block(address: str, block_id: str, settings: FetchSettings) -> list | None:
    """The records of a block cached by another executor, or None when it cannot be had (the
    caller recomputes the partition from lineage)."""
    from pyspk.serde import iter_records, read_batches
    sock = _dealer(address, settings)
    rid = next(_ids)
    sockets.send(sock, FetchCachedBlock(request_id=rid, block_id=block_id))
    deadline = time.monotonic() + settings.timeout
    while time.monotonic() < deadline:
        if not sock.poll(200):
            continue
        _, msg = sockets.receive(sock, "block", router=False)
        if getattr(msg, "request_id", None) != rid:
            continue
        if isinstance(msg, BlockData):
            return list(iter_records(read_batches(b"".join(msg.chunks))))
        return None
    _drop_dealer(address)
    return None
