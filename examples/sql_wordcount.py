"""Word count with DataFrames and with SQL over the same text file.

Usage: spark-submit examples/sql_wordcount.py <file> [how many, default 10]
"""
from __future__ import annotations

import sys

from pyspk.sql import SparkSession
from pyspk.sql import functions as F


def main(path: str, top: int) -> None:
    spark = SparkSession.builder.appName("PythonSQLWordCount").getOrCreate()
    words = (spark.read.text(path)
             .select(F.explode(F.split(F.lower(F.col("value")), "[^a-z']+")).alias("word"))
             .where(F.col("word") != ""))
    counts = words.groupBy("word").count().orderBy(F.desc("count"), "word")
    counts.limit(top).show()

    words.createOrReplaceTempView("words")
    spark.sql("""
        SELECT length(word) AS letters, count(*) AS words, count(DISTINCT word) AS distinct_words
        FROM words GROUP BY length(word) HAVING count(*) >= 10 ORDER BY letters
    """).show()
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        print("Usage: sql_wordcount.py <file> [how many]", file=sys.stderr)
        sys.exit(-1)
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 10)
