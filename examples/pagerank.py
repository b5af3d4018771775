"""PageRank over a link file with one "source target" pair per line.

Usage: spark-submit examples/pagerank.py <file> <iterations>
"""
from __future__ import annotations

import sys
from operator import add
from typing import Iterable, Iterator

from pyspk.sql import SparkSession

DAMPING = 0.85


def contributions(targets: Iterable[str], rank: float) -> Iterator[tuple[str, float]]:
    targets = list(targets)
    for target in targets:
        yield target, rank / len(targets)


def main(path: str, iterations: int) -> None:
    spark = SparkSession.builder.appName("PythonPageRank").getOrCreate()
    pairs = spark.sparkContext.textFile(path).map(str.split).map(lambda st: (st[0], st[1]))
    links = pairs.distinct().groupByKey().cache()
    ranks = links.mapValues(lambda _: 1.0)
    for _ in range(iterations):
        ranks = (links.join(ranks)
                 .flatMap(lambda page: contributions(page[1][0], page[1][1]))
                 .reduceByKey(add)
                 .mapValues(lambda rank: (1 - DAMPING) + DAMPING * rank))
    for page, rank in sorted(ranks.collect(), key=lambda pr: (-round(pr[1], 6), pr[0])):
        print(f"{page} has rank: {rank:.6f}.")
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("Usage: pagerank.py <file> <iterations>", file=sys.stderr)
        sys.exit(-1)
    main(sys.argv[1], int(sys.argv[2]))
