"""Connection events no message would show, from a ZeroMQ socket monitor: refused handshakes
(a peer without the shared secret's key, or not speaking CurveZMQ at all) are logged, and
closed connections are reported by file descriptor so a daemon can tell a driver is gone."""
from __future__ import annotations

import logging
from typing import Callable

import zmq
from zmq.utils.monitor import recv_monitor_message

from pyspk.rpc.loop import EventLoop

log = logging.getLogger("pyspk.deploy.SecurityMonitor")

_FAILURES = {
    zmq.EVENT_HANDSHAKE_FAILED_AUTH: "authentication refused",
    zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL: "protocol or security mechanism mismatch",
    zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL: "handshake failed",
}


def watch_socket(loop: EventLoop, sock: zmq.Socket, name: str,
                 on_disconnect: Callable[[int], None] | None = None) -> zmq.Socket:
    """Log a warning on ``loop`` for every handshake ``sock`` refuses, and call
    ``on_disconnect(fd)`` when one of its connections closes; returns the monitor socket."""
    events = zmq.EVENT_DISCONNECTED if on_disconnect is not None else 0
    for event in _FAILURES:
        events |= event
    mon = sock.get_monitor_socket(events)

    def on_event() -> None:
        while True:
            try:
                evt = recv_monitor_message(mon, zmq.NOBLOCK)
            except zmq.Again:
                return
            if evt["event"] == zmq.EVENT_DISCONNECTED:
                if on_disconnect is not None:
                    on_disconnect(int(evt["value"]))
                continue
            reason = _FAILURES.get(evt["event"], "handshake failed")
            endpoint = evt.get("endpoint", b"")
            log.warning("%s refused a connection on %s: %s (peer lacks spark.authenticate.secret?)",
                        name, endpoint.decode(errors="replace") if isinstance(endpoint, bytes)
                        else endpoint, reason)

    loop.add_socket(mon, on_event)
    return mon
