"""Application plane: driver <-> executor control messages and executor block-server messages.

Task closures, results and blocks travel as opaque ``bytes`` frames; only the driver and its
registered executors ever unpickle them.
"""
from __future__ import annotations

from pyspk.protocol.base import Message, register


class AppMessage(Message):
    plane = "app"


class BlockMessage(Message):
    plane = "block"


# ---- executor -> driver
@register
class RegisterExecutor(AppMessage):
    """An executor slot process announces itself to its driver."""
    executor_id: str
    slot: int
    app_id: str
    host: str
    pid: int
    block_address: str


@register
class StatusUpdate(AppMessage):
    """A task finished (FINISHED, FAILED, KILLED). ``result`` holds the pickled value of a
    result task or the map-output sizes of a shuffle map task; ``accumulators`` the pickled
    accumulator updates; ``error`` the failure as text fields, never a pickled exception."""
    task_id: int
    state: str
    result: bytes | None = None
    accumulators: bytes | None = None
    error: dict[str, str] | None = None
    fetch_failed: dict[str, int | str] | None = None
    blocks: list[str] = []
    metrics: dict[str, float] = {}


@register
class BarrierSync(AppMessage):
    """A barrier task reached ``barrier()``/``allGather()`` number ``epoch`` with ``message``."""
    task_id: int
    epoch: int
    message: str


@register
class ExecutorHeartbeat(AppMessage):
    """Periodic liveness of an executor slot with its running task ids and memory."""
    executor_id: str
    slot: int
    running: list[int]
    rss_bytes: int


# ---- driver -> executor
@register
class RegisteredExecutor(AppMessage):
    """The driver accepted the executor; carries the application's configuration."""
    conf: dict[str, str]


@register
class LaunchTask(AppMessage):
    """Run one task. ``stage_binary`` (the pickled stage closure) is sent the first time an
    executor runs a task of that stage and cached by ``stage_key`` after; ``broadcasts`` and
    ``files`` carry the broadcast values and added files this executor has not seen yet."""
    task_id: int
    job_id: int
    stage_id: int
    stage_attempt: int
    partition: int
    attempt: int
    stage_key: int
    stage_binary: bytes | None = None
    partition_data: bytes
    broadcast_ids: list[int] = []
    broadcasts: list[bytes] = []
    file_names: list[str] = []
    files: list[bytes] = []
    archive_formats: dict[str, str] = {}
    cached_blocks: dict[str, str] = {}
    barrier_addresses: list[str] = []
    properties: dict[str, str] = {}


@register
class BarrierReply(AppMessage):
    """Every task of the barrier stage reached ``epoch``: their messages by partition, or the
    reason the barrier was broken."""
    task_id: int
    epoch: int
    messages: list[str] = []
    error: str = ""


@register
class KillTask(AppMessage):
    task_id: int
    reason: str


@register
class RemoveBlocks(AppMessage):
    """Forget cached blocks, broadcast values or a shuffle's files."""
    block_ids: list[str] = []
    broadcast_ids: list[int] = []
    shuffle_ids: list[int] = []


@register
class StopExecutor(AppMessage):
    reason: str = ""


@register
class HeartbeatReply(AppMessage):
    """Answer to a heartbeat; ``reregister`` when the driver does not know the executor."""
    reregister: bool = False


# ---- block server (any executor or reducer -> an executor's block ROUTER)
@register
class FetchShuffleBlocks(BlockMessage):
    """Ask for the bytes of reduce partitions [start, end) of one map output."""
    request_id: int
    shuffle_id: int
    map_index: int
    start: int
    end: int


@register
class FetchCachedBlock(BlockMessage):
    request_id: int
    block_id: str


@register
class BlockData(BlockMessage):
    request_id: int
    chunks: list[bytes]


@register
class BlockFetchFailed(BlockMessage):
    request_id: int
    reason: str
