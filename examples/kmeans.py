"""K-means clustering of points in a text file ("x y ..." per line), in plain Python.

The first k points are the starting centres, so the result is the same on every run.
Usage: spark-submit examples/kmeans.py <file> <k> <convergence distance>
"""
from __future__ import annotations

import sys
from typing import Sequence

from pyspk.sql import SparkSession

Point = tuple[float, ...]


def parse(line: str) -> Point:
    return tuple(float(x) for x in line.split())


def squared_distance(a: Sequence[float], b: Sequence[float]) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b))


def closest(point: Point, centres: Sequence[Point]) -> int:
    return min(range(len(centres)), key=lambda i: squared_distance(point, centres[i]))


def add_points(a: tuple[Point, int], b: tuple[Point, int]) -> tuple[Point, int]:
    return tuple(x + y for x, y in zip(a[0], b[0])), a[1] + b[1]


def main(path: str, k: int, converge: float) -> None:
    spark = SparkSession.builder.appName("PythonKMeans").getOrCreate()
    points = spark.sparkContext.textFile(path).map(parse).cache()
    centres = points.take(k)
    moved, iterations = float("inf"), 0
    while moved > converge:
        current = centres
        sums = (points.map(lambda p: (closest(p, current), (p, 1)))
                .reduceByKey(add_points)
                .collectAsMap())
        new = [tuple(x / sums[i][1] for x in sums[i][0]) if i in sums else current[i]
               for i in range(k)]
        moved = sum(squared_distance(a, b) for a, b in zip(current, new))
        centres, iterations = new, iterations + 1
    print(f"Converged after {iterations} iterations. Final centres:")
    for centre in sorted(centres):
        print("  (" + ", ".join(f"{x:.4f}" for x in centre) + ")")
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print("Usage: kmeans.py <file> <k> <convergence distance>", file=sys.stderr)
        sys.exit(-1)
    main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))
