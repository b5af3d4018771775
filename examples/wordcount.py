"""Count the words of a text file and print the most frequent ones.

Usage: spark-submit examples/wordcount.py <file> [how many, default 20]
"""
from __future__ import annotations

import re
import sys
from operator import add

from pyspk.sql import SparkSession

WORD = re.compile(r"[a-z']+")


def main(path: str, top: int) -> None:
    spark = SparkSession.builder.appName("PythonWordCount").getOrCreate()
    sc = spark.sparkContext
    counts = (sc.textFile(path)
              .flatMap(lambda line: WORD.findall(line.lower()))
              .map(lambda word: (word, 1))
              .reduceByKey(add))
    total = counts.values().sum()
    print(f"{counts.count()} distinct words, {total} in all")
    for word, count in counts.takeOrdered(top, key=lambda wc: (-wc[1], wc[0])):
        print(f"{word}: {count}")
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        print("Usage: wordcount.py <file> [how many]", file=sys.stderr)
        sys.exit(-1)
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 20)
