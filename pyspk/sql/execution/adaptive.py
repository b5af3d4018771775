"""Shuffle partition numbers and adaptive coalescing of small shuffle partitions.

Exchanges write ``spark.sql.shuffle.partitions`` reduce partitions (or
``spark.sql.adaptive.coalescePartitions.initialPartitionNum``). With ``spark.sql.adaptive.enabled``
and ``spark.sql.adaptive.coalescePartitions.enabled`` the map stage runs first and its real output
sizes decide how contiguous reduce partitions are packed into tasks, as Spark's
``CoalesceShufflePartitions``: a target of ``advisoryPartitionSizeInBytes``, lowered so that at
least the default parallelism of tasks remain when ``parallelismFirst`` (the default), never
below ``minPartitionSize``; empty reduce partitions cost no task."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from pyspk.conf.units import parse_bytes

# A coalesced partition this much smaller than the target is merged into a neighbour when the
# merge stays within MERGED_FACTOR of the target (Spark's ShufflePartitionsUtil factors).
SMALL_FACTOR = 0.2
MERGED_FACTOR = 1.2


@dataclass(frozen=True)
class ShuffleSettings:
    """How many partitions exchanges write and whether (and how) their reads are coalesced."""

    partitions: int
    coalesce: bool = False
    advisory_bytes: int = 64 << 20
    min_partition_bytes: int = 1 << 20
    min_partitions: int = 1


def _flag(get: Callable[[str, str], Any], key: str, default: str) -> bool:
    return str(get(key, default)).strip().lower() == "true"


def shuffle_settings(get: Callable[[str, str], Any], default_parallelism: int) -> ShuffleSettings:
    """The settings of a session, read through ``get(key, default)`` (``session.conf.get``)."""
    partitions = int(get("spark.sql.shuffle.partitions", "200"))
    coalesce = _flag(get, "spark.sql.adaptive.enabled", "true") and \
        _flag(get, "spark.sql.adaptive.coalescePartitions.enabled", "true")
    if not coalesce:
        return ShuffleSettings(max(1, partitions))
    initial = get("spark.sql.adaptive.coalescePartitions.initialPartitionNum", None)
    minimum = get("spark.sql.adaptive.coalescePartitions.minPartitionNum", None)
    if minimum is None:
        minimum = default_parallelism if _flag(
            get, "spark.sql.adaptive.coalescePartitions.parallelismFirst", "true") else 1
    return ShuffleSettings(
        max(1, int(initial) if initial is not None else partitions), True,
        parse_bytes(str(get("spark.sql.adaptive.advisoryPartitionSizeInBytes", "64m"))),
        parse_bytes(str(get("spark.sql.adaptive.coalescePartitions.minPartitionSize",
                                     "1m"))),
        max(1, int(minimum)))


def coalesce_ranges(sizes: list[int], settings: ShuffleSettings) -> list[tuple[int, int]]:
    """Contiguous ranges ``[start, end)`` of reduce partitions, one per task, from the bytes of
    each reduce partition (summed over every shuffle read together, so co-partitioned join sides
    are coalesced identically)."""
    n = len(sizes)
    total = sum(sizes)
    if total == 0:
        return [(0, n)]
    target = max(min(math.ceil(total / settings.min_partitions), settings.advisory_bytes),
                 settings.min_partition_bytes)
    specs: list[list[int]] = []  # [start, end, bytes]
    start, size = 0, 0
    for i, s in enumerate(sizes):
        if i > start and size + s > target:
            if size > 0:
                specs.append([start, i, size])
            start, size = i, s
        else:
            size += s
    if size > 0:
        specs.append([start, n, size])
    return [(a, b) for a, b, _ in _merge_small(specs, target, settings.min_partition_bytes)]


def _merge_small(specs: list[list[int]], target: int, min_bytes: int) -> list[list[int]]:
    """Fold partitions far below the target into the smaller neighbour while the result stays
    near the target."""
    small = max(min_bytes, int(target * SMALL_FACTOR))
    out: list[list[int]] = []
    for spec in specs:
        if out and (spec[2] < small or out[-1][2] < small) and \
                out[-1][2] + spec[2] <= target * MERGED_FACTOR:
            out[-1] = [out[-1][0], spec[1], out[-1][2] + spec[2]]
        else:
            out.append(list(spec))
    return out


def node_key(p: Any) -> tuple:
    """How a logical operator is recognised again when ``explain`` re-plans the query: its kind
    and output attributes (stable through constant folding and subquery materialisation)."""
    return (type(p).__name__, tuple(a.key for a in p.output))
