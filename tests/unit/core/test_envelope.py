"""Wire envelope: round trips, and every malformed message raises ProtocolError (never a crash,
never an unpickle)."""
from __future__ import annotations

import pytest

from pyspk.errors import ProtocolError
from pyspk.protocol.app import LaunchTask, StatusUpdate
from pyspk.rpc.envelope import decode, encode


def _launch(**kw) -> LaunchTask:
    base = dict(task_id=7, job_id=1, stage_id=2, stage_attempt=0, partition=3, attempt=0,
                stage_key=9, stage_binary=b"\x80\x05closure", partition_data=b"split",
                broadcast_ids=[1, 2], broadcasts=[b"b1", b"b2"], properties={"k": "v"})
    base.update(kw)
    return LaunchTask(**base)


def test_round_trip_keeps_every_field() -> None:
    msg = _launch()
    assert decode(encode(msg), "app") == msg
    none_binary = _launch(stage_binary=None)
    assert decode(encode(none_binary), "app") == none_binary


def test_status_update_defaults_round_trip() -> None:
    msg = StatusUpdate(task_id=1, state="FAILED", error={"class": "E", "message": "m",
                                                         "traceback": "t"})
    assert decode(encode(msg), "app") == msg


@pytest.mark.parametrize("frames", [
    [],
    [b"PYSPK/1"],
    [b"PYSPK/0", b"StatusUpdate", b"{}"],
    [b"PYSPK/1", b"NoSuchOp", b"{}"],
    [b"PYSPK/1", b"\xff\xfe", b"{}"],
    [b"PYSPK/1", b"StatusUpdate", b"not json"],
    [b"PYSPK/1", b"StatusUpdate", b"[1, 2]"],
    [b"PYSPK/1", b"StatusUpdate", b'{"task_id": 1}'],
])
def test_garbage_is_rejected(frames: list[bytes]) -> None:
    with pytest.raises(ProtocolError):
        decode(frames, "app")


def test_wrong_types_and_frame_counts_are_rejected() -> None:
    frames = encode(StatusUpdate(task_id=1, state="FINISHED"))
    bad_type = frames[:2] + [frames[2].replace(b'"task_id":1', b'"task_id":"1"')]
    with pytest.raises(ProtocolError):
        decode(bad_type, "app")
    with pytest.raises(ProtocolError):
        decode(encode(_launch())[:-1], "app")
    with pytest.raises(ProtocolError):
        decode(encode(_launch()) + [b"extra"], "app")


def test_ops_are_bound_to_their_plane() -> None:
    with pytest.raises(ProtocolError):
        decode(encode(_launch()), "cluster")
