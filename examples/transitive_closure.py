"""Transitive closure of a random directed graph: all pairs (a, c) with a path from a to c.

The graph is drawn from a fixed seed, so the answer is the same on every run.
Usage: spark-submit examples/transitive_closure.py [partitions, default 2]
"""
from __future__ import annotations

import sys
from random import Random

from pyspk.sql import SparkSession

VERTICES = 60
EDGES = 90


def random_graph(seed: int = 42) -> list[tuple[int, int]]:
    rng = Random(seed)
    edges: set[tuple[int, int]] = set()
    while len(edges) < EDGES:
        a, b = rng.randrange(VERTICES), rng.randrange(VERTICES)
        if a != b:
            edges.add((a, b))
    return sorted(edges)


def main(partitions: int) -> None:
    spark = SparkSession.builder.appName("PythonTransitiveClosure").getOrCreate()
    sc = spark.sparkContext
    paths = sc.parallelize(random_graph(), partitions).cache()
    # Edges keyed by their target: joining paths (b, c) with edges (b, a) gives new paths (a, c).
    edges_by_target = paths.map(lambda edge: (edge[1], edge[0])).cache()
    count, previous, rounds = paths.count(), 0, 0
    while count != previous:
        previous, rounds = count, rounds + 1
        longer = paths.join(edges_by_target).map(lambda b_ca: (b_ca[1][1], b_ca[1][0]))
        paths = paths.union(longer).distinct(partitions).cache()
        count = paths.count()
    print(f"TC has {count} edges after {rounds} rounds")
    spark.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
