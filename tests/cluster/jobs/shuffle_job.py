"""A two-stage job for the fault tests: a shuffle whose reduce side is slow enough to be
interrupted. Each task touches ``<signal dir>/<stage>-<partition>-<pid>`` when it starts, so a
test knows the job is under way. Prints the answer, which never depends on faults.

Usage: spark-submit shuffle_job.py SIGNAL_DIR [SECONDS_PER_REDUCE_TASK]
"""
from __future__ import annotations

import os
import sys
import time
from operator import add

from pyspk import SparkConf, SparkContext


def touch(signal_dir: str, stage: str, index: int) -> None:
    open(os.path.join(signal_dir, f"{stage}-{index}-{os.getpid()}"), "w").close()


def main(signal_dir: str, pause: float) -> None:
    sc = SparkContext(conf=SparkConf().setAppName("shuffle-job"))

    def mapper(index, it):
        touch(signal_dir, "map", index)
        for x in it:
            yield x % 50, x

    def reducer(index, it):
        touch(signal_dir, "reduce", index)
        time.sleep(pause)
        yield from it

    pairs = sc.parallelize(range(20000), 8).mapPartitionsWithIndex(mapper).reduceByKey(add, 8)
    result = sorted(pairs.mapPartitionsWithIndex(reducer).collect())
    print("answer", sum(v for _, v in result), result[:3])
    sc.stop()


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0.0)
