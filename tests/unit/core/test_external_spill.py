"""Aggregation and sort spill to disk under a tiny memory limit and still give exact results."""
from __future__ import annotations

import operator
import os
import random

from pyspk.shuffle.external import Aggregator, ExternalMerger, ExternalSorter


def test_merger_spills_and_merges(tmp_path) -> None:
    os.environ.setdefault("PYTHONHASHSEED", "0")
    agg = Aggregator(lambda v: v, operator.add, operator.add)
    merger = ExternalMerger(agg, memory_limit=1, spill_dir=str(tmp_path))
    merger.watch.every = 1000
    data = [(i % 5000, 1) for i in range(60000)]
    merger.mergeValues(iter(data))
    assert merger.spills, "a 1-byte limit must force spills"
    result = dict(merger.items())
    assert result == {k: 12 for k in range(5000)}
    assert not list(tmp_path.iterdir()), "spill files must be removed"


def test_sorter_spills_runs_and_merges(tmp_path) -> None:
    rng = random.Random(3)
    data = [rng.randint(0, 10 ** 6) for _ in range(50000)]
    sorter = ExternalSorter(memory_limit=1, spill_dir=str(tmp_path))
    sorter.watch.every = 5000
    out = list(sorter.sorted(iter(data), key=lambda x: -x, reverse=False))
    assert out == sorted(data, reverse=True)
    assert not list(tmp_path.iterdir())
