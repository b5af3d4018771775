"""Per-partition samplers for ``sample``, ``randomSplit`` and ``sampleByKey``. Each partition's
generator is seeded with ``seed ^ partition`` and warmed up, so a given seed selects the same
records as PySpark does."""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Iterator


def _rng(seed: int, index: int) -> random.Random:
    rng = random.Random(seed ^ index)
    for _ in range(10):
        rng.randint(0, 1)
    return rng


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method below a mean of 20, sums of exponentials above."""
    if mean < 20.0:
        limit = math.exp(-mean)
        p = rng.random()
        k = 0
        while p > limit:
            k += 1
            p *= rng.random()
        return k
    p = rng.expovariate(mean)
    k = 0
    while p < 1.0:
        k += 1
        p += rng.expovariate(mean)
    return k


@dataclass
class BernoulliSampler:
    fraction: float
    seed: int

    def func(self, index: int, iterator: Iterator[Any]) -> Iterator[Any]:
        rng = _rng(self.seed, index)
        for x in iterator:
            if rng.random() < self.fraction:
                yield x


@dataclass
class PoissonSampler:
    fraction: float
    seed: int

    def func(self, index: int, iterator: Iterator[Any]) -> Iterator[Any]:
        rng = _rng(self.seed, index)
        for x in iterator:
            for _ in range(_poisson(rng, self.fraction)):
                yield x


@dataclass
class RandomSplitSampler:
    lower: float
    upper: float
    seed: int

    def func(self, index: int, iterator: Iterator[Any]) -> Iterator[Any]:
        rng = _rng(self.seed, index)
        for x in iterator:
            if self.lower <= rng.random() < self.upper:
                yield x


@dataclass
class StratifiedSampler:
    """Per-key fractions for ``sampleByKey``."""

    with_replacement: bool
    fractions: dict
    seed: int

    def func(self, index: int, iterator: Iterator[Any]) -> Iterator[Any]:
        rng = _rng(self.seed, index)
        for kv in iterator:
            fraction = self.fractions[kv[0]]
            if self.with_replacement:
                for _ in range(_poisson(rng, fraction)):
                    yield kv
            elif rng.random() < fraction:
                yield kv
