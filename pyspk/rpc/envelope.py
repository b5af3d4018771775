"""Encoding of messages to ZeroMQ frames and back.

Frames: protocol version, op name, JSON header, then one frame per binary field value.
Decoding validates every step and raises ProtocolError; it never unpickles anything.
"""
from __future__ import annotations

import json
from typing import Any, Sequence

from pyspk.errors import ProtocolError
from pyspk.protocol.base import PROTOCOL_VERSION, Message, check_value, message_class

MAX_HEADER_BYTES = 1 << 20


def encode(msg: Message) -> list[Any]:
    """Frames for ``msg``; binary fields are passed through without copying."""
    header: dict[str, Any] = {}
    binaries: list[Any] = []
    binary = msg._binary_fields
    for name in msg._hints:
        value = getattr(msg, name)
        if name in binary:
            if isinstance(value, list):
                header[name] = len(value)
                binaries.extend(value)
            elif value is None:
                header[name] = None
            else:
                header[name] = -1
                binaries.append(value)
        else:
            header[name] = value
    return [PROTOCOL_VERSION, msg.op().encode(), json.dumps(header, separators=(",", ":")).encode(),
            *binaries]


def decode(frames: Sequence[Any], plane: str) -> Message:
    """The message in ``frames`` (zmq Frames or bytes) for a socket of ``plane``."""
    if len(frames) < 3:
        raise ProtocolError(f"truncated message: {len(frames)} frames")
    if _bytes(frames[0]) != PROTOCOL_VERSION:
        raise ProtocolError(f"protocol version {_bytes(frames[0])[:16]!r}, expected {PROTOCOL_VERSION!r}")
    try:
        op = _bytes(frames[1]).decode("ascii")
    except UnicodeDecodeError:
        raise ProtocolError("op name is not ascii") from None
    cls = message_class(plane, op)
    raw = _bytes(frames[2])
    if len(raw) > MAX_HEADER_BYTES:
        raise ProtocolError(f"{op}: header of {len(raw)} bytes")
    try:
        header = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise ProtocolError(f"{op}: header is not JSON: {e}") from None
    if not isinstance(header, dict) or set(header) != set(cls._hints):
        raise ProtocolError(f"{op}: header fields do not match the message")
    rest = list(frames[3:])
    kwargs: dict[str, Any] = {}
    for name, tp in cls._hints.items():
        value = header[name]
        if name in cls._binary_fields:
            if value is None:
                kwargs[name] = None
            elif value == -1 and isinstance(value, int):
                if not rest:
                    raise ProtocolError(f"{op}: missing binary frame for {name}")
                kwargs[name] = _bytes(rest.pop(0))
            elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= len(rest):
                kwargs[name] = [_bytes(f) for f in rest[:value]]
                del rest[:value]
            else:
                raise ProtocolError(f"{op}: bad frame count for {name}")
        else:
            check_value(name, tp, value)
            kwargs[name] = value
    if rest:
        raise ProtocolError(f"{op}: {len(rest)} unexpected trailing frames")
    return cls(**kwargs)


def _bytes(frame: Any) -> bytes:
    if isinstance(frame, bytes):
        return frame
    buf = getattr(frame, "bytes", None)
    return buf if buf is not None else bytes(frame)
