"""Sending on cluster-plane sockets without ever blocking a daemon's loop.

A DEALER with no connected peer (the master is down, or refuses our handshake) blocks on send;
daemons must keep serving, so such messages are dropped: registrations and heartbeats are
retried anyway, and re-registration reconciles whatever state changes were lost.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

import zmq

from pyspk.protocol.base import Message
from pyspk.rpc import sockets
from pyspk.rpc.envelope import encode

log = logging.getLogger("pyspk.deploy.Transport")


def try_send(sock: zmq.Socket, msg: Message, identity: bytes | None = None) -> bool:
    """Send ``msg`` (to ``identity`` on a ROUTER) if it can go now; False when it was dropped."""
    frames = encode(msg)
    if identity is not None:
        frames.insert(0, identity)
    try:
        sock.send_multipart(frames, flags=zmq.NOBLOCK)
        return True
    except zmq.Again:
        log.debug("Dropped %s: no connected peer", msg.op())
        return False


def dispatch_from_master(dealer: zmq.Socket, handlers: dict[type, Callable[[Any], None]],
                         log: logging.Logger) -> None:
    """Hand every message waiting on a DEALER connected to the master to its handler by type;
    malformed messages were already dropped by ``receive``, unexpected ones are logged."""
    while dealer.getsockopt(zmq.EVENTS) & zmq.POLLIN:
        _, msg = sockets.receive(dealer, "cluster", router=False)
        if msg is None:
            continue
        handler = handlers.get(type(msg))
        if handler is not None:
            handler(msg)
        else:
            log.warning("Ignoring %s from the master", msg.op())
