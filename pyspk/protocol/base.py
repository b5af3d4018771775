"""The message base class, its registry and field validation."""
from __future__ import annotations

import dataclasses
import typing
from typing import Any, ClassVar

from pyspk.errors import ProtocolError

PROTOCOL_VERSION = b"PYSPK/1"

_REGISTRY: dict[tuple[str, str], type["Message"]] = {}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Message:
    """A typed wire record. Fields annotated ``bytes`` or ``list[bytes]`` travel as raw frames;
    everything else travels in one JSON header. ``plane`` names the socket family it may use."""

    plane: ClassVar[str] = ""
    _binary_fields: ClassVar[tuple[str, ...]] = ()
    _hints: ClassVar[dict[str, Any]] = {}

    @classmethod
    def op(cls) -> str:
        return cls.__name__


def register(cls: type[Message]) -> type[Message]:
    """Class decorator: make ``cls`` a dataclass message of its plane and index it by name.
    Empty list/dict defaults become per-instance factories."""
    for name in cls.__dict__.get("__annotations__", {}):
        default = cls.__dict__.get(name)
        if isinstance(default, (list, dict)):
            setattr(cls, name, dataclasses.field(default_factory=type(default)))
    cls = dataclasses.dataclass(frozen=True, kw_only=True)(cls)
    if not cls.plane:
        raise TypeError(f"{cls.__name__} declares no plane")
    hints = typing.get_type_hints(cls)
    fields = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
    cls._hints = fields
    cls._binary_fields = tuple(n for n, t in fields.items() if _is_binary(t))
    _REGISTRY[(cls.plane, cls.__name__)] = cls
    return cls


def message_class(plane: str, op: str) -> type[Message]:
    """The registered class for ``op`` on ``plane``; unknown ops raise ProtocolError."""
    try:
        return _REGISTRY[(plane, op)]
    except KeyError:
        raise ProtocolError(f"unknown op {op!r} on the {plane} plane") from None


def _is_binary(tp: Any) -> bool:
    if tp is bytes:
        return True
    args = typing.get_args(tp)
    origin = typing.get_origin(tp)
    if origin is list and args == (bytes,):
        return True
    return origin in (typing.Union, _UnionType) and bytes in args


_UnionType = type(int | None)


def check_value(name: str, tp: Any, value: Any) -> None:
    """Raise ProtocolError unless ``value`` fits the annotation ``tp`` (shallowly for containers)."""
    if tp is Any:
        return
    origin = typing.get_origin(tp)
    if origin in (typing.Union, _UnionType):
        for alt in typing.get_args(tp):
            try:
                check_value(name, alt, value)
                return
            except ProtocolError:
                continue
        raise ProtocolError(f"field {name}: {type(value).__name__} does not fit {tp}")
    if tp is type(None):
        if value is not None:
            raise ProtocolError(f"field {name}: expected null")
        return
    base = origin or tp
    if base is float and isinstance(value, int) and not isinstance(value, bool):
        return
    if base is int and isinstance(value, bool):
        raise ProtocolError(f"field {name}: expected int, got bool")
    if not isinstance(value, base):
        raise ProtocolError(f"field {name}: expected {getattr(base, '__name__', base)}, "
                            f"got {type(value).__name__}")
    if base is list and typing.get_args(tp):
        (item_tp,) = typing.get_args(tp)
        for item in value:
            check_value(name, item_tp, item)
    elif base is dict and typing.get_args(tp):
        key_tp, val_tp = typing.get_args(tp)
        for k, v in value.items():
            check_value(name, key_tp, k)
            check_value(name, val_tp, v)
