"""The driver's record of where each shuffle's map outputs live."""
from __future__ import annotations

from pyspk.shuffle.map_status import MapStatus


class MapOutputTracker:
    """Map statuses per shuffle, by map index; ``None`` where an output is missing."""

    def __init__(self) -> None:
        self.outputs: dict[int, list[MapStatus | None]] = {}

    def register_shuffle(self, shuffle_id: int, num_maps: int) -> None:
        self.outputs.setdefault(shuffle_id, [None] * num_maps)

    def register(self, shuffle_id: int, status: MapStatus) -> None:
        self.outputs[shuffle_id][status.map_index] = status

    def missing(self, shuffle_id: int) -> list[int]:
        return [i for i, s in enumerate(self.outputs[shuffle_id]) if s is None]

    def is_available(self, shuffle_id: int) -> bool:
        return shuffle_id in self.outputs and not self.missing(shuffle_id)

    def statuses(self, shuffle_id: int) -> list[MapStatus]:
        return [s for s in self.outputs.get(shuffle_id, []) if s is not None]

    def remove_executor(self, executor_id: str) -> dict[int, list[int]]:
        """Forget outputs of a lost executor; returns {shuffle: lost map indexes}."""
        lost: dict[int, list[int]] = {}
        for sid, statuses in self.outputs.items():
            for i, s in enumerate(statuses):
                if s is not None and s.executor_id == executor_id:
                    statuses[i] = None
                    lost.setdefault(sid, []).append(i)
        return lost

    def remove_shuffle(self, shuffle_id: int) -> None:
        self.outputs.pop(shuffle_id, None)
