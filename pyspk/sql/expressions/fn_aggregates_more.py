"""Aggregates finished per group in Python: ``collect_union``, the bitmap aggregates and
``histogram_numeric`` (Spark's streaming histogram, with its seeded tie-breaking, so bins match)."""
from __future__ import annotations

from typing import Any

from pyspk.sql import types as T
from pyspk.sql.expressions.py_aggregates import PY_AGGREGATES

BITMAP_BYTES = 4096


def _collect_union(rows: list[tuple]) -> list:
    seen: dict[Any, None] = {}
    for r in rows:
        for x in r[0] or ():
            seen.setdefault(x, None)
    return list(seen)


def _bitmap_construct(rows: list[tuple]) -> bytes:
    bits = bytearray(BITMAP_BYTES)
    for r in rows:
        if r[0] is not None and 0 <= r[0] < BITMAP_BYTES * 8:
            bits[r[0] // 8] |= 1 << (r[0] % 8)
    return bytes(bits)


def _bitmap_fold(use_and: bool):
    def f(rows: list[tuple]) -> bytes:
        full = (1 << (BITMAP_BYTES * 8)) - 1
        acc = full if use_and else 0
        for r in rows:
            if r[0] is None:
                continue
            v = int.from_bytes(bytes(r[0])[:BITMAP_BYTES], "little")
            acc = acc & v if use_and else acc | v
        return acc.to_bytes(BITMAP_BYTES, "little")
    return f


class JavaRandom:
    """java.util.Random's generator (Spark seeds its histogram's tie-breaking with it)."""

    _MULT, _MASK = 0x5DEECE66D, (1 << 48) - 1

    def __init__(self, seed: int) -> None:
        self.seed = (seed ^ self._MULT) & self._MASK

    def _next(self, bits: int) -> int:
        self.seed = (self.seed * self._MULT + 0xB) & self._MASK
        return self.seed >> (48 - bits)

    def next_double(self) -> float:
        return ((self._next(26) << 27) + self._next(27)) * (1.0 / (1 << 53))


def numeric_histogram(values: list[float], bins: int) -> list[tuple[float, float]]:
    """Ben-Haim & Tom-Tov's streaming histogram as Spark (after Hive) computes it."""
    rng = JavaRandom(31183)
    hist: list[list[float]] = []
    for v in values:
        lo, hi, pos = 0, len(hist), 0
        while lo < hi:
            pos = (lo + hi) // 2
            if hist[pos][0] > v:
                hi = pos
            elif hist[pos][0] < v:
                pos += 1
                lo = pos
            else:
                break
        if pos < len(hist) and hist[pos][0] == v:
            hist[pos][1] += 1
            continue
        hist.insert(pos, [v, 1.0])
        while len(hist) > bins:
            best, where, ties = hist[1][0] - hist[0][0], 0, 1
            for i in range(1, len(hist) - 1):
                diff = hist[i + 1][0] - hist[i][0]
                if diff < best:
                    best, where, ties = diff, i, 1
                elif diff == best:
                    ties += 1
                    if rng.next_double() <= 1.0 / ties:
                        where = i
            a, b = hist[where], hist[where + 1]
            d = a[1] + b[1]
            a[0] = a[0] * (a[1] / d) + b[0] / d * b[1]
            a[1] = d
            del hist[where + 1]
    return [(x, y) for x, y in hist]


def _histogram(rows: list[tuple]) -> list | None:
    present = [r[0] for r in rows if r[0] is not None]
    bins = int(rows[0][1]) if rows else 0
    if not present:
        return None
    integral = isinstance(present[0], int) and not isinstance(present[0], bool)
    hist = numeric_histogram([float(v) for v in present], bins)
    return [{"x": int(x) if integral else x, "y": y} for x, y in hist]


def _histogram_type(ts: list[T.DataType]) -> T.DataType:
    return T.ArrayType(T.StructType([T.StructField("x", ts[0], True),
                                     T.StructField("y", T.DoubleType(), True)]), True)


PY_AGGREGATES.update({
    "collect_union": (_collect_union, lambda ts: T.ArrayType(ts[0].elementType, True)
                      if isinstance(ts[0], T.ArrayType) else T.ArrayType(ts[0], True)),
    "bitmap_construct_agg": (_bitmap_construct, lambda ts: T.BinaryType()),
    "bitmap_or_agg": (_bitmap_fold(False), lambda ts: T.BinaryType()),
    "bitmap_and_agg": (_bitmap_fold(True), lambda ts: T.BinaryType()),
    "histogram_numeric": (_histogram, _histogram_type),
})
