"""Estimate pi by throwing darts at the unit square and counting those inside the circle.

Each partition seeds its own generator with its index, so the estimate is the same on every run.
Usage: spark-submit examples/pi.py [partitions, default 2]
"""
from __future__ import annotations

import sys
from operator import add
from random import Random
from typing import Iterator

from pyspk.sql import SparkSession

DARTS_PER_PARTITION = 100_000


def darts_inside(index: int, darts: Iterator[int]) -> Iterator[int]:
    rng = Random(index)
    inside = 0
    for _ in darts:
        x, y = rng.random() * 2 - 1, rng.random() * 2 - 1
        inside += x * x + y * y <= 1
    yield inside


def main(partitions: int) -> None:
    spark = SparkSession.builder.appName("PythonPi").getOrCreate()
    n = DARTS_PER_PARTITION * partitions
    inside = (spark.sparkContext.parallelize(range(n), partitions)
              .mapPartitionsWithIndex(darts_inside)
              .reduce(add))
    print(f"Pi is roughly {4.0 * inside / n:f}")
    spark.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
