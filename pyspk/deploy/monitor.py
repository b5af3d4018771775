"""Logging of refused connections: a ZeroMQ socket monitor reports failed handshakes (a peer
without the shared secret's key, or not speaking CurveZMQ at all) that no message would show."""
from __future__ import annotations

import logging

import zmq
from zmq.utils.monitor import recv_monitor_message

from pyspk.rpc.loop import EventLoop

log = logging.getLogger("pyspk.deploy.SecurityMonitor")

_FAILURES = {
    zmq.EVENT_HANDSHAKE_FAILED_AUTH: "authentication refused",
    zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL: "protocol or security mechanism mismatch",
    zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL: "handshake failed",
}


def watch_handshakes(loop: EventLoop, sock: zmq.Socket, name: str) -> zmq.Socket:
    """Log a warning on ``loop`` for every handshake ``sock`` refuses; returns the monitor socket."""
    events = 0
    for event in _FAILURES:
        events |= event
    mon = sock.get_monitor_socket(events)

    def on_event() -> None:
        while True:
            try:
                evt = recv_monitor_message(mon, zmq.NOBLOCK)
            except zmq.Again:
                return
            reason = _FAILURES.get(evt["event"], "handshake failed")
            endpoint = evt.get("endpoint", b"")
            log.warning("%s refused a connection on %s: %s (peer lacks spark.authenticate.secret?)",
                        name, endpoint.decode(errors="replace") if isinstance(endpoint, bytes)
                        else endpoint, reason)

    loop.add_socket(mon, on_event)
    return mon
