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
    """Spark's ``summary``: every statistic of every column in one aggregation, cast to string
    (mean/stddev/percentiles only for numeric columns; percentiles by ``percentile_approx``)."""
    from pyspk.sql import functions as F
    stats = statistics or ["count", "mean", "stddev", "min", "25%", "50%", "75%", "max"]
    names = _numeric_or_string(df, cols or [])
    exprs = []
    for i, stat in enumerate(stats):
        for j, n in enumerate(names):
            exprs.append(_stat_expr(F, stat, F.col(f"`{n}`"), C.is_numeric(df.schema[n].dataType))
                         .cast("string").alias(f"s{i}_{j}"))
    values = df.agg(*exprs).collect()[0] if exprs else None
    rows = [tuple([stat] + [values[f"s{i}_{j}"] for j in range(len(names))])
            for i, stat in enumerate(stats)]
    schema = T.StructType([T.StructField("summary", T.StringType())] +
                          [T.StructField(n, T.StringType()) for n in names])
    return df._session.createDataFrame(rows, schema)


def _stat_expr(F: Any, stat: str, col: Any, numeric: bool) -> Any:
    if stat == "count":
        return F.count(col)
    if stat == "count_distinct":
        return F.count_distinct(col)
    if stat == "approx_count_distinct":
        return F.approx_count_distinct(col)
    if stat in ("min", "max"):
        return F.min(col) if stat == "min" else F.max(col)
    if stat.endswith("%"):
        try:
            p = float(stat[:-1]) / 100
        except ValueError:
            p = -1.0
        if not 0 <= p <= 1:
            raise PySparkValueError(f"{stat} is not a recognised statistic",
                                    errorClass="UNSUPPORTED_STATISTIC")
        return F.percentile_approx(col, p, 10000) if numeric else F.lit(None)
    if stat == "mean":
        return F.avg(col) if numeric else F.lit(None)
    if stat == "stddev":
        return F.stddev(col) if numeric else F.lit(None)
    raise PySparkValueError(f"{stat} is not a recognised statistic", errorClass="UNSUPPORTED_STATISTIC")


class DataFrameStatFunctions:
    """Correlation, covariance, cross tabulation, quantiles, frequent items, sampleBy."""

    def __init__(self, df: Any) -> None:
        self._df = df

    def _moment(self, fn: str, col1: str, col2: str) -> float:
        """Spark's stat.corr/cov: both columns cast to double with NULL read as 0.0 (its
        CovarianceCounter reads primitive doubles), NaN when undefined."""
        from pyspk.sql import functions as F
        pair = self._df.select(F.col(col1).cast("double").alias("a"),
                               F.col(col2).cast("double").alias("b")).na.fill(0.0)
        value = pair.agg(getattr(F, fn)("a", "b")).collect()[0][0]
        return float("nan") if value is None else float(value)

    def corr(self, col1: str, col2: str, method: str | None = None) -> float:
        if (method or "pearson") != "pearson":
            raise PySparkValueError(
                f"[VALUE_NOT_PEARSON] Value for `method` only supports 'pearson', got '{method}'.",
                errorClass="VALUE_NOT_PEARSON")
        return self._moment("corr", col1, col2)

    def cov(self, col1: str, col2: str) -> float:
        return self._moment("covar_samp", col1, col2)

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
