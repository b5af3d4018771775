"""Per-partition samplers for ``sample`` and ``randomSplit``, seeded per partition so results
are reproducible for a given seed."""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Iterator


def _rng(seed: int | None, index: int) -> random.Random:
    base = random.randint(0, 2 ** 32 - 1) if seed is None else seed
    return random.Random(base ^ (index * 0x9E3779B1))


@dataclass
class BernoulliSampler:
    fraction: float
    seed: int | None

    def func(self, index: int, iterator: Iterator[Any]) -> Iterator[Any]:
        rng = _rng(self.seed, index)
        for x in iterator:
            if rng.random() < self.fraction:
                yield x


@dataclass
class PoissonSampler:
    fraction: float
    seed: int | None

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


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method for small means, normal approximation for large)."""
    if mean > 50:
        return max(0, int(round(rng.gauss(mean, math.sqrt(mean)))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
