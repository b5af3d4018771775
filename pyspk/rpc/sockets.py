"""Creating ROUTER/DEALER sockets with the size bound and security every link needs,
and sending/receiving typed messages on them."""
from __future__ import annotations

import logging
from typing import Any

import zmq

from pyspk.errors import ProtocolError
from pyspk.protocol.base import Message
from pyspk.rpc.envelope import decode, encode
from pyspk.rpc.security import Security

log = logging.getLogger("pyspk.rpc.Sockets")

# Frames at least this large are sent without copying; below it pyzmq's copy is cheaper.
ZERO_COPY_BYTES = 64 << 10


def context() -> zmq.Context:
    """This process's shared ZeroMQ context."""
    return zmq.Context.instance()


def _common(sock: zmq.Socket, max_size: int) -> None:
    sock.setsockopt(zmq.LINGER, 0)
    sock.setsockopt(zmq.MAXMSGSIZE, max_size)
    sock.setsockopt(zmq.SNDHWM, 0)
    sock.setsockopt(zmq.RCVHWM, 0)


def bind_router(host: str, port: int, security: Security, max_size: int) -> tuple[zmq.Socket, int]:
    """A ROUTER bound to ``host:port`` (port 0: any free port); returns it and its port."""
    sock = context().socket(zmq.ROUTER)
    _common(sock, max_size)
    sock.setsockopt(zmq.ROUTER_HANDOVER, 1)
    security.as_server(sock)
    if port:
        sock.bind(f"tcp://{host}:{port}")
    else:
        port = sock.bind_to_random_port(f"tcp://{host}")
    return sock, port


def connect_dealer(address: str, identity: bytes | None, security: Security,
                   max_size: int) -> zmq.Socket:
    """A DEALER connected to ``address`` (``tcp://host:port``)."""
    sock = context().socket(zmq.DEALER)
    _common(sock, max_size)
    sock.setsockopt(zmq.RECONNECT_IVL, 100)
    sock.setsockopt(zmq.RECONNECT_IVL_MAX, 2000)
    if identity:
        sock.setsockopt(zmq.IDENTITY, identity)
    security.as_client(sock)
    sock.connect(address)
    return sock


def send(sock: zmq.Socket, msg: Message, identity: bytes | None = None) -> None:
    """Send ``msg``; on a ROUTER, to the peer ``identity``."""
    frames = encode(msg)
    if identity is not None:
        frames.insert(0, identity)
    sock.send_multipart(frames, copy=all(len(f) < ZERO_COPY_BYTES for f in frames))


def receive(sock: zmq.Socket, plane: str, router: bool) -> tuple[bytes | None, Message | None]:
    """One message from ``sock``: (peer identity or None, message), or (peer, None) when the
    message was malformed, which is logged and dropped."""
    frames = sock.recv_multipart(copy=True)
    identity = frames.pop(0) if router and frames else None
    try:
        return identity, decode(frames, plane)
    except ProtocolError as e:
        log.warning("Dropped a malformed message from %r: %s", identity, e)
        return identity, None
    except Exception as e:  # a message must never take a daemon down
        log.warning("Dropped an undecodable message from %r: %s: %s", identity, type(e).__name__, e)
        return identity, None


def any_free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` right now (for daemons that must announce a fixed port)."""
    import socket
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def close(sock: Any) -> None:
    """Close ``sock`` without waiting for unsent messages."""
    try:
        sock.close(linger=0)
    except zmq.ZMQError:
        pass
