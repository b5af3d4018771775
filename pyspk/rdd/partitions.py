"""Partition descriptors: what a task needs to compute one partition of an RDD. They travel
with each task, so they carry only that partition's inputs."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Split:
    index: int


@dataclass(frozen=True)
class DataSplit(Split):
    """A slice of a parallelized collection."""

    data: Any


@dataclass(frozen=True)
class ParentSplit(Split):
    """A partition that is one partition of one parent (union members), by parent position."""

    parent: int
    parent_split: Split


@dataclass(frozen=True)
class GroupSplit(Split):
    """A partition made of several parent partitions (coalesce)."""

    parents: tuple


@dataclass(frozen=True)
class PairSplit(Split):
    """A partition pairing one partition from each of two parents (zip, cartesian)."""

    left: Split
    right: Split


@dataclass(frozen=True)
class FileSplit(Split):
    """A byte range of a file (``length`` -1: the whole file, unsplittable)."""

    path: str
    start: int
    length: int


@dataclass(frozen=True)
class FilesSplit(Split):
    """Several whole files read as one partition."""

    paths: tuple


@dataclass(frozen=True)
class ReduceSplit(Split):
    """Reduce partitions [start, end) of a shuffle."""

    start: int
    end: int
