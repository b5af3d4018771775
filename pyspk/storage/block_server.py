"""A thread serving this executor's shuffle segments and cached blocks to other processes."""
from __future__ import annotations

import logging
import threading

import zmq

from pyspk.protocol.app import BlockData, BlockFetchFailed, FetchCachedBlock, FetchShuffleBlocks
from pyspk.rpc import sockets
from pyspk.rpc.security import Security
from pyspk.shuffle.map_status import read_segment_from_index
from pyspk.storage.block_manager import BlockManager
from pyspk.storage.dirs import ExecutorDirs

log = logging.getLogger("pyspk.storage.BlockServer")

CHUNK = 8 << 20


class BlockServer:
    """Answers FetchShuffleBlocks and FetchCachedBlock on a ROUTER of its own thread."""

    def __init__(self, host: str, dirs: ExecutorDirs, blocks: BlockManager, security: Security,
                 max_message: int) -> None:
        self.dirs = dirs
        self.blocks = blocks
        self.sock, self.port = sockets.bind_router(host, 0, security, max_message)
        self.address = f"tcp://{host}:{self.port}"
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, name="block-server", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _serve(self) -> None:
        poller = zmq.Poller()
        poller.register(self.sock, zmq.POLLIN)
        while not self._stop.is_set():
            if not poller.poll(200):
                continue
            peer, msg = sockets.receive(self.sock, "block", router=True)
            if msg is None or peer is None:
                continue
            try:
                reply = self._answer(msg)
            except Exception as e:
                reply = BlockFetchFailed(request_id=getattr(msg, "request_id", 0),
                                         reason=f"{type(e).__name__}: {e}")
            if reply is not None:
                sockets.send(self.sock, reply, peer)
        sockets.close(self.sock)

    def _answer(self, msg) -> BlockData | BlockFetchFailed | None:
        if isinstance(msg, FetchShuffleBlocks):
            data_path, index_path = self.dirs.map_output(msg.shuffle_id, msg.map_index)
            data = read_segment_from_index(index_path, data_path, msg.start, msg.end)
        elif isinstance(msg, FetchCachedBlock):
            data = self.blocks.get_bytes(msg.block_id)
            if data is None:
                return BlockFetchFailed(request_id=msg.request_id,
                                        reason=f"block {msg.block_id} not found")
        else:
            log.warning("Block server ignored %s", type(msg).__name__)
            return None
        chunks = [data[i:i + CHUNK] for i in range(0, len(data), CHUNK)] or [b""]
        return BlockData(request_id=msg.request_id, chunks=chunks)
