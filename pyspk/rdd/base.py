"""The core of ``RDD``: identity, partitions, dependencies, computing a partition (with caching
and checkpoints), persistence and running jobs. The operations users call are mixed in from
``transforms``, ``actions``, ``pair`` and ``output``."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from pyspk.executor import environment
from pyspk.rdd.partitions import Split
from pyspk.shuffle.reader import fetch_cached_block
from pyspk.storage import block_manager
from pyspk.storagelevel import StorageLevel
from pyspk.taskcontext import TaskContext

if TYPE_CHECKING:
    from pyspk.context import SparkContext


class RDDBase:
    """Lineage node. Subclasses define ``_compute_partitions`` and ``compute``."""

    def __init__(self, ctx: "SparkContext", dependencies: list | None = None) -> None:
        self.ctx = ctx
        self._id = ctx._new_rdd_id()
        self._deps = dependencies or []
        self._partitions: list[Split] | None = None
        self._storage_level = StorageLevel.NONE
        self.partitioner: Any = None
        self._name: str | None = None
        self._checkpoint_requested = False
        self._checkpointed_rdd: Any = None
        self._local_checkpoint = False
        self._creation_site = _creation_site()

    # ---- pickling: tasks carry the lineage, never the driver context or partition data
    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["ctx"] = None
        state["_partitions"] = None
        state["_deps"] = [] if state.get("_checkpointed_rdd") is not None else \
            self._deps_for_pickle()
        return state

    def _deps_for_pickle(self) -> list:
        return self._deps

    def id(self) -> int:
        """A unique id of this RDD within its SparkContext."""
        return self._id

    @property
    def context(self) -> "SparkContext":
        return self.ctx

    @property
    def dependencies(self) -> list:
        if self._checkpointed_rdd is not None:
            return []
        return self._deps

    @property
    def partitions(self) -> list[Split]:
        if self._checkpointed_rdd is not None:
            return self._checkpointed_rdd.partitions
        if self._partitions is None:
            self._partitions = self._compute_partitions()
        return self._partitions

    def _compute_partitions(self) -> list[Split]:
        raise TypeError(f"{type(self).__name__} defines no partitions")

    def compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        raise TypeError(f"{type(self).__name__} defines no compute")

    def iterator(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        """Records of ``split``: from the checkpoint, the block cache, or computed."""
        if self._checkpointed_rdd is not None:
            return self._checkpointed_rdd.compute(split, tc)
        if self._storage_level != StorageLevel.NONE:
            return self._get_or_compute(split, tc)
        return self.compute(split, tc)

    def _get_or_compute(self, split: Split, tc: TaskContext) -> Iterator[Any]:
        bm = block_manager.current()
        if bm is None:
            return self.compute(split, tc)
        block_id = f"rdd_{self._id}_{split.index}"
        hit = bm.get(block_id)
        if hit is not None:
            return iter(hit)
        address = tc.remote_blocks.get(block_id)
        if address is not None:
            remote = fetch_cached_block(address, block_id, environment.get().fetch)
            if remote is not None:
                return iter(remote)
        records = list(self.compute(split, tc))
        bm.put(block_id, records, self._storage_level)
        return iter(records)

    def is_persisted(self) -> bool:
        return self._storage_level != StorageLevel.NONE

    # ---- identity and description
    def getNumPartitions(self) -> int:
        return len(self.partitions)

    def name(self) -> str | None:
        return self._name

    def setName(self, name: str) -> "RDDBase":
        self._name = name
        return self

    def __repr__(self) -> str:
        return f"{self._name or type(self).__name__}[{self._id}] at {self._describe()}"

    def _describe(self) -> str:
        return self._creation_site

    def toDebugString(self) -> bytes:
        """The lineage as Spark prints it: ``|`` for narrow parents, ``+-`` at shuffles."""
        lines: list[str] = []

        def walk(rdd: RDDBase, indent: str, head: str) -> None:
            storage = f" [{_storage_desc(rdd._storage_level)}]" if rdd.is_persisted() else " []"
            lines.append(f"{head}{rdd!r}{storage}")
            for dep in rdd.dependencies:
                if getattr(dep, "shuffle_id", None) is not None:
                    walk(dep.rdd, indent + "    ",
                         f"{indent} +-({dep.rdd.getNumPartitions()}) ")
                else:
                    walk(dep.rdd, indent, f"{indent} |  ")
        walk(self, "", f"({self.getNumPartitions()}) ")
        return "\n".join(lines).encode()

    # ---- persistence
    def persist(self, storageLevel: StorageLevel = StorageLevel.MEMORY_ONLY) -> "RDDBase":
        self._storage_level = storageLevel
        return self

    def cache(self) -> "RDDBase":
        return self.persist(StorageLevel.MEMORY_ONLY)

    def unpersist(self, blocking: bool = False) -> "RDDBase":
        if self.is_persisted():
            self.ctx._remove_rdd_blocks(self._id)
        self._storage_level = StorageLevel.NONE
        return self

    def getStorageLevel(self) -> StorageLevel:
        return self._storage_level

    @property
    def is_cached(self) -> bool:
        return self.is_persisted()

    def checkpoint(self) -> None:
        """Save this RDD's partitions to the checkpoint directory after its next job and cut
        its lineage there."""
        if self.ctx._checkpoint_dir is None:
            from pyspk.errors import PySparkRuntimeError
            raise PySparkRuntimeError("Checkpoint directory has not been set in the SparkContext",
                                      errorClass="CHECKPOINT_DIR_NOT_SET")
        self._checkpoint_requested = True

    def localCheckpoint(self) -> None:
        """Keep partitions in executors' storage (memory and disk) instead of a reliable
        checkpoint directory; lineage stays, so a lost executor's blocks are recomputed."""
        self.persist(StorageLevel.MEMORY_AND_DISK)
        self._local_checkpoint = True

    def isCheckpointed(self) -> bool:
        return self._checkpointed_rdd is not None

    @property
    def is_checkpointed(self) -> bool:
        return self.isCheckpointed()

    def isLocallyCheckpointed(self) -> bool:
        return self._local_checkpoint

    def getCheckpointFile(self) -> str | None:
        return getattr(self._checkpointed_rdd, "directory", None)

    # ---- jobs
    def _run_job(self, func: Callable[[Iterator[Any]], Any],
                 partitions: Iterable[int] | None = None, action: str = "") -> list[Any]:
        """Per-partition results of ``func`` applied to each requested partition's records."""
        return self.ctx._run_job(self, func, partitions, action)


def _storage_desc(level: StorageLevel) -> str:
    parts = []
    if level.useMemory:
        parts.append("Memory")
    if level.useDisk:
        parts.append("Disk")
    kind = "Deserialized" if level.deserialized else "Serialized"
    return f"{' '.join(parts)} {kind} {level.replication}x Replicated"


def _creation_site() -> str:
    """``<operation> at <file>:<line>`` of the user code that created an RDD."""
    import os
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame = sys._getframe(2)
    op = "RDD"
    while frame is not None:
        path = os.path.abspath(frame.f_code.co_filename)
        if not path.startswith(root):
            return f"{op} at {os.path.basename(path)}:{frame.f_lineno}"
        if not frame.f_code.co_name.startswith("_"):
            op = frame.f_code.co_name
        frame = frame.f_back
    return op
