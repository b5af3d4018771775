"""``df.stat`` and ``describe``/``summary``: statistics computed with the engine's aggregates."""
from __future__ import annotations

import math
from typing import Any

from pyspk.errors import PySparkValueError
from pyspk.sql import types as T
from pyspk.sql.expressions import coercion as C


def _numeric_or_string(df: Any, cols: list[str]) -> list[str]:
    if cols:
        return cols
    return [f.name for f in df.schema.fields
            if C.is_numeric(f.dataType) or C.is_string(f.dataType)]


def describe(df: Any, cols: list[str]) -> Any:
    return summary(df, ["count", "mean", "stddev", "min", "max"], cols)


def summary(df: Any, statistics: list[str], cols: list[str] | None = None) -> Any:
    stats = statistics or ["count", "mean", "stddev", "min", "25%", "50%", "75%", "max"]
    names = _numeric_or_string(df, cols or [])
    rows = []
    data = df.select(*names).collect() if names else []
    for stat in stats:
        row = [stat]
        for i, n in enumerate(names):
            dt = df.schema[n].dataType
            vals = [r[i] for r in data if r[i] is not None]
            numeric = C.is_numeric(dt)
            row.append(_stat(stat, vals, numeric))
        rows.append(tuple(row))
    schema = T.StructType([T.StructField("summary", T.StringType())] +
                          [T.StructField(n, T.StringType()) for n in names])
    return df._session.createDataFrame(rows, schema)


def _fmt(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, float):
        from pyspk.sql.expressions.base import _java_double
        return _java_double(v)
    return str(v)


def _stat(stat: str, vals: list, numeric: bool) -> str | None:
    if stat == "count":
        return str(len(vals))
    if stat == "count_distinct":
        return str(len(set(vals)))
    if stat in ("min", "max"):
        return _fmt((min if stat == "min" else max)(vals)) if vals else None
    if not numeric:
        return None
    fl = [float(v) for v in vals]
    if stat == "mean":
        return _fmt(sum(fl) / len(fl)) if fl else None
    if stat == "stddev":
        if len(fl) < 2:
            return None if not fl else "NaN"
        m = sum(fl) / len(fl)
        return _fmt(math.sqrt(sum((x - m) ** 2 for x in fl) / (len(fl) - 1)))
    if stat.endswith("%"):
        p = float(stat[:-1]) / 100
        if not fl:
            return None
        s = sorted(vals)
        idx = max(0, min(len(s) - 1, math.ceil(p * len(s)) - 1))
        return _fmt(s[idx])
    raise PySparkValueError(f"{stat} is not a recognised statistic", errorClass="UNSUPPORTED_STATISTIC")


class DataFrameStatFunctions:
    """Correlation, covariance, cross tabulation, quantiles, frequent items, sampleBy."""

    def __init__(self, df: Any) -> None:
        self._df = df

    def _pairs(self, c1: str, c2: str) -> list[tuple[float, float]]:
        return [(float(a), float(b)) for a, b in self._df.select(c1, c2).collect()
                if a is not None and b is not None]

    def corr(self, col1: str, col2: str, method: str | None = None) -> float:
        xy = self._pairs(col1, col2)
        n = len(xy)
        mx = sum(x for x, _ in xy) / n
        my = sum(y for _, y in xy) / n
        sxy = sum((x - mx) * (y - my) for x, y in xy)
        sxx = sum((x - mx) ** 2 for x, _ in xy)
        syy = sum((y - my) ** 2 for _, y in xy)
        return sxy / math.sqrt(sxx * syy) if sxx and syy else float("nan")

    def cov(self, col1: str, col2: str) -> float:
        xy = self._pairs(col1, col2)
        n = len(xy)
        mx = sum(x for x, _ in xy) / n
        my = sum(y for _, y in xy) / n
        return sum((x - mx) * (y - my) for x, y in xy) / (n - 1)

    def crosstab(self, col1: str, col2: str) -> Any:
        rows = self._df.select(col1, col2).collect()
        keys2 = sorted({str(b) if b is not None else "null" for _, b in rows})
        counts: dict[str, dict[str, int]] = {}
        for a, b in rows:
            ka = str(a) if a is not None else "null"
            kb = str(b) if b is not None else "null"
            counts.setdefault(ka, {}).setdefault(kb, 0)
            counts[ka][kb] += 1
        out = [tuple([ka] + [counts[ka].get(k, 0) for k in keys2]) for ka in counts]
        schema = T.StructType([T.StructField(f"{col1}_{col2}", T.StringType())] +
                              [T.StructField(k, T.LongType()) for k in keys2])
        return self._df._session.createDataFrame(out, schema)

    def approxQuantile(self, col: Any, probabilities: list[float], relativeError: float) -> Any:
        single = isinstance(col, str)
        cols = [col] if single else list(col)
        result = []
        for c in cols:
            vals = sorted(float(r[0]) for r in self._df.select(c).collect() if r[0] is not None)
            qs = []
            for p in probabilities:
                if not vals:
                    continue
                idx = max(0, min(len(vals) - 1, math.ceil(p * len(vals)) - 1))
                qs.append(vals[idx])
            result.append(qs)
        return result[0] if single else result

    def freqItems(self, cols: list[str], support: float | None = None) -> Any:
        support = support or 0.01
        rows = self._df.select(*cols).collect()
        n = len(rows)
        out = []
        fields = []
        for i, c in enumerate(cols):
            counts: dict[Any, int] = {}
            for r in rows:
                counts[r[i]] = counts.get(r[i], 0) + 1
            out.append([v for v, k in counts.items() if k >= support * n])
            fields.append(T.StructField(f"{c}_freqItems", T.ArrayType(self._df.schema[c].dataType)))
        return self._df._session.createDataFrame([tuple(out)], T.StructType(fields))

    def sampleBy(self, col: str, fractions: dict[Any, float], seed: int | None = None) -> Any:
        import pyspk.sql.functions as F
        cond = None
        rnd = F.rand(seed)
        for k, frac in fractions.items():
            term = (F.col(col) == F.lit(k)) & (rnd < F.lit(float(frac)))
            cond = term if cond is None else (cond | term)
        return self._df.filter(cond) if cond is not None else self._df.limit(0)
