"""Shuffle partitioning modes of distributed SQL on local[2], interleaved in one run so machine
load hits every mode alike; prints the median seconds per query and mode.

    python benchmarks/aqe_compare.py [--repeat 5] [--modes on,off,cap4,driver]

Modes: ``on`` = spark.sql.shuffle.partitions=200 with adaptive coalescing (the default), ``off``
= 200 reduce tasks, ``cap4`` = AQE off with 4 shuffle partitions (what pyspk did before it
honoured the setting), ``driver`` = the UDF queries run on the driver
(``spark.pyspk.sql.distributed=false``; other queries as ``off``).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from typing import Callable

from pyspk.sql import SparkSession, functions as F, types as T


def _queries(spark: SparkSession, base: str) -> dict[str, Callable[[], object]]:
    big = lambda: spark.read.parquet(base + "/big")  # noqa: E731
    plus = F.udf(lambda x: x + 1, T.LongType())
    return {
        "udf_trivial": lambda: spark.range(10).select(plus("id")).collect(),
        "udf_10k": lambda: spark.range(10_000).select(plus("id").alias("x")).agg(F.sum("x")).collect(),
        "agg_small_groups": lambda: big().groupBy("k").agg(F.sum("v")).collect(),
        "agg_big_groups": lambda: big().groupBy((F.col("id") % 200_000).alias("g")).count().count(),
        "shuffle_join": lambda: big().join(spark.read.parquet(base + "/mid"),
                                           F.col("id") == F.col("k2")).count(),
        "distinct": lambda: big().select("k").distinct().count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--modes", default="on,off,cap4,driver")
    args = parser.parse_args()
    modes = args.modes.split(",")
    spark = SparkSession.builder.master("local[2]").getOrCreate()
    base = tempfile.mkdtemp()
    spark.range(0, 2_000_000).select("id", (F.col("id") % 1000).alias("k"),
                                     (F.col("id") * 0.5).alias("v")).write.parquet(base + "/big")
    spark.range(0, 50_000).select(F.col("id").alias("k2"),
                                  (F.col("id") % 7).alias("w")).write.parquet(base + "/mid")
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "-1")
    for name, query in _queries(spark, base).items():
        def setup(mode: str) -> None:
            spark.conf.set("spark.sql.adaptive.enabled", "true" if mode == "on" else "false")
            spark.conf.set("spark.sql.shuffle.partitions", "4" if mode == "cap4" else "200")
            udf = name.startswith("udf")
            spark.conf.set("spark.pyspk.sql.distributed",
                           ("false" if mode == "driver" else "auto") if udf else "true")
        times: dict[str, list[float]] = {m: [] for m in modes}
        for m in modes:
            setup(m)
            query()
        for _ in range(args.repeat):
            for m in modes:
                setup(m)
                t0 = time.perf_counter()
                query()
                times[m].append(time.perf_counter() - t0)
        print(" ".join([f"{name:18s}"] + [f"{m}={statistics.median(times[m]):.3f}" for m in modes]),
              flush=True)
    spark.stop()


if __name__ == "__main__":
    main()
