"""``DataFrame``: a distributed collection of rows with a schema, built lazily as a logical plan."""
from __future__ import annotations

from typing import Any, Callable, Iterator

import pyarrow as pa

from pyspk.errors import AnalysisException, PySparkTypeError, PySparkValueError
from pyspk.sql import types as T
from pyspk.sql._arrow_types import arrow_column_to_python
from pyspk.sql.column import Column, col_or_name, parse_column_name, to_expr
from pyspk.sql.expressions.base import (
    Alias, AttributeReference, Expression, Literal, SortOrder, UnresolvedAttribute,
)
from pyspk.sql.plan import logical as L


def _has_outer_reference(plan: L.LogicalPlan) -> bool:
    from pyspk.sql.column import OUTER_SCOPE
    return any(isinstance(x, UnresolvedAttribute) and x.plan_id == OUTER_SCOPE
               for node in plan.walk() for e in node.expressions() for x in e.walk())


def _flatten(cols: tuple) -> list:
    if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
        return list(cols[0])
    return list(cols)


class DataFrame:
    """A lazily evaluated, named-column dataset.

    >>> df = spark.createDataFrame([(1, "a")], ["id", "v"])  # doctest: +SKIP
    """

    def __init__(self, plan: L.LogicalPlan, session: Any) -> None:
        self._plan = plan
        self.sparkSession = session
        self._session = session

    # -- construction helpers -----------------------------------------------------------------
    def _new(self, plan: L.LogicalPlan) -> "DataFrame":
        if _has_outer_reference(plan):
            # A correlated subquery built with Column.outer(): resolved with its enclosing query.
            df = DataFrame(plan, self._session)
            df._pending_plan = plan
            return df
        return DataFrame(self._session._analyze(plan), self._session)

    def _resolve_column(self, name: str) -> Column:
        from pyspk.sql.analyzer import resolve_name, unresolved_column
        parts = parse_column_name(name)
        found = resolve_name(parts, self._plan.output)
        if found is None:
            raise unresolved_column(name, self._plan.output)
        return Column(found)

    # -- metadata ------------------------------------------------------------------------------
    @property
    def schema(self) -> T.StructType:
        return self._plan.schema()

    @property
    def columns(self) -> list[str]:
        return [a.name for a in self._plan.output]

    @property
    def dtypes(self) -> list[tuple[str, str]]:
        return [(a.name, a.data_type.simpleString()) for a in self._plan.output]

    def printSchema(self, level: int | None = None) -> None:
        print(self.schema.treeString(level))

    def explain(self, extended: Any = None, mode: str | None = None) -> None:
        from pyspk.sql.explain import explain_string
        print(explain_string(self, extended, mode))

    def scalar(self) -> Column:
        """This one-column, at most one-row DataFrame as a scalar subquery expression."""
        from pyspk.sql.expressions.subquery import ScalarSubquery
        return Column(ScalarSubquery(self._unresolved_plan()))

    def exists(self) -> Column:
        """True where this (correlated) DataFrame has rows, as an EXISTS subquery."""
        from pyspk.sql.expressions.subquery import Exists
        return Column(Exists(self._unresolved_plan()))

    def _unresolved_plan(self) -> L.LogicalPlan:
        return getattr(self, "_pending_plan", None) or self._plan

    def to(self, schema: T.StructType) -> "DataFrame":
        """Columns reordered, cast and checked against ``schema`` by name."""
        cols = []
        for f in schema.fields:
            c = self._resolve_column(f.name)
            cols.append(c.cast(f.dataType).alias(f.name) if c._expr.data_type != f.dataType else c)
        return self.select(*cols)

    def isEmpty(self) -> bool:
        return len(self.take(1)) == 0

    def isLocal(self) -> bool:
        return isinstance(self._plan, (L.LocalRelation, L.OneRowRelation))

    @property
    def isStreaming(self) -> bool:
        return False

    def __getitem__(self, item: Any) -> Any:
        if isinstance(item, str):
            return self._resolve_column(item)
        if isinstance(item, Column):
            return self.filter(item)
        if isinstance(item, (list, tuple)):
            return self.select(*item)
        if isinstance(item, int):
            return Column(self._plan.output[item])
        raise PySparkTypeError(f"[NOT_COLUMN_OR_INT_OR_LIST_OR_STR_OR_TUPLE] unexpected item "
                               f"type: {type(item).__name__}",
                               errorClass="NOT_COLUMN_OR_INT_OR_LIST_OR_STR_OR_TUPLE")

    def __getattr__(self, name: str) -> Column:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self.columns and name.lower() not in [c.lower() for c in self.columns]:
            raise AttributeError(f"'DataFrame' object has no attribute '{name}'")
        return self._resolve_column(name)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | {c for c in self.columns if c.isidentifier()})

    def __repr__(self) -> str:
        return "DataFrame[" + ", ".join(f"{n}: {t}" for n, t in self.dtypes) + "]"

    # -- projections ---------------------------------------------------------------------------
    def select(self, *cols: Any) -> "DataFrame":
        exprs = tuple(col_or_name(c) if isinstance(c, str) else to_expr(c) for c in _flatten(cols))
        return self._new(L.Project(exprs, self._plan))

    def selectExpr(self, *expr: Any) -> "DataFrame":
        from pyspk.sql.sql_frontend import parse_expression
        return self.select(*[Column(parse_expression(e)) for e in _flatten(expr)])

    def filter(self, condition: Any) -> "DataFrame":
        if isinstance(condition, str):
            from pyspk.sql.sql_frontend import parse_expression
            cond = parse_expression(condition)
        elif isinstance(condition, Column):
            cond = condition._expr
        else:
            raise PySparkTypeError("[NOT_COLUMN_OR_STR] Argument `condition` should be a Column "
                                   f"or str, got {type(condition).__name__}.",
                                   errorClass="NOT_COLUMN_OR_STR")
        return self._new(L.Filter(cond, self._plan))

    where = filter

    def withColumn(self, colName: str, col: Column) -> "DataFrame":
        if not isinstance(col, Column):
            raise PySparkTypeError("[NOT_COLUMN] Argument `col` should be a Column, got "
                                   f"{type(col).__name__}.", errorClass="NOT_COLUMN",
                                   messageParameters={"arg_name": "col",
                                                      "arg_type": type(col).__name__})
        return self.withColumns({colName: col})

    def withColumns(self, *colsMap: dict[str, Column]) -> "DataFrame":
        mapping = colsMap[0] if colsMap else {}
        out: list[Expression] = []
        done = set()
        for a in self._plan.output:
            match = next((k for k in mapping if k.lower() == a.name.lower()), None)
            if match is not None:
                out.append(Alias(mapping[match]._expr, match))
                done.add(match)
            else:
                out.append(a)
        for k, v in mapping.items():
            if k not in done:
                out.append(Alias(v._expr, k))
        return self._new(L.Project(tuple(out), self._plan))

    def withColumnRenamed(self, existing: str, new: str) -> "DataFrame":
        return self.withColumnsRenamed({existing: new})

    def withColumnsRenamed(self, colsMap: dict[str, str]) -> "DataFrame":
        low = {k.lower(): v for k, v in colsMap.items()}
        out = tuple(Alias(a, low[a.name.lower()]) if a.name.lower() in low else a
                    for a in self._plan.output)
        return self._new(L.Project(out, self._plan))

    def withMetadata(self, columnName: str, metadata: dict) -> "DataFrame":
        from pyspk.sql.plan.logical import freeze_metadata
        target = self._resolve_column(columnName)._expr
        items = tuple(Alias(a, a.name, metadata=freeze_metadata(metadata))
                      if a == target else a for a in self._plan.output)
        return self._new(L.Project(items, self._plan))

    def drop(self, *cols: Any) -> "DataFrame":
        drop_ids = set()
        for c in cols:
            if isinstance(c, str):
                drop_ids |= {a.expr_id for a in self._plan.output if a.name.lower() == c.lower()}
            elif isinstance(c, Column):
                e = c._expr
                if isinstance(e, UnresolvedAttribute):
                    e = self._resolve_column(e.name)._expr
                if isinstance(e, AttributeReference):
                    drop_ids.add(e.expr_id)
        keep = tuple(a for a in self._plan.output if a.expr_id not in drop_ids)
        return self._new(L.Project(keep, self._plan))

    def toDF(self, *cols: str) -> "DataFrame":
        if len(cols) != len(self.columns):
            raise PySparkValueError(
                f"[LENGTH_SHOULD_BE_THE_SAME] The length of `cols` should be the same as the "
                f"number of columns, got {len(cols)} and {len(self.columns)}.",
                errorClass="LENGTH_SHOULD_BE_THE_SAME")
        return self._new(L.Project(tuple(Alias(a, n) for a, n in zip(self._plan.output, cols)),
                                   self._plan))

    def alias(self, alias: str) -> "DataFrame":
        return self._new(L.SubqueryAlias(alias, self._plan))

    def transform(self, func: Callable[..., "DataFrame"], *args: Any, **kwargs: Any) -> "DataFrame":
        result = func(self, *args, **kwargs)
        if not isinstance(result, DataFrame):
            raise PySparkTypeError("[INVALID_RETURN_TYPE_FOR_FUNCTION] Func returned an instance "
                                   f"of type {type(result).__name__} instead of DataFrame.",
                                   errorClass="INVALID_RETURN_TYPE_FOR_FUNCTION")
        return result

    def hint(self, name: str, *parameters: Any) -> "DataFrame":
        return self

    def colRegex(self, colName: str) -> Column:
        import re
        pattern = colName.strip("`")
        attrs = [a for a in self._plan.output if re.fullmatch(pattern, a.name)]
        if len(attrs) == 1:
            return Column(attrs[0])
        from pyspk.sql.expressions.base import UnresolvedStar
        return Column(UnresolvedStar(("__regex__", pattern)))

    # -- rows ------------------------------------------------------------------------------------
    def distinct(self) -> "DataFrame":
        return self._new(L.Deduplicate((), self._plan))

    def dropDuplicates(self, subset: list[str] | None = None) -> "DataFrame":
        if subset is None:
            return self.distinct()
        if isinstance(subset, str):
            subset = [subset]
        keys = tuple(self._resolve_column(s)._expr for s in subset)
        return self._new(L.Deduplicate(keys, self._plan))  # type: ignore[arg-type]

    drop_duplicates = dropDuplicates

    def dropDuplicatesWithinWatermark(self, subset: list[str] | None = None) -> "DataFrame":
        return self.dropDuplicates(subset)

    def orderBy(self, *cols: Any, **kwargs: Any) -> "DataFrame":
        return self._new(L.Sort(self._sort_orders(cols, kwargs.get("ascending")), True, self._plan))

    sort = orderBy

    def sortWithinPartitions(self, *cols: Any, **kwargs: Any) -> "DataFrame":
        return self._new(L.Sort(self._sort_orders(cols, kwargs.get("ascending")), False, self._plan))

    def _sort_orders(self, cols: tuple, ascending: Any) -> tuple[SortOrder, ...]:
        items = _flatten(cols)
        orders = []
        asc_list = ascending if isinstance(ascending, list) else [ascending] * len(items)
        for c, asc in zip(items, asc_list):
            if isinstance(c, int) and not isinstance(c, bool):
                if c == 0:
                    raise PySparkValueError("[ZERO_INDEX] Index must be non-zero.",
                                            errorClass="ZERO_INDEX")
                attr = self._plan.output[abs(c) - 1]
                orders.append(SortOrder(attr, c > 0 and (asc is None or bool(asc))))
                continue
            e = col_or_name(c)
            so = e if isinstance(e, SortOrder) else SortOrder(e, True)
            if asc is not None and not isinstance(e, SortOrder):
                so = SortOrder(e, bool(asc))
            elif asc is not None and asc is False:
                so = SortOrder(so.child, False)
            orders.append(so)
        return tuple(orders)

    def limit(self, num: int) -> "DataFrame":
        return self._new(L.Limit(int(num), self._plan))

    def offset(self, num: int) -> "DataFrame":
        return self._new(L.OffsetRows(int(num), self._plan))

    def sample(self, withReplacement: Any = None, fraction: Any = None, seed: Any = None) -> "DataFrame":
        if isinstance(withReplacement, float) and fraction is None:
            withReplacement, fraction = False, withReplacement
        elif isinstance(withReplacement, float):
            withReplacement, fraction, seed = False, withReplacement, fraction
        import random
        s = seed if seed is not None else random.randint(0, 1 << 31)
        return self._new(L.Sample(float(fraction), bool(withReplacement), int(s), self._plan))

    def randomSplit(self, weights: list[float], seed: int | None = None) -> list["DataFrame"]:
        import random
        total = float(sum(weights))
        s = seed if seed is not None else random.randint(0, 1 << 31)
        out, lower = [], 0.0
        for w in weights:
            out.append(self._new(L.Sample(w / total, False, int(s), self._plan, lower)))
            lower += w / total
        return out

    def repartition(self, numPartitions: Any = None, *cols: Any) -> "DataFrame":
        if isinstance(numPartitions, (str, Column)):
            cols = (numPartitions,) + cols
            numPartitions = None
        exprs = tuple(col_or_name(c) for c in cols)
        return self._new(L.Repartition(numPartitions, exprs, True, self._plan))

    def repartitionByRange(self, numPartitions: Any = None, *cols: Any) -> "DataFrame":
        if isinstance(numPartitions, (str, Column)):
            cols = (numPartitions,) + cols
            numPartitions = None
        exprs = tuple(col_or_name(c) for c in cols)
        return self._new(L.Repartition(numPartitions, exprs, True, self._plan, by_range=True))

    def coalesce(self, numPartitions: int) -> "DataFrame":
        return self._new(L.Repartition(numPartitions, (), False, self._plan))

    # -- combining -------------------------------------------------------------------------------
    def union(self, other: "DataFrame") -> "DataFrame":
        return self._new(L.Union((self._plan, other._plan)))

    unionAll = union

    def unionByName(self, other: "DataFrame", allowMissingColumns: bool = False) -> "DataFrame":
        mine = self.columns
        theirs = {c.lower(): a for c, a in zip(other.columns, other._plan.output)}
        items: list[Expression] = []
        for c in mine:
            if c.lower() in theirs:
                items.append(theirs[c.lower()])
            elif allowMissingColumns:
                items.append(Alias(Literal(None, T.NullType()), c))
            else:
                raise AnalysisException(
                    f"[NUM_COLUMNS_MISMATCH] UNION can only be performed on inputs with the same "
                    f"number of columns. Cannot resolve column name \"{c}\" among "
                    f"({', '.join(other.columns)}). SQLSTATE: 42826",
                    errorClass="NUM_COLUMNS_MISMATCH")
        left = self._plan
        extra = [a for a in other._plan.output if a.name.lower() not in {c.lower() for c in mine}]
        if extra and allowMissingColumns:
            left = L.Project(tuple(self._plan.output) + tuple(Alias(Literal(None, T.NullType()), a.name)
                                                               for a in extra), self._plan)
            items.extend(extra)
        right = L.Project(tuple(items), other._plan)
        return self._new(L.Union((left, right)))

    def intersect(self, other: "DataFrame") -> "DataFrame":
        return self._new(L.SetOperation(self._plan, other._plan, "intersect", False))

    def intersectAll(self, other: "DataFrame") -> "DataFrame":
        return self._new(L.SetOperation(self._plan, other._plan, "intersect", True))

    def subtract(self, other: "DataFrame") -> "DataFrame":
        return self._new(L.SetOperation(self._plan, other._plan, "except", False))

    def exceptAll(self, other: "DataFrame") -> "DataFrame":
        return self._new(L.SetOperation(self._plan, other._plan, "except", True))

    def join(self, other: "DataFrame", on: Any = None, how: str | None = None) -> "DataFrame":
        from pyspk.sql.join_api import build_join
        return self._new(build_join(self, other, on, how))

    def crossJoin(self, other: "DataFrame") -> "DataFrame":
        return self._new(L.Join(self._plan, other._plan, "cross", None))

    # -- aggregation -----------------------------------------------------------------------------
    def groupBy(self, *cols: Any) -> Any:
        from pyspk.sql.group import GroupedData
        return GroupedData(self, [self._group_expr(c) for c in _flatten(cols)])

    groupby = groupBy

    def _group_expr(self, c: Any) -> Expression:
        if isinstance(c, int) and not isinstance(c, bool):
            return self._plan.output[c - 1]
        return col_or_name(c)

    def rollup(self, *cols: Any) -> Any:
        from pyspk.sql.group import GroupedData
        exprs = [self._group_expr(c) for c in _flatten(cols)]
        sets = [tuple(range(i)) for i in range(len(exprs), -1, -1)]
        return GroupedData(self, exprs, grouping_sets=sets)

    def cube(self, *cols: Any) -> Any:
        from itertools import combinations
        from pyspk.sql.group import GroupedData
        exprs = [self._group_expr(c) for c in _flatten(cols)]
        n = len(exprs)
        sets = [c for k in range(n, -1, -1) for c in combinations(range(n), k)]
        return GroupedData(self, exprs, grouping_sets=sets)

    def agg(self, *exprs: Any) -> "DataFrame":
        return self.groupBy().agg(*exprs)

    # -- actions ---------------------------------------------------------------------------------
    def toArrow(self) -> pa.Table:
        table = self._session._execute(self._plan)
        schema = pa.schema([pa.field(a.name, table.column(i).type, a.nullable)
                            for i, a in enumerate(self._plan.output)])
        return pa.Table.from_arrays(table.columns, schema=schema) if self._plan.output else \
            pa.table({})

    def _arrow(self) -> pa.Table:
        return self._session._execute(self._plan)

    def collect(self) -> list[T.Row]:
        table = self._arrow()
        out = self._plan.output
        if not out:
            return [T._make_row([], []) for _ in range(table.num_rows)]
        cols = [arrow_column_to_python(table.column(i), a.data_type) for i, a in enumerate(out)]
        names = [a.name for a in out]
        return [T._make_row(names, vals) for vals in zip(*cols)]

    def toLocalIterator(self, prefetchPartitions: bool = False) -> Iterator[T.Row]:
        return iter(self.collect())

    def count(self) -> int:
        from pyspk.sql.expressions.aggregates import Count
        plan = self._session._analyze(L.Aggregate((), (Alias(Count(None), "count(1)"),), self._plan))
        return int(self._session._execute(plan).column(0)[0].as_py())

    def take(self, num: int) -> list[T.Row]:
        return self.limit(num).collect()

    def head(self, n: int | None = None) -> Any:
        if n is None:
            rows = self.take(1)
            return rows[0] if rows else None
        return self.take(n)

    def first(self) -> T.Row | None:
        return self.head()

    def tail(self, num: int) -> list[T.Row]:
        rows = self.collect()
        return rows[-num:] if num else []

    def show(self, n: int = 20, truncate: bool | int = True, vertical: bool = False) -> None:
        print(self._show_string(n, truncate, vertical))

    def _show_string(self, n: int = 20, truncate: bool | int = True, vertical: bool = False) -> str:
        from pyspk.sql.show import show_string
        if not isinstance(n, int) or isinstance(n, bool):
            raise PySparkTypeError(f"[NOT_INT] Argument `n` should be an int, got "
                                   f"{type(n).__name__}.", errorClass="NOT_INT")
        rows = self.limit(n + 1).collect() if n >= 0 else self.collect()
        return show_string(self.schema, rows, n, truncate, vertical)

    def toPandas(self) -> Any:
        from pyspk.sql.conversion import to_pandas
        return to_pandas(self)

    def foreach(self, f: Callable[[T.Row], None]) -> None:
        self.rdd.foreach(f)

    def foreachPartition(self, f: Callable[[Iterator[T.Row]], None]) -> None:
        self.rdd.foreachPartition(f)

    @property
    def rdd(self) -> Any:
        from pyspk.sql.execution.runner import plan_rows_rdd
        return plan_rows_rdd(self._session, self._plan)

    @property
    def write(self) -> Any:
        from pyspk.sql.readwriter import DataFrameWriter
        return DataFrameWriter(self)

    @property
    def na(self) -> Any:
        from pyspk.sql.na import DataFrameNaFunctions
        return DataFrameNaFunctions(self)

    @property
    def stat(self) -> Any:
        from pyspk.sql.stat import DataFrameStatFunctions
        return DataFrameStatFunctions(self)

    def fillna(self, value: Any, subset: Any = None) -> "DataFrame":
        return self.na.fill(value, subset)

    def dropna(self, how: str = "any", thresh: int | None = None, subset: Any = None) -> "DataFrame":
        return self.na.drop(how, thresh, subset)

    def replace(self, to_replace: Any, value: Any = None, subset: Any = None) -> "DataFrame":
        return self.na.replace(to_replace, value, subset)

    def describe(self, *cols: Any) -> "DataFrame":
        from pyspk.sql.stat import describe
        return describe(self, _flatten(cols))

    def summary(self, *statistics: str) -> "DataFrame":
        from pyspk.sql.stat import summary
        return summary(self, list(statistics))

    def corr(self, col1: str, col2: str, method: str | None = None) -> float:
        return self.stat.corr(col1, col2, method)

    def cov(self, col1: str, col2: str) -> float:
        return self.stat.cov(col1, col2)

    def crosstab(self, col1: str, col2: str) -> "DataFrame":
        return self.stat.crosstab(col1, col2)

    def approxQuantile(self, col: Any, probabilities: list[float], relativeError: float) -> Any:
        return self.stat.approxQuantile(col, probabilities, relativeError)

    def sampleBy(self, col: str, fractions: dict, seed: int | None = None) -> "DataFrame":
        return self.stat.sampleBy(col, fractions, seed)

    def groupingSets(self, groupingSets: Any, *cols: Any) -> Any:
        from pyspk.sql.group import GroupedData
        exprs = [self._group_expr(c) for c in _flatten(cols)]
        sets = []
        for gs in groupingSets:
            members = [self._group_expr(c) for c in (gs if isinstance(gs, (list, tuple)) else [gs])]
            idx = []
            for m in members:
                if m not in exprs:
                    exprs.append(m)
                idx.append(exprs.index(m))
            sets.append(tuple(idx))
        return GroupedData(self, exprs, grouping_sets=sets)

    def _ipython_key_completions_(self) -> list[str]:
        return self.columns

    def freqItems(self, cols: list[str], support: float | None = None) -> "DataFrame":
        return self.stat.freqItems(cols, support)

    # -- caching and views -----------------------------------------------------------------------
    def cache(self) -> "DataFrame":
        return self.persist()

    def persist(self, storageLevel: Any = None) -> "DataFrame":
        """Keep this DataFrame's rows once computed (distributed plans: in the executors' block
        managers at ``storageLevel``; driver plans: in the driver)."""
        from pyspk.storagelevel import StorageLevel
        if not isinstance(self._plan, L.CachedRelation):
            self._plan = L.CachedRelation(self._plan)
        self._plan.store["level"] = storageLevel or StorageLevel.MEMORY_AND_DISK_DESER
        return self

    def unpersist(self, blocking: bool = False) -> "DataFrame":
        if isinstance(self._plan, L.CachedRelation):
            self._plan.release(blocking)
            self._plan = self._plan.child
        return self

    @property
    def storageLevel(self) -> Any:
        from pyspk.storagelevel import StorageLevel
        if isinstance(self._plan, L.CachedRelation):
            return self._plan.store.get("level") or StorageLevel.MEMORY_AND_DISK_DESER
        return StorageLevel.NONE

    def checkpoint(self, eager: bool = True) -> "DataFrame":
        from pyspk.sql.conversion import table_to_dataframe
        return table_to_dataframe(self._session, self.toArrow(), self.schema)

    localCheckpoint = checkpoint

    def createTempView(self, name: str) -> None:
        from pyspk.sql.catalog import register_view
        register_view(self, name, replace=False, global_=False)

    def createOrReplaceTempView(self, name: str) -> None:
        from pyspk.sql.catalog import register_view
        register_view(self, name, replace=True, global_=False)

    registerTempTable = createOrReplaceTempView

    def createGlobalTempView(self, name: str) -> None:
        from pyspk.sql.catalog import register_view
        register_view(self, name, replace=False, global_=True)

    def createOrReplaceGlobalTempView(self, name: str) -> None:
        from pyspk.sql.catalog import register_view
        register_view(self, name, replace=True, global_=True)

    def observe(self, observation: Any, *exprs: Column) -> "DataFrame":
        from pyspk.sql.observation import observe
        return observe(self, observation, exprs)

    def toJSON(self, use_unicode: bool = True) -> Any:
        from pyspk.sql.dataframe_more import to_json
        return to_json(self)

    def zipWithIndex(self, indexColName: str = "index") -> "DataFrame":
        from pyspk.sql.dataframe_more import zip_with_index
        return zip_with_index(self, indexColName)

    def transpose(self, indexColumn: Any = None) -> "DataFrame":
        from pyspk.sql.dataframe_more import transpose
        return transpose(self, indexColumn)

    def writeTo(self, table: str) -> Any:
        from pyspk.sql.dataframe_more import DataFrameWriterV2
        return DataFrameWriterV2(self, table)

    def inputFiles(self) -> list[str]:
        return sorted({p for node in self._plan.walk() if isinstance(node, L.FileScan)
                       for p in node.paths})

    def sameSemantics(self, other: "DataFrame") -> bool:
        return self._plan.tree_string() == other._plan.tree_string()

    def semanticHash(self) -> int:
        return hash(self._plan.tree_string()) & 0x7FFFFFFF

    # -- reshaping -------------------------------------------------------------------------------
    def unpivot(self, ids: Any, values: Any, variableColumnName: str, valueColumnName: str) -> "DataFrame":
        from pyspk.sql.reshape import unpivot
        return unpivot(self, ids, values, variableColumnName, valueColumnName)

    melt = unpivot

    def mapInPandas(self, func: Callable, schema: Any, barrier: bool = False,
                    profile: Any = None) -> "DataFrame":
        from pyspk.sql.pandas_api import map_in
        return map_in(self, func, schema, "pandas")

    def mapInArrow(self, func: Callable, schema: Any, barrier: bool = False,
                   profile: Any = None) -> "DataFrame":
        from pyspk.sql.pandas_api import map_in
        return map_in(self, func, schema, "arrow")

    def __iter__(self) -> Iterator:
        raise PySparkTypeError("[NOT_ITERABLE] DataFrame is not iterable.",
                               errorClass="NOT_ITERABLE")
