"""Sort the integers of a text file (whitespace-separated) and print them in ascending order.

Usage: spark-submit examples/sort.py <file>
"""
from __future__ import annotations

import sys

from pyspk import SparkConf, SparkContext


def main(path: str) -> None:
    sc = SparkContext(conf=SparkConf().setAppName("PythonSort"))
    numbers = (sc.textFile(path)
               .flatMap(str.split)
               .map(lambda text: (int(text), None))
               .sortByKey(numPartitions=3)
               .keys())
    for number in numbers.collect():
        print(number)
    sc.stop()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("Usage: sort.py <file>", file=sys.stderr)
        sys.exit(-1)
    main(sys.argv[1])
